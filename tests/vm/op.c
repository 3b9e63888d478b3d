// SPDX-License-Identifier: GPL-2.0
/*
 * op.c - `ratchet-op OP`: perform one real operation that a lockdown reason
 * (or ratchet's `modules`/`kexec-image`) guards, undo its effect, and say
 * whether the kernel let it through, as exactly one line:
 *   OP: allowed | OP: refused (HOW) | OP: error WHAT
 * Exit 0: allowed; 1: refused the way a lock refuses; 2: anything else, so a
 * broken setup never passes for a refusal. See tests/vm/ops.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kexec.h>
#include <linux/perf_event.h>
#include <linux/serial.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>
#include "op-helpers.skel.h"

enum { ALLOWED, REFUSED, BROKEN };

static const char *op_name;

static int allowed(void)
{
	printf("%s: allowed\n", op_name);
	return ALLOWED;
}

static int refused(const char *how)
{
	printf("%s: refused (%s)\n", op_name, how);
	return REFUSED;
}

static int __attribute__((format(printf, 1, 2))) broken(const char *fmt, ...)
{
	va_list ap;

	printf("%s: error ", op_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return BROKEN;
}

/*
 * The common case: the lock answers EPERM. We run as root (checked in
 * main), so no capability check can be the source of that EPERM.
 */
static int by_errno(int ok, const char *what)
{
	if (ok)
		return allowed();
	if (errno == EPERM)
		return refused("EPERM");
	return broken("%s: %s", what, strerror(errno));
}

/* The first match of a glob pattern, or NULL. */
static char *first_match(const char *pattern, char *buf, size_t size)
{
	glob_t g;
	int found = !glob(pattern, 0, NULL, &g) && g.gl_pathc > 0;

	if (found)
		snprintf(buf, size, "%s", g.gl_pathv[0]);
	globfree(&g);
	return found ? buf : NULL;
}

/* An integer from a sysfs file, or -1. */
static long read_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int open_op(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return by_errno(fd >= 0, path);
}

static int dev_mem(void) { return open_op("/dev/mem", O_RDONLY); }
static int dev_port(void) { return open_op("/dev/port", O_RDONLY); }
/* KCORE is checked at open, before the capability check. */
static int kcore(void) { return open_op("/proc/kcore", O_RDONLY); }
/* Opening most tracefs files is checked; reading needs no tracing enabled. */
static int tracefs(void) { return open_op("/sys/kernel/tracing/trace", O_RDONLY); }

/*
 * DEBUGFS is checked at open of any file that is not plain read-only: the
 * file's mode decides, not the open flags. clear_warn_once is 0200 on both
 * kernels, and root may open it for reading; nothing is written.
 */
static int debugfs(void)
{
	return open_op("/sys/kernel/debug/clear_warn_once", O_RDONLY);
}

/*
 * nr_segments 0 unloads (nothing is loaded here), yet the call still goes
 * through LOADING_KEXEC_IMAGE and the KEXEC check: harmless and checked.
 */
static int kexec_unload(unsigned long flags)
{
	long r = syscall(SYS_kexec_load, 0UL, 0UL, NULL, flags);

	return by_errno(r == 0, "kexec_load");
}

static int kexec_load_op(void) { return kexec_unload(KEXEC_ARCH_DEFAULT); }
static int kexec_load_crash(void) { return kexec_unload(KEXEC_ON_CRASH); }

/* An unsigned image: the 6.12 -unsigned package's vmlinuz, or $RATCHET_OP_KERNEL. */
static const char *unsigned_kernel(char *buf, size_t size)
{
	const char *env = getenv("RATCHET_OP_KERNEL");

	if (env && *env)
		return env;
	return first_match("build/vm/root-6.12/boot/vmlinuz-*", buf, size);
}

/*
 * An unsigned image fails the signature check, and only then does
 * kexec_file_load ask the KEXEC reason; ratchet's kexec-image refuses it
 * earlier, at READING_KEXEC_IMAGE. /sys/kernel/kexec_loaded must go 0, 1, 0.
 */
static int kexec_file(void)
{
	const char *state = "/sys/kernel/kexec_loaded";
	char buf[512];
	const char *img = unsigned_kernel(buf, sizeof(buf));
	int fd, err;
	long r;

	if (!img)
		return broken("no unsigned kernel (RATCHET_OP_KERNEL, build/vm/root-6.12/boot)");
	if (read_long(state) != 0)
		return broken("%s is not 0 before the load", state);
	fd = open(img, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return broken("%s: %s", img, strerror(errno));
	r = syscall(SYS_kexec_file_load, fd, -1, 1UL, "", (unsigned long)KEXEC_FILE_NO_INITRAMFS);
	err = errno;
	close(fd);
	if (r != 0) {
		errno = err;
		return by_errno(0, "kexec_file_load");
	}
	if (read_long(state) != 1)
		return broken("kexec_file_load returned 0 but %s is not 1", state);
	if (syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, (unsigned long)KEXEC_FILE_UNLOAD))
		return broken("KEXEC_FILE_UNLOAD: %s", strerror(errno));
	if (read_long(state) != 0)
		return broken("%s is not 0 after the unload", state);
	return allowed();
}

