// SPDX-License-Identifier: GPL-2.0
/*
 * tables.c - what the BPF programs decide by, besides the state: the
 * raise-only sysctls (names and rules, from RATCHET_SYSCTLS), what each
 * kernel read and load id of the running kernel is (kinds.c), and what
 * tells a read that only asks from the operation (the query slot and the
 * read-like syscalls, bpf/audit.h). The first lock writes this into the
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
 * the read-like syscalls, by their uapi numbers. A kernel without the
 * reason has no query slot.
 */
static void tables_queries(const struct btf *btf, struct ratchet_tables *t)
{
	static const __u64 nr[] = { SYS_read,	 SYS_pread64,
				    SYS_readv,	 SYS_preadv,
				    SYS_preadv2, SYS_sendfile,
				    SYS_splice,	 SYS_copy_file_range };
	static struct catalogue c;
	const struct restriction *r;

	_Static_assert(sizeof(nr) == sizeof(t->query_nr),
		       "query_nr holds every read-like syscall");
	catalogue_from_btf(&c, btf);
	r = catalogue_find(&c, "hibernation");
	t->query_slot = r && r->slot >= 0 ? r->slot : -1;
	memcpy(t->query_nr, nr, sizeof(nr));
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
	if ((err = kinds_from_btf(btf, KINDS_READ, t->read_kinds)))
		return err;
	return kinds_from_btf(btf, KINDS_LOAD, t->load_kinds);
}
