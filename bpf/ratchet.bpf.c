// SPDX-License-Identifier: GPL-2.0
/*
 * ratchet.bpf.c - enforcement and self-protection.
 *
 * Policy lives only in the frozen "state" map: these programs read it, and
 * only ratchet_raise (a syscall program) can OR new bits into it. Every
 * program denies with a negative errno or allows with 0; none returns a
 * positive value.
 *
 * No LSM program here declares the hook's trailing "int ret": the BPF
 * trampoline runs LSM programs as fmod_ret programs and jumps out at the
 * first non-zero return (invoke_bpf_mod_ret in arch/x86/net/bpf_jit_comp.c,
 * 6.1 to 7.2), so ret is always 0 when one of ours runs. Reading it is also
 * wrong where a hook gains a parameter: 7.x added "bool kernel" to
 * security_bpf, and the slot a 3-argument program read as ret was that
 * flag. Each program reads only the leading parameters the CLI checks in
 * the kernel's BTF before loading (src/features.c).
 *
 * Every subprogram is static (inlined): a global one could be replaced
 * with freplace.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ratchet.h"

#define EPERM  1
#define ENOENT 2
/* uapi #defines, which vmlinux.h cannot carry */
#define BPF_F_REPLACE (1U << 2)

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ratchet_state);
} state SEC(".maps");

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

SEC("lsm/locked_down")
int BPF_PROG(ratchet_locked_down, enum lockdown_reason what)
{
	/* Kernel reasons use their enum value as slot, resolved from BTF. */
	if ((__u32)what >= RATCHET_REASON_SLOTS)
		return 0;
	return decide((__u32)what, RATCHET_DETAIL_NONE, (__s32)what);
}

SEC("lsm/kernel_load_data")
int BPF_PROG(ratchet_load_data, enum kernel_load_data_id id, bool contents)
{
	if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_MODULE))
		return decide(RATCHET_SLOT_MODULES, RATCHET_DETAIL_INIT_MODULE,
			      -1);
	if (id ==
	    bpf_core_enum_value(enum kernel_load_data_id, LOADING_KEXEC_IMAGE))
		return decide(RATCHET_SLOT_KEXEC_IMAGE,
			      RATCHET_DETAIL_KEXEC_LOAD, -1);
	return 0;
}

SEC("lsm/kernel_read_file")
int BPF_PROG(ratchet_read_file, struct file *file, enum kernel_read_file_id id,
	     bool contents)
{
	if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_MODULE))
		return decide(RATCHET_SLOT_MODULES, RATCHET_DETAIL_FINIT_MODULE,
			      -1);
	if (id ==
	    bpf_core_enum_value(enum kernel_read_file_id, READING_KEXEC_IMAGE))
		return decide(RATCHET_SLOT_KEXEC_IMAGE,
			      RATCHET_DETAIL_KEXEC_FILE_KERNEL, -1);
	if (id == bpf_core_enum_value(enum kernel_read_file_id,
				      READING_KEXEC_INITRAMFS))
		return decide(RATCHET_SLOT_KEXEC_IMAGE,
			      RATCHET_DETAIL_KEXEC_FILE_INITRAMFS, -1);
	return 0;
}

/* ---- the pin mount: docs/threat-model.md ---- */

/* uapi #defines, which vmlinux.h cannot carry */
#define EBUSY	       16
#define ENOTDIR	       20
#define EXDEV	       18
#define ELOOP	       40
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

/*
 * How far up from the pin mount the walks below look. Deeper than this
 * is answered as if the mount looked for were there: fail closed.
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

/*
 * Walk from the pin mount (depth 0), its parent (1), up to its root.
 * Returns the depth at which the vfsmount @mnt is, or at which the
 * dentry @mp is a mountpoint; -1 if neither is on the chain; CHAIN_MAX
 * if the chain is too long to tell, or no pin mount is known.
 */
static __always_inline int chain_find(struct ratchet_state *s, __u64 mnt,
				      __u64 mp)
{
	__u64 off = bpf_core_field_offset(struct mount, mnt);
	struct mount *m, *p;
	int i;

	if (!s->pin_mnt)
		return CHAIN_MAX;
	m = real_mount(s->pin_mnt);
	for (i = 0; i < CHAIN_MAX; i++) {
		if (mnt && (__u64)m + off == mnt)
			return i;
		p = BPF_CORE_READ(m, mnt_parent);
		if (!p || p == m)
			return -1;
		if (mp && (__u64)BPF_CORE_READ(m, mnt_mountpoint) == mp)
			return i;
		m = p;
	}
	return CHAIN_MAX;
}

/* Mounts from the pin mount up to its root, or CHAIN_MAX if more. */
static __always_inline int chain_depth(struct ratchet_state *s)
{
	struct mount *m, *p;
	int i;

	if (!s->pin_mnt)
		return CHAIN_MAX;
	m = real_mount(s->pin_mnt);
	for (i = 0; i < CHAIN_MAX; i++) {
		p = BPF_CORE_READ(m, mnt_parent);
		if (!p || p == m)
			return i + 1;
		m = p;
	}
	return CHAIN_MAX;
}

