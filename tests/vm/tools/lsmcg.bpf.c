// SPDX-License-Identifier: GPL-2.0
/*
 * lsmcg.bpf.c - an lsm_cgroup program on locked_down that sets the hook's
 * return value to 1 with bpf_set_retval() for LOCKDOWN_BPF_READ_KERNEL: the
 * cgroup shim returns it, the trampoline ends the chain on a non-zero
 * value, and callers that test `< 0` allow (as fmodret.bpf.c). The
 * verifier bounds what an lsm_cgroup program returns (0 or 1); only 7.2's
 * bounds what it sets. agent_lsmcg only refuses (returns 0: -EPERM), for
 * a reason that never occurs; evil_lsmcg_open is on file_open and allows.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

SEC("lsm_cgroup/locked_down")
int BPF_PROG(evil_lsmcg, enum lockdown_reason what)
{
	if (what ==
	    bpf_core_enum_value(enum lockdown_reason, LOCKDOWN_BPF_READ_KERNEL))
		bpf_set_retval(1);
	return 1;
}

SEC("lsm_cgroup/file_open")
int BPF_PROG(evil_lsmcg_open, struct file *file)
{
	return 1;
}

SEC("lsm_cgroup/locked_down")
int BPF_PROG(agent_lsmcg, enum lockdown_reason what)
{
	return (int)what == -1 ? 0 : 1;
}
