/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mounts.h - the pin mount: no umount, move, pivot, propagation change or
 * mountpoint removal may detach ratchet's pins, in any mount namespace.
 *
 * docs/threat-model.md: "Pins and links" and "The pin mount".
 * Tests (tests/vm/attacks/): rm-pin, rename-pin, umount-bpffs,
 * umount-ancestor, umount-copies, propagation, mount-setattr, mount-move,
 * move-mount, move-proc, pivot-root, bind-mount, mountpoint-rmdir,
 * namespace-lock, mount-over, rt2-move-window, rt2-recursive-removal,
 * rt2-chroot-lock, rt4-btrfs-subvol.
 */

/* uapi #defines, which the kernel types cannot carry */
#define MS_REMOUNT     32
#define MS_BIND	       4096
#define MS_MOVE	       8192
#define MS_REC	       16384
#define MS_UNBINDABLE  (1 << 17)
#define MS_PRIVATE     (1 << 18)
#define MS_SLAVE       (1 << 19)
#define MS_SHARED      (1 << 20)
#define MS_PROPAGATION (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)
#define BPF_FS_MAGIC   0xcafe4a11
/* include/linux/dcache.h of 6.1 and 6.12, where they are no enum in BTF */
#define DCACHE_OP_REVALIDATE_6X 0x4
#define DCACHE_MOUNTED_6X	0x10000

/*
 * How far up from the pin mount the walk looks. Deeper than this is
 * answered as if the mount looked for were there: fail closed.
 */
#define CHAIN_MAX 16

static __always_inline struct mount *real_mount(__u64 vfsmount)
{
	return (struct mount *)(vfsmount -
				bpf_core_field_offset(struct mount, mnt));
}

/*
 * The initial mount namespace: init_task's, reached through the parents
 * of the current task (init_task is its own real_parent). It lives as
 * long as the kernel, so mounts in it never go with a namespace.
 */
static __always_inline struct mnt_namespace *init_mnt_ns(void)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct task_struct *p;
	int i;

	for (i = 0; i < 128; i++) {
		p = BPF_CORE_READ(t, real_parent);
		if (!p || p == t)
			return BPF_CORE_READ(t, nsproxy, mnt_ns);
		t = p;
	}
	return 0;
}

/*
 * Does @m receive umount propagation from anywhere? Only from its peers
 * (it is shared: a peer group id) or its master (it is a slave). Both
 * propagate_umount() versions (fs/pnode.c, 6.1 to 7.2) consider as
 * candidates only the children of mounts that receive propagation.
 */
static __always_inline int receives_propagation(struct mount *m)
{
	return BPF_CORE_READ(m, mnt_group_id) || BPF_CORE_READ(m, mnt_master);
}

/* What one walk up the chain (the pin mount and every mount above it) saw. */
struct chain {
	int at;	     /* depth of what was looked for; -1: not on the chain */
	int depth;   /* mounts on the chain; CHAIN_MAX: too many to tell */
	int exposed; /* the pin mount's parent receives propagation */
};

/*
 * The one walk, from mount @m (the pin mount: depth 0) up to its
 * namespace's root, stopping at the vfsmount @mnt or at the chain mount
 * that sits on the dentry @mp (0: not looked for). Unknown answers fail
 * closed: with no mount, or a chain longer than CHAIN_MAX, c->at is
 * CHAIN_MAX (as if found) and c->depth is CHAIN_MAX.
 */
static __always_inline void chain_from(struct mount *m, __u64 mnt, __u64 mp,
				       struct chain *c)
{
	__u64 off = bpf_core_field_offset(struct mount, mnt);
	struct mount *p;
	int i;

	c->at = CHAIN_MAX;
	c->depth = CHAIN_MAX;
	c->exposed = 0;
	if (!m)
		return;
	for (i = 0; i < CHAIN_MAX; i++) {
		if (mnt && (__u64)m + off == mnt) {
			c->at = i;
			return;
		}
		p = BPF_CORE_READ(m, mnt_parent);
		if (!p || p == m) {
			c->at = -1;
			c->depth = i + 1;
			return;
		}
		if (!i)
			c->exposed = receives_propagation(p);
		if (mp && (__u64)BPF_CORE_READ(m, mnt_mountpoint) == mp) {
			c->at = i;
			return;
		}
		m = p;
	}
}

