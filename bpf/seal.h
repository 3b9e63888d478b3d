/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seal.h - the two syscall programs through which the CLI raises and reads
 * the state (and reads the tables); the first raise seals it and records
 * the pin mount.
 *
 * docs/threat-model.md: "The raise program", "The state map", "The
 * namespace of the lock". Tests: tests/vm/attacks/namespace-lock.sh,
 * map-write.sh, getfd.sh; tests/vm/cases/events.sh (status through the
 * snapshot).
 */

/*
 * The first lock runs ratchet_raise with its working directory at the
 * root of the pin bpffs it has just mounted. Record that mount, once the
 * kernel shows what the protections rest on: it is that bpffs, on
 * ratchet's own tmpfs, in the initial mount namespace (a namespace that
 * dies takes its mounts along, with no hook), its parent receives no
 * propagation, and every mount of the chain up to the namespace's root
 * sits on a dentry of a file system that never detaches mounts behind
 * the hooks (chain_safe(), bpf/mounts.h): d_invalidate()
 * detaches every mount on a dentry and below, with no hook (FUSE, NFS, a
 * /proc/PID that exits: proc_flush_pid(); debugfs, tracefs, securityfs:
 * simple_recursive_removal(); a deleted btrfs subvolume, with every mount
 * below it: btrfs_delete_subvolume(); fs/dcache.c, fs/libfs.c,
 * fs/btrfs/inode.c, 6.1 to 7.2). Every
 * level, not two: root can move ratchet's tmpfs, or /run, into a tmpfs of
 * its own mounted on /proc/PID before the seal. And past the caller's
 * root: a chrooted caller's root can itself sit on /proc/PID.
 */
static __always_inline int record_pin(struct ratchet_state *s, __u64 dev,
				      __u64 run_dev)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	__u64 v = (__u64)BPF_CORE_READ(t, fs, pwd.mnt);
	struct mount *m = real_mount(v), *p;

	if (!v || BPF_CORE_READ((struct vfsmount *)v, mnt_sb, s_dev) != dev ||
	    BPF_CORE_READ(t, fs, pwd.dentry) !=
		    BPF_CORE_READ((struct vfsmount *)v, mnt_root))
		return -ENOTDIR;
	if (BPF_CORE_READ(m, mnt_ns) != init_mnt_ns())
		return -EXDEV;
	p = BPF_CORE_READ(m, mnt_parent);
	if (!p || p == m || BPF_CORE_READ(p, mnt.mnt_sb, s_dev) != run_dev)
		return -ENOTDIR;
	if (receives_propagation(p))
		return -EBUSY;
	if (!chain_safe(m, caller_root()))
		return -ESTALE;
	__sync_val_compare_and_swap(&s->pin_mnt, 0, v);
	return 0;
}

/*
 * The syscall program through which every lock raises the state. OR is
 * monotonic, so whoever runs it (ratchet, or root poking at the pin) can
 * only add restrictions. The identity fields are written once.
 */
SEC("syscall")
int ratchet_raise(struct ratchet_raise_args *a)
{
	struct ratchet_state *s = get_state();
	int i, err;

	if (!s)
		return -ENOENT;
	/* A knob's bit alone refuses nothing (sysctl.h): not without its slot. */
	if (a->sysctls && !((a->enforce.w[RATCHET_SLOT_SYSCTL / 64] |
			     a->permissive.w[RATCHET_SLOT_SYSCTL / 64]) &
			    (1ULL << (RATCHET_SLOT_SYSCTL % 64))))
		return -EINVAL;
	/* Sealing: refused as a whole unless the pin mount can be held. */
	if (a->pin_dev && !s->pin_dev &&
	    (err = record_pin(s, a->pin_dev, a->run_dev)))
		return err;
	for (i = 0; i < RATCHET_WORDS; i++) {
		__sync_fetch_and_or(&s->enforce.w[i], a->enforce.w[i]);
		__sync_fetch_and_or(&s->permissive.w[i], a->permissive.w[i]);
	}
	__sync_fetch_and_or(&s->sysctls, a->sysctls);
	if (a->state_map_id)
		__sync_val_compare_and_swap(&s->state_map_id, 0,
					    a->state_map_id);
	/* Sealing last: from here on the protections below apply. */
	if (a->pin_dev && !s->pin_dev) {
		__sync_val_compare_and_swap(&s->guard_flags, 0,
					    a->guard_flags |
						    RATCHET_GUARD_RECORDED);
		__sync_val_compare_and_swap(&s->sealed_ns, 0,
					    bpf_ktime_get_boot_ns());
		__sync_val_compare_and_swap(&s->pin_dev, 0, a->pin_dev);
	}
	/*
	 * Once sealed: the id of the program scanner the lock loaded after
	 * the seal (bpfself.h, scanned()). Root may run this too, first; the
	 * CLI holds what it finds to its own scanner's id (src/bpf.c).
	 */
	if (a->prog_ids && s->pin_dev)
		__sync_val_compare_and_swap(&s->prog_ids, 0, a->prog_ids);
	return 0;
}

