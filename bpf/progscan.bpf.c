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
