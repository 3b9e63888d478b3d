// SPDX-License-Identifier: GPL-2.0
/*
 * tabiter.bpf.c - a map element iterator that overwrites element 0 of
 * the array map it is attached to with @newval. bpf_iter_attach_map()
 * (kernel/bpf/map_iter.c, 6.1, 6.12 and 7.2) checks the map's type and
 * the access sizes, never BPF_F_RDONLY_PROG nor whether the map is
 * frozen, and the array map hands the iterator the element itself
 * (__bpf_array_map_seq_show(), kernel/bpf/arraymap.c): ctx->value is
 * PTR_TO_BUF, writable (bpf_map_elem_reg_info).
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include "ratchet.h"

char LICENSE[] SEC("license") = "GPL";

#define WORDS (sizeof(struct ratchet_tables) / 8)

__u64 newval[WORDS];
__u64 wrote;

struct bpf_iter_meta;
struct bpf_iter__bpf_map_elem {
	struct bpf_iter_meta *meta;
	struct bpf_map *map;
	void *key;
	void *value;
};

SEC("iter/bpf_map_elem")
int tabiter_write(struct bpf_iter__bpf_map_elem *ctx)
{
	__u64 *v = ctx->value;
	int i;

	if (!v)
		return 0;
#pragma clang loop unroll(full)
	for (i = 0; i < WORDS; i++)
		v[i] = newval[i];
	wrote++;
	return 0;
}
