// SPDX-License-Identifier: GPL-2.0
/*
 * kfs.c - kernel facts read from a fresh, private instance of the file
 * system that shows them, never from a path in any mount namespace.
 *
 * Root can cover any path (a bind mount of a file or a tmpfs over
 * /proc/sys/kernel/ftrace_enabled, /sys/kernel/security/lsm, ...) before
 * or after a lock, and a decision read through it would believe a lie.
 * fsopen() + fsconfig(FSCONFIG_CMD_CREATE) + fsmount() give a mount that
 * is attached nowhere (fs/fsopen.c, fs/namespace.c, 6.1, 6.12, 7.2): no
 * mount in any namespace sits on it. The file is then opened relative to
 * its root with openat2(RESOLVE_NO_XDEV | RESOLVE_BENEATH), which fails with EXDEV if the
 * walk crosses any mount (returned as -EMEDIUMTYPE, "not the kernel's
 * object", as every such refusal here) (handle_mounts()/traverse_mounts(), fs/namei.c):
 * so even a mount put onto the detached tree meanwhile (7.2's
 * move_mount() accepts an anonymous tree as target, may_use_mount())
 * cannot answer instead of the kernel.
 *
 * What a fresh instance shows: proc and sysfs are the current pid and
 * network namespace's (the /proc/sys/kernel knobs and /sys/kernel files
 * used here are global); securityfs has one superblock, so a fresh mount
 * shows the same objects. The cgroup v2 root is found otherwise
 * (kfs_cgroup_root()).
 *
 * Library code: returns negative errno, prints nothing. glibc 2.36 has no
 * openat2() wrapper, so the new mount API is called through syscall().
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include "cli.h"

/*
 * Not cgroup2: see kfs_cgroup_root(). tmpfs is a scratch directory that
 * no namespace sees, for device nodes (kfs_open_blockdev()).
 */
static const char *const kfs_types[] = { "proc", "sysfs", "securityfs",
					 "tmpfs" };
#define KFS_TYPES (sizeof(kfs_types) / sizeof(kfs_types[0]))
static int kfs_roots[KFS_TYPES] = { -1, -1, -1, -1 };

/* A detached mount of a new instance of @type, once per process. */
static int kfs_root(const char *type)
{
	unsigned int i;
	int fs, mnt, err;

	for (i = 0; i < KFS_TYPES && strcmp(kfs_types[i], type); i++)
		;
	if (i == KFS_TYPES)
		return -EINVAL;
	if (kfs_roots[i] >= 0)
		return kfs_roots[i];
	fs = syscall(SYS_fsopen, type, FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	if ((err = sys_ok(syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL,
				  NULL, 0)))) {
		close(fs);
		return err;
	}
	/* Writable: `apply` sets sysctls through it (do_dentry_open() wants
	 * a writable mount for any write, fs/open.c). Device nodes only
	 * where they are made for the purpose (the scratch tmpfs). */
	mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
		      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC |
			      (strcmp(type, "tmpfs") ? MOUNT_ATTR_NODEV : 0));
	err = mnt < 0 ? -errno : 0;
	close(fs);
	if (err)
		return err;
	return kfs_roots[i] = mnt;
}

/*
 * Run @fn(@ctx) with the working directory at @dirfd: the pin bpffs's
 * root, where the pins are named relative to it, or a fresh instance's
 * (kfs_within()). A path such as
 * /proc/self/fd/N/NAME is walked through whatever is mounted on /proc,
 * which root can cover before the first lock with links into a bpffs of
 * its own (red team 9: every pin landed there, the lock exited 0, and
 * root removed them). The working directory is the mount and dentry the
 * fd holds: no mount made anywhere since is crossed (a lookup steps over
 * mounts only on the components it walks into, fs/namei.c). Returns
 * what @fn returns, or -errno.
 */
int pindir_within(int dirfd, int (*fn)(void *ctx), void *ctx)
{
	/*
	 * O_PATH: no read permission needed, and no file_open hook that a
	 * program of root's could refuse. What @fn did stays done: a working
	 * directory that cannot be restored falls back to /, never to an
	 * error that would take a sealed lock for a failed one.
	 */
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), err, err2;

	if (cwd < 0)
		return -errno;
	err = sys_ok(fchdir(dirfd)) ?: fn(ctx);
	if (sys_ok(fchdir(cwd)) && (err2 = sys_ok(chdir("/"))) && !err)
		err = err2;
	close(cwd);
	return err;
}

