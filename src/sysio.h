/* SPDX-License-Identifier: GPL-2.0 */
/* sysio.h - system calls held to their contract (src/sysio.c). */
#ifndef RATCHET_SYSIO_H
#define RATCHET_SYSIO_H

#include <sys/types.h>

ssize_t sys_read(int fd, void *buf, size_t len);
ssize_t sys_pread(int fd, void *buf, size_t len, off_t off);
ssize_t sys_write(int fd, const void *buf, size_t len);
ssize_t sys_pwrite(int fd, const void *buf, size_t len, off_t off);
ssize_t sys_recv(int fd, void *buf, size_t len, int flags);
ssize_t sys_readlinkat(int dirfd, const char *path, char *buf, size_t len);
int sys_ok(long rc);
ssize_t sys_read_text(int fd, char *buf, size_t len);
int sys_read_all(int fd, char **data, size_t *size);

#endif
