// SPDX-License-Identifier: GPL-2.0
/*
 * lock.c - `ratchet lock [--permissive] [--allow-loaded-kexec] NAME...`.
 *
 * Exits 0 only once the kernel-side state has been read back and covers
 * every requested restriction; anything less is a failure, said so.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include "cli.h"

static int resolve(const struct catalogue *c, int n, char **names,
		   struct ratchet_mask *m)
{
	const char *bad;
	int err = catalogue_resolve(c, n, names, m, &bad);

	if (err == -ENODEV) {
		fprintf(stderr,
			"ratchet: the running kernel has no lockdown reason '%s'; "
			"leave it out (see ratchet list)\n",
			bad);
		return EXIT_KERNEL;
	}
	if (err) {
		fprintf(stderr, "ratchet: unknown restriction '%s'\n", bad);
		usage_names(stderr, c);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* Enforcing never goes back to permissive: refuse rather than pretend. */
static int check_downgrade(const struct catalogue *c,
			   const struct ratchet_mask *want)
{
	const struct restriction *r;
	struct ratchet_state st;

	if (rbpf_read_state(&st))
		return EXIT_OK;
	for_each_in_mask(r, c, want)
		if (ratchet_mask_test(&st.enforce, r->slot)) {
			fprintf(stderr,
				"ratchet: %s is already enforced; it cannot be made permissive "
				"until reboot\n",
				r->name);
			return EXIT_FAIL;
		}
	return EXIT_OK;
}

static int split_sysctls(int *argc, char **argv, __u64 *knobs)
{
	const char *bad;

	if (!catalogue_split_sysctls(argc, argv, knobs, &bad))
		return EXIT_OK;
	fprintf(stderr,
		"ratchet: no raise-only sysctl '%s'; see ratchet list\n", bad);
	return EXIT_USAGE;
}

static void report(const struct catalogue *c, const struct ratchet_mask *m,
		   int permissive, const struct ratchet_state *st)
{
	const struct restriction *r;

	printf("ratchet: locked");
	for_each_in_mask(r, c, m)
		printf(" %s", r->name);
	printf(" (%s) until reboot\n", permissive ? "permissive" : "enforce");
	for_each_in_mask(r, c, m)
		if (r->note)
			printf("ratchet: note: %s: %s\n", r->name, r->note);
	/* Of everything enforced now, this lock and earlier ones. */
	weak_print(stdout, c, &st->enforce, "ratchet: ");
}

/*
 * After a lock that sealed but is not all in force (rbpf_lock_sysctl's
 * -ENOTRECOVERABLE): each fact that fails, then what of @want is in force.
 */
void report_not_in_force(FILE *f, const struct catalogue *c,
			 const struct ratchet_mask *want)
{
	const struct enforcement *en = rbpf_enforcement();
	const struct restriction *r;
	struct ratchet_state st = { 0 };
	char buf[512];
	int i, any = 0;

	rbpf_read_state(&st);
	for (i = 0; i < en->n; i++)
		if (lapse_relevant(&en->l[i], &st))
			fprintf(f, "ratchet: NOT ENFORCED: %s: %s\n",
				lapse_affects(c, &en->l[i], &st, buf,
					      sizeof(buf)),
				en->l[i].what);
	fprintf(f, "ratchet: in force of what was asked:");
	for_each_in_mask(r, c, want)
		if (enforced_slot(en, r->slot) && ++any)
			fprintf(f, " %s", r->name);
	fprintf(f, "%s\n", any ? "" : " nothing");
}

/*
 * After a seal, what could undo it (barrier.c): a kexec load checked
 * before it and still under way, or a kexec reboot image loaded while
 * the lock was made (after kexec_guard(), before the seal: red team 17).
 * EXIT_OK, or EXIT_FAIL having said why and what to do.
 */
int lock_settle(const struct catalogue *c, const struct ratchet_mask *want,
		bool allow_kexec)
{
	const char *why = NULL;
	char who[96];
	int err = load_barrier(c, want, who, sizeof(who));

	if (err == -EBUSY)
		fprintf(stderr,
			"ratchet: the lock is in force, but %s, which passed "
			"ratchet's check before the seal: the image it loads "
			"would boot past the lock (kexec -e); fix: kill -9 that "
			"process (it then loads nothing), and check `ratchet "
			"status`\n",
			who);
	else if (err == -EXDEV)
		fprintf(stderr,
			"ratchet: the lock is in force, but it ran in a pid "
			"namespace other than the initial one, where not every "
			"process shows: whether a kexec load checked before its "
			"seal is still under way cannot be told; fix: lock from "
			"the initial pid namespace (nsenter -t 1 -p), and check "
			"`ratchet status`\n");
	else if (err)
		fprintf(stderr,
			"ratchet: the lock is in force, but whether a kexec load "
			"checked before its seal is still under way cannot be "
			"told (%s); fix: check that no kexec_load or "
			"kexec_file_load runs, and `ratchet status`\n",
			strerror(-err));
	else if (kexec_guard(want, c, allow_kexec, &why))
		fprintf(stderr,
			"ratchet: the lock is in force, but a kexec reboot image "
			"was loaded while it was made, or whether one is cannot "
			"be read: kexec -e would boot it past the lock; fix: "
			"unload it (kexec -s -u), or reboot\n");
	return err || why ? EXIT_FAIL : EXIT_OK;
}