/* 0 if this process can make a fresh instance of @type, else -errno. */
int kfs_mountable(const char *type)
{
	int dir = kfs_root(type);

	return dir < 0 ? dir : 0;
}

/*
 * @fn with the working directory at the root of a fresh instance of
 * @type, for a library that opens a path of its own choosing: given one
 * relative to it (KFS_BTF for libbpf's btf_custom_path), it reaches the
 * kernel's file, not whatever root mounted over the absolute path. A
 * detached mount is in no mount namespace: nothing can be mounted on it.
 */
int kfs_within(const char *type, int (*fn)(void *ctx), void *ctx)
{
	int dir = kfs_root(type);

	return dir < 0 ? dir : pindir_within(dir, fn, ctx);
}

/*
 * @rel (no leading '/') in a fresh instance of @type: an fd or -errno.
 * Relative symlinks are followed, beneath the root only: 7.2's
 * kernel/kexec_loaded is one, to kernel/kexec/loaded
 * (init_kexec_sysctl(), kernel/kexec_core.c).
 */
int kfs_open(const char *type, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (__u64)(flags | O_CLOEXEC),
		.resolve = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_BENEATH,
	};
	int root = kfs_root(type), fd;

	if (root < 0)
		return root;
	fd = syscall(SYS_openat2, root, rel, &how, sizeof(how));
	if (fd < 0)
		return errno == EXDEV ? -EMEDIUMTYPE : -errno;
	return fd;
}

