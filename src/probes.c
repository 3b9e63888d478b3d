// SPDX-License-Identifier: GPL-2.0
/*
 * probes.c - the harmless probes of `ratchet status --verify`: for each
 * restriction, an attempt that the kernel refuses at the restriction's
 * check, or that fails right after it, having done nothing. verify.c runs
 * each in a child process of its own, marked as probing, so nothing it
 * opened or was granted outlives it.
 *
 * Why each is harmless, per kernel (6.1, 6.12, 7.2), is written beside it
 * and in docs/threat-model.md ("Verifying a lock"). Each returns
 * PR_ALLOWED (past the check), PR_REFUSED (EPERM at it), PR_ERROR (it
 * could not tell) or PR_NONE (no harmless probe here), with words in @msg.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/kexec.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <linux/perf_event.h>
#include <linux/serial.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "probes.h"

/* EPERM is the refusal; the errnos in @past (0-terminated) mean "past". */
static int judge(int ok, int err, const int *past, char *msg, size_t len)
{
	if (ok)
		return PR_ALLOWED;
	if (err == EPERM)
		return PR_REFUSED;
	for (; past && *past; past++)
		if (*past == err) {
			snprintf(msg, len, "failed after the check: %s",
				 strerror(err));
			return PR_ALLOWED;
		}
	snprintf(msg, len, "%s", strerror(err));
	return PR_ERROR;
}

/*
 * judge() of a call that returns 0 or -1, by sys_ok(): a positive result
 * (an fmod_ret program's answer, with nothing done) is EPROTO, and errno
 * is read only after a -1, never left over from an earlier call.
 */
static int judge_rc(long r, const int *past, char *msg, size_t len)
{
	int e = sys_ok(r);

	return judge(!e, -e, past, msg, len);
}

/*
 * Whether @path exists: 1, 0 (ENOENT), or -errno. access() returns the
 * answer of security_inode_permission() as is, so a positive one is an
 * error (EPROTO), not an absence.
 */
static int present(const char *path)
{
	int e = sys_ok(access(path, F_OK));

	return !e ? 1 : e == -ENOENT ? 0 : e;
}

/*
 * PR_NONE saying @path does not exist (@why: what that means), or
 * PR_ERROR if whether it does cannot be told; 0 if it exists.
 */
static int absent(const char *path, const char *why, char *msg, size_t len)
{
	int e = present(path);

	if (e > 0)
		return 0;
	if (e)
		snprintf(msg, len, "%s: %s", path, strerror(-e));
	else
		snprintf(msg, len, "%s does not exist%s", path, why);
	return e ? PR_ERROR : PR_NONE;
}

/*
 * Whether a write asked for @want bytes did them, from sys_pwrite()'s or
 * sys_write()'s result @n; the errno to judge by in *@err (EIO for a
 * count that is not the one asked for: nothing says it was a refusal).
 */
static int did(ssize_t n, ssize_t want, int *err)
{
	*err = n == want ? 0 : n < 0 ? (int)-n : EIO;
	return n == want;
}

/*
 * The integer text file @path starts with: @missing if it cannot be
 * opened, @bad if it does not read as one (src/sysio.c: a faked count
 * does not read as one).
 */
static int int_file(const char *path, int missing, int bad)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), v;
	char buf[32];
	ssize_t n;

	if (fd < 0)
		return missing;
	n = sys_read_text(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 && sscanf(buf, "%d", &v) == 1 ? v : bad;
}

/* Open read-only and close at once (drivers/char/mem.c open_port(),
 * fs/proc/kcore.c open_kcore(): the check is in open). */
static int open_probe(const char *path, char *msg, size_t len)
{
	int fd = absent(path, "", msg, len);

	if (fd)
		return fd;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd >= 0)
		close(fd);
	return judge(fd >= 0, errno, NULL, msg, len);
}

int probe_dev_mem(char *msg, size_t len)
{
	return open_probe("/dev/mem", msg, len);
}

int probe_kcore(char *msg, size_t len)
{
	return open_probe("/proc/kcore", msg, len);
}

