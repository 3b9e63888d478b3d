// SPDX-License-Identifier: GPL-2.0
/*
 * status.c - `ratchet status [--json|--prometheus|--check NAME...]`: what
 * ratchet enforces now and the kernel's own posture. Read-only; works on
 * any machine. --check is status-check.c, --prometheus prometheus.c.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <syslog.h>
#include <json-c/json.h>
#include <systemd/sd-journal.h>
#include "cli.h"

static const char *const out_of_scope =
	"ratchet cannot stop a different kernel or command line at the next "
	"boot, checks made only while booting (acpi-tables), or what was opened "
	"before a lock: file descriptors, mmaps, ioperm grants and BPF programs "
	"already loaded keep working.";

/* What the self-protection of the pin mount costs (docs/threat-model.md). */
static const char *const mount_costs =
	"after a lock, the initial mount namespace refuses mount --move and "
	"pivot_root, and any propagation change that reaches ratchet's mounts "
	"(mount --make-rshared / and the like); ratchet's mounts and the mounts "
	"above them cannot be unmounted, moved or removed. Other mounts, and "
	"other mount namespaces (containers, sandboxed services), are unaffected, "
	"unless mount_setattr(2) makes /run/ratchet shared or a slave: then every "
	"umount is refused until it is private again.";

/*
 * What the BPF self-protection refuses (docs/threat-model.md, "Another
 * BPF program that overrules ratchet"); whether LSM programs on ratchet's
 * hooks are among them depends on what the lock found the verifier
 * enforcing.
 */
static const char *const bpf_costs =
	"No BPF program that could overrule ratchet can be loaded or given an "
	"fd: fmod_ret on the security_* functions of ratchet's hooks, "
	"freplace of LSM, tracing, cgroup/sysctl or syscall programs, kprobes "
	"that override a return value or (7.x) write the registers they see, "
	"and kinds ratchet has not reasoned about "
	"(struct_ops other than TCP congestion control, qdiscs, HID and "
	"sched_ext; 7.x fsession and multi-attach tracing); no cgroup/sysctl "
	"program can be attached or detached anywhere. ";
static const char *const bpf_lsm_refused =
	"LSM and lsm_cgroup programs on ratchet's hooks are refused too: this "
	"kernel lets them return a positive value, which ends the chain. ";
static const char *const bpf_cgroup_refused =
	"LSM programs on ratchet's hooks load (this kernel's verifier keeps them "
	"to 0 or -errno: they can only refuse, before ratchet counts it); "
	"lsm_cgroup programs on them are refused: bpf_set_retval() can set a "
	"positive value here. ";
static const char *const bpf_lsm_allowed =
	"LSM and lsm_cgroup programs on ratchet's hooks load (this kernel's "
	"verifier keeps them to 0 or -errno: they can only refuse, before "
	"ratchet counts it). ";
static const char *const bpf_kept =
	"LSM programs on other hooks (systemd's RestrictFileSystems=, security "
	"agents), fentry, fexit, kprobes, tracepoints, iterators and cgroup "
	"programs other than sysctl keep working.";

struct view {
	struct catalogue cat;
	struct posture pos;
	struct lock_view lock; /* the lock as the kernel shows it */
	struct enforcement en; /* what of it is not in force, and why */
	struct ratchet_snapshot snap;
	struct ratchet_state st;
	int state_err; /* 0: state read; -ENOENT: nothing locked */
	bool verify;   /* --verify: each locked restriction probed */
	struct vresult ver[VERIFY_MAX];
	int nver;
	int overruled; /* -ENOTRECOVERABLE: rbpf_overrule() says by what */
	char costs[2048];
};

/* A restriction the state holds, and every fact it rests on holds. */
static bool in_force(const struct view *v, int slot)
{
	return enforced_slot(&v->en, slot);
}

static void costs_text(struct view *v)
{
	__u32 f = v->st.guard_flags;
	const char *lsm = !(f & RATCHET_GUARD_LSM_RANGES) ? bpf_lsm_refused
			  : !(f & RATCHET_GUARD_SET_RETVAL_RANGES)
				  ? bpf_cgroup_refused
				  : bpf_lsm_allowed;

	snprintf(v->costs, sizeof(v->costs), "%s %s%s%s", mount_costs,
		 bpf_costs, lsm, bpf_kept);
}

static struct json_object *tristate(int v)
{
	return v < 0 ? NULL : json_object_new_int(v);
}

