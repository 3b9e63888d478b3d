// SPDX-License-Identifier: GPL-2.0
/*
 * answer.bpf.c - red team 4: root answers ratchet's own bpf(2) calls from
 * an LSM program on lsm/bpf that runs before ratchet's (attached before
 * the first lock, or after it: the newest runs first). LSM programs of a
 * hook run from one trampoline as modify-return programs, and the first
 * non-zero return ends the chain (invoke_bpf_mod_ret(),
 * arch/x86/net/bpf_jit_comp.c, 6.1 to 7.2), so what this one answers is
 * what the caller sees. security_bpf() runs in __sys_bpf() before every
 * command (kernel/bpf/syscall.c, 6.1 to 7.2).
 *
 * rcheck: refuses (-EINVAL) the loads of ratchet's range probes that hold
 * a 1 (src/bpf.c, rcheck(): named ratchet_rcheck, the value in the first
 * instruction's imm), so ratchet takes the verifier for one that keeps
 * LSM returns to 0 or -errno.
 * hide: answers -ENOENT to an fd by id for one program and one map, so
 * ratchet takes that program for gone, or that map for one it may skip.
 * burn: refuses loads at lsm/bpf_prog, after their ids were spent.
 * falloc (red team 5): the same answer as rcheck, given from
 * lsm/file_alloc_security, a hook that is not bpf*: a load's fd is a new
 * struct file (bpf_prog_new_fd() -> anon_inode_getfd() -> alloc_file_pseudo()
 * -> alloc_empty_file() -> security_file_alloc(), whose error bpf_prog_load()
 * returns as the load's; fs/file_table.c, fs/anon_inodes.c,
 * kernel/bpf/syscall.c, 6.1, 6.12, 7.2), after the verifier has passed the
 * program. ratchet's answerer scan (answers(), src/bpf.c) looks only at
 * bpf_lsm_bpf* and security_bpf*.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

/* The id commands' part of union bpf_attr (CO-RE flavour: bpf/kernel.h has none). */
union bpf_attr___ids {
	struct {
		union {
			__u32 start_id;
			__u32 prog_id;
			__u32 map_id;
		};
		__u32 next_id;
	};
} __attribute__((preserve_access_index));

/* struct bpf_insn, uapi (linux/bpf.h), as the loader wrote it. */
struct insn {
	__u8 code;
	__u8 regs;
	__s16 off;
	__s32 imm;
};

const volatile __u32 hide_prog;
const volatile __u32 hide_map;

SEC("lsm/bpf")
int BPF_PROG(rcheck, int cmd, union bpf_attr *attr, unsigned int size)
{
	static const char want[] = "ratchet_rcheck";
	struct insn insn = {};
	const void *insns;
	int i;

	if (cmd != BPF_PROG_LOAD || attr->prog_type != BPF_PROG_TYPE_LSM)
		return 0;
	for (i = 0; i < (int)sizeof(want); i++)
		if (attr->prog_name[i] != want[i])
			return 0;
	/*
	 * Not a direct read: 6.1's verifier matches offset 8 of union
	 * bpf_attr to BPF_MAP_CREATE's u32 value_size and refuses 8 bytes.
	 */
	if (bpf_probe_read_kernel(&insns, sizeof(insns), &attr->insns))
		return 0;
	if (bpf_probe_read_user(&insn, sizeof(insn), insns))
		return 0;
	return insn.imm == 1 ? -22 /* EINVAL */ : 0;
}

SEC("lsm/bpf")
int BPF_PROG(hide, int cmd, union bpf_attr *attr, unsigned int size)
{
	union bpf_attr___ids *a = (void *)attr;

	if (cmd == BPF_PROG_GET_FD_BY_ID && hide_prog &&
	    a->prog_id == hide_prog)
		return -2; /* ENOENT */
	if (cmd == BPF_MAP_GET_FD_BY_ID && hide_map && a->map_id == hide_map)
		return -2;
	return 0;
}

/*
 * burn: refuses (EPERM) at lsm/bpf_prog every program named rt4_burn*,
 * after bpf_prog_alloc_id() gave it an id (bpf_prog_new_fd() runs
 * security_bpf_prog() after it, kernel/bpf/syscall.c, 6.1 to 7.2). The
 * newest program of a trampoline runs first (hlist_add_head() in
 * __bpf_trampoline_link_prog(), kernel/bpf/trampoline.c), so attached
 * after ratchet's it hushes ratchet's program on this hook.
 */
SEC("lsm/bpf_prog")
int BPF_PROG(burn, struct bpf_prog *prog)
{
	static const char want[] = "rt4_burn";
	int i;

	for (i = 0; i < (int)sizeof(want) - 1; i++)
		if (prog->aux->name[i] != want[i])
			return 0;
	return -1; /* EPERM */
}

/*
 * falloc: in the bpf(2) call (orig_ax 321) of a BPF_PROG_LOAD (di 5) of an
 * LSM program named ratchet_rcheck whose first instruction holds a 1,
 * the struct file for its fd is refused with EINVAL; every other file is
 * allowed. The attr is read from the caller's memory (si).
 */
struct attr_load {
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
};

SEC("lsm/file_alloc_security")
int BPF_PROG(falloc, struct file *file)
{
	static const char want[] = "ratchet_rcheck";
	struct task_struct *t = bpf_get_current_task_btf();
	struct attr_load a = {};
	struct insn insn = {};
	struct pt_regs *r;
	int i;

	r = (struct pt_regs *)bpf_task_pt_regs(t);
	if (r->orig_ax != 321 || r->di != BPF_PROG_LOAD)
		return 0;
	if (bpf_probe_read_user(&a, sizeof(a), (void *)r->si) ||
	    a.prog_type != BPF_PROG_TYPE_LSM)
		return 0;
	for (i = 0; i < (int)sizeof(want); i++)
		if (a.prog_name[i] != want[i])
			return 0;
	if (bpf_probe_read_user(&insn, sizeof(insn), (void *)a.insns))
		return 0;
	return insn.imm == 1 ? -22 /* EINVAL */ : 0;
}
