// SPDX-License-Identifier: GPL-2.0
/*
 * rt19-msr.c - red team 19 (in a test VM only): an MSR written after
 * `ratchet lock msr` exited 0.
 *
 * `ratchet-rt19-msr READY [MSR]`
 * `ratchet-rt19-msr READY pci FILE OFFSET`: the same with a 1-byte write
 *   to a /proc/bus/pci config file (proc_bus_pci_write(),
 *   drivers/pci/proc.c: LOCKDOWN_PCI_ACCESS on entry, then __get_user()
 *   of each byte and the config write); the seal probe is ratchet's own
 *   (an empty write: 0 before the lock, EPERM once sealed); the byte
 *   written is the one read before.
 *
 * msr_write() (arch/x86/kernel/msr.c, 6.1 to 7.2) asks
 * security_locked_down(LOCKDOWN_MSR) once, on entry, then copies each 8
 * bytes from user memory and writes the MSR (wrmsr_safe_on_cpu()). The
 * buffer's page is registered with userfaultfd, so a pwrite() to
 * /dev/cpu/0/msr waits at the copy past the check. READY is written
 * once it waits; then this process watches for the seal with ratchet's
 * own msr probe (a 1-byte write: EINVAL before the lock, EPERM once
 * sealed) and gives the page, holding the MSR's current value (MSR
 * 0x174, IA32_SYSENTER_CS, by default: written back unchanged). The
 * write returns 8: the MSR was written under the lock. A fresh write is
 * then refused. Exit 0 if the held write wrote, 1 if not, 2 on setup
 * errors.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include "uffd-hold.h"

static struct hold h;
static long rc = -2;
static int err, fd;
static off_t msr = 0x174;
static int pci;
static size_t wlen = 8;

static void *writer(void *arg)
{
	(void)arg;
	rc = pwrite(fd, h.page, wlen, msr);
	err = errno;
	return NULL;
}

/* ratchet's own probe: an empty (pci) or 1-byte (msr) write, EPERM once sealed. */
static int sealed(void)
{
	char one = 0;

	return pwrite(fd, &one, pci ? 0 : 1, msr) < 0 && errno == EPERM;
}

int main(int argc, char **argv)
{
	static char page[HOLD_PAGE];
	uint64_t val;
	pthread_t th;
	long r;

	if (argc < 2)
		return fprintf(stderr, "usage: %s READY [MSR]\n", argv[0]), 2;
	if (argc == 5 && !strcmp(argv[2], "pci")) {
		pci = 1;
		wlen = 1;
		msr = (off_t)strtoul(argv[4], NULL, 0);
		fd = open(argv[3], O_RDWR | O_CLOEXEC);
	} else {
		if (argc > 2)
			msr = (off_t)strtoul(argv[2], NULL, 0);
		fd = open("/dev/cpu/0/msr", O_RDWR | O_CLOEXEC);
	}
	val = 0;
	if (fd < 0 || pread(fd, &val, wlen, msr) != (ssize_t)wlen)
		return perror("rt19-msr: open/read"), 2;
	printf("rt19-msr: %s %#lx reads %#llx before the lock\n",
	       pci ? "config byte" : "MSR", (long)msr, (unsigned long long)val);
	memcpy(page, &val, 8);
	if (hold_make(&h, 0))
		return perror("rt19-msr: userfaultfd"), 2;
	if (hold_start(&h, writer, &th, argv[1])) {
		printf("rt19-msr: the write never reached the copy: rc %ld (%s)\n",
		       rc, strerror(err));
		return 2;
	}
	printf("rt19-msr: pwrite(%s, %#lx) passed its lockdown check; held at the copy\n",
	       pci ? argv[3] : "/dev/cpu/0/msr", (long)msr);
	fflush(stdout);
	if (hold_await_seal(sealed))
		return printf("rt19-msr: no seal seen\n"), 2;
	hold_give(&h, page);
	pthread_join(th, NULL);
	printf("rt19-msr: seal seen (ratchet's probe write refused with EPERM); the held pwrite at %#lx returned %ld%s%s\n",
	       (long)msr, rc, rc < 0 ? ": " : "", rc < 0 ? strerror(err) : "");
	r = pwrite(fd, page, wlen, msr);
	printf("rt19-msr: a fresh %zu-byte write now: %s\n", wlen,
	       r == (ssize_t)wlen ? "WRITTEN" : strerror(errno));
	return rc == (long)wlen ? 0 : 1;
}
