/* SPDX-License-Identifier: GPL-2.0 */
/*
 * common.h - the state, the event ring, and the one decision every
 * enforcing program makes. Included by ratchet.bpf.c only, first.
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

/* Denials only: a full ring drops the event, never changes a verdict. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

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

/* What any program type can tell about the current task. */
static __always_inline struct ratchet_event *reserve(struct ratchet_state *s,
						     __u32 slot, __u32 detail,
						     __s32 reason, __u32 denied)
{
	struct ratchet_event *e;
	__u64 id;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&s->drops, 1);
		return 0;
	}
	id = bpf_get_current_pid_tgid();
	e->boot_ns = bpf_ktime_get_boot_ns();
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->pid = (__u32)id;
	e->tgid = id >> 32;
	e->ppid = 0;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->slot = slot;
	e->detail = detail;
	e->reason = reason;
	e->denied = denied;
	e->exe[0] = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

/* LSM programs can also read the task: parent and executable name. */
static __always_inline void emit(struct ratchet_state *s, __u32 slot,
				 __u32 detail, __s32 reason, __u32 denied)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct ratchet_event *e = reserve(s, slot, detail, reason, denied);
	struct file *exe;

	if (!e)
		return;
	e->ppid = task->real_parent->tgid;
	/* Only the name: a full path needs bpf_d_path, not allowed here. */
	exe = task->mm ? task->mm->exe_file : 0;
	if (exe)
		bpf_probe_read_kernel_str(e->exe, sizeof(e->exe),
					  exe->f_path.dentry->d_name.name);
	bpf_ringbuf_submit(e, 0);
}

enum verdict { FREE, REPORT, DENY };

/* The one decision: is @slot enforced, reported, or free? Counts both. */
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
	__sync_fetch_and_add(&s->denials[slot], 1);
	return s->enforce.w[word] & bit ? DENY : REPORT;
}

static __always_inline int decide(__u32 slot, __u32 detail, __s32 reason)
{
	struct ratchet_state *s = get_state();
	enum verdict v;

	/*
	 * Fails open only in form: element 0 of a one-entry array map always
	 * exists (array_map_lookup_elem), so !s never happens; the verifier
	 * just wants the check.
	 */
	if (!s || (v = verdict(s, slot)) == FREE)
		return 0;
	emit(s, slot, detail, reason, v == DENY);
	return v == DENY ? -EPERM : 0;
}

/* A refusal by the self-protection: counted and reported like any other. */
static __always_inline int deny_self(struct ratchet_state *s, __u32 detail)
{
	__sync_fetch_and_add(&s->denials[RATCHET_SLOT_SELF], 1);
	emit(s, RATCHET_SLOT_SELF, detail, -1, 1);
	return -EPERM;
}

/* After the first lock, ratchet's own objects are protected. */
static __always_inline struct ratchet_state *sealed(void)
{
	struct ratchet_state *s = get_state();

	return s && s->pin_dev ? s : 0;
}
