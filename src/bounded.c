// SPDX-License-Identifier: GPL-2.0
/*
 * bounded.c - run a walk that may wait on the kernel in a child, given
 * one deadline. What status reads of loop devices and of the files every
 * process holds can wait on a file system that does not answer (a FUSE
 * daemon stopped, a 9p server gone, a loop's mutex held by a stuck
 * change): status must still end, and say what went unanswered.
 *
 * The child keeps no fd of its caller's but the socket it answers on and
 * an optional lock: a child stuck in an uninterruptible wait must not
 * hold the pipe someone reads status's output from. The socket is a
 * SOCK_SEQPACKET pair: each record arrives whole, and unlike a pipe it
 * cannot be opened by anyone else through /proc/PID/fd (sockets have no
 * open, fs/proc/fd.c -> sock_no_open()).
 *
 * Library code: returns 0, 1 or -errno, never prints.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "cli.h"

/* Close every fd but @a and @b (-1: none), in order. */
static void keep_only(int a, int b)
{
	int keep[2] = { a < b ? a : b, a < b ? b : a }, i;
	unsigned int lo = 0;

	for (i = 0; i < 2; i++) {
		if (keep[i] < 0)
			continue;
		if ((unsigned int)keep[i] > lo)
			close_range(lo, (unsigned int)keep[i] - 1, 0);
		lo = (unsigned int)keep[i] + 1;
	}
	close_range(lo, ~0U, 0);
	kfs_forget(); /* its cached mounts were closed with the rest */
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/*
 * The child's last message: how many records it sent. A positive answer
 * of security_socket_sendmsg() is send()'s count with nothing queued
 * (sock_sendmsg(), net/socket.c, 6.1 to 7.2): the child cannot tell, so
 * the parent holds what came to this count, and a walk without it is
 * not whole (red team 15: every note dropped, status listed no holder).
 * Its size is no record's.
 */
struct walk_end {
	__u32 magic;
	__u32 sent;
};
#define WALK_END_MAGIC 0x77656e64U /* "wend" */

static unsigned int walk_sent; /* in the child */

/*
 * Whether the @size bytes at @p are all zero: what sys_recv() leaves for
 * a count that came with nothing (src/sysio.c). No record is: each names
 * a process or a device.
 */
static bool all_zero(const char *p, size_t size)
{
	return !*p && !memcmp(p, p + 1, size - 1);
}

/*
 * Records from @fd into *@out (*@n of them) until the child's walk_end,
 * if it counts them all (0); 1 if it does not, if none came (the child
 * closed its end), the deadline passed or a record is empty; -errno on
 * failure.
 */
static int collect(int fd, const struct bounded *b, void **out, int *n)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	long long end = now_ms() + b->ms, left;
	char *v;
	ssize_t r;

	for (;;) {
		if ((left = end - now_ms()) <= 0 || poll(&p, 1, (int)left) <= 0)
			return 1;
		if (!(v = realloc(*out, (size_t)(*n + 1) * b->size)))
			return -ENOMEM;
		*out = v;
		r = sys_recv(fd, v + (size_t)*n * b->size, b->size, 0);
		if (r == sizeof(struct walk_end)) {
			const struct walk_end *e =
				(const void *)(v + (size_t)*n * b->size);

			return e->magic == WALK_END_MAGIC &&
					       e->sent == (unsigned int)*n
				       ? 0
				       : 1;
		}
		if (r != (ssize_t)b->size)
			return r < 0 ? (int)r : 1;
		if (all_zero(v + (size_t)*n * b->size, b->size))
			return 1;
		(*n)++;
	}
}

/*
 * @b->walk in a child, its records (each @b->size bytes) into *@out
 * (malloc'd, the caller frees it), *@n of them. 0: the child sent all and
 * exited 0; 1: it did not (no answer by the deadline, killed, failed),
 * what came is kept and the child is killed; -errno: no child.
 */
int bounded_run(const struct bounded *b, void **out, int *n)
{
	int sv[2], err, st = 0;
	pid_t child;

	*out = NULL;
	*n = 0;
	if (b->size == sizeof(struct walk_end))
		return -EINVAL;
	if ((err = sys_ok(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				     sv))))
		return err;
	if ((child = fork()) < 0) {
		err = -errno;
		close(sv[0]);
		close(sv[1]);
		return err;
	}
	if (!child) {
		struct walk_end e = { WALK_END_MAGIC, 0 };

		keep_only(sv[1], b->lock);
		b->walk(sv[1], b->arg);
		e.sent = walk_sent;
		_exit(send(sv[1], &e, sizeof(e), MSG_NOSIGNAL) != sizeof(e));
	}
	close(sv[1]);
	err = collect(sv[0], b, out, n);
	close(sv[0]);
	if (err)
		kill(child, SIGKILL);
	/* A child stuck where SIGKILL waits is left to init, not waited on. */
	if (waitpid(child, &st, err ? WNOHANG : 0) == child && !err &&
	    (!WIFEXITED(st) || WEXITSTATUS(st)))
		err = 1;
	if (err < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return err;
}

/* One record of a walk, from the child: 0 or -errno. */
int bounded_send(int sock, const void *rec, size_t size)
{
	ssize_t r = send(sock, rec, size, MSG_NOSIGNAL);

	if (r != (ssize_t)size)
		return r < 0 ? -errno : -EIO;
	walk_sent++;
	return 0;
}
