/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uffd-hold.h - a page whose first touch waits until the test gives it
 * (userfaultfd), for the red team tools that hold a system call past
 * its check and across a lock (rt19-load.c, rt19-msr.c, rt19-perf.c; in
 * a test VM only). The call runs in a thread of its own; the tool waits
 * for it to fault on the page, says READY, waits for its moment, and
 * gives the page: the call then goes on from where it waited.
 */
#ifndef UFFD_HOLD_H
#define UFFD_HOLD_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define HOLD_PAGE 4096UL

struct hold {
	int uffd;
	char *page; /* what the held call reads: registered, never touched */
};

/* A held page (mmap @flags besides private and anonymous), or -1. */
static int hold_make(struct hold *h, int flags)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	h->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	h->page = mmap(NULL, HOLD_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	if (h->uffd < 0 || h->page == MAP_FAILED ||
	    ioctl(h->uffd, UFFDIO_API, &api))
		return -1;
	reg.range.start = (unsigned long)h->page;
	reg.range.len = HOLD_PAGE;
	return ioctl(h->uffd, UFFDIO_REGISTER, &reg) ? -1 : 0;
}

/*
 * Run @fn in a thread and wait up to 60 s for it to touch the page: 0
 * once it waits there, -1 if it never did (it returned first, refused).
 * Then write "held" to the file @ready, for the test.
 */
static int hold_start(struct hold *h, void *(*fn)(void *), pthread_t *th,
		      const char *ready)
{
	struct pollfd pf = { .fd = h->uffd, .events = POLLIN };
	struct uffd_msg m;
	FILE *f;

	if (pthread_create(th, NULL, fn, NULL))
		return -1;
	if (poll(&pf, 1, 60000) <= 0 ||
	    read(h->uffd, &m, sizeof(m)) != sizeof(m) ||
	    m.event != UFFD_EVENT_PAGEFAULT)
		return -1;
	if (!(f = fopen(ready, "w")))
		return -1;
	fputs("held\n", f);
	return fclose(f) ? -1 : 0;
}

/* Give the held page the contents of @src (HOLD_PAGE bytes). */
static void hold_give(struct hold *h, const void *src)
{
	struct uffdio_copy cp = { .dst = (unsigned long)h->page,
				  .src = (unsigned long)src,
				  .len = HOLD_PAGE };

	if (ioctl(h->uffd, UFFDIO_COPY, &cp))
		printf("uffd-hold: UFFDIO_COPY: %s\n", strerror(errno));
}

/*
 * Wait, up to 600 s, until ratchet's seal shows: @sealed() true (one of
 * ratchet's own probes refused with EPERM). 0, or -1 if it never did.
 */
static int hold_await_seal(int (*sealed)(void))
{
	int i;

	for (i = 0; !sealed(); i++) {
		if (i > 600000)
			return -1;
		usleep(1000);
	}
	return 0;
}

#endif
