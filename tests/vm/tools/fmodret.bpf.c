// SPDX-License-Identifier: GPL-2.0
/*
 * fmodret.bpf.c - fmod_ret on security_locked_down returning a positive
 * value: the LSM chain (ratchet included) never runs, and callers that test
 * `< 0`, such as the verifier's bpf_probe_read_kernel proto, then allow.
 * Only for LOCKDOWN_BPF_READ_KERNEL: callers that test `!= 0` would hand the
 * 1 on (open() of /dev/mem would return it as a struct file pointer).
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

SEC("fmod_ret/security_locked_down")
int BPF_PROG(evil_fmodret, enum lockdown_reason what)
{
	return what == bpf_core_enum_value(enum lockdown_reason,
					   LOCKDOWN_BPF_READ_KERNEL);
}
