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
 *
 * Prints each step; exit 0 attached and pinned, 1 the kernel refused a
 * step, 2 other.
 */
#include <errno.h>
#include <stdio.h>
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

int main(int argc, char **argv)
{
	struct attack_answer *s;
	struct bpf_program *p;
	struct bpf_link *l;
	__u32 prog = 0, map = 0;
	int hide = argc == 4 && !strcmp(argv[1], "hide"), err;

	if (!hide && !(argc == 3 && !strcmp(argv[1], "rcheck"))) {
		fprintf(stderr, "usage: ratchet-answer rcheck LINKPIN | "
				"hide LINKPIN PROGPIN\n");
		return 2;
	}
	if (hide && (err = target(argv[3], &prog, &map)))
		return err;
	s = attack_answer__open();
	if (!s)
		return step("open", errno);
	s->rodata->hide_prog = prog;
	s->rodata->hide_map = map;
	bpf_program__set_autoload(s->progs.rcheck, !hide);
	bpf_program__set_autoload(s->progs.hide, hide);
	if (attack_answer__load(s))
		return step("load", errno);
	p = hide ? s->progs.hide : s->progs.rcheck;
	l = bpf_program__attach(p);
	if (!l)
		return step("attach on lsm/bpf", errno);
	if (bpf_link__pin(l, argv[2]))
		return step("pin the link", errno);
	return step("attach on lsm/bpf and pin", 0);
}
