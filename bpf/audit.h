/* SPDX-License-Identifier: GPL-2.0 */
/*
 * audit.h - counting and logging what the programs decide: the event log
 * that only ratchet writes, folding of repeated attempts, probes marked by
 * `ratchet status --verify`, and reads that only ask (hibernation).
 *
 * docs/threat-model.md: "The audit channel". Tests: tests/vm/cases/
 * events.sh (counters, folding, queries, lost events), verify.sh (probes),
 * tests/vm/attacks/event-log.sh (drain, freeze, forge).
 *
 * The log is an array: a writer takes the next seq from the state and
 * writes slot (seq - 1) % RATCHET_LOG_SIZE; a reader reads through
 * ratchet_read and consumes nothing. Once sealed no fd to any of these
 * maps is ever made (bpfself.h), so nothing but these programs can write,
 * freeze or drain them; a reader that falls behind by a whole log loses
 * the overwritten events, and sees that from the seq.
 */

/*
 * A load the compiler must make, in program order: x86 keeps loads in
 * order, and writers publish with xchg, a full barrier (clang 14 has no
 * BPF atomic load).
 */
#define LOAD_ONCE(x) (*(volatile typeof(x) *)&(x))

/* x86 TS_COMPAT (arch/x86/include/asm/thread_info.h, 6.1 to 7.2): a macro. */
#define TS_COMPAT_X86 0x0002

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RATCHET_LOG_SIZE);
	__type(key, __u32);
	__type(value, struct ratchet_event);
} event_log SEC(".maps");

/* Attempts of one kind from one process and executable. */
struct fold_key {
	__u32 slot, detail;
	__s32 reason;
	__u32 kind; /* denied << 8 | enum ratchet_event_flag */
	__u64 exe;  /* the executable's inode address, 0 if unknown */
	__u32 tgid; /* 0 for probes: every run of status --verify is one */
	__u32 pad;
};

struct fold {
	__u64 window;		 /* RATCHET_FOLD_NS, or RATCHET_FOLD_PROBE_NS */
	__u64 until;		 /* attempts before this are folded */
	__u64 since;		 /* when the window began */
	__u64 pending;		 /* attempts folded since */
	struct ratchet_event ev; /* the event logged, repeated by a summary */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct fold_key);
	__type(value, struct fold);
} folds SEC(".maps");

/* Threads marked by ratchet_mark: pid_tgid -> when. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, __u64);
} marks SEC(".maps");

static __always_inline void copy_event(struct ratchet_event *d,
				       const struct ratchet_event *s)
{
	__u64 *dw = (__u64 *)d;
	const __u64 *sw = (const __u64 *)s;
	int i;

	/* Word by word, skipping seq: the verifier wants constant offsets. */
#pragma clang loop unroll(full)
	for (i = 1; i < sizeof(*d) / 8; i++)
		dw[i] = sw[i];
}

/*
 * Write @src into the next slot of the log as standing for @count
 * attempts; returns its seq. The slot's seq is 0 while it is written, so
 * a reader never takes a half-written event for a whole one.
 */
static __always_inline __u64 log_put(struct ratchet_state *s,
				     const struct ratchet_event *src,
				     __u32 count, __u32 flags, __u64 since,
				     __u64 when)
{
	__u64 seq = __sync_fetch_and_add(&s->events, 1) + 1;
	__u32 i = (__u32)(seq - 1) & (RATCHET_LOG_SIZE - 1);
	struct ratchet_event *e = bpf_map_lookup_elem(&event_log, &i);

	if (!e)
		return seq;
	__atomic_exchange_n(&e->seq, 0, __ATOMIC_SEQ_CST);
	copy_event(e, src);
	e->count = count;
	e->flags = src->flags | flags;
	e->since_ns = since;
	e->boot_ns = when;
	__atomic_exchange_n(&e->seq, seq, __ATOMIC_SEQ_CST);
	return seq;
}

/* Log the attempts folded into @f, if any, as one summary. */
static __always_inline void flush_fold(struct ratchet_state *s, struct fold *f,
				       __u64 now)
{
	__u64 n = __atomic_exchange_n(&f->pending, 0, __ATOMIC_SEQ_CST);

	if (!n)
		return;
	log_put(s, &f->ev, n > 0xffffffffULL ? 0xffffffffU : (__u32)n,
		RATCHET_EVENT_SUMMARY, f->since, now);
	f->since = now;
	f->until = now + f->window;
}

/* Fold an attempt into @f if its window is open; false: log it. */
static __always_inline bool fold_into(struct ratchet_state *s, struct fold *f,
				      __u64 now)
{
	if (now >= f->until && f->pending)
		flush_fold(s, f, now);
	if (now >= f->until)
		return false;
	__sync_fetch_and_add(&f->pending, 1);
	__sync_fetch_and_add(&s->folded, 1);
	return true;
}

/* Marked by ratchet_mark in the last RATCHET_MARK_NS: a probe. */
static __always_inline bool marked(void)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 *at = bpf_map_lookup_elem(&marks, &id);

	return at && bpf_ktime_get_boot_ns() - *at < RATCHET_MARK_NS;
}