/* Both are checked only when raising privilege; dropping it is always allowed. */
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

/* Write back the bytes that are there: only writes are checked. */
static int rewrite(const char *path, off_t off, size_t len)
{
	unsigned char buf[8];
	int fd = open(path, O_RDWR | O_CLOEXEC), ok;

	if (fd < 0)
		return broken("%s: %s", path, strerror(errno));
	if (len > sizeof(buf) || pread(fd, buf, len, off) != (ssize_t)len) {
		close(fd);
		return broken("%s: read at 0x%lx failed", path, (long)off);
	}
	ok = pwrite(fd, buf, len, off) == (ssize_t)len;
	close(fd);
	return by_errno(ok, path);
}

/*
 * IA32_SYSENTER_CS (0x174): QEMU's TCG implements it and rewriting its own
 * value changes nothing. msr.allow_writes=off would also answer EPERM (after
 * the lockdown check), so refuse to judge then.
 */
static int msr(void)
{
	char mode[16] = "";
	FILE *f;

	if (system("modprobe msr 2>/dev/null") != 0)
		return broken("modprobe msr failed");
	f = fopen("/sys/module/msr/parameters/allow_writes", "re");
	if (f) {
		if (!fgets(mode, sizeof(mode), f))
			mode[0] = '\0';
		fclose(f);
	}
	if (!strncmp(mode, "off", 3))
		return broken("msr.allow_writes=off would refuse any write");
	return rewrite("/dev/cpu/0/msr", 0x174, 8);
}

/* The interrupt-line register (0x3c) of the first device: harmless to rewrite. */
static int pci_access(void)
{
	char path[256];

	if (!first_match("/sys/bus/pci/devices/*/config", path, sizeof(path)))
		return broken("no PCI device in /sys/bus/pci/devices");
	return rewrite(path, 0x3c, 1);
}

/* hibernation_available() asks the lock; a refusal only hides "disk". */
static int hibernation(void)
{
	char buf[256] = "";
	FILE *f = fopen("/sys/power/state", "re");

	if (!f)
		return broken("/sys/power/state: %s", strerror(errno));
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	if (!strstr(buf, "mem") && !strstr(buf, "freeze"))
		return broken("/sys/power/state lists no state at all");
	return strstr(buf, "disk") ? allowed() : refused("no disk in /sys/power/state");
}

/* Whether any serial port has I/O base @port, per /proc/tty/driver/serial. */
static int port_in_use(unsigned int port)
{
	char line[256], want[32];
	FILE *f = fopen("/proc/tty/driver/serial", "re");
	int used = 0;

	if (!f)
		return 1;
	snprintf(want, sizeof(want), "port:%08X ", port);
	while (!used && fgets(line, sizeof(line), f))
		used = strstr(line, want) != NULL;
	fclose(f);
	return used;
}

/* The first of ttyS1..3 with no UART behind it (ttyS0 is the console). */
static int unused_serial(struct serial_struct *ss)
{
	char path[32];
	int i, fd;

	for (i = 1; i <= 3; i++) {
		snprintf(path, sizeof(path), "/dev/ttyS%d", i);
		fd = open(path, O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!ioctl(fd, TIOCGSERIAL, ss) && ss->type == PORT_UNKNOWN && ss->port)
			return fd;
		close(fd);
	}
	return -1;
}

/* Move an unused port's I/O base to a free value and back: TIOCSSERIAL asks the lock. */
static int tiocsserial(void)
{
	struct serial_struct ss, moved;
	unsigned int p;
	int fd = unused_serial(&ss), ok;

	if (fd < 0)
		return broken("no ttyS1..3 without a UART");
	for (p = 0x200; p < 0x400 && port_in_use(p); p += 8)
		;
	moved = ss;
	moved.port = p;
	ok = !ioctl(fd, TIOCSSERIAL, &moved);
	if (ok && ioctl(fd, TIOCSSERIAL, &ss)) {
		close(fd);
		return broken("TIOCSSERIAL could not restore port 0x%x", ss.port);
	}
	close(fd);
	return by_errno(ok, "TIOCSSERIAL");
}

