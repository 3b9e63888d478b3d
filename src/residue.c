// SPDX-License-Identifier: GPL-2.0
/*
 * residue.c - what a lock cannot take back: file descriptors to the
 * devices lockdown guards that were opened before it, and loop devices
 * bound to them. Checks happen at open, so these keep working; status
 * names them.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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
 * mount shows it with the same number and size (the kernel's address
 * span), on an anonymous device. Read from the fresh instance; NULL if
 * this kernel has none.
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
	       st->st_ino == k->st_ino && st->st_size == k->st_size;
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

/* Is @name already listed for process @pid (another fd, or a mapping)? */
static int listed(const struct fd_note *out, int n, int pid, const char *name)
{
	while (n--)
		if (out[n].pid == pid && !strcmp(out[n].path, name))
			return 1;
	return 0;
}

/*
 * Guarded files in the directory of links @rel of process @pid (an fd
 * table, "PID/task/TID/fd", or its mappings, "PID/map_files"), appended
 * to @out from index @n, once per process and file. fstatat() follows
 * the magic link to the open file itself (proc_fd_link(), fs/proc/fd.c;
 * map_files_get_link(), fs/proc/base.c, which asks CAP_SYS_ADMIN), so a
 * deleted or renamed node is still found, and nothing is opened.
 */
static int scan_fds(const char *rel, int pid, struct fd_note *out, int n,
		    int max)
{
	char name[32];
	struct dirent *d;
	struct stat st;
	DIR *fds;

	if (!(fds = kfs_opendir("proc", rel)))
		return n;
	while ((d = readdir(fds))) {
		if (d->d_name[0] == '.' ||
		    fstatat(dirfd(fds), d->d_name, &st, 0) ||
		    !guarded_name(&st, name, sizeof(name)) ||
		    listed(out, n < max ? n : max, pid, name))
			continue;
		if (n < max) {
			out[n].pid = pid;
			comm_of(pid, out[n].comm, sizeof(out[n].comm));
			snprintf(out[n].path, sizeof(out[n].path), "%s", name);
		}
		n++;
	}
	closedir(fds);
	return n;
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
static int scan_thread(struct walk *w, int tid, struct fd_note *out, int n,
		       int max)
{
	char rel[64];

	if (first_seen(tid, w->files, &w->nfiles, KCMP_FILES)) {
		snprintf(rel, sizeof(rel), "%d/task/%d/fd", w->pid, tid);
		n = scan_fds(rel, w->pid, out, n, max);
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
		n = scan_fds(rel, w->pid, out, n, max);
	}
	return n;
}

/*
 * Every fd table of process @pid: a thread made without CLONE_FILES, or
 * one that called unshare(CLONE_FILES), has its own, and /proc/PID/fd
 * shows only the leader's. Each table and address space is walked once.
 */
static int scan_pid(int pid, struct fd_note *out, int n, int max)
{
	struct walk w = { .pid = pid };
	char rel[64];
	struct dirent *d;
	DIR *tasks;
	int tid;

	n = scan_thread(&w, pid, out, n, max);
	snprintf(rel, sizeof(rel), "%d/task", pid);
	if (!(tasks = kfs_opendir("proc", rel)))
		return n;
	while ((d = readdir(tasks))) {
		tid = atoi(d->d_name);
		if (isdigit((unsigned char)d->d_name[0]) && tid != pid)
			n = scan_thread(&w, tid, out, n, max);
	}
	closedir(tasks);
	return n;
}

/*
 * Every guarded file open anywhere; returns the count or -errno. Walked
 * in a fresh proc instance (src/kfs.c): a mount over /proc or /proc/PID
 * cannot hide a holder.
 */
int residue_open_files(struct fd_note *out, int max)
{
	DIR *proc = kfs_opendir("proc", ".");
	struct dirent *d;
	int n = 0, self = getpid();

	if (!proc)
		return -errno;
	while ((d = readdir(proc)))
		if (isdigit((unsigned char)d->d_name[0]) &&
		    atoi(d->d_name) != self)
			n = scan_pid(atoi(d->d_name), out, n, max);
	closedir(proc);
	return n;
}

/*
 * A loop device bound to /proc/kcore before a lock: the kernel checks the
 * file only when it is bound (loop_configure()), then reads it for anyone
 * who opens /dev/loopN, so the lock's open check never runs. A loop takes
 * only a regular file or a block device (loop_validate_file(),
 * drivers/block/loop.c, all three), so of the guarded files only kcore
 * can back one; a device stacked on such a loop keeps it bound, and
 * listed. LOOP_GET_STATUS64 gives the backing file's device and inode
 * (loop_get_status()): the object, not the name it was bound by.
 */
static int loop_on_kcore(const char *name)
{
	char rel[300], buf[32];
	struct loop_info64 li;
	unsigned int ma, mi;
	int fd, hit;

	snprintf(rel, sizeof(rel), "block/%s/loop", name);
	if ((fd = kfs_open("sysfs", rel, O_RDONLY | O_DIRECTORY)) < 0)
		return 0; /* not a loop device, or not bound */
	close(fd);
	snprintf(rel, sizeof(rel), "block/%s/dev", name);
	if (kfs_read_line("sysfs", rel, buf, sizeof(buf)) ||
	    sscanf(buf, "%u:%u", &ma, &mi) != 2 ||
	    (fd = kfs_open_blockdev(makedev(ma, mi), O_RDONLY)) < 0)
		return 0;
	hit = !ioctl(fd, LOOP_GET_STATUS64, &li) && kcore() &&
	      !major(li.lo_device) && li.lo_inode == kcore()->st_ino;
	close(fd);
	return hit;
}

/* Every loop device bound to a guarded file; the count or -errno. */
int residue_loop_devices(struct fd_note *out, int max)
{
	DIR *blk = kfs_opendir("sysfs", "block");
	struct dirent *d;
	int n = 0;

	if (!blk)
		return -errno;
	while ((d = readdir(blk))) {
		if (d->d_name[0] == '.' || !loop_on_kcore(d->d_name))
			continue;
		if (n < max) {
			out[n].pid = 0;
			snprintf(out[n].comm, sizeof(out[n].comm), "%.15s",
				 d->d_name);
			snprintf(out[n].path, sizeof(out[n].path),
				 "/proc/kcore");
		}
		n++;
	}
	closedir(blk);
	return n;
}
