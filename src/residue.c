// SPDX-License-Identifier: GPL-2.0
/*
 * residue.c - what a lock cannot take back: file descriptors to the
 * devices lockdown guards that were opened before it, and loop devices
 * bound to them. Checks happen at open, so these keep working; status
 * names them.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <linux/kcmp.h>
#include <linux/loop.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "cli.h"

/*
 * The guarded files, by the object an fd refers to, never by the name it
 * shows: a name can be a deleted or renamed node, a mknod copy, another
 * devtmpfs or proc mount, or a bind. Character devices by number:
 * mem 1:1, kmem 1:2, port 1:4 (drivers/char/mem.c), msr major 202, one
 * minor per CPU (arch/x86/kernel/msr.c), snapshot misc 10:231
 * (SNAPSHOT_MINOR, kernel/power/user.c), all three kernels.
 */
#define ANY_MINOR -1
static const struct {
	int major, minor;
	const char *name;
} guarded[] = {
	{ 1, 1, "/dev/mem" },	      { 1, 2, "/dev/kmem" },
	{ 1, 4, "/dev/port" },	      { 202, ANY_MINOR, "/dev/cpu/%d/msr" },
	{ 10, 231, "/dev/snapshot" },
};

/*
 * /proc/kcore is no device: a proc file whose inode number comes from its
 * proc_dir_entry (proc_register(), fs/proc/generic.c), so every proc
 * mount shows it with the same number, on an anonymous device. Not by
 * size: each inode's is set when it is opened (open_kcore(),
 * fs/proc/kcore.c), so one opened before memory was hot-added shows the
 * old span. Read from the fresh instance, into *@k: 1; 0 if this kernel
 * has none; -errno if that cannot be told. A failed open or stat is not
 * "none": any LSM program can refuse the walker either (red team 19: a
 * second open of the proc root refused hid a holder of /proc/kcore), so
 * ENOENT is believed only of a kernel whose BTF lacks open_kcore().
 */
static int kcore(const struct stat **k)
{
	static struct stat st;
	static int have = 2; /* not read yet */
	const struct btf *btf;
	DIR *root;

	if (have == 2) {
		if (!(root = kfs_opendir("proc", "."))) {
			have = errno ? -errno : -EIO;
		} else {
			have = sys_ok(fstatat(dirfd(root), "kcore", &st, 0));
			have = have ?: 1;
			closedir(root);
		}
		if (have == -ENOENT && (btf = kernel_btf()) &&
		    btf_find(btf, "open_kcore", BTF_KIND_FUNC) < 0)
			have = 0;
	}
	*k = &st;
	return have;
}

/* Is @st /proc/kcore? In the child: if that cannot be told, the walk
 * ends as not whole. */
static int is_kcore(const struct stat *st)
{
	const struct stat *k;
	int have = kcore(&k);

	if (have < 0)
		_exit(1);
	return have && S_ISREG(st->st_mode) && !major(st->st_dev) &&
	       st->st_ino == k->st_ino;
}

/* The guarded file @st is, named into @name; 0 if none. */
static int guarded_name(const struct stat *st, char *name, size_t len)
{
	size_t i;

	if (is_kcore(st))
		return snprintf(name, len, "/proc/kcore"), 1;
	if (!S_ISCHR(st->st_mode))
		return 0;
	for (i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++)
		if ((int)major(st->st_rdev) == guarded[i].major &&
		    (guarded[i].minor == ANY_MINOR ||
		     (int)minor(st->st_rdev) == guarded[i].minor)) {
			snprintf(name, len, guarded[i].name,
				 (int)minor(st->st_rdev));
			return 1;
		}
	return 0;
}

