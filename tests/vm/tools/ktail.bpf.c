// SPDX-License-Identifier: GPL-2.0
/*
 * ktail.bpf.c - a kprobe program that does not write its context
 * (ktail_entry and ktail_return, a kprobe and a kretprobe on
 * security_locked_down) tail-calls one that does (ktail_write: in a process
 * named rt-devmem it sets the first argument, the lockdown reason, and the
 * return value to 0: LOCKDOWN_NONE, allowed). 7.2 lets kprobe-type programs
 * write the context (kprobe_write_ctx, meant for uprobes) and refuses the
 * writer only where a program is attached (__perf_event_set_bpf_prog(),
 * kprobe_multi, freplace); a program array checks type, JIT, attach proto
 * and expected attach type (bpf_prog_map_compatible()), not that flag.
 * Used by tests/vm/attacks/rt-ktail.sh.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type,
	       3); /* BPF_MAP_TYPE_PROG_ARRAY (uapi; bpf/kernel.h lacks it) */
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} jmp SEC(".maps");

__u64 entered, wrote;

SEC("kprobe/security_locked_down")
int ktail_entry(struct pt_regs *ctx)
{
	__sync_fetch_and_add(&entered, 1);
	bpf_tail_call(ctx, &jmp, 0);
	return 0;
}

SEC("kretprobe/security_locked_down")
int ktail_return(struct pt_regs *ctx)
{
	__sync_fetch_and_add(&entered, 1);
	bpf_tail_call(ctx, &jmp, 0);
	return 0;
}

/* The same for kprobe.multi (fprobe), whose attach asks no lockdown. */
struct {
	__uint(type, 3); /* BPF_MAP_TYPE_PROG_ARRAY */
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} jmpm SEC(".maps");

SEC("kretprobe.multi/security_locked_down")
int ktail_mreturn(struct pt_regs *ctx)
{
	__sync_fetch_and_add(&entered, 1);
	bpf_tail_call(ctx, &jmpm, 0);
	return 0;
}

SEC("kprobe.multi")
int ktail_mwrite(struct pt_regs *ctx)
{
	char c[16] = {};

	bpf_get_current_comm(c, sizeof(c));
	if (c[0] == 'r' && c[1] == 't' && c[2] == '-' && c[3] == 'd' &&
	    c[4] == 'e' && c[5] == 'v' && c[6] == 'm' && c[7] == 'e' &&
	    c[8] == 'm' && !c[9]) {
		ctx->ax = 0;
		__sync_fetch_and_add(&wrote, 1);
	}
	return 0;
}

SEC("kprobe")
int ktail_write(struct pt_regs *ctx)
{
	char c[16] = {};

	bpf_get_current_comm(c, sizeof(c));
	if (c[0] == 'r' && c[1] == 't' && c[2] == '-' && c[3] == 'd' &&
	    c[4] == 'e' && c[5] == 'v' && c[6] == 'm' && c[7] == 'e' &&
	    c[8] == 'm' && !c[9]) {
		ctx->di = 0;
		ctx->ax = 0;
		__sync_fetch_and_add(&wrote, 1);
	}
	return 0;
}
