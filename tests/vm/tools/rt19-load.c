// SPDX-License-Identifier: GPL-2.0
/*
 * rt19-load.c - red team 19 (in a test VM only): kexec loads checked
 * before a lock that ratchet's load barrier (bpf/progscan.bpf.c,
 * loadscan; src/barrier.c) does not wait for.
 *
 * `ratchet-rt19-load MODE READY [GO]`
 *
 * crash-race READY: kexec_load(KEXEC_ON_CRASH) of one page into the crash
 *   kernel reservation, held at its segment copy (userfaultfd, as
 *   rt17-span.c). READY is written once it waits. Then this process asks
 *   kexec_load() every millisecond with a foreign architecture (EINVAL
 *   before any lock, EPERM once ratchet's lock is sealed: the same probe
 *   as `status --verify`), and as soon as it is refused gives the page.
 *   The load ends while the lock is still checking itself, the loading
 *   thread and this process exit, and the barrier, which runs seconds
 *   later, sees no task inside kexec_load(): the crash image is installed
 *   after the seal and the lock exits 0. The lock's re-read after the
 *   barrier reads kernel/kexec_loaded (reboot images) only.
 * reboot-race READY: the same with a reboot image (control: the re-read
 *   of kexec_loaded catches it, the lock exits 1).
 * x32 READY GO: kexec_load() through the x32 system call table
 *   (0x40000000 | 528, compat_sys_kexec_load: arch/x86/entry/syscalls/
 *   syscall_64.tbl, "528 x32 kexec_load"), held at the copy until GO
 *   exists. loadscan masks the x32 bit and compares with 246 (64-bit
 *   kexec_load, which the x32 table does not have), so it never lists
 *   it. Needs x32 enabled (Debian: syscall.x32=y on the command line).
 * ia32 READY GO: the same through int $0x80 (283, TS_COMPAT): control.
 * x32-on: exit 0 if x32 system calls run (getpid through the x32 table).
 * module-uargs MODULE READY: init_module() of MODULE with its parameter
 *   string on a page registered with userfaultfd. The image is copied and
 *   checked (ratchet's kernel_load_data and kernel_post_load_data, the
 *   signature) first; load_module() copies the parameters only later
 *   (strndup_user(uargs), kernel/module/main.c, 6.1 to 7.2), after
 *   every check and with no time limit (resolve_symbol_wait()'s is 30
 *   s). The seal is watched for with ratchet's own modules probe
 *   (init_module() of 64 junk bytes: ENOEXEC before, EPERM once sealed),
 *   then the page is given ("") and the module loads.
 * crash-now: a crash image loaded at once (the admin's kdump image, loaded
 *   before any lock, as ratchet allows): exit 0 if loaded.
 *
 * Exit 0 if the held call returned 0, 1 if it failed, 2 on setup errors.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <linux/kexec.h>
#include "uffd-hold.h"

#define PAGE		   HOLD_PAGE
#define DEST		   0x1000000UL
#define X32_BIT		   0x40000000L
#define NR_X32_KEXEC_LOAD  528L
#define NR_IA32_KEXEC_LOAD 283
#define KEXEC_ARCH_X86_64_ (62 << 16)
#define KEXEC_ARCH_386_	   (3 << 16)

struct compat_seg {
	uint32_t buf, bufsz, mem, memsz;
};

static struct hold h;
static long rc = -2;
static int err;
static int mode; /* 0 crash-race, 1 reboot-race, 2 x32, 3 ia32 */
static unsigned long dest = DEST;
static struct compat_seg *cseg;

