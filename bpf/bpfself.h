/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfself.h - BPF self-protection: no fd to ratchet's maps once sealed, no
 * program that could overrule ratchet's, no cgroup/sysctl program attached
 * or detached.
 *
 * docs/threat-model.md: "Detaching or updating a link", "Another BPF
 * program that overrules ratchet", "A second sysctl program", "The state
 * map", "The tables map". Tests (tests/vm/attacks/): getfd, map-write,
 * map-write-bpf, rt2-tables-iter, lsm-positive, lsm-cgroup, fmodret, freplace, freplace-retarget,
 * unknown-kind, sysctl-rewrite, link-detach, rt3-span, rt3-tailctx.
 */

/*
 * One of the maps ratchet's programs decide by or log to: every map of the
 * object (it has no .rodata, .data or .bss). The tables are one: frozen
 * and BPF_F_RDONLY_PROG stop bpf(2) writes and programs that use the map,
 * not a map element iterator given an fd to it, which writes an array
 * map's element in place (bpf_iter_attach_map() in kernel/bpf/map_iter.c
 * checks neither; __bpf_array_map_seq_show() in kernel/bpf/arraymap.c
 * hands over the element itself; 6.1 to 7.2).
 */
static __always_inline bool ratchet_map(struct bpf_map *map)
{
	return (void *)map == (void *)&state ||
	       (void *)map == (void *)&tables ||
	       (void *)map == (void *)&event_log ||
	       (void *)map == (void *)&folds || (void *)map == (void *)&marks;
}

/*
 * Freezing stops writes through bpf(2) only: a BPF program holding any fd
 * to the state map, even a read-only one, could still write it, and a map
 * element iterator given an fd to the tables rewrites them. So once sealed
 * no new fd to any of ratchet's maps is made at all (none has a pin; by
 * id, or through bpf_sys_bpf). Every new fd to a map is made by
 * bpf_map_new_fd(), which asks this hook first (kernel/bpf/syscall.c: by
 * id; kernel/bpf/inode.c: from a pin; 6.1 to 7.2); an iterator, a program
 * or an outer map is given a map only by an fd. One made before sealing
 * shows in the map's usercnt, which the CLI checks (src/enforced.c).
 * ENOENT, not EPERM: listing tools such as bpftool skip a map that has
 * gone and would stop at a refusal.
 */
SEC("lsm/bpf_map")
int BPF_PROG(ratchet_bpf_map, struct bpf_map *map, fmode_t fmode)
{
	struct ratchet_state *s;

	/*
	 * Any other map returns on a few compares: &state is the kernel's
	 * struct bpf_map of this object's state map, the one whose id
	 * ratchet_raise records at sealing; the tables, the event log and
	 * its helper maps are refused alike (audit.h: nothing but ratchet's
	 * programs may write, freeze or drain them; the CLI reads the state
	 * and tables through ratchet_snapshot, the log through ratchet_read).
	 */
	if (!ratchet_map(map) || !(s = sealed()))
		return 0;
	deny_self(s, RATCHET_DETAIL_STATE_FD);
	return -ENOENT;
}

/*
 * Where ratchet decides, as the CLI found it in the running kernel's BTF
 * (src/features.c, src/tables.c), and what the first lock found the
 * kernel's verifier enforcing (src/bpf.c): the BTF ids of bpf_lsm_<hook>
 * and security_<hook> for every hook ratchet attaches to, the struct_ops
 * types reasoned about, and the flags. In the tables map (common.h),
 * frozen and read-only to programs before any program is attached; not
 * .rodata, whose offsets a program's tag leaves out (include/ratchet.h,
 * struct ratchet_tables). No tables: every table empty, no flag.
 */
#define GUARD(t, field) ((t) ? (t)->field : 0)

/*
 * Is @id one of @ids? An empty table (the CLI filled nothing, or no
 * tables) answers yes: every program on a hook is then refused, never
 * waved through.
 */
