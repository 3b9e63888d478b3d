// SPDX-License-Identifier: GPL-2.0
/*
 * outfile.c - `--output FILE`: stdout goes to a temporary file in FILE's
 * directory, renamed over FILE only once everything is written, so a
 * reader (node_exporter's textfile collector) sees the old file or the
 * new one, never half of one. The temporary name does not end in .prom,
 * so the collector never reads it.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

/* Point stdout at a new temporary file beside @path. */
int outfile_begin(struct outfile *o, const char *path)
{
	char dir[PATH_MAX], base[PATH_MAX];
	int fd;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	snprintf(base, sizeof(base), "%s", path);
	if (snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.XXXXXX", dirname(dir),
		     basename(base)) >= (int)sizeof(o->tmp))
		return -ENAMETOOLONG;
	o->path = path;
	fd = mkstemp(o->tmp);
	if (fd < 0)
		return -errno;
	/* Readable by the collector, which runs as its own user. */
	if (fchmod(fd, 0644) || fflush(stdout) ||
	    (o->saved = dup(STDOUT_FILENO)) < 0 ||
	    dup2(fd, STDOUT_FILENO) < 0) {
		int err = -errno;

		close(fd);
		unlink(o->tmp);
		return err;
	}
	close(fd);
	return 0;
}

static void restore(struct outfile *o)
{
	dup2(o->saved, STDOUT_FILENO);
	close(o->saved);
}

/* Everything written: flush, sync and rename over the real file. */
int outfile_commit(struct outfile *o)
{
	int err = 0;

	if (fflush(stdout) || ferror(stdout))
		err = -EIO;
	else
		err = sys_ok(fsync(STDOUT_FILENO))
			      ?: sys_ok(rename(o->tmp, o->path));
	restore(o);
	if (err)
		unlink(o->tmp);
	return err;
}

/* Nothing of it reaches @path. */
void outfile_abort(struct outfile *o)
{
	fflush(stdout);
	restore(o);
	unlink(o->tmp);
}
