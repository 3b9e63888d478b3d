// SPDX-License-Identifier: GPL-2.0
/*
 * agent.bpf.c - what a security agent loads: LSM programs that refuse
 * something and report it, on a hook ratchet does not use (file_open) and
 * on one it does (locked_down, refusing nothing a test relies on: the
 * reason value -1 never occurs). Both return only 0 or -EPERM, which the
 * verifier of 6.12 and 7.2 enforces; 6.1 does not, so there a lock refuses
 * the second one. And an fmod_ret program on security_file_open, a
 * function in front of no hook of ratchet's.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EPERM 1

char LICENSE[] SEC("license") = "GPL";

__u64 seen_open, seen_lockdown;

SEC("lsm/file_open")
int BPF_PROG(agent_file_open, struct file *file)
{
	__sync_fetch_and_add(&seen_open, 1);
	return 0;
}

SEC("lsm/locked_down")
int BPF_PROG(agent_locked_down, enum lockdown_reason what)
{
	__sync_fetch_and_add(&seen_lockdown, 1);
	return (int)what == -1 ? -EPERM : 0;
}

SEC("fmod_ret/security_file_open")
int BPF_PROG(agent_fmodret_open, struct file *file)
{
	return 0;
}
