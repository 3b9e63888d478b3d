// SPDX-License-Identifier: GPL-2.0
/*
 * mapzero.bpf.c - write zeros over element 0 of any array map from BPF.
 * BPF_MAP_FREEZE only stops writes from the syscall side: a program that
 * was handed the map's fd can still write its values.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* Replaced with the victim's fd (bpf_map__reuse_fd) before loading. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} victim SEC(".maps");

const volatile __u32 words = 1; /* value_size / 4 */

SEC("syscall")
int zero_victim(void *ctx)
{
	__u32 zero = 0, *v = bpf_map_lookup_elem(&victim, &zero);
	int i;

	if (!v)
		return -2;
	for (i = 0; i < 1024; i++) {
		if (i >= words)
			break;
		v[i] = 0;
	}
	return 0;
}
