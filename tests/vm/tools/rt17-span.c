// SPDX-License-Identifier: GPL-2.0
/*
 * rt17-span.c - red team 17 (in a test VM only): a load that passes its
 * LSM check before a lock and finishes after it.
 *
 * `ratchet-rt17-span kexec READY GO` (tests/vm/attacks/rt17-kexec-span.sh):
 * kexec_load() asks the LSM (kexec_load_check():
 * security_kernel_load_data(LOADING_KEXEC_IMAGE) and LOCKDOWN_KEXEC,
 * kernel/kexec.c, 6.1 to 7.2) first, then copies each segment from user
 * memory (kimage_load_segment(), kernel/kexec_core.c) and only at the end
 * sets kexec_image, which /sys/kernel/kexec_loaded shows.
 *
 * `ratchet-rt17-span module FILE READY GO`
 * (tests/vm/attacks/rt17-module-span.sh): init_module() of the module
 * FILE (an uncompressed .ko). copy_module_from_user() asks
 * security_kernel_load_data(LOADING_MODULE) first, then copies the image
 * (copy_chunked_from_user()), then asks only
 * security_kernel_post_load_data(), which ratchet does not hook
 * (kernel/module/main.c, 6.1 to 7.2), then loads it.
 *
 * `ratchet-rt17-span bpfread ADDR READY GO`
 * (not in the suite: the kernels oops, docs/threat-model.md, "Out of
 * scope"): BPF_PROG_LOAD of a syscall
 * program that calls bpf_probe_read_kernel() on ADDR (hex). The verifier
 * asks security_locked_down(LOCKDOWN_BPF_READ_KERNEL) when it resolves
 * the helper (bpf_base_func_proto(), kernel/trace/bpf_trace.c), and
 * writes its log to the user buffer only at the end (the statistics
 * line); the log page waits. The program is of a kind ratchet's bpf_prog
 * hook allows, so its own fd is made after the seal. It is then run
 * (BPF_PROG_TEST_RUN): the 16 bytes it read are printed.
 *
 * Either way the user memory is registered with userfaultfd: the loading
 * thread waits at the copy until root gives the pages. READY is written
 * once it waits; once GO exists (the caller's lock has run) the pages are
 * given and the call ends. Exit 0 if it returned 0, 1 if it failed, 2 on
 * setup errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kexec.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>

#define PAGE 4096UL
#define DEST 0x1000000UL /* 16 MiB: RAM in every test guest */

static char *dst, *src;
static size_t len, span;
static int module, bpfread;
static unsigned long long addr;
static char *logp;
static long rc = -2;
static int err;

static void *load(void *arg)
{
	struct kexec_segment seg = {
		.buf = dst,
		.bufsz = PAGE,
		.mem = (void *)DEST,
		.memsz = PAGE,
	};

	(void)arg;
	if (bpfread) {
		struct bpf_insn p[] = {
			/* r6 = ctx */
			{ .code = BPF_ALU64 | BPF_MOV | BPF_X,
			  .dst_reg = 6,
			  .src_reg = 1 },
			/* r1 = r10 - 16 */
			{ .code = BPF_ALU64 | BPF_MOV | BPF_X,
			  .dst_reg = 1,
			  .src_reg = 10 },
			{ .code = BPF_ALU64 | BPF_ADD | BPF_K,
			  .dst_reg = 1,
			  .imm = -16 },
			/* r2 = 16 */
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K,
			  .dst_reg = 2,
			  .imm = 16 },
			/* r3 = addr */
			{ .code = BPF_LD | BPF_DW | BPF_IMM,
			  .dst_reg = 3,
			  .imm = (__s32)(addr & 0xffffffff) },
			{ .imm = (__s32)(addr >> 32) },
			{ .code = BPF_JMP | BPF_CALL,
			  .imm = BPF_FUNC_probe_read_kernel },
			/* ctx[0..16) = stack */
			{ .code = BPF_LDX | BPF_MEM | BPF_DW,
			  .dst_reg = 1,
			  .src_reg = 10,
			  .off = -16 },
			{ .code = BPF_STX | BPF_MEM | BPF_DW,
			  .dst_reg = 6,
			  .src_reg = 1,
			  .off = 0 },
			{ .code = BPF_LDX | BPF_MEM | BPF_DW,
			  .dst_reg = 1,
			  .src_reg = 10,
			  .off = -8 },
			{ .code = BPF_STX | BPF_MEM | BPF_DW,
			  .dst_reg = 6,
			  .src_reg = 1,
			  .off = 8 },
			{ .code = BPF_ALU64 | BPF_MOV | BPF_K,
			  .dst_reg = 0,
			  .imm = 0 },
			{ .code = BPF_JMP | BPF_EXIT },
		};
		static char dry[4 * PAGE];
		struct bpf_insn q[sizeof(p) / sizeof(p[0])];
		LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = dry,
			    .log_size = sizeof(dry), .log_level = 1,
			    .prog_flags = BPF_F_SLEEPABLE);
		char *line;
		size_t at;

		/*
		 * At log level 1 the verifier writes each instruction to the
		 * caller's buffer as it checks it, and drops those lines once
		 * the program passes (do_check_common()). The log starts so
		 * that the registered page begins inside the line of
		 * instruction 7, the first after the helper call (6), whose
		 * check asked security_locked_down(): the load waits there.
		 * Where that is, a first load of the same program calling no
		 * helper at all last says: it fails there, keeping every line.
		 */
		memcpy(q, p, sizeof(q));
		q[sizeof(q) / sizeof(q[0]) - 2] =
			(struct bpf_insn){ .code = BPF_JMP | BPF_CALL,
					   .imm = 0x7fff }; /* no such helper */
		if (bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "rt17_dry", "GPL", q,
				  sizeof(q) / sizeof(q[0]), &o) >= 0 ||
		    !(line = strstr(dry, "\n7: "))) {
			fprintf(stderr, "rt17-span: first load (%s), log:\n%s",
				strerror(errno), dry);
			err = EPROTO;
			rc = -3;
			return NULL;
		}
		at = (size_t)(line - dry) + 2;
		o.log_buf = logp = dst + PAGE - at;
		o.log_size = (__u32)(at + PAGE);
		rc = bpf_prog_load(BPF_PROG_TYPE_SYSCALL, "rt17_read", "GPL", p,
				   sizeof(p) / sizeof(p[0]), &o);
		err = errno;
		return NULL;
	}
	if (module)
		rc = syscall(SYS_init_module, dst, len, "");
	else
		rc = syscall(SYS_kexec_load, DEST, 1UL, &seg,
			     (unsigned long)KEXEC_ARCH_DEFAULT);
	err = errno;
	return NULL;
}

