// SPDX-License-Identifier: GPL-2.0
/*
 * test_btfindex.c - btf_find()'s name index answers as libbpf's linear
 * btf__find_by_name_kind() does, on each suite kernel's own BTF: every
 * named type of every kind ratchet asks for, a sample of the rest, a
 * name of another kind, names that are not there, and duplicate names
 * (the first id, as the linear search returns).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "cli.h"
#include "check.h"

/* Does the index agree with libbpf for @name of @kind? */
static int agrees(const struct btf_index *ix, const char *name, __u32 kind)
{
	return btf_index_find(ix, name, kind) ==
	       btf__find_by_name_kind(ix->btf, name, kind);
}

static void one_kernel(const char *k)
{
	static const char *const absent[] = { "ratchet_no_such_type",
					      "bpf_lsm_no_such_hook", "" };
	struct btf_index ix = { 0 };
	__u32 n, id, tried = 0, bad = 0;
	char path[128];
	struct btf *btf;
	size_t i;

	snprintf(path, sizeof(path), "build/vm/btf-%s/vmlinux.btf", k);
	if (access(path, R_OK)) {
		printf("SKIP btf index %s: %s not fetched\n", k, path);
		return;
	}
	btf = btf__parse(path, NULL);
	if (!btf || btf_index_build(&ix, btf)) {
		CHECK(0, "btf index %s: parse and index %s", k, path);
		btf__free(btf);
		return;
	}
	n = btf__type_cnt(btf);
	/* Every 97th type: a linear search each is 10^5 name compares. */
	for (id = 1; id < n; id += 97) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);

		if (!name || !*name)
			continue;
		tried++;
		bad += !agrees(&ix, name, btf_kind(t));
		/* The same name as another kind: absent, or another id. */
		bad += !agrees(&ix, name,
			       btf_kind(t) == BTF_KIND_FUNC ? BTF_KIND_STRUCT
							    : BTF_KIND_FUNC);
	}
	CHECK(tried > 500 && !bad,
	      "btf index %s: %u sampled names of %u types, %u disagree", k,
	      tried, n, bad);
	CHECK(agrees(&ix, "lockdown_reason", BTF_KIND_ENUM) &&
		      agrees(&ix, "bpf_prog", BTF_KIND_STRUCT) &&
		      agrees(&ix, "bpf_lsm_file_open", BTF_KIND_FUNC) &&
		      agrees(&ix, "bpf_prog_type", BTF_KIND_ENUM),
	      "btf index %s: the names ratchet asks for", k);
	for (i = 0, bad = 0; i < sizeof(absent) / sizeof(*absent); i++)
		bad += btf_index_find(&ix, absent[i], BTF_KIND_STRUCT) !=
		       -ENOENT;
	CHECK(!bad, "btf index %s: absent and empty names are -ENOENT", k);
	btf_index_free(&ix);
	btf__free(btf);
}

int main(void)
{
	one_kernel("6.1");
	one_kernel("6.12");
	one_kernel("7.2");
	return check_failed ? 1 : 0;
}
