// SPDX-License-Identifier: GPL-2.0
/*
 * impostor.c - build/tests/ratchet-impostor: root acting before or during
 * the first lock, for tests/vm/attacks (in-guest only, never on a host).
 *
 *   naive-modules      a naive modules lock (naivemod.bpf.c), pinned
 *   naive-at DIR       the naive lock (naive.bpf.c) pinned in DIR
 *   clean              remove what naive-modules pinned
 *   lookalike MODE [hold]
 *                      before the first lock: ratchet's own object, sealed
 *                      by root on dev-mem and modules, as today's ratchet
 *                      would have adopted it. MODE allow: ratchet_locked_down
 *                      allows everything; exact: unchanged; tables: every
 *                      kind free; ranges: unchanged, but the tables and the
 *                      state claim the verifier keeps LSM and lsm_cgroup
 *                      programs to 0 or -errno; future: unchanged, but the
 *                      state written before the seal with sealed_ns ~0
 *                      (red team 2); percpu: unchanged, but the state map
 *                      per-CPU, sealed on CPU 0 alone (red team 2). Sealed
 *                      on CPU 0 in every mode. hold: keep the state map's
 *                      fd, and on SIGUSR1 zero the policy through a program
 *                      using it
 *   grab-state [tables] during a first lock: take an fd to its state map
 *                      (and its tables map) as soon as it exists; on
 *                      SIGUSR1 zero the policy
 *   unpin-race         during a first lock: take an fd to the first link
 *                      as soon as it is pinned, and unlink the pin
 *   raise-knob         run the pinned raise program with a sysctl knob's bit
 *                      (kernel.kptr_restrict) and no restriction: what
 *                      status once listed as raise-only
 *   fuse DIR           a FUSE file system at DIR whose directories root can
 *                      make; on SIGUSR1 it invalidates every entry of its
 *                      root (FUSE_NOTIFY_INVAL_ENTRY), and with them every
 *                      mount on them (d_invalidate)
 *
 * Exit status as ratchet-attack's: 0 done, 1 refused (EPERM/EACCES),
 * 2 any other error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sched.h>
#include <sys/uio.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/fuse.h>
#include "cli.h"
#include "attack-naive.skel.h"
#include "attack-naivemod.skel.h"
#include "ratchet.skel.h"

#define NAIVEMOD_DIR "/sys/fs/bpf/naive-modules"

enum { OK = 0, REFUSED = 1, OTHER = 2 };

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return getenv("ATTACK_DEBUG") ? vfprintf(stderr, fmt, ap) : 0;
}

/* "WHAT: refused (EPERM)" or "WHAT: failed (...)"; the exit status. */
static int report_err(int err, const char *fmt, ...)
{
	va_list ap;
	int v;

	err = err < 0 ? -err : err;
	v = err == EPERM || err == EACCES ? REFUSED : OTHER;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(": %s (%s)\n", v == REFUSED ? "refused" : "failed",
	       strerror(err));
	return v;
}

/* ---- naive-modules ---- */

static int cmd_naive_modules(void)
{
	struct attack_naivemod *n = attack_naivemod__open_and_load();
	struct bpf_link *r, *l;
	int err;

	if (!n)
		return report_err(errno, "naive-modules: loading");
	r = bpf_program__attach(n->progs.naivemod_read);
	l = bpf_program__attach(n->progs.naivemod_load);
	if (!r || !l)
		return report_err(errno, "naive-modules: attaching");
	mkdir(NAIVEMOD_DIR, 0700);
	if ((err = bpf_link__pin(r, NAIVEMOD_DIR "/read")) ||
	    (err = bpf_link__pin(l, NAIVEMOD_DIR "/load")))
		return report_err(err, "naive-modules: pinning");
	printf("naive-modules: READING_MODULE and LOADING_MODULE refused, "
	       "pinned under %s\n",
	       NAIVEMOD_DIR);
	return OK;
}

static int cmd_clean(void)
{
	unlink(NAIVEMOD_DIR "/read");
	unlink(NAIVEMOD_DIR "/load");
	rmdir(NAIVEMOD_DIR);
	printf("clean: naive-modules unpinned\n");
	return OK;
}

/* ---- the naive lock, pinned where the test says ---- */

