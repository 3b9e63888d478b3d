// SPDX-License-Identifier: GPL-2.0
/*
 * progscan.bpf.c - every BPF program of the system, with what
 * bpf_prog_info leaves out: whether it writes the registers it is given
 * (7.x aux->kprobe_write_ctx), its expected attach type and an
 * extension's target type. Not kprobe_override: a bitfield sharing its
 * word with `pages`, which a direct read may not straddle (btf_struct_access(),
 * 7.2), and set only by bpf_override_return(), which none of the suite's
 * kernels has (no CONFIG_BPF_KPROBE_OVERRIDE). Not part of a lock: the CLI loads it, reads it once through an
 * iterator and lets it go, to find programs loaded before the first lock
 * that could overrule ratchet (src/bpf.c, rbpf_check_overrule()).
 *
 * Only direct reads of the program's struct bpf_prog (a trusted BTF
 * pointer: check_ptr_to_btf_access() in kernel/bpf/verifier.c, 6.1 to
 * 7.2) and bpf_seq_write(): no bpf_probe_read_kernel(), so a lock of
 * bpf-read-kernel does not refuse it (bpf_base_func_proto() asks
 * security_locked_down() for the probe helpers only), and an iterator is
 * a kind ratchet's bpf_prog hook allows (bpf/bpfself.h).
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "ratchet.h"

char LICENSE[] SEC("license") = "GPL";

SEC("iter/bpf_prog")
int progscan(struct bpf_iter__bpf_prog *ctx)
{
	struct bpf_prog *prog = ctx->prog;
	struct ratchet_prog_scan r = {};
	struct bpf_prog_aux *aux;
	int i;

	if (!prog)
		return 0;
	aux = prog->aux;
	r.magic = RATCHET_SCAN_MAGIC;
	r.seq = (__u32)ctx->meta->seq_num;
	r.id = aux->id;
	r.type = prog->type;
	r.attach_type = prog->expected_attach_type;
	r.attach_btf_id = aux->attach_btf_id;
	r.dst_type = aux->saved_dst_prog_type;
	r.load_time = aux->load_time;
	for (i = 0; i < (int)sizeof(r.name) - 1; i++)
		r.name[i] = aux->name[i];
	if (bpf_core_field_exists(aux->kprobe_write_ctx))
		r.write_ctx = aux->kprobe_write_ctx;
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

/* include/linux/sched.h; arch/x86/include/asm/thread_info.h (6.1 to 7.2) */
#define PF_KTHREAD    0x00200000
#define TS_COMPAT_X86 0x0002

/* Is @nr a system call that loads code (RATCHET_LOAD_CALLS)? */
#define LOAD_CALL(n, c, name) || (nr == (n) && compat == (c))
static __always_inline bool loads_code(long nr, bool compat)
{
	if (!compat)
		nr &= ~RATCHET_X32_SYSCALL_BIT;
	return false RATCHET_LOAD_CALLS(LOAD_CALL);
}

/*
 * Records written so far: the index loadscan gives each. Not seq_num,
 * which counts every task visited, written or not (bpf_seq_read(),
 * kernel/bpf/bpf_iter.c). Counted only once a write fits, so a task the
 * iterator shows again in the next read() after an overflow keeps its
 * index. Set to 0 before each scan (progscan_loads(), src/progscan.c).
 */
__u32 loads_written = 0;

/*
 * Every task whose last system call loads code, and the reader itself.
 * A task inside a system call has its number in the saved orig_ax from
 * the entry on (entry_SYSCALL_64, arch/x86/entry/, 6.1 to 7.2), whether
 * it runs, sleeps or waits on a page of root's (userfaultfd) or a read of
 * root's (FUSE): a load checked before a lock and finished after it
 * shows here. Not ax, which the entry sets to -ENOSYS until the exit
 * stores the result: ptrace writes it at the entry stop and the call
 * runs on (red team 18). orig_ax is read as the kernel does, its low 32
 * bits as an int (do_syscall_64(): a number with bit 32 set ran as
 * kexec_load, red team 18). A task that has left such a call and made
 * none since is listed too: the lock waits for it, or names it. The
 * reader's own record says whether it is in the initial pid namespace:
 * the iterator walks the reader's only (task_iter.c).
 */
SEC("iter/task")
int loadscan(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct ratchet_task_scan r = {};
	struct pt_regs *regs;
	bool self;
	int i;

	if (!t)
		return 0;
	self = t->pid == (pid_t)bpf_get_current_pid_tgid();
	if (!self && ((t->flags & PF_KTHREAD) || t->exit_state))
		return 0;
	r.compat = !!(t->thread_info.status & TS_COMPAT_X86);
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	r.nr = (int)regs->orig_ax;
	if (!self && !loads_code(r.nr, r.compat))
		return 0;
	r.self = self;
	if (self)
		r.pidns_level = (__u16)t->thread_pid->level;
	r.magic = RATCHET_SCAN_MAGIC;
	r.seq = loads_written;
	r.tid = t->pid;
	r.tgid = t->tgid;
	for (i = 0; i < (int)sizeof(r.comm) - 1; i++)
		r.comm[i] = t->comm[i];
	if (!bpf_seq_write(ctx->meta->seq, &r, sizeof(r)))
		loads_written++;
	return 0;
}
