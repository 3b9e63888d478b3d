/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - interfaces inside the ratchet CLI.
 *
 * Library functions (catalogue, posture, bpf) return 0 or a negative errno
 * and never print; the command layer reports once and picks the exit code.
 */
#ifndef RATCHET_CLI_H
#define RATCHET_CLI_H

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include "ratchet.h"
#include "sysio.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	 /* refused or failed */
	EXIT_USAGE = 2,	 /* usage error or unknown name */
	EXIT_KERNEL = 3, /* the kernel cannot do it */
};

/* ---- catalogue.c: the one table of restrictions ---- */

enum rclass { RC_INTEGRITY, RC_CONFIDENTIALITY, RC_EXTRA };

struct restriction {
	char name[48];
	const char *desc;
	const char *note; /* caveat worth printing, or NULL */
	enum rclass cls;
	int slot; /* -1: the running kernel does not have it */
};

#define CATALOGUE_MAX (RATCHET_SLOTS + 32)

struct catalogue {
	struct restriction r[CATALOGUE_MAX];
	int n;
	bool btf; /* kernel reasons were resolved from BTF */
};

struct btf;
int catalogue_from_btf(struct catalogue *c, const struct btf *btf);
int catalogue_load(struct catalogue *c, const char *btf_path);
const struct btf *kernel_btf(void);
void catalogue_allow_path_btf(void);
int btf_find(const struct btf *btf, const char *name, __u32 kind);
/* A name index of one BTF (catalogue.c): btf_find()'s, kept apart to test. */
struct btf_index {
	const struct btf *btf;
	__u32 *ids;
	size_t mask;
};
int btf_index_build(struct btf_index *ix, const struct btf *btf);
int btf_index_find(const struct btf_index *ix, const char *name, __u32 kind);
void btf_index_free(struct btf_index *ix);
const struct restriction *catalogue_find(const struct catalogue *c,
					 const char *name);
const struct restriction *catalogue_by_slot(const struct catalogue *c,
					    int slot);
int catalogue_resolve(const struct catalogue *c, int n, char *const names[],
		      struct ratchet_mask *m, const char **bad);
const char *rclass_name(enum rclass cls);
int catalogue_split_sysctls(int *argc, char **argv, __u64 *knobs,
			    const char **bad);
int sysctl_knob(const char *dotted);
const char *sysctl_knob_name(int k, char *buf, size_t len);
const char *sysctl_rule_means(int k, const char **brief);
#define RATCHET_ALL_SYSCTLS ((1ULL << RATCHET_SYSCTL_END) - 1)
bool catalogue_mask_has(const struct catalogue *c, const struct ratchet_mask *m,
			const char *name);

/* Each restriction @it of @c that the running kernel has and @m holds. */
#define for_each_in_mask(it, c, m)                                             \
	for ((it) = (c)->r; (it) < (c)->r + (c)->n; (it)++)                    \
		if ((it)->slot < 0 || !ratchet_mask_test((m), (it)->slot)) {   \
		} else

/* Each raise-only sysctl knob @k (enum ratchet_sysctl) set in @knobs. */
#define for_each_knob(k, knobs)                                                \
	for ((k) = 0; (k) < RATCHET_SYSCTL_END; (k)++)                         \
		if (!((knobs) & (1ULL << (k)))) {                              \
		} else

/* ---- weak.c: the routes that could undo a lock ---- */

struct weak_point {
	const char *name;    /* the restriction that closes it */
	const char *also;    /* another that closes it too, or NULL */
	const char *reaches; /* what the route reaches */
};

const struct weak_point *weak_table(int *n);
bool weak_not_route(const char *name);
int weak_open(const struct catalogue *c, const struct ratchet_mask *enforce,
	      const struct weak_point **out, int max);
void weak_print(FILE *f, const struct catalogue *c,
		const struct ratchet_mask *enforce, const char *prefix);

/* ---- verify.c: status --verify, harmless probes of each restriction ---- */

enum vres { V_VERIFIED, V_EARLIER, V_NOT_ENFORCED, V_NO_PROBE, V_ERROR };

struct vresult {
	char name[64];	   /* the restriction, or sysctl:KNOB */
	const char *probe; /* what was tried */
	enum vres res;
	char detail[240];
};

#define VERIFY_MAX 64
struct posture;
int verify_run(const struct catalogue *c, const struct ratchet_state *st,
	       const struct posture *pos, struct vresult *out, int max);
