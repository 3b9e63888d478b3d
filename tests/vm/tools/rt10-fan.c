// SPDX-License-Identifier: GPL-2.0
/*
 * rt10-fan.c - `ratchet-rt10-fan PATH COMM READY [first]`: a fanotify
 * permission listener on the file PATH. An open of it by a process named
 * COMM through the path's own mount (d_path is PATH) is refused with
 * EPERM, unless that process's previous open of the same inode went
 * through another mount and was allowed (ratchet's kfs_same() opens a
 * fresh sysfs instance first and then the path: that one is let through).
 * With "first", the first open of each such process through any other
 * mount (a fresh sysfs instance) is refused with EPERM too. Every other
 * open is allowed. With "cover FILE" nothing is refused: once such a
 * process opens PATH through the path (kfs_same()'s check), FILE is
 * bind-mounted over PATH before that open is let go (it has its file), and taken away again at its next open through
 * another mount (the fresh instance: the next kfs_same() begins there),
 * before that open goes on: libbpf, in between, reads FILE. Writes READY
 * once marked; logs each decision on stdout. For tests/vm/attacks/rt10-btf-*.sh (red team 10), in a test VM
 * only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/fanotify.h>
#include <sys/mount.h>

#define MAXP 4096
/* by pid % MAXP: the pid, its fresh opens, whether its last open was an
 * allowed one through another mount */
static struct {
	int pid, fresh, last_fresh;
} st[MAXP];

int main(int argc, char **argv)
{
	char buf[8192], comm[64], link[64], where[PATH_MAX];
	int fan, n;
	FILE *f;

	int first, covered = 0;
	const char *cover;

	if (argc < 4 || argc > 6)
		return 2;
	first = argc == 5 && !strcmp(argv[4], "first");
	cover = argc == 6 && !strcmp(argv[4], "cover") ? argv[5] : NULL;
	fan = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);
	if (fan < 0 || fanotify_mark(fan, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD,
				     argv[1])) {
		perror("fan: fanotify");
		return 2;
	}
	if ((f = fopen(argv[3], "w")))
		fclose(f);
	printf("fan: marked %s\n", argv[1]);
	fflush(stdout);
	for (;;) {
		struct fanotify_event_metadata *m;
		ssize_t len = read(fan, buf, sizeof(buf));

		if (len <= 0) {
			if (len < 0 && errno == EINTR)
				continue;
			return 1;
		}
		for (m = (void *)buf; FAN_EVENT_OK(m, len);
		     m = FAN_EVENT_NEXT(m, len)) {
			struct fanotify_response r = { .fd = m->fd,
						       .response = FAN_ALLOW };
			const char *what = "allow";
			int fresh;

			comm[0] = where[0] = 0;
			snprintf(link, sizeof(link), "/proc/%d/comm", m->pid);
			if ((f = fopen(link, "r"))) {
				if (fgets(comm, sizeof(comm), f))
					comm[strcspn(comm, "\n")] = 0;
				fclose(f);
			}
			snprintf(link, sizeof(link), "/proc/self/fd/%d", m->fd);
			n = readlink(link, where, sizeof(where) - 1);
			where[n > 0 ? n : 0] = 0;
			fresh = strcmp(where, argv[1]) != 0;
			if (cover && !strcmp(comm, argv[2])) {
				if (fresh && covered) {
					covered = umount2(argv[1],
							  MNT_DETACH) != 0;
					what = covered ? "allow (umount FAILED)"
						       : "allow (cover taken away first)";
				}
			} else if (!strcmp(comm, argv[2])) {
				int i = m->pid % MAXP;

				if (st[i].pid != m->pid)
					st[i].pid = m->pid, st[i].fresh = 0,
					st[i].last_fresh = 0;
				if ((!fresh && !st[i].last_fresh) ||
				    (fresh && first && !st[i].fresh++)) {
					r.response = FAN_DENY;
					what = "DENY";
				}
				st[i].last_fresh =
					fresh && r.response == FAN_ALLOW;
			}
			/* The open being decided has its file already: the
			 * cover is for the next open of the path. */
			if (cover && !strcmp(comm, argv[2]) && !fresh &&
			    !covered) {
				covered = !mount(cover, argv[1], NULL, MS_BIND,
						 NULL);
				what = covered ? "allow (covered before answering)"
					       : "allow (cover FAILED)";
			}
			if (write(fan, &r, sizeof(r)) != sizeof(r))
				perror("fan: response");
			printf("fan: %s open of %s by %d (%s)\n", what, where,
			       m->pid, comm);
			fflush(stdout);
			close(m->fd);
		}
	}
}
