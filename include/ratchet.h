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

/*
 * Every LSM hook ratchet's BPF programs attach to (SEC("lsm/NAME") in bpf/),
 * with the parameters its program reads, by position and in order, as the
 * kernel names them in bpf_lsm_<hook> (include/linux/lsm_hook_defs.h). The
 * CLI checks each prototype in the running kernel's BTF before a lock
 * (src/features.c) and guards each hook (bpf/bpfself.h); the unit tests
 * build their synthetic kernels from this list, and tests/unit/
 * test_registry.sh fails when a program's hook is missing here or an entry
 * here has no program.
 */
#define RATCHET_HOOKS(X)                                                       \
	X(locked_down, "what")                                                 \
	X(kernel_load_data, "id,contents")                                     \
	X(kernel_read_file, "file,id,contents")                                \
	X(kernel_post_load_data, "buf,size,id,description")                    \
	X(kernel_post_read_file, "file,buf,size,id")                           \
	X(inode_unlink, "dir,dentry")                                          \
	X(inode_rmdir, "dir,dentry")                                           \
	X(inode_rename, "old_dir,old_dentry,new_dir,new_dentry")               \
	X(sb_umount, "mnt,flags")                                              \
	X(sb_mount, "dev_name,path,type,flags,data")                           \
	X(move_mount, "from_path,to_path")                                     \
	X(sb_pivotroot, "old_path,new_path")                                   \
	X(bpf_map, "map,fmode")                                                \
	X(bpf_prog, "prog")                                                    \
	X(bpf, "cmd,attr,size")

#define RATCHET_HOOK_ENUM(hook, params) RATCHET_HOOK_##hook,
enum ratchet_hook { RATCHET_HOOKS(RATCHET_HOOK_ENUM) RATCHET_HOOK_END };

/*
 * The restrictions ratchet adds on top of the kernel's lockdown reasons,
 * one line each: the id of its slot, its name on the command line, the
 * hooks that enforce it (names of RATCHET_HOOKS, or "cgroup/sysctl"),
 * comma separated, and what it blocks (`ratchet list`, ratchet(8)); NULL
 * there: the description is made from RATCHET_SYSCTLS. The slots, the
 * catalogue's rows and the man page come from here; a unit test holds
 * the hooks to RATCHET_HOOKS.
 */
#define RATCHET_EXTRAS(X)                                                      \
	X(MODULES, "modules",                                                  \
	  "kernel_load_data,kernel_read_file,kernel_post_load_data,"           \
	  "kernel_post_read_file",                                             \
	  "loading any kernel module, signed or not (init_module, "            \
	  "finit_module)")                                                     \
	X(KEXEC_IMAGE, "kexec-image",                                          \
	  "kernel_load_data,kernel_read_file,kernel_post_load_data,"           \
	  "kernel_post_read_file",                                             \
	  "loading any new kexec or crash image, signed or not (kexec_load, "  \
	  "kexec_file_load)")                                                  \
	X(SYSCTL, "sysctl", "cgroup/sysctl", NULL)

#define RATCHET_EXTRA_ENUM(id, name, hooks, desc) RATCHET_EXTRA_##id,
enum ratchet_extra { RATCHET_EXTRAS(RATCHET_EXTRA_ENUM) RATCHET_EXTRA_END };

/* The extras' slots sit above the range of any lockdown_reason. */
#define RATCHET_SLOT_ENUM(id, name, hooks, desc)                               \
	RATCHET_SLOT_##id = RATCHET_REASON_SLOTS + RATCHET_EXTRA_##id,
enum ratchet_extra_slot {
	RATCHET_EXTRAS(RATCHET_SLOT_ENUM)
	/* Not lockable: counts and reports what the self-protection refused. */
	RATCHET_SLOT_SELF = RATCHET_REASON_SLOTS + RATCHET_EXTRA_END,
	RATCHET_SLOT_END,
};
_Static_assert(RATCHET_SLOT_END <= RATCHET_SLOTS, "too many extras");

