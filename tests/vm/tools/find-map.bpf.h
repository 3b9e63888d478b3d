/* SPDX-License-Identifier: GPL-2.0 */
/*
 * find-map.bpf.h - the kernel address of an array map's value, for the
 * red-team tools that write a sealed lock's tables in place (ctxwrite,
 * tailctx). `find_value` (iter/bpf_map, kernel/bpf/map_iter.c) sees every
 * struct bpf_map; the map with id @want is a struct bpf_array, whose value
 * starts at bpf_array.value. The address lands in @found.
 */
#ifndef RATCHET_TOOLS_FIND_MAP_BPF_H
#define RATCHET_TOOLS_FIND_MAP_BPF_H

__u32 want;
__u64 found;

struct bpf_map___tools {
	u32 id;
} __attribute__((preserve_access_index));

struct bpf_array___tools {
	char value[8];
} __attribute__((preserve_access_index));

struct bpf_iter_meta;
struct bpf_iter__bpf_map {
	struct bpf_iter_meta *meta;
	struct bpf_map *map;
};

SEC("iter/bpf_map")
int find_value(struct bpf_iter__bpf_map *ctx)
{
	struct bpf_map___tools *m = (void *)ctx->map;

	if (!m || m->id != want)
		return 0;
	found = (__u64)(unsigned long)m +
		bpf_core_field_offset(struct bpf_array___tools, value);
	return 0;
}

#endif
