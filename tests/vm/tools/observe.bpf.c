// SPDX-License-Identifier: GPL-2.0
/*
 * observe.bpf.c - the observability that must survive a lock: kprobe,
 * tracepoint and fentry programs that only count (no probe_read helpers,
 * so bpf-read-kernel being locked does not matter).
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void hit(__u32 i)
{
	__u64 *n = bpf_map_lookup_elem(&hits, &i);

	if (n)
		__sync_fetch_and_add(n, 1);
}

SEC("kprobe/__x64_sys_getpid")
int BPF_KPROBE(obs_kprobe)
{
	hit(0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int obs_tracepoint(void *ctx)
{
	hit(1);
	return 0;
}

/* vfs_open: do_filp_open became do_file_open in 7.x */
SEC("fentry/vfs_open")
int BPF_PROG(obs_fentry)
{
	hit(2);
	return 0;
}
