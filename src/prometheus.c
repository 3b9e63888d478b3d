// SPDX-License-Identifier: GPL-2.0
/*
 * prometheus.c - `ratchet status --prometheus`: the node_exporter textfile
 * collector format (Prometheus text exposition 0.0.4). Every restriction
 * the running kernel has gets a series, locked or not, so that an alert on
 * `ratchet_restriction_enforced == 0` sees a machine that never locked.
 */
#include <string.h>
#include "cli.h"

static void family(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A kernel value that may be unknown (-1): no sample rather than a guess. */
static void kernel_value(const char *name, const char *help, int v)
{
	if (v < 0)
		return;
	family(name, "gauge", help);
	printf("%s %d\n", name, !!v);
}

static void posture_metrics(const struct posture *p)
{
	static const char *const modes[] = { "none", "integrity",
					     "confidentiality" };
	size_t i;

	if (p->lockdown[0]) {
		family("ratchet_kernel_lockdown", "gauge",
		       "The kernel's built-in lockdown level (1 for the one in force).");
		for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
			printf("ratchet_kernel_lockdown{mode=\"%s\"} %d\n",
			       modes[i], !strcmp(p->lockdown, modes[i]));
	}
	kernel_value("ratchet_kernel_bpf_lsm", "Whether bpf is an active LSM.",
		     p->bpf_lsm);
	kernel_value("ratchet_kernel_btf", "Whether the kernel has BTF.",
		     p->btf);
	kernel_value("ratchet_kernel_kexec_load_disabled",
		     "kernel.kexec_load_disabled.", p->kexec_load_disabled);
	kernel_value("ratchet_kernel_modules_disabled",
		     "kernel.modules_disabled.", p->modules_disabled);
	kernel_value("ratchet_kernel_ftrace_enabled", "kernel.ftrace_enabled.",
		     p->ftrace_enabled);
	kernel_value("ratchet_kernel_kexec_loaded",
		     "Whether a kexec reboot image is loaded.",
		     p->kexec_loaded);
	kernel_value("ratchet_kernel_kexec_crash_loaded",
		     "Whether a crash kernel is loaded.",
		     p->kexec_crash_loaded);
	kernel_value("ratchet_kernel_secure_boot",
		     "Whether the machine booted with Secure Boot.",
		     p->secure_boot);
}

enum sample { PERMISSIVE, ENFORCED, DENIALS, PROBES, QUERIES };

/* What the kernel's facts leave unenforced (enforced.c); NULL: nothing. */
static const struct enforcement *lapses;

/* One sample of @what per restriction the running kernel has. */
static void per_restriction(const struct catalogue *c,
			    const struct ratchet_state *st, const char *name,
			    enum sample what)
{
	int i;

	for (i = 0; i < c->n; i++) {
		const struct restriction *r = &c->r[i];
		unsigned long long v;

		if (r->slot < 0)
			continue;
		if (what == DENIALS)
			v = st->denials[r->slot];
		else if (what == PROBES)
			v = st->probes[r->slot];
		else if (what == QUERIES)
			v = st->queries[r->slot];
		else
			v = ratchet_mask_test(what == ENFORCED
						      ? &st->enforce
						      : &st->permissive,
					      r->slot) &&
			    (what != ENFORCED || !lapses ||
			     enforced_slot(lapses, r->slot));
		printf("%s{restriction=\"%s\",class=\"%s\"} %llu\n", name,
		       r->name, rclass_name(r->cls), v);
	}
}

static void state_metrics(const struct catalogue *c,
			  const struct ratchet_state *st)
{
	char buf[48];
	int k;

	family("ratchet_restriction_enforced", "gauge",
	       "1 if ratchet enforces the restriction until reboot, by the kernel's facts.");
	per_restriction(c, st, "ratchet_restriction_enforced", ENFORCED);
	family("ratchet_restriction_permissive", "gauge",
	       "1 if the restriction only reports would-be denials.");
	per_restriction(c, st, "ratchet_restriction_permissive", PERMISSIVE);
	family("ratchet_denials_total", "counter",
	       "Operations refused (permissive: reported) per restriction since boot.");
	per_restriction(c, st, "ratchet_denials_total", DENIALS);
	family("ratchet_self_protection_denials_total", "counter",
	       "Attempts to undo or bypass the lock that were refused, since boot.");
	printf("ratchet_self_protection_denials_total %llu\n",
	       (unsigned long long)st->denials[RATCHET_SLOT_SELF]);
	family("ratchet_probes_total", "counter",
	       "Attempts by ratchet status --verify (a marked process), not in ratchet_denials_total.");
	per_restriction(c, st, "ratchet_probes_total", PROBES);
	family("ratchet_queries_total", "counter",
	       "Reads that only asked whether the operation would be allowed (answered no); never logged one by one.");
	per_restriction(c, st, "ratchet_queries_total", QUERIES);
	family("ratchet_events_logged_total", "counter",
	       "Events written to ratchet's event log since boot (the newest event's seq).");
	printf("ratchet_events_logged_total %llu\n",
	       (unsigned long long)st->events);
	family("ratchet_attempts_folded_total", "counter",
	       "Attempts folded into a summary event instead of logged one by one; the counters stay exact.");
	printf("ratchet_attempts_folded_total %llu\n",
	       (unsigned long long)st->folded);
	family("ratchet_sysctl_raise_only", "gauge",
	       "1 if the sysctl may only move to a stricter value until reboot.");
	for (k = 0; k < RATCHET_SYSCTL_END; k++)
		printf("ratchet_sysctl_raise_only{sysctl=\"%s\"} %d\n",
		       sysctl_knob_name(k, buf, sizeof(buf)),
		       !!(sysctls_in_force(st) & (1ULL << k)));
}

/* Whether the lock is complete, and each route still open (weak.c). */
static void route_metrics(const struct catalogue *c,
			  const struct ratchet_state *st)
{
	const struct weak_point *w[64];
	int i, n = weak_open(c, &st->enforce, w, 64);

	family("ratchet_lock_complete", "gauge",
	       "1 if no open route (module loading, kexec, /dev/mem, ...) could undo the lock.");
	printf("ratchet_lock_complete %d\n", !n);
	family("ratchet_route_open", "gauge",
	       "1 for each route that could undo the lock and is not closed.");
	for (i = 0; i < n && i < 64; i++)
		printf("ratchet_route_open{route=\"%s\"} 1\n", w[i]->name);
}

/* @st is all zero when nothing is locked. */
void prometheus_print(const struct catalogue *c, const struct posture *p,
		      const struct ratchet_state *st,
		      const struct enforcement *en, bool locked, int overruled)
{
	const char *why, *fix;

	lapses = en;

	family("ratchet_build_info", "gauge",
	       "The ratchet that wrote these metrics.");
	printf("ratchet_build_info{version=\"%s\"} 1\n", RATCHET_VERSION);
	family("ratchet_can_enforce", "gauge",
	       "1 if this kernel can enforce (bpf an active LSM, BTF, ftrace on).");
	printf("ratchet_can_enforce %d\n", !posture_check(p, &why, &fix));
	family("ratchet_locked", "gauge",
	       "1 once ratchet has locked anything since boot.");
	printf("ratchet_locked %d\n", locked);
	family("ratchet_not_enforced", "gauge",
	       "Facts a lock needs that fail (ratchet status names them); 0 when all hold.");
	printf("ratchet_not_enforced %d\n", enforced_lapses(en, st));
	family("ratchet_overruled", "gauge",
	       "1 if a BPF program could overrule the lock, or that could not be checked (ratchet status names it).");
	printf("ratchet_overruled %d\n", locked && overruled != 0);
	state_metrics(c, st);
	route_metrics(c, st);
	posture_metrics(p);
}
