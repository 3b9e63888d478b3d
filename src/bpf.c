// SPDX-License-Identifier: GPL-2.0
/*
 * bpf.c - the one file that talks to libbpf.
 *
 * The first lock loads the skeleton, attaches every program, pins the
 * links, the state map and the raise program into ratchet's own bpffs
 * instance, freezes the state map, then raises and seals. Later locks
 * only run the raise program: they never load new programs, so they
 * still work after bpf-read-kernel or the self-protection has been locked.
 *
 * A lock is found by its kernel objects, never by the pin path: the
 * attached ratchet_locked_down LSM link (none can be added once sealed),
 * the maps its program uses, and the syscall programs that use the state
 * map (no new fd to it can be had once sealed, so none can be forged).
 * Moved, hidden or out of this namespace's sight, the pins change nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "ratchet.skel.h"

#define PIN(name) RATCHET_PIN_DIR "/" name

static char libbpf_log[16384];
static size_t log_len;
static const char *step = "";

/*
 * libbpf must not print: keep what it warns about (verifier logs included)
 * for the command layer, which says what went wrong in one line.
 */
static int keep_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* RATCHET_DEBUG=1 shows libbpf's own output, verifier logs included. */
	if (getenv("RATCHET_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	if (level == LIBBPF_DEBUG || log_len >= sizeof(libbpf_log) - 1)
		return 0;
	log_len += vsnprintf(libbpf_log + log_len, sizeof(libbpf_log) - log_len,
			     fmt, ap);
	if (log_len > sizeof(libbpf_log) - 1)
		log_len = sizeof(libbpf_log) - 1;
	return 0;
}

/* The line of the log holding @key, without its "libbpf: " prefix. */
static int log_line(const char *key, char *out, size_t len)
{
	const char *p = strstr(libbpf_log, key), *b, *e;

	if (!p)
		return 0;
	for (b = p; b > libbpf_log && b[-1] != '\n'; b--)
		;
	if (!strncmp(b, "libbpf: ", 8))
		b += 8;
	e = strchr(p, '\n');
	snprintf(out, len, "%.*s", (int)(e ? e - b : (long)strlen(b)), b);
	return 1;
}

/* The verifier's verdict: the last line of the log before its statistics. */
static int verifier_verdict(char *out, size_t len)
{
	const char *end = strstr(libbpf_log, "\nprocessed ");
	const char *b;

	if (!end)
		end = strstr(libbpf_log, "-- END PROG LOAD LOG --");
	if (!end)
		return 0;
	while (end > libbpf_log && end[-1] == '\n')
		end--;
	for (b = end; b > libbpf_log && b[-1] != '\n'; b--)
		;
	snprintf(out, len, "%.*s", (int)(end - b), b);
	return end > b;
}

/*
 * Did the kernel refuse what this build loads (a CO-RE relocation against
 * something it lacks, or its verifier)? That is exit 3: this kernel cannot
 * run this ratchet, whatever the operator does.
 */
int rbpf_kernel_refused(void)
{
	return strstr(libbpf_log, "failed to resolve CO-RE relocation") ||
	       strstr(libbpf_log, "BPF program load failed");
}

/* Which step failed, and the one thing libbpf said that explains it. */
const char *rbpf_last_step(void)
{
	static char buf[1024];
	char a[400], b[400];

	if (log_line("failed to resolve CO-RE relocation", a, sizeof(a)))
		snprintf(buf, sizeof(buf),
			 "%s: this kernel lacks what a program "
			 "reads (%s)",
			 step, a);
	else if (log_line("BPF program load failed", a, sizeof(a)) &&
		 verifier_verdict(b, sizeof(b)))
		snprintf(buf, sizeof(buf),
			 "%s: the verifier refused it (%s: %s)", step, a, b);
	else if (log_line("", a, sizeof(a)) && a[0])
		snprintf(buf, sizeof(buf), "%s (libbpf: %s)", step, a);
	else
		return step;
	return buf;
}

/* The kernel's dev_t encoding, as struct super_block's s_dev holds it. */
static __u64 kernel_dev(dev_t d)
{
	return ((__u64)major(d) << 20) | minor(d);
}

static int fs_type(const char *path, long magic)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == magic;
}

static int is_mountpoint(const char *path, const char *parent)
{
	struct stat a, b;

	return !stat(path, &a) && !stat(parent, &b) && a.st_dev != b.st_dev;
}

