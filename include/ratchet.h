/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratchet.h - what the BPF programs and the ratchet CLI share.
 *
 * Every restriction is a "slot". A kernel lockdown reason uses its own
 * enum lockdown_reason value as its slot: the CLI resolves that value from
 * the running kernel's BTF, so nothing here knows a reason's number. The
 * extras ratchet adds on top of the kernel's reasons live above the range
 * any lockdown_reason can take.
 */
#ifndef RATCHET_H
#define RATCHET_H

#ifndef __bpf__
#include <linux/types.h>
#endif

#define RATCHET_SLOTS 128
#define RATCHET_WORDS (RATCHET_SLOTS / 64)
/* lockdown_reason values must stay below this; the CLI checks it. */
#define RATCHET_REASON_SLOTS 64

enum ratchet_extra_slot {
	RATCHET_SLOT_MODULES = RATCHET_REASON_SLOTS,
	RATCHET_SLOT_KEXEC_IMAGE,
	/* Raise-only sysctls; which knobs is in ratchet_state.sysctls. */
	RATCHET_SLOT_SYSCTL,
	/* Not lockable: counts and reports what the self-protection refused. */
	RATCHET_SLOT_SELF,
	RATCHET_SLOT_END,
};

/*
 * Raise-only sysctls: the name as a cgroup/sysctl program sees it, and the
 * stricter direction. One table for the BPF program and the CLI.
 */
enum ratchet_sysctl_rule {
	RATCHET_RULE_NONE,   /* no rule: every write is refused */
	RATCHET_RULE_HIGHER, /* the value may only grow */
	RATCHET_RULE_SUBSET, /* bitmask (kernel.sysrq): bits may only go */
	RATCHET_RULE_UNPRIV, /* unprivileged_bpf_disabled: 0 < 2 < 1 */
	RATCHET_RULE_ONE,    /* pinned to 1 */
};

#define RATCHET_SYSCTLS(X)                                                     \
	X(KPTR_RESTRICT, "kernel/kptr_restrict", RATCHET_RULE_HIGHER)          \
	X(DMESG_RESTRICT, "kernel/dmesg_restrict", RATCHET_RULE_HIGHER)        \
	X(PERF_EVENT_PARANOID, "kernel/perf_event_paranoid",                   \
	  RATCHET_RULE_HIGHER)                                                 \
	X(PTRACE_SCOPE, "kernel/yama/ptrace_scope", RATCHET_RULE_HIGHER)       \
	X(BPF_JIT_HARDEN, "net/core/bpf_jit_harden", RATCHET_RULE_HIGHER)      \
	X(UNPRIVILEGED_BPF_DISABLED, "kernel/unprivileged_bpf_disabled",       \
	  RATCHET_RULE_UNPRIV)                                                 \
	X(SYSRQ, "kernel/sysrq", RATCHET_RULE_SUBSET)                          \
	X(FTRACE_ENABLED, "kernel/ftrace_enabled", RATCHET_RULE_ONE)

#define RATCHET_SYSCTL_ENUM(id, name, rule) RATCHET_SYSCTL_##id,
enum ratchet_sysctl { RATCHET_SYSCTLS(RATCHET_SYSCTL_ENUM) RATCHET_SYSCTL_END };
#define RATCHET_SYSCTL_NAME_MAX 40
/* ratchet_state.sysctls has a bit per knob. */
_Static_assert(RATCHET_SYSCTL_END <= 64, "too many raise-only sysctls");
/* Every name fits, with its NUL: a longer name is no knob of ours. */
#define RATCHET_SYSCTL_FITS(id, name, rule)                                    \
	_Static_assert(sizeof(name) <= RATCHET_SYSCTL_NAME_MAX, name);
RATCHET_SYSCTLS(RATCHET_SYSCTL_FITS)

/*
 * Where a denial happened, beyond the restriction itself: one row per
 * detail, with the hook that refused and what the caller was doing (NULL:
 * the restriction's own name says it). The enum and the monitor's table
 * both come from this list, so no detail can lack its description.
 */