/*
 * The file systems a chain mount may sit on: those that never detach a
 * mount on one of their dentries behind the hooks (docs/threat-model.md,
 * "Dentries the kernel invalidates", per kernel). d_invalidate() detaches
 * every mount on a dentry and below with no hook (fs/dcache.c, 6.1 to
 * 7.2); besides a failed d_revalidate it is called by proc_flush_pid(),
 * FUSE, NFS, ceph, cifs, and simple_recursive_removal() (fs/libfs.c:
 * debugfs, tracefs, securityfs, pstore...). Of these five, ext4 and xfs
 * call it only after an rmdir or unlink the inode hooks saw (casefolded
 * directories), btrfs also on a subvolume's root from
 * BTRFS_IOC_SNAP_DESTROY(_V2) (btrfs_delete_subvolume(), below), which no
 * hook sees. 7.x's nullfs, the initial namespace's root under rootfs
 * (init_mount_tree(), fs/namespace.c), is one immutable empty directory
 * (fs/nullfs.c). uapi magic numbers (include/uapi/linux/magic.h); s_magic is
 * set by each file system's fill_super, not by whoever mounts it.
 */
#define TMPFS_MAGIC		  0x01021994
#define RAMFS_MAGIC		  0x858458f6
#define EXT4_SUPER_MAGIC	  0xef53
#define XFS_SUPER_MAGIC		  0x58465342
#define BTRFS_SUPER_MAGIC	  0x9123683e
#define BTRFS_FIRST_FREE_OBJECTID 256
#define NULL_FS_MAGIC		  0x4e554c4c
#define OVERLAYFS_SUPER_MAGIC	  0x794c7630

/* How many dentries up a mountpoint may sit below its superblock's root. */
#define DEPTH_MAX 32

/*
 * A dentry flag of 6.x (#define) or 7.x (enum dentry_flags, from BTF).
 * Their values are the same today; the enum is what 7.x's code uses.
 */
