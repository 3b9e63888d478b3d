// SPDX-License-Identifier: GPL-2.0
/*
 * pindir.c - the mounts a first lock pins into: a tmpfs of ratchet's own at
 * /run/ratchet, and on it a bpffs instance of ratchet's own at
 * /run/ratchet/bpf, both unbindable, in the initial mount namespace.
 *
 * Root may have put anything there before the first lock: a symlink (the
 * mounts would land wherever it points), a file, a mount of any file
 * system (a FUSE or 9p one can invalidate the dentry the pins sit on, and
 * d_invalidate() detaches every mount on it with no hook), a bpffs with
 * pins of its own. So nothing found there is used: /run/ratchet must be a
 * plain directory or absent, never followed through a symlink, never a
 * mount; both file systems are made fresh (fsopen/fsmount) and attached
 * by their mount fds (move_mount), so no path is walked twice and what is
 * pinned into and sealed on is exactly what was made. ratchet_raise then
 * checks the result on the kernel's objects before it seals
 * (bpf/seal.h, record_pin). Library code: returns -errno, never prints.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "cli.h"

#define RUN_LOCK "/run/ratchet.lock"

/* The kernel's dev_t encoding, as struct super_block's s_dev holds it. */
static __u64 kernel_dev(dev_t d)
{
	return ((__u64)major(d) << 20) | minor(d);
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

	int err = sys_ok(stat("/proc/self/ns/mnt", &self))
			  ?: sys_ok(stat("/proc/1/ns/mnt", &init));

	if (err)
		return err;
	return self.st_ino == init.st_ino && self.st_dev == init.st_dev
		       ? 0
		       : -EXDEV;
}

