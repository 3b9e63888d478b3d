/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel.h - the kernel types ratchet's BPF programs read, declared by hand.
 *
 * Why not a vmlinux.h dumped from the build machine's BTF: that makes the
 * build depend on the kernel the build machine runs (Debian's 6.1 and 6.12
 * lack enum dentry_flags, 7.x's dump trips Debian 12's clang). systemd's BPF
 * programs take the same route as this file: declare only what is read,
 * with preserve_access_index, and let CO-RE (libbpf, at load time) find
 * every field and enum value in the running kernel's BTF. So the same
 * sources give the same object on any build machine, and a kernel that
 * lacks a field refuses the load with exit 3 (src/bpf.c), never misreads.
 *
 * Where it comes from: each struct lists only fields that exist, with the
 * same name and type, in the BTF of Debian's 6.1.0-56, 6.12.117 and
 * 7.2.13 kernels (`bpftool btf dump file /sys/kernel/btf/vmlinux format c`
 * in a guest of each). Field order and offsets here mean nothing: CO-RE
 * relocates by name. Kernel-internal enums list the names ratchet asks
 * for; their values are placeholders that bpf_core_enum_value() replaces
 * with the running kernel's (they differ between releases). uapi enums
 * and flags (include/uapi/linux/bpf.h, as of 7.2) are ABI: their values
 * never change, and a value a kernel lacks is simply never seen there.
 *
 * To add a type: copy the fields you read from a dump of each kernel of the
 * suite, check name and type agree in all of them, and add them here.
 */
#ifndef RATCHET_KERNEL_H
#define RATCHET_KERNEL_H

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef __s8 s8;
typedef __u8 u8;
typedef __s16 s16;
typedef __u16 u16;
typedef __s32 s32;
typedef __u32 u32;
typedef __s64 s64;
typedef __u64 u64;
typedef _Bool bool;
enum { false = 0, true = 1 };
typedef __u32 dev_t;
typedef int pid_t;
typedef unsigned short umode_t;
typedef unsigned int fmode_t;

typedef struct {
	s64 counter;
} atomic64_t;

#pragma clang attribute push(__attribute__((preserve_access_index)),           \
			     apply_to = record)

/* ---- uapi: include/uapi/linux/bpf.h ---- */

enum bpf_cmd {
	BPF_MAP_CREATE = 0,
	BPF_MAP_LOOKUP_ELEM = 1,
	BPF_MAP_UPDATE_ELEM = 2,
	BPF_MAP_DELETE_ELEM = 3,
	BPF_MAP_GET_NEXT_KEY = 4,
	BPF_PROG_LOAD = 5,
	BPF_OBJ_PIN = 6,
	BPF_OBJ_GET = 7,
	BPF_PROG_ATTACH = 8,
	BPF_PROG_DETACH = 9,
	BPF_PROG_TEST_RUN = 10,
	BPF_PROG_GET_NEXT_ID = 11,
	BPF_MAP_GET_NEXT_ID = 12,
	BPF_PROG_GET_FD_BY_ID = 13,
	BPF_MAP_GET_FD_BY_ID = 14,
	BPF_OBJ_GET_INFO_BY_FD = 15,
	BPF_PROG_QUERY = 16,
	BPF_RAW_TRACEPOINT_OPEN = 17,
	BPF_BTF_LOAD = 18,
	BPF_BTF_GET_FD_BY_ID = 19,
	BPF_TASK_FD_QUERY = 20,
	BPF_MAP_LOOKUP_AND_DELETE_ELEM = 21,
	BPF_MAP_FREEZE = 22,
	BPF_BTF_GET_NEXT_ID = 23,
	BPF_MAP_LOOKUP_BATCH = 24,
	BPF_MAP_LOOKUP_AND_DELETE_BATCH = 25,
	BPF_MAP_UPDATE_BATCH = 26,
	BPF_MAP_DELETE_BATCH = 27,
	BPF_LINK_CREATE = 28,
	BPF_LINK_UPDATE = 29,
	BPF_LINK_GET_FD_BY_ID = 30,
	BPF_LINK_GET_NEXT_ID = 31,
	BPF_ENABLE_STATS = 32,
	BPF_ITER_CREATE = 33,
	BPF_LINK_DETACH = 34,
	BPF_PROG_BIND_MAP = 35,
	BPF_TOKEN_CREATE = 36,
};

