// SPDX-License-Identifier: GPL-2.0
/*
 * posture.c - the kernel's own security posture, read from /sys and /proc.
 * Read-only and unprivileged where the files allow: it must work on any
 * machine, including ones where BPF LSM is unavailable.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

#define EFIVAR_SECUREBOOT                                                      \
	"/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int err = 0;

	buf[0] = '\0';
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		err = -EIO;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return err;
}

/* An integer file, or -1 if it cannot be read. */
int read_int_file(const char *path)
{
	char buf[32];
	int v;

	if (read_line(path, buf, sizeof(buf)) || sscanf(buf, "%d", &v) != 1)
		return -1;
	return v;
}

/* "none [integrity] confidentiality" -> "integrity" */
static void read_lockdown(struct posture *p)
{
	char buf[128], *open, *close;

	p->lockdown[0] = '\0';
	if (read_line("/sys/kernel/security/lockdown", buf, sizeof(buf)))
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
	unsigned char buf[5];
	FILE *f = fopen(EFIVAR_SECUREBOOT, "re");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return n == sizeof(buf) ? buf[4] == 1 : -1;
}

void posture_read(struct posture *p)
{
	memset(p, 0, sizeof(*p));
	read_lockdown(p);
	p->bpf_lsm = -1;
	if (!read_line("/sys/kernel/security/lsm", p->lsm, sizeof(p->lsm)))
		p->bpf_lsm = list_has(p->lsm, "bpf");
	p->btf = access("/sys/kernel/btf/vmlinux", R_OK) == 0;
	p->kexec_load_disabled =
		read_int_file("/proc/sys/kernel/kexec_load_disabled");
	p->modules_disabled =
		read_int_file("/proc/sys/kernel/modules_disabled");
	p->ftrace_enabled = read_int_file("/proc/sys/kernel/ftrace_enabled");
	p->kexec_loaded = read_int_file("/sys/kernel/kexec_loaded");
	p->kexec_crash_loaded = read_int_file("/sys/kernel/kexec_crash_loaded");
	p->efi = access("/sys/firmware/efi", F_OK) == 0;
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
		*why = "cannot read /sys/kernel/security/lsm to tell whether bpf is an active LSM";
		*fix = "mount -t securityfs securityfs /sys/kernel/security";
	} else if (!p->bpf_lsm) {
		*why = "bpf is not an active LSM";
		*fix = "append bpf to lsm= on the kernel command line (see /sys/kernel/security/lsm for the current list) and reboot";
	} else if (!p->btf) {
		*why = "the kernel has no BTF (/sys/kernel/btf/vmlinux)";
		*fix = "boot a kernel built with CONFIG_DEBUG_INFO_BTF=y";
	} else if (p->ftrace_enabled == 0) {
		*why = "kernel.ftrace_enabled is 0, so BPF LSM programs would attach and enforce nothing";
		*fix = "sysctl kernel.ftrace_enabled=1";
	}
	return *why ? -1 : 0;
}
