// SPDX-License-Identifier: GPL-2.0
/*
 * btfswap.c - a copy of a kernel BTF with one thing changed and every type
 * keeping its id and size, for attacks that cover or replace the kernel's
 * BTF in a test VM (red teams 2 and 10):
 *   ratchet-btfswap IN OUT ENUM A B         enumerators A and B of enum
 *                                           ENUM swap values (rt2-btf.sh)
 *   ratchet-btfswap -m IN OUT STRUCT M AS   member M of struct STRUCT takes
 *                                           the offset of member AS
 *                                           (rt10-btf-fallback.sh, -transient)
 * Exit 0 written, 2 any error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

/* Enumerators and members both start with name_off: one search for both. */
static void *find(struct btf *b, const struct btf_type *t, const char *name)
{
	bool member = btf_is_struct(t);
	size_t step =
		member ? sizeof(struct btf_member) : sizeof(struct btf_enum);
	char *e = member ? (char *)btf_members(t) : (char *)btf_enum(t);
	int i;

	for (i = 0; i < btf_vlen(t); i++, e += step)
		if (!strcmp(btf__name_by_offset(b, *(__u32 *)e), name))
			return e;
	return NULL;
}

static void swap(struct btf_enum *x, struct btf_enum *y)
{
	__s32 v = x->val;

	x->val = y->val;
	y->val = v;
	printf("btfswap: %d and %d swapped", y->val, x->val);
}

static void move(const struct btf_type *t, struct btf_member *x,
		 const struct btf_member *y)
{
	__u32 old = x->offset;

	if (btf_kflag(t))
		x->offset = (x->offset & 0xff000000U) | (y->offset & 0xffffffU);
	else
		x->offset = y->offset;
	printf("btfswap: moved from bit %u to bit %u", old & 0xffffff,
	       x->offset & 0xffffff);
}

int main(int argc, char **argv)
{
	int m = argc == 7 && !strcmp(argv[1], "-m");
	char **a = argv + m;
	const struct btf_type *t;
	void *x, *y;
	struct btf *b;
	const void *raw;
	__u32 size;
	FILE *f;
	int id;

	if (argc != 6 + m)
		return 2;
	b = btf__parse_raw(a[1]);
	if (!b)
		return fprintf(stderr, "btfswap: %s: %s\n", a[1],
			       strerror(errno)),
		       2;
	id = btf__find_by_name_kind(b, a[3],
				    m ? BTF_KIND_STRUCT : BTF_KIND_ENUM);
	t = id > 0 ? btf__type_by_id(b, id) : NULL;
	x = t ? find(b, t, a[4]) : NULL;
	y = t ? find(b, t, a[5]) : NULL;
	if (!x || !y)
		return fprintf(stderr, "btfswap: no %s or %s in %s\n", a[4],
			       a[5], a[3]),
		       2;
	if (m)
		move(t, x, y);
	else
		swap(x, y);
	raw = btf__raw_data(b, &size);
	f = fopen(a[2], "w");
	if (!raw || !f || fwrite(raw, size, 1, f) != 1 || fclose(f))
		return fprintf(stderr, "btfswap: writing %s\n", a[2]), 2;
	printf(" (%s %s, %s) in %s\n", a[3], a[4], a[5], a[2]);
	return 0;
}