/* /dev/efi_test: efi_test_open() checks first and does nothing else. */
int probe_efi_test(char *msg, size_t len)
{
	return open_probe("/dev/efi_test", msg, len);
}

/* ioperm() of port 0x80 (POST codes), released at once; nothing is read
 * or written (arch/x86/kernel/ioport.c ksys_ioperm()). */
int probe_ioport(char *msg, size_t len)
{
	long r = ioperm(0x80, 1, 1);

	if (!r)
		ioperm(0x80, 1, 0);
	return judge_rc(r, NULL, msg, len);
}

/*
 * 6.12 and 7.2 count kexec loads against kernel.kexec_load_limit_reboot
 * before any other check (kexec_load_permitted()): with a limit set, even
 * a refused probe would use one up. 6.1 has no limit.
 */
static bool kexec_limited(char *msg, size_t len)
{
	int v = int_file("/proc/sys/kernel/kexec_load_limit_reboot", -1, 0);

	if (v != -1)
		snprintf(
			msg, len,
			"kernel.kexec_load_limit_reboot is %d: every attempt would use one up",
			v);
	return v != -1;
}

/*
 * kexec_load() for an architecture that is not this one: every check of
 * kexec_load_check() (kernel/kexec.c, 6.1 to 7.2), then EINVAL before
 * anything is read. Never nr_segments 0 with valid flags: that unloads.
 */
int probe_kexec_load(char *msg, size_t len)
{
	static const int past[] = { EINVAL, 0 };
#ifdef __x86_64__
	const unsigned long foreign = KEXEC_ARCH_ARM;
#else
	const unsigned long foreign = KEXEC_ARCH_X86_64;
#endif
	long r;

	if (kexec_limited(msg, len))
		return PR_NONE;
	r = syscall(SYS_kexec_load, 0UL, 0UL, NULL, foreign);
	return judge_rc(r, past, msg, len);
}

/*
 * A regular file of @n junk bytes, open read-only with no writer left:
 * kernel_read_file() wants S_ISREG and takes deny_write_access() before
 * security_kernel_read_file() (fs/kernel_read_file.c, 6.1 to 7.2).
 */