/*
 * Only PERF_SAMPLE_REGS_INTR asks the lock, before the event is created. A
 * software cpu-clock event needs no PMU, which TCG lacks.
 */
static int perf(void)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = 100000,
		.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_REGS_INTR,
		.sample_regs_intr = 1,	/* AX */
		.disabled = 1,
	};
	int fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0UL);

	if (fd >= 0)
		close(fd);
	return by_errno(fd >= 0, "perf_event_open");
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/*
 * Whether the verifier rejected a call to @helper because it has no proto
 * for it: 6.1 says "unknown func NAME#ID", 6.12 "program of this type cannot
 * use helper NAME#ID".
 */
static int log_names(const char *log, const char *helper)
{
	char old[96], new[96];

	snprintf(old, sizeof(old), "unknown func %s#", helper);
	snprintf(new, sizeof(new), "cannot use helper %s#", helper);
	return strstr(log, old) || strstr(log, new);
}

/*
 * A refused bpf_probe_read_kernel may show up as bpf_probe_read: libbpf's
 * own probe for the helper is refused too, so libbpf rewrites the call to
 * the older helper, which the same reason guards.
 */
static int helper_hidden(const char *log, const char *helper, const char *alias)
{
	return log_names(log, helper) || (alias && log_names(log, alias));
}

/* Load (never attach) the one program that calls @helper, then close it. */
static int bpf_helper(const char *prog, const char *helper, const char *alias)
{
	static char log[1 << 16];
	struct op_helpers *skel;
	struct bpf_program *p;
	int err;

	libbpf_set_print(quiet);
	skel = op_helpers__open();
	if (!skel)
		return broken("opening the skeleton: %s", strerror(errno));
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, !strcmp(bpf_program__name(p), prog));
	p = bpf_object__find_program_by_name(skel->obj, prog);
	bpf_program__set_log_buf(p, log, sizeof(log));
	bpf_program__set_log_level(p, 1);
	err = op_helpers__load(skel);
	op_helpers__destroy(skel);
	if (!err)
		return allowed();
	if (err == -EINVAL && helper_hidden(log, helper, alias))
		return refused("verifier: unknown func");
	fprintf(stderr, "%s", log);
	return broken("BPF_PROG_LOAD: %s", strerror(-err));
}

static int bpf_read_kernel(void)
{
	return bpf_helper("read_kernel", "bpf_probe_read_kernel", "bpf_probe_read");
}

static int bpf_write_user(void)
{
	return bpf_helper("write_user", "bpf_probe_write_user", NULL);
}

/* Write @line to @path in one write(); 0 or -errno. */
static int write_line(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line))
		err = -errno;
	close(fd);
	return err;
}

/*
 * Registering a trace kprobe asks KPROBES. vfs_read is on every kernel and
 * never inlined. Opening kprobe_events also asks TRACEFS first.
 */
static int kprobes(void)
{
	const char *ev = "/sys/kernel/tracing/kprobe_events";
	int err = write_line(ev, "p:ratchet_op_probe vfs_read\n");

	if (!err && write_line(ev, "-:ratchet_op_probe\n"))
		return broken("could not remove ratchet_op_probe");
	errno = -err;
	return by_errno(!err, ev);
}

#define XFRM_ID "src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x5a7c4e7"
/* rfc4106 keys are the AES key and a 4-byte salt: 16 + 4 bytes here. */
#define XFRM_KEY "0x00112233445566778899aabbccddeeff01234567"
#define XFRM_ZERO "0x0000000000000000000000000000000000000000"

/*
 * The kernel's own request_module runs modprobe outside the guest's chroot,
 * where there is none, so every module the SA needs is loaded by hand, in
 * order. On 6.1 seqiv also takes the default RNG, and drbg is a module
 * there: without it the add fails with ENOENT. drbg's self-test needs
 * sha512 first, or it fails with a WARN that taints the kernel.
 */
static int xfrm_add(void)
{
	if (system("modprobe -a xfrm_user esp4 gcm ghash_generic ctr seqiv sha512_generic drbg "
		   "2>/dev/null"))
		return -1;
	system("ip xfrm state delete " XFRM_ID " 2>/dev/null");
	return system("ip xfrm state add " XFRM_ID " mode transport "
		      "aead 'rfc4106(gcm(aes))' " XFRM_KEY " 128");
}

/* An ESP SA with a known AEAD key: the dump redacts keys under the lock. */
static int xfrm(void)
{
	char buf[4096];
	size_t n = 0;
	FILE *p;

	if (xfrm_add())
		return broken("ip xfrm state add failed");
	p = popen("ip xfrm state list " XFRM_ID, "re");
	if (p) {
		n = fread(buf, 1, sizeof(buf) - 1, p);
		pclose(p);
	}
	buf[n] = '\0';
	if (system("ip xfrm state delete " XFRM_ID))
		return broken("ip xfrm state delete failed");
	if (strstr(buf, XFRM_KEY))
		return allowed();
	if (strstr(buf, XFRM_ZERO))
		return refused("key redacted");
	return broken("the SA's key is not in ip xfrm state's output");
}

