// SPDX-License-Identifier: GPL-2.0
/*
 * test_kinds.c - every kernel_read_file_id and kernel_load_data_id value
 * is classified by its name in the kernel's own BTF: the suite kernels'
 * (build/vm/btf-K/vmlinux.btf, as the guests export it; SKIP where not
 * fetched), a renumbered enum, and a future kernel with a name ratchet has
 * never heard of, which must come out unknown (refused), never free.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "cli.h"
#include "check.h"

static const char *kind_name(int k)
{
	static const char *const n[] = { "unknown",	 "free",
					 "module",	 "module-compressed",
					 "kexec-kernel", "kexec-initramfs" };

	return k >= 0 && k < (int)(sizeof(n) / sizeof(n[0])) ? n[k] : "?";
}

/* The value of @name in enum @type of @btf, or -1. */
static int value_of(const struct btf *btf, const char *type, const char *name)
{
	int id = btf__find_by_name_kind(btf, type, BTF_KIND_ENUM), i;
	const struct btf_type *t = id < 0 ? NULL : btf__type_by_id(btf, id);
	const struct btf_enum *e = t ? btf_enum(t) : NULL;

	for (i = 0; t && i < btf_vlen(t); i++, e++)
		if (!strcmp(btf__name_by_offset(btf, e->name_off), name))
			return e->val;
	return -1;
}

/* @k's table has @kind at the value of @name (absent names are skipped). */
static void expect_kind(const char *k, const struct btf *btf,
			enum kinds_which w, const __u8 *t, const char *name,
			enum ratchet_kind kind)
{
	int v = value_of(btf,
			 w == KINDS_READ ? "kernel_read_file_id"
					 : "kernel_load_data_id",
			 name);

	if (v < 0)
		return;
	CHECK(t[v] == kind, "kinds %s: %s (%d) is %s (got %s)", k, name, v,
	      kind_name(kind), kind_name(t[v]));
}

static void suite_kernel(const char *k)
{
	char path[128];
	struct btf *btf;
	__u8 r[RATCHET_KIND_IDS], l[RATCHET_KIND_IDS];
	int i, unknown = 0;

	snprintf(path, sizeof(path), "build/vm/btf-%s/vmlinux.btf", k);
	if (access(path, R_OK)) {
		printf("SKIP kinds %s: %s not fetched (tests/vm/fetch-kernels)\n",
		       k, path);
		return;
	}
	btf = btf__parse(path, NULL);
	CHECK(btf, "kinds %s: %s parses", k, path);
	if (!btf)
		return;
	CHECK(!kinds_from_btf(btf, KINDS_READ, r) &&
		      !kinds_from_btf(btf, KINDS_LOAD, l),
	      "kinds %s: both enums found", k);
	expect_kind(k, btf, KINDS_READ, r, "READING_MODULE",
		    RATCHET_KIND_MODULE);
	expect_kind(k, btf, KINDS_READ, r, "READING_MODULE_COMPRESSED",
		    RATCHET_KIND_MODULE_COMPRESSED);
	expect_kind(k, btf, KINDS_READ, r, "READING_KEXEC_IMAGE",
		    RATCHET_KIND_KEXEC_KERNEL);
	expect_kind(k, btf, KINDS_READ, r, "READING_KEXEC_INITRAMFS",
		    RATCHET_KIND_KEXEC_INITRAMFS);
	expect_kind(k, btf, KINDS_READ, r, "READING_FIRMWARE",
		    RATCHET_KIND_FREE);
	expect_kind(k, btf, KINDS_READ, r, "READING_UNKNOWN",
		    RATCHET_KIND_UNKNOWN);
	expect_kind(k, btf, KINDS_LOAD, l, "LOADING_MODULE",
		    RATCHET_KIND_MODULE);
	expect_kind(k, btf, KINDS_LOAD, l, "LOADING_KEXEC_IMAGE",
		    RATCHET_KIND_KEXEC_KERNEL);
	expect_kind(k, btf, KINDS_LOAD, l, "LOADING_FIRMWARE",
		    RATCHET_KIND_FREE);
	for (i = 0; i < RATCHET_KIND_IDS; i++)
		unknown += r[i] == RATCHET_KIND_UNKNOWN;
	CHECK(unknown >= RATCHET_KIND_IDS - 8,
	      "kinds %s: values the enum lacks stay unknown (%d of %d)", k,
	      unknown, RATCHET_KIND_IDS);
	btf__free(btf);
}

/* A kernel that renumbered the enum and added a kind nobody knows. */
static void future_kernel(void)
{
	struct btf *btf = btf__new_empty();
	__u8 r[RATCHET_KIND_IDS], l[RATCHET_KIND_IDS];
	char buf[64];
	int e;

	e = btf__add_enum(btf, "kernel_read_file_id", 4);
	btf__add_enum_value(btf, "READING_UNKNOWN", 0);
	btf__add_enum_value(btf, "READING_BPF_BLOB", 1);
	btf__add_enum_value(btf, "READING_FIRMWARE", 2);
	btf__add_enum_value(btf, "READING_MODULE", 5);
	btf__add_enum_value(btf, "READING_MODULE_ZSTD", 6);
	btf__add_enum_value(btf, "READING_MAX_ID", 7);
	CHECK(e > 0, "kinds future: the fake enum builds");
	CHECK(!kinds_from_btf(btf, KINDS_READ, r),
	      "kinds future: kernel_read_file_id found");
	CHECK(r[5] == RATCHET_KIND_MODULE,
	      "kinds future: a renumbered READING_MODULE is found by name");
	CHECK(r[2] == RATCHET_KIND_FREE, "kinds future: firmware stays free");
	CHECK(r[1] == RATCHET_KIND_UNKNOWN && r[6] == RATCHET_KIND_UNKNOWN,
	      "kinds future: names ratchet never heard of are unknown");
	CHECK(kinds_from_btf(btf, KINDS_LOAD, l) == -ENOENT &&
		      l[2] == RATCHET_KIND_UNKNOWN,
	      "kinds future: a missing enum is -ENOENT, its table all unknown");
	CHECK(!strcmp(kinds_id_name(btf, KINDS_READ, 6, buf, sizeof(buf)),
		      "READING_MODULE_ZSTD"),
	      "kinds future: an event's id is named from BTF (%s)", buf);
	CHECK(!strcmp(kinds_id_name(btf, KINDS_READ, 9, buf, sizeof(buf)),
		      "value 9"),
	      "kinds future: a value without a name is shown as such (%s)",
	      buf);
	btf__free(btf);
}

int main(void)
{
	suite_kernel("6.1");
	suite_kernel("6.12");
	suite_kernel("7.2");
	future_kernel();
	return check_failed ? 1 : 0;
}