static int junk_file(size_t n)
{
	char path[64], buf[64] = { 0 };
	int fd = memfd_create("ratchet-verify", MFD_CLOEXEC), ro;

	if (fd < 0)
		return -errno;
	if (n > sizeof(buf) || sys_write(fd, buf, n) != (ssize_t)n) {
		close(fd);
		return -EIO;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ro = open(path, O_RDONLY | O_CLOEXEC);
	close(fd);
	return ro < 0 ? -errno : ro;
}

/* kexec_file_load() of junk: read, then refused by the image probe
 * (kimage_file_prepare_segments(), kernel/kexec_file.c). No crash flag,
 * so no loaded crash image is touched. */
int probe_kexec_file(char *msg, size_t len)
{
	static const int past[] = { ENOEXEC, EINVAL, EKEYREJECTED, 0 };
	long r;
	int fd;

	if (kexec_limited(msg, len))
		return PR_NONE;
	if ((fd = junk_file(64)) < 0)
		return judge(0, -fd, NULL, msg, len);
	r = syscall(SYS_kexec_file_load, fd, -1, 1UL, "",
		    (unsigned long)KEXEC_FILE_NO_INITRAMFS);
	close(fd);
	return judge_rc(r, past, msg, len);
}

/* init_module() of 64 junk bytes: a shorter image fails before the hook
 * (copy_module_from_user()); this one fails at the ELF check, after the
 * LSM hook and the signature check (kernel/module/main.c, 6.1 to 7.2). */
int probe_init_module(char *msg, size_t len)
{
	static const int past[] = { ENOEXEC, EKEYREJECTED, EBADMSG, 0 };
	static const char junk[64];

	return judge_rc(syscall(SYS_init_module, junk, sizeof(junk), ""), past,
			msg, len);
}

static int finit(int flags, char *msg, size_t len)
{
	static const int past[] = { ENOEXEC, EKEYREJECTED, EBADMSG,
				    EINVAL,  EOPNOTSUPP,   0 };
	int fd = junk_file(64);
	long r;

	if (fd < 0)
		return judge(0, -fd, NULL, msg, len);
	r = syscall(SYS_finit_module, fd, "", flags);
	close(fd);
	return judge_rc(r, past, msg, len);
}

/* finit_module() of a junk file, as kmod loads an uncompressed module. */
int probe_finit_module(char *msg, size_t len)
{
	return finit(0, msg, len);
}

/* ... and as kmod loads a compressed one: 7.2 reads it as
 * READING_MODULE_COMPRESSED; junk then fails to decompress. */
int probe_finit_compressed(char *msg, size_t len)
{
	return finit(MODULE_INIT_COMPRESSED_FILE, msg, len);
}

/* A kprobe program calling @helper; the verifier asks lockdown for it
 * (bpf_tracing_func_proto(), kernel/trace/bpf_trace.c, 6.1 to 7.2) and
 * hides it when refused. Loaded, never attached, closed at once. */
static int bpf_helper(int helper, const char *name, char *msg, size_t len)
{
	static char log[16384];
	bool rd = helper == BPF_FUNC_probe_read_kernel;
	/* read_kernel(fp-8, 8, NULL) or write_user(NULL, fp-8, 8) */
	struct bpf_insn insns[] = {
		{ .code = BPF_ST | BPF_DW | BPF_MEM, .dst_reg = 10, .off = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X,
		  .dst_reg = 6,
		  .src_reg = 10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K,
		  .dst_reg = 6,
		  .imm = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X,
		  .dst_reg = rd ? 1 : 2,
		  .src_reg = 6 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K,
		  .dst_reg = rd ? 2 : 3,
		  .imm = 8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = rd ? 3 : 1 },
		{ .code = BPF_JMP | BPF_CALL, .imm = helper },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a = {
		.prog_type = BPF_PROG_TYPE_KPROBE,
		.insns = (unsigned long)insns,
		.insn_cnt = sizeof(insns) / sizeof(insns[0]),
		.license = (unsigned long)"GPL",
		.log_buf = (unsigned long)log,
		.log_size = sizeof(log),
		.log_level = 1,
	};
	int fd;

	log[0] = 0;
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd >= 0) {
		close(fd);
		return PR_ALLOWED;
	}
	/* 6.1: "unknown func", 6.12 and 7.2: "cannot use helper". */
	if (errno == EINVAL && strstr(log, name) &&
	    (strstr(log, "unknown func") || strstr(log, "cannot use helper")))
		return PR_REFUSED;
	return judge(0, errno, NULL, msg, len);
}

int probe_bpf_read_kernel(char *msg, size_t len)
{
	return bpf_helper(BPF_FUNC_probe_read_kernel, "probe_read_kernel", msg,
			  len);
}

/* Reads and writes nothing: the program never runs. When allowed, 6.1 to
 * 7.2 log "is installing a program with bpf_probe_write_user". */
int probe_bpf_write_user(char *msg, size_t len)
{
	return bpf_helper(BPF_FUNC_probe_write_user, "probe_write_user", msg,
			  len);
}

/* One byte to an MSR: msr_write() checks lockdown, then refuses any
 * length not a multiple of 8 (arch/x86/kernel/msr.c, 6.1 to 7.2). */
int probe_msr(char *msg, size_t len)
{
	static const int past[] = { EINVAL, 0 };
	const char *path = "/dev/cpu/0/msr";
	char b = 0;
	int fd, ok, err;

	if ((fd = absent(path, " (the msr driver is not loaded)", msg, len)))
		return fd;
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return judge(0, errno, NULL, msg, len);
	ok = did(sys_pwrite(fd, &b, 1, 0x174), 1, &err);
	close(fd);
	return judge(ok, err, past, msg, len);
}

/* The first PCI function under /proc/bus/pci, as "BB/DD.F". */
static bool first_pci(char *path, size_t len)
{
	struct dirent *b, *d;
	DIR *top = opendir("/proc/bus/pci"), *bus;
	bool found = false;

	while (top && !found && (b = readdir(top))) {
		if (b->d_name[0] == '.' || b->d_type != DT_DIR)
			continue;
		snprintf(path, len, "/proc/bus/pci/%s", b->d_name);
		if (!(bus = opendir(path)))
			continue;
		while (!found && (d = readdir(bus)))
			if (d->d_name[0] != '.') {
				snprintf(path, len, "/proc/bus/pci/%.8s/%.16s",
					 b->d_name, d->d_name);
				found = true;
			}
		closedir(bus);
	}
	if (top)
		closedir(top);
	return found;
}

/* A write of no bytes to a device's config space: proc_bus_pci_write()
 * checks lockdown, then returns 0 for an empty write (drivers/pci/proc.c,
 * 6.1 to 7.2). */
int probe_pci_access(char *msg, size_t len)
{
	char path[300], b = 0;
	int fd, ok, err;

	if (!first_pci(path, sizeof(path))) {
		snprintf(msg, len, "no PCI device under /proc/bus/pci");
		return PR_NONE;
	}
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return judge(0, errno, NULL, msg, len);
	ok = did(sys_pwrite(fd, &b, 0, 0), 0, &err);
	close(fd);
	return judge(ok, err, NULL, msg, len);
}

/* A serial port with no hardware behind it (type PORT_UNKNOWN in sysfs):
 * opening it touches no device (uart_port_startup() returns at once). */
static bool idle_serial(char *path, size_t len)
{
	char f[128];
	int i, type;

	for (i = 0; i < 64; i++) {
		snprintf(f, sizeof(f), "/sys/class/tty/ttyS%d/type", i);
		if ((type = int_file(f, -2, -1)) == -2)
			continue;
		snprintf(path, len, "/dev/ttyS%d", i);
		if (type == PORT_UNKNOWN && present(path) > 0)
			return true;
	}
	return false;
}

/* TIOCSSERIAL moving the port with baud_base 1: uart_set_info() checks
 * lockdown for the move, then refuses baud_base < 9600 with EINVAL
 * before changing anything (drivers/tty/serial/serial_core.c, 6.1 to
 * 7.2). A port fixed in place (UPF_FIXED_PORT) never reaches the check. */
int probe_tiocsserial(char *msg, size_t len)
{
	static const int past[] = { EINVAL, 0 };
	struct serial_struct ss;
	char path[64];
	int fd, err;

	if (!idle_serial(path, sizeof(path))) {
		snprintf(msg, len,
			 "no serial port without hardware behind it to probe");
		return PR_NONE;
	}
	fd = open(path, O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	err = fd < 0 ? -errno : sys_ok(ioctl(fd, TIOCGSERIAL, &ss));
	if (err) {
		if (fd >= 0)
			close(fd);
		return judge(0, -err, NULL, msg, len);
	}
	if (ss.flags &
	    (1U << 29) /* UPF_FIXED_PORT, as uart_get_info() copies it */) {
		close(fd);
		snprintf(msg, len, "%s is fixed in place", path);
		return PR_NONE;
	}
	ss.port ^= 0x8;
	ss.baud_base = 1;
	err = sys_ok(ioctl(fd, TIOCSSERIAL, &ss));
	close(fd);
	return judge(!err, -err, past, msg, len);
}

/* @fs mounted at @dir in this process's own mount namespace (it dies
 * with the probe) unless it is mounted there already. */
static int own_mount(const char *fs, const char *dir, const char *file)
{
	char path[256];
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((err = present(path)))
		return err > 0 ? 0 : err;
	if ((err = sys_ok(unshare(CLONE_NEWNS))) ||
	    (err = sys_ok(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))) ||
	    (err = sys_ok(mount(fs, dir, fs, 0, NULL))))
		return err;
	return (err = present(path)) > 0 ? 0 : err ? err : -ENOENT;
}

/* A writable debugfs file opened read-only: debugfs_locked_down() checks
 * its mode at open (fs/debugfs/file.c, 6.1 to 7.2); clear_warn_once acts
 * only when written. */
int probe_debugfs(char *msg, size_t len)
{
	const char *dir = "/sys/kernel/debug";
	int err = own_mount("debugfs", dir, "clear_warn_once");

	if (err) {
		snprintf(msg, len, "no debugfs clear_warn_once: %s",
			 strerror(-err));
		return PR_NONE;
	}
	return open_probe("/sys/kernel/debug/clear_warn_once", msg, len);
}

/* tracefs README: tracing_open_generic() asks lockdown first
 * (tracing_check_open_get_tr(), kernel/trace/trace.c, 6.1 to 7.2). */
int probe_tracefs(char *msg, size_t len)
{
	int err = own_mount("tracefs", "/sys/kernel/tracing", "README");

	if (err) {
		snprintf(msg, len, "no tracefs README: %s", strerror(-err));
		return PR_NONE;
	}
	return open_probe("/sys/kernel/tracing/README", msg, len);
}

static int perf_open(struct perf_event_attr *a, pid_t pid, int cpu,
		     unsigned long flags)
{
	return (int)syscall(SYS_perf_event_open, a, pid, cpu, -1, flags);
}

/* A kprobe perf event at address 1: __register_trace_kprobe() checks
 * lockdown first, then the address fails (ENOENT or EINVAL) and nothing
 * is registered (kernel/trace/trace_kprobe.c, 6.1 to 7.2). */
int probe_kprobes(char *msg, size_t len)
{
	static const int past[] = { ENOENT, EINVAL, EILSEQ, 0 };
	struct perf_event_attr a = { .size = sizeof(a) };
	int type = int_file("/sys/bus/event_source/devices/kprobe/type", -1,
			    -1),
	    fd;

	if (type < 0) {
		snprintf(msg, len, "no kprobe PMU");
		return PR_NONE;
	}
	a.type = (__u32)type;
	a.config2 = 1; /* kprobe_addr, with no kprobe_func */
	fd = perf_open(&a, -1, 0, PERF_FLAG_FD_CLOEXEC);
	if (fd >= 0)
		close(fd);
	return judge(fd >= 0, errno, past, msg, len);
}

/* PERF_SAMPLE_REGS_INTR with PERF_FLAG_PID_CGROUP and pid -1: lockdown
 * first, then EINVAL before any event exists (perf_event_open(),
 * kernel/events/core.c, 6.1 to 7.2). */
int probe_perf(char *msg, size_t len)
{
	static const int past[] = { EINVAL, 0 };
	struct perf_event_attr a = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(a),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_period = 100000,
		.sample_type = PERF_SAMPLE_REGS_INTR,
		.sample_regs_intr = 1,
		.disabled = 1,
	};
	int fd = perf_open(&a, -1, 0, PERF_FLAG_PID_CGROUP);

	if (fd >= 0)
		close(fd);
	return judge(fd >= 0, errno, past, msg, len);
}