static struct json_object *restrictions_json(const struct view *v)
{
	struct json_object *arr = json_object_new_array();
	int i;

	for (i = 0; i < v->cat.n; i++) {
		const struct restriction *r = &v->cat.r[i];
		struct json_object *o;

		if (r->slot < 0 || !strcmp(mode_name(&v->st, r->slot), "off"))
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "name",
				       json_object_new_string(r->name));
		json_object_object_add(
			o, "mode",
			json_object_new_string(mode_name(&v->st, r->slot)));
		json_object_object_add(
			o, "denials",
			json_object_new_uint64(v->st.denials[r->slot]));
		json_object_object_add(
			o, "in_force",
			json_object_new_boolean(in_force(v, r->slot)));
		json_object_object_add(
			o, "probes",
			json_object_new_uint64(v->st.probes[r->slot]));
		json_object_object_add(
			o, "queries",
			json_object_new_uint64(v->st.queries[r->slot]));
		json_object_array_add(arr, o);
	}
	return arr;
}

static const char *hook_state(const struct hook_proto *h)
{
	return h->status == -ENOENT ? "missing" : h->status ? "differs" : "ok";
}

/* The hooks the BPF programs attach to, as this kernel declares them. */
static struct json_object *hooks_json(void)
{
	struct json_object *arr = json_object_new_array();
	struct hook_proto h[HOOKS_MAX];
	const struct btf *btf = kernel_btf();
	int i, n = btf ? features_hooks(btf, h, HOOKS_MAX, NULL) : 0;

	for (i = 0; i < n && i < HOOKS_MAX; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "hook",
				       json_object_new_string(h[i].hook));
		json_object_object_add(
			o, "state", json_object_new_string(hook_state(&h[i])));
		json_object_object_add(
			o, "kernel_params",
			h[i].status == -ENOENT
				? NULL
				: json_object_new_string(h[i].params));
		json_object_object_add(o, "ratchet_reads",
				       json_object_new_string(h[i].reads));
		json_object_array_add(arr, o);
	}
	return arr;
}

static void hooks_text(void)
{
	struct hook_proto h[HOOKS_MAX];
	const struct btf *btf = kernel_btf();
	int i, n = btf ? features_hooks(btf, h, HOOKS_MAX, NULL) : 0, ok = 0;

	for (i = 0; i < n && i < HOOKS_MAX; i++) {
		if (h[i].status)
			printf("  LSM hook %-13s %s: kernel (%s), ratchet reads (%s)\n",
			       h[i].hook, hook_state(&h[i]), h[i].params,
			       h[i].reads);
		else if (h[i].extra[0])
			printf("  LSM hook %-13s ok; kernel appends (%s), not read\n",
			       h[i].hook, h[i].extra);
		ok += !h[i].status;
	}
	if (n)
		printf("  LSM hooks              %d of %d as ratchet reads them\n",
		       ok, n);
}

static struct json_object *kernel_json(const struct posture *p)
{
	struct json_object *k = json_object_new_object();

	json_object_object_add(
		k, "lockdown",
		p->lockdown[0] ? json_object_new_string(p->lockdown) : NULL);
	json_object_object_add(
		k, "lsm", p->lsm[0] ? json_object_new_string(p->lsm) : NULL);
	json_object_object_add(
		k, "bpf_lsm",
		p->bpf_lsm < 0 ? NULL : json_object_new_boolean(p->bpf_lsm));
	json_object_object_add(k, "btf", json_object_new_boolean(p->btf));
	json_object_object_add(k, "kexec_load_disabled",
			       tristate(p->kexec_load_disabled));
	json_object_object_add(k, "modules_disabled",
			       tristate(p->modules_disabled));
	json_object_object_add(k, "ftrace_enabled",
			       tristate(p->ftrace_enabled));
	json_object_object_add(k, "kexec_loaded", tristate(p->kexec_loaded));
	json_object_object_add(k, "kexec_crash_loaded",
			       tristate(p->kexec_crash_loaded));
	json_object_object_add(k, "efi", json_object_new_boolean(p->efi));
	json_object_object_add(
		k, "secure_boot",
		p->secure_boot < 0 ? NULL
				   : json_object_new_boolean(p->secure_boot));
	json_object_object_add(k, "lsm_hooks", hooks_json());
	return k;
}

static struct json_object *sysctls_json(__u64 knobs)
{
	struct json_object *arr = json_object_new_array();
	char buf[48];
	int k;

