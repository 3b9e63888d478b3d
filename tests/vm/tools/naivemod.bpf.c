// SPDX-License-Identifier: GPL-2.0
/*
 * naivemod.bpf.c - a naive `modules` lock, as ratchet's was before it
 * classified every kind the kernel reads or loads: it refuses
 * READING_MODULE and LOADING_MODULE, and nothing else. 7.x reads a module
 * given to finit_module(MODULE_INIT_COMPRESSED_FILE) as
 * READING_MODULE_COMPRESSED, which this lets through
 * (tests/vm/attacks/module-compressed.sh).
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define EPERM 1

char LICENSE[] SEC("license") = "GPL";

SEC("lsm/kernel_read_file")
int BPF_PROG(naivemod_read, struct file *file, enum kernel_read_file_id id,
	     bool contents)
{
	return id == bpf_core_enum_value(enum kernel_read_file_id,
					 READING_MODULE)
		       ? -EPERM
		       : 0;
}

SEC("lsm/kernel_load_data")
int BPF_PROG(naivemod_load, enum kernel_load_data_id id, bool contents)
{
	return id == bpf_core_enum_value(enum kernel_load_data_id,
					 LOADING_MODULE)
		       ? -EPERM
		       : 0;
}