bool verify_failed(const struct vresult *v, int n);
void verify_text(const struct vresult *v, int n);
const char *verify_word(enum vres r);
struct json_object;
struct json_object *verify_json(const struct vresult *v, int n);
void verify_prometheus(const struct vresult *v, int n);

/* ---- features.c: the kernel interfaces the BPF programs read ---- */

struct hook_proto {
	const char *hook;  /* security_<hook> */
	const char *reads; /* the parameters ratchet reads, comma separated */
	char params[160];  /* the kernel's parameters, comma separated */
	const char *extra; /* kernel parameters past ratchet's, or "" */
	int status;	   /* 0, -ENOENT (no such hook), -EPROTO (differs) */
};

#define HOOKS_MAX 32
_Static_assert(RATCHET_HOOK_END <= HOOKS_MAX, "HOOKS_MAX too small");
int features_hooks(const struct btf *btf, struct hook_proto *out, int max,
		   const struct hook_proto **bad);
int features_hook_known(const char *hook);

/* ---- kinds.c: what the kernel reads or loads, by its enums' names ---- */

enum kinds_which { KINDS_READ, KINDS_LOAD };
enum ratchet_kind kinds_by_name(const char *name);
int kinds_from_btf(const struct btf *btf, enum kinds_which which, __u8 *out);
const char *kinds_id_name(const struct btf *btf, enum kinds_which which,
			  int value, char *buf, size_t len);

/* ---- tag.c: a program's tag, as the kernel computes it ---- */

#define TAG_LEN 8
enum tag_hash { TAG_SHA1, TAG_SHA256 };
struct bpf_insn;
enum tag_hash tag_hash_of(const struct btf *btf);
int tag_compute(const struct bpf_insn *insns, size_t n, enum tag_hash h,
		__u8 tag[TAG_LEN]);
const char *tag_str(const __u8 tag[TAG_LEN], char buf[2 * TAG_LEN + 1]);

/* ---- rangelog.c: the verifier's own refusal of a return range ---- */

bool rangelog_refused(const char *log, bool set_retval);

/* ---- identity.c: this ratchet's programs as the kernel would tag them ---- */

/* The maps of a lock, by what they are for. */
enum ident_role {
	ROLE_STATE,
	ROLE_TABLES,
	ROLE_LOG,   /* the event log (bpf/audit.h) */
	ROLE_FOLDS, /* its folded attempts */
	ROLE_MARKS, /* threads marked as probing */
	ROLES
};

#define EXPECTED_PROGS 32

struct expected_prog {
	char name[64]; /* libbpf's; the kernel keeps the first 15 bytes */
	char sec[64];  /* "lsm/HOOK", "syscall", "cgroup/sysctl" */
	__u32 type, attach_type;
	__u8 tag[TAG_LEN];
	unsigned int roles; /* bit per enum ident_role it uses */
};

/* A map as the object declares it (type, sizes, entries, flags). */
struct map_shape {
	__u32 type, key_size, value_size, max_entries, flags;
};

struct expected {
	struct expected_prog p[EXPECTED_PROGS];
	int n;
	struct ratchet_tables tables;
	struct map_shape maps[ROLES]; /* each enum ident_role's */
};

struct ratchet_bpf;
struct bpf_object;
struct ratchet_bpf *identity_open(void);
int identity_load(struct bpf_object *obj);
void identity_btf_by_path(void);
int identity_expected(struct expected *e);
int identity_names(char (*names)[16], int max);
const struct expected_prog *identity_prog(const struct expected *e,
					  const char *name);

/* ---- facts.c: the lock in force, as the kernel shows it ---- */

#define FOREIGN_MAX 4

struct lock_view {
	const struct expected *exp; /* what it was found by */
	struct ratchet_snapshot snap;
	__u32 snapshot, sysctl; /* program ids */
	__u32 map[ROLES]; /* the lock's maps, as its snapshot reads them */
	__u32 prog[EXPECTED_PROGS]; /* its program for each expected one */
	__u32 link[EXPECTED_PROGS]; /* the LSM link holding it on its hook */
	int state_users;	    /* programs using the state map */
	struct {
		__u32 id, type;
		char name[16];
	} foreign[FOREIGN_MAX];
	int nforeign;	 /* of them, programs that are not ratchet's */
	char holder[64]; /* a process with an fd to the state map, or "" */
	/*
	 * The event log and its helper maps (bpf/audit.h): user references
	 * to them, programs not ratchet's using them, a process with an fd.
	 * Whoever has either can forge, drain or silence the log; the
	 * restrictions hold all the same.
	 */
	long long audit_users;
	int audit_foreign;
	char audit_holder[64];
	bool tables_rdonly, tables_match;
	/*
	 * 1 + the enum ident_role of the first map of the lock whose shape is
	 * not what this ratchet declares (then bad_shape is what it is), or 0.
	 */
	int bad_map;
	struct map_shape bad_shape;
	/* sealed_ns is not between last_load (the lock's programs) and now */
	__u64 last_load;
	bool seal_bad;
	int pins_checked; /* 1: every link's pin was found; -1: not looked at */
	char unpinned[64]; /* the first LSM program whose link has no pin */
	int lookalikes; /* programs named ratchet_* whose tags are not ours */
	char lookalike[16];
};

