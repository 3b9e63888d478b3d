// SPDX-License-Identifier: GPL-2.0
/*
 * facts.c - the lock in force, found by identity, and what the kernel
 * shows of it right now.
 *
 * A lock is ratchet's when the kernel's programs carry the tags this
 * ratchet computes for its own object on this kernel (identity.c): not
 * their names, map shapes or load times, which root could imitate before
 * the first lock. From there everything is read from the kernel: the
 * state, tables and event maps a tag-verified ratchet_snapshot reads
 * (their ids and who holds them, from their struct bpf_map), the LSM link
 * of each program and the hook it is attached to, the sysctl program at
 * the cgroup root, and every program that uses the state map.
 * Library code: returns 0 or -errno, never prints.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "cli.h"

#define MAPS_MAX 8

/* One BPF program of the system, as bpf_prog_info shows it. */
struct prog_rec {
	__u32 id, type, nmaps;
	__u64 load_time; /* CLOCK_BOOTTIME ns */
	__u32 maps[MAPS_MAX];
	__u8 tag[TAG_LEN];
	char name[16];
	__u64 exps; /* the expected programs with this tag (bit per index) */
	int exp;    /* the first of them, or -1 */
};

/* An LSM link: its id, its program, the BTF id of the hook it is on. */
struct lsm_link {
	__u32 id, prog, target;
};

#define LINKS_MAX 256

struct progs {
	struct prog_rec *r;
	int n;
	struct lsm_link link[LINKS_MAX];
	int nlinks;
};

/*
 * The expected programs with @tag: several where two have the same
 * instructions (ratchet_unlink and ratchet_rmdir do), told apart by the
 * hook their link is attached to.
 */
static __u64 exps_by_tag(const struct expected *e, const __u8 *tag)
{
	__u64 m = 0;
	int i;

	for (i = 0; i < e->n; i++)
		if (!memcmp(e->p[i].tag, tag, TAG_LEN))
			m |= 1ULL << i;
	return m;
}

static int prog_rec(__u32 id, const struct expected *e, struct prog_rec *r)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id), err = 0;

	if (fd < 0)
		return -errno;
	info.nr_map_ids = MAPS_MAX;
	info.map_ids = (__u64)(unsigned long)r->maps;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		err = -errno;
	close(fd);
	if (err)
		return err;
	r->id = id;
	r->type = info.type;
	r->load_time = info.load_time;
	r->nmaps = info.nr_map_ids < MAPS_MAX ? info.nr_map_ids : MAPS_MAX;
	memcpy(r->tag, info.tag, TAG_LEN);
	snprintf(r->name, sizeof(r->name), "%s", info.name);
	r->exps = exps_by_tag(e, r->tag);
	r->exp = r->exps ? __builtin_ctzll(r->exps) : -1;
	return 0;
}

/* Every program of the system; one that goes meanwhile is skipped. */
static int progs_read(const struct expected *e, struct progs *ps)
{
	__u32 id = 0;
	int cap = 0;

	ps->r = NULL;
	ps->n = ps->nlinks = 0;
	while (!bpf_prog_get_next_id(id, &id)) {
		if (ps->n == cap) {
			struct prog_rec *r =
				realloc(ps->r, (cap + 64) * sizeof(*r));

			if (!r)
				return -ENOMEM;
			ps->r = r;
			cap += 64;
		}
		if (!prog_rec(id, e, &ps->r[ps->n]))
			ps->n++;
	}
	return errno == ENOENT ? 0 : -errno;
}

static bool uses(const struct prog_rec *r, __u32 map)
{
	__u32 i;

	for (i = 0; i < r->nmaps; i++)
		if (r->maps[i] == map)
			return true;
	return false;
}

/* @r uses only the lock's maps, and every one its code refers to. */
static bool of_lock(const struct prog_rec *r, const struct expected *e,
		    const struct lock_view *v)
{
	unsigned int roles = 0;
	__u32 i;
	int k;

	if (r->exp < 0)
		return false;
	for (i = 0; i < r->nmaps; i++) {
		for (k = 0; k < ROLES && r->maps[i] != v->map[k]; k++)
			;
		if (k == ROLES)
			return false;
		roles |= 1U << k;
	}
	/* libbpf may bind maps the code does not use; never fewer. */
	return (roles & e->p[r->exp].roles) == e->p[r->exp].roles;
}