#define DFLAG(name)                                                            \
	(bpf_core_enum_value_exists(enum dentry_flags, name)                   \
		 ? bpf_core_enum_value(enum dentry_flags, name)                \
		 : name##_6X)

/*
 * Can nothing invalidate a dentry from the mountpoint @d up to its
 * superblock's root? d_invalidate() of any of them detaches every mount
 * on it AND BELOW (d_walk() in fs/dcache.c, 6.1 to 7.2), so each one
 * counts, not only the mountpoint (red team 5: an ext4 no-key name above
 * a plaintext mountpoint, 6.1). A lookup revalidates a dentry only if
 * DCACHE_OP_REVALIDATE is set (d_revalidate() in fs/namei.c, all three):
 * the flag, not the d_op pointer, is the fact. 6.12 and 7.2 give every
 * ext4 dentry fscrypt's dentry operations (sb->s_d_op,
 * generic_set_sb_d_ops(), fs/libfs.c) and clear the flag again at lookup
 * for every name that is not a no-key name (fscrypt_prepare_dentry(),
 * include/linux/fscrypt.h); 6.1 sets them per dentry, on no-key names
 * only (ext4_lookup_entry() -> generic_set_encrypted_ci_d_ops()). A
 * no-key name keeps the flag and is refused: adding the key makes its
 * next lookup fail fscrypt_d_revalidate() (fs/crypto/fname.c). The flag
 * is set only when a dentry is made (d_set_d_op(), fs/dcache.c), never
 * on one already in the tree. btrfs also deletes a subvolume with no
 * LSM hook: BTRFS_IOC_SNAP_DESTROY(_V2) (ioctl.c btrfs_ioctl_snap_destroy()
 * -> inode.c btrfs_delete_subvolume(), 6.1, 6.12, 7.2; its checks,
 * btrfs_may_delete() in 6.1 and 6.12, the VFS's may_delete_dentry() in
 * 7.2, ask only inode_permission on the parent, as any create does), then
 * d_invalidate()s its root (inode 256). It refuses only the default
 * subvolume (which BTRFS_IOC_DEFAULT_SUBVOL changes, no hook either), one
 * holding another subvolume, one with an active swapfile or a send
 * running: no test of mounts, so a subvolume mounted elsewhere (subvol=,
 * a bind) goes too, and the walk goes past the mount's own root to the
 * superblock's. The superblock's root is never looked up by a name (so
 * never revalidated) and on btrfs is the top level (id 5), which has no
 * entry to delete. rmdir(2) of an empty subvolume (btrfs_rmdir()) runs
 * after the inode_rmdir hook; empty, it has no mountpoint below. After
 * the seal no rename puts a subvolume above the mountpoint: btrfs moves
 * only subvolume roots between subvolumes (-EXDEV in btrfs_rename() and
 * btrfs_rename_exchange(), inode.c, all three). Deeper than DEPTH_MAX,
 * or a dentry cut off from the root: no.
 */
struct dentry_walk {
	struct dentry *d, *root;
	__u32 reval;
	int btrfs;
	int safe;
};

/*
 * One step of that walk, a bpf_loop() callback: the verifier checks its
 * body once, where an inlined loop inside chain_safe()'s would be walked
 * CHAIN_MAX * DEPTH_MAX times, seconds of every first lock under TCG.
 */
static long dentry_step(__u32 i, void *ctx)
{
	struct dentry_walk *w = ctx;
	struct dentry *d = w->d, *p;

	if (d == w->root) {
		w->safe = 1;
		return 1;
	}
	if (BPF_CORE_READ(d, d_flags) & w->reval)
		return 1;
	if (w->btrfs &&
	    BPF_CORE_READ(d, d_inode, i_ino) == BTRFS_FIRST_FREE_OBJECTID)
		return 1;
	p = BPF_CORE_READ(d, d_parent);
	if (!p || p == d)
		return 1;
	w->d = p;
	return 0;
}

static __always_inline int nothing_invalidates(struct dentry *d, int btrfs)
{
	struct dentry_walk w = {
		.d = d,
		.root = BPF_CORE_READ(d, d_sb, s_root),
		.reval = DFLAG(DCACHE_OP_REVALIDATE),
		.btrfs = btrfs,
	};

	/* DEPTH_MAX steps without reaching the root: not safe. */
	bpf_loop(DEPTH_MAX, dentry_step, &w, 0);
	return w.safe;
}

static __always_inline int safe_mountpoint(struct dentry *d)
{
	unsigned long magic;

	if (!d)
		return 0;
	magic = BPF_CORE_READ(d, d_sb, s_magic);
	if (magic != TMPFS_MAGIC && magic != RAMFS_MAGIC &&
	    magic != EXT4_SUPER_MAGIC && magic != XFS_SUPER_MAGIC &&
	    magic != BTRFS_SUPER_MAGIC && magic != NULL_FS_MAGIC)
		return 0;
	return nothing_invalidates(d, magic == BTRFS_SUPER_MAGIC);
}

/* The current task's root mount (a struct vfsmount's address). */
static __always_inline __u64 caller_root(void)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();

	return (__u64)BPF_CORE_READ(t, fs, root.mnt);
}

/*
 * Does the chain from @m reach its namespace's root with every mount on
 * the way sitting on a dentry of an allowed file system? The one sitting
 * on @root (the caller's root mount: /run on the root file system) may
 * also sit on an overlay, whose dentries all have d_revalidate
 * (ovl_dentry_revalidate() asks its layers', fs/overlayfs/super.c, 6.1 to
 * 7.2): a live system's or the test guests' root. Every level above
 * @root too: a chrooted caller's root can itself sit on /proc/PID. With
 * @root 0 (status, whose caller may be in another namespace, where its
 * root is on no chain of the pins) an overlay is allowed at any level.
 * Longer than CHAIN_MAX: no.
 */
struct chain_check {
	struct mount *m;
	__u64 root, off;
	int safe;
};

/* One mount of chain_safe()'s walk, a bpf_loop() callback as above. */
static long chain_step(__u32 i, void *ctx)
{
	struct chain_check *c = ctx;
	struct mount *m = c->m, *p;
	struct dentry *d;

	if (!m)
		return 1;
	p = BPF_CORE_READ(m, mnt_parent);
	if (!p || p == m) {
		c->safe = 1;
		return 1;
	}
	d = BPF_CORE_READ(m, mnt_mountpoint);
	if (!safe_mountpoint(d) &&
	    ((c->root && (__u64)p + c->off != c->root) ||
	     BPF_CORE_READ(d, d_sb, s_magic) != OVERLAYFS_SUPER_MAGIC))
		return 1;
	c->m = p;
	return 0;
}

