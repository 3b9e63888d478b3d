// SPDX-License-Identifier: GPL-2.0
/*
 * ext.bpf.c - freplace: a replacement that always allows. The target
 * program and function are set at run time; evil_ext matches a global
 * `int f(int)` (naive_decide), evil_ext_ctx a program's entry `int f(ctx)`,
 * evil_ext_sysctl a cgroup/sysctl program's entry (naive_sysctl,
 * ratchet_sysctl): every write allowed, kernel.ftrace_enabled=0 included.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("freplace")
int evil_ext(int what)
{
	return 0;
}

SEC("freplace")
int evil_ext_ctx(void *ctx)
{
	return 0;
}

SEC("freplace")
int evil_ext_sysctl(struct bpf_sysctl *ctx)
{
	return 1;
}