/* Through a tag-verified snapshot program: no fd to the state is made. */
int facts_run_snapshot(__u32 prog, struct ratchet_snapshot *snap)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = snap,
		    .ctx_size_in = sizeof(*snap));
	int fd = bpf_prog_get_fd_by_id(prog), err = 0;

	if (fd < 0)
		return -errno;
	memset(snap, 0, sizeof(*snap));
	if (bpf_prog_test_run_opts(fd, &opts))
		err = -errno;
	else if (opts.retval)
		err = (int)opts.retval;
	close(fd);
	return err;
}

/* Is an LSM program that uses map @map attached? */
static bool attached_with(const struct progs *ps, __u32 map)
{
	int i, k;

	for (i = 0; i < ps->nlinks; i++)
		for (k = 0; k < ps->n; k++)
			if (ps->r[k].id == ps->link[i].prog &&
			    uses(&ps->r[k], map))
				return true;
	return false;
}

/*
 * The sealed state among the snapshots ratchet's own snapshot programs
 * give. If root sealed a second copy of ratchet's programs before the
 * first lock, the one made first (lowest state map id) is taken: if it is
 * not intact, the facts below say so. -EALREADY: ratchet's programs are
 * loaded but none sealed; -ENOENT: none at all.
 */
static int choose(const struct progs *ps, const struct expected *e,
		  struct lock_view *v)
{
	const struct expected_prog *snap = identity_prog(e, "ratchet_snapshot");
	struct ratchet_snapshot s;
	bool unsealed = false;
	int i;

	v->snapshot = 0;
	for (i = 0; snap && i < ps->n; i++) {
		if (!(ps->r[i].exps & (1ULL << (snap - e->p))) ||
		    facts_run_snapshot(ps->r[i].id, &s))
			continue;
		if (!s.state.pin_dev) {
			unsealed |= attached_with(ps, s.state_map.id);
			continue;
		}
		if (v->snapshot && s.state_map.id >= v->map[ROLE_STATE])
			continue;
		v->snap = s;
		v->snapshot = ps->r[i].id;
		v->map[ROLE_STATE] = s.state_map.id;
		v->map[ROLE_TABLES] = s.tables_map.id;
		v->map[ROLE_LOG] = s.log_map.id;
		v->map[ROLE_FOLDS] = s.folds_map.id;
		v->map[ROLE_MARKS] = s.marks_map.id;
	}
	if (v->snapshot)
		return 0;
	/*
	 * Only an attached copy is a lock in the making (a first lock killed
	 * midway); one merely loaded enforces nothing and is no lock.
	 */
	return unsealed ? -EALREADY : -ENOENT;
}

/* The id of FUNC bpf_lsm_@hook in the running kernel's BTF, or 0. */
static __u32 hook_btf_id(const char *hook)
{
	const struct btf *btf = kernel_btf();
	char name[96];
	int id;

	snprintf(name, sizeof(name), "bpf_lsm_%s", hook);
	id = btf ? btf_find(btf, name, BTF_KIND_FUNC) : -1;
	return id > 0 ? (__u32)id : 0;
}

/* Each link of ratchet's programs on the hook its section names. */
static void match_links(const struct progs *ps, const struct expected *e,
			struct lock_view *v)
{
	int i, k, j;

	for (i = 0; i < ps->nlinks; i++)
		for (k = 0; k < ps->n; k++) {
			const struct prog_rec *r = &ps->r[k];

			if (r->id != ps->link[i].prog || !of_lock(r, e, v))
				continue;
			for (j = 0; j < e->n; j++)
				if ((r->exps & (1ULL << j)) &&
				    !strncmp(e->p[j].sec, "lsm/", 4) &&
				    ps->link[i].target ==
					    hook_btf_id(e->p[j].sec + 4)) {
					v->prog[j] = r->id;
					v->link[j] = ps->link[i].id;
				}
		}
}

/* The programs attached at the cgroup v2 root (kfs.c) for sysctl writes. */
static void match_sysctl(const struct progs *ps, const struct expected *e,
			 struct lock_view *v)
{
	__u32 ids[64], cnt = 64, flags = 0, k;
	int cg = kfs_cgroup_root(), i;

