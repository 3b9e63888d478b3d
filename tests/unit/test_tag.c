// SPDX-License-Identifier: GPL-2.0
/*
 * test_tag.c - program tags as the kernel computes them: two programs whose
 * tags were read back from each suite kernel (bpf_prog_info.tag, seen in
 * QEMU guests of Debian's 6.1.0-56, 6.12.117 and 7.2.13), SHA-1 for 6.x and
 * SHA-256 for 7.2 chosen from the kernels' own BTF, and map fds and value
 * offsets left out of the hash as bpf_prog_calc_tag() leaves them out.
 */
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <linux/bpf.h>
#include "cli.h"
#include "check.h"

#define I(c, d, s, o, i)                                                       \
	((struct bpf_insn){ .code = (c),                                       \
			    .dst_reg = (d),                                    \
			    .src_reg = (s),                                    \
			    .off = (o),                                        \
			    .imm = (i) })

/* r0 = 0; exit */
static const struct bpf_insn ret0[] = {
	I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
	I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};

/* A map lookup by fd, then a map value load at offset @off, fd @fd. */
static void maps_prog(struct bpf_insn *p, int fd, int off)
{
	const struct bpf_insn m[] = {
		I(BPF_ST | BPF_W | BPF_MEM, 10, 0, -4, 0),
		I(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_FD, 0, fd),
		I(0, 0, 0, 0, 0),
		I(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0),
		I(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4),
		I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		I(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_VALUE, 0, fd),
		I(0, 0, 0, 0, off),
		I(BPF_LDX | BPF_W | BPF_MEM, 0, 1, 0, 0),
		I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
		I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};

	memcpy(p, m, sizeof(m));
}

#define MAPS_LEN 11

static int tag_is(const struct bpf_insn *p, size_t n, enum tag_hash h,
		  const char *want, char got[2 * TAG_LEN + 1])
{
	__u8 tag[TAG_LEN];

	if (tag_compute(p, n, h, tag))
		return 0;
	return !strcmp(tag_str(tag, got), want);
}

static void known_tags(void)
{
	struct bpf_insn p[MAPS_LEN], q[MAPS_LEN];
	char got[2 * TAG_LEN + 1];

	CHECK(tag_is(ret0, 2, TAG_SHA1, "a04f5eef06a7f555", got),
	      "tag: r0=0;exit is 6.1's and 6.12's a04f5eef06a7f555 (%s)", got);
	CHECK(tag_is(ret0, 2, TAG_SHA256, "59f4a931744dcdc6", got),
	      "tag: r0=0;exit is 7.2's 59f4a931744dcdc6 (%s)", got);
	/* The guests' map fd was 3 and the value offset 4. */
	maps_prog(p, 3, 4);
	CHECK(tag_is(p, MAPS_LEN, TAG_SHA1, "a3314534887a243b", got),
	      "tag: the map program is 6.x's a3314534887a243b (%s)", got);
	CHECK(tag_is(p, MAPS_LEN, TAG_SHA256, "171d83ac7b3ce894", got),
	      "tag: the map program is 7.2's 171d83ac7b3ce894 (%s)", got);
	maps_prog(q, 41, 900);
	CHECK(tag_is(q, MAPS_LEN, TAG_SHA256, "171d83ac7b3ce894", got),
	      "tag: another map fd and value offset give the same tag");
	q[9].imm = 1;
	CHECK(!tag_is(q, MAPS_LEN, TAG_SHA256, "171d83ac7b3ce894", got),
	      "tag: r0=1 instead of r0=0 gives another tag (%s)", got);
}

static void hash_of(const char *k, enum tag_hash want)
{
	char path[128];
	struct btf *btf;

	snprintf(path, sizeof(path), "build/vm/btf-%s/vmlinux.btf", k);
	if (access(path, R_OK)) {
		printf("SKIP tag %s: %s not fetched\n", k, path);
		return;
	}
	btf = btf__parse(path, NULL);
	CHECK(btf && tag_hash_of(btf) == want, "tag %s: its BTF says %s", k,
	      want == TAG_SHA256 ? "SHA-256" : "SHA-1");
	btf__free(btf);
}

int main(void)
{
	known_tags();
	hash_of("6.1", TAG_SHA1);
	hash_of("6.12", TAG_SHA1);
	hash_of("7.2", TAG_SHA256);
	return check_failed ? 1 : 0;
}
