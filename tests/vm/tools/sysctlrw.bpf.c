// SPDX-License-Identifier: GPL-2.0
/*
 * sysctlrw.bpf.c - a cgroup/sysctl program that rewrites every write to
 * kernel.ftrace_enabled into "0": attached after a guard at the cgroup
 * root, it runs after it and bpf_sysctl_set_new_value() decides what the
 * kernel stores (the guard saw "1" and allowed). evil_allow only allows:
 * a benign program for links made before a lock.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* "kernel/ftrace_enabled", compared as words: no .rodata needed. */
static __always_inline int is_ftrace_enabled(struct bpf_sysctl *ctx)
{
	__u64 name[3] = {};

	return bpf_sysctl_get_name(ctx, (char *)name, sizeof(name), 0) == 21 &&
	       name[0] == *(__u64 *)"kernel/f" &&
	       name[1] == *(__u64 *)"trace_en" &&
	       (name[2] & 0xffffffffffULL) ==
		       (*(__u64 *)"abled\0\0\0" & 0xffffffffffULL);
}

SEC("cgroup/sysctl")
int evil_sysctl(struct bpf_sysctl *ctx)
{
	char zero[2] = { '0', '\n' };

	if (ctx->write && is_ftrace_enabled(ctx))
		bpf_sysctl_set_new_value(ctx, zero, sizeof(zero));
	return 1;
}

SEC("cgroup/sysctl")
int evil_allow(struct bpf_sysctl *ctx)
{
	return 1;
}