/*
 * How a raise-only sysctl may move: the rule, then what it means (ratchet
 * list, both man pages) and a few words for lists. RATCHET_RULE_NONE is
 * no rule: a knob with it refuses every write.
 */
#define RATCHET_RULES(X)                                                       \
	X(NONE, "every write is refused", "")                                  \
	X(HIGHER, "may only be raised", "")                                    \
	X(SUBSET,                                                              \
	  "bits may only be cleared, never set (1, every function, counts "    \
	  "as all bits)",                                                      \
	  "bits only go")                                                      \
	X(UNPRIV, "may only become stricter: 0, then 2, then 1",               \
	  "0, 2, then 1")                                                      \
	X(ONE,                                                                 \
	  "stays 1; once anything is locked it does anyway, since 0 would "    \
	  "switch every BPF LSM program off",                                  \
	  "stays 1")

#define RATCHET_RULE_ENUM(id, means, brief) RATCHET_RULE_##id,
enum ratchet_sysctl_rule { RATCHET_RULES(RATCHET_RULE_ENUM) };

/*
 * The raise-only sysctls, one line each and the one place that names
 * them: the name as a cgroup/sysctl program sees it, its rule, and two
 * test values, a lower and a stricter one (tests/vm/cases/sysctl.sh
 * lowers the knob to the first before the lock, raises it to the second
 * after, and checks that it cannot go back). The BPF program, the CLI,
 * `ratchet list`, both man pages, the bash completion and the VM test all
 * take the knobs from here.
 */
#define RATCHET_SYSCTLS(X)                                                     \
	X(KPTR_RESTRICT, "kernel/kptr_restrict", HIGHER, 0, 1)                 \
	X(DMESG_RESTRICT, "kernel/dmesg_restrict", HIGHER, 0, 1)               \
	X(PERF_EVENT_PARANOID, "kernel/perf_event_paranoid", HIGHER, 1, 2)     \
	X(PTRACE_SCOPE, "kernel/yama/ptrace_scope", HIGHER, 0, 1)              \
	X(BPF_JIT_HARDEN, "net/core/bpf_jit_harden", HIGHER, 0, 1)             \
	X(UNPRIVILEGED_BPF_DISABLED, "kernel/unprivileged_bpf_disabled",       \
	  UNPRIV, 0, 2)                                                        \
	X(SYSRQ, "kernel/sysrq", SUBSET, 438, 16)                              \
	X(FTRACE_ENABLED, "kernel/ftrace_enabled", ONE, 0, 1)

#define RATCHET_SYSCTL_ENUM(id, name, rule, low, high) RATCHET_SYSCTL_##id,
enum ratchet_sysctl { RATCHET_SYSCTLS(RATCHET_SYSCTL_ENUM) RATCHET_SYSCTL_END };
#define RATCHET_SYSCTL_NAME_MAX 40
/* ratchet_state.sysctls has a bit per knob. */
_Static_assert(RATCHET_SYSCTL_END <= 64, "too many raise-only sysctls");
/* Every name fits, with its NUL: a longer name is no knob of ours. */
#define RATCHET_SYSCTL_FITS(id, name, rule, low, high)                         \
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
	X(SYSCTL_ATTACH, "bpf",                                                \
	  "attach, detach or replace of a cgroup/sysctl program")              \
	X(STATE_FD, "bpf_map",                                                 \
	  "new fd to one of ratchet's maps (state, tables, event log)")        \
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
	  "kernel_load_data of a kind ratchet does not know")                  \
	X(LSM_HOOK, "bpf_prog",                                                \
	  "LSM program on a hook of ratchet's (this kernel lets it return "    \
	  "a positive value)")                                                 \
	X(LSM_CGROUP, "bpf_prog",                                              \
	  "lsm_cgroup program on a hook of ratchet's (this kernel lets it "    \
	  "set a positive value)")                                             \
	X(FMOD_RET, "bpf_prog",                                                \
	  "fmod_ret program on a function in front of ratchet's hooks")        \
	X(FREPLACE, "bpf_prog",                                                \
	  "freplace program for an LSM, tracing, cgroup/sysctl or syscall "    \
	  "program")                                                           \
	X(KPROBE_OVERRIDE, "bpf_prog",                                         \
	  "kprobe program that overrides a return value")                      \
	X(KPROBE_WRITE, "bpf_prog",                                            \
	  "kprobe, uprobe or extension program that writes the registers it "  \
	  "is given (7.x)")                                                    \
	X(SYSCALL_TAIL_CALL, "bpf_prog",                                       \
	  "syscall program with a prog array: a tail call runs past its "      \
	  "context (7.x)")                                                     \
	X(UNKNOWN_KIND, "bpf_prog",                                            \
	  "program of a kind ratchet has not reasoned about")

