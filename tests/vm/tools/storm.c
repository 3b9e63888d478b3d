// SPDX-License-Identifier: GPL-2.0
/*
 * storm.c - `ratchet-storm N PATH`: open PATH N times in one process and
 * count how often it was refused with EPERM. One process, no fork per
 * attempt, so a 100,000-attempt storm fits in a TCG guest's test run.
 * Prints "attempts=N eperm=M other=K ns=T pid=P".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n, i, eperm = 0, other = 0;
	long long t0;

	if (argc != 3 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: ratchet-storm N PATH\n");
		return 2;
	}
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		int fd = open(argv[2], O_RDONLY | O_CLOEXEC);

		if (fd >= 0)
			close(fd);
		else if (errno == EPERM)
			eperm++;
		else
			other++;
	}
	printf("attempts=%ld eperm=%ld other=%ld ns=%lld pid=%d\n", n, eperm,
	       other, now_ns() - t0, getpid());
	return 0;
}