	for_each_knob(k, knobs)
		json_object_array_add(
			arr, json_object_new_string(
				     sysctl_knob_name(k, buf, sizeof(buf))));
	return arr;
}

/*
 * Every program loaded before the lock, into *@p (malloc'd, NULL on
 * failure): the count, or -errno. No cap: decoys loaded first must not
 * push the one that matters off the list.
 */
static int programs_before(const struct view *v, struct prog_note **p)
{
	struct prog_note *np;
	int n, cap = 32, tries;

	*p = NULL;
	for (tries = 0; tries < 4; tries++) {
		if (!(np = realloc(*p, (size_t)cap * sizeof(*np))))
			break;
		*p = np;
		n = rbpf_programs_before(&v->st, np, cap);
		if (n <= cap)
			return n;
		cap = n + 16; /* more were loaded meanwhile */
	}
	free(*p);
	*p = NULL;
	return -ENOMEM;
}

static struct json_object *programs_before_json(const struct view *v,
						struct json_object *errs)
{
	struct json_object *a = json_object_new_array();
	struct prog_note *p;
	int i, n = programs_before(v, &p);

	if (n < 0)
		json_object_array_add(errs,
				      json_object_new_string(strerror(-n)));

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "id", json_object_new_int64(p[i].id));
		json_object_object_add(
			e, "type",
			json_object_new_string(rbpf_prog_type(p[i].type)));
		json_object_object_add(e, "name",
				       json_object_new_string(p[i].name));
		json_object_array_add(a, e);
	}
	free(p);
	return a;
}

/* The guarded files held open; what kept the list from being whole. */
static struct json_object *files_open_json(struct json_object *errs)
{
	struct json_object *a = json_object_new_array();
	const char *why;
	struct fd_note *f;
	int i, n = residue_open_files(&f, &why);

	if (n < 0 || why)
		json_object_array_add(
			errs,
			json_object_new_string(n < 0 ? strerror(-n) : why));
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "pid",
				       json_object_new_int64(f[i].pid));
		json_object_object_add(e, "comm",
				       json_object_new_string(f[i].comm));
		json_object_object_add(e, "path",
				       json_object_new_string(f[i].path));
		json_object_array_add(a, e);
	}
	free(f);
	return a;
}

/* Loop devices on a guarded file; those that could not be told, with why. */
static struct json_object *loops_json(struct json_object *errs)
{
	struct json_object *a = json_object_new_array();
	struct loop_note *l;
	int i, n = residue_loop_devices(&l);

	if (n < 0)
		json_object_array_add(errs,
				      json_object_new_string(strerror(-n)));

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "device",
				       json_object_new_string(l[i].dev));
		json_object_object_add(
			e, "path",
			json_object_new_string(l[i].why[0] ? "unknown"
							   : l[i].path));
		if (l[i].why[0])
			json_object_object_add(
				e, "why", json_object_new_string(l[i].why));
		json_object_array_add(a, e);
	}
	free(l);
	return a;
}

/* What the lock cannot take back, where status can see it. */
static struct json_object *residue_json(const struct view *v)
{
	struct json_object *o = json_object_new_object();
	struct json_object *errs = json_object_new_array();

	json_object_object_add(o, "bpf_programs_loaded_before_lock",
			       programs_before_json(v, errs));
	json_object_object_add(o, "guarded_files_open", files_open_json(errs));
	json_object_object_add(o, "loop_devices_on_guarded_files",
			       loops_json(errs));
	/* A list that could not be made whole is never an empty one. */
	json_object_object_add(o, "incomplete", errs);
	return o;
}

/* Route E: the refusal stands, the audit trail misses it. */
static void first_text(void)
{
	const struct first_note *f;
	int i, n = rbpf_runs_first(&f);

	for (i = 0; i < n; i++)
		printf("  warning: BPF LSM program %u (%s) on lsm/%s runs before ratchet's: what it refuses there is not counted or logged\n",
		       f[i].id, f[i].name, f[i].hook);
}

/* Loop devices on a guarded file, or that could not be told. */
static void loops_text(void)
{
	struct loop_note *l;
	int i, n = residue_loop_devices(&l);

	if (n < 0)
		printf("warning: could not look for loop devices on guarded files: %s\n",
		       strerror(-n));
	for (i = 0; i < n; i++)
		if (l[i].why[0])
			printf("warning: loop device %s: cannot tell what it reads (%s); one bound to /proc/kcore before the lock reads it for whoever opens it\n",
			       l[i].dev, l[i].why);
		else
			printf("warning: /dev/%s reads %s for whoever opens it (bound before the lock); detach it: losetup -d /dev/%s\n",
			       l[i].dev, l[i].path, l[i].dev);
	free(l);
}