int facts_find(const struct expected *e, struct lock_view *v);
int facts_run_snapshot(__u32 prog, struct ratchet_snapshot *snap);
void facts_check_pins(const struct expected *e, struct lock_view *v, int dirfd);
bool facts_any_named(const char (*names)[16], int n);

/* ---- enforced.c: what is enforced, derived from the facts ---- */

#define LAPSES_MAX 24

/* A fact a lock needs that does not hold, and what it leaves unenforced. */
struct lapse {
	char what[256];
	bool all; /* every restriction (the lock can be undone) */
	struct ratchet_mask slots; /* else these */
};

struct enforcement {
	struct lapse l[LAPSES_MAX];
	int n;
};

struct posture;
void enforced_derive(const struct expected *e, const struct lock_view *v,
		     const struct posture *p, struct enforcement *out);
bool enforced_slot(const struct enforcement *en, int slot);
__u64 sysctls_in_force(const struct ratchet_state *st);
bool lapse_relevant(const struct lapse *l, const struct ratchet_state *st);
int enforced_lapses(const struct enforcement *en,
		    const struct ratchet_state *st);
struct catalogue;
const char *lapse_affects(const struct catalogue *c, const struct lapse *l,
			  const struct ratchet_state *st, char *buf,
			  size_t len);

/* ---- tables.c: what the programs decide by, besides the state ---- */

int tables_compute(const struct btf *btf, struct ratchet_tables *t);

/* What the bpf_prog hook decides on: BTF ids and flags (bpf/bpfself.h). */
struct guard {
	__u32 lsm[RATCHET_GUARD_HOOKS]; /* bpf_lsm_<hook> */
	__u32 sec[RATCHET_GUARD_HOOKS]; /* security_<hook> */
	__u32 ops[RATCHET_GUARD_OPS];	/* struct_ops types reasoned about */
	__u32 flags;			/* enum ratchet_guard_flag */
	int nlsm, nsec, nops;
};
int features_guard(const struct btf *btf, struct guard *g);

/* ---- posture.c: the kernel's own state, read-only ---- */

struct posture {
	char lockdown[32]; /* "none", "integrity", ... or "" if unknown */
	char lsm[256];	   /* securityfs lsm, "" if unreadable */
	int bpf_lsm;	   /* 1, 0, or -1 unknown */
	int btf;	   /* sysfs kernel/btf/vmlinux exists */
	/* Integer facts: the value, -1 no such file, -2 unreadable. */
	int kexec_load_disabled, modules_disabled, ftrace_enabled;
	int kexec_loaded, kexec_crash_loaded;
	int efi;	 /* booted through EFI */
	int secure_boot; /* 1, 0, or -1 unknown / no EFI */
};

void posture_read(struct posture *p);
int posture_check(const struct posture *p, const char **why, const char **fix);
/*
 * Functions built with the files of kexec (CONFIG_KEXEC_CORE: kernel_kexec(),
 * kernel/kexec_core.c), crash images (__crash_kexec(): CONFIG_KEXEC_CORE in
 * 6.1, CONFIG_CRASH_DUMP in 6.12 and 7.2) and modules (CONFIG_MODULES:
 * module_put(), kernel/module/main.c), 6.1 to 7.2. ftrace_enabled has none:
 * BPF trampolines attach at the call that only CONFIG_FUNCTION_TRACER
 * (which makes the knob) puts at the start of every function, so a kernel
 * that runs ratchet's programs has it.
 */
#define FACT_KEXEC   "kernel_kexec"
#define FACT_CRASH   "__crash_kexec"
#define FACT_MODULES "module_put"
int kfs_fact(const char *type, const char *rel, const char *func);

/* ---- kfs.c: facts from a fresh instance of their file system ---- */