static __always_inline int in_table(const __u32 *ids, int n, __u32 id)
{
	int i;

	if (!ids || !ids[0])
		return 1;
#pragma clang loop unroll(full)
	for (i = 0; i < n; i++)
		if (ids[i] && ids[i] == id)
			return 1;
	return 0;
}

/*
 * freplace re-targets only to programs of the type and expected attach
 * type of its first target (saved_dst_prog_type, checked again on every
 * attach by bpf_check_attach_target() in kernel/bpf/verifier.c, 6.1 to
 * 7.2). So a target type decides every program an extension can ever
 * replace. Allowed: types that run on no path ratchet decides on (packets,
 * sockets, devices, tracepoints); refused: LSM and tracing programs (on
 * ratchet's hooks, or re-targeted to ratchet's own), cgroup/sysctl (its
 * program), syscall (ratchet_raise, ratchet_snapshot), extensions,
 * struct_ops, and any type this list does not name.
 */
static __always_inline int extendable(__u32 t)
{
	switch (t) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_XDP:
	case BPF_PROG_TYPE_PERF_EVENT:
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_LWT_IN:
	case BPF_PROG_TYPE_LWT_OUT:
	case BPF_PROG_TYPE_LWT_XMIT:
	case BPF_PROG_TYPE_SOCK_OPS:
	case BPF_PROG_TYPE_SK_SKB:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
	case BPF_PROG_TYPE_SK_MSG:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_LWT_SEG6LOCAL:
	case BPF_PROG_TYPE_LIRC_MODE2:
	case BPF_PROG_TYPE_SK_REUSEPORT:
	case BPF_PROG_TYPE_FLOW_DISSECTOR:
	case BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
	case BPF_PROG_TYPE_SK_LOOKUP:
	case BPF_PROG_TYPE_NETFILTER:
		return 1;
	default:
		return 0;
	}
}

/* Program types whose every attach type runs off ratchet's paths. */
static __always_inline int elsewhere(__u32 t)
{
	return t == BPF_PROG_TYPE_CGROUP_SYSCTL || t == BPF_PROG_TYPE_SYSCALL ||
	       (t != BPF_PROG_TYPE_KPROBE && extendable(t));
}

/* LSM: on ratchet's hooks, only where the verifier keeps it to denials. */
static __always_inline __u32 lsm_kind(__u32 at, __u32 id)
{
	const struct ratchet_tables *g = get_tables();
	__u32 guard_flags = GUARD(g, guard_flags);

	if (at == BPF_LSM_MAC)
		return in_table(GUARD(g, guard_lsm), RATCHET_GUARD_HOOKS, id) &&
				       !(guard_flags & RATCHET_GUARD_LSM_RANGES)
			       ? RATCHET_DETAIL_LSM_HOOK
			       : 0;
	/*
	 * Its cgroup shim returns what bpf_set_retval() set: a positive
	 * value too, unless the verifier bounds that as well (detected).
	 */
	if (at == BPF_LSM_CGROUP)
		return in_table(GUARD(g, guard_lsm), RATCHET_GUARD_HOOKS, id) &&
				       (~guard_flags &
					(RATCHET_GUARD_LSM_RANGES |
					 RATCHET_GUARD_SET_RETVAL_RANGES))
			       ? RATCHET_DETAIL_LSM_CGROUP
			       : 0;
	return RATCHET_DETAIL_UNKNOWN_KIND;
}

/*
 * Tracing: observers stay (fentry/fexit on a BPF program too; fmod_ret on
 * one is refused by the kernel), fmod_ret only off ratchet's security_*.
 */
static __always_inline __u32 tracing_kind(__u32 at, __u32 id)
{
	const struct ratchet_tables *g = get_tables();

	switch (at) {
	case BPF_TRACE_FENTRY:
	case BPF_TRACE_FEXIT:
	case BPF_TRACE_RAW_TP:
	case BPF_TRACE_ITER:
		return 0;
	case BPF_MODIFY_RETURN:
		/* With error injection, functions beyond security_* too. */
		return (GUARD(g, guard_flags) &
			RATCHET_GUARD_ERROR_INJECTION) ||
				       in_table(GUARD(g, guard_sec),
						RATCHET_GUARD_HOOKS, id)
			       ? RATCHET_DETAIL_FMOD_RET
			       : 0;
	default:
		return RATCHET_DETAIL_UNKNOWN_KIND;
	}
}