/*
 * A check of the query slot reached from a read-like syscall only asks
 * (hibernation_available() from state_show() and disk_show(),
 * kernel/power/, 6.1 to 7.2); every hibernation operation is a write, an
 * open or reboot(2). A kernel thread, a 32-bit syscall (TS_COMPAT: its
 * numbers differ) or a kernel without the fields counts as acting. The
 * query slot (LOCKDOWN_HIBERNATION, from BTF) and the read-like syscall
 * numbers are in the tables map (src/tables.c), not .rodata: a program's
 * tag leaves .rodata offsets out (include/ratchet.h, struct
 * ratchet_tables).
 */
static __always_inline bool is_query(__u32 slot)
{
	const struct ratchet_tables *q = get_tables();
	struct task_struct *t;
	struct pt_regs *r;
	__u64 nr;
	int i;

	if (!q || (__s32)slot != q->query_slot)
		return false;
	t = bpf_get_current_task_btf();
	if (!bpf_core_field_exists(t->thread_info.status) || !t->mm ||
	    (t->thread_info.status & TS_COMPAT_X86))
		return false;
	r = (struct pt_regs *)bpf_task_pt_regs(t);
	nr = r->orig_ax;
#pragma clang loop unroll(full)
	for (i = 0; i < RATCHET_QUERY_NRS; i++)
		if (nr == q->query_nr[i])
			return true;
	return false;
}

/*
 * Count the attempt where it belongs; the event flags, or -1 for a query
 * (counted, never logged).
 */
static __always_inline int count_attempt(struct ratchet_state *s, __u32 slot,
					 bool query)
{
	barrier_var(slot);
	slot &= RATCHET_SLOTS - 1;
	if (query) {
		__sync_fetch_and_add(&s->queries[slot], 1);
		return -1;
	}
	if (marked()) {
		__sync_fetch_and_add(&s->probes[slot], 1);
		return RATCHET_EVENT_PROBE;
	}
	__sync_fetch_and_add(&s->denials[slot], 1);
	return 0;
}