static __always_inline int chain_safe(struct mount *m, __u64 root)
{
	struct chain_check c = {
		.m = m,
		.root = root,
		.off = bpf_core_field_offset(struct mount, mnt),
	};

	bpf_loop(CHAIN_MAX, chain_step, &c, 0);
	return c.safe;
}

/* The walk from the pin mount recorded (none: fails closed). */
static __always_inline void chain_walk(struct ratchet_state *s, __u64 mnt,
				       __u64 mp, struct chain *c)
{
	chain_from(s->pin_mnt ? real_mount(s->pin_mnt) : 0, mnt, mp, c);
}

/* Where @mnt is on the chain: its depth, -1 if nowhere, CHAIN_MAX unknown. */
static __always_inline int chain_at(struct ratchet_state *s, __u64 mnt)
{
	struct chain c;

	chain_walk(s, mnt, 0, &c);
	return c.at;
}

/*
 * Does a change made at chain depth @at reach the pin mount or its parent?
 * At depth 0 or 1 always; higher up only if @down says it spreads down the
 * chain (MS_REC, or a mount slipped in beneath). Not on the chain: no.
 */
static __always_inline int reaches_pin(int at, int down)
{
	return at == 0 || at == 1 || (at > 1 && down);
}

/*
 * What an umount of @mnt would do to the pins: RATCHET_DETAIL_UMOUNT if
 * @mnt is on the chain, _UNSAFE if the chain is too long to tell or if
 * an umount anywhere could reach the pin mount, else 0. The latter holds
 * only if its parent receives propagation (the kernel never propagates
 * to a mount's parent a removal it would not first make on the mount:
 * see receives_from() in 7.x, propagation_next() in 6.x). A pin mount
 * with no parent (made a root) is never a candidate.
 */
static __always_inline __u32 umount_reach(struct ratchet_state *s, __u64 mnt)
{
	struct chain c;

	chain_walk(s, mnt, 0, &c);
	if (c.at >= 0 && c.at < CHAIN_MAX)
		return RATCHET_DETAIL_UMOUNT;
	if (c.at == CHAIN_MAX || c.depth == CHAIN_MAX || c.exposed)
		return RATCHET_DETAIL_UMOUNT_UNSAFE;
	return 0;
}

/* Is the current task in the mount namespace that holds the pin mount? */
static __always_inline int in_pin_ns(struct ratchet_state *s)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct mount *pin = real_mount(s->pin_mnt);

	return BPF_CORE_READ(t, nsproxy, mnt_ns) == BPF_CORE_READ(pin, mnt_ns);
}

/*
 * d_mountpoint(): 7.x made the dentry flags an enum (resolved from BTF);
 * 6.1 and 6.12 have DCACHE_MOUNTED as a #define, not in BTF.
 */
static __always_inline int d_mounted(struct dentry *d)
{
	return d && (d->d_flags & DFLAG(DCACHE_MOUNTED));
}

/*
 * An entry about to be removed, renamed or renamed over. Two things are
 * protected: every entry of the pin bpffs (its pins), and every dentry on
 * which the pin mount or one of its ancestors is mounted. vfs_rmdir(),
 * vfs_unlink() and vfs_rename() refuse a mountpoint only in the caller's
 * own namespace (is_local_mountpoint()); from any other they go on to
 * detach_mounts(), which unmounts whatever sits on that dentry in every
 * namespace, without sb_umount. The common case returns before the map.
 */
static __always_inline int guard_entry(struct inode *dir, struct dentry *d,
				       __u32 detail)
{
	int pins = dir->i_sb->s_magic == BPF_FS_MAGIC, mp = d_mounted(d);
	struct ratchet_state *s;
	struct chain c;

	if ((!pins && !mp) || !(s = sealed()))
		return 0;
	if (pins && dir->i_sb->s_dev == s->pin_dev)
		return deny_self(s, detail);
	if (!mp)
		return 0;
	chain_walk(s, 0, (__u64)d, &c);
	return c.at >= 0 ? deny_self(s, RATCHET_DETAIL_MOUNTPOINT) : 0;
}

SEC("lsm/inode_unlink")
int BPF_PROG(ratchet_unlink, struct inode *dir, struct dentry *dentry)
{
	return guard_entry(dir, dentry, RATCHET_DETAIL_PIN_UNLINK);
}

