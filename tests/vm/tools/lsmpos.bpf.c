// SPDX-License-Identifier: GPL-2.0
/*
 * lsmpos.bpf.c - a newer LSM program on locked_down returning 1: on 6.1 it
 * runs first and a non-zero verdict ends the chain, so callers that test
 * `< 0` allow. 6.12's verifier refuses positive LSM returns. Only for
 * LOCKDOWN_BPF_READ_KERNEL, for the same reason as fmodret.bpf.c.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

SEC("lsm/locked_down")
int BPF_PROG(evil_lsm, enum lockdown_reason what, int ret)
{
	if (what ==
	    bpf_core_enum_value(enum lockdown_reason, LOCKDOWN_BPF_READ_KERNEL))
		return 1;
	return ret;
}
