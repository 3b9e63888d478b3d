/* SPDX-License-Identifier: GPL-2.0 */
/*
 * enforce.h - the restrictions themselves: the kernel's lockdown reasons,
 * and the extras `modules` and `kexec-image`.
 *
 * docs/threat-model.md: "Reaching a locked operation another way".
 * Tests: tests/vm/cases/restrictions.sh (every row of tests/vm/ops.tsv,
 * allowed before the lock, refused after: every module and kexec path of
 * ratchet-probe), tests/vm/cases/catalogue.sh,
 * tests/vm/attacks/module-compressed.sh.
 */

SEC("lsm/locked_down")
int BPF_PROG(ratchet_locked_down, enum lockdown_reason what)
{
	/* Kernel reasons use their enum value as slot, resolved from BTF. */
	if ((__u32)what >= RATCHET_REASON_SLOTS)
		return 0;
	return decide((__u32)what, RATCHET_DETAIL_NONE, (__s32)what);
}

/*
 * What the kernel's id @id is, by the table the CLI filled from the
 * running kernel's BTF (src/kinds.c). An id past the table, or a table
 * not there, is unknown.
 */
static __always_inline __u8 kind_of(const __u8 *table, __u32 id)
{
	if (!table || id >= RATCHET_KIND_IDS)
		return RATCHET_KIND_UNKNOWN;
	barrier_var(id);
	return table[id & (RATCHET_KIND_IDS - 1)];
}

static __always_inline int slot_set(const struct ratchet_mask *m, __u32 slot)
{
	return (m->w[slot / 64] >> (slot % 64)) & 1;
}

/*
 * A kind ratchet does not know could be a new way to load code: refused
 * while `modules` or `kexec-image` is enforced (reported while either is
 * only permissive), counted under the first of them that refuses, with
 * the kernel's id value in the event.
 */
static __always_inline int decide_unknown(__u32 detail, __u32 id)
{
	struct ratchet_state *s = get_state();
	__u32 slot = RATCHET_SLOT_MODULES;

	if (!s)
		return 0;
	if (!slot_set(&s->enforce, RATCHET_SLOT_MODULES) &&
	    (slot_set(&s->enforce, RATCHET_SLOT_KEXEC_IMAGE) ||
	     !slot_set(&s->permissive, RATCHET_SLOT_MODULES)))
		slot = RATCHET_SLOT_KEXEC_IMAGE;
	return decide(slot, detail, (__s32)id);
}

/* A load of kernel_load_data_id @id: init_module (a module), kexec_load. */
static __always_inline int load_data(__u32 id)
{
	const struct ratchet_tables *t = get_tables();

	switch (kind_of(t ? t->load_kinds : 0, id)) {
	case RATCHET_KIND_FREE:
		return 0;
	case RATCHET_KIND_MODULE:
	case RATCHET_KIND_MODULE_COMPRESSED:
		return decide(RATCHET_SLOT_MODULES, RATCHET_DETAIL_INIT_MODULE,
			      -1);
	case RATCHET_KIND_KEXEC_KERNEL:
	case RATCHET_KIND_KEXEC_INITRAMFS:
		return decide(RATCHET_SLOT_KEXEC_IMAGE,
			      RATCHET_DETAIL_KEXEC_LOAD, -1);
	default:
		return decide_unknown(RATCHET_DETAIL_LOAD_UNKNOWN, id);
	}
}

/* A read of kernel_read_file_id @id: finit_module, kexec_file_load. */
static __always_inline int read_file(__u32 id)
{
	const struct ratchet_tables *t = get_tables();

	switch (kind_of(t ? t->read_kinds : 0, id)) {
	case RATCHET_KIND_FREE:
		return 0;
	case RATCHET_KIND_MODULE:
		return decide(RATCHET_SLOT_MODULES, RATCHET_DETAIL_FINIT_MODULE,
			      -1);
	case RATCHET_KIND_MODULE_COMPRESSED:
		return decide(RATCHET_SLOT_MODULES,
			      RATCHET_DETAIL_FINIT_MODULE_COMPRESSED, -1);
	case RATCHET_KIND_KEXEC_KERNEL:
		return decide(RATCHET_SLOT_KEXEC_IMAGE,
			      RATCHET_DETAIL_KEXEC_FILE_KERNEL, -1);
	case RATCHET_KIND_KEXEC_INITRAMFS:
		return decide(RATCHET_SLOT_KEXEC_IMAGE,
			      RATCHET_DETAIL_KEXEC_FILE_INITRAMFS, -1);
	default:
		return decide_unknown(RATCHET_DETAIL_READ_UNKNOWN, id);
	}
}

/* init_module and kexec_load, before the bytes are copied in. */
SEC("lsm/kernel_load_data")
int BPF_PROG(ratchet_load_data, enum kernel_load_data_id id, bool contents)
{
	return load_data((__u32)id);
}

/*
 * finit_module and kexec_file_load, before the file is read.
 * kernel_read_file() (fs/kernel_read_file.c) is the only caller of this
 * hook in 6.1, 6.12 and 7.2, and it always passes the kind, before
 * reading.
 */
SEC("lsm/kernel_read_file")
int BPF_PROG(ratchet_read_file, struct file *file, enum kernel_read_file_id id,
	     bool contents)
{
	return read_file((__u32)id);
}

/*
 * The same, asked again once the bytes are in: a call checked before a
 * seal and held while it copies (userfaultfd on the image's pages) or
 * reads (a FUSE file that answers late) would load past the lock (red
 * team 17, 6.1 to 7.2). copy_module_from_user() asks
 * kernel_post_load_data() after the copy (kernel/module/main.c);
 * kernel_read_file() asks kernel_post_read_file() after the read, and
 * 7.2's module decompression asks it again for the decompressed bytes.
 * A module the kernel accepted here before the seal is one loaded before
 * the lock. kexec_load() has no second check: a lock of kexec waits for
 * none to be under way instead (src/barrier.c).
 */
SEC("lsm/kernel_post_load_data")
int BPF_PROG(ratchet_post_load_data, char *buf, s64 size,
	     enum kernel_load_data_id id, char *description)
{
	return load_data((__u32)id);
}

SEC("lsm/kernel_post_read_file")
int BPF_PROG(ratchet_post_read_file, struct file *file, char *buf, s64 size,
	     enum kernel_read_file_id id)
{
	return read_file((__u32)id);
}