/* First locks one at a time: the one that waits finds the other's lock. */
int pindir_serialise(struct pin_dir *d, const char **step)
{
	int err;

	*d = (struct pin_dir){ .lock_fd = -1, .run_fd = -1, .fd = -1 };
	*step = "comparing this mount namespace with PID 1's";
	if ((err = in_pid1_mount_ns()))
		return err;
	*step = "locking " RUN_LOCK " (not a symlink)";
	d->lock_fd =
		open(RUN_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (d->lock_fd < 0)
		return -errno;
	return sys_ok(flock(d->lock_fd, LOCK_EX));
}

static int mnt_id(int dirfd, const char *name, __u64 *id)
{
	struct statx stx;
	int err = sys_ok(statx(dirfd, name, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
			       STATX_MNT_ID, &stx));

	if (err)
		return err;
	if (!(stx.stx_mask & STATX_MNT_ID))
		return -ENOTSUP;
	*id = stx.stx_mnt_id;
	return 0;
}

/*
 * /run/ratchet as a plain directory of /run's own file system, opened
 * without following anything: -ELOOP a symlink, -ENOTDIR anything else
 * that is no directory, -EEXIST a mount already there.
 */
static int open_run_dir(struct pin_dir *d)
{
	__u64 run = 0, here = 0;
	int err;

	d->run_fd = open("/run", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->run_fd < 0)
		return -errno;
	err = sys_ok(mkdirat(d->run_fd, "ratchet", 0700));
	if (err && err != -EEXIST)
		return err;
	d->fd = openat(d->run_fd, "ratchet",
		       O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->fd < 0 && errno == ENOTDIR) {
		struct stat st;

		return !sys_ok(fstatat(d->run_fd, "ratchet", &st,
				       AT_SYMLINK_NOFOLLOW)) &&
				       S_ISLNK(st.st_mode)
			       ? -ELOOP
			       : -ENOTDIR;
	}
	if (d->fd < 0)
		return -errno;
	if ((err = mnt_id(d->run_fd, "", &run)) ||
	    (err = mnt_id(d->fd, "", &here)))
		return err;
	return run == here ? 0 : -EEXIST;
}

/*
 * A fresh instance of @type, not attached anywhere yet: its mount fd, or
 * -errno. Nobody else has a reference to it.
 */
static int new_fs(const char *type, const char *mode, const char *size)
{
	int fs = fsopen(type, FSOPEN_CLOEXEC), mnt = -1, err;

	if (fs < 0)
		return -errno;
	err = sys_ok(fsconfig(fs, FSCONFIG_SET_STRING, "source", "ratchet", 0)) ?:
	      sys_ok(fsconfig(fs, FSCONFIG_SET_STRING, "mode", mode, 0)) ?:
	      (size ? sys_ok(fsconfig(fs, FSCONFIG_SET_STRING, "size", size, 0))
		    : 0) ?:
	      sys_ok(fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
	if (!err && (mnt = fsmount(fs, FSMOUNT_CLOEXEC,
				   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
					   MOUNT_ATTR_NOEXEC)) < 0)
		err = -errno;
	close(fs);
	return err ?: mnt;
}

/*
 * Unbindable: private, and more: no bind mount or clone of it can be made,
 * and the kernel refuses to move a tree that holds it under a shared mount
 * (do_move_mount()). After attaching: a mount attached under a shared
 * parent becomes shared (attach_recursive_mnt(), fs/namespace.c).
 */
static int unbindable(int mnt)
{
	struct mount_attr a = { .propagation = MS_UNBINDABLE };

	return sys_ok(mount_setattr(mnt, "", AT_EMPTY_PATH, &a, sizeof(a)));
}

/* Attach mount @mnt on the directory @at (an O_PATH fd), by fds only. */
static int attach(int mnt, int at)
{
	return sys_ok(move_mount(mnt, "", at, "",
				 MOVE_MOUNT_F_EMPTY_PATH |
					 MOVE_MOUNT_T_EMPTY_PATH))
		       ?: unbindable(mnt);
}

static __u64 dev_of(int fd)
{
	struct stat st;

	return sys_ok(fstat(fd, &st)) ? 0 : kernel_dev(st.st_dev);
}

/*
 * Mount ratchet's tmpfs on /run/ratchet and its bpffs on the tmpfs's
 * "bpf" directory. On return d->fd is the bpffs root (pins and sealing go
 * through it), d->run_dev and d->pin_dev the two file systems' dev_t.
 */
int pindir_make(struct pin_dir *d, const char **step)
{
	int tmp, pins = -1, at = -1, err;

	*step = "checking " RATCHET_RUN_DIR " (a plain directory or nothing)";
	if ((err = open_run_dir(d)))
		return err;
	*step = "mounting a tmpfs of ratchet's own at " RATCHET_RUN_DIR;
	if ((tmp = new_fs("tmpfs", "0700", "64k")) < 0)
		return tmp;
	err = attach(tmp, d->fd);
	close(d->fd);
	d->fd = -1;
	if (err) {
		close(tmp);
		return err;
	}
	d->made_run = true;
	d->run_dev = dev_of(tmp);
	*step = "mounting a bpffs of ratchet's own at " RATCHET_PIN_DIR;
	err = sys_ok(mkdirat(tmp, "bpf", 0700));
	if (!err &&
	    (at = openat(tmp, "bpf",
			 O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		err = -errno;
	if (!err && (pins = new_fs("bpf", "0700", NULL)) < 0)
		err = pins;
	if (!err)
		err = attach(pins, at);
	if (at >= 0)
		close(at);
	close(tmp);
	if (err)
		return err;
	d->made_pins = true;
	d->fd = pins;
	d->pin_dev = dev_of(pins);
	return 0;
}

/* A first lock that failed leaves no mount behind. */
void pindir_close(struct pin_dir *d, bool failed)
{
	if (d->fd >= 0)
		close(d->fd);
	if (failed && d->made_pins)
		umount2(RATCHET_PIN_DIR, UMOUNT_NOFOLLOW);
	if (failed && d->made_run && !umount2(RATCHET_RUN_DIR, UMOUNT_NOFOLLOW))
		unlinkat(d->run_fd, "ratchet", AT_REMOVEDIR);
	if (d->run_fd >= 0)
		close(d->run_fd);
	if (d->lock_fd >= 0)
		close(d->lock_fd);
	d->fd = d->run_fd = d->lock_fd = -1;
}
