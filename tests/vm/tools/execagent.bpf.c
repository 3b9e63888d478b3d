// SPDX-License-Identifier: GPL-2.0
/*
 * execagent.bpf.c - what a security agent (Tetragon, KubeArmor, Tracee,
 * bpflock) loads beside ratchet: a BPF LSM program that refuses the exec
 * of one file, named by its device and inode number, and reports each
 * refusal through a ring buffer. Not part of ratchet: the coexistence case
 * (tests/vm/cases/coexist.sh) loads it before and after a lock.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "execagent.h"

/*
 * What the agent reads beyond ratchet's bpf/kernel.h, relocated by CO-RE
 * (the ___agent flavour matches the kernel's struct inode). i_ino is
 * unsigned long in 6.1 and 6.12 and u64 in 7.2 (include/linux/fs.h): 8
 * bytes on x86-64 in all three, so bpf/kernel.h, which keeps only fields
 * of one type everywhere, does not take it.
 */
struct linux_binprm {
	struct file *file;
} __attribute__((preserve_access_index));

struct inode___agent {
	__u64 i_ino;
} __attribute__((preserve_access_index));

#define EPERM 1

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before the load: the file whose exec is refused. */
const volatile __u64 deny_ino;
const volatile __u32 deny_dev; /* the kernel's dev_t, as in s_dev */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

/*
 * The file is read through BTF-typed pointers (the verifier checks each
 * load), not bpf_probe_read_kernel(): a lock of bpf-read-kernel takes
 * that helper away from every program, and this one does not need it.
 */
SEC("lsm/bprm_check_security")
int BPF_PROG(agent_exec, struct linux_binprm *bprm, int ret)
{
	struct inode *inode = bprm->file->f_inode;
	__u64 ino = ((struct inode___agent *)inode)->i_ino;
	struct agent_event *e;

	if (ret)
		return ret;
	if (ino != deny_ino || inode->i_sb->s_dev != deny_dev)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->pid = bpf_get_current_pid_tgid() >> 32;
		e->ino = ino;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		bpf_ringbuf_submit(e, 0);
	}
	return -EPERM;
}
