// SPDX-License-Identifier: GPL-2.0
/*
 * bpf.c - the lock, through libbpf: make it, raise it, read it, watch it.
 *
 * The first lock loads the skeleton, fills and freezes its tables,
 * attaches every program, pins the links and the syscall programs (raise,
 * snapshot, the event log's reader and the probe mark) into ratchet's own
 * bpffs (pindir.c), freezes the state map, then raises and seals. Later locks only run the raise program: they
 * never load new programs, so they still work after bpf-read-kernel or
 * the self-protection has been locked.
 *
 * A lock is found by identity, never by a name or a path: programs whose
 * kernel tag is the one this ratchet computes for its own object on this
 * kernel (identity.c), and the maps a tag-verified ratchet_snapshot reads
 * (facts.c). Whether it is enforced is derived from what the kernel shows
 * (enforced.c); a lock exits 0 only if every restriction it was asked for
 * is in force by those facts, checked after this process has let go of
 * every fd it held.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/btf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "ratchet.skel.h"

/* libbpf's mark on an instruction whose CO-RE relocation failed (0xbad2310). */
#define CORE_POISON 195896080

static const char *step = "";
static char prog_log[64 * 1024]; /* the verifier's log of a refused program */
static char refused[64];	 /* that program's name */
static bool refused_core;	 /* it holds a failed CO-RE relocation */
static struct enforcement last_enf;
/* What runs after ratchet's decision, when a lock found one. */
static char overrule[512];
/* overrule[] is a false claim: programs of its kind can still attach */
static bool overrule_open;
/* A lock (not status) is running; the state's prog_ids as it reads it. */
static bool locking;
static __u32 prog_ids;
/*
 * What the first lock found the verifier enforcing (arm_guard()), for the
 * tables: whether it keeps LSM programs on every one of ratchet's hooks to
 * denials, and bpf_set_retval() too.
 */
static __u32 detected_flags;

/* libbpf must not print; RATCHET_DEBUG=1 shows its output, logs included. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return getenv("RATCHET_DEBUG") ? vfprintf(stderr, fmt, ap) : 0;
}

/* Every program logs into prog_log, which libbpf fills only on failure. */
static void log_into(struct ratchet_bpf *skel)
{
	struct bpf_program *p;

	prog_log[0] = '\0';
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_log_buf(p, prog_log, sizeof(prog_log));
}

static bool poisoned(const struct bpf_program *p)
{
	const struct bpf_insn *i = bpf_program__insns(p);
	size_t k, n = bpf_program__insn_cnt(p);

	for (k = 0; i && k < n; k++)
		if (i[k].code == (BPF_JMP | BPF_CALL) &&
		    i[k].imm == CORE_POISON)
			return true;
	return false;
}

/*
 * After a failed load: the kernel refused a program if the verifier wrote
 * a log for it (libbpf stops at the first program that fails, so that is
 * the first one without an fd). Failures before any program was submitted
 * (maps, BTF) leave no log.
 */
static void note_refusal(struct ratchet_bpf *skel)
{
	struct bpf_program *p;

	if (!prog_log[0])
		return;
	bpf_object__for_each_program(p, skel->obj) if (bpf_program__fd(p) < 0)
	{
		snprintf(refused, sizeof(refused), "%s", bpf_program__name(p));
		refused_core = poisoned(p);
		return;
	}
}

/*
 * Did the kernel refuse what this build loads (its verifier, or a CO-RE
 * relocation against something this kernel lacks)? That is exit 3: this
 * kernel cannot run this ratchet, whatever the operator does.
 */
int rbpf_kernel_refused(void)
{
	return refused[0] != '\0';
}

/* A statistic the verifier appends after its verdict (print_verification_stats()). */
static bool stats_line(const char *b)
{
	return !strncmp(b, "processed ", 10) ||
	       !strncmp(b, "verification time ", 18) ||
	       !strncmp(b, "stack depth ", 12);
}

/* The verifier's verdict: the last line of the log before its statistics. */
static void verdict_line(char *out, size_t len)
{
	char *e = prog_log + strlen(prog_log), *b;

	out[0] = '\0';
	while (e > prog_log) {
		while (e > prog_log && e[-1] == '\n')
			e--;
		for (b = e; b > prog_log && b[-1] != '\n'; b--)
			;
		if (e > b && !stats_line(b)) {
			snprintf(out, len, "%.*s", (int)(e - b), b);
			return;
		}
		e = b;
	}
}

/* Which step failed, and what the kernel said of it. */
const char *rbpf_last_step(void)
{
	static char buf[1024];
	char v[600];

	if (!refused[0])
		return step;
	verdict_line(v, sizeof(v));
	snprintf(buf, sizeof(buf), "%s: %s %s (%s)", step,
		 refused_core ? "this kernel lacks what"
			      : "the verifier refused",
		 refused, v);
	if (refused_core)
		strncat(buf, " reads", sizeof(buf) - strlen(buf) - 1);
	return buf;
}

const struct enforcement *rbpf_enforcement(void)
{
	return &last_enf;
}

/* ---- finding the lock ---- */

#define LIBBPF_BTF "/sys/kernel/btf/vmlinux"

/*
 * What this ratchet's programs are on this kernel: computed once. The
 * dry run's CO-RE reads the kernel's BTF where libbpf reads it, the path
 * /sys/kernel/btf/vmlinux: under a cover, the tags it gives are those of
 * programs relocated against root's copy, which a look-alike loaded under
 * the same cover carries too, and a lock would adopt it. So the path must
 * open the kernel's own file before and after (kfs_same()), as for a load.
 */
static bool test_skip(struct ratchet_bpf *skel, const char *name);

/*
 * 0 if LIBBPF_BTF opens the kernel's own BTF (kfs_same()), else -errno:
 * around every load and dry run that libbpf relocates against that path
 * (progscan.c's too).
 */
/*
 * A test build told to skip the BTF checks plays root's own build of this
 * source (tests/vm/attacks/rt2-btf.sh): its dry run and its load relocate
 * wherever libbpf's path search leads. True then.
 */
static bool btf_test_knob(void)
{
	if (!test_skip(NULL, "btf-check"))
		return false;
	identity_btf_by_path();
	return true;
}

int rbpf_btf_uncovered(void)
{
	if (btf_test_knob())
		return 0;
	return kfs_same("sysfs", "kernel/btf/vmlinux", LIBBPF_BTF);
}

static int expected_get(const struct expected **e)
{
	static struct expected exp;
	static int err = 1;

	if (err == 1) {
		libbpf_set_print(quiet);
		step = "checking that /sys/kernel/btf/vmlinux, which libbpf "
		       "reads, is the kernel's BTF and not covered by a mount "
		       "(umount it)";
		if (!(err = rbpf_btf_uncovered())) {
			step = "computing the tags of this ratchet's programs "
			       "on this kernel";
			err = identity_expected(&exp);
		}
		if (!err) {
			step = "checking that /sys/kernel/btf/vmlinux was not "
			       "covered while ratchet computed its programs' "
			       "tags (umount it)";
			err = rbpf_btf_uncovered();
		}
	}
	*e = &exp;
	return err;
}

/* -ENOENT if no program is even named like one of this ratchet's. */
static int none_named(void)
{
	char names[EXPECTED_PROGS][16];
	int n = identity_names(names, EXPECTED_PROGS);

	if (n < 0)
		return n;
	return facts_any_named((const char(*)[16])names, n) ? 0 : -ENOENT;
}

/*
 * Who holds the state map adds up: nothing but its programs, no user; and
 * no user holds the tables or the event log's maps.
 */
static bool settled(const struct lock_view *v)
{
	const struct ratchet_map_view *m = &v->snap.state_map;

	return !m->usercnt && m->refcnt == v->state_users &&
	       !v->snap.tables_map.usercnt && !v->audit_users;
}

