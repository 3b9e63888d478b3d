// SPDX-License-Identifier: GPL-2.0
/*
 * rt10-btfmove.c - `ratchet-rt10-btfmove IN OUT STRUCT MEMBER AS`: write
 * to OUT the raw BTF of IN with MEMBER of struct STRUCT given the offset
 * of member AS of the same struct (every type keeps its id and size).
 * For tests/vm/attacks/rt10-btf-fallback.sh (red team 10), in a test VM
 * only. Exit 0 written, 2 any error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

static struct btf_member *find(struct btf *b, const struct btf_type *t,
			       const char *name)
{
	struct btf_member *m = (struct btf_member *)btf_members(t);
	int i;

	for (i = 0; i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(b, m->name_off), name))
			return m;
	return NULL;
}

int main(int argc, char **argv)
{
	const struct btf_type *t;
	struct btf_member *x, *y;
	struct btf *b;
	const void *raw;
	__u32 size, old;
	FILE *f;
	int id;

	if (argc != 6)
		return 2;
	b = btf__parse_raw(argv[1]);
	if (!b)
		return fprintf(stderr, "btfmove: %s: %s\n", argv[1],
			       strerror(errno)),
		       2;
	id = btf__find_by_name_kind(b, argv[3], BTF_KIND_STRUCT);
	t = id > 0 ? btf__type_by_id(b, id) : NULL;
	x = t ? find(b, t, argv[4]) : NULL;
	y = t ? find(b, t, argv[5]) : NULL;
	if (!x || !y)
		return fprintf(stderr, "btfmove: no %s or %s in struct %s\n",
			       argv[4], argv[5], argv[3]),
		       2;
	old = x->offset;
	if (btf_kflag(t))
		x->offset = (x->offset & 0xff000000U) | (y->offset & 0xffffffU);
	else
		x->offset = y->offset;
	raw = btf__raw_data(b, &size);
	f = fopen(argv[2], "w");
	if (!raw || !f || fwrite(raw, size, 1, f) != 1 || fclose(f))
		return fprintf(stderr, "btfmove: writing %s\n", argv[2]), 2;
	printf("btfmove: struct %s: %s moved from bit %u to bit %u (that of %s) in %s\n",
	       argv[3], argv[4], old & 0xffffff, x->offset & 0xffffff, argv[5],
	       argv[2]);
	return 0;
}
