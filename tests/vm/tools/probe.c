// SPDX-License-Identifier: GPL-2.0
/*
 * probe.c - `ratchet-probe OP`: perform one real operation that a lockdown
 * restriction guards, undo its effect, and say whether the kernel let it
 * through. Exit 0: allowed; 1: refused the way a lock refuses (judged per
 * operation: EPERM mostly, a verifier "unknown func" for BPF helpers, a
 * missing "disk" for hibernation, a redacted key for xfrm); 2: anything
 * else, so a broken setup never passes for a refusal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kexec.h>
#include <linux/perf_event.h>
#include <linux/serial.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include "probes.h"

/* The same numbers as src/probes.h's PR_ALLOWED, PR_REFUSED, PR_ERROR. */
#define ALLOWED PR_ALLOWED
#define REFUSED PR_REFUSED
#define BROKEN	PR_ERROR

static const char *op_name;

static int say(int verdict, const char *how)
{
	static const char *const words[] = { "allowed", "refused", "error" };

	printf("%s: %s%s%s%s\n", op_name, words[verdict], how ? " (" : "",
	       how ? how : "", how ? ")" : "");
	return verdict;
}

/* The common case: the lock answers EPERM, anything else is a setup error. */
static int by_errno(int ok, const char *what)
{
	char buf[128];

	if (ok)
		return say(ALLOWED, NULL);
	if (errno == EPERM)
		return say(REFUSED, "EPERM");
	snprintf(buf, sizeof(buf), "%s: %s", what, strerror(errno));
	return say(BROKEN, buf);
}

static int open_op(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return by_errno(fd >= 0, path);
}

static int dev_mem(void)
{
	return open_op("/dev/mem", O_RDONLY);
}
static int dev_port(void)
{
	return open_op("/dev/port", O_RDONLY);
}
static int kcore(void)
{
	return open_op("/proc/kcore", O_RDONLY);
}
static int tracefs(void)
{
	return open_op("/sys/kernel/tracing/trace", O_RDONLY);
}
/* A writable debugfs file: the check is on its mode, not the open flags. */
static int debugfs(void)
{
	return open_op("/sys/kernel/debug/clear_warn_once", O_RDONLY);
}

/* nr_segments 0 unloads: it passes both checks and changes nothing. */
static int kexec_load_op(void)
{
	return by_errno(!syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL),
			"kexec_load");
}

static int kexec_load_crash(void)
{
	return by_errno(!syscall(SYS_kexec_load, 0UL, 0UL, NULL,
				 (unsigned long)KEXEC_ON_CRASH),
			"kexec_load");
}

/* An unsigned image: the 6.12 -unsigned package's vmlinuz. */
static int kexec_file(void)
{
	const char *img = getenv("RATCHET_PROBE_KERNEL");
	char path[512];
	FILE *p;
	int fd, ok;

	if (!img) {
		p = popen("ls build/vm/root-6.12/boot/vmlinuz-* 2>/dev/null",
			  "r");
		if (!p || !fgets(path, sizeof(path), p))
			return say(
				BROKEN,
				"no unsigned kernel image under build/vm/root-6.12/boot");
		pclose(p);
		path[strcspn(path, "\n")] = '\0';
		img = path;
	}
	if ((fd = open(img, O_RDONLY | O_CLOEXEC)) < 0)
		return say(BROKEN, "cannot open the kernel image");
	ok = !syscall(SYS_kexec_file_load, fd, -1, 1UL, "",
		      (unsigned long)KEXEC_FILE_NO_INITRAMFS);
	close(fd);
	if (ok)
		syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL,
			(unsigned long)KEXEC_FILE_UNLOAD);
	return by_errno(ok, "kexec_file_load");
}

static int ioperm_op(void)
{
	int ok = !ioperm(0x80, 1, 1);

	if (ok)
		ioperm(0x80, 1, 0);
	return by_errno(ok, "ioperm");
}

static int iopl_op(void)
{
	int ok = !iopl(3);

	if (ok)
		iopl(0);
	return by_errno(ok, "iopl");
}