int kfs_open(const char *type, const char *rel, int flags);
int kfs_read_line(const char *type, const char *rel, char *buf, size_t len);
int kfs_read_int(const char *type, const char *rel);
int kfs_cgroup_root(void);
int kfs_read_all(const char *type, const char *rel, void **data, size_t *size);
int kfs_same(const char *type, const char *rel, const char *path);
/* The kernel's BTF in a fresh sysfs instance, for libbpf's btf_custom_path
 * inside kfs_within("sysfs", ...): CO-RE then relocates against the
 * kernel's own types, not a file root put at /sys/kernel/btf/vmlinux. */
#define KFS_BTF "kernel/btf/vmlinux"
int kfs_within(const char *type, int (*fn)(void *ctx), void *ctx);
int kfs_mountable(const char *type);
DIR *kfs_opendir(const char *type, const char *rel);
/*
 * Where a walk of the proc root ends: PID_MAX_LIMIT + TGID_OFFSET
 * (proc_pid_readdir(), fs/proc/base.c; include/linux/threads.h), and one
 * of a kernfs directory: INT_MAX (kernfs_fop_readdir(), fs/kernfs/dir.c).
 */
#define KFS_PROC_END   ((off_t)(sizeof(long) > 4 ? 4L << 20 : 32768) + 258)
#define KFS_KERNFS_END ((off_t)INT_MAX)
int kfs_dir_whole(DIR *d, off_t end);
int kfs_readlink(DIR *dir, const char *name, char *buf, size_t len);
int kfs_open_blockdev(dev_t dev, int flags);
void kfs_forget(void);

/* ---- bounded.c: a walk that may wait on the kernel, in a child ---- */

struct bounded {
	void (*walk)(int sock, const void *arg); /* sends records */
	const void *arg;
	size_t size; /* of one record */
	int ms;	     /* one deadline for the whole walk */
	int lock;    /* an fd the child keeps while it lives, or -1 */
};
int bounded_run(const struct bounded *b, void **out, int *n);
int bounded_send(int sock, const void *rec, size_t size);

/* ---- preflight.c: what must hold before lock or apply ---- */

/* Exit 3 cases, said on stderr: the kernel cannot enforce anything. */
int lock_preflight(const struct catalogue *c);
int kexec_guard(const struct ratchet_mask *m, const struct catalogue *c,
		bool allow_loaded, const char **why);
int kexec_guard_loaded(const struct ratchet_mask *m, const struct catalogue *c,
		       bool allow_loaded, int kexec_loaded, const char **why);

/* ---- residue.c: what was opened before a lock and still works ---- */

struct fd_note {
	int pid;
	char comm[16];
	char path[32];
};
int residue_open_files(struct fd_note **out, const char **why);
/* A bound loop device: what it reads (path), or why that is unknown. */
struct loop_note {
	char dev[16], path[32], why[64];
};
int residue_loop_devices(struct loop_note **out);

/* ---- pindir.c: the mounts a first lock makes and pins into ---- */

#define RATCHET_RUN_DIR "/run/ratchet"
#define RATCHET_PIN_DIR RATCHET_RUN_DIR "/bpf"

struct pin_dir {
	int lock_fd, run_fd;
	int fd;			  /* the root of ratchet's bpffs, once made */
	bool made_run, made_pins; /* mounted by this run */
	__u64 run_dev, pin_dev;	  /* the tmpfs's and the bpffs's, as s_dev */
};
int pindir_within(int dirfd, int (*fn)(void *ctx), void *ctx);
int pindir_serialise(struct pin_dir *d, const char **step);
int pindir_make(struct pin_dir *d, const char **step);
void pindir_close(struct pin_dir *d, bool failed);

/* ---- bpf.c: the lock, through libbpf (BTF reading is catalogue.c's) ---- */

/* -ENOENT: no sealed lock of this ratchet (found by identity, not a path) */
int rbpf_btf_uncovered(void);
int rbpf_read_state(struct ratchet_state *st);
int rbpf_read_snapshot(struct ratchet_snapshot *snap);
int rbpf_view(struct lock_view *v, struct enforcement *en,
	      const struct posture *p);
/* -ENOTRECOVERABLE: in the state, but not in force (rbpf_enforcement) */
int rbpf_lock_sysctl(const struct ratchet_mask *enforce,
		     const struct ratchet_mask *permissive, __u64 sysctls,
		     struct ratchet_state *st);