#define RATCHET_DETAILS(X)                                                     \
	X(NONE, "locked_down", NULL)                                           \
	X(INIT_MODULE, "kernel_load_data", "init_module")                      \
	X(FINIT_MODULE, "kernel_read_file", "finit_module")                    \
	X(KEXEC_LOAD, "kernel_load_data", "kexec_load")                        \
	X(KEXEC_FILE_KERNEL, "kernel_read_file",                               \
	  "kexec_file_load of a kernel")                                       \
	X(KEXEC_FILE_INITRAMFS, "kernel_read_file",                            \
	  "kexec_file_load of an initramfs")                                   \
	X(PIN_UNLINK, "inode_unlink", "removal of a ratchet pin")              \
	X(PIN_RENAME, "inode_rename", "rename in ratchet's pin directory")     \
	X(UMOUNT, "sb_umount",                                                 \
	  "umount of ratchet's pin mount or a mount above it")                 \
	X(BPF_LOAD, "bpf", "load of an LSM, fmod_ret or freplace program")     \
	X(SYSCTL_DETACH, "bpf", "detach or replace of cgroup/sysctl programs") \
	X(STATE_FD, "bpf_map", "new fd to ratchet's state map")                \
	X(SYSCTL_WRITE, "cgroup/sysctl", "write to a raise-only sysctl")       \
	X(PROPAGATION, "sb_mount",                                             \
	  "propagation change reaching ratchet's pin mount")                   \
	X(MOVE, "sb_mount",                                                    \
	  "mount --move in the mount namespace of ratchet's pins")             \
	X(MOVE_MOUNT, "move_mount",                                            \
	  "move_mount of, onto or beneath ratchet's pin mounts")               \
	X(PIVOT_ROOT, "sb_pivotroot",                                          \
	  "pivot_root in the mount namespace of ratchet's pins")               \
	X(MOUNTPOINT, "inode_rmdir/unlink/rename",                             \
	  "removal or rename of a mountpoint above ratchet's pins")            \
	X(UMOUNT_UNSAFE, "sb_umount",                                          \
	  "umount while ratchet's pin mount can receive propagation "          \
	  "(made shared or slave)")                                            \
	X(FINIT_MODULE_COMPRESSED, "kernel_read_file",                         \
	  "finit_module of a compressed module, decompressed by the kernel")   \
	X(READ_UNKNOWN, "kernel_read_file",                                    \
	  "kernel_read_file of a kind ratchet does not know")                  \
	X(LOAD_UNKNOWN, "kernel_load_data",                                    \
	  "kernel_load_data of a kind ratchet does not know")

#define RATCHET_DETAIL_ENUM(id, hook, what) RATCHET_DETAIL_##id,
enum ratchet_detail { RATCHET_DETAILS(RATCHET_DETAIL_ENUM) RATCHET_DETAIL_END };

/*
 * What the kernel is reading or loading, as ratchet decides it: every
 * value of the running kernel's enum kernel_read_file_id and
 * kernel_load_data_id is classified by name (src/kinds.c) into a table of
 * the tables map before any program is attached. Zero is "unknown", so a value
 * the table does not name is refused while `modules` or `kexec-image` is
 * locked, never waved through (docs/threat-model.md, "Reaching a locked
 * operation another way").
 */
enum ratchet_kind {
	RATCHET_KIND_UNKNOWN,		/* refused while an extra is locked */
	RATCHET_KIND_FREE,		/* firmware, policy, certificates */
	RATCHET_KIND_MODULE,		/* the module itself */
	RATCHET_KIND_MODULE_COMPRESSED, /* finit_module's compressed file */
	RATCHET_KIND_KEXEC_KERNEL,
	RATCHET_KIND_KEXEC_INITRAMFS,
};
/* Table entries per enum; an id value at or above it is unknown. */
#define RATCHET_KIND_IDS 32

/*
 * The tables the programs decide by, the one element of an array map of
 * their own ("tables"), BPF_F_RDONLY_PROG: the CLI fills it after loading
 * (src/tables.c) and freezes it before any program is attached. Not
 * .rodata: a program reaches a .rodata variable through an ld_imm64 whose
 * offset the kernel's program tag leaves out (bpf_prog_calc_tag() zeroes
 * the imm of both halves), so a look-alike could point a program at other
 * bytes without changing its tag. A map lookup carries no such offset, and
 * the map itself is checked by content (docs/threat-model.md, "A lock that
 * is not ratchet's").
 */
struct ratchet_tables {
	char sysctl_names[RATCHET_SYSCTL_END][RATCHET_SYSCTL_NAME_MAX];
	__u8 sysctl_rules[RATCHET_SYSCTL_END];
	__u8 read_kinds[RATCHET_KIND_IDS]; /* enum ratchet_kind */
	__u8 load_kinds[RATCHET_KIND_IDS];
};

/* One denial, or one "would deny" in permissive mode. */
struct ratchet_event {
	__u64 boot_ns; /* CLOCK_BOOTTIME */
	__u64 cgroup_id;
	__u32 pid, tgid, ppid, uid;
	__u32 slot;
	__u32 detail; /* enum ratchet_detail */
	/*
	 * enum lockdown_reason value; the knob (SYSCTL_WRITE); the kernel's
	 * id value (READ_UNKNOWN, LOAD_UNKNOWN); or -1
	 */
	__s32 reason;
	__u32 denied; /* 0: permissive, let through */
	char comm[16];
	char exe[64]; /* basename of the executable */
};

struct ratchet_mask {
	__u64 w[RATCHET_WORDS];
};

/*
 * The whole policy, one array element in a frozen map. Userspace can never
 * write it; only ratchet_raise ORs bits in, so every field is raise-only
 * by construction. A restriction is enforced if its enforce bit is set, and
 * only reported ("would deny") if just its permissive bit is set.
 */