/*
 * The lock in force: -ENOENT none, -EALREADY loaded but never sealed. A
 * reference that comes and goes (a program being freed after its last fd
 * closed, which leaves the id table before it lets go of its maps; an fd
 * by id the bpf_map hook is refusing) is waited out for up to a second:
 * what stays is reported.
 */
static int find(struct lock_view *v, const struct expected **e)
{
	int err, i;

	memset(v, 0, sizeof(*v));
	step = "looking for programs named like ratchet's";
	if ((err = none_named()))
		return err;
	step = "computing the tags of this ratchet's programs on this kernel";
	if ((err = expected_get(e)))
		return err;
	step = "looking for ratchet's programs by their tags";
	for (i = 0; !(err = facts_find(*e, v)) && !settled(v) && i < 20; i++)
		usleep(50000);
	return err;
}

/*
 * The lock in force and what is enforced of it (@p: the kernel's posture).
 * The links' pins are checked where this process can reach the pin mount.
 */
int rbpf_view(struct lock_view *v, struct enforcement *en,
	      const struct posture *p)
{
	const struct expected *e;
	int err = find(v, &e), fd;

	if (err == -EALREADY)
		err = -ENOENT;
	if (err)
		return err;
	fd = pins_open(&v->snap);
	facts_check_pins(e, v, fd);
	if (fd >= 0)
		close(fd);
	enforced_derive(e, v, p, en);
	return 0;
}

/* -ENOENT: nothing locked (no sealed lock of this ratchet in this kernel). */
int rbpf_read_snapshot(struct ratchet_snapshot *snap)
{
	const struct expected *e;
	struct lock_view v;
	int err = find(&v, &e);

	memset(snap, 0, sizeof(*snap));
	if (err)
		return err == -EALREADY ? -ENOENT : err;
	*snap = v.snap;
	return 0;
}

int rbpf_read_state(struct ratchet_state *st)
{
	static struct ratchet_snapshot snap;
	int err = rbpf_read_snapshot(&snap);

	*st = snap.state;
	return err;
}

/* ---- making and raising the lock ---- */

static int run_raise(int prog_fd, struct ratchet_raise_args *args)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args,
		    .ctx_size_in = sizeof(*args));

	step = "raising the state through ratchet_raise";
	if (bpf_prog_test_run_opts(prog_fd, &opts))
		return -errno;
	return (int)opts.retval;
}

/*
 * Pin every attached link as link-<program>, then the syscall programs,
 * by names relative to the working directory: run through
 * pindir_within(), at the root of ratchet's bpffs. All or nothing.
 */
static int pin_all(void *ctx)
{
	struct ratchet_bpf *skel = ctx;
	const struct bpf_object_skeleton *s = skel->skeleton;
	char name[128];
	int i, err;

	step = "pinning the links";
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_link *link = *s->progs[i].link;

		if (!link)
			continue;
		snprintf(name, sizeof(name), "link-%s", s->progs[i].name);
		if ((err = bpf_link__pin(link, name)))
			return err;
	}
	step = "pinning the syscall programs";
	if ((err = bpf_program__pin(skel->progs.ratchet_raise, "raise")) ||
	    (err = bpf_program__pin(skel->progs.ratchet_snapshot,
				    "snapshot")) ||
	    (err = bpf_program__pin(skel->progs.ratchet_read, "read")))
		return err;
	return bpf_program__pin(skel->progs.ratchet_mark, "mark");
}

/* What pin_all() pinned, unpinned the same way. */
static int unpin_all(void *ctx)
{
	struct ratchet_bpf *skel = ctx;
	const struct bpf_object_skeleton *s = skel->skeleton;
	int i;

	for (i = 0; i < s->prog_cnt; i++)
		if (*s->progs[i].link)
			bpf_link__unpin(*s->progs[i].link);
	bpf_program__unpin(skel->progs.ratchet_raise, "raise");
	bpf_program__unpin(skel->progs.ratchet_snapshot, "snapshot");
	bpf_program__unpin(skel->progs.ratchet_read, "read");
	bpf_program__unpin(skel->progs.ratchet_mark, "mark");
	return 0;
}

/*
 * A legacy multi attach at the cgroup v2 root: it needs no fd or pin to
 * persist. Once sealed, the bpf hook refuses detaching or replacing
 * cgroup/sysctl programs. The root is the hierarchy's root cgroup,
 * held to its inode (kfs_cgroup_root()): root can cover /sys/fs/cgroup
 * with a child cgroup's directory (same CGROUP2_SUPER_MAGIC).
 */
static int attach_sysctl(struct ratchet_bpf *skel)
{
	int prog = bpf_program__fd(skel->progs.ratchet_sysctl), cg, err = 0;

	step = "attaching the sysctl program to the cgroup v2 root "
	       "(/sys/fs/cgroup, which must be the hierarchy's root cgroup)";
	cg = kfs_cgroup_root();
	if (cg < 0)
		return cg;
	if (bpf_prog_attach(prog, cg, BPF_CGROUP_SYSCTL, BPF_F_ALLOW_MULTI))
		err = -errno;
	close(cg);
	return err;
}

static void detach_sysctl(struct ratchet_bpf *skel)
{
	int cg = kfs_cgroup_root();

	if (cg < 0)
		return;
	bpf_prog_detach2(bpf_program__fd(skel->progs.ratchet_sysctl), cg,
			 BPF_CGROUP_SYSCTL);
	close(cg);
}

/*
 * The tables the programs decide by (tables.c), written once the maps
 * exist and frozen before any program is attached: from then on neither
 * bpf(2) (frozen) nor a program (BPF_F_RDONLY_PROG) can change them.
 */
static int fill_tables(struct ratchet_bpf *skel)
{
	struct ratchet_tables t;
	__u32 zero = 0;
	int fd = bpf_map__fd(skel->maps.tables), err;

	step = "filling the tables (kernel read and load kinds from BTF)";
	if ((err = tables_compute(kernel_btf(), &t)))
		return err;
	t.guard_flags |= detected_flags;
	if (bpf_map_update_elem(fd, &zero, &t, BPF_ANY))
		return -errno;
	step = "freezing the tables";
	return bpf_map_freeze(fd) ? -errno : 0;
}

#ifdef RATCHET_TEST_BUILD
/*
 * Test builds only (build/tests/ratchet-unattached): leave the program
 * RATCHET_TEST_SKIP_ATTACH names unattached, so that a test can see
 * status report a lock that is not in force; or, named "btf-check", skip
 * the checks that /sys/kernel/btf/vmlinux is the kernel's, as a root who
 * built ratchet without them would (tests/vm/attacks/rt2-btf.sh).
 * Never in build/ratchet.
 */
static bool test_skip(struct ratchet_bpf *skel, const char *name)
{
	const char *skip = getenv("RATCHET_TEST_SKIP_ATTACH");
	struct bpf_program *p;

	if (!skip)
		return false;
	if (!name && (p = bpf_object__find_program_by_name(skel->obj, skip)))
		bpf_program__set_autoattach(p, false);
	return name && !strcmp(name, skip);
}
#else
static bool test_skip(struct ratchet_bpf *skel, const char *name)
{
	(void)skel;
	(void)name;
	return false;
}
#endif

static int skel_load(void *skel)
{
	return ratchet_bpf__load(skel);
}