static int cmd_naive_at(const char *dir)
{
	struct attack_naive *n = attack_naive__open_and_load();
	struct bpf_link *link;
	__u32 zero = 0, one = 1;
	char path[512];
	int err;

	if (!n)
		return report_err(errno, "naive-at: loading the naive lock");
	if (!(link = bpf_program__attach(n->progs.naive_locked_down)))
		return report_err(errno, "naive-at: attaching");
	snprintf(path, sizeof(path), "%s/link", dir);
	if ((err = bpf_link__pin(link, path)))
		return report_err(err, "naive-at: pinning %s", path);
	if (bpf_map_update_elem(bpf_map__fd(n->maps.policy), &zero, &one, 0))
		return report_err(errno, "naive-at: policy[0] = 1");
	printf("naive-at: naive lock pinned at %s\n", path);
	return OK;
}

/* ---- writing a policy through a map fd, as any program can ---- */

#define INSN(c, d, s, o, i)                                                    \
	((struct bpf_insn){ .code = (c),                                       \
			    .dst_reg = (d),                                    \
			    .src_reg = (s),                                    \
			    .off = (o),                                        \
			    .imm = (i) })

/*
 * A socket filter that zeroes the first 16 bytes of element 0 of map @fd
 * (ratchet_state.enforce's first two words), run once by BPF_PROG_TEST_RUN.
 */
static int zero_through(int fd)
{
	struct bpf_insn p[] = {
		INSN(BPF_ST | BPF_W | BPF_MEM, 10, 0, -4, 0),
		INSN(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_FD, 0, fd),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2, 0),
		INSN(BPF_ST | BPF_DW | BPF_MEM, 0, 0, 0, 0),
		INSN(BPF_ST | BPF_DW | BPF_MEM, 0, 0, 8, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	char data[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data,
		    .data_size_in = sizeof(data));
	int prog = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "impostor_zero",
				 "GPL", p, sizeof(p) / sizeof(p[0]), NULL);

	if (prog < 0)
		return -errno;
	if (bpf_prog_test_run_opts(prog, &o)) {
		close(prog);
		return -errno;
	}
	close(prog);
	return 0;
}

static volatile sig_atomic_t got_usr1, got_term;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

/* No SA_RESTART: a blocked read returns EINTR, so the signal is seen. */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Hold @fd; on SIGUSR1 zero the policy through it; exit on SIGTERM. */
static int hold_map(const char *cmd, int fd)
{
	int err;

	while (!got_term) {
		pause();
		if (!got_usr1)
			continue;
		got_usr1 = 0;
		err = zero_through(fd);
		if (err)
			report_err(err, "%s: zeroing the policy through fd %d",
				   cmd, fd);
		else
			printf("%s: zeroed the policy through the map fd it kept\n",
			       cmd);
	}
	return OK;
}

/* ---- a look-alike lock, sealed before the first real one ---- */

/* The running kernel's value of LOCKDOWN_@name, or -1. */
static int lockdown_value(const char *name)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int id = btf ? btf__find_by_name_kind(btf, "lockdown_reason",
					      BTF_KIND_ENUM)
		     : -1,
	    i, v = -1;
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_enum *e = t ? btf_enum(t) : NULL;
	char full[64];

	snprintf(full, sizeof(full), "LOCKDOWN_%s", name);
	for (i = 0; t && i < btf_vlen(t); i++, e++)
		if (!strcmp(btf__name_by_offset(btf, e->name_off), full))
			v = e->val;
	btf__free(btf);
	return v;
}

static __u64 kdev(const char *path)
{
	struct stat st;

	return stat(path, &st)
		       ? 0
		       : ((__u64)major(st.st_dev) << 20) | minor(st.st_dev);
}

/*
 * The tables as ratchet fills them, or with every kind free (@free), with
 * @claim added to the guard flags (what the first lock says it detected).
 */
static int lookalike_tables(struct ratchet_bpf *skel, bool free_all,
			    __u32 claim)
{
	struct btf *btf = btf__load_vmlinux_btf();
	struct ratchet_tables t;
	__u32 zero = 0;
	int fd = bpf_map__fd(skel->maps.tables), err;

	err = tables_compute(btf, &t);
	btf__free(btf);
	if (err)
		return err;
	if (free_all) {
		memset(t.read_kinds, RATCHET_KIND_FREE, sizeof(t.read_kinds));
		memset(t.load_kinds, RATCHET_KIND_FREE, sizeof(t.load_kinds));
	}
	t.guard_flags |= claim;
	if (bpf_map_update_elem(fd, &zero, &t, 0) || bpf_map_freeze(fd))
		return -errno;
	return 0;
}