/*
 * What the bpf_prog hook decides on (bpf/bpfself.h), filled by the CLI from
 * the running kernel's BTF before loading: the BTF ids of bpf_lsm_<hook>
 * and security_<hook> for up to RATCHET_GUARD_HOOKS hooks, the struct_ops
 * types reasoned about, and these flags.
 */
#define RATCHET_GUARD_HOOKS 32
/* The guard has room for every hook. */
_Static_assert(RATCHET_HOOK_END <= RATCHET_GUARD_HOOKS,
	       "RATCHET_GUARD_HOOKS too small");
#define RATCHET_GUARD_OPS 8
enum ratchet_guard_flag {
	/* The verifier keeps LSM programs to 0 or -errno (detected). */
	RATCHET_GUARD_LSM_RANGES = 1,
	/* fmod_ret reaches functions beyond security_* (error injection). */
	RATCHET_GUARD_ERROR_INJECTION = 2,
	/* The verifier keeps bpf_set_retval() to 0 or -errno (detected). */
	RATCHET_GUARD_SET_RETVAL_RANGES = 4,
	/* Set in ratchet_state.guard_flags, so that it is never 0 once set. */
	RATCHET_GUARD_RECORDED = 1U << 31,
};

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
/* Read-like syscalls a query can come from (bpf/audit.h). */
#define RATCHET_QUERY_NRS 8

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
	/*
	 * What bpf/audit.h needs to tell a read that only asks from the
	 * operation: the slot of LOCKDOWN_HIBERNATION (-1: none) and the
	 * read-like syscalls' numbers (~0 for an unused entry).
	 */
	__s32 query_slot;
	__u64 query_nr[RATCHET_QUERY_NRS];
	/*
	 * What the bpf_prog hook decides on (bpf/bpfself.h): the BTF ids of
	 * bpf_lsm_<hook> and security_<hook> of ratchet's hooks, the
	 * struct_ops types reasoned about, and enum ratchet_guard_flag (the
	 * ranges the verifier enforces, detected by the first lock).
	 */
	__u32 guard_lsm[RATCHET_GUARD_HOOKS];
	__u32 guard_sec[RATCHET_GUARD_HOOKS];
	__u32 guard_ops[RATCHET_GUARD_OPS];
	__u32 guard_flags;
};

/*
 * The event log: ratchet's programs write it, nothing else can (no fd to
 * it is ever made once sealed), and every reader reads it through the
 * ratchet_read program without consuming anything. An event's seq is its
 * place in the log, from 1, without gaps: a reader that misses a seq
 * missed an event overwritten before it read it (docs/threat-model.md,
 * "The audit channel").
 */
#define RATCHET_LOG_SIZE   4096 /* events kept; a power of two */
#define RATCHET_READ_BATCH 16	/* events per ratchet_read run */
/*
 * Repeated identical attempts (same restriction, detail, verdict, process
 * and executable) within this window after a logged one are folded: they
 * are counted, and logged later as one summary event with their count.
 */
#define RATCHET_FOLD_NS (10ULL * 1000000000ULL)
/*
 * Probes of one restriction by one executable (every run of status
 * --verify, every minute from the timer) fold for longer.
 */
#define RATCHET_FOLD_PROBE_NS (600ULL * 1000000000ULL)
/* A mark set by ratchet_mark (status --verify) lasts at most this long. */
#define RATCHET_MARK_NS (10ULL * 1000000000ULL)

