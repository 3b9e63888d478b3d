// SPDX-License-Identifier: GPL-2.0
/*
 * pins.c - where the pin mount of a lock is, for `ratchet status`.
 *
 * The lock itself is found by its kernel objects (bpf.c); its snapshot
 * names the pin mount by mount id. The initial namespace's mount table,
 * as PID 1 sees it, turns that id into a path and tells whether another
 * mount covers it; this process's own table says where, if anywhere, the
 * pins are visible from here.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "cli.h"

#define MOUNTS_MAX 512

struct minfo {
	unsigned int id, parent, major, minor;
	char path[PATH_MAX];
};

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++, d++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] &&
		    s[3]) {
			*d = (char)strtol((char[]){ s[1], s[2], s[3], 0 }, NULL,
					  8);
			s += 3;
		} else {
			*d = *s;
		}
	}
	*d = '\0';
}

/*
 * Up to @max entries of a mountinfo file; returns how many, or -errno.
 * Read whole, through sys_read_all() (src/sysio.c): a faked count gives
 * NULs, which mountinfo never holds.
 */
static int read_mountinfo(const char *file, struct minfo *m, int max)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC), n = 0, err;
	char *text, *line, *next;
	size_t size;

	if (fd < 0)
		return -errno;
	err = sys_read_all(fd, &text, &size);
	close(fd);
	if (err)
		return err;
	if (memchr(text, '\0', size)) {
		free(text);
		return -EIO;
	}
	for (line = text; n < max && *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (sscanf(line, "%u %u %u:%u %*s %4095s", &m[n].id,
			   &m[n].parent, &m[n].major, &m[n].minor,
			   m[n].path) != 5)
			continue;
		unescape(m[n].path);
		n++;
	}
	free(text);
	return n;
}

static const struct minfo *by_id(const struct minfo *m, int n, unsigned int id)
{
	int i;

	for (i = 0; i < n; i++)
		if (m[i].id == id)
			return &m[i];
	return NULL;
}

/* Is @id the pin mount or one of its ancestors? */
static bool on_chain(const struct minfo *m, int n, const struct minfo *pin,
		     unsigned int id)
{
	const struct minfo *c = pin;
	int i;

	for (i = 0; c && i < n; i++, c = by_id(m, n, c->parent))
		if (c->id == id)
			return true;
	return false;
}

/* @dir is @path or a directory above it. */
static bool covers(const char *dir, const char *path)
{
	size_t k = strlen(dir);

	return !strncmp(dir, path, k) &&
	       (path[k] == '\0' || path[k] == '/' || (k == 1 && dir[0] == '/'));
}

/*
 * A mount off the pin mount's chain, on or above its path, hides it; the
 * outermost such mount is named.
 */
static void find_cover(const struct minfo *m, int n, const struct minfo *pin,
		       struct pin_place *p)
{
	const struct minfo *c = NULL;
	int i;

	for (i = 0; i < n; i++)
		if (!on_chain(m, n, pin, m[i].id) &&
		    covers(m[i].path, pin->path) &&
		    (!c || strlen(m[i].path) < strlen(c->path)))
			c = &m[i];
	if (c)
		snprintf(p->hidden_by, sizeof(p->hidden_by), "%s", c->path);
}

/* Where this process's namespace has a mount of the pin file system. */
static void find_here(__u64 dev, struct pin_place *p)
{
	static struct minfo m[MOUNTS_MAX];
	struct stat st;
	int i, n = read_mountinfo("/proc/self/mountinfo", m, MOUNTS_MAX);

	for (i = 0; i < n; i++)
		if (((__u64)m[i].major << 20 | m[i].minor) == dev) {
			snprintf(p->here, sizeof(p->here), "%s", m[i].path);
			p->here_reachable = !sys_ok(stat(m[i].path, &st)) &&
					    ((__u64)major(st.st_dev) << 20 |
					     minor(st.st_dev)) == dev;
			return;
		}
}

static bool same_mount_ns(void)
{
	struct stat a, b;

	return !sys_ok(stat("/proc/self/ns/mnt", &a)) &&
	       !sys_ok(stat("/proc/1/ns/mnt", &b)) && a.st_ino == b.st_ino &&
	       a.st_dev == b.st_dev;
}

int pins_locate(const struct ratchet_snapshot *snap, struct pin_place *p)
{
	static struct minfo m[MOUNTS_MAX];
	const struct minfo *pin;
	int n;

	memset(p, 0, sizeof(*p));
	p->other_ns = !same_mount_ns();
	find_here(snap->state.pin_dev, p);
	if (!snap->pin.in_init_ns)
		return -ENOENT;
	/* Paths as this process sees them where it can; else as PID 1 does. */
	n = read_mountinfo(p->other_ns ? "/proc/1/mountinfo"
				       : "/proc/self/mountinfo",
			   m, MOUNTS_MAX);
	if (n < 0)
		return n;
	pin = by_id(m, n, snap->pin.mnt_id);
	if (!pin)
		return -ENOENT;
	snprintf(p->path, sizeof(p->path), "%s", pin->path);
	find_cover(m, n, pin, p);
	return 0;
}

/*
 * The root of the pin mount, opened where this process reaches it (-1 if
 * it does not: hidden under another mount, or not in this namespace), and
 * only if it is the pin file system the state names.
 */
int pins_open(const struct ratchet_snapshot *snap)
{
	struct pin_place p;
	const char *path = NULL;
	struct stat st;
	int fd;

	if (pins_locate(snap, &p))
		return -1;
	if (p.other_ns && p.here_reachable)
		path = p.here;
	else if (!p.other_ns && !p.hidden_by[0])
		path = p.path;
	if (!path || (fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	if (sys_ok(fstat(fd, &st)) ||
	    ((__u64)major(st.st_dev) << 20 | minor(st.st_dev)) !=
		    snap->state.pin_dev) {
		close(fd);
		return -1;
	}
	return fd;
}

const char *pins_parent_state(const struct ratchet_pin_view *v)
{
	if (v->parent_group)
		return "shared";
	return v->parent_master ? "slave" : "private";
}