/* @pid's name, printable: it is the process's own to set, to anything. */
static void comm_of(int pid, char *buf, size_t len)
{
	char rel[32], *c;

	snprintf(rel, sizeof(rel), "%d/comm", pid);
	if (kfs_read_line("proc", rel, buf, len))
		snprintf(buf, len, "?");
	for (c = buf; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
}

/*
 * What the walking child has found, to list each process and file once
 * (this process's notes start at @from), and the socket it sends them
 * on, one as each is found: a walk cut short still says what it saw.
 */
struct notes {
	struct fd_note *v;
	int n, cap, from, sock;
};

static struct fd_note *note_new(struct notes *ns)
{
	struct fd_note *v;
	int cap;

	if (ns->n == ns->cap) {
		cap = ns->cap ? 2 * ns->cap : 32;
		if (!(v = realloc(ns->v, (size_t)cap * sizeof(*v))))
			return NULL;
		ns->v = v;
		ns->cap = cap;
	}
	v = &ns->v[ns->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

/* Is @name already listed for this process (another fd, or a mapping)? */
static int listed(const struct notes *ns, const char *name)
{
	int i;

	for (i = ns->from; i < ns->n; i++)
		if (!strcmp(ns->v[i].path, name))
			return 1;
	return 0;
}

/*
 * The object the link @name in @dir refers to, without asking its file
 * system to refresh what it caches (AT_STATX_DONT_SYNC): a FUSE daemon
 * that does not answer, or an NFS server gone, cannot stall status
 * (fuse_update_get_attr(), fs/fuse/dir.c; nfs_getattr(); 6.1 to 7.2).
 */
static int link_stat(int dir, const char *name, struct stat *st)
{
	struct statx x;
	int err;

	if ((err = sys_ok(statx(dir, name, AT_STATX_DONT_SYNC,
				STATX_BASIC_STATS, &x))))
		return err;
	memset(st, 0, sizeof(*st));
	st->st_mode = x.stx_mode;
	st->st_ino = x.stx_ino;
	st->st_size = (off_t)x.stx_size;
	st->st_dev = makedev(x.stx_dev_major, x.stx_dev_minor);
	st->st_rdev = makedev(x.stx_rdev_major, x.stx_rdev_minor);
	return 0;
}

/*
 * Is the mapping @name ("START-END", hex) of thread @tid gone? Only if
 * the thread's maps, read whole, no longer list that range: statx()'s
 * -ENOENT on its map_files link is any LSM program's to give (red team
 * 19: the answer red team 17 gave for a holder's fd hid a mapping of
 * /dev/mem). A read that fails is not an answer: not gone.
 */
static bool mapping_gone(int tid, const char *name)
{
	unsigned long start, end, s, e;
	char rel[32], *buf, *line, *next;
	bool listed;
	size_t size;

	if (sscanf(name, "%lx-%lx", &start, &end) != 2)
		return false;
	snprintf(rel, sizeof(rel), "%d/maps", tid);
	if (kfs_read_all("proc", rel, (void **)&buf, &size))
		return false;
	/* A NUL is no text of maps: a count without its bytes. */
	listed = memchr(buf, '\0', size) != NULL;
	for (line = buf; line && !listed; line = next) {
		if ((next = strchr(line, '\n')))
			next++;
		listed = sscanf(line, "%lx-%lx", &s, &e) == 2 && s == start &&
			 e == end;
	}
	free(buf);
	return !listed;
}

/*
 * Whether a link of a directory of thread @tid that statx() says is not
 * there (@err) is gone: a mapping (@maps) if mapping_gone() says so; an
 * fd if the thread's fd table has none by that number. Not from statx()
 * alone: any LSM program can answer -ENOENT there (red team 17: -EACCES
 * for the holder's link of /dev/mem hid the holder, 6.1 to 7.2).
 * kcmp(KCMP_FILE) fails with EBADF only for an fd that is not in the
 * table (get_file_raw_ptr(), kernel/kcmp.c, 6.1 to 7.2; @mine is one of
 * the caller's own), with ESRCH for a thread that is gone, and its one
 * hook, the ptrace check, refuses with EPERM. Anything else leaves the
 * walk not whole.
 */
static bool link_gone(int tid, bool maps, const char *name, int err, int mine)
{
	if (err != -ENOENT)
		return false;
	if (maps)
		return mapping_gone(tid, name);
	err = sys_ok(
		syscall(SYS_kcmp, tid, getpid(), KCMP_FILE, atoi(name), mine));
	return err == -EBADF || err == -ESRCH; /* or the thread is gone */
}

/*
 * Is thread @tid gone? kcmp() finds both tasks before its one hook (the
 * ptrace check, which refuses with EPERM only), so ESRCH is the kernel's
 * word (kernel/kcmp.c, 6.1 to 7.2). A directory of a thread that is not
 * gone and cannot be opened ends the walk as not whole (red team 19:
 * refusing the open of a holder's fd and map_files directories hid it).
 */
static bool thread_gone(int tid)
{
	return sys_ok(syscall(SYS_kcmp, tid, getpid(), KCMP_FILES, 0, 0)) ==
	       -ESRCH;
}

/*
 * Guarded files in the directory of links @rel of process @pid (an fd
 * table, "PID/task/TID/fd" of thread @tid, or its mappings, "TID/map_files",
 * @maps), appended to @ns once per process and file.
 * statx() follows the magic link to the open file itself (proc_fd_link(), fs/proc/fd.c;
 * map_files_get_link(), fs/proc/base.c, which asks CAP_SYS_ADMIN), so a
 * deleted or renamed node is still found, and nothing is opened.
 */
static void scan_fds(const char *rel, int pid, int tid, bool maps,
		     struct notes *ns)
{
	struct fd_note *f;
	char name[32];
	struct dirent *d;
	struct stat st;
	DIR *fds;
	int err;

	if (!(fds = kfs_opendir("proc", rel))) {
		if (!thread_gone(tid))
			_exit(1);
		return;
	}
	while ((d = readdir(fds))) {
		if (d->d_name[0] == '.')
			continue;
		/* In the child: a link it cannot tell ends the walk. */
		if ((err = link_stat(dirfd(fds), d->d_name, &st)) &&
		    !link_gone(tid, maps, d->d_name, err, ns->sock))
			_exit(1);
		if (err || !guarded_name(&st, name, sizeof(name)) ||
		    listed(ns, name))
			continue;
		/* In the child: a note it cannot keep or send ends the walk
		 * as failed, which the parent reports as not whole. */
		if (!(f = note_new(ns)))
			_exit(1);
		f->pid = pid;
		comm_of(pid, f->comm, sizeof(f->comm));
		snprintf(f->path, sizeof(f->path), "%s", name);
		if (bounded_send(ns->sock, f, sizeof(*f)))
			_exit(1);
	}
	closedir(fds);
}

/* How many separate fd tables of one process are told apart. */
#define TABLES_MAX 64

/*
 * Is the fd table (@type KCMP_FILES) or the address space (KCMP_VM) of
 * thread @tid none of @seen's @n? kcmp() compares the files_struct or
 * mm_struct pointers (kernel/kcmp.c, all three kernels). If it cannot
 * tell (-1), the table is walked: listed twice, never missed.
 */
static int new_table(int tid, const int *seen, int n, int type)
{
	int i;

	for (i = 0; i < n; i++)
		if (!syscall(SYS_kcmp, seen[i], tid, type, 0, 0))
			return 0;
	return 1;
}

/* One process's walk: the fd tables and address spaces seen so far. */
struct walk {
	int pid, files[TABLES_MAX], nfiles, vms[TABLES_MAX], nvms;
};

/* Is @tid's object of kcmp @type new to @seen (@n of them)? Noted if so. */
static int first_seen(int tid, int *seen, int *n, int type)
{
	if (!new_table(tid, seen, *n, type))
		return 0;
	if (*n < TABLES_MAX)
		seen[(*n)++] = tid;
	return 1;
}

/*
 * The thread @tid's fd table and address space, each unless @w has seen
 * it in another thread of the process.
 */
static void scan_thread(struct walk *w, int tid, struct notes *ns)
{
	char rel[64];

	if (first_seen(tid, w->files, &w->nfiles, KCMP_FILES)) {
		snprintf(rel, sizeof(rel), "%d/task/%d/fd", w->pid, tid);
		scan_fds(rel, w->pid, tid, false, ns);
	}
	/*
	 * A mapping outlives the fd it was made from (munmap ends it).
	 * map_files of a leader that exited alone is empty (no mm), while
	 * its threads still map: /proc/TID, found by lookup though no
	 * readdir lists it, shows the thread's (proc_pid_lookup(),
	 * fs/proc/base.c).
	 */
	if (first_seen(tid, w->vms, &w->nvms, KCMP_VM)) {
		snprintf(rel, sizeof(rel), "%d/map_files", tid);
		scan_fds(rel, w->pid, tid, true, ns);
	}
}

/*
 * Every fd table of process @pid: a thread made without CLONE_FILES, or
 * one that called unshare(CLONE_FILES), has its own, and /proc/PID/fd
 * shows only the leader's. Each table and address space is walked once.
 */
static void scan_pid(int pid, struct notes *ns)
{
	struct walk w = { .pid = pid };
	char rel[64];
	struct dirent *d;
	DIR *tasks;
	int tid;

	ns->from = ns->n;
	scan_thread(&w, pid, ns);
	snprintf(rel, sizeof(rel), "%d/task", pid);
	if (!(tasks = kfs_opendir("proc", rel))) {
		if (!thread_gone(pid))
			_exit(1);
		return;
	}
	while ((d = readdir(tasks))) {
		tid = atoi(d->d_name);
		if (isdigit((unsigned char)d->d_name[0]) && tid != pid)
			scan_thread(&w, tid, ns);
	}
	closedir(tasks);
}

/*
 * In the child: every holder but @arg (the caller) and itself, sent. A
 * walk that did not list the child itself, or did not end where a walk
 * of the proc root ends, did not see all of /proc: getdents64() returns
 * 0, an end, when security_file_permission() answers a positive value
 * (iterate_dir(), fs/readdir.c, 6.1 to 7.2), for any batch (red team 16:
 * a later one, with the walker given a low pid).
 */
static void files_walk(int sock, const void *arg)
{
	DIR *proc = kfs_opendir("proc", ".");
	struct notes ns = { .sock = sock };
	int pid, caller = *(const int *)arg, self = getpid();
	bool seen_self = false;
	struct dirent *d;

	if (!proc)
		_exit(1);
	while ((d = readdir(proc))) {
		pid = atoi(d->d_name);
		seen_self |= pid == self;
		if (isdigit((unsigned char)d->d_name[0]) && pid != caller &&
		    pid != self)
			scan_pid(pid, &ns);
	}
	if (!seen_self || kfs_dir_whole(proc, KFS_PROC_END))
		_exit(1);
	closedir(proc);
	free(ns.v);
}

/* How long the walk of every process's files may take. */
#define FILES_WAIT_MS 30000

/*
 * Every guarded file open anywhere, into *@out (malloc'd, the caller
 * frees it); the count, or -errno. Walked in a fresh proc instance
 * (src/kfs.c): a mount over /proc or /proc/PID cannot hide a holder. In
 * a child given FILES_WAIT_MS (src/bounded.c): *@why says so when it did
 * not finish, and what it found before is kept.
 */
int residue_open_files(struct fd_note **out, const char **why)
{
	int self = getpid(), n, err;
	struct bounded b = { .walk = files_walk,
			     .arg = &self,
			     .size = sizeof(**out),
			     .ms = FILES_WAIT_MS,
			     .lock = -1 };
	void *v;

	err = bounded_run(&b, &v, &n);
	*out = v;
	*why = err == 1 ? "the walk of every process's files did not finish "
			  "in 30 s (a file system that does not answer, or "
			  "the walk was killed)"
			: NULL;
	return err < 0 ? err : n;
}

/*
 * Whether the block device @name may be a bound loop device: major
 * LOOP_MAJOR (7, include/uapi/linux/major.h) with a size (an unbound
 * loop has none: loop_clr_fd(), drivers/block/loop.c; /proc/kcore never
 * reads as empty). Never "no" from an error: any LSM program can answer
 * ENOENT for an open or a read (the loop driver's sysfs group, looked
 * for here once, passed for absent that way), so a file that cannot be
 * read counts the device in, for the child to say why.
 */
static bool maybe_bound(const char *name)
{
	char rel[300], buf[32];
	unsigned long long size;
	unsigned int ma, mi;

	snprintf(rel, sizeof(rel), "block/%s/dev", name);
	if (!kfs_read_line("sysfs", rel, buf, sizeof(buf)) &&
	    sscanf(buf, "%u:%u", &ma, &mi) == 2 && ma != 7)
		return false;
	snprintf(rel, sizeof(rel), "block/%s/size", name);
	return kfs_read_line("sysfs", rel, buf, sizeof(buf)) ||
	       sscanf(buf, "%llu", &size) != 1 || size;
}

/*
 * A loop device bound to /proc/kcore before a lock: the kernel checks the
 * file only when it is bound (loop_configure()), then reads it for anyone
 * who opens /dev/loopN, so the lock's open check never runs. A loop takes
 * only a regular file or a block device (loop_validate_file(),
 * drivers/block/loop.c, all three), so of the guarded files only kcore
 * can back one; a device stacked on such a loop keeps it bound, and
 * listed. LOOP_GET_STATUS64 gives the backing file's device and inode
 * (loop_get_status()): the object, not the name it was bound by. In the
 * child: @n says what @name reads, or why that cannot be told (a device
 * cgroup refusing the open), or neither (not kcore).
 */
static void loop_probe(const char *name, struct loop_note *n)
{
	char rel[300], buf[32];
	struct loop_info64 li;
	const struct stat *k;
	unsigned int ma, mi;
	int fd = -1, err, have = 0;

	memset(n, 0, sizeof(*n));
	snprintf(n->dev, sizeof(n->dev), "%s", name);
	snprintf(rel, sizeof(rel), "block/%s/dev", name);
	if ((err = kfs_read_line("sysfs", rel, buf, sizeof(buf))))
		;
	else if (sscanf(buf, "%u:%u", &ma, &mi) != 2)
		err = -EIO;
	else if ((fd = kfs_open_blockdev(makedev(ma, mi), O_RDONLY)) < 0)
		err = fd;
	else
		err = sys_ok(ioctl(fd, LOOP_GET_STATUS64, &li));
	if (!err && (have = kcore(&k)) < 0)
		err = have;
	if (!err && have && !major(li.lo_device) && li.lo_inode == k->st_ino)
		snprintf(n->path, sizeof(n->path), "/proc/kcore");
	if (fd >= 0)
		close(fd);
	/* ENXIO: unbound meanwhile, if its size says so too. */
	if (err && (err != -ENXIO || maybe_bound(name)))
		snprintf(n->why, sizeof(n->why), "%s", strerror(-err));
}

/* The bound loop devices, found by the parent; probed by the child. */
struct loops {
	char (*dev)[16];
	int n;
};

/* In the child: one note per device of @arg, in order. */
static void loop_walk(int sock, const void *arg)
{
	const struct loops *l = arg;
	struct loop_note n;
	int i;

	for (i = 0; i < l->n; i++) {
		loop_probe(l->dev[i], &n);
		if (bounded_send(sock, &n, sizeof(n)))
			_exit(1);
	}
}

/*
 * Every loop device that may be bound, into @l. A listing of block/ that
 * did not end where a kernfs directory's does was cut short
 * (kfs_dir_whole()): -EIO, never a shorter list.
 */
static int loops_bound(struct loops *l)
{
	DIR *blk = kfs_opendir("sysfs", "block");
	struct dirent *d;
	int err = 0;
	void *v;

	if (!blk)
		return -errno;
	while (!err && (d = readdir(blk))) {
		if (d->d_name[0] == '.' || strlen(d->d_name) >= 16 ||
		    !maybe_bound(d->d_name))
			continue;
		if (!(v = realloc(l->dev,
				  (size_t)(l->n + 1) * sizeof(*l->dev)))) {
			err = -ENOMEM;
			break;
		}
		l->dev = v;
		snprintf(l->dev[l->n++], sizeof(*l->dev), "%s", d->d_name);
	}
	if (!err)
		err = kfs_dir_whole(blk, KFS_KERNFS_END);
	closedir(blk);
	return err;
}

/* How long the loop devices may take to answer, all of them. */
#define LOOP_WAIT_MS 5000

/*
 * A lock the probing child holds while it lives: one stuck in the kernel
 * where SIGKILL waits (the disk's open_mutex, held by a partition scan
 * reading a stopped FUSE daemon's file; a FUSE request its daemon took
 * and never answered) keeps it, and later runs do not fork another. An
 * fd, or -1 (busy or unavailable: *@busy says which).
 */
static int probe_lock(bool *busy)
{
	int fd = open("/run/ratchet-probe.lock",
		      O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600),
	    i;

	*busy = false;
	for (i = 0; fd >= 0 && i < LOOP_WAIT_MS / 100; i++) {
		if (!flock(fd, LOCK_EX | LOCK_NB))
			return fd;
		usleep(100000);
	}
	*busy = fd >= 0;
	if (fd >= 0)
		close(fd);
	return -1;
}

/*
 * Into @out (*@m so far) the notes that matter: a device on kcore, one
 * that could not be told, and, with @why, every device of @l the child
 * did not answer for.
 */
static int loop_notes(const struct loops *l, const struct loop_note *got, int n,
		      const char *why, struct loop_note *out)
{
	int i, j, m = 0;

	for (i = 0; i < l->n; i++) {
		for (j = 0; j < n && strcmp(got[j].dev, l->dev[i]); j++)
			;
		if (j < n && !got[j].path[0] && !got[j].why[0])
			continue; /* probed: not on kcore */
		out[m] = j < n ? got[j] : (struct loop_note){ 0 };
		snprintf(out[m].dev, sizeof(out[m].dev), "%s", l->dev[i]);
		if (j == n)
			snprintf(out[m].why, sizeof(out[m].why), "%s", why);
		m++;
	}
	return m;
}

/*
 * Loop devices bound to a guarded file, or that could not be told, into
 * *@out (malloc'd, the caller frees it); the count or -errno.
 * LOOP_GET_STATUS64 waits for the loop's mutex and asks the backing
 * file's file system (vfs_getattr() in loop_get_status()), and opening
 * the device waits for the disk's open_mutex: a loop on a stopped FUSE
 * daemon's file, or one stuck mid-change, hung status. So a child asks,
 * given LOOP_WAIT_MS for all (src/bounded.c); a device it did not answer
 * for is listed as unknown, never left out.
 */
int residue_loop_devices(struct loop_note **out)
{
	struct loops l = { 0 };
	struct bounded b = { .walk = loop_walk,
			     .arg = &l,
			     .size = sizeof(**out),
			     .ms = LOOP_WAIT_MS };
	const char *why = "the probe did not answer for it, 5 s at most";
	void *got = NULL;
	int n = 0, err;
	bool busy;

	*out = NULL;
	if ((err = loops_bound(&l)) || !l.n)
		goto out;
	if ((b.lock = probe_lock(&busy)) < 0 && busy)
		why = "an earlier status's probe is still waiting in the kernel";
	else if ((err = bounded_run(&b, &got, &n)) > 0)
		err = 0;
	if (b.lock >= 0)
		close(b.lock);
	if (!err && !(*out = calloc((size_t)l.n, sizeof(**out))))
		err = -ENOMEM;
	if (!err)
		n = loop_notes(&l, got, n, why, *out);
out:
	free(l.dev);
	free(got);
	return err ? err : n;
}
