// SPDX-License-Identifier: GPL-2.0
/*
 * window.c - build/tests/ratchet-window.so, preloaded into `ratchet lock`
 * by tests/vm/attacks/sysctl-window.sh: it strikes inside the first lock,
 * between ratchet's own steps, where an attacker racing the lock would.
 * RATCHET_WINDOW=attach strikes right after ratchet attaches its
 * cgroup/sysctl program, =seal right before the raise that seals; the
 * strike runs RATCHET_WINDOW_CMD (a second cgroup/sysctl program attached
 * at the root, after ratchet's), once. libbpf makes every bpf(2) call
 * through libc's syscall(), which this wraps. In a test VM only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include "preload.h"
#include "ratchet.h"

static void strike(const char *when)
{
	static int done;
	const char *mode = getenv("RATCHET_WINDOW");
	const char *cmd = getenv("RATCHET_WINDOW_CMD");
	int saved = errno;

	if (done || !mode || !cmd || strcmp(mode, when))
		return;
	done = 1;
	unsetenv("LD_PRELOAD");
	if (system(cmd))
		done = 2;
	errno = saved;
}

/* The raise that seals: ratchet_raise's context with a pin_dev. */
static int sealing(long cmd, const union bpf_attr *a)
{
	const struct ratchet_raise_args *r;

	if (cmd != BPF_PROG_TEST_RUN ||
	    a->test.ctx_size_in != sizeof(struct ratchet_raise_args))
		return 0;
	r = (const struct ratchet_raise_args *)(unsigned long)a->test.ctx_in;
	return r->pin_dev != 0;
}

long syscall(long nr, ...)
{
	syscall_fn real;
	long a[6], r;
	va_list ap;

	va_start(ap, nr);
	real = preload_args(a, ap);
	va_end(ap);
	if (nr == __NR_bpf && sealing(a[0], (const union bpf_attr *)a[1]))
		strike("seal");
	r = real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (nr == __NR_bpf && !r && a[0] == BPF_PROG_ATTACH &&
	    ((const union bpf_attr *)a[1])->attach_type == BPF_CGROUP_SYSCTL)
		strike("attach");
	return r;
}
