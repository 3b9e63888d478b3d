// SPDX-License-Identifier: GPL-2.0
/*
 * kinds.c - what the kernel reads or loads, by the names of its own enums.
 *
 * security_kernel_read_file() and security_kernel_load_data() tell an LSM
 * what is coming in by an enum value (include/linux/kernel_read_file.h
 * lists them; enum kernel_load_data_id is made from the same list). Values
 * are added over time: 7.x added READING_MODULE_COMPRESSED for
 * finit_module(MODULE_INIT_COMPRESSED_FILE), and a program that matched
 * only READING_MODULE let compressed modules through. So the CLI reads
 * every enumerator of the running kernel's BTF, classifies it by name, and
 * hands the BPF program one table per enum (bpf/enforce.h); a name or
 * value this table does not know stays RATCHET_KIND_UNKNOWN, which the
 * program refuses while `modules` or `kexec-image` is locked.
 */
#include <errno.h>
#include <string.h>
#include <bpf/btf.h>
#include "cli.h"

/* Enumerators without READING_ / LOADING_; anything else is unknown. */
static const struct {
	const char *name;
	enum ratchet_kind kind;
} known[] = {
	/* Code the kernel will run, or boot. */
	{ "MODULE", RATCHET_KIND_MODULE },
	{ "MODULE_COMPRESSED", RATCHET_KIND_MODULE_COMPRESSED },
	{ "KEXEC_IMAGE", RATCHET_KIND_KEXEC_KERNEL },
	{ "KEXEC_INITRAMFS", RATCHET_KIND_KEXEC_INITRAMFS },
	/*
	 * Data the kernel never executes: device firmware (request_firmware),
	 * IMA policy and zram dictionaries (READING_POLICY), IMA/EVM keys. A
	 * lock of modules or kexec-image must not stop a driver already
	 * loaded from getting its firmware.
	 */
	{ "FIRMWARE", RATCHET_KIND_FREE },
	{ "POLICY", RATCHET_KIND_FREE },
	{ "X509_CERTIFICATE", RATCHET_KIND_FREE },
	/*
	 * The kernel's own "unknown" and the count: no caller passes them
	 * (6.1 to 7.2); if one ever does, it is refused with the unknown.
	 */
	{ "UNKNOWN", RATCHET_KIND_UNKNOWN },
	{ "MAX_ID", RATCHET_KIND_UNKNOWN },
};

enum ratchet_kind kinds_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i].name, name))
			return known[i].kind;
	return RATCHET_KIND_UNKNOWN;
}

static const struct btf_type *find_enum(const struct btf *btf, const char *name)
{
	int id = btf_find(btf, name, BTF_KIND_ENUM);

	return id < 0 ? NULL : btf__type_by_id(btf, id);
}

static const char *const enum_of[] = { "kernel_read_file_id",
				       "kernel_load_data_id" };
static const char *const prefix_of[] = { "READING_", "LOADING_" };

/*
 * Fill @out (RATCHET_KIND_IDS entries) for enum kernel_read_file_id
 * (@which KINDS_READ) or kernel_load_data_id (KINDS_LOAD) of @btf. Values
 * the enum does not name, and names this file does not know, stay
 * RATCHET_KIND_UNKNOWN. -ENOENT: the kernel has no such enum.
 */
int kinds_from_btf(const struct btf *btf, enum kinds_which which, __u8 *out)
{
	const struct btf_type *t = find_enum(btf, enum_of[which]);
	const char *prefix = prefix_of[which];
	const struct btf_enum *e;
	int i;

	memset(out, RATCHET_KIND_UNKNOWN, RATCHET_KIND_IDS);
	if (!t)
		return -ENOENT;
	e = btf_enum(t);
	for (i = 0; i < btf_vlen(t); i++, e++) {
		const char *name = btf__name_by_offset(btf, e->name_off);

		if (e->val < 0 || e->val >= RATCHET_KIND_IDS || !name ||
		    strncmp(name, prefix, strlen(prefix)))
			continue;
		out[e->val] = kinds_by_name(name + strlen(prefix));
	}
	return 0;
}

/* The kernel's name of id @value, "value N" if it has none. */
const char *kinds_id_name(const struct btf *btf, enum kinds_which which,
			  int value, char *buf, size_t len)
{
	const struct btf_type *t = btf ? find_enum(btf, enum_of[which]) : NULL;
	const struct btf_enum *e;
	int i;

	snprintf(buf, len, "value %d", value);
	if (!t)
		return buf;
	e = btf_enum(t);
	for (i = 0; i < btf_vlen(t); i++, e++)
		if (e->val == value) {
			snprintf(buf, len, "%s",
				 btf__name_by_offset(btf, e->name_off));
			break;
		}
	return buf;
}