/* The first line of @rel, without its newline; 0 or -errno. */
int kfs_read_line(const char *type, const char *rel, char *buf, size_t len)
{
	int fd = kfs_open(type, rel, O_RDONLY);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return fd;
	n = sys_read_text(fd, buf, len);
	close(fd);
	if (n <= 0)
		return n < 0 ? (int)n : -EIO;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* A non-negative integer file: its value, or -errno. */
int kfs_read_int(const char *type, const char *rel)
{
	char buf[32];
	int v, err = kfs_read_line(type, rel, buf, sizeof(buf));

	if (err)
		return err;
	return sscanf(buf, "%d", &v) == 1 && v >= 0 ? v : -EIO;
}

/*
 * The root of the cgroup v2 hierarchy, a directory fd the caller closes,
 * or -errno. Not a fresh instance: mounting cgroup2 in the initial cgroup
 * namespace applies that mount's options to the one hierarchy
 * (cgroup_get_tree() -> apply_cgroup_root_flags(), kernel/cgroup/cgroup.c,
 * 6.1 to 7.2), so a mount without options would switch off nsdelegate,
 * memory_recursiveprot and memory_localevents for the whole machine.
 * Instead the usual path is opened and the object it gives is held to the
 * root: a cgroup2 directory (there is one cgroup2 superblock) whose inode
 * is 1, the hierarchy's first kernfs node (kernfs_create_root(),
 * fs/kernfs/dir.c). A cover is no such object: another file system, a
 * child cgroup bind-mounted there, or a mount made in a cgroup namespace,
 * whose root is that namespace's root cgroup (-EMEDIUMTYPE).
 */
int kfs_cgroup_root(void)
{
	int fd = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct statfs sf;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (sys_ok(fstatfs(fd, &sf)) || sf.f_type != CGROUP2_SUPER_MAGIC ||
	    sys_ok(fstat(fd, &st)) || st.st_ino != 1) {
		close(fd);
		return -EMEDIUMTYPE;
	}
	return fd;
}

/*
 * The whole of @rel in a fresh instance of @type, in a buffer the caller
 * frees; its size in *@size. 0 or -errno.
 */
int kfs_read_all(const char *type, const char *rel, void **data, size_t *size)
{
	int fd = kfs_open(type, rel, O_RDONLY), err;
	char *buf;

	if (fd < 0)
		return fd;
	err = sys_read_all(fd, &buf, size);
	close(fd);
	if (!err)
		*data = buf;
	return err;
}

/*
 * Does @path open the same kernel object as @rel in a fresh instance of
 * @type? 0 if so, -EMEDIUMTYPE if not (a cover), else -errno. Same device and
 * inode is the same kernfs node (kernfs_init_inode(), fs/kernfs/inode.c),
 * so what it reads is the kernel's, whatever mounts the path crossed.
 */
int kfs_same(const char *type, const char *rel, const char *path)
{
	int a = kfs_open(type, rel, O_RDONLY), b, err = 0;
	struct stat x, y;

	if (a < 0)
		return a;
	b = open(path, O_RDONLY | O_CLOEXEC);
	if (b < 0)
		err = -errno;
	else
		err = sys_ok(fstat(a, &x)) ?: sys_ok(fstat(b, &y));
	if (!err && (x.st_dev != y.st_dev || x.st_ino != y.st_ino))
		err = -EMEDIUMTYPE;
	close(a);
	if (b >= 0)
		close(b);
	return err;
}

/*
 * The directory @rel of a fresh instance of @type, for readdir(), or NULL
 * with errno set. The lists status prints (guarded files held open, the
 * holder of a state map fd) walk /proc: through a fresh instance, no
 * mount root puts over /proc or /proc/PID can hide a process.
 */
DIR *kfs_opendir(const char *type, const char *rel)
{
	int fd = kfs_open(type, rel, O_RDONLY | O_DIRECTORY);
	DIR *d;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	if (!(d = fdopendir(fd)))
		close(fd);
	return d;
}

/*
 * 0 if @d, a directory of a fresh instance that readdir() ran to NULL,
 * was read to its end at position @end, else -EIO. getdents64() returns
 * 0, as at the end, when security_file_permission() answers a positive
 * value, and leaves the position where the last batch stopped
 * (iterate_dir(), fs/readdir.c); it does so too on an error. The walk of
 * the proc root ends at KFS_PROC_END, of a kernfs (sysfs) directory at
 * KFS_KERNFS_END (6.1 to 7.2). lseek(2) asks no LSM.
 */
int kfs_dir_whole(DIR *d, off_t end)
{
	off_t pos = lseek(dirfd(d), 0, SEEK_CUR);

	return pos == end ? 0 : -EIO;
}

/*
 * The target of the link @name in the directory @dir (from kfs_opendir()),
 * NUL-terminated in @buf: its length, or -errno. readlinkat() on the
 * last component never crosses a mount.
 */
int kfs_readlink(DIR *dir, const char *name, char *buf, size_t len)
{
	return (int)sys_readlinkat(dirfd(dir), name, buf, len);
}

/*
 * The block device @dev opened with @flags, through a node made for the
 * purpose in the scratch tmpfs: root can remove, rename or replace any
 * node under /dev. The detached tmpfs is reachable through this process's
 * fd to it (/proc/PID/fd), so what was opened is held to @dev, and opened
 * without blocking: a FIFO put in its place cannot hang status. An fd or
 * -errno.
 */
int kfs_open_blockdev(dev_t dev, int flags)
{
	int root = kfs_root("tmpfs"), fd, err = 0;
	char name[32];
	struct stat st;

	if (root < 0)
		return root;
	snprintf(name, sizeof(name), "b%u:%u", major(dev), minor(dev));
	unlinkat(root, name, 0);
	if ((err = sys_ok(mknodat(root, name, S_IFBLK | 0600, dev))))
		return err;
	fd = openat(root, name, flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		err = -errno;
	else if (sys_ok(fstat(fd, &st)) || !S_ISBLK(st.st_mode) ||
		 st.st_rdev != dev)
		err = -EMEDIUMTYPE;
	unlinkat(root, name, 0);
	if (err && fd >= 0)
		close(fd);
	return err ? err : fd;
}

/*
 * Forget the cached mounts without closing them: a child that closed
 * every fd it was given (src/bounded.c) makes its own on demand.
 */
void kfs_forget(void)
{
	size_t i;

	for (i = 0; i < KFS_TYPES; i++)
		kfs_roots[i] = -1;
}