/* A read of /sys/power/state: state_show() offers "disk" only if
 * hibernation_available() (kernel/power/main.c, 6.1 to 7.2). A query. */
int probe_hibernation(char *msg, size_t len)
{
	char buf[256];
	int fd = open("/sys/power/state", O_RDONLY | O_CLOEXEC);
	bool got = fd >= 0 && sys_read_text(fd, buf, sizeof(buf)) > 0;

	if (fd >= 0)
		close(fd);
	if (!got) {
		snprintf(msg, len, "/sys/power/state unreadable");
		return PR_ERROR;
	}
	return strstr(buf, "disk") ? PR_ALLOWED : PR_REFUSED;
}

/* custom_method (6.1 and older): cm_write() checks lockdown, then wants
 * more than a table header (drivers/acpi/custom_method.c). */
int probe_acpi_tables(char *msg, size_t len)
{
	static const int past[] = { EINVAL, 0 };
	const char *path = "/sys/kernel/debug/acpi/custom_method";
	int fd, ok, err;

	if (own_mount("debugfs", "/sys/kernel/debug", "acpi/custom_method")) {
		snprintf(msg, len,
			 "no custom_method (the only check after boot)");
		return PR_NONE;
	}
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return judge(0, errno, NULL, msg, len);
	ok = did(sys_write(fd, "", 1), 1, &err);
	close(fd);
	return judge(ok, err, past, msg, len);
}