static void residue_text(const struct view *v)
{
	struct prog_note *p;
	struct fd_note *f;
	const char *why;
	int i, n;

	n = programs_before(v, &p);
	if (n < 0)
		printf("warning: could not list the BPF programs loaded before the lock: %s\n",
		       strerror(-n));
	for (i = 0; i < n; i++)
		printf("warning: BPF program %u (%s %s) was loaded before the lock and keeps its helpers\n",
		       p[i].id, rbpf_prog_type(p[i].type), p[i].name);
	free(p);
	n = residue_open_files(&f, &why);
	if (n < 0 || why)
		printf("warning: the list of guarded files held open is not whole: %s\n",
		       n < 0 ? strerror(-n) : why);
	for (i = 0; i < n; i++)
		printf("warning: %s[%d] holds %s open; a lock only checks new opens\n",
		       f[i].comm, f[i].pid, f[i].path);
	free(f);
	loops_text();
}

/* Programs that refuse before ratchet's on its hooks, uncounted. */
static struct json_object *first_json(void)
{
	struct json_object *a = json_object_new_array();
	const struct first_note *f;
	int i, n = rbpf_runs_first(&f);

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "id", json_object_new_int64(f[i].id));
		json_object_object_add(e, "name",
				       json_object_new_string(f[i].name));
		json_object_object_add(e, "hook",
				       json_object_new_string(f[i].hook));
		json_object_array_add(a, e);
	}
	return a;
}

/* The lock's programs, found by the tags this ratchet computes. */
static struct json_object *programs_json(const struct view *v)
{
	struct json_object *arr = json_object_new_array();
	const struct expected *e = v->lock.exp;
	char tag[2 * TAG_LEN + 1];
	int i;

	for (i = 0; e && i < e->n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name",
				       json_object_new_string(e->p[i].name));
		json_object_object_add(
			o, "tag",
			json_object_new_string(tag_str(e->p[i].tag, tag)));
		json_object_object_add(
			o, "id",
			v->lock.prog[i] ? json_object_new_int64(v->lock.prog[i])
					: NULL);
		json_object_object_add(
			o, "link",
			v->lock.link[i] ? json_object_new_int64(v->lock.link[i])
					: NULL);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* Each fact that fails, with the restrictions it leaves unenforced. */
static struct json_object *lapses_json(const struct view *v)
{
	struct json_object *arr = json_object_new_array();
	struct ratchet_mask held = v->st.enforce;
	const struct restriction *r;
	int i;

