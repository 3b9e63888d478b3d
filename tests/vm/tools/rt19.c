// SPDX-License-Identifier: GPL-2.0
/*
 * rt19.c - `ratchet-rt19 open PID RET PIN`: red team 19's fmod_ret program
 * (rt19.bpf.c) refusing with RET, for a process named ratchet, the open of
 * /proc/PID/fd, /proc/PID/task/PID/fd and /proc/PID/map_files.
 * `ratchet-rt19 root SKIP RET PIN`: opens of a proc root directory by a
 * thread named ratchet refused with RET after its first SKIP. Exit 0
 * attached and pinned, 1 refused, 2 other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "attack-rt19.skel.h"

int main(int argc, char **argv)
{
	struct attack_rt19 *s;
	struct bpf_program *p;
	struct bpf_link *l;
	int err, root;

	if (argc != 5 || (strcmp(argv[1], "open") && strcmp(argv[1], "root")) ||
	    strlen(argv[2]) > 11)
		return fprintf(stderr,
			       "usage: %s open PID RET PIN | root SKIP RET PIN\n",
			       argv[0]),
		       2;
	root = !strcmp(argv[1], "root");
	s = attack_rt19__open();
	if (!s)
		return 2;
	if (root) {
		s->data->root_skip = (__u32)strtoul(argv[2], NULL, 0);
		s->data->root_ret = (int)strtol(argv[3], NULL, 0);
		p = s->progs.rt19_root;
		bpf_program__set_autoload(s->progs.rt19_open, false);
	} else {
		snprintf(s->data->open_parent, sizeof(s->data->open_parent),
			 "%s", argv[2]);
		s->data->open_ret = (int)strtol(argv[3], NULL, 0);
		p = s->progs.rt19_open;
		bpf_program__set_autoload(s->progs.rt19_root, false);
	}
	if ((err = attack_rt19__load(s))) {
		fprintf(stderr, "rt19: load: %s\n", strerror(-err));
		attack_rt19__destroy(s);
		return 1;
	}
	l = bpf_program__attach(p);
	if (!l) {
		fprintf(stderr, "rt19: attach: %s\n", strerror(errno));
		attack_rt19__destroy(s);
		return 1;
	}
	if (bpf_link__pin(l, argv[4])) {
		fprintf(stderr, "rt19: pin: %s\n", strerror(errno));
		return 1;
	}
	printf("rt19: attached and pinned at %s\n", argv[4]);
	return 0;
}
