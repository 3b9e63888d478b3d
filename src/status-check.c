// SPDX-License-Identifier: GPL-2.0
/*
 * status-check.c - `ratchet status --check NAME...`: exit 0 only if every
 * named restriction is enforced now, 1 naming each one that is not. For
 * scripts (an Ansible task, a compliance scan): permissive, off, absent
 * from this kernel, or a state ratchet cannot read all count as missing.
 */
#include <errno.h>
#include <string.h>
#include "cli.h"

/*
 * Why @slot is not enforced (-1: the kernel lacks it), or NULL if it is:
 * in the state, and every fact it rests on holds (enforced.c).
 */
static const char *missing(const struct ratchet_state *st,
			   const struct enforcement *en, int slot)
{
	static char why[300];
	int i;

	if (slot < 0)
		return "absent: this kernel has no such lockdown reason";
	if (!ratchet_mask_test(&st->enforce, slot))
		return ratchet_mask_test(&st->permissive, slot)
			       ? "permissive: reported, not denied"
			       : "off";
	for (i = 0; en && i < en->n; i++)
		if (en->l[i].all || ratchet_mask_test(&en->l[i].slots, slot)) {
			snprintf(why, sizeof(why), "NOT ENFORCED: %s",
				 en->l[i].what);
			return why;
		}
	return NULL;
}

/* Names to the slots (and sysctl knobs) they require; exit 2 on a bad one. */
static int wanted(const struct catalogue *c, int n, char **names,
		  struct ratchet_mask *want, bool *absent, __u64 *knobs)
{
	const char *bad;
	int i;

	if (catalogue_split_sysctls(&n, names, knobs, &bad)) {
		fprintf(stderr,
			"ratchet: no raise-only sysctl '%s'; see ratchet list\n",
			bad);
		return EXIT_USAGE;
	}
	if (*knobs)
		ratchet_mask_set(want, RATCHET_SLOT_SYSCTL);
	for (i = 0; i < n; i++) {
		struct ratchet_mask one;
		const struct restriction *r = catalogue_find(c, names[i]);

		if (r && r->slot < 0) {
			absent[r - c->r] = true;
			continue;
		}
		if (catalogue_resolve(c, 1, &names[i], &one, &bad)) {
			fprintf(stderr, "ratchet: unknown restriction '%s'\n",
				bad);
			usage_names(stderr, c);
			return EXIT_USAGE;
		}
		for (int w = 0; w < RATCHET_WORDS; w++)
			want->w[w] |= one.w[w];
	}
	return EXIT_OK;
}

static int report(const struct catalogue *c, const struct ratchet_state *st,
		  const struct enforcement *en, const struct ratchet_mask *want,
		  const bool *absent, __u64 knobs)
{
	char buf[48];
	int i, k, bad = 0, good = 0;

	for (i = 0; i < c->n; i++) {
		const struct restriction *r = &c->r[i];
		const char *why = NULL;

		if (absent[i])
			why = missing(st, en, -1);
		else if (r->slot >= 0 && ratchet_mask_test(want, r->slot))
			why = missing(st, en, r->slot);
		else
			continue;
		if (why)
			printf("ratchet: not enforced: %s (%s)\n", r->name,
			       why);
		bad += !!why;
		good += !why;
	}
	for_each_knob(k, knobs & ~sysctls_in_force(st)) {
		printf("ratchet: not enforced: sysctl:%s (not raise-only)\n",
		       sysctl_knob_name(k, buf, sizeof(buf)));
		bad++;
	}
	if (bad)
		return EXIT_FAIL;
	printf("ratchet: all %d enforced\n", good);
	return EXIT_OK;
}

/*
 * Something can overrule the lock in force (@overruled, from
 * rbpf_check_overrule()): no restriction counts as enforced then, and
 * neither when that could not be checked.
 */
static int overruled_report(int overruled)
{
	if (overruled == -ENOTRECOVERABLE)
		printf("ratchet: not enforced: OVERRULED: %s\n",
		       rbpf_overrule());
	else
		printf("ratchet: cannot tell: what could overrule the lock is "
		       "unreadable: %s\n",
		       strerror(-overruled));
	return EXIT_FAIL;
}

int status_check(const struct catalogue *c, const struct ratchet_state *st,
		 const struct enforcement *en, int state_err, int overruled,
		 int n, char **names)
{
	static const struct ratchet_state none;
	struct ratchet_mask want = { { 0 } };
	bool absent[CATALOGUE_MAX] = { false };
	__u64 knobs = 0;
	int rc;

	if ((rc = wanted(c, n, names, &want, absent, &knobs)))
		return rc;
	if (state_err && state_err != -ENOENT) {
		printf("ratchet: cannot tell: ratchet's state is unreadable: %s%s\n",
		       strerror(-state_err),
		       state_err == -EACCES || state_err == -EPERM
			       ? " (run as root)"
			       : "");
		return EXIT_FAIL;
	}
	rc = report(c, state_err ? &none : st, en, &want, absent, knobs);
	return rc == EXIT_OK && overruled ? overruled_report(overruled) : rc;
}