	ratchet_mask_or(&held, &v->st.permissive);
	for (i = 0; i < v->en.n; i++) {
		const struct lapse *l = &v->en.l[i];
		struct json_object *o, *names;

		if (!lapse_relevant(l, &v->st))
			continue;
		o = json_object_new_object();
		names = json_object_new_array();
		for_each_in_mask(r, &v->cat, &held)
			if (l->all || ratchet_mask_test(&l->slots, r->slot))
				json_object_array_add(
					names, json_object_new_string(r->name));
		json_object_object_add(o, "what",
				       json_object_new_string(l->what));
		json_object_object_add(o, "every_restriction",
				       json_object_new_boolean(l->all));
		json_object_object_add(o, "restrictions", names);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* The first lines of `status`: one per fact that fails. */
static void lapses_text(const struct view *v)
{
	char buf[1024];
	int i;

	for (i = 0; i < v->en.n; i++)
		if (lapse_relevant(&v->en.l[i], &v->st))
			printf("ratchet: NOT ENFORCED: %s: %s\n",
			       lapse_affects(&v->cat, &v->en.l[i], &v->st, buf,
					     sizeof(buf)),
			       v->en.l[i].what);
}

/* One journal line per status that finds the lock not in force. */
static void lapses_journal(const struct view *v)
{
	char line[2048];
	size_t off = 0;
	int i;

	for (i = 0; i < v->en.n && off < sizeof(line); i++)
		if (lapse_relevant(&v->en.l[i], &v->st))
			off += snprintf(line + off, sizeof(line) - off, "%s%s",
					off ? "; " : "", v->en.l[i].what);
	if (off)
		sd_journal_print(LOG_CRIT, "ratchet: NOT ENFORCED: %s", line);
}

/* Would an umount anywhere be refused because the pins are exposed? */
static bool pins_exposed(const struct ratchet_pin_view *pv)
{
	return pv->parent_group || pv->parent_master || !pv->depth;
}

static struct json_object *pins_json(const struct view *v)
{
	const struct ratchet_pin_view *pv = &v->snap.pin;
	struct json_object *o = json_object_new_object();
	struct pin_place p;
	int err = pins_locate(&v->snap, &p);

	json_object_object_add(o, "mount_id",
			       json_object_new_int64(pv->mnt_id));
	json_object_object_add(o, "initial_namespace",
			       json_object_new_boolean(pv->in_init_ns));
	json_object_object_add(o, "detachable",
			       json_object_new_boolean(pv->unsafe));
	json_object_object_add(o, "path",
			       err ? NULL : json_object_new_string(p.path));
	json_object_object_add(
		o, "hidden_by",
		p.hidden_by[0] ? json_object_new_string(p.hidden_by) : NULL);
	json_object_object_add(
		o, "here", p.here[0] ? json_object_new_string(p.here) : NULL);
	json_object_object_add(o, "here_reachable",
			       json_object_new_boolean(p.here_reachable));
	json_object_object_add(o, "parent",
			       json_object_new_string(pins_parent_state(pv)));
	json_object_object_add(o, "umount_refused_everywhere",
			       json_object_new_boolean(pins_exposed(pv)));
	return o;
}

static void pins_text(const struct view *v)
{
	const struct ratchet_pin_view *pv = &v->snap.pin;
	struct pin_place p;

	if (pins_locate(&v->snap, &p))
		printf("  pins                   mount %u, not found in the initial mount namespace\n",
		       pv->mnt_id);
	else
		printf("  pins                   %s (mount %u%s)%s%s\n", p.path,
		       pv->mnt_id, p.other_ns ? ", as PID 1 sees it" : "",
		       p.hidden_by[0] ? ", hidden under a mount at " : "",
		       p.hidden_by);
	if (p.other_ns && !p.here[0])
		printf("  from this namespace    not mounted (the lock holds all the same)\n");
	else if (p.other_ns)
		printf("  from this namespace    %s%s\n", p.here,
		       p.here_reachable ? "" : ", covered");
	printf("  pin mount's parent     %s%s\n", pins_parent_state(pv),
	       pins_exposed(pv)
		       ? ": an umount could reach the pins, so every umount is refused "
			 "until " RATCHET_RUN_DIR
			 " is private again (fail closed)"
		       : "");
}

/* The routes that could undo this lock (weak.c); none: complete. */
static struct json_object *routes_json(const struct view *v)
{
	const struct weak_point *w[64];
	struct json_object *a = json_object_new_array(), *o;
	int i, n = weak_open(&v->cat, &v->st.enforce, w, 64);

	for (i = 0; i < n && i < 64; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "route",
				       json_object_new_string(w[i]->name));
		json_object_object_add(
			o, "closed_by_also",
			w[i]->also ? json_object_new_string(w[i]->also) : NULL);
		json_object_object_add(o, "reaches",
				       json_object_new_string(w[i]->reaches));
		json_object_array_add(a, o);
	}
	return a;
}

static void status_json(const struct view *v)
{
	struct json_object *o = json_object_new_object();
	struct json_object *r = json_object_new_object();
	const char *why, *fix;

	posture_check(&v->pos, &why, &fix);
	json_object_object_add(r, "can_enforce", json_object_new_boolean(!why));
	if (why)
		json_object_object_add(r, "cannot_enforce_because",
				       json_object_new_string(why));

	json_object_object_add(r, "locked",
			       json_object_new_boolean(!v->state_err));
	if (v->state_err && v->state_err != -ENOENT)
		json_object_object_add(
			r, "error",
			json_object_new_string(strerror(-v->state_err)));
	json_object_object_add(r, "restrictions",
			       v->state_err ? json_object_new_array()
					    : restrictions_json(v));
	if (!v->state_err) {
		json_object_object_add(
			r, "self_protection_denials",
			json_object_new_uint64(
				v->st.denials[RATCHET_SLOT_SELF]));
		json_object_object_add(
			r, "self_protection_probes",
			json_object_new_uint64(
				v->st.probes[RATCHET_SLOT_SELF]));
		json_object_object_add(r, "events_logged",
				       json_object_new_uint64(v->st.events));
		json_object_object_add(r, "attempts_folded",
				       json_object_new_uint64(v->st.folded));
		json_object_object_add(r, "raise_only_sysctls",
				       sysctls_json(sysctls_in_force(&v->st)));
		json_object_object_add(r, "enforced",
				       json_object_new_boolean(!enforced_lapses(
					       &v->en, &v->st)));
		json_object_object_add(r, "not_enforced", lapses_json(v));
		json_object_object_add(r, "programs", programs_json(v));
		json_object_object_add(
			r, "complete",
			json_object_new_boolean(
				!weak_open(&v->cat, &v->st.enforce, NULL, 0)));
		json_object_object_add(r, "open_routes", routes_json(v));
		if (v->verify)
			json_object_object_add(r, "verify",
					       verify_json(v->ver, v->nver));
		json_object_object_add(r, "survives_the_lock", residue_json(v));
		json_object_object_add(r, "pins", pins_json(v));
		json_object_object_add(r, "self_protection_costs",
				       json_object_new_string(v->costs));
		json_object_object_add(r, "program_loads",
				       json_object_new_int64(v->st.prog_loads));
		json_object_object_add(r, "refused_uncounted_by", first_json());
		if (v->overruled)
			json_object_object_add(
				r, "overruled_by",
				json_object_new_string(
					v->overruled == -ENOTRECOVERABLE
						? rbpf_overrule()
						: strerror(-v->overruled)));
	}
	json_object_object_add(
		o, "schema_version",
		json_object_new_int(RATCHET_JSON_SCHEMA_VERSION));
	json_object_object_add(o, "ratchet", r);
	json_object_object_add(o, "kernel", kernel_json(&v->pos));
	json_object_object_add(o, "out_of_scope",
			       json_object_new_string(out_of_scope));
	json_print(o);
}

static const char *yesno(int v)
{
	return v < 0 ? "unknown" : v ? "yes" : "no";
}

/* One restriction: its mode and counters, probes and queries if any. */
static void restriction_text(const struct view *v, const struct restriction *r,
			     const char *mode)
{
	const struct ratchet_state *st = &v->st;

	printf("  %-22s %-10s %llu denials", r->name, mode,
	       (unsigned long long)st->denials[r->slot]);
	if (st->probes[r->slot])
		printf(", %llu probes",
		       (unsigned long long)st->probes[r->slot]);
	if (st->queries[r->slot])
		printf(", %llu queries answered no",
		       (unsigned long long)st->queries[r->slot]);
	printf("%s\n", in_force(v, r->slot) ? "" : "  NOT ENFORCED");
}

static void ratchet_text(const struct view *v)
{
	int i, any = 0;

	if (v->state_err == -ENOENT) {
		printf("ratchet: nothing locked\n");
		return;
	}
	if (v->state_err) {
		printf("ratchet: state unreadable: %s%s\n",
		       strerror(-v->state_err),
		       v->state_err == -EACCES || v->state_err == -EPERM
			       ? " (run as root)"
			       : "");
		return;
	}
	lapses_text(v);
	printf("ratchet: locked until reboot%s\n",
	       enforced_lapses(&v->en, &v->st)
		       ? " (as the state says; not all in force, above)"
		       : "");
	if (v->overruled == -ENOTRECOVERABLE)
		printf("  OVERRULED: %s; only a reboot clears it\n",
		       rbpf_overrule());
	else if (v->overruled)
		printf("  could not check what runs beside ratchet's programs: %s\n",
		       strerror(-v->overruled));
	pins_text(v);
	residue_text(v);
	for (i = 0; i < v->cat.n; i++) {
		const struct restriction *r = &v->cat.r[i];
		const char *m =
			r->slot < 0 ? "off" : mode_name(&v->st, r->slot);

		if (strcmp(m, "off")) {
			restriction_text(v, r, m);
			any = 1;
		}
	}
	if (!any)
		printf("  (no restriction raised yet)\n");
	if (sysctls_in_force(&v->st)) {
		char buf[48];
		int k;

		printf("  raise-only sysctls (%s):",
		       mode_name(&v->st, RATCHET_SLOT_SYSCTL));
		for_each_knob(k, sysctls_in_force(&v->st))
			printf(" %s", sysctl_knob_name(k, buf, sizeof(buf)));
		printf("\n");
	}
	weak_print(stdout, &v->cat, &v->st.enforce, "  ");
	printf("  self-protection refused %llu attempts; %llu events logged, %llu "
	       "attempts folded into them\n",
	       (unsigned long long)v->st.denials[RATCHET_SLOT_SELF],
	       (unsigned long long)v->st.events,
	       (unsigned long long)v->st.folded);
	first_text();
	/* The log can be forged or silenced; the restrictions still hold. */
	if (v->lock.audit_users || v->lock.audit_foreign)
		printf("  event log NOT ratchet's alone: %lld user reference%s, "
		       "%d program%s not ratchet's%s%s: its events may be "
		       "forged or missing\n",
		       v->lock.audit_users, v->lock.audit_users == 1 ? "" : "s",
		       v->lock.audit_foreign,
		       v->lock.audit_foreign == 1 ? "" : "s",
		       v->lock.audit_holder[0] ? "; held by " : "",
		       v->lock.audit_holder);
}

static void kernel_text(const struct posture *p)
{
	const char *why, *fix;

	if (posture_check(p, &why, &fix))
		printf("ratchet cannot enforce here: %s (fix: %s)\n", why, fix);
	printf("kernel:\n");
	printf("  built-in lockdown      %s\n",
	       p->lockdown[0]
		       ? p->lockdown
		       : "unknown (securityfs not mounted or no lockdown LSM)");
	printf("  bpf LSM active         %s\n", yesno(p->bpf_lsm));
	printf("  kernel BTF             %s\n", yesno(p->btf));
	printf("  kexec_load_disabled    %s\n", yesno(p->kexec_load_disabled));
	printf("  modules_disabled       %s\n", yesno(p->modules_disabled));
	printf("  ftrace_enabled         %s\n", yesno(p->ftrace_enabled));
	printf("  kexec image loaded     %s\n", yesno(p->kexec_loaded));
	printf("  crash image loaded     %s\n", yesno(p->kexec_crash_loaded));
	printf("  secure boot            %s\n",
	       p->efi ? yesno(p->secure_boot) : "no EFI");
	hooks_text();
}

enum status_format {
	ST_TEXT,
	ST_JSON = OPT_LONG_ONLY,
	ST_PROMETHEUS,
	ST_CHECK
};

/* ARGS_GO_ON, or the exit code. */
static int parse_args(int argc, char **argv, enum status_format *fmt,
		      const char **output, bool *verify)
{
	enum { OPT_OUTPUT = ST_CHECK + 1, OPT_VERIFY };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, ST_JSON },
		{ "prometheus", no_argument, NULL, ST_PROMETHEUS },
		{ "check", no_argument, NULL, ST_CHECK },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "verify", no_argument, NULL, OPT_VERIFY },
		ARGS_HELP_AND_END,
	};
	int opt, rc;

	while ((opt = args_next(argc, argv, "", opts, &rc)) != -1) {
		if (opt == ARGS_EXIT)
			return rc;
		if (opt == OPT_OUTPUT) {
			*output = optarg;
		} else if (opt == OPT_VERIFY) {
			*verify = true;
		} else if (*fmt && *fmt != (enum status_format)opt) {
			fprintf(stderr,
				"ratchet status: one of --json, --prometheus, --check\n");
			return command_usage(argv[0], EXIT_USAGE);
		} else {
			*fmt = opt;
		}
	}
	if (*fmt == ST_CHECK && optind == argc) {
		fprintf(stderr,
			"ratchet status: --check needs at least one NAME\n");
		return command_usage(argv[0], EXIT_USAGE);
	}
	if (*fmt == ST_CHECK && *verify) {
		fprintf(stderr,
			"ratchet status: --check reads the state; --verify goes with the other formats\n");
		return command_usage(argv[0], EXIT_USAGE);
	}
	if (*fmt == ST_CHECK && *output) {
		fprintf(stderr,
			"ratchet status: --check answers with its exit status; no --output\n");
		return command_usage(argv[0], EXIT_USAGE);
	}
	return *fmt == ST_CHECK ? ARGS_GO_ON : args_none_left(argc, argv);
}