enum bpf_map_type {
	BPF_MAP_TYPE_UNSPEC = 0,
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PROG_ARRAY = 3,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_RINGBUF = 27,
	BPF_MAP_TYPE_TASK_STORAGE = 29,
};

enum bpf_prog_type {
	BPF_PROG_TYPE_UNSPEC = 0,
	BPF_PROG_TYPE_SOCKET_FILTER = 1,
	BPF_PROG_TYPE_KPROBE = 2,
	BPF_PROG_TYPE_SCHED_CLS = 3,
	BPF_PROG_TYPE_SCHED_ACT = 4,
	BPF_PROG_TYPE_TRACEPOINT = 5,
	BPF_PROG_TYPE_XDP = 6,
	BPF_PROG_TYPE_PERF_EVENT = 7,
	BPF_PROG_TYPE_CGROUP_SKB = 8,
	BPF_PROG_TYPE_CGROUP_SOCK = 9,
	BPF_PROG_TYPE_LWT_IN = 10,
	BPF_PROG_TYPE_LWT_OUT = 11,
	BPF_PROG_TYPE_LWT_XMIT = 12,
	BPF_PROG_TYPE_SOCK_OPS = 13,
	BPF_PROG_TYPE_SK_SKB = 14,
	BPF_PROG_TYPE_CGROUP_DEVICE = 15,
	BPF_PROG_TYPE_SK_MSG = 16,
	BPF_PROG_TYPE_RAW_TRACEPOINT = 17,
	BPF_PROG_TYPE_CGROUP_SOCK_ADDR = 18,
	BPF_PROG_TYPE_LWT_SEG6LOCAL = 19,
	BPF_PROG_TYPE_LIRC_MODE2 = 20,
	BPF_PROG_TYPE_SK_REUSEPORT = 21,
	BPF_PROG_TYPE_FLOW_DISSECTOR = 22,
	BPF_PROG_TYPE_CGROUP_SYSCTL = 23,
	BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE = 24,
	BPF_PROG_TYPE_CGROUP_SOCKOPT = 25,
	BPF_PROG_TYPE_TRACING = 26,
	BPF_PROG_TYPE_STRUCT_OPS = 27,
	BPF_PROG_TYPE_EXT = 28,
	BPF_PROG_TYPE_LSM = 29,
	BPF_PROG_TYPE_SK_LOOKUP = 30,
	BPF_PROG_TYPE_SYSCALL = 31,
	BPF_PROG_TYPE_NETFILTER = 32,
};

enum bpf_attach_type {
	BPF_CGROUP_INET_INGRESS = 0,
	BPF_CGROUP_INET_EGRESS = 1,
	BPF_CGROUP_INET_SOCK_CREATE = 2,
	BPF_CGROUP_SOCK_OPS = 3,
	BPF_SK_SKB_STREAM_PARSER = 4,
	BPF_SK_SKB_STREAM_VERDICT = 5,
	BPF_CGROUP_DEVICE = 6,
	BPF_SK_MSG_VERDICT = 7,
	BPF_CGROUP_INET4_BIND = 8,
	BPF_CGROUP_INET6_BIND = 9,
	BPF_CGROUP_INET4_CONNECT = 10,
	BPF_CGROUP_INET6_CONNECT = 11,
	BPF_CGROUP_INET4_POST_BIND = 12,
	BPF_CGROUP_INET6_POST_BIND = 13,
	BPF_CGROUP_UDP4_SENDMSG = 14,
	BPF_CGROUP_UDP6_SENDMSG = 15,
	BPF_LIRC_MODE2 = 16,
	BPF_FLOW_DISSECTOR = 17,
	BPF_CGROUP_SYSCTL = 18,
	BPF_CGROUP_UDP4_RECVMSG = 19,
	BPF_CGROUP_UDP6_RECVMSG = 20,
	BPF_CGROUP_GETSOCKOPT = 21,
	BPF_CGROUP_SETSOCKOPT = 22,
	BPF_TRACE_RAW_TP = 23,
	BPF_TRACE_FENTRY = 24,
	BPF_TRACE_FEXIT = 25,
	BPF_MODIFY_RETURN = 26,
	BPF_LSM_MAC = 27,
	BPF_TRACE_ITER = 28,
	BPF_CGROUP_INET4_GETPEERNAME = 29,
	BPF_CGROUP_INET6_GETPEERNAME = 30,
	BPF_CGROUP_INET4_GETSOCKNAME = 31,
	BPF_CGROUP_INET6_GETSOCKNAME = 32,
	BPF_XDP_DEVMAP = 33,
	BPF_CGROUP_INET_SOCK_RELEASE = 34,
	BPF_XDP_CPUMAP = 35,
	BPF_SK_LOOKUP = 36,
	BPF_XDP = 37,
	BPF_SK_SKB_VERDICT = 38,
	BPF_SK_REUSEPORT_SELECT = 39,
	BPF_SK_REUSEPORT_SELECT_OR_MIGRATE = 40,
	BPF_PERF_EVENT = 41,
	BPF_TRACE_KPROBE_MULTI = 42,
	BPF_LSM_CGROUP = 43,
	BPF_STRUCT_OPS = 44,
	BPF_NETFILTER = 45,
	BPF_TCX_INGRESS = 46,
	BPF_TCX_EGRESS = 47,
	BPF_TRACE_UPROBE_MULTI = 48,
	BPF_CGROUP_UNIX_CONNECT = 49,
	BPF_CGROUP_UNIX_SENDMSG = 50,
	BPF_CGROUP_UNIX_RECVMSG = 51,
	BPF_CGROUP_UNIX_GETPEERNAME = 52,
	BPF_CGROUP_UNIX_GETSOCKNAME = 53,
	BPF_NETKIT_PRIMARY = 54,
	BPF_NETKIT_PEER = 55,
	BPF_TRACE_KPROBE_SESSION = 56,
	BPF_TRACE_UPROBE_SESSION = 57,
	BPF_TRACE_FSESSION = 58,
	BPF_TRACE_FENTRY_MULTI = 59,
	BPF_TRACE_FEXIT_MULTI = 60,
	BPF_TRACE_FSESSION_MULTI = 61,
};

