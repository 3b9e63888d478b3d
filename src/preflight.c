// SPDX-License-Identifier: GPL-2.0
/*
 * preflight.c - what must hold before `lock` or `apply` touches the
 * kernel: a kernel that can enforce at all (exit 3 otherwise) and no
 * kexec reboot image that a kexec lock would leave bootable. Shared by
 * lock.c and apply.c; the unit tests hold kexec_guard_loaded.
 */
#include <errno.h>
#include <stdio.h>
#include "cli.h"

/* Every hook ratchet attaches to, with the parameters it reads (BTF). */
static int hooks_preflight(void)
{
	struct hook_proto h[HOOKS_MAX];
	const struct hook_proto *bad;
	const struct btf *btf = kernel_btf();

	if (!btf)
		return EXIT_OK; /* lock_preflight has said so already */
	features_hooks(btf, h, HOOKS_MAX, &bad);
	if (!bad)
		return EXIT_OK;
	if (bad->status == -ENOENT)
		fprintf(stderr,
			"ratchet: cannot lock: this kernel has no LSM hook %s "
			"(no bpf_lsm_%s in its BTF); fix: boot a kernel that has it\n",
			bad->hook, bad->hook);
	else
		fprintf(stderr,
			"ratchet: cannot lock: this kernel's LSM hook %s takes (%s) "
			"where ratchet reads (%s); fix: use a ratchet that knows this "
			"kernel's prototype (report it with ratchet status --json)\n",
			bad->hook, bad->params, bad->reads);
	return EXIT_KERNEL;
}

/* Exit 3 cases: the kernel cannot enforce anything, whatever we do. */
int lock_preflight(const struct catalogue *c)
{
	const char *why, *fix;
	struct posture p;

	posture_read(&p);
	if (!posture_check(&p, &why, &fix) && !c->btf) {
		why = "the kernel's BTF has no enum lockdown_reason";
		fix = "boot a kernel built with CONFIG_DEBUG_INFO_BTF=y and CONFIG_SECURITY";
	}
	if (!why)
		return hooks_preflight();
	fprintf(stderr, "ratchet: cannot lock: %s; fix: %s\n", why, fix);
	return EXIT_KERNEL;
}

/*
 * reboot(LINUX_REBOOT_CMD_KEXEC) has no LSM hook: a reboot image loaded
 * before kexec is locked stays bootable after it. A crash image is only
 * run by a panic, which is the point of loading it first, so it is fine.
 * @kexec_loaded is sysfs kernel/kexec_loaded read from a fresh instance
 * (kfs.c): 1, 0, -1 (no such file, and the kernel's BTF has no kexec: no
 * image) or -2 (unreadable, or missing from a kernel that has kexec:
 * refused, as whether an image is loaded is unknown; posture.c).
 */
int kexec_guard_loaded(const struct ratchet_mask *m, const struct catalogue *c,
		       bool allow_loaded, int kexec_loaded, const char **why)
{
	*why = NULL;
	if (allow_loaded || kexec_loaded == 0 || kexec_loaded == -1 ||
	    (!catalogue_mask_has(c, m, "kexec") &&
	     !catalogue_mask_has(c, m, "kexec-image")))
		return 0;
	if (kexec_loaded != 1) {
		*why = "cannot read kernel/kexec_loaded from a fresh sysfs "
		       "instance, so whether a kexec reboot image is loaded is "
		       "unknown. Run as root where sysfs can be mounted";
		return -EBUSY;
	}
	*why = "a kexec reboot image is loaded (/sys/kernel/kexec_loaded is 1), "
	       "and reboot(LINUX_REBOOT_CMD_KEXEC) has no LSM hook: locking kexec "
	       "would leave that image bootable. Unload it with 'kexec -u' first "
	       "(a loaded crash image is fine)";
	return -EBUSY;
}

int kexec_guard(const struct ratchet_mask *m, const struct catalogue *c,
		bool allow_loaded, const char **why)
{
	return kexec_guard_loaded(
		m, c, allow_loaded,
		kfs_fact("sysfs", "kernel/kexec_loaded", FACT_KEXEC), why);
}