/*
 * A kexec reboot image loaded (or not known not to be) under a lock of
 * kexec: kexec -e boots it past the lock (reboot(2) asks no LSM,
 * kernel/reboot.c, 6.1 to 7.2), so neither kexec nor kexec-image holds.
 * One loaded while a lock was made (red team 17) is said so by the lock;
 * one loaded before a lock with --allow-loaded-kexec was let be, and
 * still boots.
 */
static void kexec_lapse(struct view *v)
{
	const struct restriction *k = catalogue_find(&v->cat, "kexec");
	struct lapse *l;

	if (!v->pos.kexec_loaded || v->pos.kexec_loaded == -1 ||
	    v->en.n == LAPSES_MAX)
		return;
	l = &v->en.l[v->en.n++];
	memset(l, 0, sizeof(*l));
	ratchet_mask_set(&l->slots, RATCHET_SLOT_KEXEC_IMAGE);
	if (k && k->slot >= 0)
		ratchet_mask_set(&l->slots, (__u32)k->slot);
	snprintf(l->what, sizeof(l->what),
		 v->pos.kexec_loaded == 1
			 ? "a kexec reboot image is loaded: kexec -e boots it, "
			   "past the lock"
			 : "whether a kexec reboot image is loaded cannot be "
			   "read: kexec -e would boot one past the lock");
}