/*
 * The first lock's mounts must outlive the namespace they are made in:
 * a mount namespace that dies unmounts everything in it, with no hook.
 * Only the initial one never dies; ratchet_raise checks that on the
 * kernel's objects, this says so before anything is mounted.
 */
static int in_pid1_mount_ns(void)
{
	struct stat self, init;

	step = "comparing this mount namespace with PID 1's";
	if (stat("/proc/self/ns/mnt", &self) || stat("/proc/1/ns/mnt", &init))
		return -errno;
	return self.st_ino == init.st_ino && self.st_dev == init.st_dev
		       ? 0
		       : -EXDEV;
}

/*
 * Mount @type at @dir unless @mounted, then make it unbindable: private,
 * and more: no bind mount or clone of it can be made, and the kernel
 * refuses to move a tree that holds it under a shared mount
 * (do_move_mount()). *@made says whether this call mounted it.
 */
static int mount_unbindable(const char *dir, const char *type, const char *opts,
			    bool mounted, bool *made)
{
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	if (!mounted) {
		if (mount("ratchet", dir, type,
			  MS_NOSUID | MS_NODEV | MS_NOEXEC, opts))
			return -errno;
		*made = true;
	}
	if (mount(NULL, dir, NULL, MS_UNBINDABLE, NULL))
		return -errno;
	return 0;
}

struct pin_dir {
	int fd;
	bool made_run, made_pins; /* mounted by this run */
};

/* A first lock that failed leaves no mount behind. */
static void close_pin_dir(struct pin_dir *d, bool failed)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	if (!failed)
		return;
	if (d->made_pins)
		umount2(RATCHET_PIN_DIR, 0);
	if (d->made_run && !umount2(RATCHET_RUN_DIR, 0))
		rmdir(RATCHET_RUN_DIR);
}

/*
 * /run/ratchet is an unbindable tmpfs, /run/ratchet/bpf an unbindable
 * bpffs instance of ratchet's own. The tmpfs is the pin mount's parent:
 * while it receives no propagation no umount anywhere reaches the pins,
 * and while it holds them no umount removes it (docs/threat-model.md).
 */
static int open_pin_dir(struct pin_dir *d)
{
	int err;

	*d = (struct pin_dir){ .fd = -1 };
	if ((err = in_pid1_mount_ns()))
		return err;
	step = "mounting " RATCHET_RUN_DIR;
	if ((err = mount_unbindable(
		     RATCHET_RUN_DIR, "tmpfs", "mode=0700,size=64k",
		     is_mountpoint(RATCHET_RUN_DIR, "/run"), &d->made_run)))
		return err;
	step = "mounting bpffs at " RATCHET_PIN_DIR;
	if ((err = mount_unbindable(RATCHET_PIN_DIR, "bpf", "mode=0700",
				    fs_type(RATCHET_PIN_DIR, BPF_FS_MAGIC),
				    &d->made_pins)))
		return err;
	d->fd = open(RATCHET_PIN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0)
		return -errno;
	/* Serialises first locks. */
	step = "locking " RATCHET_PIN_DIR;
	if (flock(d->fd, LOCK_EX))
		return -errno;
	return 0;
}

/* ---- finding a lock by its kernel objects ---- */

#define MAPS_MAX 8

struct found {
	__u32 maps[MAPS_MAX], n; /* the maps of ratchet_locked_down */
	__u64 lsm_loaded;      /* latest load_time of ratchet's LSM programs */
	__u32 raise, snapshot; /* program ids */
};

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

/* The program behind LSM link @id, if it is one of ratchet's. */
static void match_lsm_link(__u32 id, struct found *f)
{
	struct bpf_link_info link = {};
	struct bpf_prog_info info;
	__u32 len = sizeof(link), maps[MAPS_MAX], n = 0;
	int fd = bpf_link_get_fd_by_id(id), err;

	if (fd < 0)
		return;
	err = bpf_obj_get_info_by_fd(fd, &link, &len);
	close(fd);
	if (err || link.type != BPF_LINK_TYPE_TRACING ||
	    link.tracing.attach_type != BPF_LSM_MAC ||
	    (fd = bpf_prog_get_fd_by_id(link.prog_id)) < 0)
		return;
	err = prog_info(fd, &info, maps, &n);
	close(fd);
	if (err || strncmp(info.name, "ratchet_", 8))
		return;
	if (info.load_time > f->lsm_loaded)
		f->lsm_loaded = info.load_time;
	if (!strcmp(info.name, "ratchet_locked_")) {
		memcpy(f->maps, maps, sizeof(maps));
		f->n = n;
	}
}

