// SPDX-License-Identifier: GPL-2.0
/*
 * ring.bpf.c - the naive audit channel the event-log attacks first beat: a
 * BPF LSM program that refuses LOCKDOWN_DEV_MEM and reports each refusal in
 * a BPF ring buffer, pinned the obvious way; and ring_forge, a syscall
 * program that writes an event of its own into whatever ring buffer it is
 * given (libbpf's bpf_map__reuse_fd() before the load).
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define EPERM 1

char LICENSE[] SEC("license") = "GPL";

/* What either writes: the pid it claims, and whether it is forged. */
struct ring_event {
	__u32 tgid;
	__u32 forged;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

/* LOCKDOWN_DEV_MEM of the running kernel, set from its BTF before load. */
const volatile int dev_mem = -1;

SEC("lsm/locked_down")
int BPF_PROG(ring_locked_down, enum lockdown_reason what)
{
	struct ring_event *e;

	if ((int)what != dev_mem)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->tgid = bpf_get_current_pid_tgid() >> 32;
		e->forged = 0;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		bpf_ringbuf_submit(e, 0);
	}
	return -EPERM;
}

/* "systemd[1] was denied": an event nobody caused. */
SEC("syscall")
int ring_forge(void *ctx)
{
	struct ring_event e = { .tgid = 1, .forged = 1, .comm = "systemd" };

	return bpf_ringbuf_output(&events, &e, sizeof(e), 0);
}
