// SPDX-License-Identifier: GPL-2.0
/*
 * enforced.c - what a lock enforces, derived from what the kernel shows
 * (facts.c), never from ratchet's own bookkeeping alone: the state says
 * what was asked; a restriction is in force only while every fact it rests
 * on holds (docs/threat-model.md, "What a lock is made of"):
 *  - each LSM program, tag-verified, attached by a link to its hook, and
 *    that link pinned (else it lasts only as long as whoever holds it);
 *  - the sysctl program at the cgroup v2 root (it keeps ftrace on);
 *  - nothing but ratchet's programs holding the state map: no fd, pin or
 *    iterator (usercnt), no other program or map (refcnt);
 *  - the tables map read-only to programs, frozen, holding what this
 *    ratchet computes (as ratchet_snapshot reads it), no fd, pin or
 *    iterator holding it (usercnt);
 *  - the pin mount in the initial mount namespace, ftrace on, and bpf an
 *    active LSM.
 * A fact that fails is a lapse, naming what failed and the restrictions
 * it leaves unenforced: the kernel reasons (locked_down), modules and
 * kexec-image (the read and load hooks), or all of them when the lock
 * itself can be undone. Pure: unit-tested in tests/unit/test_enforced.c.
 */
#include <string.h>
#include <linux/bpf.h>
#include "cli.h"

static struct lapse *add(struct enforcement *out, bool all)
{
	struct lapse *l;

	if (out->n == LAPSES_MAX)
		return NULL;
	l = &out->l[out->n++];
	memset(l, 0, sizeof(*l));
	l->all = all;
	return l;
}

/* What a program's hook leaves unenforced when it is not attached. */
static struct lapse *add_for(struct enforcement *out, const char *sec)
{
	struct lapse *l;
	int i;

	if (!strcmp(sec, "lsm/locked_down")) {
		if ((l = add(out, false)))
			for (i = 0; i < RATCHET_REASON_SLOTS; i++)
				ratchet_mask_set(&l->slots, i);
		return l;
	}
	if (!strcmp(sec, "lsm/kernel_load_data") ||
	    !strcmp(sec, "lsm/kernel_read_file") ||
	    !strcmp(sec, "lsm/kernel_post_load_data") ||
	    !strcmp(sec, "lsm/kernel_post_read_file")) {
		if ((l = add(out, false))) {
			ratchet_mask_set(&l->slots, RATCHET_SLOT_MODULES);
			ratchet_mask_set(&l->slots, RATCHET_SLOT_KEXEC_IMAGE);
		}
		return l;
	}
	/* Self-protection and the sysctl guard: without them, all can go. */
	return add(out, true);
}

/* Each LSM program linked to its hook, and the sysctl program attached. */
static void programs(const struct expected *e, const struct lock_view *v,
		     struct enforcement *out)
{
	struct lapse *l;
	int i;

