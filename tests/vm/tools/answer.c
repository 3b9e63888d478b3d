// SPDX-License-Identifier: GPL-2.0
/*
 * answer.c - `ratchet-answer`: root's LSM program on lsm/bpf that answers
 * ratchet's bpf(2) calls (answer.bpf.c), attached and its link pinned.
 * For tests/vm/attacks/rt4-*.sh, in a test VM only.
 *
 *   ratchet-answer rcheck LINKPIN        refuse ratchet's range probes
 *                                         holding a 1 with EINVAL
 *   ratchet-answer hide LINKPIN PROGPIN  ENOENT to an fd by id for the
 *                                         program pinned at PROGPIN and for
 *                                         its prog array
 *   ratchet-answer burn LINKPIN          EPERM at lsm/bpf_prog to programs
 *                                         named rt4_burn* (ids spent)
 *   ratchet-answer falloc LINKPIN        the same EINVAL, from
 *                                         lsm/file_alloc_security (red team 5)
 *   ratchet-answer load N                load N socket filters named
 *                                         rt4_burn; prints how many were
 *                                         refused with EPERM
 *
 * Prints each step; exit 0 attached and pinned, 1 the kernel refused a
 * step, 2 other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "attack-answer.skel.h"

static int step(const char *what, int err)
{
	printf("answer: %s: %s\n", what, err ? strerror(err) : "ok");
	if (!err)
		return 0;
	return err == EPERM || err == EACCES || err == EINVAL ? 1 : 2;
}

/* The program pinned at @pin: its id and its first prog array's id. */
static int target(const char *pin, __u32 *prog, __u32 *map)
{
	struct bpf_prog_info info = {};
	struct bpf_map_info mi;
	__u32 maps[64], len = sizeof(info), i;
	int fd = bpf_obj_get(pin), mfd;

	if (fd < 0)
		return step("open the pinned program", errno);
	info.nr_map_ids = 64;
	info.map_ids = (__u64)(unsigned long)maps;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return step("read the program's maps", errno);
	close(fd);
	*prog = info.id;
	for (i = 0; i < info.nr_map_ids && i < 64; i++) {
		memset(&mi, 0, sizeof(mi));
		len = sizeof(mi);
		mfd = bpf_map_get_fd_by_id(maps[i]);
		if (mfd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(mfd, &mi, &len) &&
		    mi.type == BPF_MAP_TYPE_PROG_ARRAY)
			*map = maps[i];
		close(mfd);
	}
	printf("answer: hiding program id %u and map id %u\n", *prog, *map);
	return 0;
}

/* Load @n trivial socket filters named rt4_burn; how many got EPERM. */
static int load_n(int n)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int i, fd, refused = 0;

	for (i = 0; i < n; i++) {
		fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "rt4_burn",
				   "GPL", insns, 2, NULL);
		if (fd >= 0)
			close(fd);
		else if (errno == EPERM)
			refused++;
	}
	printf("answer: %d of %d loads refused with EPERM\n", refused, n);
	return 0;
}

int main(int argc, char **argv)
{
	struct attack_answer *s;
	struct bpf_program *p;
	struct bpf_link *l;
	__u32 prog = 0, map = 0;
	int hide = argc == 4 && !strcmp(argv[1], "hide"), err;
	int burn = argc == 3 && !strcmp(argv[1], "burn");
	int falloc = argc == 3 && !strcmp(argv[1], "falloc");

	if (argc == 3 && !strcmp(argv[1], "load"))
		return load_n(atoi(argv[2]));
	if (!hide && !burn && !falloc &&
	    !(argc == 3 && !strcmp(argv[1], "rcheck"))) {
		fprintf(stderr,
			"usage: ratchet-answer rcheck LINKPIN | falloc LINKPIN | "
			"hide LINKPIN PROGPIN | burn LINKPIN | load N\n");
		return 2;
	}
	if (hide && (err = target(argv[3], &prog, &map)))
		return err;
	s = attack_answer__open();
	if (!s)
		return step("open", errno);
	s->rodata->hide_prog = prog;
	s->rodata->hide_map = map;
	bpf_program__set_autoload(s->progs.rcheck, !hide && !burn && !falloc);
	bpf_program__set_autoload(s->progs.falloc, falloc);
	bpf_program__set_autoload(s->progs.hide, hide);
	bpf_program__set_autoload(s->progs.burn, burn);
	if (attack_answer__load(s))
		return step("load", errno);
	p = hide     ? s->progs.hide
	    : burn   ? s->progs.burn
	    : falloc ? s->progs.falloc
		     : s->progs.rcheck;
	l = bpf_program__attach(p);
	if (!l)
		return step("attach", errno);
	if (bpf_link__pin(l, argv[2]))
		return step("pin the link", errno);
	return step("attach and pin", 0);
}