	if (cg < 0)
		return;
	if (bpf_prog_query(cg, BPF_CGROUP_SYSCTL, 0, &flags, ids, &cnt))
		cnt = 0;
	close(cg);
	for (k = 0; k < cnt; k++)
		for (i = 0; i < ps->n; i++)
			if (ps->r[i].id == ids[k] && of_lock(&ps->r[i], e, v) &&
			    e->p[ps->r[i].exp].type ==
				    BPF_PROG_TYPE_CGROUP_SYSCTL)
				v->prog[ps->r[i].exp] = v->sysctl = ids[k];
}

/* Who uses the state map: ratchet's programs, and anything else. */
static void state_users(const struct progs *ps, const struct expected *e,
			struct lock_view *v)
{
	int i;

	for (i = 0; i < ps->n; i++) {
		const struct prog_rec *r = &ps->r[i];

		if (!uses(r, v->map[ROLE_STATE]))
			continue;
		v->state_users++;
		if (of_lock(r, e, v)) {
			int j;

			if (r->load_time > v->last_load)
				v->last_load = r->load_time;
			for (j = 0; j < e->n; j++)
				if ((r->exps & (1ULL << j)) && !v->prog[j])
					v->prog[j] = r->id;
			continue;
		}
		if (v->nforeign < FOREIGN_MAX) {
			v->foreign[v->nforeign].id = r->id;
			v->foreign[v->nforeign].type = r->type;
			snprintf(v->foreign[v->nforeign].name,
				 sizeof(v->foreign[0].name), "%s", r->name);
		}
		v->nforeign++;
	}
}

/*
 * The ranges the verifier enforces are what the first lock detected by
 * loading test programs (src/bpf.c): the tables must hold those its seal
 * recorded in the state, and everything else as this ratchet computes it.
 * That the state's claim is true is re-checked on the kernel apart
 * (claims_hold() in src/bpf.c).
 */
#define DETECTED (RATCHET_GUARD_LSM_RANGES | RATCHET_GUARD_SET_RETVAL_RANGES)

static bool tables_same(const struct ratchet_tables *t,
			const struct ratchet_tables *want,
			const struct ratchet_state *st)
{
	static struct ratchet_tables x;

	x = *want;
	x.guard_flags |= st->guard_flags & DETECTED;
	return !memcmp(t, &x, sizeof(x));
}

/*
 * The tables map: BPF_F_RDONLY_PROG, and holding what this ratchet
 * computes, as the tag-verified snapshot program read them (once sealed no
 * fd to the map is made: bpf/bpfself.h). Not read: neither holds.
 */
static void check_tables(const struct expected *e, struct lock_view *v)
{
	const struct ratchet_map_view *m = &v->snap.tables_map;

	v->tables_rdonly = m->type == BPF_MAP_TYPE_ARRAY &&
			   m->value_size == sizeof(v->snap.tables) &&
			   m->max_entries == 1 &&
			   (m->flags & BPF_F_RDONLY_PROG);
	v->tables_match =
		v->tables_rdonly && v->snap.tables_read &&
		tables_same(&v->snap.tables, &e->tables, &v->snap.state);
}

/*
 * Each of the lock's maps (every map its programs use: of_lock()) shaped
 * as this ratchet's object declares it. Their ids are what the tags do
 * not cover: ratchet's exact programs load with a state map made a
 * BPF_MAP_TYPE_PERCPU_ARRAY (the verifier takes the same instructions on
 * either, kernel/bpf/verifier.c, 6.1 to 7.2), and a raise on one CPU
 * seals that CPU's copy only. Read by the lock's own snapshot program from
 * each struct bpf_map: once sealed no fd to them is made.
 */
static void check_shapes(const struct expected *e, struct lock_view *v)
{
	const struct ratchet_map_view *views[ROLES] = {
		[ROLE_STATE] = &v->snap.state_map,
		[ROLE_TABLES] = &v->snap.tables_map,
		[ROLE_LOG] = &v->snap.log_map,
		[ROLE_FOLDS] = &v->snap.folds_map,
		[ROLE_MARKS] = &v->snap.marks_map,
	};
	int r;

	for (r = 0; r < ROLES && !v->bad_map; r++) {
		const struct ratchet_map_view *m = views[r];
		struct map_shape is = {
			.type = m->type,
			.key_size = m->key_size,
			.value_size = m->value_size,
			.max_entries = m->max_entries,
			.flags = m->flags,
		};

		if (memcmp(&is, &e->maps[r], sizeof(is))) {
			v->bad_map = r + 1;
			v->bad_shape = is;
		}
	}
}

