// SPDX-License-Identifier: GPL-2.0
/*
 * kreg.c - `ratchet-kreg`: attach kreg.bpf.c's kprobe on
 * security_locked_down, then kregx.bpf.c's extension of its subprogram
 * (which zeroes the lockdown reason in a process named rt-devmem; first,
 * as a control, one that does not write), then
 * open /dev/mem as rt-devmem. For tests/vm/attacks/rt-kreg.sh, in a test
 * VM only. Prints each step; exit 0 /dev/mem opened, 1 a step refused,
 * 2 other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <bpf/libbpf.h>
#include "attack-kreg.skel.h"
#include "attack-kregx.skel.h"

static int step(const char *what, int err)
{
	printf("kreg: %s: %s\n", what, err ? strerror(err) : "ok");
	return err ? (err == EPERM || err == EACCES || err == ENOENT ||
				      err == EINVAL
			      ? 1
			      : 2)
		   : 0;
}

int main(void)
{
	struct attack_kregx *x;
	struct attack_kreg *k;
	struct bpf_link *l;
	int fd, tfd;

	k = attack_kreg__open_and_load();
	if (!k)
		return step("load the kprobe program", errno);
	l = bpf_program__attach(k->progs.kreg_kprobe);
	if (!l)
		return step("attach it on security_locked_down", errno);
	tfd = bpf_program__fd(k->progs.kreg_kprobe);
	x = attack_kregx__open();
	if (!x)
		return step("open the extension", errno);
	bpf_program__set_attach_target(x->progs.kreg_ext, tfd, "kreg_sub");
	bpf_program__set_attach_target(x->progs.kreg_ext_ro, tfd, "kreg_sub");
	if (attack_kregx__load(x))
		return step("load the extensions", errno);
	/* The control: an extension that does not write attaches. */
	l = bpf_program__attach_freplace(x->progs.kreg_ext_ro, tfd, "kreg_sub");
	step("control: attach the extension that does not write",
	     l ? 0 : errno);
	if (l)
		bpf_link__destroy(l);
	l = bpf_program__attach_freplace(x->progs.kreg_ext, tfd, "kreg_sub");
	if (!l)
		return step("attach the extension", errno);
	step("kprobe and extension attached", 0);
	prctl(PR_SET_NAME, "rt-devmem");
	fd = open("/dev/mem", O_RDONLY);
	if (fd < 0)
		return step("open /dev/mem as rt-devmem", errno);
	close(fd);
	return step("open /dev/mem as rt-devmem", 0);
}