/*
 * A map's own struct bpf_map, read through the map pointer: the verifier
 * types it by the map's BTF (check_ptr_to_map_access() in
 * kernel/bpf/verifier.c, 6.1 to 7.2) and allows reads only.
 */
static __always_inline void view_map(void *map, struct ratchet_map_view *v)
{
	struct bpf_map *m = map;

	v->refcnt = m->refcnt.counter;
	v->usercnt = m->usercnt.counter;
	v->id = m->id;
	v->frozen = m->frozen;
	v->type = m->map_type;
	v->key_size = m->key_size;
	v->value_size = m->value_size;
	v->max_entries = m->max_entries;
	v->flags = m->map_flags;
}

/*
 * Copy @n bytes, a multiple of 8, a word at a time, unrolled: too big for
 * an inlined memcpy, and the verifier wants constant offsets into the
 * context.
 */
static __always_inline void copy_words(void *dst, const void *src, int n)
{
	const __u64 *s = src;
	__u64 *d = dst;
	int i;

#pragma clang loop unroll(full)
	for (i = 0; i < n / 8; i++)
		d[i] = s[i];
}
_Static_assert(sizeof(struct ratchet_state) % 8 == 0, "state in words");
_Static_assert(sizeof(struct ratchet_tables) % 8 == 0, "tables in words");

/*
 * How the CLI reads the state and the tables once sealed: no fd to either
 * map can be had then, but this program copies them out through its
 * context, with what the pin mount looks like right now and who holds
 * ratchet's maps.
 */
SEC("syscall")
int ratchet_snapshot(struct ratchet_snapshot *out)
{
	const struct ratchet_tables *t = get_tables();
	struct ratchet_state *s = get_state();
	struct mount *m, *p;
	struct chain c;

	if (!s)
		return -ENOENT;
	copy_words(&out->state, s, sizeof(*s));
	if (t) {
		copy_words(&out->tables, t, sizeof(*t));
		out->tables_read = 1;
	}
	view_map(&state, &out->state_map);
	view_map(&tables, &out->tables_map);
	view_map(&event_log, &out->log_map);
	view_map(&folds, &out->folds_map);
	view_map(&marks, &out->marks_map);
	if (!s->pin_mnt)
		return 0;
	m = real_mount(s->pin_mnt);
	p = BPF_CORE_READ(m, mnt_parent);
	out->pin.mnt_id = BPF_CORE_READ(m, mnt_id);
	out->pin.parent_id = BPF_CORE_READ(p, mnt_id);
	out->pin.parent_group = BPF_CORE_READ(p, mnt_group_id);
	out->pin.parent_master = BPF_CORE_READ(p, mnt_master) != 0;
	out->pin.in_init_ns = BPF_CORE_READ(m, mnt_ns) == init_mnt_ns();
	chain_walk(s, 0, 0, &c);
	out->pin.depth = c.depth == CHAIN_MAX ? 0 : c.depth;
	out->pin.unsafe = !chain_safe(m, 0);
	return 0;
}