#define MODULE "dummy"
#define SIG_MAGIC "~Module signature appended~\n"
#define MODULE_MAX (1 << 22)

/* This kernel's dummy.ko, decompressed, in a static buffer; NULL if none. */
static char *module_read(size_t *len)
{
	static char img[MODULE_MAX];
	static const char *const ext[] = { "", ".xz", ".zst" };
	static const char *const cat[] = { "cat", "xz -dc", "zstd -dcq" };
	char path[256], cmd[320];
	struct utsname u;
	unsigned int i;
	FILE *p;

	uname(&u);
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(path, sizeof(path), "/lib/modules/%s/kernel/drivers/net/" MODULE ".ko%s",
			 u.release, ext[i]);
		if (access(path, R_OK))
			continue;
		snprintf(cmd, sizeof(cmd), "%s '%s'", cat[i], path);
		p = popen(cmd, "re");
		if (!p)
			return NULL;
		*len = fread(img, 1, sizeof(img), p);
		return pclose(p) == 0 && *len < sizeof(img) ? img : NULL;
	}
	return NULL;
}

/*
 * The length without the appended signature, checking there is one: the
 * file is [module][signature][struct module_signature][magic]. The 12-byte
 * struct (include/linux/module_signature.h) has signer_len and key_id_len
 * at bytes 3 and 4, and a big-endian sig_len at 8.
 */
static int module_unsigned_len(const char *img, size_t len, size_t *stripped)
{
	size_t magic = sizeof(SIG_MAGIC) - 1, cut;
	const unsigned char *ms;

	if (len < magic + 12 || memcmp(img + len - magic, SIG_MAGIC, magic))
		return -1;
	ms = (const unsigned char *)img + len - magic - 12;
	cut = magic + 12 + ms[3] + ms[4] +
	      ((size_t)ms[8] << 24 | ms[9] << 16 | ms[10] << 8 | ms[11]);
	if (cut >= len)
		return -1;
	*stripped = len - cut;
	return 0;
}

/* finit_module needs a file, and refuses one still open for writing. */
static int module_finit(const char *img, size_t len)
{
	char path[] = "/tmp/ratchet-op-XXXXXX";
	int fd = mkstemp(path), ok, err;

	if (fd < 0)
		return -1;
	ok = write(fd, img, len) == (ssize_t)len;
	close(fd);
	fd = ok ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	unlink(path);
	if (fd < 0) {
		errno = EIO;
		return -1;
	}
	ok = !syscall(SYS_finit_module, fd, "", 0);
	err = errno;
	close(fd);
	errno = err;
	return ok ? 0 : -1;
}

/* Load dummy (no dependencies, in both kernels, not loaded in the VM). */
static int load_module(int strip, int finit)
{
	size_t len, unsigned_len;
	char *img = module_read(&len);
	int r;

	if (!access("/sys/module/" MODULE, F_OK))
		return broken(MODULE " is already loaded");
	if (!img)
		return broken("cannot read this kernel's " MODULE " module");
	if (module_unsigned_len(img, len, &unsigned_len))
		return broken(MODULE " has no appended signature");
	if (strip)
		len = unsigned_len;
	if (finit)
		r = module_finit(img, len);
	else
		r = (int)syscall(SYS_init_module, img, len, "");
	if (r)
		return by_errno(0, finit ? "finit_module" : "init_module");
	if (syscall(SYS_delete_module, MODULE, O_NONBLOCK))
		return broken("delete_module: %s", strerror(errno));
	return allowed();
}

static int module_unsigned(void) { return load_module(1, 1); }
static int module_signed(void) { return load_module(0, 1); }
static int module_signed_init(void) { return load_module(0, 0); }

static const struct op {
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
};

#define N_OPS (sizeof(ops) / sizeof(ops[0]))

int main(int argc, char **argv)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; argc == 2 && i < N_OPS; i++) {
		if (strcmp(argv[1], ops[i].name))
			continue;
		op_name = ops[i].name;
		/* Non-root gets EPERM from capability checks: never a verdict. */
		if (geteuid() != 0)
			return broken("must run as root");
		return ops[i].fn();
	}
	fprintf(stderr, "usage: ratchet-op OP\nops:");
	for (i = 0; i < N_OPS; i++)
		fprintf(stderr, " %s", ops[i].name);
	fprintf(stderr, "\n");
	return BROKEN;
}