/* kprobe: every attach type known here only observes. */
static __always_inline __u32 kprobe_kind(__u32 at)
{
	switch (at) {
	case 0: /* perf_event kprobes and uprobes */
	case BPF_TRACE_KPROBE_MULTI:
	case BPF_TRACE_UPROBE_MULTI:
	case BPF_TRACE_KPROBE_SESSION:
	case BPF_TRACE_UPROBE_SESSION:
		return 0;
	default:
		return RATCHET_DETAIL_UNKNOWN_KIND;
	}
}

/* struct_ops: only the types reasoned about (one lookup, checked once). */
static __always_inline __u32 struct_ops_kind(__u32 id)
{
	const struct ratchet_tables *g = get_tables();

	return g && g->guard_ops[0] &&
			       in_table(g->guard_ops, RATCHET_GUARD_OPS, id)
		       ? 0
		       : RATCHET_DETAIL_UNKNOWN_KIND;
}

/* MAX_USED_MAPS in include/linux/bpf.h (6.1 to 7.2) */
#define RATCHET_USED_MAPS_MAX 64

/*
 * Whether @prog uses the map @want or, with @want NULL, a map of @type: its
 * used maps are the ones its instructions name, bound at load time.
 */
static __always_inline int uses(struct bpf_prog *prog, void *want, __u32 type)
{
	struct bpf_map **maps = BPF_CORE_READ(prog, aux, used_maps);
	__u32 n = BPF_CORE_READ(prog, aux, used_map_cnt), i;
	struct bpf_map *m;

	for (i = 0; i < RATCHET_USED_MAPS_MAX && i < n; i++) {
		m = 0;
		bpf_probe_read_kernel(&m, sizeof(m), &maps[i]);
		if (want ? (void *)m == want
			 : m && BPF_CORE_READ(m, map_type) == type)
			return 1;
	}
	return 0;
}

/*
 * Whether @prog uses a prog array. 7.x lets sleepable programs use one
 * (check_map_prog_compatibility(), kernel/bpf/verifier.c; 6.1 and 6.12
 * refuse it), and every syscall program is sleepable. Its context is the
 * caller's buffer, whose size bpf_prog_test_run_syscall()
 * (net/bpf/test_run.c) checks against the program it runs only, and a
 * prog array never compares max_ctx_offset (__bpf_prog_map_compatible(),
 * kernel/bpf/core.c): a tail call reads and writes past the kmalloc'd
 * context, up to 64 KiB of kernel heap. A prog array cannot be an inner
 * map (it has no map_meta_equal, bpf_map_meta_alloc()), so the array of a
 * tail call is among the caller's own maps.
 */
static __always_inline int tail_calls(struct bpf_prog *prog)
{
	return uses(prog, 0, BPF_MAP_TYPE_PROG_ARRAY);
}

/*
 * Why a program may not get a new fd once sealed (an enum ratchet_detail),
 * or 0; *@why gets what the event reports (the hook's BTF id, the target
 * type of an extension, or type << 16 | attach type). An allowlist: a type
 * or attach type not named here is refused, so a kernel's new kind stays
 * refused until ratchet has reasoned about it (docs/threat-model.md has
 * the reason for each one allowed).
 */