static int load_and_pin(struct ratchet_bpf *skel, int dirfd)
{
	int err;

	/*
	 * CO-RE relocates against the kernel's BTF in a fresh sysfs
	 * (identity_open(), kfs_within()). libbpf still finds the hooks'
	 * BTF ids by the path /sys/kernel/btf/vmlinux: it must open the
	 * kernel's own file before and after the load (kfs_same()), and
	 * status checks every link's hook against the kernel's BTF.
	 */
	step = "checking that /sys/kernel/btf/vmlinux, which libbpf reads, is "
	       "the kernel's BTF and not covered by a mount (umount it)";
	if ((err = rbpf_btf_uncovered()))
		return err;
	step = "loading the BPF programs";
	log_into(skel);
	if ((err = kfs_within("sysfs", skel_load, skel))) {
		note_refusal(skel);
		return err;
	}
	step = "checking that /sys/kernel/btf/vmlinux, which libbpf read, was "
	       "not covered during the load (umount it)";
	if ((err = rbpf_btf_uncovered()))
		return err;
	if ((err = fill_tables(skel)))
		return err;
	step = "attaching the BPF LSM programs";
	test_skip(skel, NULL);
	if ((err = ratchet_bpf__attach(skel)) ||
	    (err = pindir_within(dirfd, pin_all, skel)))
		return err;
	step = "freezing the state map";
	if (bpf_map_freeze(bpf_map__fd(skel->maps.state)))
		return -errno;
	return 0;
}

static int map_id(const struct bpf_map *map, __u32 *id)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	step = "reading the state map's id";
	if (bpf_obj_get_info_by_fd(bpf_map__fd(map), &info, &len))
		return -errno;
	*id = info.id;
	return 0;
}

/*
 * Every LSM program's hook must be one whose parameters features.c checks
 * in the kernel's BTF before a lock: a program added without that check
 * could read the wrong argument on some kernel.
 */
static int hooks_checked(struct ratchet_bpf *skel)
{
	struct bpf_program *p;

	step = "matching the LSM programs to the checked hooks (features.c)";
	bpf_object__for_each_program(p, skel->obj)
	{
		const char *sec = bpf_program__section_name(p);

		if (!strncmp(sec, "lsm/", 4) && !features_hook_known(sec + 4))
			return -ENOPROTOOPT;
	}
	return 0;
}

#define MOV_R(r, v)                                                            \
	((struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K,               \
			    .dst_reg = (r),                                    \
			    .imm = (v) })

/* rcheck()'s answer for a load the verifier refused over its range. */
#define RCHECK_RANGE 1

/*
 * The verifier's log of the last rcheck() load: a program of 2 or 4
 * instructions logs a few hundred bytes at level 1, far from the size at
 * which the kernel would refuse a full log (-ENOSPC).
 */
static char rcheck_log[4096];

/*
 * Load (never attach) a program on bpf_lsm_<hook> @id with @v in it: what
 * it returns (@at BPF_LSM_MAC: "r0 = @v; exit"), or what it sets with
 * bpf_set_retval() (@at BPF_LSM_CGROUP, whose return value is 0 or 1).
 * 0 if it loads (its fd closed at once); RCHECK_RANGE if refused with
 * EINVAL and the verifier's log says why: the register was out of its
 * range (rangelog_refused(), src/rangelog.c); else -errno. An EINVAL
 * without that line is not the verifier's range check: it can come after
 * the verifier passed the program (the struct file of the new fd,
 * security_file_alloc() from bpf_prog_new_fd(), 6.1, 6.12, 7.2), from
 * whatever answers there.
 */
static int rcheck(__u32 id, enum bpf_attach_type at, int v)
{
	struct bpf_insn insns[4] = {
		MOV_R(BPF_REG_1, 0),
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_set_retval },
		MOV_R(BPF_REG_0, 1),
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = at,
		    .attach_btf_id = id, .log_level = 1,
		    .log_size = sizeof(rcheck_log), .log_buf = rcheck_log);
	struct bpf_insn *p = at == BPF_LSM_MAC ? insns + 2 : insns;
	int fd, err;

	p[0].imm = v;
	rcheck_log[0] = '\0';
	fd = bpf_prog_load(BPF_PROG_TYPE_LSM, "ratchet_rcheck", "GPL", p,
			   at == BPF_LSM_MAC ? 2 : 4, &o);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	err = -errno;
	rcheck_log[sizeof(rcheck_log) - 1] = '\0';
	if (err == -EINVAL &&
	    rangelog_refused(rcheck_log, at == BPF_LSM_CGROUP))
		return RCHECK_RANGE;
	return err;
}

/* What a range probe is, for a message: "LSM program returning 1". */
static const char *rcheck_what(enum bpf_attach_type at)
{
	return at == BPF_LSM_MAC ? "LSM program returning 1"
				 : "lsm_cgroup program setting 1 with "
				   "bpf_set_retval()";
}

/* The name of function @id in the kernel's BTF, "?" if none. */
static const char *btf_func_name(__u32 id)
{
	const struct btf *btf = kernel_btf();
	const struct btf_type *t = btf ? btf__type_by_id(btf, id) : NULL;

	return t ? btf__name_by_offset(btf, t->name_off) : "?";
}

/*
 * overrule[]: the first lock's probe on @id (@at) was refused with
 * EINVAL, and the verifier's log does not say it refused it.
 */
static void name_rcheck_answer(__u32 id, enum bpf_attach_type at)
{
	snprintf(overrule, sizeof(overrule),
		 "something answered ratchet's test load: an %s on %s was "
		 "refused with EINVAL, but the verifier's log holds no range "
		 "refusal (the verifier passed it, then something refused its "
		 "fd: a BPF program on a hook every new file passes, such as "
		 "lsm/file_alloc_security or fmod_ret on security_file_alloc), "
		 "so what this kernel's verifier enforces cannot be told",
		 rcheck_what(at), btf_func_name(id));
}

/*
 * Does the verifier keep an LSM program on bpf_lsm_<hook> @id to 0 or
 * -errno (@at as for rcheck())? Detected, never assumed from a version:
 * the program with a 1 in it is refused by the verifier, its log saying
 * so, where its twin with a 0 loads (6.12 and 7.2 have
 * bpf_lsm_get_retval_range() in kernel/bpf/bpf_lsm.c, 6.1 has not; only
 * 7.2 applies it to bpf_set_retval() in check_helper_call()). 1 if so,
 * 0 for no: it loaded, or the twin or it was refused otherwise, which
 * keeps such programs on ratchet's hooks refused (the safe side).
 * -ECANCELED (overrule[] says why) if it was refused with EINVAL the
 * verifier did not give: something answers the probes, so nothing they
 * say is a fact.
 */
static int range_enforced(__u32 id, enum bpf_attach_type at)
{
	int err;

	if (rcheck(id, at, 0))
		return 0;
	if ((err = rcheck(id, at, 1)) != -EINVAL)
		return err == RCHECK_RANGE;
	name_rcheck_answer(id, at);
	return -ECANCELED;
}

/* Room for every bpf_lsm_bpf* and security_bpf*; past it -E2BIG, closed. */
#define ANSWER_IDS 64

static bool has_id(const __u32 *ids, __u32 n, __u32 id);
static bool ratchet_code(const struct ratchet_prog_scan *r);

/*
 * The BTF ids, in the running kernel's vmlinux BTF, of every function on
 * the path of a bpf(2) call where a BPF program can end the call with an
 * answer of its own: the BPF LSM hooks of bpf(2) (bpf_lsm_bpf*: bpf,
 * bpf_map, bpf_prog and their *_security; where the kernel has them
 * bpf_map_create, bpf_prog_load and bpf_token_*, 6.12 and 7.2) and the
 * security_bpf* functions fmod_ret can attach to. Read once per process.
 * Decided on these ids, never on a program's name.
 */