/* uapi flags, #defines in include/uapi/linux/bpf.h */
#define BPF_ANY		  0
#define BPF_NOEXIST	  1
#define BPF_F_ALLOW_MULTI (1U << 1)
#define BPF_F_REPLACE	  (1U << 2)
#define BPF_F_MMAPABLE	  (1U << 10)
#define BPF_F_RDONLY_PROG (1U << 7)

/* The context of a cgroup/sysctl program (uapi). */
struct bpf_sysctl {
	__u32 write;
	__u32 file_pos;
};

/*
 * The attr of bpf(2), as security_bpf() sees it: the kernel's copy, taken
 * in __sys_bpf() before the hook. Only the members ratchet reads; each
 * anonymous struct is one command's.
 */
union bpf_attr {
	struct { /* BPF_PROG_LOAD */
		__u32 prog_type;
		__u32 insn_cnt;
		__u64 insns;
		__u64 license;
		__u32 log_level;
		__u32 log_size;
		__u64 log_buf;
		__u32 kern_version;
		__u32 prog_flags;
		char prog_name[16];
		__u32 prog_ifindex;
		__u32 expected_attach_type;
	};
	struct { /* BPF_PROG_ATTACH, BPF_PROG_DETACH */
		__u32 target_fd;
		__u32 attach_bpf_fd;
		__u32 attach_type;
		__u32 attach_flags;
		__u32 replace_bpf_fd;
	};
	struct { /* BPF_LINK_CREATE */
		__u32 prog_fd;
		__u32 target_fd;
		__u32 attach_type;
		__u32 flags;
	} link_create;
};

/* ---- kernel internals, relocated by CO-RE ---- */

/* include/linux/lsm_hook_defs.h users: security_locked_down() */
enum lockdown_reason {
	LOCKDOWN_NONE,
	LOCKDOWN_BPF_READ_KERNEL,
};

/* include/linux/kernel_read_file.h */
enum kernel_read_file_id {
	READING_UNKNOWN,
	READING_FIRMWARE,
	READING_MODULE,
	READING_KEXEC_IMAGE,
	READING_KEXEC_INITRAMFS,
	READING_POLICY,
	READING_X509_CERTIFICATE,
	READING_MODULE_COMPRESSED, /* 7.x */
	READING_MAX_ID,
};

enum kernel_load_data_id {
	LOADING_UNKNOWN,
	LOADING_FIRMWARE,
	LOADING_MODULE,
	LOADING_KEXEC_IMAGE,
	LOADING_KEXEC_INITRAMFS,
	LOADING_POLICY,
	LOADING_X509_CERTIFICATE,
	LOADING_MODULE_COMPRESSED, /* 7.x */
	LOADING_MAX_ID,
};

