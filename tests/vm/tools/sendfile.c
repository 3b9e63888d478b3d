// SPDX-License-Identifier: GPL-2.0
/*
 * sendfile.c - `ratchet-sendfile TEXT DST`: write TEXT into DST with
 * sendfile(2) from a memfd, not write(2). For tests/vm/attacks/
 * rt-query-write.sh, in a test VM only: ratchet counts a hibernation
 * check reached from sendfile (a "read-like" syscall) as a query, never
 * logged. Exit 0 written, 1 refused (EPERM), 2 other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/sendfile.h>

int main(int argc, char **argv)
{
	int in, out;
	ssize_t n;
	off_t off = 0;

	if (argc != 3)
		return 2;
	in = memfd_create("text", 0);
	out = open(argv[2], O_WRONLY);
	if (in < 0 || out < 0 ||
	    write(in, argv[1], strlen(argv[1])) != (ssize_t)strlen(argv[1]))
		return 2;
	n = sendfile(out, in, &off, strlen(argv[1]));
	printf("sendfile: %s\n", n < 0 ? strerror(errno) : "written");
	if (n >= 0)
		return 0;
	return errno == EPERM ? 1 : 2;
}