const struct enforcement *rbpf_enforcement(void);
const char *rbpf_last_step(void);
int rbpf_kernel_refused(void);
/* -ENOTRECOVERABLE: something can overrule the lock in force, said by: */
int rbpf_check_overrule(const struct ratchet_snapshot *snap);
const char *rbpf_overrule(void);
bool rbpf_overrule_open(void);
/* Programs not ratchet's that run first on its hooks (last check). */
struct first_note {
	__u32 id;
	char name[16], hook[48];
};
int rbpf_runs_first(const struct first_note **out);

/* ---- progscan.c: every program as its struct bpf_prog shows it ---- */
int progscan_all(struct ratchet_prog_scan **out, int *n, __u32 *self,
		 int (*loaded)(__u32 self));
int progscan_id(__u32 *id);
int progscan_has(__u32 id);
struct progscan_bpf;
struct progscan_bpf *progscan_open(void);
void progscan_close(struct progscan_bpf *skel);
int progscan_loads(struct progscan_bpf *skel, struct ratchet_task_scan **out);

/* ---- barrier.c: what a lock's checks let through just before its seal */
int load_barrier(const struct catalogue *c, const struct ratchet_mask *m,
		 char *why, size_t len);

struct prog_note {
	__u32 id, type;
	char name[16];
};
int rbpf_programs_before(const struct ratchet_state *st, struct prog_note *out,
			 int max);
const char *rbpf_prog_type(__u32 type);

enum rbpf_prog { RBPF_READ, RBPF_MARK };
int rbpf_prog_fd(enum rbpf_prog which);
int rbpf_run(int fd, void *ctx, size_t len);

/* ---- pins.c: where a lock's pin mount is, by its mount id ---- */

struct pin_place {
	char path[4096];      /* in the initial namespace, or "" */
	char hidden_by[4096]; /* a mount that covers it, or "" */
	char here[4096];      /* where this namespace mounts it, or "" */
	bool here_reachable;  /* and that path leads to it */
	bool other_ns;	      /* this process is not in PID 1's namespace */
};
int pins_locate(const struct ratchet_snapshot *snap, struct pin_place *p);
int pins_open(const struct ratchet_snapshot *snap);
const char *pins_parent_state(const struct ratchet_pin_view *v);

/* ---- report.c: output helpers shared by the commands ---- */

struct json_object;
void json_print(struct json_object *o);
const char *mode_name(const struct ratchet_state *st, int slot);
const char *slot_name(const struct catalogue *c, int slot);

/* ---- args.c: options, the same way for every command ---- */

struct option;
#define ARGS_GO_ON (-1)	      /* parsed: the command goes on */
#define ARGS_EXIT  (-2)	      /* usage or an error printed; exit with *rc */
enum { OPT_LONG_ONLY = 256 }; /* first value of a long-only option */
/* Ends every command's getopt_long table: --help, then the terminator. */
#define ARGS_HELP_AND_END                                                      \
	{ "help", no_argument, NULL, 'h' },                                    \
	{                                                                      \
		0                                                              \
	}
int args_next(int argc, char **argv, const char *sopts,
	      const struct option *lopts, int *rc);
int args_none_left(int argc, char **argv);
int args_need_root(const char *cmd, const char *otherwise);

/* ---- json: the version of every --json format (schema/) ---- */

/* Raised only by a breaking change to an output: see schema/README.md. */
#define RATCHET_JSON_SCHEMA_VERSION 2

/* ---- outfile.c: --output FILE, replaced atomically ---- */

struct outfile {
	const char *path;
	char tmp[4096];
	int saved; /* the real stdout */
};
int outfile_begin(struct outfile *o, const char *path);
int outfile_commit(struct outfile *o);
void outfile_abort(struct outfile *o);

/* ---- commands ---- */

int command_usage(const char *name, int rc);

int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int status_check(const struct catalogue *c, const struct ratchet_state *st,
		 const struct enforcement *en, int state_err, int overruled,
		 int n, char **names);
void prometheus_print(const struct catalogue *c, const struct posture *p,
		      const struct ratchet_state *st,
		      const struct enforcement *en, bool locked, int overruled);
int cmd_lock(int argc, char **argv);
int lock_settle(const struct catalogue *c, const struct ratchet_mask *want,
		bool allow_kexec);
void report_not_in_force(FILE *f, const struct catalogue *c,
			 const struct ratchet_mask *want); /* lock.c */
int cmd_monitor(int argc, char **argv);
int cmd_check(int argc, char **argv); /* apply.c */
int cmd_apply(int argc, char **argv);
void usage_names(FILE *f, const struct catalogue *c);

#endif /* RATCHET_CLI_H */