	for (i = 0; i < e->n; i++) {
		const struct expected_prog *p = &e->p[i];

		if (!strncmp(p->sec, "lsm/", 4) && !v->link[i] &&
		    (l = add_for(out, p->sec)))
			snprintf(l->what, sizeof(l->what),
				 "%s is not attached to security_%s", p->name,
				 p->sec + 4);
		if (p->type == BPF_PROG_TYPE_CGROUP_SYSCTL && !v->sysctl &&
		    (l = add_for(out, p->sec)))
			snprintf(
				l->what, sizeof(l->what),
				"%s is not attached at the cgroup v2 root "
				"(kernel.ftrace_enabled and raise-only sysctls "
				"are unguarded)",
				p->name);
	}
	/*
	 * A pin that could not be checked (the pin mount hidden under another
	 * mount, or not reachable from this namespace) is unverified, never
	 * checked: a link without a pin lasts only as long as its holder.
	 */
	if (v->pins_checked < 0 && (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "the pins of ratchet's links cannot be checked from "
			 "here (the pin mount is covered or out of reach): "
			 "whether each link outlives its holder is unverified");
	for (i = 0; i < e->n; i++)
		if (v->pins_checked == 0 &&
		    !strcmp(e->p[i].name, v->unpinned) &&
		    (l = add_for(out, e->p[i].sec)))
			snprintf(
				l->what, sizeof(l->what),
				"the link of %s has no pin: it lasts only as long "
				"as whoever holds it",
				e->p[i].name);
}

/* Nothing but ratchet's programs may hold the state map. */
static void state_map(const struct lock_view *v, struct enforcement *out)
{
	const struct ratchet_map_view *m = &v->snap.state_map;
	struct lapse *l;

	if (m->usercnt && (l = add(out, true)))
		snprintf(
			l->what, sizeof(l->what),
			"ratchet's state map has %lld user reference%s (an fd, "
			"pin or iterator%s%s): a program of its holder can "
			"rewrite the policy",
			(long long)m->usercnt, m->usercnt == 1 ? "" : "s",
			v->holder[0] ? ", held by " : "", v->holder);
	if (v->nforeign && (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "%d program%s that %s not ratchet's use%s its state "
			 "map (id %u: %s)",
			 v->nforeign, v->nforeign == 1 ? "" : "s",
			 v->nforeign == 1 ? "is" : "are",
			 v->nforeign == 1 ? "s" : "", v->foreign[0].id,
			 v->foreign[0].name);
	else if (m->refcnt - m->usercnt != v->state_users &&
		 (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "ratchet's state map is held by something besides its "
			 "%d programs (%lld references): another map or a "
			 "program being loaded",
			 v->state_users, (long long)(m->refcnt - m->usercnt));
	if (!m->frozen && (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "ratchet's state map is not frozen");
}

/*
 * The tables map: read-only to programs, frozen, holding what this
 * ratchet computes, and held by no user. A user reference (an fd, pin or
 * iterator link made before the seal; none can be made after it) lets a
 * map element iterator rewrite the tables in place.
 */
static void tables_map(const struct lock_view *v, struct enforcement *out)
{
	const struct ratchet_map_view *m = &v->snap.tables_map;
	struct lapse *l;

	if ((!v->tables_rdonly || !m->frozen || !v->tables_match) &&
	    (l = add(out, true)))
		snprintf(l->what, sizeof(l->what), "ratchet's tables map %s",
			 !v->tables_rdonly ? "is not read-only to programs"
			 : !m->frozen	   ? "is not frozen"
			 : !v->snap.tables_read
				 ? "could not be read by ratchet_snapshot"
				 : "differs from what this ratchet computes "
				   "for this kernel");
	if (m->usercnt && (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "ratchet's tables map has %lld user reference%s (an "
			 "fd, pin or iterator): a map element iterator of its "
			 "holder can rewrite the tables",
			 (long long)m->usercnt, m->usercnt == 1 ? "" : "s");
}

/*
 * Each of the lock's maps as this ratchet declares it, and its seal time
 * within bounds (facts.c): what a look-alike made before the first lock
 * could get wrong with ratchet's exact programs.
 */
static void map_shapes(const struct expected *e, const struct lock_view *v,
		       struct enforcement *out)
{
	static const char *const names[ROLES] = {
		[ROLE_STATE] = "state",	  [ROLE_TABLES] = "tables",
		[ROLE_LOG] = "event_log", [ROLE_FOLDS] = "folds",
		[ROLE_MARKS] = "marks",
	};
	const struct map_shape *is = &v->bad_shape, *want;
	struct lapse *l;

	if (v->seal_bad && (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "ratchet's state says it sealed at %llu ns of boot "
			 "time, not between its programs' last load (%llu) and "
			 "now: programs loaded after the lock could keep fds",
			 (unsigned long long)v->snap.state.sealed_ns,
			 (unsigned long long)v->last_load);
	if (v->bad_map < 1 || v->bad_map > ROLES || !(l = add(out, true)))
		return;
	want = &e->maps[v->bad_map - 1];
	snprintf(l->what, sizeof(l->what),
		 "ratchet's %s map is not the map its programs were built "
		 "for: type %u, key %u, value %u, %u entries, flags %#x, "
		 "where this ratchet declares type %u, key %u, value %u, %u "
		 "entries, flags %#x",
		 names[v->bad_map - 1], is->type, is->key_size, is->value_size,
		 is->max_entries, is->flags, want->type, want->key_size,
		 want->value_size, want->max_entries, want->flags);
}

static void kernel(const struct lock_view *v, const struct posture *p,
		   struct enforcement *out)
{
	struct lapse *l;

	/* A namespace that dies takes its mounts, the pins among them. */
	if (!v->snap.pin.in_init_ns && (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "the pin mount is not in the initial mount namespace");
	if (v->snap.pin.unsafe && (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "the pin mount, or a mount above it, sits on a file "
			 "system that can detach it with no hook (procfs, "
			 "sysfs, debugfs, FUSE, NFS...)");

	if (p->ftrace_enabled == 0 && (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "kernel.ftrace_enabled is 0: every BPF trampoline, so "
			 "every ratchet program, is off");
	if (p->ftrace_enabled == -2 && (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "kernel.ftrace_enabled cannot be read from a fresh "
			 "proc instance: whether any ratchet program runs is "
			 "unverified");
	if (p->bpf_lsm == 0 && (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "bpf is not an active LSM: no program runs");
	if (p->bpf_lsm < 0 && (l = add(out, true)))
		snprintf(l->what, sizeof(l->what),
			 "the active LSMs cannot be read from a fresh "
			 "securityfs instance: whether any ratchet program "
			 "runs is unverified");
}

void enforced_derive(const struct expected *e, const struct lock_view *v,
		     const struct posture *p, struct enforcement *out)
{
	memset(out, 0, sizeof(*out));
	programs(e, v, out);
	state_map(v, out);
	tables_map(v, out);
	map_shapes(e, v, out);
	kernel(v, p, out);
}

/* Is @slot left enforced by every lapse? */
bool enforced_slot(const struct enforcement *en, int slot)
{
	int i;

	for (i = 0; i < en->n; i++)
		if (en->l[i].all || ratchet_mask_test(&en->l[i].slots, slot))
			return false;
	return true;
}

/*
 * The knobs ratchet_sysctl refuses to lower: a knob's bit counts only with
 * the sysctl restriction itself enforced or permissive (bpf/sysctl.h asks
 * verdict() of RATCHET_SLOT_SYSCTL); a bit raised alone refuses nothing.
 */
__u64 sysctls_in_force(const struct ratchet_state *st)
{
	struct ratchet_mask either = st->enforce;

	ratchet_mask_or(&either, &st->permissive);
	return ratchet_mask_test(&either, RATCHET_SLOT_SYSCTL) ? st->sysctls
							       : 0;
}

/* Does @l leave a restriction @st holds unenforced? */
bool lapse_relevant(const struct lapse *l, const struct ratchet_state *st)
{
	struct ratchet_mask held = st->enforce;
	int w;

	ratchet_mask_or(&held, &st->permissive);
	if (l->all)
		return true;
	for (w = 0; w < RATCHET_WORDS; w++)
		if (l->slots.w[w] & held.w[w])
			return true;
	return false;
}

/* How many lapses leave a restriction of @st unenforced. */
int enforced_lapses(const struct enforcement *en,
		    const struct ratchet_state *st)
{
	int i, n = 0;

	for (i = 0; i < en->n; i++)
		n += lapse_relevant(&en->l[i], st);
	return n;
}

/* What @l leaves unenforced of @st: "every restriction", or their names. */
const char *lapse_affects(const struct catalogue *c, const struct lapse *l,
			  const struct ratchet_state *st, char *buf, size_t len)
{
	struct ratchet_mask held = st->enforce;
	const struct restriction *r;
	size_t off = 0;

	if (l->all)
		return snprintf(buf, len, "every restriction"), buf;
	ratchet_mask_or(&held, &st->permissive);
	buf[0] = '\0';
	for_each_in_mask(r, c, &held)
		if (ratchet_mask_test(&l->slots, r->slot) && off < len)
			off += snprintf(buf + off, len - off, "%s%s",
					off ? " " : "", r->name);
	return buf;
}