static int answer_ids(const __u32 **ids, int *n)
{
	static __u32 got[ANSWER_IDS];
	static int ngot;
	const struct btf *btf;
	const struct btf_type *t;
	const char *name;
	__u32 i, cnt;

	if (!ngot) {
		if (!(btf = kernel_btf()))
			return errno ? -errno : -ENOENT;
		for (i = 1, cnt = btf__type_cnt(btf); i < cnt; i++) {
			t = btf__type_by_id(btf, i);
			if (!btf_is_func(t))
				continue;
			name = btf__name_by_offset(btf, t->name_off);
			if (!name || (strncmp(name, "bpf_lsm_bpf", 11) &&
				      strncmp(name, "security_bpf", 12)))
				continue;
			if (ngot == ANSWER_IDS)
				return -E2BIG;
			got[ngot++] = i;
		}
	}
	*ids = got;
	*n = ngot;
	return ngot ? 0 : -ENOENT;
}

/*
 * Can program @r end a bpf(2) call of ratchet's with an answer of its
 * own (@ids from answer_ids())? An LSM program of any attach type (LSM
 * or lsm_cgroup) on a bpf* LSM hook: the programs of a hook run from one
 * trampoline as modify-return programs, the first non-zero return ends
 * the chain (invoke_bpf_mod_ret(), arch/x86/net/bpf_jit_comp.c, 6.1 to
 * 7.2), so one that runs before ratchet's answers for it: any, at the
 * first lock (none of ratchet's is attached yet), and after it the
 * newest (hlist_add_head() in __bpf_trampoline_link_prog(),
 * kernel/bpf/trampoline.c, 6.1 to 7.2). Whether attached yet or not:
 * one loaded keeps its fds and can be attached at any time. A tracing
 * program there that is not fentry, fexit, tp_btf or an iterator (return
 * ignored): fmod_ret, or a kind ratchet has not reasoned about. An LSM
 * program's attach_btf_id is in vmlinux's BTF; a tracing program's may be
 * in a module's, whose ids follow vmlinux's (split BTF), so no module
 * function is taken for one of these.
 */
static bool answers(const __u32 *ids, int n, const struct ratchet_prog_scan *r)
{
	if (!has_id(ids, (__u32)n, r->attach_btf_id))
		return false;
	if (r->type == BPF_PROG_TYPE_LSM)
		return true;
	return r->type == BPF_PROG_TYPE_TRACING &&
	       r->attach_type != BPF_TRACE_FENTRY &&
	       r->attach_type != BPF_TRACE_FEXIT &&
	       r->attach_type != BPF_TRACE_RAW_TP &&
	       r->attach_type != BPF_TRACE_ITER;
}

/* overrule[]: what program @r is, where, and why it matters. */
static void name_answerer(const struct ratchet_prog_scan *r, const char *what)
{
	const struct btf *btf = kernel_btf();
	const struct btf_type *t =
		btf ? btf__type_by_id(btf, r->attach_btf_id) : NULL;

	snprintf(overrule, sizeof(overrule),
		 "%s program id %u (%s) on %s can answer ratchet's own bpf(2) "
		 "calls before ratchet's programs run, so %s",
		 rbpf_prog_type(r->type), r->id, r->name[0] ? r->name : "-",
		 t ? btf__name_by_offset(btf, t->name_off) : "?", what);
}

#define UNTRUSTED_FIRST                                                        \
	"what the verifier answers ratchet's test loads cannot be trusted"

/*
 * Before the first lock believes its test loads (arm_guard()): no
 * program may be loaded that can answer them (answers()), attached or
 * not (it can be attached at any time). Read from every program's struct
 * bpf_prog by an iterator (progscan.c), no bpf(2) answer about them
 * involved. Not a copy of ratchet's own code (ratchet_code(), loaded
 * before the lock by root or a test): unsealed it answers nothing, and
 * sealed it refuses only with EPERM, or ENOENT for fds to its own maps
 * (bpf/bpfself.h), never EINVAL to a load; an fd by id refused makes
 * ratchet_code() false, so such a refusal only counts the program in.
 * -ECANCELED naming the first (overrule[]): nothing is locked.
 */
static int no_answerer(void)
{
	struct ratchet_prog_scan *r;
	const __u32 *ids;
	__u32 self;
	int n, nids, i, err;

	step = "looking for BPF programs that answer bpf(2) calls before "
	       "ratchet's";
	if ((err = answer_ids(&ids, &nids)) ||
	    (err = progscan_all(&r, &n, &self, NULL)))
		return err;
	for (i = 0;
	     i < n && (!answers(ids, nids, &r[i]) || ratchet_code(&r[i])); i++)
		;
	if (i < n)
		name_answerer(&r[i], UNTRUSTED_FIRST);
	free(r);
	return i < n ? -ECANCELED : 0;
}

/*
 * Detected before anything of the lock is loaded; *@flags for the seal.
 * Only with no program that can answer the test loads, looked for before
 * and after them (one loaded meanwhile and gone again is root racing the
 * first lock, like root preloading it: later locks and status re-check).
 * That scan names the programs it knows can answer (bpf* hooks); what a
 * claim rests on is the verifier's own log line (range_enforced()), which
 * a program anywhere else on the load's path cannot give: a probe refused
 * without it fails the lock, nothing locked (-ECANCELED).
 */
static int arm_guard(__u32 *flags)
{
	const struct btf *btf = kernel_btf();
	struct guard g;
	int i, err;

	step = "reading the BTF ids of ratchet's hooks for the BPF self-protection";
	if (!btf)
		return errno ? -errno : -ENOENT;
	if ((err = features_guard(btf, &g)) || (err = no_answerer()))
		return err;
	step = "checking which return values the verifier allows LSM programs";
	detected_flags =
		RATCHET_GUARD_LSM_RANGES | RATCHET_GUARD_SET_RETVAL_RANGES;
	for (i = 0; i < g.nlsm; i++) {
		if ((err = range_enforced(g.lsm[i], BPF_LSM_MAC)) < 0)
			return err;
		if (!err)
			detected_flags &= ~RATCHET_GUARD_LSM_RANGES;
		if ((err = range_enforced(g.lsm[i], BPF_LSM_CGROUP)) < 0)
			return err;
		if (!err)
			detected_flags &= ~RATCHET_GUARD_SET_RETVAL_RANGES;
	}
	if ((err = no_answerer()))
		return err;
	*flags = g.flags | detected_flags;
	return 0;
}

/*
 * The cgroup/sysctl programs at the cgroup v2 root, attached there or
 * (@flags BPF_F_QUERY_EFFECTIVE) in the order a write meets them.
 */
static int root_sysctls(__u32 flags, __u32 *ids, __u32 *cnt)
{
	int cg = kfs_cgroup_root();
	__u32 attach_flags;
	int err = 0;

	if (cg < 0)
		return cg;
	if (bpf_prog_query(cg, BPF_CGROUP_SYSCTL, flags, &attach_flags, ids,
			   cnt))
		err = -errno;
	close(cg);
	return err;
}

/* The id of the program behind @fd. */
static int fd_prog_id(int fd, __u32 *id)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*id = info.id;
	return 0;
}

/*
 * Does ratchet's sysctl program (id @own) run last at the cgroup v2 root?
 * Those of descendant cgroups and those attached earlier at the root run
 * before it, and it reads the value they leave; one after it would decide
 * what the kernel stores (bpfself.h). The root's effective list is the
 * order every task meets. -ENOTRECOVERABLE, with the first id after ours
 * in *@after, when one follows; -ENOENT when ours is not there at all.
 */
