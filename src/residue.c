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
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/sysmacros.h>
#include <linux/kcmp.h>
#include <linux/loop.h>
#include <unistd.h>
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
 * old span. Read from the fresh instance; NULL if this kernel has none.
 */
static const struct stat *kcore(void)
{
	static struct stat k;
	static int have = -1;
	DIR *root;

	if (have < 0) {
		root = kfs_opendir("proc", ".");
		have = root && !fstatat(dirfd(root), "kcore", &k, 0);
		if (root)
			closedir(root);
	}
	return have ? &k : NULL;
}

static int is_kcore(const struct stat *st)
{
	const struct stat *k = kcore();

	return k && S_ISREG(st->st_mode) && !major(st->st_dev) &&
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

static void comm_of(int pid, char *buf, size_t len)
{
	char rel[32];

	snprintf(rel, sizeof(rel), "%d/comm", pid);
	if (kfs_read_line("proc", rel, buf, len))
		snprintf(buf, len, "?");
}

/* A list that grows: no holder is left out for want of room. */
struct notes {
	struct fd_note *v;
	int n, cap, err;
};

static struct fd_note *note_new(struct notes *ns)
{
	struct fd_note *v;
	int cap;

	if (ns->n == ns->cap) {
		cap = ns->cap ? 2 * ns->cap : 32;
		if (!(v = realloc(ns->v, (size_t)cap * sizeof(*v)))) {
			ns->err = -ENOMEM;
			return NULL;
		}
		ns->v = v;
		ns->cap = cap;
	}
	v = &ns->v[ns->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

/* Is @name already listed for process @pid (another fd, or a mapping)? */
static int listed(const struct notes *ns, int pid, const char *name)
{
	int i;

	for (i = 0; i < ns->n; i++)
		if (ns->v[i].pid == pid && !strcmp(ns->v[i].path, name))
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

	if (statx(dir, name, AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &x))
		return -1;
	memset(st, 0, sizeof(*st));
	st->st_mode = x.stx_mode;
	st->st_ino = x.stx_ino;
	st->st_size = (off_t)x.stx_size;
	st->st_dev = makedev(x.stx_dev_major, x.stx_dev_minor);
	st->st_rdev = makedev(x.stx_rdev_major, x.stx_rdev_minor);
	return 0;
}

/*
 * Guarded files in the directory of links @rel of process @pid (an fd
 * table, "PID/task/TID/fd", or its mappings, "PID/map_files"), appended
 * to @ns once per process and file. statx() follows the magic link to
 * the open file itself (proc_fd_link(), fs/proc/fd.c;
 * map_files_get_link(), fs/proc/base.c, which asks CAP_SYS_ADMIN), so a
 * deleted or renamed node is still found, and nothing is opened.
 */
static void scan_fds(const char *rel, int pid, struct notes *ns)
{
	struct fd_note *f;
	char name[32];
	struct dirent *d;
	struct stat st;
	DIR *fds;

	if (!(fds = kfs_opendir("proc", rel)))
		return;
	while ((d = readdir(fds))) {
		if (d->d_name[0] == '.' ||
		    link_stat(dirfd(fds), d->d_name, &st) ||
		    !guarded_name(&st, name, sizeof(name)) ||
		    listed(ns, pid, name) || !(f = note_new(ns)))
			continue;
		f->pid = pid;
		comm_of(pid, f->comm, sizeof(f->comm));
		snprintf(f->path, sizeof(f->path), "%s", name);
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
		scan_fds(rel, w->pid, ns);
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
		scan_fds(rel, w->pid, ns);
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

	scan_thread(&w, pid, ns);
	snprintf(rel, sizeof(rel), "%d/task", pid);
	if (!(tasks = kfs_opendir("proc", rel)))
		return;
	while ((d = readdir(tasks))) {
		tid = atoi(d->d_name);
		if (isdigit((unsigned char)d->d_name[0]) && tid != pid)
			scan_thread(&w, tid, ns);
	}
	closedir(tasks);
}

/*
 * Every guarded file open anywhere, into *@out (malloc'd, the caller
 * frees it); returns the count or -errno. Walked in a fresh proc instance
 * (src/kfs.c): a mount over /proc or /proc/PID cannot hide a holder.
 */
int residue_open_files(struct fd_note **out)
{
	DIR *proc = kfs_opendir("proc", ".");
	struct notes ns = { 0 };
	struct dirent *d;
	int self = getpid();

	*out = NULL;
	if (!proc)
		return -errno;
	while ((d = readdir(proc)))
		if (isdigit((unsigned char)d->d_name[0]) &&
		    atoi(d->d_name) != self)
			scan_pid(atoi(d->d_name), &ns);
	closedir(proc);
	if (ns.err) {
		free(ns.v);
		return ns.err;
	}
	*out = ns.v;
	return ns.n;
}

/*
 * A loop device bound to /proc/kcore before a lock: the kernel checks the
 * file only when it is bound (loop_configure()), then reads it for anyone
 * who opens /dev/loopN, so the lock's open check never runs. A loop takes
 * only a regular file or a block device (loop_validate_file(),
 * drivers/block/loop.c, all three), so of the guarded files only kcore
 * can back one; a device stacked on such a loop keeps it bound, and
 * listed. LOOP_GET_STATUS64 gives the backing file's device and inode
 * (loop_get_status()): the object, not the name it was bound by. What
 * cannot be told is said, with why (a device cgroup refusing the open).
 * @n is @name's note if bound; returns 0, or 1 if not a bound loop.
 */
static int loop_inspect(const char *name, struct loop_note *n)
{
	char rel[300], buf[32];
	struct loop_info64 li;
	unsigned int ma, mi;
	int fd = -1, err;

	snprintf(rel, sizeof(rel), "block/%s/loop", name);
	if ((fd = kfs_open("sysfs", rel, O_RDONLY | O_DIRECTORY)) < 0)
		return 1; /* not a loop device, or not bound */
	close(fd);
	fd = -1;
	memset(n, 0, sizeof(*n));
	snprintf(n->dev, sizeof(n->dev), "%.15s", name);
	snprintf(rel, sizeof(rel), "block/%s/dev", name);
	if ((err = kfs_read_line("sysfs", rel, buf, sizeof(buf))))
		;
	else if (sscanf(buf, "%u:%u", &ma, &mi) != 2)
		err = -EIO;
	else if ((fd = kfs_open_blockdev(makedev(ma, mi), O_RDONLY)) < 0)
		err = fd;
	else if (ioctl(fd, LOOP_GET_STATUS64, &li))
		err = -errno;
	if (!err && kcore() && !major(li.lo_device) &&
	    li.lo_inode == kcore()->st_ino)
		snprintf(n->path, sizeof(n->path), "/proc/kcore");
	if (fd >= 0)
		close(fd);
	if (err == -ENXIO)
		return 1; /* unbound meanwhile */
	if (err)
		snprintf(n->why, sizeof(n->why), "%s", strerror(-err));
	return 0;
}

/* In the child: every bound loop device's note, written to @fd. */
static void loop_scan(int fd)
{
	DIR *blk = kfs_opendir("sysfs", "block");
	struct loop_note n;
	struct dirent *d;

	while (blk && (d = readdir(blk)))
		if (d->d_name[0] != '.' && !loop_inspect(d->d_name, &n) &&
		    (n.path[0] || n.why[0]) &&
		    write(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
			break;
	if (blk)
		closedir(blk);
}

/* How long the loop devices may take to answer, in milliseconds. */
#define LOOP_WAIT_MS 5000

/*
 * The child's notes into *@v (*@n of them) until it is done, or, if
 * LOOP_WAIT_MS pass without a word, a note saying so. A note is smaller
 * than PIPE_BUF, so written whole. 0, 1 if it timed out, or -errno.
 */
static int loop_collect(int fd, struct loop_note **v, int *n)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct loop_note *nv;
	int quiet;
	ssize_t r;

	for (;;) {
		quiet = poll(&p, 1, LOOP_WAIT_MS) <= 0;
		if (!(nv = realloc(*v, (size_t)(*n + 1) * sizeof(**v))))
			return -ENOMEM;
		*v = nv;
		if (quiet) {
			memset(&nv[*n], 0, sizeof(*nv));
			snprintf(nv[*n].dev, sizeof(nv->dev), "?");
			snprintf(nv[(*n)++].why, sizeof(nv->why),
				 "no answer in %d s", LOOP_WAIT_MS / 1000);
			return 1;
		}
		r = read(fd, &nv[*n], sizeof(*nv));
		if (r == 0)
			return 0;
		if (r != (ssize_t)sizeof(*nv))
			return r < 0 ? -errno : -EPROTO;
		(*n)++;
	}
}

/*
 * Loop devices bound to a guarded file, or that could not be told, into
 * *@out (malloc'd, the caller frees it); the count or -errno. LOOP_GET_STATUS64 waits for the
 * loop's lo_mutex and asks the backing file's file system for its
 * attributes (vfs_getattr() in loop_get_status()): a loop on a FUSE file
 * whose daemon stopped, or one stuck binding, would hang status. So a
 * child asks, killed after LOOP_WAIT_MS (both waits are killable:
 * mutex_lock_killable(), request_wait_answer() in fs/fuse/dev.c); it
 * holds neither stdout nor stderr, so nothing waits on it. Then one note
 * (device "?") says what was not answered.
 */
int residue_loop_devices(struct loop_note **out)
{
	int p[2], n = 0, err;
	pid_t child;

	*out = NULL;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	if ((child = fork()) < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (!child) {
		close(p[0]);
		close(STDOUT_FILENO);
		close(STDERR_FILENO);
		loop_scan(p[1]);
		_exit(0);
	}
	close(p[1]);
	err = loop_collect(p[0], out, &n);
	close(p[0]);
	if (err)
		kill(child, SIGKILL);
	waitpid(child, NULL, err ? WNOHANG : 0);
	if (err < 0) {
		free(*out);
		*out = NULL;
		return err;
	}
	return n;
}