/* --verify: probe what the state says is locked; exit code on failure. */
static int run_verify(struct view *v)
{
	int n;

	if (v->state_err)
		return EXIT_OK; /* nothing locked (or unreadable): said by status */
	n = verify_run(&v->cat, &v->st, &v->pos, v->ver, VERIFY_MAX);
	if (n < 0) {
		fprintf(stderr, "ratchet: cannot verify while %s: %s\n",
			rbpf_last_step(), strerror(-n));
		return EXIT_FAIL;
	}
	v->nver = n;
	/* What status shows then counts the probes just made. */
	if (!rbpf_read_snapshot(&v->snap))
		v->st = v->snap.state;
	return EXIT_OK;
}

static int status_print(const struct view *v, enum status_format fmt)
{
	switch (fmt) {
	case ST_JSON:
		status_json(v);
		break;
	case ST_PROMETHEUS:
		if (v->state_err && v->state_err != -ENOENT) {
			fprintf(stderr,
				"ratchet: cannot read ratchet's state: %s%s; no metrics written\n",
				strerror(-v->state_err),
				v->state_err == -EACCES ||
						v->state_err == -EPERM
					? " (run as root)"
					: "");
			return EXIT_FAIL;
		}
		prometheus_print(&v->cat, &v->pos, &v->st, &v->en,
				 !v->state_err, v->overruled);
		if (v->verify)
			verify_prometheus(v->ver, v->nver);
		break;
	default:
		ratchet_text(v);
		if (v->verify && !v->state_err)
			verify_text(v->ver, v->nver);
		kernel_text(&v->pos);
		printf("scope: %s\n", out_of_scope);
		if (!v->state_err)
			printf("costs: %s\n", v->costs);
	}
	return EXIT_OK;
}

