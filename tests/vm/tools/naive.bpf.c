// SPDX-License-Identifier: GPL-2.0
/*
 * naive.bpf.c - the "naive lock" every attack test must first beat: what a
 * BPF-LSM enforcer looks like without ratchet's self-protection. While
 * policy[0] == 1, every lockdown reason is refused, decided by a GLOBAL
 * subprogram (replaceable with freplace) reading a writable, mmapable map.
 * A cgroup/sysctl program refuses `kernel.ftrace_enabled = 0`, so that only
 * detaching it (which needs an fd to it) lets that attack through.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EPERM 1

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u32);
} policy SEC(".maps");

/* Global on purpose: freplace can swap it out. */
__attribute__((noinline)) int naive_decide(int what)
{
	__u32 zero = 0, *on = bpf_map_lookup_elem(&policy, &zero);

	/* Uses @what, or clang would not pass it (and leave the ctx in R1). */
	return on && *on == 1 && what != -1 ? -EPERM : 0;
}

SEC("lsm/locked_down")
int BPF_PROG(naive_locked_down, enum lockdown_reason what, int ret)
{
	if (ret)
		return ret;
	/* 6.12 checks the range an LSM program returns: keep it -EPERM or 0. */
	return naive_decide(what) < 0 ? -EPERM : 0;
}

SEC("cgroup/sysctl")
int naive_sysctl(struct bpf_sysctl *ctx)
{
	/* "kernel/ftrace_enabled", compared as words: no .rodata needed. */
	__u64 name[3] = {};
	char val[4] = {};

	if (!ctx->write ||
	    bpf_sysctl_get_name(ctx, (char *)name, sizeof(name), 0) != 21 ||
	    name[0] != *(__u64 *)"kernel/f" ||
	    name[1] != *(__u64 *)"trace_en" ||
	    (name[2] & 0xffffffffffULL) !=
		    (*(__u64 *)"abled\0\0\0" & 0xffffffffffULL))
		return 1;
	if (bpf_sysctl_get_new_value(ctx, val, sizeof(val)) < 0)
		return 0;
	return val[0] != '0';
}