/*
 * A raise-only sysctl written its current value at file offset 1:
 * ratchet's cgroup/sysctl program refuses any write at an offset (its
 * allowed_write()); without it the kernel ignores the write in strict
 * mode or stores the same value (proc_first_pos_non_zero_ignore(),
 * kernel/sysctl.c, 6.1 to 7.2).
 */
int probe_sysctl_fd(int fd, const char *path, char *msg, size_t len)
{
	char cur[64] = "";
	ssize_t n;

	n = sys_pread(fd, cur, sizeof(cur) - 1, 0);
	if (n <= 0) {
		close(fd);
		snprintf(msg, len, "%s unreadable", path);
		return PR_ERROR;
	}
	n = sys_pwrite(fd, cur, (size_t)n, 1);
	close(fd);
	return judge(n >= 0, n < 0 ? (int)-n : 0, NULL, msg, len);
}

int probe_sysctl(const char *path, char *msg, size_t len)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(msg, len, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? PR_NONE : PR_ERROR;
	}
	return probe_sysctl_fd(fd, path, msg, len);
}

/* In one SA of a dump: 1 a key shown, 0 only zeroed keys, -1 none. */
static int sa_keys(const struct nlmsghdr *h)
{
	const struct xfrm_usersa_info *sa = NLMSG_DATA(h);
	const struct nlattr *a = (const void *)(sa + 1);
	int left = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(*sa)), got = -1;

	for (; left >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       a->nla_len <= left;
	     left -= NLA_ALIGN(a->nla_len),
	     a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		const struct xfrm_algo *al = (const void *)(a + 1);
		unsigned int i, n;

		if ((a->nla_type != XFRMA_ALG_AUTH &&
		     a->nla_type != XFRMA_ALG_CRYPT) ||
		    a->nla_len < sizeof(*a) + sizeof(*al))
			continue;
		n = (al->alg_key_len + 7) / 8;
		if (!n || sizeof(*a) + sizeof(*al) + n > a->nla_len)
			continue;
		got = got < 0 ? 0 : got;
		for (i = 0; i < n; i++)
			got |= al->alg_key[i] != 0;
	}
	return got;
}

