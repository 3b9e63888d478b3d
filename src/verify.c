// SPDX-License-Identifier: GPL-2.0
/*
 * verify.c - `ratchet status --verify`: for each locked restriction with
 * a harmless probe (probes.c), try it and report what the kernel did.
 *
 * Each probe runs in a child process of its own, which marks itself as
 * probing through ratchet's ratchet_mark program first: the attempt is
 * then counted in the restriction's probe counter, not its denials, and
 * its event is flagged as a probe. The counter, read before and after
 * through the snapshot, tells whether ratchet's own check refused it, or
 * another check before it. The child exits at once, so nothing it opened
 * or was granted outlives it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include "cli.h"
#include "probes.h"

static const struct {
	const char *name; /* the restriction */
	const char *what; /* the probe, for people */
	probe_fn fn;
} table[] = {
	{ "dev-mem", "open of /dev/mem, read-only, closed at once",
	  probe_dev_mem },
	{ "kcore", "open of /proc/kcore, closed at once", probe_kcore },
	{ "efi-test", "open of /dev/efi_test, closed at once", probe_efi_test },
	{ "ioport", "ioperm of port 0x80, released at once", probe_ioport },
	{ "kexec", "kexec_load for another architecture", probe_kexec_load },
	{ "kexec-image", "kexec_load for another architecture",
	  probe_kexec_load },
	{ "kexec-image", "kexec_file_load of a junk file", probe_kexec_file },
	{ "modules", "init_module of 64 junk bytes", probe_init_module },
	{ "modules", "finit_module of a junk file", probe_finit_module },
	{ "modules", "finit_module of a junk file, flagged compressed",
	  probe_finit_compressed },
	{ "module-signature", "init_module of 64 unsigned junk bytes",
	  probe_init_module },
	{ "bpf-read-kernel",
	  "load of a kprobe program calling bpf_probe_read_kernel, never attached",
	  probe_bpf_read_kernel },
	{ "bpf-write-user",
	  "load of a kprobe program calling bpf_probe_write_user, never attached",
	  probe_bpf_write_user },
	{ "msr", "a 1-byte write to /dev/cpu/0/msr (MSRs take 8)", probe_msr },
	{ "pci-access", "an empty write to a device's config space",
	  probe_pci_access },
	{ "tiocsserial",
	  "TIOCSSERIAL moving an idle serial port, with a baud base refused after the check",
	  probe_tiocsserial },
	{ "debugfs",
	  "read-only open of the writable debugfs file clear_warn_once",
	  probe_debugfs },
	{ "tracefs", "open of tracefs' README", probe_tracefs },
	{ "kprobes", "a kprobe perf event at an invalid address",
	  probe_kprobes },
	{ "perf",
	  "perf_event_open of register samples, with flags refused after the check",
	  probe_perf },
	{ "hibernation", "read of /sys/power/state (a query)",
	  probe_hibernation },
	{ "xfrm-secret", "dump of the keys of IPsec SAs the machine has",
	  probe_xfrm },
	{ "acpi-tables", "a 1-byte write to custom_method", probe_acpi_tables },
};

