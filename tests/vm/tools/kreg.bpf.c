// SPDX-License-Identifier: GPL-2.0
/*
 * kreg.bpf.c - a kprobe program (kreg_kprobe, attached on
 * security_locked_down) whose global subprogram kreg_sub does nothing,
 * and an extension (kreg_ext, in kregx.bpf.c) that replaces it and writes
 * the context: the kernel function's registers. Used by
 * tests/vm/attacks/rt-kreg.sh.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

__attribute__((noinline)) int kreg_sub(struct pt_regs *ctx)
{
	return ctx ? 0 : 1;
}

SEC("kprobe/security_locked_down")
int kreg_kprobe(struct pt_regs *ctx)
{
	return kreg_sub(ctx);
}