#define NOTHING "; nothing was locked"
#define NOT_A_DIR                                                              \
	"ratchet: " RATCHET_RUN_DIR                                            \
	" is a symbolic link or not a directory" NOTHING                       \
	"; fix: remove it (ratchet makes its own mounts there)"

/* What a failed lock's errno means, and the fix. */
static const struct {
	int err;
	const char *why;
} causes[] = {
	{ EXDEV,
	  "ratchet: a first lock must run in the initial mount namespace: its mounts "
	  "would die with this one (unshare -m, or a unit with PrivateTmp=, "
	  "ProtectSystem= and the like), and the lock with them" NOTHING
	  "; fix: nsenter -t 1 -m ratchet lock ..., or a unit without mount sandboxing" },
	{ EBUSY,
	  "ratchet: " RATCHET_RUN_DIR
	  " is shared or a slave, so an umount elsewhere could reach the pins" NOTHING
	  "; fix: mount --make-private " RATCHET_RUN_DIR " and retry" },
	{ EALREADY,
	  "ratchet: ratchet's programs are attached but were never sealed (an "
	  "earlier first lock was interrupted) and enforce nothing; fix: reboot, or "
	  "remove the pins in " RATCHET_PIN_DIR " and retry" },
	{ EBADF,
	  "ratchet: BPF programs named like ratchet's are loaded, but their "
	  "instructions are not this ratchet's (another build, or a look-alike made "
	  "before the first lock)" NOTHING
	  ": this ratchet cannot verify or raise them; fix: reboot, and lock with one "
	  "ratchet build" },
	{ EUCLEAN,
	  "ratchet: ratchet's programs are loaded and sealed, but bound to maps "
	  "this ratchet does not declare, or with a seal time it never writes (a "
	  "look-alike made before the first lock; `ratchet status` says which)" NOTHING
	  ": this ratchet does not adopt it; fix: reboot, and let ratchet make "
	  "the first lock" },
	{ ELOOP, NOT_A_DIR },
	{ ENOTDIR, NOT_A_DIR },
	{ EEXIST,
	  "ratchet: something is already mounted on " RATCHET_RUN_DIR NOTHING
	  ": ratchet pins into file systems of its own only; fix: umount -R " RATCHET_RUN_DIR },
	{ ESTALE,
	  "ratchet: " RATCHET_RUN_DIR
	  " or a mount above it sits on a file system that can invalidate it "
	  "(anything but tmpfs, ramfs, ext4, xfs or btrfs in no subvolume "
	  "but the top level, or an overlay for the root: FUSE, NFS, 9p, "
	  "procfs, sysfs, debugfs, tracefs, securityfs...), which would "
	  "detach the pins with no hook; a chrooted lock is held to that up "
	  "to the namespace's root" NOTHING
	  "; fix: make /run a tmpfs on /, lock from the system's root, and "
	  "move nothing of it meanwhile" },
	{ EMEDIUMTYPE,
	  "ratchet: what ratchet read is not the kernel's own object: a mount "
	  "covers the path libbpf reads (/sys/kernel/btf/vmlinux), one was put "
	  "on ratchet's private mount, or /sys/fs/cgroup is not the cgroup v2 "
	  "hierarchy's root cgroup (a child cgroup or another file system "
	  "mounted there); fix: umount the cover, so that /sys/fs/cgroup is "
	  "the cgroup2 root" },
	{ EIO,
	  "ratchet: the kernel state does not show the requested restrictions; "
	  "check ratchet status" },
};

