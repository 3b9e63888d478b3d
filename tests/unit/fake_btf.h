/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fake_btf.h - enum lockdown_reason as real kernels laid it out, for tests
 * that must not depend on the machine's own kernel: 5.16 (no DEVICE_TREE,
 * KCORE 18), 6.1.0 (DEVICE_TREE at 10, KCORE 21) and a future kernel with
 * reasons this ratchet has never heard of.
 */
#ifndef RATCHET_FAKE_BTF_H
#define RATCHET_FAKE_BTF_H
#include <stdio.h>
#include <bpf/btf.h>

static const char *const __attribute__((unused)) v516[] = {
	"NONE",
	"MODULE_SIGNATURE",
	"DEV_MEM",
	"EFI_TEST",
	"KEXEC",
	"HIBERNATION",
	"PCI_ACCESS",
	"IOPORT",
	"MSR",
	"ACPI_TABLES",
	"PCMCIA_CIS",
	"TIOCSSERIAL",
	"MODULE_PARAMETERS",
	"MMIOTRACE",
	"DEBUGFS",
	"XMON_WR",
	"BPF_WRITE_USER",
	"INTEGRITY_MAX",
	"KCORE",
	"KPROBES",
	"BPF_READ_KERNEL",
	"PERF",
	"TRACEFS",
	"XMON_RW",
	"XFRM_SECRET",
	"CONFIDENTIALITY_MAX",
	NULL,
};

static const char *const __attribute__((unused)) v61[] = {
	"NONE",
	"MODULE_SIGNATURE",
	"DEV_MEM",
	"EFI_TEST",
	"KEXEC",
	"HIBERNATION",
	"PCI_ACCESS",
	"IOPORT",
	"MSR",
	"ACPI_TABLES",
	"DEVICE_TREE",
	"PCMCIA_CIS",
	"TIOCSSERIAL",
	"MODULE_PARAMETERS",
	"MMIOTRACE",
	"DEBUGFS",
	"XMON_WR",
	"BPF_WRITE_USER",
	"DBG_WRITE_KERNEL",
	"RTAS_ERROR_INJECTION",
	"INTEGRITY_MAX",
	"KCORE",
	"KPROBES",
	"BPF_READ_KERNEL",
	"DBG_READ_KERNEL",
	"PERF",
	"TRACEFS",
	"XMON_RW",
	"XFRM_SECRET",
	"CONFIDENTIALITY_MAX",
	NULL,
};

static const char *const __attribute__((unused)) future[] = {
	"NONE",	 "DEV_MEM",	   "FUTURE_THING",	  "INTEGRITY_MAX",
	"KCORE", "SHINY_NEW_LEAK", "CONFIDENTIALITY_MAX", NULL,
};

/* A BTF holding just enum lockdown_reason, values in list order. */
static inline struct btf *fake_btf(const char *const *names)
{
	struct btf *btf = btf__new_empty();
	char buf[64];
	int i;

	btf__add_enum(btf, "lockdown_reason", 4);
	for (i = 0; names[i]; i++) {
		snprintf(buf, sizeof(buf), "LOCKDOWN_%s", names[i]);
		btf__add_enum_value(btf, buf, i);
	}
	return btf;
}

#endif