/* Write back what is there: only the write is checked. */
static int rewrite(const char *path, off_t off, size_t len, const char *what)
{
	unsigned char buf[8];
	int fd = open(path, O_RDWR | O_CLOEXEC), ok;

	if (fd < 0)
		return say(BROKEN, what);
	if (pread(fd, buf, len, off) != (ssize_t)len) {
		close(fd);
		return say(BROKEN, "read back failed");
	}
	ok = pwrite(fd, buf, len, off) == (ssize_t)len;
	close(fd);
	return by_errno(ok, what);
}

/* IA32_SYSENTER_CS: QEMU implements it and rewriting it changes nothing. */
static int msr(void)
{
	if (system("modprobe msr 2>/dev/null"))
		return say(BROKEN, "modprobe msr failed");
	return rewrite("/dev/cpu/0/msr", 0x174, 8, "/dev/cpu/0/msr");
}

/* The interrupt-line register of the host bridge: harmless to rewrite. */
static int pci_access(void)
{
	return rewrite("/sys/bus/pci/devices/0000:00:00.0/config", 0x3c, 1,
		       "PCI config");
}

static int hibernation(void)
{
	char buf[256] = "";
	FILE *f = fopen("/sys/power/state", "re");

	if (!f || !fgets(buf, sizeof(buf), f))
		return say(BROKEN, "/sys/power/state unreadable");
	fclose(f);
	return strstr(buf, "disk")
		       ? say(ALLOWED, NULL)
		       : say(REFUSED, "no disk in /sys/power/state");
}

/* ttyS1 is registered but unused in the VM; move its I/O base and back. */
static int tiocsserial(void)
{
	struct serial_struct ss, moved;
	int fd = open("/dev/ttyS1", O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC),
	    ok;

	if (fd < 0 || ioctl(fd, TIOCGSERIAL, &ss))
		return say(BROKEN, "/dev/ttyS1: TIOCGSERIAL");
	moved = ss;
	moved.port = ss.port ^ 0x8;
	ok = !ioctl(fd, TIOCSSERIAL, &moved);
	if (ok)
		ioctl(fd, TIOCSSERIAL, &ss);
	close(fd);
	return by_errno(ok, "TIOCSSERIAL");
}

static int perf(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = 100000,
		.sample_type = PERF_SAMPLE_REGS_INTR,
		.sample_regs_intr = 1,
		.disabled = 1,
	};
	int fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0UL);

	if (fd >= 0)
		close(fd);
	return by_errno(fd >= 0, "perf_event_open");
}

/*
 * A kprobe program calling the helper, as `ratchet status --verify` loads
 * it (src/probes.c, linked in): refused = the verifier hides the helper.
 */
static int bpf_helper(int (*fn)(char *msg, size_t len))
{
	char msg[200] = "";
	int r = fn(msg, sizeof(msg));

	if (r == PR_NONE)
		r = PR_ERROR;
	return say(r, r == PR_REFUSED ? "the verifier hides the helper"
		      : msg[0]	      ? msg
				      : NULL);
}

static int bpf_read_kernel(void)
{
	return bpf_helper(probe_bpf_read_kernel);
}
static int bpf_write_user(void)
{
	return bpf_helper(probe_bpf_write_user);
}

static int append(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC), ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, line, strlen(line)) == (ssize_t)strlen(line);
	close(fd);
	return ok ? 0 : -errno;
}

static int kprobes(void)
{
	const char *ev = "/sys/kernel/tracing/kprobe_events";
	int err = append(ev, "p:ratchet_probe do_sys_openat2\n");

	if (!err)
		append(ev, "-:ratchet_probe\n");
	errno = -err;
	return by_errno(!err, "kprobe_events");
}

#define XFRM_KEY                                                               \
	"0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

/*
 * Add an AH SA with a known hmac(sha256) key, read it back, delete it. The
 * kernel's own request_module runs outside the test's chroot and finds no
 * modprobe there, so load what AH needs first. (ESP with cbc(aes) would not
 * initialise on 6.1 in this VM; xfrm redacts auth keys just the same.)
 */