/* include/linux/dcache.h: an enum in 7.x, #defines (not in BTF) in 6.x */
enum dentry_flags {
	DCACHE_OP_REVALIDATE,
	DCACHE_MOUNTED,
};

struct qstr {
	const unsigned char *name;
};

struct super_block {
	dev_t s_dev;
	unsigned long s_magic;
	struct dentry *s_root;
};

/* i_ino: unsigned long in 6.1 and 6.12, u64 in 7.2 (8 bytes on x86-64) */
struct inode {
	umode_t i_mode;
	unsigned long i_ino;
	struct super_block *i_sb;
};

struct dentry {
	unsigned int d_flags;
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
	struct super_block *d_sb;
};

struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

struct mnt_namespace;

/* fs/mount.h: mnt is embedded, so a vfsmount's mount is found by offset. */
struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
	struct mount *mnt_master;
	struct mnt_namespace *mnt_ns;
	int mnt_id;
	int mnt_group_id;
};

struct file {
	struct path f_path;
	struct inode *f_inode;
};

struct fs_struct {
	struct path root;
	struct path pwd;
};

struct nsproxy {
	struct mnt_namespace *mnt_ns;
};

struct mm_struct {
	struct file *exe_file;
};

/* arch/x86/include/asm/thread_info.h (CONFIG_THREAD_INFO_IN_TASK) */
struct thread_info {
	u32 status; /* TS_COMPAT: a 32-bit syscall is running */
};

/* include/linux/pid.h: level 0 is the initial pid namespace */
struct pid {
	unsigned int level;
};

struct task_struct {
	struct thread_info thread_info;
	struct pid *thread_pid;
	unsigned int flags; /* PF_KTHREAD */
	int exit_state;
	char comm[16];
	pid_t pid;
	pid_t tgid;
	u64 start_time;
	struct task_struct *real_parent;
	struct mm_struct *mm;
	struct fs_struct *fs;
	struct nsproxy *nsproxy;
};

/* include/linux/bpf.h; these names and types in 6.1, 6.12 and 7.2 */
struct bpf_map {
	enum bpf_map_type map_type;
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 map_flags;
	u32 id;
	atomic64_t refcnt;
	atomic64_t usercnt;
	bool frozen;
};

/*
 * include/linux/bpf.h: a program as security_bpf_prog() sees it. The same
 * names and types in 6.1, 6.12 and 7.2, but for kprobe_override: a u16
 * bitfield in 6.x, a u32 one in 7.x, read with BPF_CORE_READ_BITFIELD.
 */
struct bpf_prog_aux {
	atomic64_t refcnt;
	u32 id;
	u64 load_time;
	u32 used_map_cnt;
	u32 attach_btf_id;
	struct bpf_prog *dst_prog;
	enum bpf_prog_type saved_dst_prog_type;
	struct bpf_map **used_maps;
	char name[16]; /* BPF_OBJ_NAME_LEN, 6.1 to 7.2 */
	/*
	 * 7.x only (kernel/trace/bpf_trace.c, kprobe_prog_is_valid_access()):
	 * the program writes the registers it is given; read only where
	 * bpf_core_field_exists() says the running kernel has it.
	 */
	bool kprobe_write_ctx;
};

struct bpf_prog {
	u32 kprobe_override : 1;
	enum bpf_prog_type type;
	enum bpf_attach_type expected_attach_type;
	struct bpf_prog_aux *aux;
};

/*
 * include/linux/bpf.h, kernel/bpf/prog_iter.c: the context of an
 * iter/bpf_prog program (bpf/progscan.bpf.c), one program at a time.
 */
struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
	u64 session_id;
	u64 seq_num;
};

struct bpf_iter__bpf_prog {
	struct bpf_iter_meta *meta;
	struct bpf_prog *prog;
};

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
};

/*
 * arch/x86/include/asm/ptrace.h: kprobe programs' context, and what
 * bpf_task_pt_regs() points to (orig_ax: the syscall number).
 */
struct pt_regs {
	unsigned long r15;
	unsigned long r14;
	unsigned long r13;
	unsigned long r12;
	unsigned long bp;
	unsigned long bx;
	unsigned long r11;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long ax;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long orig_ax;
	unsigned long ip;
	unsigned long cs;
	unsigned long flags;
	unsigned long sp;
	unsigned long ss;
};

#pragma clang attribute pop

#endif /* RATCHET_KERNEL_H */
