/* SPDX-License-Identifier: GPL-2.0 */
/*
 * enforce.h - the restrictions themselves: the kernel's lockdown reasons,
 * and the extras `modules` and `kexec-image`.
 *
 * docs/threat-model.md: "Reaching a locked operation another way".
 * Tests: tests/vm/cases/restrictions.sh (every row of tests/vm/ops.tsv,
 * allowed before the lock, refused after), tests/vm/cases/catalogue.sh.
 */

SEC("lsm/locked_down")
int BPF_PROG(ratchet_locked_down, enum lockdown_reason what)
{
	/* Kernel reasons use their enum value as slot, resolved from BTF. */
	if ((__u32)what >= RATCHET_REASON_SLOTS)
		return 0;
	return decide((__u32)what, RATCHET_DETAIL_NONE, (__s32)what);
}

SEC("lsm/kernel_load_data")
int BPF_PROG(ratchet_load_data, enum kernel_load_data_id id, bool contents)
{
	if (id == bpf_core_enum_value(enum kernel_load_data_id, LOADING_MODULE))
		return decide(RATCHET_SLOT_MODULES, RATCHET_DETAIL_INIT_MODULE,
			      -1);
	if (id ==
	    bpf_core_enum_value(enum kernel_load_data_id, LOADING_KEXEC_IMAGE))
		return decide(RATCHET_SLOT_KEXEC_IMAGE,
			      RATCHET_DETAIL_KEXEC_LOAD, -1);
	return 0;
}

SEC("lsm/kernel_read_file")
int BPF_PROG(ratchet_read_file, struct file *file, enum kernel_read_file_id id,
	     bool contents)
{
	if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_MODULE))
		return decide(RATCHET_SLOT_MODULES, RATCHET_DETAIL_FINIT_MODULE,
			      -1);
	if (id ==
	    bpf_core_enum_value(enum kernel_read_file_id, READING_KEXEC_IMAGE))
		return decide(RATCHET_SLOT_KEXEC_IMAGE,
			      RATCHET_DETAIL_KEXEC_FILE_KERNEL, -1);
	if (id == bpf_core_enum_value(enum kernel_read_file_id,
				      READING_KEXEC_INITRAMFS))
		return decide(RATCHET_SLOT_KEXEC_IMAGE,
			      RATCHET_DETAIL_KEXEC_FILE_INITRAMFS, -1);
	return 0;
}