/* Dump every SA: 1 a key shown, 0 keys only zeroed, 2 no key, -errno. */
static int xfrm_dump(int s)
{
	struct {
		struct nlmsghdr h;
		struct xfrm_usersa_info sa;
	} req = { .h = { .nlmsg_len = sizeof(req),
			 .nlmsg_type = XFRM_MSG_GETSA,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP } };
	static char buf[65536];
	struct nlmsghdr *h;
	int seen = -1, k;
	ssize_t n;

	if (send(s, &req, sizeof(req), 0) < 0)
		return -errno;
	while ((n = sys_recv(s, buf, sizeof(buf), 0)) > 0)
		for (h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return seen < 0 ? 2 : seen;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -EIO;
			if (h->nlmsg_type == XFRM_MSG_NEWSA &&
			    (k = sa_keys(h)) >= 0)
				seen = seen < 0 ? k : seen | k;
		}
	return n < 0 ? -errno : seen < 0 ? 2 : seen;
}

/* The keys of IPsec SAs in a dump: xfrm_user zeroes them when lockdown
 * says so (xfrm_redact(), net/xfrm/xfrm_user.c, 6.1 to 7.2). Only SAs
 * the machine already has: adding one would change it. */
int probe_xfrm(char *msg, size_t len)
{
	int s, r;

	if ((r = absent("/sys/module/xfrm_user", ": no IPsec SA to dump", msg,
			len)))
		return r;
	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
	if (s < 0)
		return judge(0, errno, NULL, msg, len);
	r = xfrm_dump(s);
	close(s);
	if (r < 0)
		return judge(0, -r, NULL, msg, len);
	if (r == 2) {
		snprintf(msg, len, "no IPsec SA with a key to dump");
		return PR_NONE;
	}
	return r ? PR_ALLOWED : PR_REFUSED;
}