static bool has_id(const __u32 *ids, __u32 n, __u32 id)
{
	while (n--)
		if (ids[n] == id)
			return true;
	return false;
}

/*
 * Sets f->raise or f->snapshot if program @id is one of those two: named
 * so, using only maps of ratchet_locked_down, and loaded no later than
 * ratchet's LSM programs (in the same object load, which interleaves
 * them). After sealing no LSM program can be loaded, so nothing loaded
 * since passes the last test; and nothing that did can use the state map.
 */
static void match_syscall_prog(__u32 id, struct found *f)
{
	struct bpf_prog_info info;
	__u32 own[MAPS_MAX], k = 0, i;
	int fd = bpf_prog_get_fd_by_id(id), err;

	if (fd < 0)
		return;
	err = prog_info(fd, &info, own, &k);
	close(fd);
	if (err || info.type != BPF_PROG_TYPE_SYSCALL || !k ||
	    info.load_time > f->lsm_loaded)
		return;
	for (i = 0; i < k; i++)
		if (!has_id(f->maps, f->n, own[i]))
			return;
	if (!strcmp(info.name, "ratchet_raise"))
		f->raise = id;
	else if (!strcmp(info.name, "ratchet_snapsho"))
		f->snapshot = id;
}

/*
 * The lock in force, if any: -ENOENT when no ratchet LSM link is
 * attached, -EBADF when one is but its raise and snapshot are missing.
 */
static int find_lock(struct found *f)
{
	__u32 id = 0;

	memset(f, 0, sizeof(*f));
	step = "looking for ratchet's attached LSM programs";
	while (!bpf_link_get_next_id(id, &id))
		match_lsm_link(id, f);
	if (errno != ENOENT)
		return -errno;
	if (!f->n)
		return -ENOENT;
	step = "looking for ratchet's snapshot and raise programs";
	id = 0;
	while ((!f->raise || !f->snapshot) && !bpf_prog_get_next_id(id, &id))
		match_syscall_prog(id, f);
	return f->raise && f->snapshot ? 0 : -EBADF;
}

/*
 * Through the snapshot program: no fd to the map itself is given. A
 * syscall program's context is copied back into ctx_in (ctx_out is
 * refused for them).
 */
static int run_snapshot(const struct found *f, struct ratchet_snapshot *snap)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = snap,
		    .ctx_size_in = sizeof(*snap));
	int fd, err = 0;

	step = "reading the state through ratchet_snapshot";
	fd = bpf_prog_get_fd_by_id(f->snapshot);
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

/* -ENOENT: nothing locked (no sealed lock in this kernel). */
int rbpf_read_snapshot(struct ratchet_snapshot *snap)
{
	struct found f;
	int err;

	libbpf_set_print(keep_log);
	if ((err = find_lock(&f)) || (err = run_snapshot(&f, snap)))
		return err;
	return snap->state.pin_dev ? 0 : -ENOENT;
}

int rbpf_read_state(struct ratchet_state *st)
{
	static struct ratchet_snapshot snap;
	int err = rbpf_read_snapshot(&snap);

	*st = snap.state;
	return err;
}

static int run_raise(int prog_fd, struct ratchet_raise_args *args)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args,
		    .ctx_size_in = sizeof(*args));

	step = "raising the state through ratchet_raise";
	if (bpf_prog_test_run_opts(prog_fd, &opts))
		return -errno;
	return (int)opts.retval;
}

/* Pin every attached link as link-<program>; all or nothing. */
static int pin_links(struct ratchet_bpf *skel)
{
	const struct bpf_object_skeleton *s = skel->skeleton;
	char path[256];
	int i, err;

	step = "pinning the links";
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_link *link = *s->progs[i].link;

		if (!link)
			continue;
		snprintf(path, sizeof(path), PIN("link-%s"), s->progs[i].name);
		err = bpf_link__pin(link, path);
		if (err)
			return err;
	}
	return 0;
}

