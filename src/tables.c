// SPDX-License-Identifier: GPL-2.0
/*
 * tables.c - what the BPF programs decide by, besides the state: the
 * raise-only sysctls (names and rules, from RATCHET_SYSCTLS) and what each
 * kernel read and load id of the running kernel is (kinds.c). The first
 * lock writes this into the "tables" map and freezes it; finding a lock
 * compares that map with what this computes (identity.c), so the same
 * function serves both.
 */
#include <errno.h>
#include <string.h>
#include "cli.h"

int tables_compute(const struct btf *btf, struct ratchet_tables *t)
{
#define TABLES_ROW(id, name, rule)                                             \
	do {                                                                   \
		strcpy(t->sysctl_names[RATCHET_SYSCTL_##id], name);            \
		t->sysctl_rules[RATCHET_SYSCTL_##id] = rule;                   \
	} while (0);
	int err;

	memset(t, 0, sizeof(*t));
	RATCHET_SYSCTLS(TABLES_ROW)
#undef TABLES_ROW
	if (!btf)
		return -ENOENT;
	if ((err = kinds_from_btf(btf, KINDS_READ, t->read_kinds)))
		return err;
	return kinds_from_btf(btf, KINDS_LOAD, t->load_kinds);
}