/* Locked restrictions no probe can try without changing the machine. */
static const struct {
	const char *name, *why;
} untried[] = {
	{ "module-parameters",
	  "checked when a module is loaded with, or written, a hardware parameter: both change the machine" },
	{ "mmiotrace", "only the testmmiotrace module checks it, as it loads" },
	{ "pcmcia-cis",
	  "replacing a card's information structure changes the card" },
	{ "dbg-write-kernel", "needs a kdb/kgdb session" },
	{ "dbg-read-kernel", "needs a kdb/kgdb session" },
	{ "xen-user-actions", "every privcmd hypercall acts" },
	{ "device-tree", "no kernel of 6.1 to 7.2 checks it" },
	{ "xmon-wr", "powerpc only" },
	{ "xmon-rw", "powerpc only" },
	{ "rtas-error-injection", "powerpc only" },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const words[] = {
	[V_VERIFIED] = "verified",
	[V_EARLIER] = "refused-earlier",
	[V_NOT_ENFORCED] = "not-enforced",
	[V_NO_PROBE] = "no-probe",
	[V_ERROR] = "error",
};

const char *verify_word(enum vres r)
{
	return words[r];
}

struct run {
	int mark;   /* fd of ratchet_mark */
	int slot;   /* the restriction's */
	bool query; /* counted as a query (hibernation), not a probe */
	bool permissive;
	const struct restriction *r; /* NULL for a knob */
	const struct posture *pos;
};

/*
 * A sysctl knob's file /proc/sys/..., opened in a fresh proc instance
 * (kfs_open()): the path crosses whatever root mounted on /proc or on the
 * knob, and a file of root's that refuses every write would pass for the
 * lock's refusal. An fd, or -1 with *@r and @msg set.
 */
static int knob_open(const char *path, int *r, char *msg, size_t len)
{
	int fd = kfs_open("proc", path + strlen("/proc/"), O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	snprintf(msg, len, "%s: %s", path, strerror(-fd));
	*r = fd == -ENOENT ? PR_NONE : PR_ERROR;
	return -1;
}

/* The child: mark, probe, unmark, say why on @wfd, exit with the result. */
static void child(const struct run *x, probe_fn fn, const char *path, int wfd)
{
	struct ratchet_mark_args on = { .on = 1 }, off = { .on = 0 };
	char msg[200] = "";
	int r = PR_ERROR, fd = -1;

	if (path && (fd = knob_open(path, &r, msg, sizeof(msg))) < 0)
		goto out;
	if (rbpf_run(x->mark, &on, sizeof(on))) {
		snprintf(msg, sizeof(msg), "ratchet_mark failed");
		if (fd >= 0)
			close(fd);
		goto out;
	}
	r = path ? probe_sysctl_fd(fd, path, msg, sizeof(msg))
		 : fn(msg, sizeof(msg));
	rbpf_run(x->mark, &off, sizeof(off));
out:
	if (sys_write(wfd, msg, strlen(msg)) < 0)
		r = PR_ERROR;
	_exit(r);
}

/* Fork the child, collect its result and words. */
static int in_child(const struct run *x, probe_fn fn, const char *path,
		    char *msg, size_t len)
{
	int p[2], st;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -errno;
	fflush(NULL);
	if ((pid = fork()) < 0)
		return -errno;
	if (!pid) {
		close(p[0]);
		child(x, fn, path, p[1]);
	}
	close(p[1]);
	n = sys_read(p[0], msg, len - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(p[0]);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return PR_ERROR;
	return WEXITSTATUS(st);
}

static __u64 counted(const struct ratchet_state *st, const struct run *x)
{
	return x->query ? st->queries[x->slot] : st->probes[x->slot];
}

/*
 * The kernel's own switch that refuses @x's probe before ratchet's check,
 * or NULL: modules_disabled (load_module(), may_init_module()),
 * kexec_load_disabled (kexec_load_permitted()), or the kernel's built-in
 * lockdown at the restriction's level (the lockdown LSM comes before
 * bpf). Each read from a fresh instance (posture.c).
 */
static const char *kernel_switch(const struct run *x)
{
	const struct restriction *r = x->r;
	const char *ld = x->pos->lockdown;

	if (!r)
		return NULL;
	if ((!strcmp(r->name, "modules") ||
	     !strcmp(r->name, "module-signature")) &&
	    x->pos->modules_disabled == 1)
		return "kernel.modules_disabled (1)";
	if ((!strcmp(r->name, "kexec") || !strcmp(r->name, "kexec-image")) &&
	    x->pos->kexec_load_disabled == 1)
		return "kernel.kexec_load_disabled (1)";
	if (!strcmp(ld, "confidentiality") ||
	    (!strcmp(ld, "integrity") && r->cls == RC_INTEGRITY))
		return "the kernel's built-in lockdown";
	return NULL;
}

/*
 * Refused, but not counted on @x's slot: by another restriction's check
 * (V_EARLIER), by a switch of the kernel's own (V_EARLIER), or by
 * something else: a capability refused (an fmod_ret program on
 * security_capable() answers as the kernel would), another LSM, a stale
 * error. Then the refusal shows nothing about the lock (V_ERROR).
 */
static enum vres earlier(const struct catalogue *c, const struct run *x,
			 const struct ratchet_state *a,
			 const struct ratchet_state *b, char *msg, size_t len)
{
	const char *sw = kernel_switch(x);
	char said[84];
	int s;

	for (s = 0; s < RATCHET_SLOTS; s++)
		if (s != x->slot && b->probes[s] != a->probes[s]) {
			snprintf(
				msg, len,
				"refused by %s, whose check comes first; this one's is not reached",
				slot_name(c, s));
			return V_EARLIER;
		}
	/* The probe's own words, if it had any: "refused: <them>". */
	snprintf(said, sizeof(said), "%s%.60s", msg[0] ? ": " : "", msg);
	if (sw) {
		snprintf(msg, len, "refused before ratchet's check by %s%s", sw,
			 said);
		return V_EARLIER;
	}
	snprintf(
		msg, len,
		"refused, by neither ratchet's check nor a switch of the kernel's (a capability refused, another LSM or program): shows nothing of the lock%s",
		said);
	return V_ERROR;
}

/* One probe, judged by what the child saw and what ratchet counted. */
static enum vres one(const struct catalogue *c, const struct run *x,
		     probe_fn fn, const char *path, char *msg, size_t len)
{
	struct ratchet_state a, b;
	int r;

	msg[0] = '\0';
	if ((r = rbpf_read_state(&a))) {
		snprintf(msg, len, "state unreadable: %s", strerror(-r));
		return V_ERROR;
	}
	r = in_child(x, fn, path, msg, len);
	if (r != PR_NONE && rbpf_read_state(&b)) {
		snprintf(msg, len, "state unreadable after the probe");
		return V_ERROR;
	}
	switch (r) {
	case PR_REFUSED:
		/* Permissive: ratchet's check counts, and lets it through. */
		if (!x->permissive && counted(&b, x) != counted(&a, x))
			return V_VERIFIED;
		return earlier(c, x, &a, &b, msg, len);
	case PR_ALLOWED:
		if (x->permissive)
			snprintf(msg, len, "permissive: reported, not denied");
		return V_NOT_ENFORCED;
	case PR_NONE:
		return V_NO_PROBE;
	default:
		if (r < 0)
			snprintf(msg, len, "%s", strerror(-r));
		return V_ERROR;
	}
}

static struct vresult *add(struct vresult *out, int *n, int max,
			   const char *name, const char *probe)
{
	struct vresult *v = *n < max ? &out[*n] : NULL;

	(*n)++;
	if (v) {
		snprintf(v->name, sizeof(v->name), "%.63s", name);
		v->probe = probe;
	}
	return v;
}

/* Every probe of each locked restriction, or why it has none. */
static void restrictions(const struct catalogue *c,
			 const struct ratchet_state *st, struct run *x,
			 struct vresult *out, int *n, int max)
{
	const struct restriction *r;
	struct ratchet_mask on = st->enforce;
	struct vresult *v;
	size_t i;

	ratchet_mask_or(&on, &st->permissive);
	for_each_in_mask(r, c, &on) {
		bool any = r->slot == RATCHET_SLOT_SYSCTL; /* knobs() */

		x->slot = r->slot;
		x->r = r;
		x->query = !strcmp(r->name, "hibernation");
		x->permissive = !ratchet_mask_test(&st->enforce, r->slot);
		for (i = 0; i < ARRAY_SIZE(table); i++) {
			if (strcmp(table[i].name, r->name))
				continue;
			any = true;
			if ((v = add(out, n, max, r->name, table[i].what)))
				v->res = one(c, x, table[i].fn, NULL, v->detail,
					     sizeof(v->detail));
		}
		for (i = 0; !any && i < ARRAY_SIZE(untried); i++)
			if (!strcmp(untried[i].name, r->name) &&
			    (v = add(out, n, max, r->name, "none"))) {
				v->res = V_NO_PROBE;
				snprintf(v->detail, sizeof(v->detail), "%s",
					 untried[i].why);
				any = true;
			}
		if (!any && (v = add(out, n, max, r->name, "none"))) {
			v->res = V_NO_PROBE;
			snprintf(v->detail, sizeof(v->detail),
				 "this ratchet knows no harmless probe for it");
		}
	}
}

/* Each raise-only knob, and ftrace_enabled, pinned by the self-protection. */
static void knobs(const struct catalogue *c, const struct ratchet_state *st,
		  struct run *x, struct vresult *out, int *n, int max)
{
	char name[72], dotted[48], path[64];
	struct vresult *v;
	int k;

	for (k = 0; k < RATCHET_SYSCTL_END; k++) {
		bool ftrace = k == RATCHET_SYSCTL_FTRACE_ENABLED;

		if (!ftrace && !(st->sysctls & (1ULL << k)))
			continue;
		sysctl_knob_name(k, dotted, sizeof(dotted));
		snprintf(name, sizeof(name), "%s:%s",
			 ftrace ? "self-protection" : "sysctl", dotted);
		snprintf(path, sizeof(path), "/proc/sys/%s", dotted);
		for (char *p = path + 10; *p; p++)
			*p = *p == '.' ? '/' : *p;
		x->slot = ftrace ? RATCHET_SLOT_SELF : RATCHET_SLOT_SYSCTL;
		x->r = NULL;
		x->query = false;
		x->permissive =
			!ftrace && !ratchet_mask_test(&st->enforce, x->slot);
		if ((v = add(out, n, max, name,
			     "a write of its current value at file offset 1")))
			v->res = one(c, x, NULL, path, v->detail,
				     sizeof(v->detail));
	}
}

/* Probe everything locked in @st; how many results, or -errno. */
int verify_run(const struct catalogue *c, const struct ratchet_state *st,
	       const struct posture *pos, struct vresult *out, int max)
{
	struct run x = { .mark = rbpf_prog_fd(RBPF_MARK), .pos = pos };
	int n = 0;

	if (x.mark < 0)
		return x.mark;
	restrictions(c, st, &x, out, &n, max);
	knobs(c, st, &x, out, &n, max);
	close(x.mark);
	return n < max ? n : max;
}

/* Any restriction not enforced, or a probe that could not tell. */
bool verify_failed(const struct vresult *v, int n)
{
	while (n--)
		if (v[n].res == V_NOT_ENFORCED || v[n].res == V_ERROR)
			return true;
	return false;
}

void verify_text(const struct vresult *v, int n)
{
	int i;

	printf("verify: each locked restriction tried with a harmless probe\n");
	for (i = 0; i < n; i++) {
		const char *how =
			v[i].res == V_VERIFIED	? "verified"
			: v[i].res == V_EARLIER ? "verified: refused earlier"
			: v[i].res == V_NOT_ENFORCED
				? "NOT ENFORCED: the kernel allowed it"
			: v[i].res == V_NO_PROBE ? "no harmless probe"
						 : "cannot tell";

		printf("  %-22s %s (%s)%s%s\n", v[i].name, how, v[i].probe,
		       v[i].detail[0] ? ": " : "", v[i].detail);
	}
}

struct json_object *verify_json(const struct vresult *v, int n)
{
	struct json_object *a = json_object_new_array(), *o;
	int i;

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "restriction",
				       json_object_new_string(v[i].name));
		json_object_object_add(o, "result",
				       json_object_new_string(words[v[i].res]));
		json_object_object_add(o, "probe",
				       json_object_new_string(v[i].probe));
		json_object_object_add(o, "detail",
				       json_object_new_string(v[i].detail));
		json_object_array_add(a, o);
	}
	return a;
}

/*
 * One gauge per restriction (or raise-only knob) with a probe: 1 if every
 * probe of it was refused, 0 if any was allowed or could not tell.
 */
void verify_prometheus(const struct vresult *v, int n)
{
	int i, j;

	printf("# HELP ratchet_restriction_verified 1 if status --verify's probes of the "
	       "restriction were refused just now, 0 if the kernel allowed one (or one "
	       "could not tell).\n# TYPE ratchet_restriction_verified gauge\n");
	for (i = 0; i < n; i++) {
		int ok = 1, probed = 0;

		for (j = 0; j < i && strcmp(v[j].name, v[i].name); j++)
			;
		if (j < i)
			continue; /* named already */
		for (j = i; j < n; j++) {
			if (strcmp(v[j].name, v[i].name) ||
			    v[j].res == V_NO_PROBE)
				continue;
			probed = 1;
			ok &= v[j].res == V_VERIFIED || v[j].res == V_EARLIER;
		}
		if (probed)
			printf("ratchet_restriction_verified{restriction=\"%s\"} %d\n",
			       v[i].name, ok);
	}
}