static int lock_failed(const struct catalogue *c,
		       const struct ratchet_mask *want, int err)
{
	size_t i;

	if (err == -ENOTRECOVERABLE && rbpf_overrule()[0]) {
		fprintf(stderr, "ratchet: the lock is in force, but %s; %s\n",
			rbpf_overrule(),
			rbpf_overrule_open()
				? "this lock cannot be taken down, so only a "
				  "reboot clears it: fix: reboot, and let "
				  "ratchet alone make the first lock"
				: "after a lock no program of that kind can be "
				  "attached or detached, so only a reboot "
				  "clears it");
		return EXIT_FAIL;
	}
	if (err == -ECANCELED && rbpf_overrule()[0]) {
		fprintf(stderr,
			"ratchet: %s; nothing was locked; fix: remove that "
			"program (detach and unpin it) and retry, or reboot\n",
			rbpf_overrule());
		return EXIT_FAIL;
	}
	if (err == -ENOTRECOVERABLE) {
		fprintf(stderr,
			"ratchet: the lock is sealed, but the kernel does not show all of it "
			"in force (checked after letting go of every fd)\n");
		report_not_in_force(stderr, c, want);
		return EXIT_FAIL;
	}
	fprintf(stderr, "ratchet: lock failed while %s: %s\n", rbpf_last_step(),
		strerror(-err));
	if (rbpf_kernel_refused()) {
		fprintf(stderr,
			"ratchet: nothing was locked: this kernel cannot run this ratchet's "
			"programs; fix: use a ratchet built for it, and report "
			"`RATCHET_DEBUG=1 ratchet lock ...` with `ratchet status --json`\n");
		return EXIT_KERNEL;
	}
	if (err == -EAGAIN)
		fprintf(stderr,
			"ratchet: %s, attached while ratchet was locking; nothing was "
			"locked; fix: detach it and retry\n",
			rbpf_overrule());
	for (i = 0; i < sizeof(causes) / sizeof(causes[0]); i++)
		if (err == -causes[i].err)
			fprintf(stderr, "%s\n", causes[i].why);
	return EXIT_FAIL;
}

int cmd_lock(int argc, char **argv)
{
	enum { OPT_PERMISSIVE = OPT_LONG_ONLY, OPT_ALLOW_KEXEC };
	static const struct option opts[] = {
		{ "permissive", no_argument, NULL, OPT_PERMISSIVE },
		{ "allow-loaded-kexec", no_argument, NULL, OPT_ALLOW_KEXEC },
		ARGS_HELP_AND_END,
	};
	static struct catalogue c;
	struct ratchet_mask want = { { 0 } }, none = { { 0 } };
	struct ratchet_state st;
	__u64 knobs;
	int permissive = 0, allow_kexec = 0, opt, rc, err;
	const char *why;

	while ((opt = args_next(argc, argv, "", opts, &rc)) != -1) {
		if (opt == ARGS_EXIT)
			return rc;
		if (opt == OPT_PERMISSIVE)
			permissive = 1;
		else
			allow_kexec = 1;
	}
	argc -= optind;
	argv += optind;
	if ((rc = args_need_root("lock", NULL)))
		return rc;
	/* Every name, table and hook is decided by it: no guess without. */
	if (!kernel_btf()) {
		fprintf(stderr,
			"ratchet: cannot read the kernel's BTF from a fresh sysfs "
			"instance (%s): nothing was locked; stop whatever refuses "
			"that open (a fanotify listener, an LSM) and lock again\n",
			strerror(errno));
		return EXIT_FAIL;
	}
	catalogue_load(&c, NULL);
	if (!argc) {
		fprintf(stderr,
			"ratchet lock: name at least one restriction\n");
		command_usage("lock", EXIT_USAGE);
		usage_names(stderr, &c);
		return EXIT_USAGE;
	}
	if ((rc = split_sysctls(&argc, argv, &knobs)) ||
	    (argc && (rc = resolve(&c, argc, argv, &want))))
		return rc;
	if (knobs)
		ratchet_mask_set(&want, RATCHET_SLOT_SYSCTL);
	if ((rc = lock_preflight(&c)) ||
	    (permissive && (rc = check_downgrade(&c, &want))))
		return rc;
	/* Permissive denies nothing, so a loaded image changes nothing. */
	if (!permissive && kexec_guard(&want, &c, allow_kexec, &why)) {
		fprintf(stderr,
			"ratchet: %s; or pass --allow-loaded-kexec to lock it anyway\n",
			why);
		return EXIT_FAIL;
	}
	err = rbpf_lock_sysctl(permissive ? &none : &want,
			       permissive ? &want : &none, knobs, &st);
	/* In force but overruled: what is locked, then by what. */
	if (err == -ENOTRECOVERABLE && rbpf_overrule()[0])
		report(&c, &want, permissive, &st);
	if (err)
		return lock_failed(&c, &want, err);
	report(&c, &want, permissive, &st);
	return permissive ? EXIT_OK : lock_settle(&c, &want, allow_kexec);
}
