// SPDX-License-Identifier: GPL-2.0
/*
 * uregs.c - `ratchet-uregs LIBC CMD...`: load uregs.bpf.c, attach it as a
 * uprobe on _exit() of LIBC for every process, run CMD and print its exit
 * status, for tests/vm/attacks/rt-uregs.sh, in a test VM only.
 * Exit 0 attached and CMD ran, 1 load or attach refused, 2 other.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>
#include "attack-uregs.skel.h"

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = "_exit");
	struct attack_uregs *u;
	struct bpf_link *l;
	int err, st;
	pid_t p;

	if (argc < 3)
		return 2;
	u = attack_uregs__open();
	if (!u)
		return 2;
	if ((err = attack_uregs__load(u))) {
		printf("uregs: load: %s\n", strerror(-err));
		return 1;
	}
	l = bpf_program__attach_uprobe_opts(u->progs.uregs_exit, -1, argv[1], 0,
					    &o);
	if (!l) {
		printf("uregs: attach: %s\n", strerror(errno));
		return 1;
	}
	p = fork();
	if (p == 0) {
		execv(argv[2], argv + 2);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) < 0)
		return 2;
	printf("uregs: attached; %s exited %d\n", argv[2],
	       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	bpf_link__destroy(l);
	return 0;
}