static int xfrm(void)
{
	char buf[4096] = "";
	FILE *p;
	size_t n;

	if (system("modprobe -a xfrm_user ah4 hmac sha256_generic 2>/dev/null; "
		   "ip xfrm state flush 2>/dev/null"))
		return say(BROKEN, "ip xfrm state flush failed");
	if (system("ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto ah spi 0x1000 mode transport "
		   "auth 'hmac(sha256)' " XFRM_KEY " 2>/dev/null"))
		return say(BROKEN, "ip xfrm state add failed");
	p = popen("ip xfrm state 2>&1", "r");
	n = p ? fread(buf, 1, sizeof(buf) - 1, p) : 0;
	if (p)
		pclose(p);
	buf[n] = '\0';
	system("ip xfrm state flush");
	if (strstr(buf, XFRM_KEY))
		return say(ALLOWED, NULL);
	if (strstr(buf,
		   "0x0000000000000000000000000000000000000000000000000000000000000000"))
		return say(REFUSED, "key redacted");
	return say(BROKEN, "SA not shown");
}

#define MODULE	  "dummy"
#define SIG_MAGIC "~Module signature appended~\n"

/* The module, decompressed, in memory; with its signature cut off if asked. */
static char *module_image(size_t *len, int strip)
{
	static char buf[1 << 20];
	FILE *p = popen("f=$(modinfo -n " MODULE
			") && case $f in *.xz) xz -dc $f;; *) cat $f;; esac",
			"r");
	size_t magic = sizeof(SIG_MAGIC) - 1;

	if (!p)
		return NULL;
	*len = fread(buf, 1, sizeof(buf), p);
	pclose(p);
	if (*len < magic + 12 || memcmp(buf + *len - magic, SIG_MAGIC, magic))
		return NULL;
	if (strip) {
		/* struct module_signature: 12 bytes, sig_len big-endian last. */
		const unsigned char *ms =
			(unsigned char *)buf + *len - magic - 12;
		size_t sig = (size_t)ms[8] << 24 | ms[9] << 16 | ms[10] << 8 |
			     ms[11];

		*len -= magic + 12 + sig + ms[3] + ms[4];
	}
	return buf;
}

/* @len bytes of @img into a new file under /tmp, named in @path. */
static int write_tmp(char *path, const char *img, size_t len)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	if (write(fd, img, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return -1;
	}
	/* finit_module refuses a file open for writing (ETXTBSY). */
	close(fd);
	return 0;
}

/* finit_module of the file at @path with @flags; unloads what it loaded. */
static int finit_path(const char *path, int flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok;

	ok = fd >= 0 && !syscall(SYS_finit_module, fd, "", flags);
	if (fd >= 0)
		close(fd);
	if (ok)
		syscall(SYS_delete_module, MODULE, O_NONBLOCK);
	return ok;
}

static int load_module(int strip, int finit)
{
	char path[] = "/tmp/ratchet-probe-XXXXXX";
	size_t len;
	char *img = module_image(&len, strip);
	int ok;

	if (!img)
		return say(BROKEN, "no signed " MODULE " module");
	if (finit) {
		if (write_tmp(path, img, len))
			return say(BROKEN, "cannot write the module to /tmp");
		ok = finit_path(path, 0);
		unlink(path);
	} else {
		ok = !syscall(SYS_init_module, img, len, "");
		if (ok)
			syscall(SYS_delete_module, MODULE, O_NONBLOCK);
	}
	return by_errno(ok, finit ? "finit_module" : "init_module");
}

static int module_unsigned(void)
{
	return load_module(1, 1);
}
static int module_signed(void)
{
	return load_module(0, 1);
}
static int module_signed_init(void)
{
	return load_module(0, 0);
}
static int module_unsigned_init(void)
{
	return load_module(1, 0);
}

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

/*
 * The compression the kernel decompresses itself (CONFIG_MODULE_DECOMPRESS
 * creates /sys/module/compression), or "" if it cannot.
 */
static const char *kernel_compression(void)
{
	static char buf[16];
	FILE *f = fopen("/sys/module/compression", "re");

	buf[0] = '\0';
	if (f && fgets(buf, sizeof(buf), f))
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
	return buf;
}

/*
 * finit_module(fd, "", MODULE_INIT_COMPRESSED_FILE) of an unsigned module
 * compressed as kbuild does (xz, CRC32, 1 MiB dictionary): 7.x reads it
 * as READING_MODULE_COMPRESSED and decompresses in the kernel.
 */