static int read_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t got = 0;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st))
		return -1;
	len = (size_t)st.st_size;
	span = (len + PAGE - 1) & ~(PAGE - 1);
	src = mmap(NULL, span, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED)
		return -1;
	while (got < len && (n = read(fd, src + got, len - got)) > 0)
		got += (size_t)n;
	close(fd);
	return got == len ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffd_msg m;
	struct pollfd pf;
	const char *ready, *go;
	pthread_t th;
	FILE *f;
	int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);

	if (argc == 4 && !strcmp(argv[1], "kexec")) {
		span = PAGE;
		ready = argv[2];
		go = argv[3];
	} else if (argc == 5 && !strcmp(argv[1], "module")) {
		module = 1;
		if (read_file(argv[2]))
			return printf("rt17-span: %s: %s\n", argv[2],
				      strerror(errno)),
			       2;
		ready = argv[3];
		go = argv[4];
	} else if (argc == 5 && !strcmp(argv[1], "bpfread")) {
		bpfread = 1;
		span = 2 * PAGE;
		addr = strtoull(argv[2], NULL, 16);
		ready = argv[3];
		go = argv[4];
	} else {
		fprintf(stderr,
			"usage: %s kexec READY GO | module FILE READY GO | bpfread ADDR READY GO\n",
			argv[0]);
		return 2;
	}
	dst = mmap(NULL, span, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (uffd < 0 || dst == MAP_FAILED || ioctl(uffd, UFFDIO_API, &api))
		return printf("rt17-span: userfaultfd: %s\n", strerror(errno)),
		       2;
	/* bpfread: the log's second page only. */
	reg.range.start = (unsigned long)dst + (bpfread ? PAGE : 0);
	reg.range.len = bpfread ? PAGE : span;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		return printf("rt17-span: register: %s\n", strerror(errno)), 2;
	pthread_create(&th, NULL, load, NULL);
	pf.fd = uffd;
	pf.events = POLLIN;
	if (poll(&pf, 1, 60000) <= 0 ||
	    read(uffd, &m, sizeof(m)) != sizeof(m) ||
	    m.event != UFFD_EVENT_PAGEFAULT) {
		pthread_join(th, NULL);
		printf("rt17-span: the %s never reached the copy: rc %ld (%s)\n",
		       module ? "init_module" : "kexec_load", rc,
		       strerror(err));
		return 2;
	}
	printf("rt17-span: %s passed its LSM check; held at the copy %s user memory\n",
	       module	 ? "init_module"
	       : bpfread ? "BPF_PROG_LOAD"
			 : "kexec_load",
	       bpfread ? "to" : "from");
	fflush(stdout);
	if (!(f = fopen(ready, "w")))
		return 2;
	fputs("held\n", f);
	fclose(f);
	while (access(go, F_OK))
		usleep(100000);
	if (module) {
		struct uffdio_copy c = { .dst = (unsigned long)dst,
					 .src = (unsigned long)src,
					 .len = span };

		if (ioctl(uffd, UFFDIO_COPY, &c))
			printf("rt17-span: UFFDIO_COPY: %s\n", strerror(errno));
	} else {
		struct uffdio_zeropage z = {
			.range = { .start = (unsigned long)dst +
					    (bpfread ? PAGE : 0),
				   .len = bpfread ? PAGE : span }
		};

		ioctl(uffd, UFFDIO_ZEROPAGE, &z);
	}
	pthread_join(th, NULL);
	if (bpfread) {
		char out[17] = "";
		LIBBPF_OPTS(bpf_test_run_opts, t, .ctx_in = out,
			    .ctx_size_in = 16);

		if (rc < 0) {
			printf("rt17-span: BPF_PROG_LOAD failed (%ld): %s; log:\n%s\n",
			       rc, strerror(err), logp ? logp : "");
			return 1;
		}
		if (bpf_prog_test_run_opts((int)rc, &t))
			return printf("rt17-span: test run: %s\n",
				      strerror(errno)),
			       1;
		out[16] = '\0';
		for (int i = 0; i < 16; i++)
			if (out[i] < 32 || out[i] > 126)
				out[i] = '.';
		printf("rt17-span: BPF_PROG_LOAD returned fd %ld; the program read \"%s\" at %#llx\n",
		       rc, out, addr);
		return 0;
	}
	printf("rt17-span: %s returned %ld%s%s\n",
	       module ? "init_module" : "kexec_load", rc, rc ? ": " : "",
	       rc ? strerror(err) : "");
	return rc ? 1 : 0;
}
