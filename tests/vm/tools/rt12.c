// SPDX-License-Identifier: GPL-2.0
/*
 * rt12.c - `ratchet-rt12`: red team 12's fmod_ret programs (rt12.bpf.c).
 *   ratchet-rt12 perm MAGIC LEN MASK RET PIN [SKIP]  (after SKIP calls)
 *   ratchet-rt12 mnt MAGIC RET PIN
 *   ratchet-rt12 ioctl CMD RET PIN
 *   ratchet-rt12 btf POS RET PIN  (red team 13: once, at or past POS)
 *   ratchet-rt12 libbtf POS RET SKIP PIN  (red team 14: the same, once per
 *                file after the first SKIP files: libbpf's reads)
 *   ratchet-rt12 iter K REC PIN  (red team 14: iterator reads answered K,
 *                then REC - K)
 *   ratchet-rt12 send SKIP PIN  (red team 15: SOCK_SEQPACKET sends answered
 *                with their size, after the first SKIP)
 *   ratchet-rt12 cap CAP RET PIN  (red team 16: capability CAP refused)
 *   ratchet-rt12 fsopen N PIN  (red team 16: the first N fsopen() refused)
 *   ratchet-rt12 getattr RDEV RET PIN  (red team 17: security_inode_getattr
 *                answered RET on inodes of device RDEV, kernel encoding)
 * Numbers in C syntax (0x...). Exit 0 attached and pinned, 1 refused, 2 other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "attack-rt12.skel.h"

static unsigned long num(const char *s)
{
	return strtoul(s, NULL, 0);
}

int main(int argc, char **argv)
{
	struct attack_rt12 *s;
	struct bpf_program *p, *q;
	struct bpf_link *l;
	const char *pin;
	int err;

	if (argc < 2)
		return 2;
	s = attack_rt12__open();
	if (!s)
		return 2;
	if (!strcmp(argv[1], "perm") && (argc == 7 || argc == 8)) {
		s->data->perm_skip = argc == 8 ? num(argv[7]) : 0;
		s->data->perm_magic = num(argv[2]);
		s->data->perm_len = num(argv[3]);
		s->data->perm_mask = num(argv[4]);
		s->data->perm_ret = (int)strtol(argv[5], NULL, 0);
		p = s->progs.rt12_perm;
		pin = argv[6];
	} else if (!strcmp(argv[1], "mnt") && argc == 5) {
		s->data->mnt_magic = num(argv[2]);
		s->data->mnt_ret = (int)strtol(argv[3], NULL, 0);
		p = s->progs.rt12_mnt;
		pin = argv[4];
	} else if (!strcmp(argv[1], "ioctl") && argc == 5) {
		s->data->ioctl_cmd = num(argv[2]);
		s->data->ioctl_ret = (int)strtol(argv[3], NULL, 0);
		p = s->progs.rt12_ioctl;
		pin = argv[4];
	} else if (!strcmp(argv[1], "btf") && argc == 5) {
		s->data->btf_pos = strtoll(argv[2], NULL, 0);
		s->data->btf_ret = (int)strtol(argv[3], NULL, 0);
		p = s->progs.rt13_btf;
		pin = argv[4];
	} else if (!strcmp(argv[1], "libbtf") && argc == 6) {
		s->data->lib_pos = strtoll(argv[2], NULL, 0);
		s->data->lib_ret = (int)strtol(argv[3], NULL, 0);
		s->data->lib_skip = (int)strtol(argv[4], NULL, 0);
		p = s->progs.rt14_btf;
		pin = argv[5];
	} else if (!strcmp(argv[1], "iter") && argc == 5) {
		s->data->iter_k = (int)strtol(argv[2], NULL, 0);
		s->data->iter_rec = (int)strtol(argv[3], NULL, 0);
		p = s->progs.rt14_iter;
		pin = argv[4];
	} else if (!strcmp(argv[1], "send") && argc == 4) {
		s->data->send_on = 1;
		s->data->send_skip = strtol(argv[2], NULL, 0);
		p = s->progs.rt15_send;
		pin = argv[3];
	} else if (!strcmp(argv[1], "cap") && argc == 5) {
		s->data->cap_num = (int)num(argv[2]);
		s->data->cap_ret = (int)strtol(argv[3], NULL, 0);
		p = s->progs.rt16_cap;
		pin = argv[4];
	} else if (!strcmp(argv[1], "fsopen") && argc == 4) {
		s->data->fsopen_n = (long)num(argv[2]);
		p = s->progs.rt16_fsopen;
		pin = argv[3];
	} else if (!strcmp(argv[1], "getattr") && argc == 5) {
		s->data->getattr_rdev = (unsigned int)num(argv[2]);
		s->data->getattr_ret = (int)strtol(argv[3], NULL, 0);
		p = s->progs.rt17_getattr;
		pin = argv[4];
	} else {
		fprintf(stderr, "usage\n");
		return 2;
	}
	bpf_object__for_each_program(q, s->obj)
		bpf_program__set_autoload(q, q == p);
	if ((err = attack_rt12__load(s))) {
		printf("rt12: %s: load: %s\n", argv[1], strerror(-err));
		return err == -EPERM || err == -EACCES ? 1 : 2;
	}
	l = bpf_program__attach(p);
	if (!l) {
		printf("rt12: %s: attach: %s\n", argv[1], strerror(errno));
		return errno == EPERM || errno == EACCES ? 1 : 2;
	}
	if ((err = bpf_link__pin(l, pin))) {
		printf("rt12: %s: pin: %s\n", argv[1], strerror(-err));
		return 2;
	}
	printf("rt12: %s attached, pinned at %s\n", bpf_program__name(p), pin);
	return 0;
}