static int module_compressed(void)
{
	char path[] = "/tmp/ratchet-probe-XXXXXX", cmd[128], xz[64];
	size_t len;
	char *img = module_image(&len, 1);
	int ok;

	if (strcmp(kernel_compression(), "xz"))
		return say(BROKEN, "this kernel cannot decompress xz modules");
	if (!img || write_tmp(path, img, len))
		return say(BROKEN, "cannot write the module to /tmp");
	snprintf(cmd, sizeof(cmd),
		 "xz -f --check=crc32 --lzma2=dict=1MiB %s 2>/dev/null", path);
	snprintf(xz, sizeof(xz), "%s.xz", path);
	if (system(cmd)) {
		unlink(path);
		return say(BROKEN, "xz failed");
	}
	ok = finit_path(xz, MODULE_INIT_COMPRESSED_FILE);
	unlink(xz);
	return by_errno(ok, "finit_module(MODULE_INIT_COMPRESSED_FILE)");
}

/*
 * What kmod 31 and later do with the installed (signed) module: a file the
 * kernel can decompress, or an uncompressed one, goes to finit_module (with
 * MODULE_INIT_COMPRESSED_FILE if compressed); anything else is decompressed
 * here and goes to init_module (libkmod's do_finit_module and its ENOSYS
 * fallback to do_init_module).
 */
static int module_kmod(void)
{
	char path[512] = "";
	FILE *p = popen("modinfo -n " MODULE, "r");
	int xz, ok;

	if (!p || !fgets(path, sizeof(path), p)) {
		if (p)
			pclose(p);
		return say(BROKEN, "modinfo found no " MODULE " module");
	}
	pclose(p);
	path[strcspn(path, "\n")] = '\0';
	xz = strlen(path) > 3 && !strcmp(path + strlen(path) - 3, ".xz");
	if (xz && strcmp(kernel_compression(), "xz"))
		return load_module(0, 0);
	ok = finit_path(path, xz ? MODULE_INIT_COMPRESSED_FILE : 0);
	return by_errno(ok, xz ? "finit_module(MODULE_INIT_COMPRESSED_FILE)"
			       : "finit_module");
}

/* Whether this kernel has the path @op takes at all; NULL if it does. */
static const char *lacks(const char *op)
{
	if (!strcmp(op, "module-compressed") &&
	    strcmp(kernel_compression(), "xz"))
		return "the kernel cannot decompress modules "
		       "(no /sys/module/compression: CONFIG_MODULE_DECOMPRESS unset)";
	return NULL;
}

static const struct {
	const char *name;
	int (*fn)(void);
} ops[] = {
	{ "dev-mem", dev_mem },
	{ "dev-port", dev_port },
	{ "kcore", kcore },
	{ "kexec-load", kexec_load_op },
	{ "kexec-load-crash", kexec_load_crash },
	{ "kexec-file", kexec_file },
	{ "ioperm", ioperm_op },
	{ "iopl", iopl_op },
	{ "msr", msr },
	{ "pci-access", pci_access },
	{ "hibernation", hibernation },
	{ "tiocsserial", tiocsserial },
	{ "perf", perf },
	{ "bpf-read-kernel", bpf_read_kernel },
	{ "bpf-write-user", bpf_write_user },
	{ "kprobes", kprobes },
	{ "tracefs", tracefs },
	{ "debugfs", debugfs },
	{ "xfrm", xfrm },
	{ "module-unsigned", module_unsigned },
	{ "module-signed", module_signed },
	{ "module-signed-init", module_signed_init },
	{ "module-unsigned-init", module_unsigned_init },
	{ "module-compressed", module_compressed },
	{ "module-kmod", module_kmod },
};

int main(int argc, char **argv)
{
	size_t i;

	/* --has OP: exit 0 if this kernel has OP's path, 1 saying why not. */
	if (argc == 3 && !strcmp(argv[1], "--has")) {
		const char *why = lacks(argv[2]);

		if (why)
			printf("%s: %s\n", argv[2], why);
		return !!why;
	}
	for (i = 0; argc == 2 && i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(argv[1], ops[i].name)) {
			op_name = ops[i].name;
			return ops[i].fn();
		}
	fprintf(stderr, "usage: ratchet-probe OP | --has OP\nops:");
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		fprintf(stderr, " %s", ops[i].name);
	fprintf(stderr, "\n");
	return BROKEN;
}
