// SPDX-License-Identifier: GPL-2.0
/*
 * kregx.bpf.c - the extension of kreg.bpf.c's kreg_sub: in a process
 * named rt-devmem it sets the first argument of security_locked_down()
 * (the lockdown reason) to 0, LOCKDOWN_NONE, before any LSM sees it.
 * 7.2's uprobe programs may write their context (kprobe_write_ctx); an
 * extension of a kprobe program could carry that to a kernel function
 * unless the kernel refuses it (bpf_tracing_prog_attach(), "Fix abuse of
 * kprobe_write_ctx via freplace"). Used by tests/vm/attacks/rt-kreg.sh.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("freplace/kreg_sub")
int kreg_ext(struct pt_regs *ctx)
{
	char c[16] = {};

	bpf_get_current_comm(c, sizeof(c));
	if (c[0] == 'r' && c[1] == 't' && c[2] == '-' && c[3] == 'd' &&
	    c[4] == 'e' && c[5] == 'v' && c[6] == 'm' && c[7] == 'e' &&
	    c[8] == 'm' && !c[9])
		ctx->di = 0;
	return 0;
}

/* The control: the same extension without the write. */
SEC("freplace/kreg_sub")
int kreg_ext_ro(struct pt_regs *ctx)
{
	return 0;
}