/* /run/ratchet and its bpffs, made the way ratchet made them until now. */
static int lookalike_mounts(void)
{
	mkdir("/run/ratchet", 0700);
	if (mount("ratchet", "/run/ratchet", "tmpfs", 0, "mode=0700") ||
	    mount(NULL, "/run/ratchet", NULL, MS_UNBINDABLE, NULL))
		return -errno;
	mkdir("/run/ratchet/bpf", 0700);
	if (mount("ratchet", "/run/ratchet/bpf", "bpf", 0, "mode=0700") ||
	    mount(NULL, "/run/ratchet/bpf", NULL, MS_UNBINDABLE, NULL))
		return -errno;
	return 0;
}

static int lookalike_pin(struct ratchet_bpf *skel)
{
	const struct bpf_object_skeleton *s = skel->skeleton;
	char path[256];
	int i, err;

	for (i = 0; i < s->prog_cnt; i++) {
		if (!*s->progs[i].link)
			continue;
		snprintf(path, sizeof(path), "/run/ratchet/bpf/link-%s",
			 s->progs[i].name);
		if ((err = bpf_link__pin(*s->progs[i].link, path)))
			return err;
	}
	if ((err = bpf_program__pin(skel->progs.ratchet_raise,
				    "/run/ratchet/bpf/raise")) ||
	    (err = bpf_program__pin(skel->progs.ratchet_snapshot,
				    "/run/ratchet/bpf/snapshot")))
		return err;
	return 0;
}

/*
 * Seal: the raise program, run from the root of the bpffs, recording
 * @claim as the guard flags the first lock detected; @future: with the
 * state's sealed_ns written first, as the end of time.
 */
static int lookalike_seal(struct ratchet_bpf *skel, __u32 claim, bool future)
{
	struct ratchet_raise_args a = { .guard_flags = claim };
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &a,
		    .ctx_size_in = sizeof(a));
	int devmem = lockdown_value("DEV_MEM"), cg;
	cpu_set_t cpu0;

	if (devmem < 0 ||
	    bpf_obj_get_info_by_fd(bpf_map__fd(skel->maps.state), &info, &len))
		return -ENOENT;
	ratchet_mask_set(&a.enforce, devmem);
	ratchet_mask_set(&a.enforce, RATCHET_SLOT_MODULES);
	a.pin_dev = kdev("/run/ratchet/bpf");
	a.run_dev = kdev("/run/ratchet");
	a.state_map_id = info.id;
	/* future: the state says it sealed at the end of time (red team 2). */
	if (future) {
		struct ratchet_state st = { .sealed_ns = ~0ULL };
		__u32 zero = 0;

		if (bpf_map_update_elem(bpf_map__fd(skel->maps.state), &zero,
					&st, 0))
			return -errno;
	}
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0))
		return -errno;
	cg = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0 ||
	    bpf_prog_attach(bpf_program__fd(skel->progs.ratchet_sysctl), cg,
			    BPF_CGROUP_SYSCTL, BPF_F_ALLOW_MULTI) ||
	    bpf_map_freeze(bpf_map__fd(skel->maps.state)) ||
	    chdir("/run/ratchet/bpf") ||
	    bpf_prog_test_run_opts(bpf_program__fd(skel->progs.ratchet_raise),
				   &o))
		return -errno;
	return o.retval ? (int)o.retval : chdir("/");
}

/*
 * ratchet_locked_down, one instruction changed: its first test,
 * "if what > RATCHET_REASON_SLOTS - 1 return 0", becomes "if what >= 0":
 * every reason returns 0. Same length, so libbpf's relocations still fit.
 */
static int allow_all(struct bpf_program *p)
{
	size_t n = bpf_program__insn_cnt(p), i;
	struct bpf_insn *c = malloc(n * sizeof(*c));
	int err = -ENOENT;

	if (!c)
		return -ENOMEM;
	memcpy(c, bpf_program__insns(p), n * sizeof(*c));
	for (i = 0; i < n; i++)
		if ((BPF_CLASS(c[i].code) == BPF_JMP32 ||
		     BPF_CLASS(c[i].code) == BPF_JMP) &&
		    BPF_OP(c[i].code) == BPF_JGT &&
		    c[i].imm == RATCHET_REASON_SLOTS - 1) {
			c[i].code = BPF_CLASS(c[i].code) | BPF_JGE | BPF_K;
			c[i].imm = 0;
			err = bpf_program__set_insns(p, c, n);
			break;
		}
	free(c);
	return err;
}

