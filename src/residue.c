// SPDX-License-Identifier: GPL-2.0
/*
 * residue.c - what a lock cannot take back: file descriptors to the
 * devices lockdown guards that were opened before it. Checks happen at
 * open, so these keep working; status names them.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static const char *const guarded[] = {
	"/dev/mem",    "/dev/kmem",	 "/dev/port",
	"/proc/kcore", "/dev/cpu/*/msr", "/dev/snapshot",
};

static int is_guarded(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++)
		if (!fnmatch(guarded[i], path, FNM_PATHNAME))
			return 1;
	return 0;
}

static void comm_of(int pid, char *buf, size_t len)
{
	char rel[32];

	snprintf(rel, sizeof(rel), "%d/comm", pid);
	if (kfs_read_line("proc", rel, buf, len))
		snprintf(buf, len, "?");
}

/* Guarded files open in process @pid, appended to @out from index @n. */
static int scan_pid(int pid, struct fd_note *out, int n, int max)
{
	char rel[32], target[PATH_MAX];
	struct dirent *d;
	DIR *fds;

	snprintf(rel, sizeof(rel), "%d/fd", pid);
	if (!(fds = kfs_opendir("proc", rel)))
		return n;
	while ((d = readdir(fds))) {
		if (kfs_readlink(fds, d->d_name, target, sizeof(target)) <= 0 ||
		    !is_guarded(target))
			continue;
		if (n < max) {
			out[n].pid = pid;
			comm_of(pid, out[n].comm, sizeof(out[n].comm));
			snprintf(out[n].path, sizeof(out[n].path), "%.31s",
				 target);
		}
		n++;
	}
	closedir(fds);
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