enum ratchet_event_flag {
	/* The process had marked itself as probing (status --verify). */
	RATCHET_EVENT_PROBE = 1,
	/* Stands for @count folded attempts, the first of them as shown. */
	RATCHET_EVENT_SUMMARY = 2,
};

/* One denial, or one "would deny" in permissive mode. */
struct ratchet_event {
	__u64 seq;     /* place in the log, from 1; 0 while being written */
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
	__u32 denied;	/* 0: permissive, let through */
	__u32 flags;	/* enum ratchet_event_flag */
	__u32 count;	/* attempts this event stands for: 1, or a summary's */
	__u64 since_ns; /* a summary: when the first attempt was logged */
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
	/* Attempts by a marked process (status --verify): not in denials. */
	__u64 probes[RATCHET_SLOTS];
	/*
	 * Reads that only asked whether an operation would be allowed (the
	 * kernel answered no): not denials, and never logged one by one.
	 */
	__u64 queries[RATCHET_SLOTS];
	__u64 events; /* events written to the log: the newest one's seq */
	__u64 folded; /* attempts folded into a summary, not logged alone */
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
	/*
	 * The guard flags the lock loaded its programs with (enum
	 * ratchet_guard_flag, with RATCHET_GUARD_RECORDED), written once at
	 * sealing; the programs decide on their own .rodata copy.
	 */
	__u32 guard_flags;
	/*
	 * The id of the program scanner the first lock loaded after sealing
	 * (src/progscan.c), written once, by a raise after the seal: every
	 * program with an id up to it was in the kernel's program table when
	 * that lock's scan read it. A program whose load began before the
	 * seal and whose id is higher gets no fd (bpf/bpfself.h). Zero until
	 * written: then none of those gets one.
	 */
	__u32 prog_ids;
	/*
	 * Programs loaded since the seal (each load's fd asks the bpf_prog
	 * hook): the id allocator is cyclic, so once ids could have wrapped
	 * past prog_ids, no id is trusted.
	 */
	__u32 prog_loads;
};

/* Context of the ratchet_raise syscall program. */
struct ratchet_raise_args {
	struct ratchet_mask enforce;
	struct ratchet_mask permissive;
	__u64 pin_dev;
	__u64 sysctls;
	__u32 state_map_id;
	__u32 guard_flags; /* read at sealing only */
	/* Sealing only: dev_t of ratchet's tmpfs, the pin mount's parent. */
	__u64 run_dev;
	/* Once sealed, written once: struct ratchet_state, prog_ids. */
	__u32 prog_ids;
	__u32 pad;
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
	/*
	 * 1: a mount from the pin mount up to its namespace's root sits on a
	 * file system that can detach it with no hook (chain_safe(),
	 * bpf/mounts.h; an overlay passes at any level here)
	 */
	__u32 unsafe;
	__u32 pad;
};

/*
 * What ratchet_snapshot reads live from the kernel's struct bpf_map of one
 * of its own maps: who holds it (docs/threat-model.md, "A lock that is not
 * ratchet's"). Once the first lock has closed its fds, nothing but its
 * programs may hold the state map: a user reference (an fd, a pin, an
 * iterator) could let a program of its holder write it. And its shape:
 * a program's tag does not cover the maps it is bound to, so root can load
 * ratchet's exact programs with maps of another type (a per-CPU state
 * sealed on one CPU); the CLI holds each to what its object declares.
 */
struct ratchet_map_view {
	__s64 refcnt;  /* every reference: user ones, programs, outer maps */
	__s64 usercnt; /* user references: fds, pins, iterator links */
	__u32 id;
	__u32 frozen;
	__u32 type; /* enum bpf_map_type */
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;
	__u32 pad;
};

#define RATCHET_SCAN_MAGIC 0x72736361U /* "rsca" */

/*
 * One BPF program of the system, as bpf/progscan.bpf.c (an iter/bpf_prog
 * program the CLI loads to check a lock) reads it from its struct
 * bpf_prog: what bpf_prog_info leaves out and an overrule check needs
 * (src/bpf.c, rbpf_check_overrule()).
 */
