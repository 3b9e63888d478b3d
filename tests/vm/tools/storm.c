// SPDX-License-Identifier: GPL-2.0
/*
 * storm.c - `ratchet-storm [-f] N PATH`: open PATH N times and count how
 * often it was refused with EPERM. By default in one process, no fork per
 * attempt, so a 100,000-attempt storm fits in a TCG guest's test run;
 * with -f each attempt in a child of its own (N processes: attempts that
 * ratchet cannot fold into one another).
 * Prints "attempts=N eperm=M other=K ns=T pid=P".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One open: 0 opened, 1 EPERM, 2 anything else. */
static int attempt(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : errno == EPERM ? 1 : 2;
}

/* The attempt in a child; its verdict from its exit status. */
static int forked(const char *path)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(attempt(path));
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return 2;
	return WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
	long n, i, eperm = 0, other = 0;
	int fork_each = argc == 4 && !strcmp(argv[1], "-f"), r;
	long long t0;

	argv += fork_each;
	argc -= fork_each;
	if (argc != 3 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: ratchet-storm [-f] N PATH\n");
		return 2;
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		r = fork_each ? forked(argv[2]) : attempt(argv[2]);
		eperm += r == 1;
		other += r == 2;
	}
	printf("attempts=%ld eperm=%ld other=%ld ns=%lld pid=%d\n", n, eperm,
	       other, now_ns() - t0, getpid());
	return 0;
}
