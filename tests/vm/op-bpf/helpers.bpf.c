// SPDX-License-Identifier: GPL-2.0
/*
 * helpers.bpf.c - two kprobe programs for ratchet-op, each calling one helper
 * that a lockdown reason guards. They are loaded one at a time and never
 * attached: the check happens in the verifier, at load.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* BPF_READ_KERNEL: the verifier hides bpf_probe_read_kernel. */
SEC("kprobe")
int read_kernel(void *ctx)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), ctx);
	return v == 0;
}

/* BPF_WRITE_USER: the verifier hides bpf_probe_write_user. */
SEC("kprobe")
int write_user(void *ctx)
{
	__u64 v = 0;

	bpf_probe_write_user(ctx, &v, sizeof(v));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
