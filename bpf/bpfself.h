/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfself.h - BPF self-protection: no fd to the state map once sealed, no
 * program loaded that could overrule ratchet's, no detach or replace of
 * its sysctl program.
 *
 * docs/threat-model.md: "Detaching or updating a link", "Another BPF
 * program that overrules ratchet", "The state map". Tests
 * (tests/vm/attacks/): getfd, map-write, map-write-bpf, lsm-positive,
 * fmodret, freplace, link-detach.
 */

/* One of the maps ratchet's programs keep their state and events in. */
static __always_inline bool ratchet_map(struct bpf_map *map)
{
	return (void *)map == (void *)&state ||
	       (void *)map == (void *)&event_log ||
	       (void *)map == (void *)&folds || (void *)map == (void *)&marks;
}

/*
 * Freezing stops writes through bpf(2) only: a BPF program holding any fd
 * to the state map, even a read-only one, could still write it. So once
 * sealed no new fd to it is made at all (it has no pin; by id, or through
 * bpf_sys_bpf). One made before sealing shows in its usercnt, which the
 * CLI checks (src/facts.c). ENOENT, not EPERM: listing tools such as
 * bpftool skip a map that has gone and would stop at a refusal.
 */
SEC("lsm/bpf_map")
int BPF_PROG(ratchet_bpf_map, struct bpf_map *map, fmode_t fmode)
{
	struct ratchet_state *s;

	/*
	 * Any other map returns on a few compares: &state is the kernel's
	 * struct bpf_map of this object's state map, the one whose id
	 * ratchet_raise records at sealing; the event log and its helper
	 * maps are refused alike (audit.h: nothing but ratchet's programs
	 * may write, freeze or drain them).
	 */
	if (!ratchet_map(map) || !(s = sealed()))
		return 0;
	deny_self(s, RATCHET_DETAIL_STATE_FD);
	return -ENOENT;
}

/* After sealing, no program that could overrule these may be loaded. */
static __always_inline int overruling_load(union bpf_attr *attr)
{
	__u32 type = attr->prog_type, at = attr->expected_attach_type;

	/*
	 * Another LSM program (a positive return ends the chain on 6.1),
	 * fmod_ret on a security_* function, or freplace. Observability
	 * (kprobe, fentry, tracepoint) and cgroup programs stay available.
	 */
	return type == BPF_PROG_TYPE_LSM || type == BPF_PROG_TYPE_EXT ||
	       (type == BPF_PROG_TYPE_TRACING && at == BPF_MODIFY_RETURN);
}

/*
 * The sysctl program is attached at the cgroup root without a link. It
 * goes away only by a detach of that attach type, or by an attach that
 * replaces it (BPF_F_REPLACE): both are refused once sealed. Refusing fds
 * to the program instead would break every `bpftool prog list`.
 */
static __always_inline int sysctl_unhook(int cmd, union bpf_attr *attr)
{
	if (attr->attach_type != BPF_CGROUP_SYSCTL)
		return 0;
	return cmd == BPF_PROG_DETACH ||
	       (cmd == BPF_PROG_ATTACH && (attr->attach_flags & BPF_F_REPLACE));
}

SEC("lsm/bpf")
int BPF_PROG(ratchet_bpf, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct ratchet_state *s;

	/*
	 * Every bpf(2) command runs this: map lookups and updates, fds by
	 * id, info queries. Only three commands can be refused, so decide
	 * on the command and its (kernel-copied) attr before the state.
	 */
	if (cmd == BPF_PROG_LOAD) {
		if (overruling_load(attr) && (s = sealed()))
			return deny_self(s, RATCHET_DETAIL_BPF_LOAD);
		return 0;
	}
	if ((cmd == BPF_PROG_DETACH || cmd == BPF_PROG_ATTACH) &&
	    sysctl_unhook(cmd, attr) && (s = sealed()))
		return deny_self(s, RATCHET_DETAIL_SYSCTL_DETACH);
	return 0;
}