/* What any program type can tell about the current task. */
static __always_inline void fill_basic(struct ratchet_event *e, __u32 slot,
				       __u32 detail, __s32 reason, __u32 denied,
				       __u32 flags)
{
	__u64 id = bpf_get_current_pid_tgid();

	e->seq = 0;
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->pid = (__u32)id;
	e->tgid = id >> 32;
	e->ppid = 0;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->slot = slot;
	e->detail = detail;
	e->reason = reason;
	e->denied = denied;
	e->flags = flags;
	e->count = 1;
	e->since_ns = 0;
	e->exe[0] = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/* The executable's file, for LSM programs (which can read the task). */
static __always_inline struct file *exe_file(void)
{
	struct task_struct *t = bpf_get_current_task_btf();

	return t->mm ? t->mm->exe_file : 0;
}

/* LSM programs can also name the parent and the executable. */
static __always_inline void fill_task(struct ratchet_event *e, struct file *exe)
{
	struct task_struct *t = bpf_get_current_task_btf();

	e->ppid = t->real_parent->tgid;
	/* Only the name: a full path needs bpf_d_path, not allowed here. */
	if (exe)
		bpf_probe_read_kernel_str(e->exe, sizeof(e->exe),
					  exe->f_path.dentry->d_name.name);
}

/*
 * Count an attempt and log it, or fold it into the window of an identical
 * one logged less than RATCHET_FOLD_NS ago. @task: the program can read
 * the task (LSM), so a query can be told and the executable named.
 */
static __always_inline void record(struct ratchet_state *s, __u32 slot,
				   __u32 detail, __s32 reason, __u32 denied,
				   bool task)
{
	struct fold_key k = {};
	struct file *exe = task ? exe_file() : 0;
	int flags = count_attempt(s, slot, task && is_query(slot));
	struct fold nf, *f;
	__u64 now;

	if (flags < 0)
		return;
	k.slot = slot;
	k.detail = detail;
	k.reason = reason;
	k.kind = denied << 8 | flags;
	k.exe = exe ? (__u64)exe->f_inode : 0;
	k.tgid = flags ? 0 : bpf_get_current_pid_tgid() >> 32;
	now = bpf_ktime_get_boot_ns();
	f = bpf_map_lookup_elem(&folds, &k);
	if (f && fold_into(s, f, now))
		return;
	fill_basic(&nf.ev, slot, detail, reason, denied, flags);
	if (task)
		fill_task(&nf.ev, exe);
	nf.ev.boot_ns = now;
	nf.ev.seq = log_put(s, &nf.ev, 1, 0, 0, now);
	nf.window = flags ? RATCHET_FOLD_PROBE_NS : RATCHET_FOLD_NS;
	nf.until = now + nf.window;
	nf.since = now;
	nf.pending = 0;
	if (!f) {
		bpf_map_update_elem(&folds, &k, &nf, BPF_NOEXIST);
		return;
	}
	copy_event(&f->ev, &nf.ev);
	f->since = now;
	f->window = nf.window;
	f->until = nf.until;
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
	record(s, slot, detail, reason, v == DENY, true);
	return v == DENY ? -EPERM : 0;
}

/*
 * A refusal by the self-protection: counted and reported like any other;
 * @why is what the detail reports beside it (include/ratchet.h), or -1.
 */
static __always_inline int deny_self_why(struct ratchet_state *s, __u32 detail,
					 __s32 why)
{
	record(s, RATCHET_SLOT_SELF, detail, why, 1, true);
	return -EPERM;
}

static __always_inline int deny_self(struct ratchet_state *s, __u32 detail)
{
	return deny_self_why(s, detail, -1);
}

/*
 * Mark (or unmark) the calling thread as probing: `ratchet status
 * --verify` does, around each probe, so its attempts are counted as
 * probes and flagged in their events. Root can mark itself too: its
 * attempts are still refused and still logged, flagged as probes.
 */
SEC("syscall")
int ratchet_mark(struct ratchet_mark_args *a)
{
	__u64 id = bpf_get_current_pid_tgid(), now = bpf_ktime_get_boot_ns();

	/*
	 * Every program of ratchet's uses the state map: that is how status
	 * tells them from programs loaded before the lock (src/bpf.c).
	 */
	if (!get_state())
		return -ENOENT;
	if (a->on)
		bpf_map_update_elem(&marks, &id, &now, BPF_ANY);
	else
		bpf_map_delete_elem(&marks, &id);
	return 0;
}

struct flush_ctx {
	struct ratchet_state *s;
	__u64 now;
};

static long flush_one(struct bpf_map *map, struct fold_key *k, struct fold *f,
		      struct flush_ctx *c)
{
	if (f->pending && c->now >= f->until)
		flush_fold(c->s, f, c->now);
	return 0;
}

enum got { GOT, LOST, WAIT };

/* Event @seq of the log into @out, or why not. */
static __always_inline enum got read_one(__u64 seq, struct ratchet_event *out)
{
	__u32 i = (__u32)(seq - 1) & (RATCHET_LOG_SIZE - 1);
	struct ratchet_event *e = bpf_map_lookup_elem(&event_log, &i);
	__u64 at;

	out->seq = 0;
	if (!e)
		return LOST;
	at = LOAD_ONCE(e->seq);
	/* Not yet published: its writer is still at it. */
	if (at < seq)
		return WAIT;
	if (at > seq)
		return LOST;
	copy_event(out, e);
	/* Overwritten while copied: the copy may be torn. */
	if (LOAD_ONCE(e->seq) != seq)
		return LOST;
	out->seq = seq;
	return GOT;
}

/* Slot @i of the reader's batch; false: stop here. */
static __always_inline bool read_at(struct ratchet_read *r, int i, __u64 *next,
				    __u64 head)
{
	/* Still being written: the reader comes back for it. */
	if (*next > head || read_one(*next, &r->ev[i]) == WAIT)
		return false;
	(*next)++;
	r->n = i + 1;
	return true;
}
_Static_assert(RATCHET_READ_BATCH == 16, "ratchet_read reads 16 at a time");

/*
 * How every reader reads the log: up to RATCHET_READ_BATCH events from
 * r->next on, into r->ev. Nothing is consumed: any number of readers see
 * every event. An event overwritten before it was read comes back with
 * seq 0, and a start before the oldest event kept moves up to it.
 */
SEC("syscall")
int ratchet_read(struct ratchet_read *r)
{
	struct ratchet_state *s = get_state();
	struct flush_ctx c;
	__u64 next, head;

	if (!s)
		return -ENOENT;
	if (r->flush) {
		c.s = s;
		c.now = bpf_ktime_get_boot_ns();
		bpf_for_each_map_elem(&folds, flush_one, &c, 0);
	}
	head = LOAD_ONCE(s->events);
	next = r->next ? r->next : 1;
	if (head > RATCHET_LOG_SIZE && next <= head - RATCHET_LOG_SIZE)
		next = head - RATCHET_LOG_SIZE + 1;
	r->head = head;
	r->n = 0;
	/* Sixteen times, each with a constant offset into the context. */
	(void)(read_at(r, 0, &next, head) && read_at(r, 1, &next, head) &&
	       read_at(r, 2, &next, head) && read_at(r, 3, &next, head) &&
	       read_at(r, 4, &next, head) && read_at(r, 5, &next, head) &&
	       read_at(r, 6, &next, head) && read_at(r, 7, &next, head) &&
	       read_at(r, 8, &next, head) && read_at(r, 9, &next, head) &&
	       read_at(r, 10, &next, head) && read_at(r, 11, &next, head) &&
	       read_at(r, 12, &next, head) && read_at(r, 13, &next, head) &&
	       read_at(r, 14, &next, head) && read_at(r, 15, &next, head));
	r->next = next;
	return 0;
}