static int crash_start(void)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	unsigned long a, b;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "Crash kernel") &&
		    sscanf(line, " %lx-%lx", &a, &b) == 2) {
			fclose(f);
			dest = a;
			return 0;
		}
	fclose(f);
	return -1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static long ia32_kexec_load(uint32_t entry, uint32_t nr, uint32_t segs,
			    uint32_t flags)
{
	long ret;

	asm volatile("int $0x80"
		     : "=a"(ret)
		     : "a"(NR_IA32_KEXEC_LOAD), "b"(entry), "c"(nr), "d"(segs),
		       "S"(flags)
		     : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static void *load(void *arg)
{
	struct kexec_segment seg = {
		.buf = h.page,
		.bufsz = PAGE,
		.mem = (void *)dest,
		.memsz = PAGE,
	};
	unsigned long flags = KEXEC_ARCH_DEFAULT;

	(void)arg;
	switch (mode) {
	case 0:
		flags |= KEXEC_ON_CRASH;
		/* fall through */
	case 1:
		rc = syscall(SYS_kexec_load, dest, 1UL, &seg, flags);
		err = errno;
		break;
	case 2:
		rc = syscall(X32_BIT | NR_X32_KEXEC_LOAD, dest, 1UL,
			     (unsigned long)cseg,
			     (unsigned long)KEXEC_ARCH_X86_64_);
		err = errno;
		break;
	case 3:
		rc = ia32_kexec_load((uint32_t)dest, 1,
				     (uint32_t)(uintptr_t)cseg,
				     KEXEC_ARCH_X86_64_);
		if (rc < 0 && rc > -4096) {
			err = (int)-rc;
			rc = -1;
		}
		break;
	}
	return NULL;
}

/* ratchet's own kexec probe: a foreign-architecture kexec_load(), EPERM once sealed. */
static int kexec_sealed(void)
{
	return syscall(SYS_kexec_load, 0UL, 0UL, NULL,
		       (unsigned long)KEXEC_ARCH_386_) == -1 &&
	       errno == EPERM;
}

/* ratchet's own modules probe: init_module() of junk, EPERM once sealed. */
static int module_sealed(void)
{
	static char junk[64];

	return syscall(SYS_init_module, junk, sizeof(junk), "") < 0 &&
	       errno == EPERM;
}

static char *mod;
static size_t mod_len;

static void *modload(void *arg)
{
	(void)arg;
	rc = syscall(SYS_init_module, mod, mod_len, h.page);
	err = errno;
	return NULL;
}

static int module_uargs(const char *path, const char *ready)
{
	static char page[PAGE] = "";
	FILE *f = fopen(path, "r");
	pthread_t th;

	if (!f || fseek(f, 0, SEEK_END) || (long)(mod_len = ftell(f)) <= 0 ||
	    !(mod = malloc(mod_len)) || fseek(f, 0, SEEK_SET) ||
	    fread(mod, 1, mod_len, f) != mod_len)
		return perror("rt19-load: module"), 2;
	fclose(f);
	if (hold_make(&h, 0))
		return perror("rt19-load: userfaultfd"), 2;
	if (hold_start(&h, modload, &th, ready)) {
		printf("rt19-load: init_module never reached its parameters: rc %ld (%s)\n",
		       rc, strerror(err));
		return 2;
	}
	printf("rt19-load: init_module of %s passed every check (ratchet's load and post-load hooks, the signature); held at the copy of its parameters\n",
	       path);
	fflush(stdout);
	if (hold_await_seal(module_sealed))
		return printf("rt19-load: no seal seen\n"), 2;
	hold_give(&h, page);
	pthread_join(th, NULL);
	printf("rt19-load: seal seen (ratchet's modules probe refused with EPERM); the held init_module returned %ld%s%s\n",
	       rc, rc ? ": " : "", rc ? strerror(err) : "");
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	static char page[PAGE] = "rt19";
	const char *ready, *go = NULL;
	pthread_t th;
	long t_seal = 0, t_done;
	int race;

	if (argc == 2 && !strcmp(argv[1], "crash-now")) {
		static char img[PAGE] = "admin kdump";
		struct kexec_segment seg = { .buf = img,
					     .bufsz = PAGE,
					     .memsz = PAGE };
		long r;

		if (crash_start())
			return 2;
		seg.mem = (void *)dest;
		r = syscall(
			SYS_kexec_load, dest, 1UL, &seg,
			(unsigned long)(KEXEC_ARCH_DEFAULT | KEXEC_ON_CRASH));
		printf("rt19-load: crash image loaded at once: %ld%s%s\n", r,
		       r ? ": " : "", r ? strerror(errno) : "");
		return r ? 1 : 0;
	}
	if (argc == 4 && !strcmp(argv[1], "module-uargs"))
		return module_uargs(argv[2], argv[3]);
	if (argc == 2 && !strcmp(argv[1], "x32-on")) {
		long r = syscall(X32_BIT | SYS_getpid);

		printf("rt19-load: x32 getpid: %ld (%s)\n", r,
		       r == getpid() ? "x32 enabled" : strerror(errno));
		return r == getpid() ? 0 : 1;
	}
	if (argc < 3)
		return fprintf(stderr,
			       "usage: %s crash-race|reboot-race READY | x32|ia32 READY GO | x32-on\n",
			       argv[0]),
		       2;
	if (!strcmp(argv[1], "crash-race"))
		mode = 0;
	else if (!strcmp(argv[1], "reboot-race"))
		mode = 1;
	else if (!strcmp(argv[1], "x32"))
		mode = 2;
	else if (!strcmp(argv[1], "ia32"))
		mode = 3;
	else
		return 2;
	race = mode < 2;
	ready = argv[2];
	if (!race) {
		if (argc != 4)
			return 2;
		go = argv[3];
	}
	if (mode == 0) {
		if (crash_start())
			return fprintf(stderr,
				       "rt19-load: no crash kernel reservation\n"),
			       2;
		fprintf(stderr, "rt19-load: crash image at %#lx\n", dest);
	}
	/* Below 4 GiB: compat segments carry 32-bit pointers. */
	cseg = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT | MAP_POPULATE, -1,
		    0);
	if (cseg == MAP_FAILED || hold_make(&h, MAP_32BIT))
		return perror("rt19-load: userfaultfd"), 2;
	cseg->buf = (uint32_t)(uintptr_t)h.page;
	cseg->bufsz = PAGE;
	cseg->mem = (uint32_t)dest;
	cseg->memsz = PAGE;
	if (hold_start(&h, load, &th, ready)) {
		printf("rt19-load: the call never reached the copy: rc %ld (%s)\n",
		       rc, strerror(err));
		return 2;
	}
	printf("rt19-load: %s kexec_load passed its checks; held at the segment copy\n",
	       argv[1]);
	fflush(stdout);
	if (race) {
		if (hold_await_seal(kexec_sealed))
			return printf("rt19-load: no seal seen in 600 s\n"), 2;
		t_seal = now_ms();
	} else {
		while (access(go, F_OK))
			usleep(100000);
	}
	hold_give(&h, page);
	pthread_join(th, NULL);
	t_done = now_ms();
	if (race)
		printf("rt19-load: the lock's seal seen (a foreign kexec_load refused with EPERM); page given; the held load returned %ld%s%s %ld ms later; this process exits now\n",
		       rc, rc ? ": " : "", rc ? strerror(err) : "",
		       t_done - t_seal);
	else
		printf("rt19-load: %s kexec_load returned %ld%s%s\n", argv[1],
		       rc, rc ? ": " : "", rc ? strerror(err) : "");
	return rc ? 1 : 0;
}