/*
 * What an umount of @mnt would do to the pins, in one walk up from the
 * pin mount: RATCHET_DETAIL_UMOUNT if @mnt is on the chain, _UNSAFE if
 * the chain is too long to tell (as chain_depth() counts it) or if an
 * umount anywhere could reach the pin mount, else 0. The latter holds
 * only if its parent receives propagation (the kernel never propagates
 * to a mount's parent a removal it would not first make on the mount:
 * see receives_from() in 7.x, propagation_next() in 6.x). A pin mount
 * with no parent (made a root) is never a candidate. Every umount on the
 * machine runs this: one walk instead of chain_find() then chain_depth().
 */
static __always_inline __u32 umount_reach(struct ratchet_state *s, __u64 mnt)
{
	__u64 off = bpf_core_field_offset(struct mount, mnt);
	struct mount *m, *p, *parent = 0;
	int i;

	if (!s->pin_mnt)
		return RATCHET_DETAIL_UMOUNT_UNSAFE;
	m = real_mount(s->pin_mnt);
	for (i = 0; i < CHAIN_MAX; i++) {
		if ((__u64)m + off == mnt)
			return RATCHET_DETAIL_UMOUNT;
		p = BPF_CORE_READ(m, mnt_parent);
		if (!p || p == m) {
			if (i + 1 == CHAIN_MAX ||
			    (parent && receives_propagation(parent)))
				return RATCHET_DETAIL_UMOUNT_UNSAFE;
			return 0;
		}
		if (!i)
			parent = p;
		m = p;
	}
	return RATCHET_DETAIL_UMOUNT_UNSAFE;
}

/* Is the current task in the mount namespace that holds the pin mount? */
static __always_inline int in_pin_ns(struct ratchet_state *s)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct mount *pin = real_mount(s->pin_mnt);

	return BPF_CORE_READ(t, nsproxy, mnt_ns) == BPF_CORE_READ(pin, mnt_ns);
}

/*
 * The first lock runs ratchet_raise with its working directory at the
 * root of the pin bpffs it has just mounted. Record that mount, once the
 * kernel shows what the protections rest on: it is that bpffs, it is in
 * the initial mount namespace (a namespace that dies takes its mounts
 * along, with no hook), and its parent receives no propagation.
 */
static __always_inline int record_pin(struct ratchet_state *s, __u64 dev)
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
	if (!p || p == m || receives_propagation(p))
		return -EBUSY;
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
	/* Sealing: refused as a whole unless the pin mount can be held. */
	if (a->pin_dev && !s->pin_dev && (err = record_pin(s, a->pin_dev)))
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
		__sync_val_compare_and_swap(&s->sealed_ns, 0,
					    bpf_ktime_get_boot_ns());
		__sync_val_compare_and_swap(&s->pin_dev, 0, a->pin_dev);
	}
	return 0;
}

/* ---- self-protection ---- */

/*
 * d_mountpoint(): 7.x made the dentry flags an enum (resolved from BTF);
 * 6.1 and 6.12 have DCACHE_MOUNTED as a #define, 0x10000, not in BTF.
 */