static int cmd_lookalike(const char *mode, bool hold)
{
	struct ratchet_bpf *skel = ratchet_bpf__open();
	/*
	 * ranges: what the first lock detects by loading test programs
	 * (src/bpf.c, arm_guard()), claimed whatever this kernel's verifier
	 * does: LSM and lsm_cgroup programs on ratchet's hooks can only
	 * refuse.
	 */
	__u32 claim = !strcmp(mode, "ranges")
			      ? RATCHET_GUARD_LSM_RANGES |
					RATCHET_GUARD_SET_RETVAL_RANGES
			      : 0;
	int err;

	if (!skel)
		return report_err(errno, "lookalike: opening ratchet's object");
	if (!strcmp(mode, "allow") &&
	    (err = allow_all(skel->progs.ratchet_locked_down)))
		return report_err(err,
				  "lookalike: rewriting ratchet_locked_down");
	/*
	 * percpu: the state map a BPF_MAP_TYPE_PERCPU_ARRAY. The programs'
	 * instructions, so their tags, do not change; each CPU reads its own
	 * copy, and the raise below (run on CPU 0) seals CPU 0's alone.
	 */
	if (!strcmp(mode, "percpu") &&
	    (err = bpf_map__set_type(skel->maps.state,
				     BPF_MAP_TYPE_PERCPU_ARRAY)))
		return report_err(err, "lookalike: a per-CPU state map");
	if ((err = ratchet_bpf__load(skel)) ||
	    (err = lookalike_tables(skel, !strcmp(mode, "tables"), claim)) ||
	    (err = ratchet_bpf__attach(skel)) || (err = lookalike_mounts()) ||
	    (err = lookalike_pin(skel)) ||
	    (err = lookalike_seal(skel, claim, !strcmp(mode, "future"))))
		return report_err(err, "lookalike %s", mode);
	printf("lookalike %s: ratchet's object sealed by root on dev-mem and "
	       "modules, pinned at /run/ratchet/bpf%s\n",
	       mode, hold ? "; holding the state map's fd" : "");
	if (!hold) {
		ratchet_bpf__destroy(skel);
		return OK;
	}
	catch_signals();
	printf("ready pid=%d\n", getpid());
	return hold_map("lookalike", bpf_map__fd(skel->maps.state));
}

/* ---- racing a first lock ---- */

/* Is map @id one of ratchet's named @name, of @size? Its fd if so, else -1. */
static int map_like(__u32 id, const char *name, __u32 size)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_map_get_fd_by_id(id);

	if (fd < 0)
		return -1;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
	    info.type == BPF_MAP_TYPE_ARRAY && info.value_size == size &&
	    !strcmp(info.name, name))
		return fd;
	close(fd);
	return -1;
}

/* Take an fd to map @id into *@fd if none is held and it is @name's. */
static void grab(int *fd, __u32 id, const char *name, __u32 size)
{
	if (*fd < 0 && (*fd = map_like(id, name, size)) >= 0)
		printf("grab-state: took an fd to map %u (%s) before it sealed\n",
		       id, name);
}

/*
 * @tables: the tables map's fd is taken and kept too (a map element
 * iterator given it could rewrite them after the seal).
 */
static int cmd_grab_state(bool tables)
{
	__u32 id = 0, next;
	int fd = -1, tfd = tables ? -1 : 0;

	catch_signals();
	printf("ready pid=%d\n", getpid());
	while ((fd < 0 || tfd < 0) && !got_term) {
		if (bpf_map_get_next_id(id, &next)) {
			usleep(1000);
			continue;
		}
		id = next;
		grab(&fd, id, "state", sizeof(struct ratchet_state));
		grab(&tfd, id, "tables", sizeof(struct ratchet_tables));
	}
	if (fd < 0 || tfd < 0)
		return OTHER;
	return hold_map("grab-state", fd);
}

#define FIRST_PIN "/run/ratchet/bpf/link-ratchet_locked_down"

static int cmd_unpin_race(void)
{
	int fd = -1;

	catch_signals();
	printf("ready pid=%d\n", getpid());
	while (!got_term && (fd = bpf_obj_get(FIRST_PIN)) < 0)
		usleep(200);
	if (fd < 0)
		return OTHER;
	if (unlink(FIRST_PIN))
		return report_err(errno, "unpin-race: unlink " FIRST_PIN);
	printf("unpin-race: took link fd %d and unlinked " FIRST_PIN "\n", fd);
	while (!got_term)
		pause();
	return OK;
}

