// SPDX-License-Identifier: GPL-2.0
/*
 * tag.c - a BPF program's tag, computed as the kernel computes it.
 *
 * bpf_prog_calc_tag() (kernel/bpf/core.c) hashes the instructions as
 * submitted to BPF_PROG_LOAD, before the verifier rewrites anything
 * (resolve_pseudo_ldimm64() calls it first, kernel/bpf/verifier.c), with
 * the imm of both halves of every ld_imm64 that loads a map by fd
 * (BPF_PSEUDO_MAP_FD) or a map value (BPF_PSEUDO_MAP_VALUE) zeroed, since
 * fds differ from one process to the next. The tag is the first 8 bytes of
 * the digest: SHA-1 in 6.1 and 6.12, SHA-256 from 6.18 on (commit
 * "bpf: Update the bpf_prog_calc_tag to use SHA256", which also made
 * struct bpf_prog's tag the head of a 32-byte digest). Which one a kernel
 * uses is read from its BTF: struct bpf_prog has a member named "digest"
 * exactly when it hashes with SHA-256.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <linux/bpf.h>
#include <openssl/evp.h>
#include "cli.h"

enum tag_hash tag_hash_of(const struct btf *btf)
{
	int id = btf ? btf_find(btf, "bpf_prog", BTF_KIND_STRUCT) : -ENOENT;
	const struct btf_type *t = id < 0 ? NULL : btf__type_by_id(btf, id);
	const struct btf_member *m = t ? btf_members(t) : NULL;
	int i;

	for (i = 0; t && i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);
		const struct btf_type *u;
		int k;

		if (name && !strcmp(name, "digest"))
			return TAG_SHA256;
		/* 7.x: digest and tag share an anonymous union. */
		if (name && *name)
			continue;
		u = btf__type_by_id(btf, m->type);
		for (k = 0; u && btf_is_union(u) && k < btf_vlen(u); k++) {
			name = btf__name_by_offset(btf,
						   btf_members(u)[k].name_off);
			if (name && !strcmp(name, "digest"))
				return TAG_SHA256;
		}
	}
	return TAG_SHA1;
}

static int is_map_ld(const struct bpf_insn *i)
{
	return i->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       (i->src_reg == BPF_PSEUDO_MAP_FD ||
		i->src_reg == BPF_PSEUDO_MAP_VALUE);
}

/* The second half of an ld_imm64, as bpf_prog_calc_tag() recognises it. */
static int is_ld_tail(const struct bpf_insn *i)
{
	return i->code == 0 && i->dst_reg == 0 && i->src_reg == 0 &&
	       i->off == 0;
}

int tag_compute(const struct bpf_insn *insns, size_t n, enum tag_hash h,
		__u8 tag[TAG_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	struct bpf_insn *raw;
	unsigned int mdlen = 0;
	int was_ld_map = 0, ok;
	size_t i;

	if (!n || !(raw = malloc(n * sizeof(*raw))))
		return -ENOMEM;
	memcpy(raw, insns, n * sizeof(*raw));
	for (i = 0; i < n; i++) {
		if (!was_ld_map && is_map_ld(&raw[i])) {
			was_ld_map = 1;
			raw[i].imm = 0;
		} else if (was_ld_map && is_ld_tail(&raw[i])) {
			was_ld_map = 0;
			raw[i].imm = 0;
		} else {
			was_ld_map = 0;
		}
	}
	ok = EVP_Digest(raw, n * sizeof(*raw), md, &mdlen,
			h == TAG_SHA256 ? EVP_sha256() : EVP_sha1(), NULL);
	free(raw);
	if (!ok || mdlen < TAG_LEN)
		return -EINVAL;
	memcpy(tag, md, TAG_LEN);
	return 0;
}

/* "aa5520b1090cfeb6", as bpftool shows a tag. */
const char *tag_str(const __u8 tag[TAG_LEN], char buf[2 * TAG_LEN + 1])
{
	int i;

	for (i = 0; i < TAG_LEN; i++)
		snprintf(buf + 2 * i, 3, "%02x", tag[i]);
	return buf;
}