/*
 * The seal time the state claims, between the last load of the lock's
 * programs (a first lock seals after loading them all) and now. The
 * bpf_prog hook lets a program loaded before sealed_ns keep its fds by
 * id (bpf/bpfself.h): root writing the state of a look-alike before its
 * raise (which sets sealed_ns only if it is 0, bpf/seal.h) could claim a
 * seal in the future and keep fds to anything loaded after it. Both
 * clocks are CLOCK_BOOTTIME: bpf_prog_load() takes ktime_get_boottime_ns()
 * (kernel/bpf/syscall.c, 6.1 to 7.2), the raise bpf_ktime_get_boot_ns().
 */
static void check_sealed(struct lock_view *v)
{
	struct timespec ts;
	__u64 now, at = v->snap.state.sealed_ns;

	if (clock_gettime(CLOCK_BOOTTIME, &ts)) {
		v->seal_bad = true;
		return;
	}
	now = (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
	v->seal_bad = at < v->last_load || at > now;
}

/* One link, if it is an LSM one. */
static void link_rec(__u32 id, struct progs *ps)
{
	struct bpf_link_info link = {};
	__u32 len = sizeof(link);
	int fd = bpf_link_get_fd_by_id(id), err;

	if (fd < 0)
		return;
	err = bpf_obj_get_info_by_fd(fd, &link, &len);
	close(fd);
	if (err || link.type != BPF_LINK_TYPE_TRACING ||
	    link.tracing.attach_type != BPF_LSM_MAC || ps->nlinks == LINKS_MAX)
		return;
	ps->link[ps->nlinks++] = (struct lsm_link){
		.id = id,
		.prog = link.prog_id,
		.target = link.tracing.target_btf_id,
	};
}

/* Every LSM link, whichever program it holds. */
static int links_read(struct progs *ps)
{
	__u32 id = 0;

	while (!bpf_link_get_next_id(id, &id))
		link_rec(id, ps);
	return errno == ENOENT ? 0 : -errno;
}

/*
 * Programs named like ratchet's whose tags are not this ratchet's: a
 * look-alike made by root, or another build. Only for messages: nothing is
 * decided by a name.
 */
static void lookalikes(const struct progs *ps, struct lock_view *v)
{
	int i;

	for (i = 0; i < ps->n; i++)
		if (ps->r[i].exp < 0 &&
		    !strncmp(ps->r[i].name, "ratchet_", 8) && !v->lookalikes++)
			snprintf(v->lookalike, sizeof(v->lookalike), "%s",
				 ps->r[i].name);
}

/* Does fdinfo @fd of the process directory @fds show an fd of map @id? */
static bool holds(DIR *fds, const char *fd, __u32 id)
{
	int f = openat(dirfd(fds), fd, O_RDONLY | O_CLOEXEC);
	char text[1024], *s;
	unsigned int m;
	bool yes;

	if (f < 0)
		return false;
	yes = sys_read_text(f, text, sizeof(text)) > 0 &&
	      (s = strstr(text, "\nmap_id:")) &&
	      sscanf(s + 1, "map_id: %u", &m) == 1 && m == id;
	close(f);
	return yes;
}

/*
 * "comm[pid]" of a process with an fd to map @id, or "". Walked in a
 * fresh proc instance (src/kfs.c): a mount over /proc or /proc/PID cannot
 * hide the holder.
 */
static void find_holder(__u32 id, char *out, size_t len)
{
	DIR *proc = kfs_opendir("proc", "."), *fds;
	struct dirent *p, *f;
	char rel[300], comm[32];

	out[0] = '\0';
	while (proc && !out[0] && (p = readdir(proc))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(rel, sizeof(rel), "%.255s/fdinfo", p->d_name);
		if (!(fds = kfs_opendir("proc", rel)))
			continue;
		while (!out[0] && (f = readdir(fds)))
			if (f->d_name[0] != '.' && holds(fds, f->d_name, id)) {
				snprintf(rel, sizeof(rel), "%.255s/comm",
					 p->d_name);
				if (kfs_read_line("proc", rel, comm,
						  sizeof(comm)))
					comm[0] = '\0';
				snprintf(out, len, "%.31s[%.16s]", comm,
					 p->d_name);
			}
		closedir(fds);
	}
	if (proc)
		closedir(proc);
}

/* Does @r use the event log or one of its helper maps? */
static bool uses_audit(const struct prog_rec *r, const struct lock_view *v)
{
	return uses(r, v->map[ROLE_LOG]) || uses(r, v->map[ROLE_FOLDS]) ||
	       uses(r, v->map[ROLE_MARKS]);
}

/* Who holds the event log's maps besides ratchet's programs. */
static void audit_users(const struct progs *ps, const struct expected *e,
			struct lock_view *v)
{
	const struct ratchet_map_view *m[] = { &v->snap.log_map,
					       &v->snap.folds_map,
					       &v->snap.marks_map };
	unsigned int k;
	int i;

	for (i = 0; i < ps->n; i++)
		if (uses_audit(&ps->r[i], v) && !of_lock(&ps->r[i], e, v))
			v->audit_foreign++;
	for (k = 0; k < sizeof(m) / sizeof(m[0]); k++) {
		v->audit_users += m[k]->usercnt;
		if (m[k]->usercnt && !v->audit_holder[0])
			find_holder(m[k]->id, v->audit_holder,
				    sizeof(v->audit_holder));
	}
}

/*
 * The lock in force, as the kernel shows it: -ENOENT if no program of
 * this ratchet is loaded, -EALREADY if some are but never sealed.
 */
int facts_find(const struct expected *e, struct lock_view *v)
{
	struct progs ps;
	int err;

	memset(v, 0, sizeof(*v));
	v->exp = e;
	v->pins_checked = -1;
	if ((err = progs_read(e, &ps)) || (err = links_read(&ps)))
		goto out;
	lookalikes(&ps, v);
	if ((err = choose(&ps, e, v)))
		goto out;
	match_links(&ps, e, v);
	match_sysctl(&ps, e, v);
	state_users(&ps, e, v);
	check_tables(e, v);
	check_shapes(e, v);
	check_sealed(v);
	audit_users(&ps, e, v);
	if (v->snap.state_map.usercnt)
		find_holder(v->map[ROLE_STATE], v->holder, sizeof(v->holder));
out:
	free(ps.r);
	return err;
}

struct pins_call {
	const struct expected *e;
	struct lock_view *v;
};

/* Each link's pin, by its name relative to the working directory. */
static int pins_here(void *ctx)
{
	const struct expected *e = ((struct pins_call *)ctx)->e;
	struct lock_view *v = ((struct pins_call *)ctx)->v;
	char name[128];
	int i;

	for (i = 0; i < e->n; i++) {
		struct bpf_link_info info = {};
		__u32 len = sizeof(info);
		int fd;

		if (!v->link[i])
			continue;
		snprintf(name, sizeof(name), "link-%s", e->p[i].name);
		fd = bpf_obj_get(name);
		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    info.id == v->link[i]) {
			close(fd);
			continue;
		}
		if (fd >= 0)
			close(fd);
		snprintf(v->unpinned, sizeof(v->unpinned), "%s", e->p[i].name);
		return -ENOLINK;
	}
	return 0;
}

