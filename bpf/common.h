/* SPDX-License-Identifier: GPL-2.0 */
/*
 * common.h - the state and the one decision every enforcing program
 * makes. Included by ratchet.bpf.c only, first; audit.h, next, counts and
 * logs what they decide.
 *
 * Policy lives only in the frozen "state" map: the programs read it, and
 * only ratchet_raise (seal.h) can OR new bits into it. Every program
 * denies with a negative errno or allows with 0; none returns a positive
 * value. Everything here is static: a global function could be replaced
 * with freplace (docs/threat-model.md, "Another BPF program that
 * overrules ratchet").
 */

/* uapi errno values, which the kernel types cannot carry */
#define EPERM	1
#define ENOENT	2
#define EXDEV	18
#define ENOTDIR 20
#define EBUSY	16
#define EINVAL	22
#define ESTALE	116

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ratchet_state);
} state SEC(".maps");

/*
 * What the programs decide by (ratchet.h, struct ratchet_tables): filled
 * and frozen by the CLI before any program is attached; read-only to
 * programs. Until filled it is all zero: no knob name matches, and every
 * kind is unknown, refused while an extra is locked.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, __u32);
	__type(value, struct ratchet_tables);
} tables SEC(".maps");

static __always_inline struct ratchet_state *get_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&state, &zero);
}

static __always_inline const struct ratchet_tables *get_tables(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&tables, &zero);
}

enum verdict { FREE, REPORT, DENY };

/*
 * The one decision: is @slot enforced, reported, or free? Counting and
 * reporting it is record()'s (audit.h).
 */
static __always_inline enum verdict verdict(struct ratchet_state *s, __u32 slot)
{
	__u32 word;
	__u64 bit;

	if (slot >= RATCHET_SLOTS)
		return FREE;
	/*
	 * Clang would drop the masks (it knows the bound) and hoist the
	 * access above the check; barrier_var() keeps a bound the verifier
	 * can follow.
	 */
	barrier_var(slot);
	slot &= RATCHET_SLOTS - 1;
	word = (slot / 64) & (RATCHET_WORDS - 1);
	bit = 1ULL << (slot % 64);
	if (!((s->enforce.w[word] | s->permissive.w[word]) & bit))
		return FREE;
	return s->enforce.w[word] & bit ? DENY : REPORT;
}

/* After the first lock, ratchet's own objects are protected. */
static __always_inline struct ratchet_state *sealed(void)
{
	struct ratchet_state *s = get_state();

	return s && s->pin_dev ? s : 0;
}
