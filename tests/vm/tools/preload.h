/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preload.h - shared by the preloaded test libraries (window.c, claim.c),
 * which wrap libc's syscall(): libbpf makes every bpf(2) call through it.
 */
#ifndef RATCHET_PRELOAD_H
#define RATCHET_PRELOAD_H
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>

typedef long (*syscall_fn)(long, ...);

/* The six arguments of syscall(nr, ...) from @ap into @a; libc's syscall(). */
static syscall_fn preload_args(long a[6], va_list ap)
{
	static syscall_fn real;
	int i;

	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	if (!real)
		real = (syscall_fn)dlsym(RTLD_NEXT, "syscall");
	return real;
}
#endif