struct ratchet_state {
	struct ratchet_mask enforce;
	struct ratchet_mask permissive;
	__u64 denials[RATCHET_SLOTS]; /* exact, listener or not */
	__u64 drops;		      /* events lost to a full ring */
	/*
	 * Kernel dev_t of ratchet's own bpffs instance, holding the pins.
	 * Zero until the first lock completes ("sealed"); written once.
	 */
	__u64 pin_dev;
	/*
	 * Address of the vfsmount of the pin bpffs in the initial mount
	 * namespace, recorded by ratchet_raise as it seals (from the
	 * caller's working directory, which the first lock sets to it).
	 */
	__u64 pin_mnt;
	/* Bit per enum ratchet_sysctl: knobs that only move stricter. */
	__u64 sysctls;
	/* CLOCK_BOOTTIME of the first lock, as bpf_prog_info.load_time. */
	__u64 sealed_ns;
	/* This map's own id: once sealed no new fd to it is ever made. */
	__u32 state_map_id;
	__u32 pad;
};

/* Context of the ratchet_raise syscall program. */
struct ratchet_raise_args {
	struct ratchet_mask enforce;
	struct ratchet_mask permissive;
	__u64 pin_dev;
	__u64 sysctls;
	__u32 state_map_id;
	__u32 pad;
	/* Sealing only: dev_t of ratchet's tmpfs, the pin mount's parent. */
	__u64 run_dev;
};

/*
 * What ratchet_snapshot reads live from the kernel's mount objects, next
 * to the state: where the pin mount is and whether an umount anywhere
 * could reach it (docs/threat-model.md, "The pin mount").
 */
struct ratchet_pin_view {
	__u32 mnt_id;	     /* the pin mount's id, as in mountinfo */
	__u32 parent_id;     /* its parent's */
	__u32 parent_group;  /* the parent's peer group: 0 unless shared */
	__u32 parent_master; /* 1: the parent receives from a master */
	__u32 in_init_ns;    /* 1: the pin mount is in the initial namespace */
	__u32 depth;	     /* mounts from the pin mount to its root, or 0 */
};

/*
 * What ratchet_snapshot reads live from the kernel's struct bpf_map of one
 * of its own maps: who holds it (docs/threat-model.md, "A lock that is not
 * ratchet's"). Once the first lock has closed its fds, nothing but its
 * programs may hold the state map: a user reference (an fd, a pin, an
 * iterator) could let a program of its holder write it.
 */
struct ratchet_map_view {
	__s64 refcnt;  /* every reference: user ones, programs, outer maps */
	__s64 usercnt; /* user references: fds, pins, iterator links */
	__u32 id;
	__u32 frozen;
};

/* Context of the ratchet_snapshot syscall program, filled on return. */
struct ratchet_snapshot {
	struct ratchet_state state;
	struct ratchet_pin_view pin;
	struct ratchet_map_view state_map, tables_map, events_map;
};

static inline int ratchet_mask_test(const struct ratchet_mask *m,
				    unsigned int slot)
{
	return slot < RATCHET_SLOTS && ((m->w[slot / 64] >> (slot % 64)) & 1);
}

/* Every bit of @want is in @have. */
static inline int ratchet_mask_covers(const struct ratchet_mask *have,
				      const struct ratchet_mask *want)
{
	int i;

	for (i = 0; i < RATCHET_WORDS; i++)
		if ((have->w[i] & want->w[i]) != want->w[i])
			return 0;
	return 1;
}

static inline void ratchet_mask_set(struct ratchet_mask *m, unsigned int slot)
{
	if (slot < RATCHET_SLOTS)
		m->w[slot / 64] |= 1ULL << (slot % 64);
}

static inline void ratchet_mask_or(struct ratchet_mask *a,
				   const struct ratchet_mask *b)
{
	int i;

	for (i = 0; i < RATCHET_WORDS; i++)
		a->w[i] |= b->w[i];
}

/* Clear in @a every bit of @b. */
static inline void ratchet_mask_andnot(struct ratchet_mask *a,
				       const struct ratchet_mask *b)
{
	int i;

	for (i = 0; i < RATCHET_WORDS; i++)
		a->w[i] &= ~b->w[i];
}

static inline int ratchet_mask_empty(const struct ratchet_mask *m)
{
	int i;

	for (i = 0; i < RATCHET_WORDS; i++)
		if (m->w[i])
			return 0;
	return 1;
}

/*
 * Whether the kernel's state @st holds a request: every @enforce bit
 * enforced, every @permissive bit at least permissive (a restriction
 * already enforced stays so, which is more than asked), every @sysctls
 * knob raise-only. The one test of "is it in force" for lock and apply.
 */
static inline int ratchet_state_covers(const struct ratchet_state *st,
				       const struct ratchet_mask *enforce,
				       const struct ratchet_mask *permissive,
				       __u64 sysctls)
{
	struct ratchet_mask either = st->enforce;

	ratchet_mask_or(&either, &st->permissive);
	return ratchet_mask_covers(&st->enforce, enforce) &&
	       ratchet_mask_covers(&either, permissive) &&
	       (st->sysctls & sysctls) == sysctls;
}

#endif /* RATCHET_H */