SEC("lsm/inode_rmdir")
int BPF_PROG(ratchet_rmdir, struct inode *dir, struct dentry *dentry)
{
	return guard_entry(dir, dentry, RATCHET_DETAIL_PIN_UNLINK);
}

/*
 * Both ends: a rename over a pin or a mountpoint removes it too. For
 * RENAME_EXCHANGE the kernel calls this hook once in each direction.
 */
SEC("lsm/inode_rename")
int BPF_PROG(ratchet_rename, struct inode *old_dir, struct dentry *old_dentry,
	     struct inode *new_dir, struct dentry *new_dentry)
{
	return guard_entry(old_dir, old_dentry, RATCHET_DETAIL_PIN_RENAME)
		       ?: guard_entry(new_dir, new_dentry,
				      RATCHET_DETAIL_PIN_RENAME);
}

/*
 * No umount of the pin mount or of any mount above it (`umount -l /run`
 * would detach the pins without the hook ever seeing their own mount).
 * And none at all, anywhere, while the pin mount's parent receives
 * propagation: mount_setattr(2) can make it shared without any hook, and
 * an umount in a peer would then propagate to the pins unseen. Copies of
 * ratchet's mounts in other namespaces may go: nothing propagates from
 * them to the originals while that parent receives nothing.
 */
SEC("lsm/sb_umount")
int BPF_PROG(ratchet_sb_umount, struct vfsmount *mnt, int flags)
{
	struct ratchet_state *s = sealed();
	__u32 detail;

	if (!s || !(detail = umount_reach(s, (__u64)mnt)))
		return 0;
	return deny_self(s, detail);
}

/*
 * mount(2) in path_mount() order: a remount or a bind changes neither
 * propagation nor place. A propagation change must not reach the pin
 * mount or its parent (directly, or by MS_REC from any ancestor). MS_MOVE
 * names its source by a string only, so no MS_MOVE at all is allowed in
 * the namespace that holds the pin mount: moved onto a dentry that can be
 * invalidated (/proc/PID, sysfs, FUSE), it would be detached unseen.
 */
SEC("lsm/sb_mount")
int BPF_PROG(ratchet_sb_mount, const char *dev_name, const struct path *path,
	     const char *type, unsigned long flags, void *data)
{
	struct ratchet_state *s;

	if ((flags & (MS_REMOUNT | MS_BIND)) ||
	    !(flags & (MS_PROPAGATION | MS_MOVE)) || !(s = sealed()))
		return 0;
	if (!(flags & MS_PROPAGATION))
		return in_pin_ns(s) ? deny_self(s, RATCHET_DETAIL_MOVE) : 0;
	if (reaches_pin(chain_at(s, (__u64)path->mnt), flags & MS_REC))
		return deny_self(s, RATCHET_DETAIL_PROPAGATION);
	return 0;
}

/*
 * move_mount(2) names both ends by object. Refused: moving the pin mount
 * or any mount above it (from); anything onto, beneath or into the peer
 * group of the pin mount or its parent (to); and onto or beneath the root
 * of any mount above them, which would insert mounts into the chain.
 */
SEC("lsm/move_mount")
int BPF_PROG(ratchet_move_mount, const struct path *from_path,
	     const struct path *to_path)
{
	struct ratchet_state *s = sealed();
	struct vfsmount *to;

	if (!s)
		return 0;
	to = to_path->mnt;
	if (from_path->mnt->mnt_sb->s_dev == s->pin_dev ||
	    to->mnt_sb->s_dev == s->pin_dev ||
	    chain_at(s, (__u64)from_path->mnt) >= 0)
		return deny_self(s, RATCHET_DETAIL_MOVE_MOUNT);
	if (reaches_pin(chain_at(s, (__u64)to),
			to_path->dentry == to->mnt_root))
		return deny_self(s, RATCHET_DETAIL_MOVE_MOUNT);
	return 0;
}

/*
 * pivot_root re-parents the namespace's old root, with the pin mount
 * under it, onto any dentry the caller picks. Not in the pins' namespace.
 */
SEC("lsm/sb_pivotroot")
int BPF_PROG(ratchet_pivotroot, const struct path *old_path,
	     const struct path *new_path)
{
	struct ratchet_state *s = sealed();

	return s && in_pin_ns(s) ? deny_self(s, RATCHET_DETAIL_PIVOT_ROOT) : 0;
}