/*
 * Each LSM link is pinned in ratchet's bpffs, whose root is @dirfd: a link
 * held only by an fd lasts as long as its holder wants. Once sealed no pin
 * there can be removed, so pins found then stay.
 */
void facts_check_pins(const struct expected *e, struct lock_view *v, int dirfd)
{
	struct pins_call c = { e, v };

	/*
	 * Through the bpffs's own fd, as the working directory
	 * (pindir_within()): never a path through /proc, which root can cover.
	 */
	int err;

	v->pins_checked = -1;
	if (dirfd < 0)
		return;
	/* -ENOLINK: pins_here() named the link without a pin; else unchecked. */
	err = pindir_within(dirfd, pins_here, &c);
	v->pins_checked = !err ? 1 : err == -ENOLINK ? 0 : -1;
}

/*
 * Is any loaded program named like one of @names (identity_names())? If
 * not, no lock of this ratchet can be loaded, and nothing need be done
 * that loads anything, even the dry run's probes. Names decide nothing
 * else: a program named so is ratchet's only if its tag says so.
 */
bool facts_any_named(const char (*names)[16], int n)
{
	__u32 id = 0;
	int i;

	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id), err;

		if (fd < 0)
			continue;
		err = bpf_obj_get_info_by_fd(fd, &info, &len);
		close(fd);
		for (i = 0; !err && i < n; i++)
			if (!strncmp(info.name, names[i], 15))
				return true;
	}
	return false;
}
