// SPDX-License-Identifier: GPL-2.0
/*
 * barrier.c - what a lock's checks let through just before its seal.
 *
 * ratchet checks a load where the system call asks its hook:
 * kernel_load_data() before kexec_load() copies its segments,
 * kernel_read_file() before kexec_file_load() reads each file (and
 * before init_module() and finit_module() copy or read a module). A
 * call checked before the seal and then held (a page of root's served
 * late through userfaultfd, a read of root's FUSE file answered late)
 * loads past it (red team 17: a module and a kexec reboot image, after a
 * lock that exited 0, on 6.1, 6.12 and 7.2). Modules are asked about
 * again once their bytes are in (kernel_post_load_data(),
 * kernel_post_read_file(): bpf/enforce.h), and a module accepted before
 * the seal is one loaded before the lock. kexec_load() has no second
 * check, and kexec_file_load() copies its command line from user memory
 * after its last. So once a lock of kexec is sealed it waits for no task
 * to be inside either (progscan_loads()). Library code: returns 0 or
 * -errno, and says why in @why; prints nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

/* How long a lock waits for loads under way to end. */
#define BARRIER_MS 5000

/* Whether @m locks loading a kexec image. */
static bool locks_kexec(const struct catalogue *c, const struct ratchet_mask *m)
{
	return catalogue_mask_has(c, m, "kexec") ||
	       catalogue_mask_has(c, m, "kexec-image");
}

/* The system call @t is inside, by name (RATCHET_LOAD_CALLS). */
static const char *call_name(const struct ratchet_task_scan *t)
{
#define LOAD_CALL(n, c, name) { n, c, name },
	static const struct {
		long nr;
		__u32 compat;
		const char *name;
	} calls[] = { RATCHET_LOAD_CALLS(LOAD_CALL) };
	long nr = t->compat ? t->nr : t->nr & ~RATCHET_X32_SYSCALL_BIT;
	size_t i;

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (calls[i].nr == nr && calls[i].compat == t->compat)
			return calls[i].name;
	return "a system call that loads code";
}

/* The first of @n tasks in kexec_load() or kexec_file_load(), or NULL. */
static const struct ratchet_task_scan *
in_kexec(const struct ratchet_task_scan *t, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strncmp(call_name(&t[i]), "kexec", 5))
			return &t[i];
	return NULL;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/*
 * 0 once no task is inside a system call that loads a kexec image, read
 * by @skel; -EBUSY (@why names it) while one is after BARRIER_MS by the
 * clock, or -errno if that cannot be told.
 */
static int wait_out(struct progscan_bpf *skel, char *why, size_t len)
{
	const struct ratchet_task_scan *k;
	long long end = now_ms() + BARRIER_MS;
	struct ratchet_task_scan *t;
	int n;

	for (;;) {
		if ((n = progscan_loads(skel, &t)) < 0)
			return n;
		if ((k = in_kexec(t, n)))
			snprintf(why, len, "%.15s[%u] is inside %s()", k->comm,
				 k->tid, call_name(k));
		free(t);
		if (!k)
			return 0;
		if (now_ms() >= end)
			return -EBUSY;
		usleep(100000);
	}
}

/*
 * 0 once no task is inside a system call that loads a kexec image, if @m
 * locks kexec; -EBUSY if one still is after BARRIER_MS (@why names it;
 * or one left such a call and has made none since), -EXDEV if this runs
 * outside the initial pid namespace, or -errno if that cannot be told.
 * The scanner is loaded once: a load costs far more than a read.
 */
int load_barrier(const struct catalogue *c, const struct ratchet_mask *m,
		 char *why, size_t len)
{
	struct progscan_bpf *skel;
	int err;

	if (!locks_kexec(c, m))
		return 0;
	if (!(skel = progscan_open()))
		return -errno;
	err = wait_out(skel, why, len);
	progscan_close(skel);
	return err;
}