static int sysctl_runs_last(__u32 own, __u32 *after)
{
	__u32 ids[64], cnt = 64, i;
	int err;

	step = "checking that ratchet's sysctl program runs last at the cgroup root";
	if ((err = root_sysctls(BPF_F_QUERY_EFFECTIVE, ids, &cnt)))
		return err;
	for (i = 0; i < cnt && ids[i] != own; i++)
		;
	if (i == cnt)
		return -ENOENT;
	if (i + 1 == cnt)
		return 0;
	*after = ids[i + 1];
	snprintf(
		overrule, sizeof(overrule),
		"cgroup/sysctl program id %u runs after ratchet's at the cgroup "
		"root and decides what any sysctl write stores",
		*after);
	return -ENOTRECOVERABLE;
}

struct seal_call {
	int prog_fd;
	struct ratchet_raise_args *args;
};

static int seal_here(void *ctx)
{
	struct seal_call *c = ctx;

	return run_raise(c->prog_fd, c->args);
}

/*
 * ratchet_raise seals with the caller's working directory at the root of
 * the pin bpffs: that is how it learns which mount to protect.
 */
static int seal(int prog_fd, int dirfd, struct ratchet_raise_args *args)
{
	struct seal_call c = { prog_fd, args };

	step = "entering " RATCHET_PIN_DIR " to seal";
	return pindir_within(dirfd, seal_here, &c);
}

/*
 * Attach ratchet's sysctl program at the cgroup root and check it runs
 * last there: before sealing, one attached meanwhile fails the lock
 * cleanly (-EAGAIN, rbpf_overrule() says which).
 */
static int sysctl_last(struct ratchet_bpf *skel)
{
	__u32 id = 0, after;
	int err = attach_sysctl(skel);

	if (!err)
		err = fd_prog_id(bpf_program__fd(skel->progs.ratchet_sysctl),
				 &id);
	if (!err && (err = sysctl_runs_last(id, &after)) == -ENOTRECOVERABLE)
		err = -EAGAIN;
	return err;
}

/*
 * Right after sealing, the state's program-id boundary (bpfself.h,
 * scanned()): the id of a program loaded now. Until it is written no
 * program loaded before the seal of a refused kind gets an fd, and the
 * lock's own checks open every program by id. Best effort: the lock's
 * program scan writes it otherwise (write_prog_ids()), and what is
 * sealed stays, so nothing is undone if it fails.
 */
static void seal_prog_ids(int raise_fd)
{
	struct ratchet_raise_args a = {};

	if (!progscan_id(&a.prog_ids))
		run_raise(raise_fd, &a);
}

/*
 * Nothing is locked yet. Until the raise seals the state, a failure undoes
 * everything: destroying the skeleton detaches whatever was attached.
 * After it, this process lets go of every fd: the lock stands on its pins.
 */
static int first_lock(struct ratchet_raise_args *args, const struct pin_dir *d)
{
	struct ratchet_bpf *skel;
	int err;

	step = "opening the BPF object";
	btf_test_knob();
	skel = identity_open();
	if (!skel)
		return -errno;
	err = hooks_checked(skel);
	if (!err)
		err = arm_guard(&args->guard_flags);
	if (!err)
		err = load_and_pin(skel, d->fd);
	if (!err && !test_skip(skel, "ratchet_sysctl"))
		err = sysctl_last(skel);
	if (!err)
		err = map_id(skel->maps.state, &args->state_map_id);
	if (!err) {
		args->pin_dev = d->pin_dev;
		args->run_dev = d->run_dev;
		err = seal(bpf_program__fd(skel->progs.ratchet_raise), d->fd,
			   args);
	}
	if (!err)
		seal_prog_ids(bpf_program__fd(skel->progs.ratchet_raise));
	if (err) {
		detach_sysctl(skel);
		pindir_within(d->fd, unpin_all, skel);
	}
	ratchet_bpf__destroy(skel);
	return err;
}

/* A later lock: through the tag-verified raise program of the lock. */
static int raise_found(const struct expected *e, const struct lock_view *v,
		       struct ratchet_raise_args *args)
{
	const struct expected_prog *r = identity_prog(e, "ratchet_raise");
	int fd, err;

	step = "opening ratchet_raise by id";
	if (!r || !v->prog[r - e->p])
		return -EBADF;
	fd = bpf_prog_get_fd_by_id(v->prog[r - e->p]);
	if (fd < 0)
		return -errno;
	err = run_raise(fd, args);
	close(fd);
	return err;
}

/* Every requested restriction is in force, by the kernel's facts. */
static bool in_force(const struct ratchet_state *st,
		     const struct ratchet_raise_args *a)
{
	struct ratchet_mask want = a->enforce;
	int i;

	ratchet_mask_or(&want, &a->permissive);
	for (i = 0; i < RATCHET_SLOTS; i++)
		if (ratchet_mask_test(&want, i) && !enforced_slot(&last_enf, i))
			return false;
	return (sysctls_in_force(st) & a->sysctls) == a->sysctls;
}

/*
 * Read the lock back from the kernel, once this process holds nothing of
 * it: the only proof that counts. @pins_fd: the pin bpffs (first lock),
 * where the links' pins are checked; -1 to look for it. -EIO: the state
 * does not hold the request; -ENOTRECOVERABLE: it does, but the kernel's
 * facts say it is not in force (rbpf_enforcement() says why).
 */
static int verify(const struct ratchet_raise_args *a, int pins_fd,
		  struct ratchet_state *st)
{
	const struct expected *e;
	struct lock_view v;
	struct posture p;
	int err = find(&v, &e), fd = pins_fd;

	if (err)
		return err == -ENOENT || err == -EALREADY ? -EIO : err;
	step = "verifying the lock";
	*st = v.snap.state;
	if (fd < 0)
		fd = pins_open(&v.snap);
	facts_check_pins(e, &v, fd);
	if (fd >= 0 && pins_fd < 0)
		close(fd);
	posture_read(&p);
	enforced_derive(e, &v, &p, &last_enf);
	if (!st->pin_dev ||
	    !ratchet_state_covers(st, &a->enforce, &a->permissive, a->sysctls))
		return -EIO;
	return in_force(st, a) ? 0 : -ENOTRECOVERABLE;
}

/*
 * Raise a lock found by identity, only if what a raise cannot fix holds:
 * its maps are the ones its programs were built for (facts.c,
 * check_shapes(): a per-CPU state seals one CPU) and its seal time lies
 * between their loads and now (check_sealed()). -EUCLEAN otherwise, and
 * nothing is raised: root made it before the first lock.
 */
static int adopt(const struct expected *e, const struct lock_view *v,
		 struct ratchet_raise_args *args, struct ratchet_state *st)
{
	step = "checking the maps of the lock found";
	if (v->bad_map || v->seal_bad)
		return -EUCLEAN;
	return raise_found(e, v, args) ?: verify(args, -1, st);
}

/*
 * The lock in force, found by identity wherever its pins went; or a first
 * lock, serialised by a lock file. -EALREADY: ratchet's programs are
 * loaded but were never sealed (a first lock that was killed midway);
 * -EBADF: programs named like ratchet's are attached but are not this
 * ratchet's (another build, or a look-alike made by root).
 */
static int lock_or_raise(struct ratchet_raise_args *args,
			 struct ratchet_state *st)
{
	const struct expected *e;
	struct lock_view v;
	struct pin_dir d;
	bool sealed = false;
	int err = find(&v, &e);

	if (!err)
		return adopt(e, &v, args, st);
	if (err != -ENOENT)
		return err;
	if (v.lookalikes)
		return -EBADF;
	if ((err = pindir_serialise(&d, &step))) {
		pindir_close(&d, false);
		return err;
	}
	/* Whoever held the lock file may have locked meanwhile. */
	err = find(&v, &e);
	if (!err) {
		err = adopt(e, &v, args, st);
	} else if (err == -ENOENT) {
		sealed = !(err = pindir_make(&d, &step)) &&
			 !(err = first_lock(args, &d));
		if (sealed)
			err = verify(args, d.fd, st);
	}
	/* Only mounts made by this run, and not sealed: those cannot go. */
	pindir_close(&d, err && !sealed);
	return err;
}

