// SPDX-License-Identifier: GPL-2.0
/*
 * uregs.bpf.c - a uprobe program that writes its context: the user
 * registers of the probed process. 7.2 lets uprobe programs change them
 * (kprobe_prog_is_valid_access() accepts BPF_WRITE and sets
 * aux->kprobe_write_ctx; __perf_event_set_bpf_prog() refuses it only on
 * kprobes), with no lockdown check. On libc's _exit() of a process named
 * rt-false it sets the first argument, the exit status, to 0: root
 * rewrites another process's execution with BPF after bpf-write-user was
 * locked (tests/vm/attacks/rt-uregs.sh). 6.1 and 6.12 refuse the write
 * in the verifier.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("uprobe")
int uregs_exit(struct pt_regs *ctx)
{
	char c[16] = {};

	bpf_get_current_comm(c, sizeof(c));
	if (c[0] == 'r' && c[1] == 't' && c[2] == '-' && c[3] == 'f' &&
	    c[4] == 'a' && c[5] == 'l' && c[6] == 's' && c[7] == 'e' && !c[8])
		ctx->di = 0;
	return 0;
}
