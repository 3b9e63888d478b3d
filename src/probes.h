/* SPDX-License-Identifier: GPL-2.0 */
/* probes.h - the harmless probes of `ratchet status --verify` (probes.c). */
#ifndef RATCHET_PROBES_H
#define RATCHET_PROBES_H
#include <stdbool.h>
#include <stddef.h>
#include "sysio.h"

enum probe_result { PR_ALLOWED, PR_REFUSED, PR_ERROR, PR_NONE };

typedef int (*probe_fn)(char *msg, size_t len);

int probe_dev_mem(char *msg, size_t len);
int probe_kcore(char *msg, size_t len);
int probe_efi_test(char *msg, size_t len);
int probe_ioport(char *msg, size_t len);
int probe_kexec_load(char *msg, size_t len);
int probe_kexec_file(char *msg, size_t len);
int probe_init_module(char *msg, size_t len);
int probe_finit_module(char *msg, size_t len);
int probe_finit_compressed(char *msg, size_t len);
int probe_bpf_read_kernel(char *msg, size_t len);
int probe_bpf_write_user(char *msg, size_t len);
int probe_msr(char *msg, size_t len);
int probe_pci_access(char *msg, size_t len);
int probe_tiocsserial(char *msg, size_t len);
int probe_debugfs(char *msg, size_t len);
int probe_tracefs(char *msg, size_t len);
int probe_kprobes(char *msg, size_t len);
int probe_perf(char *msg, size_t len);
int probe_hibernation(char *msg, size_t len);
int probe_acpi_tables(char *msg, size_t len);
int probe_xfrm(char *msg, size_t len);
int probe_sysctl(const char *path, char *msg, size_t len);
int probe_sysctl_fd(int fd, const char *path, char *msg, size_t len);

#endif