/* One raise: restrictions and sysctl knobs land together or not at all. */
int rbpf_lock_sysctl(const struct ratchet_mask *enforce,
		     const struct ratchet_mask *permissive, __u64 sysctls,
		     struct ratchet_state *st)
{
	struct ratchet_raise_args args = {
		.enforce = *enforce,
		.permissive = *permissive,
		.sysctls = sysctls,
	};

	static struct ratchet_snapshot snap;
	int err;

	libbpf_set_print(quiet);
	memset(&last_enf, 0, sizeof(last_enf));
	overrule[0] = '\0';
	locking = true;
	overrule_open = false;
	/*
	 * -ENOTRECOVERABLE either way: not in force by the kernel's facts
	 * (rbpf_enforcement()), or in force but overruled (rbpf_overrule()).
	 */
	if ((err = lock_or_raise(&args, st)) ||
	    (err = rbpf_read_snapshot(&snap)))
		return err;
	return rbpf_check_overrule(&snap);
}

/* ---- the event log ---- */

/*
 * An fd to one of the lock's syscall programs, found by its tag (never by
 * its name or pin): its log reader or its probe mark. The caller closes it.
 */
int rbpf_prog_fd(enum rbpf_prog which)
{
	const char *name = which == RBPF_READ ? "ratchet_read" : "ratchet_mark";
	const struct expected_prog *p;
	const struct expected *e;
	struct lock_view v;
	int err, fd;

	libbpf_set_print(quiet);
	if ((err = find(&v, &e)))
		return err == -EALREADY ? -ENOENT : err;
	step = "opening ratchet's event log reader or probe mark by id";
	p = identity_prog(e, name);
	if (!p || !v.prog[p - e->p])
		return -EBADF;
	fd = bpf_prog_get_fd_by_id(v.prog[p - e->p]);
	return fd < 0 ? -errno : fd;
}

/* Run syscall program @fd on @ctx (copied back); its return value. */
int rbpf_run(int fd, void *ctx, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx,
		    .ctx_size_in = (__u32)len);

	if (bpf_prog_test_run_opts(fd, &opts))
		return -errno;
	return (int)opts.retval;
}

/* ---- what survives a lock ---- */

#define MAPS_MAX 8

/* @fd's program info with up to MAPS_MAX map ids; *@n how many it has. */
static int prog_info(int fd, struct bpf_prog_info *info, __u32 *maps, __u32 *n)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	info->nr_map_ids = MAPS_MAX;
	info->map_ids = (__u64)(unsigned long)maps;
	if (bpf_obj_get_info_by_fd(fd, info, &len))
		return -errno;
	*n = info->nr_map_ids < MAPS_MAX ? info->nr_map_ids : MAPS_MAX;
	return 0;
}

static bool has_id(const __u32 *ids, __u32 n, __u32 id)
{
	while (n--)
		if (ids[n] == id)
			return true;
	return false;
}

/*
 * BPF programs loaded before the first lock (load_time < sealed_ns) that
 * are not ratchet's: they keep whatever helpers they were verified with.
 * Ratchet's own are told by an object, never a name: every one of them
 * uses the state map, which did not exist before the first lock began
 * and of which no new fd is made once it sealed. Fills up to @max
 * entries; returns how many there are, or -errno.
 */
int rbpf_programs_before(const struct ratchet_state *st, struct prog_note *out,
			 int max)
{
	__u32 id = 0;
	int n = 0;

	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info;
		__u32 maps[MAPS_MAX], k = 0;
		int fd;

		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;
		if (!prog_info(fd, &info, maps, &k) &&
		    info.load_time < st->sealed_ns &&
		    !has_id(maps, k, st->state_map_id)) {
			if (n < max) {
				out[n].id = info.id;
				out[n].type = info.type;
				snprintf(out[n].name, sizeof(out[n].name), "%s",
					 info.name);
			}
			n++;
		}
		close(fd);
	}
	return errno == ENOENT || !errno ? n : -errno;
}

const char *rbpf_prog_type(__u32 type)
{
	const char *s = libbpf_bpf_prog_type_str(type);

	return s ? s : "unknown";
}

/* ---- what can overrule a lock ---- */

/*
 * Program @id uses the state map (id @state): one of ratchet's, as the
 * bpf_prog hook tells them (no program can be given that map once sealed).
 * Its name, when @name is not NULL, must be that too.
 */
static bool prog_uses_state(__u32 id, __u32 state, const char *name)
{
	struct bpf_prog_info info;
	__u32 maps[MAPS_MAX], n = 0;
	int fd = bpf_prog_get_fd_by_id(id), err;

	if (fd < 0)
		return false;
	err = prog_info(fd, &info, maps, &n);
	close(fd);
	return !err && has_id(maps, n, state) &&
	       (!name || !strcmp(info.name, name));
}

/* ratchet's cgroup/sysctl program among those at the cgroup root. */
static int find_sysctl(__u32 state, __u32 *id)
{
	__u32 ids[64], cnt = 64, i;
	int err;

	step = "looking for ratchet's sysctl program at the cgroup root";
	if ((err = root_sysctls(0, ids, &cnt)))
		return err;
	for (i = 0; i < cnt; i++)
		if (prog_uses_state(ids[i], state, "ratchet_sysctl")) {
			*id = ids[i];
			return 0;
		}
	return -ENOENT;
}

/*
 * What program @r, not ratchet's, can do to ratchet's decisions, or NULL.
 * Each kind bpf/bpfself.h refuses after a lock because it could overrule
 * one: such a program loaded before the lock keeps its fds, by id and
 * from pins (ratchet_bpf_prog lets those through), so whether attached
 * yet or not, it can be attached, or put in a prog array, at any time.
 */
static const char *overrules(const struct guard *g, __u32 flags,
			     const struct ratchet_prog_scan *r)
{
	__u32 t = r->type, at = r->attach_type, id = r->attach_btf_id;

	if (r->write_ctx)
		return "writes the registers it is given (7.x "
		       "kprobe_write_ctx): tail-called from a kprobe on one of "
		       "ratchet's hooks, it rewrites the hook's return value";
	if (t == BPF_PROG_TYPE_TRACING && at == BPF_MODIFY_RETURN &&
	    (has_id(g->sec, (__u32)g->nsec, id) ||
	     (flags & RATCHET_GUARD_ERROR_INJECTION)))
		return "is fmod_ret on a function ratchet's hooks are "
		       "called from";
	if (t == BPF_PROG_TYPE_LSM && at == BPF_LSM_MAC &&
	    has_id(g->lsm, (__u32)g->nlsm, id) &&
	    !(flags & RATCHET_GUARD_LSM_RANGES))
		return "is an LSM program on one of ratchet's hooks, where "
		       "this kernel lets it return a positive value";
	if (t == BPF_PROG_TYPE_LSM && at == BPF_LSM_CGROUP &&
	    has_id(g->lsm, (__u32)g->nlsm, id) &&
	    (~flags &
	     (RATCHET_GUARD_LSM_RANGES | RATCHET_GUARD_SET_RETVAL_RANGES)))
		return "is an lsm_cgroup program on one of ratchet's hooks, "
		       "where this kernel lets it set a positive value";
	if (t == BPF_PROG_TYPE_EXT &&
	    (r->dst_type == BPF_PROG_TYPE_LSM ||
	     r->dst_type == BPF_PROG_TYPE_TRACING ||
	     r->dst_type == BPF_PROG_TYPE_CGROUP_SYSCTL ||
	     r->dst_type == BPF_PROG_TYPE_SYSCALL ||
	     r->dst_type == BPF_PROG_TYPE_EXT ||
	     r->dst_type == BPF_PROG_TYPE_STRUCT_OPS))
		return "is an extension (freplace) of a program of the kind "
		       "ratchet's are";
	return NULL;
}