static __always_inline __u32 refused_kind(struct bpf_prog *prog, __s32 *why)
{
	__u32 t = BPF_CORE_READ(prog, type);
	__u32 at = BPF_CORE_READ(prog, expected_attach_type);
	__u32 id = BPF_CORE_READ(prog, aux, attach_btf_id), dst;

	*why = (__s32)id;
	/* bpf_override_return(): never set without error injection. */
	if (BPF_CORE_READ_BITFIELD_PROBED(prog, kprobe_override))
		return RATCHET_DETAIL_KPROBE_OVERRIDE;
	/*
	 * 7.x lets a kprobe program (or an extension of one) write the
	 * pt_regs it is given, checked only where that program itself is
	 * attached (__perf_event_set_bpf_prog(): uprobes only;
	 * bpf_kprobe_multi_link_attach(); bpf_tracing_prog_attach()). A prog
	 * array never checks it (struct bpf_map_owner has no such field), so
	 * a kretprobe on security_locked_down() tail-calling a writer sets
	 * its return value to 0: bpf_override_return() without error
	 * injection. Refused whatever the program's type.
	 */
	if (bpf_core_field_exists(prog->aux->kprobe_write_ctx) &&
	    BPF_CORE_READ(prog, aux, kprobe_write_ctx))
		return RATCHET_DETAIL_KPROBE_WRITE;
	if (t == BPF_PROG_TYPE_SYSCALL && tail_calls(prog))
		return RATCHET_DETAIL_SYSCALL_TAIL_CALL;
	if (t == BPF_PROG_TYPE_LSM)
		return lsm_kind(at, id);
	if (t == BPF_PROG_TYPE_TRACING)
		return tracing_kind(at, id);
	if (t == BPF_PROG_TYPE_EXT) {
		*why = (__s32)(dst = BPF_CORE_READ(prog, aux,
						   saved_dst_prog_type));
		return extendable(dst) ? 0 : RATCHET_DETAIL_FREPLACE;
	}
	*why = (__s32)(t << 16 | (at & 0xffff));
	if (t == BPF_PROG_TYPE_STRUCT_OPS)
		return struct_ops_kind(id);
	if (t == BPF_PROG_TYPE_KPROBE)
		return kprobe_kind(at);
	return elsewhere(t) ? 0 : RATCHET_DETAIL_UNKNOWN_KIND;
}

/*
 * One of ratchet's own programs: it uses the state map, and once sealed
 * no program can be given that map (no fd to it is made), so root cannot
 * forge this.
 */
static __always_inline int ratchets(struct bpf_prog *prog)
{
	return uses(prog, &state, 0);
}

/*
 * The highest program id: bpf_prog_alloc_id() takes ids from
 * idr_alloc_cyclic(&prog_idr, prog, 1, INT_MAX, ...) (kernel/bpf/syscall.c,
 * 6.1 to 7.2), the next free one at or after the last, back to 1 past
 * the top.
 */
#define RATCHET_PROG_ID_MAX 0x7fffffffU
/*
 * Ids the allocator can pass without a hook counting them: one skipped
 * per live program (each holds a page of memory at least:
 * bpf_prog_alloc(), kernel/bpf/core.c; 2^28 is 1 TiB) and one per load
 * between bpf_prog_alloc_id() and its fd (a thread each).
 */
#define RATCHET_PROG_ID_SLACK (1U << 28)

/*
 * Was program @id in the kernel's program table when the first lock read
 * it, after sealing? s->prog_ids is the id of a program the first lock
 * loaded right after sealing, before its program scan read every id from
 * 0 up (src/bpf.c, seal_prog_ids(); src/progscan.c). bpf_prog_load() takes
 * load_time before the verifier and allocates the id after it
 * (kernel/bpf/syscall.c, 6.1 to 7.2), so a load that began before the
 * seal can get its id after that scan. Ids only grow until the allocator
 * wraps, which takes about RATCHET_PROG_ID_MAX - prog_ids loads: counted
 * at lsm/bpf (prog_loads, ratchet_bpf()), and past that no id is trusted.
 */
static __always_inline int scanned(struct ratchet_state *s, __u32 id)
{
	__u32 b = s->prog_ids;

	return b && id <= b &&
	       b <= RATCHET_PROG_ID_MAX - RATCHET_PROG_ID_SLACK &&
	       s->prog_loads < RATCHET_PROG_ID_MAX - RATCHET_PROG_ID_SLACK - b;
}

