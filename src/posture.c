// SPDX-License-Identifier: GPL-2.0
/*
 * posture.c - the kernel's own security posture, read from fresh
 * instances of proc, sysfs and securityfs (kfs.c), never through paths root
 * can cover. Read-only: it must work on any machine, including ones where
 * BPF LSM is unavailable. Reading needs CAP_SYS_ADMIN (fsopen()); without
 * it every fact reads as unknown, never as a value.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "cli.h"

#define EFIVAR_SECUREBOOT                                                      \
	"/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"

/*
 * An integer fact from a fresh instance of @type: its value, -1 if the
 * kernel has no such file, -2 if it could not be read. Any LSM or fmod_ret
 * program can refuse an open or a read with -ENOENT, so that errno is not
 * the kernel's word: "no such file" is believed only of a kernel whose BTF
 * lacks @func, the function built with the file (NULL: every kernel
 * ratchet can run on has it). Red team 16: a refused read of
 * kernel/kexec_loaded passed for a kernel without kexec.
 */
int kfs_fact(const char *type, const char *rel, const char *func)
{
	int v = kfs_read_int(type, rel);
	const struct btf *btf;

	if (v >= 0)
		return v;
	if (v != -ENOENT || !func || !(btf = kernel_btf()))
		return -2;
	return btf_find(btf, func, BTF_KIND_FUNC) < 0 ? -1 : -2;
}

/* "none [integrity] confidentiality" -> "integrity" */
static void read_lockdown(struct posture *p)
{
	char buf[128], *open, *close;

	p->lockdown[0] = '\0';
	if (kfs_read_line("securityfs", "lockdown", buf, sizeof(buf)))
		return;
	open = strchr(buf, '[');
	close = open ? strchr(open, ']') : NULL;
	if (open && close && close - open - 1 < (long)sizeof(p->lockdown)) {
		*close = '\0';
		snprintf(p->lockdown, sizeof(p->lockdown), "%s", open + 1);
	}
}

static int list_has(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *s;

	for (s = list; (s = strstr(s, word)); s += n)
		if ((s == list || s[-1] == ',') && (s[n] == ',' || !s[n]))
			return 1;
	return 0;
}

/* The 5th byte of the SecureBoot variable (after 4 attribute bytes). */
static int read_secure_boot(void)
{
	unsigned char buf[5] = { 0 };
	int fd = open(EFIVAR_SECUREBOOT, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = sys_read(fd, buf, sizeof(buf));
	close(fd);
	return n == sizeof(buf) ? buf[4] == 1 : -1;
}

void posture_read(struct posture *p)
{
	int fd;

	memset(p, 0, sizeof(*p));
	read_lockdown(p);
	p->bpf_lsm = -1;
	if (!kfs_read_line("securityfs", "lsm", p->lsm, sizeof(p->lsm)))
		p->bpf_lsm = list_has(p->lsm, "bpf");
	fd = kfs_open("sysfs", "kernel/btf/vmlinux", O_RDONLY);
	p->btf = fd >= 0;
	if (fd >= 0)
		close(fd);
	p->kexec_load_disabled =
		kfs_fact("proc", "sys/kernel/kexec_load_disabled", FACT_KEXEC);
	p->modules_disabled =
		kfs_fact("proc", "sys/kernel/modules_disabled", FACT_MODULES);
	p->ftrace_enabled = kfs_fact("proc", "sys/kernel/ftrace_enabled", NULL);
	p->kexec_loaded = kfs_fact("sysfs", "kernel/kexec_loaded", FACT_KEXEC);
	p->kexec_crash_loaded =
		kfs_fact("sysfs", "kernel/kexec_crash_loaded", FACT_CRASH);
	fd = kfs_open("sysfs", "firmware/efi", O_RDONLY | O_DIRECTORY);
	p->efi = fd >= 0;
	if (fd >= 0)
		close(fd);
	p->secure_boot = p->efi ? read_secure_boot() : -1;
}

/*
 * Whether BPF LSM enforcement can work on this kernel: 0, or -1 with the
 * cause and the exact fix. Shared by `lock` (refuses) and `status` (tells).
 */
int posture_check(const struct posture *p, const char **why, const char **fix)
{
	*why = *fix = NULL;
	if (p->bpf_lsm < 0) {
		*why = "cannot read the list of active LSMs from a fresh securityfs instance (it needs CAP_SYS_ADMIN and securityfs)";
		*fix = "run as root on a kernel built with CONFIG_SECURITYFS=y";
	} else if (!p->bpf_lsm) {
		*why = "bpf is not an active LSM";
		*fix = "append bpf to lsm= on the kernel command line (see /sys/kernel/security/lsm for the current list) and reboot";
	} else if (!p->btf) {
		*why = "the kernel has no BTF (kernel/btf/vmlinux in a fresh sysfs instance)";
		*fix = "boot a kernel built with CONFIG_DEBUG_INFO_BTF=y";
	} else if (p->ftrace_enabled == 0) {
		*why = "kernel.ftrace_enabled is 0, so BPF LSM programs would attach and enforce nothing";
		*fix = "sysctl kernel.ftrace_enabled=1";
	} else if (p->ftrace_enabled == -2) {
		*why = "cannot read kernel.ftrace_enabled from a fresh proc instance, so whether BPF LSM programs would run is unknown";
		*fix = "run as root, in a mount namespace where proc can be mounted";
	}
	return *why ? -1 : 0;
}