/*
 * Program @r is one of this ratchet's: its tag, type and attach type. Its
 * code returns only 0 or -errno and writes no context, whatever state map
 * it was loaded with (a copy loaded before the lock, listed by status).
 * The tag alone would not do: it hashes the instructions only
 * (bpf_prog_calc_tag(), kernel/bpf/core.c), so the same code loaded as an
 * extension or an fmod_ret program would pass.
 */
static bool ratchet_code(const struct ratchet_prog_scan *r)
{
	const struct expected *e;
	struct bpf_prog_info info;
	__u32 maps[MAPS_MAX], n = 0;
	int fd, err, i;

	if (expected_get(&e) || (fd = bpf_prog_get_fd_by_id(r->id)) < 0)
		return false;
	err = prog_info(fd, &info, maps, &n);
	close(fd);
	for (i = 0; !err && i < e->n; i++)
		if (!memcmp(e->p[i].tag, info.tag, TAG_LEN) &&
		    e->p[i].type == r->type &&
		    e->p[i].attach_type == r->attach_type)
			return true;
	return false;
}

/* MAX_USED_MAPS in include/linux/bpf.h (6.1 to 7.2) */
#define USED_MAPS_MAX 64

/* One of the lock's maps, which give no fd once sealed (bpfself.h). */
static bool lock_map(const struct ratchet_snapshot *snap, __u32 id)
{
	return id == snap->state_map.id || id == snap->tables_map.id ||
	       id == snap->log_map.id || id == snap->folds_map.id ||
	       id == snap->marks_map.id;
}

/*
 * Program @id uses a prog array (1), does not (0), or cannot be read
 * (-errno, whatever the errno: an LSM program on lsm/bpf, lsm/bpf_prog
 * or lsm/bpf_map run before ratchet's can answer any of these calls,
 * ENOENT included, for chosen ids; a map a live program uses cannot be
 * gone, the program holds a reference in aux->used_maps,
 * kernel/bpf/verifier.c, 6.1 to 7.2). A prog array cannot be an inner
 * map (no map_meta_equal: bpf_map_meta_alloc(), kernel/bpf/map_in_map.c,
 * 6.1 to 7.2), so the array of a tail call is among the program's own
 * maps. The lock's own maps are not asked for: the bpf_map hook would
 * refuse and log it, and none is a prog array.
 */
static int uses_prog_array(__u32 id, const struct ratchet_snapshot *snap)
{
	struct bpf_prog_info info = {};
	struct bpf_map_info mi;
	__u32 maps[USED_MAPS_MAX], len = sizeof(info), i, n;
	int fd = bpf_prog_get_fd_by_id(id), mfd, found = 0;

	if (fd < 0)
		return -errno;
	info.nr_map_ids = USED_MAPS_MAX;
	info.map_ids = (__u64)(unsigned long)maps;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		found = -errno;
	close(fd);
	n = info.nr_map_ids < USED_MAPS_MAX ? info.nr_map_ids : USED_MAPS_MAX;
	for (i = 0; found == 0 && i < n; i++) {
		memset(&mi, 0, sizeof(mi));
		len = sizeof(mi);
		if (lock_map(snap, maps[i]))
			continue;
		if ((mfd = bpf_map_get_fd_by_id(maps[i])) < 0) {
			found = -errno;
			break;
		}
		if (bpf_obj_get_info_by_fd(mfd, &mi, &len))
			found = -errno;
		else if (mi.type == BPF_MAP_TYPE_PROG_ARRAY)
			found = 1;
		close(mfd);
	}
	return found;
}

/*
 * A syscall program with a prog array: 7.x lets sleepable programs use
 * one (check_map_prog_compatibility(), kernel/bpf/verifier.c), 6.1 and
 * 6.12 refuse it; such a program existing is the running kernel saying
 * it allows it. Tail-called from another syscall program, it reads and
 * writes past the caller's context (bpfself.h, tail_calls()). One that
 * cannot be read is counted too.
 */
static const char *tail_caller(const struct ratchet_prog_scan *r,
			       const struct ratchet_snapshot *snap)
{
	int u;

	if (r->type != BPF_PROG_TYPE_SYSCALL)
		return NULL;
	u = uses_prog_array(r->id, snap);
	if (u == 1)
		return "is a syscall program with a prog array: a tail call "
		       "runs past its caller's context, on the kernel heap "
		       "where ratchet's maps are";
	/*
	 * Gone only if the kernel's program table says so (progscan_has():
	 * an iterator, no bpf(2) answer about this id): ENOENT from an fd by
	 * id is what an LSM program on lsm/bpf can answer for a live one.
	 */
	if (u < 0 && progscan_has(r->id) == 0)
		return NULL;
	return u < 0 ? "is a syscall program whose maps cannot be read (it "
		       "may tail-call)"
		     : NULL;
}

/*
 * The state's program-id boundary (bpfself.h, scanned()) must not trust
 * an id this scan may not have read: it may not exceed this scanner's
 * own, loaded before it read (@self). A lock writes it first, if unset,
 * through ratchet_raise (@locking); root can only have written it
 * earlier, through the same program, or before the seal.
 */
static int write_prog_ids(__u32 self)
{
	struct ratchet_raise_args a = { .prog_ids = self };
	static struct ratchet_snapshot snap;
	const struct expected *e;
	struct lock_view v;
	int err;

	if (locking && !prog_ids &&
	    ((err = find(&v, &e)) || (err = raise_found(e, &v, &a))))
		return err;
	if (locking && (err = rbpf_read_snapshot(&snap)))
		return err;
	if (locking)
		prog_ids = snap.state.prog_ids;
	return 0;
}

static const char untrusted_claim[] =
	"the verifier ranges ratchet's state claims cannot be re-checked (that "
	"program can answer the test loads) and LSM programs on ratchet's "
	"hooks are let through on that claim; fix: remove it and reboot";

/*
 * A program, not ratchet's, that could overrule it (overrules(),
 * tail_caller()), or, where the state claims verifier ranges, answer the
 * re-check of that claim (answers(), claims_hold() runs after this),
 * read from each program's struct bpf_prog (progscan.c),
 * attached or not. One loaded before the seal keeps its fds if this scan
 * could see it (scanned(), bpfself.h); one loaded after it gets none and
 * is freed at once (bpf_prog_load() in kernel/bpf/syscall.c, 6.1 to 7.2),
 * but its load time is not taken on trust: sealed_ns is what the state
 * says, so any such program found fails the check.
 */
#define FIRST_MAX 16
static struct first_note first[FIRST_MAX];
static int nfirst;

/*
 * Route E (the audit hush): an LSM program of root's on one of ratchet's
 * hooks, where the verifier keeps it to 0 or -errno, cannot overrule a
 * lock, and the coexistence rules let it attach. But the newest program
 * of a trampoline runs first (hlist_add_head() in
 * __bpf_trampoline_link_prog(), kernel/bpf/trampoline.c, 6.1 to 7.2) and
 * the first refusal ends the chain, so what it refuses never reaches
 * ratchet's program: refused, but counted and logged nowhere. Not
 * closable without refusing security agents there; listed by status, by
 * program id and hook, from the scan the overrule check makes anyway.
 */