static void unpin_all(struct ratchet_bpf *skel)
{
	const struct bpf_object_skeleton *s = skel->skeleton;
	int i;

	for (i = 0; i < s->prog_cnt; i++)
		if (*s->progs[i].link)
			bpf_link__unpin(*s->progs[i].link);
	bpf_map__unpin(skel->maps.state, NULL);
	bpf_map__unpin(skel->maps.events, NULL);
	bpf_program__unpin(skel->progs.ratchet_raise, PIN("raise"));
	bpf_program__unpin(skel->progs.ratchet_snapshot, PIN("snapshot"));
}

/*
 * A legacy multi attach at the cgroup v2 root: it needs no fd or pin to
 * persist. Once sealed, the bpf hook refuses detaching or replacing
 * cgroup/sysctl programs.
 */
static int attach_sysctl(struct ratchet_bpf *skel)
{
	int prog = bpf_program__fd(skel->progs.ratchet_sysctl), cg, err = 0;

	step = "attaching the sysctl program to the cgroup v2 root /sys/fs/cgroup";
	if (!fs_type("/sys/fs/cgroup", CGROUP2_SUPER_MAGIC))
		return -ENOTDIR;
	cg = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		return -errno;
	if (bpf_prog_attach(prog, cg, BPF_CGROUP_SYSCTL, BPF_F_ALLOW_MULTI))
		err = -errno;
	close(cg);
	return err;
}

static void detach_sysctl(struct ratchet_bpf *skel)
{
	int cg = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (cg < 0)
		return;
	bpf_prog_detach2(bpf_program__fd(skel->progs.ratchet_sysctl), cg,
			 BPF_CGROUP_SYSCTL);
	close(cg);
}

static int load_and_pin(struct ratchet_bpf *skel)
{
	int err;

	step = "loading the BPF programs";
	if ((err = ratchet_bpf__load(skel)))
		return err;
	step = "attaching the BPF LSM programs";
	if ((err = ratchet_bpf__attach(skel)))
		return err;
	if ((err = pin_links(skel)))
		return err;
	step = "pinning the state map, the event ring and ratchet_raise";
	if ((err = bpf_map__pin(skel->maps.state, PIN("state"))) ||
	    (err = bpf_map__pin(skel->maps.events, PIN("events"))) ||
	    (err = bpf_program__pin(skel->progs.ratchet_raise, PIN("raise"))) ||
	    (err = bpf_program__pin(skel->progs.ratchet_snapshot,
				    PIN("snapshot"))))
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

/*
 * The rest of .rodata the programs decide by: what each kernel read and
 * load id of the running kernel is (kinds.c). The sysctl tables are
 * compiled in. Done the same way for a lock and for finding one, whose
 * .rodata must hold exactly this.
 */
static int fill_rodata(struct ratchet_bpf *skel)
{
	const struct btf *btf = kernel_btf();
	int err;

	step = "classifying the kernel's kernel_read_file and kernel_load_data "
	       "ids (BTF)";
	if (!btf)
		return -ENOENT;
	if ((err = kinds_from_btf(btf, KINDS_READ, skel->rodata->read_kinds)))
		return err;
	return kinds_from_btf(btf, KINDS_LOAD, skel->rodata->load_kinds);
}

/*
 * ratchet_raise seals with the caller's working directory at the root of
 * the pin bpffs: that is how it learns which mount to protect.
 */
static int seal(int prog_fd, int dirfd, struct ratchet_raise_args *args)
{
	int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), err;

	step = "entering " RATCHET_PIN_DIR " to seal";
	if (cwd < 0)
		return -errno;
	err = fchdir(dirfd) ? -errno : run_raise(prog_fd, args);
	if (fchdir(cwd) && !err)
		err = -errno;
	close(cwd);
	return err;
}

/*
 * Nothing is locked yet. Until the raise seals the state, a failure undoes
 * everything: destroying the skeleton detaches whatever was attached.
 */
static int first_lock(struct ratchet_raise_args *args, int dirfd)
{
	struct ratchet_bpf *skel;
	struct stat st;
	int err;

	step = "opening the BPF object";
	skel = ratchet_bpf__open();
	if (!skel)
		return -errno;
	err = fstat(dirfd, &st) ? -errno : hooks_checked(skel);
	if (!err)
		err = fill_rodata(skel);
	if (!err)
		err = load_and_pin(skel);
	if (!err)
		err = attach_sysctl(skel);
	if (!err)
		err = map_id(skel->maps.state, &args->state_map_id);
	if (!err) {
		args->pin_dev = kernel_dev(st.st_dev);
		err = seal(bpf_program__fd(skel->progs.ratchet_raise), dirfd,
			   args);
	}
	if (err) {
		detach_sysctl(skel);
		unpin_all(skel);
	}
	ratchet_bpf__destroy(skel);
	return err;
}