static __always_inline int d_mounted(struct dentry *d)
{
	__u32 bit = 0x10000;

	if (bpf_core_enum_value_exists(enum dentry_flags, DCACHE_MOUNTED))
		bit = bpf_core_enum_value(enum dentry_flags, DCACHE_MOUNTED);
	return d && (d->d_flags & bit);
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

	if ((!pins && !mp) || !(s = sealed()))
		return 0;
	if (pins && dir->i_sb->s_dev == s->pin_dev)
		return deny_self(s, detail);
	if (mp && chain_find(s, 0, (__u64)d) >= 0)
		return deny_self(s, RATCHET_DETAIL_MOUNTPOINT);
	return 0;
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
	int depth;

	if ((flags & (MS_REMOUNT | MS_BIND)) ||
	    !(flags & (MS_PROPAGATION | MS_MOVE)) || !(s = sealed()))
		return 0;
	if (!(flags & MS_PROPAGATION))
		return in_pin_ns(s) ? deny_self(s, RATCHET_DETAIL_MOVE) : 0;
	depth = chain_find(s, (__u64)path->mnt, 0);
	if (depth == 0 || depth == 1 || (depth > 1 && (flags & MS_REC)))
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
	int depth;

	if (!s)
		return 0;
	to = to_path->mnt;
	if (from_path->mnt->mnt_sb->s_dev == s->pin_dev ||
	    to->mnt_sb->s_dev == s->pin_dev ||
	    chain_find(s, (__u64)from_path->mnt, 0) >= 0)
		return deny_self(s, RATCHET_DETAIL_MOVE_MOUNT);
	depth = chain_find(s, (__u64)to, 0);
	if (depth == 0 || depth == 1 ||
	    (depth > 1 && to_path->dentry == to->mnt_root))
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

/*
 * How the CLI reads the state once sealed: no fd to the map can be had
 * then, but this program copies it out through its context, with what
 * the pin mount looks like right now.
 */
SEC("syscall")
int ratchet_snapshot(struct ratchet_snapshot *out)
{
	struct ratchet_state *s = get_state();
	__u64 *dst = (__u64 *)out, *src;
	struct mount *m, *p;
	int i;

	if (!s)
		return -ENOENT;
	src = (__u64 *)s;
	/*
	 * Too big for an inlined memcpy: copy it a word at a time, unrolled,
	 * since the verifier wants constant offsets into the context.
	 */
#pragma clang loop unroll(full)
	for (i = 0; i < sizeof(*s) / 8; i++)
		dst[i] = src[i];
	if (!s->pin_mnt)
		return 0;
	m = real_mount(s->pin_mnt);
	p = BPF_CORE_READ(m, mnt_parent);
	out->pin.mnt_id = BPF_CORE_READ(m, mnt_id);
	out->pin.parent_id = BPF_CORE_READ(p, mnt_id);
	out->pin.parent_group = BPF_CORE_READ(p, mnt_group_id);
	out->pin.parent_master = BPF_CORE_READ(p, mnt_master) != 0;
	out->pin.in_init_ns = BPF_CORE_READ(m, mnt_ns) == init_mnt_ns();
	i = chain_depth(s);
	out->pin.depth = i == CHAIN_MAX ? 0 : i;
	return 0;
}

/*
 * Freezing stops writes through bpf(2) only: a BPF program holding any fd
 * to the state map, even a read-only one, could still write it. So once
 * sealed no new fd to it is made at all, by id or from its pin. ENOENT,
 * not EPERM: listing tools such as bpftool skip a map that has gone and
 * would stop at a refusal.
 */
SEC("lsm/bpf_map")
int BPF_PROG(ratchet_bpf_map, struct bpf_map *map, fmode_t fmode)
{
	struct ratchet_state *s;

	/*
	 * Any other map returns on one compare: &state is the kernel's
	 * struct bpf_map of this object's state map, the one whose id
	 * ratchet_raise records at sealing.
	 */
	if ((void *)map != (void *)&state || !(s = sealed()))
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

#define SYSCTL_NAME(id, name, rule) name,
#define SYSCTL_RULE(id, name, rule) rule,
/* .rodata: frozen by libbpf, so the table cannot be rewritten. */
const volatile char sysctl_names[RATCHET_SYSCTL_END]
				[RATCHET_SYSCTL_NAME_MAX] = { RATCHET_SYSCTLS(
					SYSCTL_NAME) };
const volatile __u8 sysctl_rules[] = { RATCHET_SYSCTLS(SYSCTL_RULE) };
_Static_assert(sizeof(sysctl_names) / sizeof(sysctl_names[0]) ==
		       RATCHET_SYSCTL_END,
	       "a raise-only sysctl without its name");
_Static_assert(sizeof(sysctl_rules) == RATCHET_SYSCTL_END,
	       "a raise-only sysctl without its rule");

static __always_inline int knob_index(const char *name)
{
	int k, i;

	for (k = 0; k < RATCHET_SYSCTL_END; k++)
		for (i = 0; i < RATCHET_SYSCTL_NAME_MAX; i++) {
			if (name[i] != sysctl_names[k][i])
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
static __always_inline int allowed_write(struct bpf_sysctl *ctx, int k)
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
	return stricter(sysctl_rules[k], c, n);
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
	struct ratchet_state *s;
	struct ratchet_event *e;
	__u32 slot = RATCHET_SLOT_SELF;
	enum verdict v = DENY;
	int k;

	if (!ctx->write || !(s = sealed()))
		return 1;
	/*
	 * Not a knob of ours: allowed. bpf_sysctl_get_name fails with
	 * -E2BIG (strscpy) for a name longer than the buffer, and every
	 * knob's name fits in it (ratchet.h checks that at compile time);
	 * its -EINVAL needs a NULL buffer or table header, which neither we
	 * nor proc_sys_call_handler pass (kernel/bpf/cgroup.c, 6.1 to 7.2).
	 */
	if (bpf_sysctl_get_name(ctx, name, sizeof(name), 0) < 0 ||
	    (k = knob_index(name)) < 0)
		return 1;
	if (k != RATCHET_SYSCTL_FTRACE_ENABLED) {
		if (!(s->sysctls & (1ULL << (k & 63))))
			return 1;
		slot = RATCHET_SLOT_SYSCTL;
	}
	if (allowed_write(ctx, k))
		return 1;
	if (slot == RATCHET_SLOT_SELF)
		__sync_fetch_and_add(&s->denials[slot], 1);
	else if ((v = verdict(s, slot)) == FREE)
		return 1;
	e = reserve(s, slot, RATCHET_DETAIL_SYSCTL_WRITE, k, v == DENY);
	if (e)
		bpf_ringbuf_submit(e, 0);
	return v != DENY;
}