static void note_first(const struct guard *g,
		       const struct ratchet_snapshot *snap,
		       const struct ratchet_prog_scan *r, int n)
{
	const char *hook;
	int i;

	for (nfirst = 0, i = 0; i < n && nfirst < FIRST_MAX; i++) {
		if (r[i].type != BPF_PROG_TYPE_LSM ||
		    !has_id(g->lsm, (__u32)g->nlsm, r[i].attach_btf_id) ||
		    ratchet_code(&r[i]) ||
		    prog_uses_state(r[i].id, snap->state.state_map_id, NULL))
			continue;
		first[nfirst].id = r[i].id;
		snprintf(first[nfirst].name, sizeof(first[nfirst].name), "%s",
			 r[i].name);
		hook = btf_func_name(r[i].attach_btf_id);
		if (!strncmp(hook, "bpf_lsm_", 8))
			hook += 8;
		snprintf(first[nfirst].hook, sizeof(first[nfirst].hook), "%s",
			 hook);
		nfirst++;
	}
}

int rbpf_runs_first(const struct first_note **out)
{
	*out = first;
	return nfirst;
}

static int overruling_prog(const struct guard *g,
			   const struct ratchet_snapshot *snap)
{
	__u32 claims =
		snap->state.guard_flags &
		(RATCHET_GUARD_LSM_RANGES | RATCHET_GUARD_SET_RETVAL_RANGES);
	struct ratchet_prog_scan *r;
	const char *why = NULL;
	const __u32 *ids = NULL;
	__u32 self;
	int n, nids = 0, i, err;

	step = "reading every BPF program's kind (an iter/bpf_prog program)";
	prog_ids = snap->state.prog_ids;
	if (claims && (err = answer_ids(&ids, &nids)))
		return err;
	if ((err = progscan_all(&r, &n, &self, write_prog_ids)))
		return err;
	for (i = 0; i < n && !why; i++)
		if ((why = overrules(g, snap->state.guard_flags, &r[i])
				   ?: tail_caller(&r[i], snap)
				   ?: (claims && answers(ids, nids, &r[i])
					       ? untrusted_claim
					       : NULL)) &&
		    (prog_uses_state(r[i].id, snap->state.state_map_id, NULL) ||
		     ratchet_code(&r[i])))
			why = NULL;
	if (why == untrusted_claim) {
		name_answerer(&r[i - 1], why);
		overrule_open = true;
	} else if (why)
		snprintf(overrule, sizeof(overrule),
			 "%s program id %u, loaded%s, %s",
			 rbpf_prog_type(r[i - 1].type), r[i - 1].id,
			 r[i - 1].load_time < snap->state.sealed_ns
				 ? " before the lock"
				 : "",
			 why);
	else if (prog_ids > self)
		snprintf(overrule, sizeof(overrule),
			 "ratchet's state gives fds to programs loaded across "
			 "the seal with ids up to %u, past the program scan's "
			 "own id %u: one of them no scan read could be "
			 "attached",
			 prog_ids, self);
	note_first(g, snap, r, n);
	free(r);
	return why || prog_ids > self ? -ENOTRECOVERABLE : 0;
}

/*
 * overrule[]: the state claims the verifier keeps @what on its hooks, and
 * its re-check on @id either @loaded, or was refused with EINVAL the
 * verifier's log does not give (something else answered it).
 */
static void claim_false(const char *what, __u32 id, bool loaded)
{
	snprintf(
		overrule, sizeof(overrule),
		"ratchet's state claims this kernel's verifier keeps %s on "
		"its hooks, %s with a 1 on %s%s, and such programs can be "
		"attached to end them",
		what,
		loaded ? "which it does not: it loaded one"
		       : "which cannot be vouched for: its re-check",
		btf_func_name(id),
		loaded ? " (a look-alike or a deceived first lock sealed "
			 "this state)"
		       : " was refused with EINVAL and no range refusal in the "
			 "verifier's log (something answered it after the "
			 "verifier passed it: a BPF program on a hook every new "
			 "file passes, such as lsm/file_alloc_security)");
}

/*
 * The ranges the state says the first lock detected (arm_guard()) are a
 * claim: root can seal ratchet's exact object with a state and tables of
 * its own before the first lock, or answer the first lock's test loads
 * itself (LD_PRELOAD), and bpf/bpfself.h lets LSM (lsm_cgroup) programs
 * onto ratchet's hooks where the claim says the verifier keeps them to 0
 * or -errno. So each lock and status re-checks every range claimed, on
 * every hook, by loading (never attaching) the program with a 1 in it:
 * where the claim is true the verifier refuses it (EINVAL, its log
 * saying why: rcheck()) and it never reaches ratchet's lsm/bpf_prog,
 * which runs after the verifier (security_bpf_prog() from
 * bpf_prog_new_fd(), after bpf_check() in bpf_prog_load(),
 * kernel/bpf/syscall.c; lsm/bpf runs first, security_bpf() in
 * __sys_bpf(), and passes every BPF_PROG_LOAD; 6.1, 6.12, 7.2): no
 * denial, no event. Where it is false the program loads (ratchet's hook
 * allows it, as the claim says) and is closed at once: -ENOTRECOVERABLE.
 * An EINVAL without the verifier's line is something else answering
 * (rcheck()): the claim cannot be vouched for, -ENOTRECOVERABLE too.
 * Another refusal cannot tell (-errno, returned): that fails closed too
 * (a lock exits non-zero, status says it could not check).
 */
static int claims_hold(const struct guard *g, __u32 flags)
{
	static const struct {
		__u32 flag;
		enum bpf_attach_type at;
		const char *what;
	} c[] = {
		{ RATCHET_GUARD_LSM_RANGES, BPF_LSM_MAC,
		  "LSM programs to 0 or -errno" },
		{ RATCHET_GUARD_SET_RETVAL_RANGES, BPF_LSM_CGROUP,
		  "what lsm_cgroup programs set to 0 or -errno" },
	};
	size_t k;
	int i, err;

	step = "re-checking the verifier ranges the state claims";
	for (k = 0; k < sizeof(c) / sizeof(c[0]); k++)
		for (i = 0; (flags & c[k].flag) && i < g->nlsm; i++) {
			if ((err = rcheck(g->lsm[i], c[k].at, 1)) ==
			    RCHECK_RANGE)
				continue;
			if (err && err != -EINVAL)
				return err;
			claim_false(c[k].what, g->lsm[i], !err);
			overrule_open = true;
			return -ENOTRECOVERABLE;
		}
	return 0;
}

/*
 * Nothing that runs after ratchet's decision, or before it with the power
 * to end it, may be in force when a lock exits 0. Once sealed nothing of
 * the kind can be attached (bpfself.h), so what this finds was attached
 * before, or in the moments before the seal: the lock is in force, and
 * -ENOTRECOVERABLE says it can be overruled until reboot (overrule[]).
 */
int rbpf_check_overrule(const struct ratchet_snapshot *snap)
{
	const struct btf *btf = kernel_btf();
	__u32 sysctl_id = 0, after;
	struct guard g;
	int err;

	if ((err = find_sysctl(snap->state.state_map_id, &sysctl_id)) ==
	    -ENOENT)
		snprintf(
			overrule, sizeof(overrule),
			"ratchet's cgroup/sysctl program is not attached at the "
			"cgroup root: kernel.ftrace_enabled=0 would switch every "
			"BPF LSM program off");
	if (err)
		return err == -ENOENT ? -ENOTRECOVERABLE : err;
	if ((err = sysctl_runs_last(sysctl_id, &after)))
		return err;
	step = "looking for programs that overrule ratchet's";
	if (!btf || (err = features_guard(btf, &g)))
		return btf ? err : -ENOENT;
	/* No program may answer claims_hold()'s loads: looked for first. */
	if ((err = overruling_prog(&g, snap)))
		return err;
	return claims_hold(&g, snap->state.guard_flags);
}

const char *rbpf_overrule(void)
{
	return overrule;
}

bool rbpf_overrule_open(void)
{
	return overrule_open;
}
