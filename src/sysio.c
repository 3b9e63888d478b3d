// SPDX-License-Identifier: GPL-2.0
/*
 * sysio.c - read(2), write(2) and the calls like them, held to their
 * contract.
 *
 * A positive answer of a security_* function reaches user space as the
 * system call's result: rw_verify_area() returns
 * security_file_permission()'s and vfs_read()/vfs_write() hand it back as
 * the byte count, with nothing read or written (fs/read_write.c);
 * sock_recvmsg() returns security_socket_recvmsg()'s (net/socket.c),
 * vfs_readlink()'s callers security_inode_readlink()'s (fs/stat.c), and
 * ioctl(2) security_file_ioctl()'s (fs/ioctl.c), 6.1 to 7.2. An fmod_ret
 * program, or an LSM program where the verifier does not bound what it
 * returns (6.1), can answer any int there: 224 for a 31-byte read made
 * ratchet write a zero byte 224 bytes past its buffer (red team 12). So a
 * count above what was asked, or a positive result of a call that returns
 * 0 or -1, is an error here (-EIO, -EPROTO), never a length, and errno is
 * read only after a -1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "sysio.h"

/* @n, the result of a call asked for @len bytes: a count, or -errno. */
static ssize_t count(ssize_t n, size_t len)
{
	if (n < 0)
		return -errno;
	return (size_t)n > len ? -EIO : n;
}

/*
 * A count within bounds may still have come with nothing read, and a
 * reader that trusts it keeps stale or zero bytes and reads on from where
 * the file still is: N zero bytes put into a copy of the kernel's BTF
 * moved every name after them, and the lock's tables were computed from
 * it (red team 13). The file position is the kernel's own (lseek(2) asks
 * no LSM): it moves by what was really read (ksys_read() stores the
 * position vfs_read() advanced, fs/read_write.c). A count it did not
 * follow is -EIO. Pipes, sockets and iterators do not seek (ESPIPE):
 * their counts are only held to @len, and the buffer is zeroed first, so
 * a faked count gives zeros, never old memory; what they carry must say
 * where each record starts (src/progscan.c: a magic and an index).
 */
ssize_t sys_read(int fd, void *buf, size_t len)
{
	off_t at = lseek(fd, 0, SEEK_CUR);
	ssize_t n;

	if (at < 0)
		memset(buf, 0, len);
	n = count(read(fd, buf, len), len);

	if (n > 0 && at >= 0 && lseek(fd, 0, SEEK_CUR) != at + n)
		return -EIO;
	return n;
}

ssize_t sys_pread(int fd, void *buf, size_t len, off_t off)
{
	memset(buf, 0, len);
	return count(pread(fd, buf, len, off), len);
}

ssize_t sys_write(int fd, const void *buf, size_t len)
{
	return count(write(fd, buf, len), len);
}

ssize_t sys_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	return count(pwrite(fd, buf, len, off), len);
}

ssize_t sys_recv(int fd, void *buf, size_t len, int flags)
{
	memset(buf, 0, len);
	return count(recv(fd, buf, len, flags), len);
}

/* The link @path, NUL-terminated in @buf: its length, or -errno. */
ssize_t sys_readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	ssize_t n = count(readlinkat(dirfd, path, buf, len - 1), len - 1);

	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* The result @rc of a call that returns 0 or -1: 0, or -errno. */
int sys_ok(long rc)
{
	if (rc < 0)
		return -errno;
	return rc ? -EPROTO : 0;
}

/*
 * The text @fd reads, up to @len - 1 bytes, NUL-terminated in @buf: its
 * length, or -errno. The buffer is cleared first, so a count that came
 * without its bytes leaves NULs in it, which no text file of the kernel
 * holds: -EIO.
 */
ssize_t sys_read_text(int fd, char *buf, size_t len)
{
	size_t have = 0;
	ssize_t n;

	memset(buf, 0, len);
	while (have < len - 1 &&
	       (n = sys_read(fd, buf + have, len - 1 - have)) != 0) {
		if (n == -EINTR)
			continue;
		if (n < 0)
			return n;
		have += (size_t)n;
	}
	return memchr(buf, '\0', have) ? -EIO : (ssize_t)have;
}

/*
 * All that @fd reads, into *@data (malloc'd, the caller frees it, with a
 * NUL after the *@size bytes): 0 or -errno. What is read into is zeroed
 * first: a count without its bytes gives zeros, never old memory.
 */
int sys_read_all(int fd, char **data, size_t *size)
{
	size_t cap = 0, n = 0;
	char *buf = NULL, *more;
	ssize_t r = 1;

	while (r) {
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 1 << 16;
			if (!(more = realloc(buf, cap))) {
				free(buf);
				return -ENOMEM;
			}
			buf = more;
			memset(buf + n, 0, cap - n);
		}
		r = sys_read(fd, buf + n, cap - 1 - n);
		if (r == -EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return (int)r;
		}
		n += (size_t)r;
	}
	*data = buf;
	*size = n;
	return 0;
}
