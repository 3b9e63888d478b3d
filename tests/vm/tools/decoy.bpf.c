// SPDX-License-Identifier: GPL-2.0
/*
 * decoy.bpf.c - harmless-looking first targets for an freplace program,
 * each with a global `int f(int)` like naive_decide: an LSM program on a
 * hook no lock uses, and an XDP program. An extension loaded against one
 * can later be attached to another program (BPF_LINK_CREATE with a
 * target), as long as that one has the first target's type.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

__attribute__((noinline)) int decoy_decide(int what)
{
	return what == -1 ? -1 : 0;
}

SEC("lsm/file_open")
int BPF_PROG(decoy_lsm, struct file *file)
{
	return decoy_decide(0) < 0 ? -1 : 0;
}

__attribute__((noinline)) int xdp_decide(int what)
{
	return what == -1 ? -1 : 0;
}

SEC("xdp")
int decoy_xdp(void *ctx)
{
	return xdp_decide(0) < 0 ? 1 : 2;
}