struct ratchet_prog_scan {
	/*
	 * RATCHET_SCAN_MAGIC and the record's index (the iterator's
	 * seq_num): the iterator's fd does not seek, so a read count that
	 * came with nothing read cannot be told from the file position, and
	 * would shift every later record (red team 14). The reader holds
	 * each record to both.
	 */
	__u32 magic;
	__u32 seq;
	__u32 id;
	__u32 type;	     /* enum bpf_prog_type */
	__u32 attach_type;   /* expected_attach_type */
	__u32 attach_btf_id; /* the hook or function it attaches to */
	__u32 dst_type;	     /* an extension's target type */
	__u32 write_ctx;     /* 7.x aux->kprobe_write_ctx */
	char name[16];	     /* aux->name, for messages only */
	__u64 load_time;     /* CLOCK_BOOTTIME ns, as sealed_ns */
};

/*
 * The system calls that load code, with their numbers on x86-64 (0) and
 * for 32-bit tasks (1): arch/x86/entry/syscalls/syscall_64.tbl and
 * syscall_32.tbl (ABI: they never change). x32 calls carry
 * RATCHET_X32_SYSCALL_BIT and share the 64-bit numbers of three, but
 * kexec_load is 528 there ("528 x32 kexec_load compat_sys_kexec_load";
 * 246 is 64-bit only): red team 19 held one past a lock booted with
 * syscall.x32=y, which Debian's kernels build in.
 */
#define RATCHET_LOAD_CALLS(X)                                                  \
	X(175, 0, "init_module")                                               \
	X(313, 0, "finit_module")                                              \
	X(246, 0, "kexec_load")                                                \
	X(320, 0, "kexec_file_load")                                           \
	X(528, 0, "kexec_load")                                                \
	X(128, 1, "init_module")                                               \
	X(350, 1, "finit_module")                                              \
	X(283, 1, "kexec_load")
#define RATCHET_X32_SYSCALL_BIT 0x40000000L

/*
 * A task inside a system call that loads code (init_module, finit_module,
 * kexec_load, kexec_file_load), or the scanner itself, as
 * bpf/progscan.bpf.c's task iterator reads it: a lock's load barrier
 * (src/barrier.c). magic and seq as in struct ratchet_prog_scan (seq: the
 * record's index, counted by the program).
 */
struct ratchet_task_scan {
	__u32 magic;
	__u32 seq;
	__u32 tid;
	__u32 tgid;
	__s64 nr;	   /* the system call, as the kernel reads it */
	__u32 compat;	   /* a 32-bit system call */
	__u16 self;	   /* 1: the reading task itself */
	__u16 pidns_level; /* the reader's: 0 in the initial pid namespace */
	char comm[16];
};

/* Context of the ratchet_read syscall program. */
struct ratchet_read {
	__u64 next;  /* in: the first seq wanted (0: the oldest kept) */
	__u64 head;  /* out: the newest event's seq */
	__u32 n;     /* out: ev[0..n) filled; an entry with seq 0 was lost */
	__u32 flush; /* in: 1: log the summaries whose window has ended */
	struct ratchet_event ev[RATCHET_READ_BATCH];
};

/* Context of the ratchet_mark syscall program. */
struct ratchet_mark_args {
	__u32 on; /* 1: mark the calling thread as probing, 0: unmark */
	__u32 pad;
};

/* Context of the ratchet_snapshot syscall program, filled on return. */
struct ratchet_snapshot {
	struct ratchet_state state;
	struct ratchet_pin_view pin;
	/* ratchet's maps: its policy, its tables, the event log and its helpers */
	struct ratchet_map_view state_map, tables_map, log_map, folds_map,
		marks_map;
	/*
	 * The tables as the programs read them, copied out like the state:
	 * once sealed no fd to the tables map is made either (bpf/bpfself.h).
	 * tables_read: 1 if the program found the element.
	 */
	struct ratchet_tables tables;
	__u32 tables_read;
	__u32 pad;
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
