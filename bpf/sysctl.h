/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysctl.h - raise-only sysctls, and kernel.ftrace_enabled pinned to 1
 * (it would switch every BPF trampoline, so every LSM program, off).
 *
 * docs/threat-model.md: "ftrace". Tests: tests/vm/cases/sysctl.sh,
 * tests/vm/attacks/ftrace-enabled.sh.
 */

/* The index of knob @name in the tables (struct ratchet_tables), or -1. */
static __always_inline int knob_index(const struct ratchet_tables *t,
				      const char *name)
{
	int k, i;

	for (k = 0; k < RATCHET_SYSCTL_END; k++)
		for (i = 0; i < RATCHET_SYSCTL_NAME_MAX; i++) {
			if (name[i] != t->sysctl_names[k][i])
				break;
			if (!name[i])
				return k;
		}
	return -1;
}

/* unprivileged_bpf_disabled: 1 is final, 2 can still be undone by root. */
static __always_inline long unpriv_rank(long v)
{
	return v == 1 ? 2 : v == 2 ? 1 : v;
}

/* kernel.sysrq: 1 means every function. */
static __always_inline __u64 sysrq_bits(long v)
{
	return v == 1 ? ~0ULL : (__u64)v;
}

static __always_inline int stricter(__u8 rule, long cur, long new)
{
	switch (rule) {
	case RATCHET_RULE_HIGHER:
		return new >= cur;
	case RATCHET_RULE_UNPRIV:
		return unpriv_rank(new) >= unpriv_rank(cur);
	case RATCHET_RULE_SUBSET:
		return !(sysrq_bits(new) & ~sysrq_bits(cur));
	case RATCHET_RULE_ONE:
		return new == 1;
	case RATCHET_RULE_NONE:
	default:
		return 0;
	}
}

/*
 * Is this write to knob @k a move in its stricter direction? A write at
 * an offset, a value too long to read, or one that does not parse is not.
 */
static __always_inline int allowed_write(struct bpf_sysctl *ctx,
					 const struct ratchet_tables *t, int k)
{
	char cur[24] = {}, new[24] = {};
	long c = 0, n = 0;

	if (ctx->file_pos ||
	    bpf_sysctl_get_current_value(ctx, cur, sizeof(cur)) < 0 ||
	    bpf_sysctl_get_new_value(ctx, new, sizeof(new)) < 0 ||
	    bpf_strtol(cur, sizeof(cur), 0, &c) <= 0 ||
	    bpf_strtol(new, sizeof(new), 0, &n) <= 0)
		return 0;
	barrier_var(k);
	if (k < 0 || k >= RATCHET_SYSCTL_END)
		return 0;
	return stricter(t->sysctl_rules[k], c, n);
}

/*
 * Raise-only sysctls. kernel.ftrace_enabled=0 would switch every BPF
 * trampoline off at once, so once sealed it is pinned to 1 whatever was
 * locked. cgroup/sysctl programs allow with 1 and deny with 0: that is
 * their ABI, not a positive LSM verdict.
 */
SEC("cgroup/sysctl")
int ratchet_sysctl(struct bpf_sysctl *ctx)
{
	char name[RATCHET_SYSCTL_NAME_MAX] = {};
	const struct ratchet_tables *t;
	struct ratchet_state *s;
	__u32 slot = RATCHET_SLOT_SELF;
	enum verdict v = DENY;
	int k;

	if (!ctx->write || !(s = sealed()) || !(t = get_tables()))
		return 1;
	/*
	 * Not a knob of ours: allowed. bpf_sysctl_get_name fails with
	 * -E2BIG (strscpy) for a name longer than the buffer, and every
	 * knob's name fits in it (ratchet.h checks that at compile time);
	 * its -EINVAL needs a NULL buffer or table header, which neither we
	 * nor proc_sys_call_handler pass (kernel/bpf/cgroup.c, 6.1 to 7.2).
	 */
	if (bpf_sysctl_get_name(ctx, name, sizeof(name), 0) < 0 ||
	    (k = knob_index(t, name)) < 0)
		return 1;
	if (k != RATCHET_SYSCTL_FTRACE_ENABLED) {
		if (!(s->sysctls & (1ULL << (k & 63))))
			return 1;
		slot = RATCHET_SLOT_SYSCTL;
	}
	if (allowed_write(ctx, t, k))
		return 1;
	if (slot != RATCHET_SLOT_SELF && (v = verdict(s, slot)) == FREE)
		return 1;
	/* No task to read here: the event names no parent or executable. */
	record(s, slot, RATCHET_DETAIL_SYSCTL_WRITE, k, v == DENY, false);
	return v != DENY;
}