/* A later lock: through the raise program of the lock in force. */
static int raise_found(const struct found *f, struct ratchet_raise_args *args)
{
	int fd, err;

	step = "opening ratchet_raise by id";
	fd = bpf_prog_get_fd_by_id(f->raise);
	if (fd < 0)
		return -errno;
	err = run_raise(fd, args);
	close(fd);
	return err;
}

/* Read the state back from the kernel: the only proof that counts. */
static int verify(const struct ratchet_mask *enforce,
		  const struct ratchet_mask *permissive, __u64 sysctls,
		  struct ratchet_state *st)
{
	int err;

	if ((err = rbpf_read_state(st)))
		return err == -ENOENT ? -EIO : err;
	step = "verifying the state";
	if (!st->pin_dev ||
	    !ratchet_state_covers(st, enforce, permissive, sysctls))
		return -EIO;
	return 0;
}

/*
 * The lock in force, found by its objects wherever its pins went; or a
 * first lock, serialised by the pin directory's flock. -EALREADY: a lock
 * is loaded but was never sealed (a first lock that was killed midway).
 */
static int lock_or_raise(struct ratchet_raise_args *args)
{
	struct ratchet_snapshot snap;
	struct pin_dir d;
	struct found f;
	int err;

	err = find_lock(&f);
	if (!err && !(err = run_snapshot(&f, &snap)) && snap.state.pin_dev)
		return raise_found(&f, args);
	if (err && err != -ENOENT)
		return err;
	if ((err = open_pin_dir(&d))) {
		close_pin_dir(&d, true);
		return err;
	}
	/* Whoever held the flock may have locked meanwhile. */
	err = find_lock(&f);
	if (!err && !(err = run_snapshot(&f, &snap)))
		err = snap.state.pin_dev ? raise_found(&f, args) : -EALREADY;
	else if (err == -ENOENT)
		err = first_lock(args, d.fd);
	/* Only mounts made by this run go; a sealed lock's cannot. */
	close_pin_dir(&d, err != 0);
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
	int err;

	libbpf_set_print(keep_log);
	if ((err = lock_or_raise(&args)))
		return err;
	return verify(enforce, permissive, sysctls, st);
}

/*
 * The ring buffer among ratchet_locked_down's maps. The state map, whose
 * id the state names, is not opened: that is refused and reported.
 */
static int events_fd(void)
{
	struct ratchet_snapshot snap;
	struct bpf_map_info info;
	struct found f;
	__u32 i, len;
	int fd, err;

	if ((err = find_lock(&f)) || (err = run_snapshot(&f, &snap)))
		return err;
	step = "opening the event ring by id";
	for (i = 0; i < f.n; i++) {
		if (f.maps[i] == snap.state.state_map_id ||
		    (fd = bpf_map_get_fd_by_id(f.maps[i])) < 0)
			continue;
		len = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    info.type == BPF_MAP_TYPE_RINGBUF)
			return fd;
		close(fd);
	}
	return -ENOENT;
}

struct watch {
	rbpf_event_fn fn;
	void *ctx;
};

static int on_event(void *ctx, void *data, size_t len)
{
	struct watch *w = ctx;

	if (len < sizeof(struct ratchet_event))
		return 0;
	return w->fn(w->ctx, data);
}

/*
 * Stream events from the pinned ring until *stop is set or @fn returns
 * non-zero. Events left in the ring by nobody's reading come first.
 */
int rbpf_watch(rbpf_event_fn fn, void *ctx, volatile sig_atomic_t *stop)
{
	struct watch w = { fn, ctx };
	struct ring_buffer *rb;
	int fd, err = 0;

	libbpf_set_print(keep_log);
	if ((fd = events_fd()) < 0)
		return fd;
	rb = ring_buffer__new(fd, on_event, &w, NULL);
	if (!rb) {
		err = -errno;
		close(fd);
		return err;
	}
	while (!*stop && err >= 0) {
		err = ring_buffer__poll(rb, 200);
		if (err == -EINTR)
			err = 0;
	}
	ring_buffer__free(rb);
	close(fd);
	return err < 0 ? err : 0;
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
