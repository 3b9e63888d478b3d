// SPDX-License-Identifier: GPL-2.0
/*
 * tables.c - what the BPF programs decide by, besides the state: the
 * raise-only sysctls (names and rules, from RATCHET_SYSCTLS), what each
 * kernel read and load id of the running kernel is (kinds.c), and what
 * tells a read that only asks from the operation (the query slot and the
 * read-like syscalls, bpf/audit.h), and where the bpf_prog hook decides
 * (the BTF ids of ratchet's hooks and the struct_ops types reasoned about,
 * features_guard(); the first lock adds the ranges it detected the
 * verifier enforcing, src/bpf.c). The first lock writes this into the
 * "tables" map and freezes it; finding a lock compares that map with what
 * this computes (identity.c), so the same function serves both.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include "cli.h"

/*
 * The slot of LOCKDOWN_HIBERNATION (whose check every read of
 * /sys/power/state and /sys/power/disk makes), from the kernel's BTF, and
 * the syscalls that can only read, by their uapi numbers. sendfile,
 * splice and copy_file_range write too (kernfs takes splice writes, so
 * they reach state_store()): an attempt through them is logged. A kernel
 * without the reason has no query slot; unused entries stay ~0.
 */
static void tables_queries(const struct btf *btf, struct ratchet_tables *t)
{
	static const __u64 nr[8] = { SYS_read,	 SYS_pread64, SYS_readv,
				     SYS_preadv, SYS_preadv2, ~0ULL,
				     ~0ULL,	 ~0ULL };
	static struct catalogue c;
	const struct restriction *r;

	_Static_assert(sizeof(nr) == sizeof(t->query_nr),
		       "query_nr holds every read-like syscall");
	catalogue_from_btf(&c, btf);
	r = catalogue_find(&c, "hibernation");
	t->query_slot = r && r->slot >= 0 ? r->slot : -1;
	memcpy(t->query_nr, nr, sizeof(nr));
}

/* The bpf_prog hook's tables, from BTF; no detected range yet. */
static int tables_guard(const struct btf *btf, struct ratchet_tables *t)
{
	struct guard g;
	int err = features_guard(btf, &g);

	if (err)
		return err;
	_Static_assert(sizeof(g.lsm) == sizeof(t->guard_lsm) &&
			       sizeof(g.sec) == sizeof(t->guard_sec) &&
			       sizeof(g.ops) == sizeof(t->guard_ops),
		       "the guard's tables fit the tables map");
	memcpy(t->guard_lsm, g.lsm, sizeof(g.lsm));
	memcpy(t->guard_sec, g.sec, sizeof(g.sec));
	memcpy(t->guard_ops, g.ops, sizeof(g.ops));
	t->guard_flags = g.flags;
	return 0;
}

int tables_compute(const struct btf *btf, struct ratchet_tables *t)
{
#define TABLES_ROW(id, name, rule, low, high)                                  \
	do {                                                                   \
		strcpy(t->sysctl_names[RATCHET_SYSCTL_##id], name);            \
		t->sysctl_rules[RATCHET_SYSCTL_##id] = RATCHET_RULE_##rule;    \
	} while (0);
	int err;

	memset(t, 0, sizeof(*t));
	RATCHET_SYSCTLS(TABLES_ROW)
#undef TABLES_ROW
	tables_queries(btf, t);
	if (!btf)
		return -ENOENT;
	if ((err = kinds_from_btf(btf, KINDS_READ, t->read_kinds)) ||
	    (err = kinds_from_btf(btf, KINDS_LOAD, t->load_kinds)))
		return err;
	return tables_guard(btf, t);
}
