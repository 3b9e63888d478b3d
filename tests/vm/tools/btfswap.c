// SPDX-License-Identifier: GPL-2.0
/*
 * btfswap.c - `ratchet-btfswap IN OUT ENUM A B`: write to OUT the raw BTF
 * of IN with the values of enumerators A and B of enum ENUM swapped,
 * nothing else changed (every type keeps its id and size). For
 * tests/vm/attacks/rt2-btf.sh (red team 2), in a test VM only: root covers
 * /sys/kernel/btf/vmlinux with it. Exit 0 written, 2 any error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

static struct btf_enum *find(struct btf *b, const struct btf_type *t,
			     const char *name)
{
	struct btf_enum *e = (struct btf_enum *)btf_enum(t);
	int i;

	for (i = 0; i < btf_vlen(t); i++, e++)
		if (!strcmp(btf__name_by_offset(b, e->name_off), name))
			return e;
	return NULL;
}

int main(int argc, char **argv)
{
	struct btf *b;
	const struct btf_type *t;
	struct btf_enum *x, *y;
	const void *raw;
	__u32 size;
	__s32 v;
	FILE *f;
	int id;

	if (argc != 6)
		return 2;
	b = btf__parse_raw(argv[1]);
	if (!b)
		return fprintf(stderr, "btfswap: %s: %s\n", argv[1],
			       strerror(errno)),
		       2;
	id = btf__find_by_name_kind(b, argv[3], BTF_KIND_ENUM);
	t = id > 0 ? btf__type_by_id(b, id) : NULL;
	x = t ? find(b, t, argv[4]) : NULL;
	y = t ? find(b, t, argv[5]) : NULL;
	if (!x || !y)
		return fprintf(stderr, "btfswap: no %s or %s in enum %s\n",
			       argv[4], argv[5], argv[3]),
		       2;
	v = x->val;
	x->val = y->val;
	y->val = v;
	raw = btf__raw_data(b, &size);
	f = fopen(argv[2], "w");
	if (!raw || !f || fwrite(raw, size, 1, f) != 1 || fclose(f))
		return fprintf(stderr, "btfswap: writing %s\n", argv[2]), 2;
	printf("btfswap: %s %s=%d %s=%d in %s (%u bytes)\n", argv[3], argv[4],
	       x->val, argv[5], y->val, argv[2], size);
	return 0;
}