/* ---- a knob's bit alone, through the pinned raise program ---- */

static int cmd_raise_knob(void)
{
	struct ratchet_raise_args a = {
		.sysctls = 1ULL << RATCHET_SYSCTL_KPTR_RESTRICT,
	};
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &a,
		    .ctx_size_in = sizeof(a));
	int fd = bpf_obj_get("/run/ratchet/bpf/raise");

	if (fd < 0)
		return report_err(errno, "raise-knob: the raise pin");
	if (bpf_prog_test_run_opts(fd, &o))
		return report_err(errno, "raise-knob: running it");
	close(fd);
	if (o.retval)
		return report_err(
			(int)o.retval,
			"raise-knob: the knob's bit without the sysctl "
			"restriction");
	printf("raise-knob: the knob's bit was raised alone\n");
	return OK;
}

/* ---- a FUSE file system whose dentries root can invalidate ---- */

#define FNODES 64

/* Entries of the root directory (node 1); node ids are index + 2. */
static struct {
	char name[64];
	mode_t mode;
} fnodes[FNODES];
static int nfnodes;

static void fattr(struct fuse_attr *a, __u64 id)
{
	memset(a, 0, sizeof(*a));
	a->ino = id;
	a->mode = id == 1 ? S_IFDIR | 0755 : fnodes[id - 2].mode;
	a->nlink = S_ISDIR(a->mode) ? 2 : 1;
	a->blksize = 4096;
}

static void fentry(struct fuse_entry_out *e, __u64 id)
{
	memset(e, 0, sizeof(*e));
	e->nodeid = id;
	e->generation = 1;
	e->entry_valid = e->attr_valid = 3600;
	fattr(&e->attr, id);
}

static void freply(int fd, __u64 unique, int error, const void *b, size_t n)
{
	struct fuse_out_header h = { .len = sizeof(h) + n,
				     .error = error,
				     .unique = unique };
	struct iovec v[2] = { { &h, sizeof(h) }, { (void *)b, n } };

	if (writev(fd, v, n ? 2 : 1) < 0 && errno != ENOENT)
		perror("fuse: reply");
}

/* A root entry named @name (new if @mode), or 0. */
static __u64 fnode(const char *name, mode_t mode)
{
	int i;

	for (i = 0; i < nfnodes; i++)
		if (!strcmp(fnodes[i].name, name))
			return i + 2;
	if (!mode || nfnodes == FNODES)
		return 0;
	snprintf(fnodes[nfnodes].name, sizeof(fnodes[0].name), "%s", name);
	fnodes[nfnodes].mode = mode;
	return ++nfnodes + 1;
}

static void fuse_init(int fd, const struct fuse_in_header *in,
		      const struct fuse_init_in *arg)
{
	struct fuse_init_out o = {
		.major = FUSE_KERNEL_VERSION,
		.minor = FUSE_KERNEL_MINOR_VERSION,
		.max_readahead = arg->max_readahead,
		.max_write = 65536,
		.max_background = 16,
		.congestion_threshold = 12,
	};

	freply(fd, in->unique, 0, &o, sizeof(o));
}

/* A new entry of the root: a directory (MKDIR) or a file (CREATE). */
static void fuse_new(int fd, const struct fuse_in_header *in, const char *name,
		     mode_t mode)
{
	struct {
		struct fuse_entry_out e;
		struct fuse_open_out o;
	} r = { 0 };
	__u64 id = in->nodeid == 1 ? fnode(name, mode) : 0;

	if (!id)
		return freply(fd, in->unique, -EACCES, NULL, 0);
	fentry(&r.e, id);
	freply(fd, in->unique, 0, &r, S_ISDIR(mode) ? sizeof(r.e) : sizeof(r));
}