/*
 * security_bpf_prog() runs whenever an fd to a program is made: at the
 * end of BPF_PROG_LOAD (after the verifier, so on the program as it will
 * run), by id, and from a pin (bpf_prog_new_fd() in kernel/bpf/syscall.c,
 * bpf_obj_get() in kernel/bpf/inode.c, 6.1 to 7.2). Nothing attaches a
 * program without an fd to it, so a program refused here never runs. A
 * refused load frees the program (bpf_prog_put() in bpf_prog_load()).
 *
 * Refused: a load that ends after the seal (the loader then holds the
 * only reference, refcnt 1), any fd to a program whose load began after
 * it (load_time, CLOCK_BOOTTIME as sealed_ns: a thread racing the loader
 * for an fd by id in between), and any fd to one whose load began before
 * it but whose id came after the first lock's program scan (scanned(): a
 * thread taking an fd by id to a load that spans the seal). A program the
 * scan saw keeps its fds, by id and from pins: the lock and `ratchet
 * status` report it (overruled, or listed), and what it could do is said
 * in docs/threat-model.md.
 */
SEC("lsm/bpf_prog")
int BPF_PROG(ratchet_bpf_prog, struct bpf_prog *prog)
{
	struct ratchet_state *s = sealed();
	__s64 refs;
	__s32 why;
	__u32 d;

	if (!s)
		return 0;
	/* A load's own fd: the only reference (loads are counted at lsm/bpf). */
	refs = BPF_CORE_READ(prog, aux, refcnt.counter);
	if (!(d = refused_kind(prog, &why)) || ratchets(prog))
		return 0;
	if (refs != 1 && BPF_CORE_READ(prog, aux, load_time) < s->sealed_ns &&
	    scanned(s, BPF_CORE_READ(prog, aux, id)))
		return 0;
	return deny_self_why(s, d, why);
}

/*
 * cgroup/sysctl programs of one cgroup run in attach order, after those of
 * its descendants, and bpf_sysctl_set_new_value() of a later one decides
 * what the kernel stores (kernel/bpf/cgroup.c: compute_effective_progs(),
 * __cgroup_bpf_run_filter_sysctl(), 6.1 to 7.2). ratchet's runs last at
 * the root (the CLI checks it at sealing), so it sees the final value;
 * once sealed no cgroup/sysctl program can be attached (it could run
 * after ratchet's), detached (ratchet's) or replaced, by any command or
 * flag. The attach type is read from the kernel's copy of attr, and it
 * alone picks the list a program joins, so no fd can be swapped under
 * this check. No other hook sees a cgroup attach (6.1 to 7.2), so this
 * program runs on every bpf(2) call: it returns on the command first.
 */
SEC("lsm/bpf")
int BPF_PROG(ratchet_bpf, int cmd, union bpf_attr *attr, unsigned int size)
{
	struct ratchet_state *s;
	__u32 at;

	/*
	 * Every program load after the seal is counted here, before the
	 * load does anything (security_bpf() in __sys_bpf(), before the
	 * command runs; bpf_prog_alloc_id() comes later, in bpf_prog_load(),
	 * kernel/bpf/syscall.c, 6.1, 6.12, 7.2): a program attached before
	 * ratchet's on this hook that refuses hushes this count only by
	 * stopping the load, so no id is spent uncounted. Not at lsm/bpf_prog,
	 * which runs after the id is allocated (bpf_prog_new_fd()), where an
	 * earlier program's refusal burnt an id unseen. A load that fails
	 * later is counted too: over-counting only distrusts ids sooner
	 * (scanned()). Saturating.
	 */
	if (cmd == BPF_PROG_LOAD && (s = sealed()) &&
	    s->prog_loads < RATCHET_PROG_ID_MAX)
		__sync_fetch_and_add(&s->prog_loads, 1);
	if (cmd == BPF_PROG_ATTACH || cmd == BPF_PROG_DETACH)
		at = attr->attach_type;
	else if (cmd == BPF_LINK_CREATE)
		at = attr->link_create.attach_type;
	else
		return 0;
	if (at != BPF_CGROUP_SYSCTL || !(s = sealed()))
		return 0;
	return deny_self(s, RATCHET_DETAIL_SYSCTL_ATTACH);
}