int cmd_status(int argc, char **argv)
{
	static struct view v;
	enum status_format fmt = ST_TEXT;
	const char *output = NULL;
	struct outfile out;
	int rc, err;

	if ((rc = parse_args(argc, argv, &fmt, &output, &v.verify)) !=
	    ARGS_GO_ON)
		return rc;
	if (v.verify && (rc = args_need_root("status --verify", NULL)))
		return rc;
	catalogue_load(&v.cat, NULL);
	posture_read(&v.pos);
	v.state_err = rbpf_view(&v.lock, &v.en, &v.pos);
	v.snap = v.lock.snap;
	v.st = v.snap.state;
	if (v.state_err) {
		memset(&v.st, 0, sizeof(v.st));
		memset(&v.en, 0, sizeof(v.en));
	} else {
		/* Every format: the metrics are what alerts read. */
		v.overruled = rbpf_check_overrule(&v.snap);
		kexec_lapse(&v);
	}
	lapses_journal(&v);
	costs_text(&v);
	if (fmt == ST_CHECK)
		return status_check(&v.cat, &v.st, &v.en, v.state_err,
				    v.overruled, argc - optind, argv + optind);
	if (v.verify && (err = run_verify(&v)))
		return err;
	if (output && (err = outfile_begin(&out, output))) {
		fprintf(stderr, "ratchet: cannot write beside %s: %s\n", output,
			strerror(-err));
		return EXIT_FAIL;
	}
	rc = status_print(&v, fmt);
	if (output && rc)
		outfile_abort(&out);
	else if (output && (err = outfile_commit(&out))) {
		fprintf(stderr, "ratchet: cannot write %s: %s\n", output,
			strerror(-err));
		rc = EXIT_FAIL;
	}
	/* Written all the same: the metrics are what alerts read. */
	if (!rc && v.verify && verify_failed(v.ver, v.nver))
		rc = EXIT_FAIL;
	return rc;
}