static void fuse_serve(int fd, const struct fuse_in_header *in, const char *arg)
{
	struct fuse_attr_out a = { .attr_valid = 3600 };
	struct fuse_entry_out e;
	struct fuse_open_out o = { 0 };
	__u64 id;

	switch (in->opcode) {
	case FUSE_INIT:
		return fuse_init(fd, in, (const struct fuse_init_in *)arg);
	case FUSE_LOOKUP:
		if (in->nodeid != 1 || !(id = fnode(arg, 0)))
			return freply(fd, in->unique, -ENOENT, NULL, 0);
		fentry(&e, id);
		return freply(fd, in->unique, 0, &e, sizeof(e));
	case FUSE_GETATTR:
		fattr(&a.attr, in->nodeid);
		return freply(fd, in->unique, 0, &a, sizeof(a));
	case FUSE_MKDIR:
		return fuse_new(fd, in, arg + sizeof(struct fuse_mkdir_in),
				S_IFDIR | 0755);
	case FUSE_CREATE:
		return fuse_new(fd, in, arg + sizeof(struct fuse_create_in),
				S_IFREG | 0600);
	case FUSE_OPEN:
	case FUSE_OPENDIR:
		return freply(fd, in->unique, 0, &o, sizeof(o));
	case FUSE_READDIR:
	case FUSE_RELEASE:
	case FUSE_RELEASEDIR:
	case FUSE_FLUSH:
		return freply(fd, in->unique, 0, NULL, 0);
	case FUSE_FORGET:
	case FUSE_BATCH_FORGET:
		return;
	default:
		return freply(fd, in->unique, -ENOSYS, NULL, 0);
	}
}

/* FUSE_NOTIFY_INVAL_ENTRY for every root entry: d_invalidate() on each. */
static void fuse_invalidate(int fd)
{
	struct {
		struct fuse_out_header h;
		struct fuse_notify_inval_entry_out e;
		char name[64];
	} m;
	int i, n;

	for (i = 0; i < nfnodes; i++) {
		memset(&m, 0, sizeof(m));
		n = (int)strlen(fnodes[i].name);
		memcpy(m.name, fnodes[i].name, n + 1);
		m.e.parent = 1;
		m.e.namelen = n;
		m.h.error = FUSE_NOTIFY_INVAL_ENTRY;
		m.h.len = sizeof(m.h) + sizeof(m.e) + n + 1;
		if (write(fd, &m, m.h.len) < 0)
			report_err(errno, "fuse: invalidating %s", m.name);
		else
			printf("fuse: invalidated %s\n", m.name);
	}
}

static int cmd_fuse(const char *dir)
{
	static char buf[65536 + 4096];
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	char opts[128];
	ssize_t n;

	if (fd < 0)
		return report_err(errno, "fuse: /dev/fuse");
	snprintf(opts, sizeof(opts),
		 "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", fd);
	if (mount("impostor", dir, "fuse", MS_NOSUID | MS_NODEV, opts))
		return report_err(errno, "fuse: mounting at %s", dir);
	catch_signals();
	printf("ready pid=%d\n", getpid());
	while (!got_term) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR && got_usr1) {
			got_usr1 = 0;
			fuse_invalidate(fd);
		}
		if (n < 0 && errno == ENODEV)
			break;
		if (n >= (ssize_t)sizeof(struct fuse_in_header))
			fuse_serve(fd, (struct fuse_in_header *)buf,
				   buf + sizeof(struct fuse_in_header));
	}
	return OK;
}

static const char usage[] =
	"usage: ratchet-impostor CMD ...  (in a test VM only)\n"
	"  naive-modules | naive-at DIR | clean\n"
	"  lookalike allow|exact|tables [hold] | grab-state [tables] | unpin-race\n"
	"  raise-knob\n"
	"  fuse DIR\n"
	"exit: 0 done, 1 refused (EPERM/EACCES), 2 other error\n";

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(quiet);
	if (!strcmp(c, "naive-modules"))
		return cmd_naive_modules();
	if (!strcmp(c, "clean"))
		return cmd_clean();
	if (!strcmp(c, "naive-at") && argc == 3)
		return cmd_naive_at(argv[2]);
	if (!strcmp(c, "lookalike") && argc >= 3)
		return cmd_lookalike(argv[2],
				     argc > 3 && !strcmp(argv[3], "hold"));
	if (!strcmp(c, "grab-state"))
		return cmd_grab_state(argc > 2 && !strcmp(argv[2], "tables"));
	if (!strcmp(c, "unpin-race"))
		return cmd_unpin_race();
	if (!strcmp(c, "raise-knob"))
		return cmd_raise_knob();
	if (!strcmp(c, "fuse") && argc == 3)
		return cmd_fuse(argv[2]);
	fputs(usage, stderr);
	return OTHER;
}
