// SPDX-License-Identifier: GPL-2.0
/*
 * test_catalogue.c - names resolve through BTF, never through numbers.
 *
 * Synthetic BTFs reproduce the layouts that broke hard-coded tools: 5.16
 * (no DEVICE_TREE, so KCORE is 18) and 6.1.0 (DEVICE_TREE at 10, KCORE 21),
 * plus a future kernel with a reason this ratchet has never heard of.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "cli.h"
#include "check.h"
#include "fake_btf.h"

static int slot_of(const struct catalogue *c, const char *name)
{
	const struct restriction *r = catalogue_find(c, name);

	return r ? r->slot : -100;
}

static void test_layouts(void)
{
	static struct catalogue c;
	struct btf *btf = fake_btf(v516);

	CHECK(catalogue_from_btf(&c, btf) == 0 && c.btf, "5.16 layout loads");
	CHECK(slot_of(&c, "kcore") == 18, "5.16: kcore is 18, not 6.1.0's 21");
	CHECK(slot_of(&c, "device-tree") == -1,
	      "5.16: device-tree listed as absent");
	CHECK(catalogue_find(&c, "device-tree") != NULL,
	      "absent reasons are still listed");
	btf__free(btf);

	btf = fake_btf(v61);
	catalogue_from_btf(&c, btf);
	CHECK(slot_of(&c, "kcore") == 21,
	      "6.1.0: kcore is 21 (6.1.192 backported xen-user-actions: 22)");
	CHECK(slot_of(&c, "device-tree") == 10, "6.1: device-tree is 10");
	CHECK(catalogue_find(&c, "kcore")->cls == RC_CONFIDENTIALITY,
	      "kcore is confidentiality");
	CHECK(catalogue_find(&c, "rtas-error-injection")->cls == RC_INTEGRITY,
	      "rtas-error-injection is integrity");
	CHECK(catalogue_find(&c, "xen-user-actions")->slot == -1,
	      "6.1 lacks xen-user-actions");
	btf__free(btf);
}

static void test_future_kernel(void)
{
	static struct catalogue c;
	struct btf *btf = fake_btf(future);
	const struct restriction *r;

	catalogue_from_btf(&c, btf);
	r = catalogue_find(&c, "future-thing");
	CHECK(r && r->slot == 2 && r->cls == RC_INTEGRITY,
	      "unknown integrity reason is lockable by name");
	r = catalogue_find(&c, "shiny-new-leak");
	CHECK(r && r->slot == 5 && r->cls == RC_CONFIDENTIALITY,
	      "unknown confidentiality reason classed by position");
	CHECK(slot_of(&c, "msr") == -1,
	      "reason missing from a kernel is absent");
	btf__free(btf);
}

static void test_presets(void)
{
	static struct catalogue c;
	struct btf *btf = fake_btf(v61);
	struct ratchet_mask integ, conf, one;
	char *pi[] = { "integrity" }, *pc[] = { "confidentiality" },
	     *pm[] = { "modules" };
	const char *bad;
	int i, ok = 1;

	catalogue_from_btf(&c, btf);
	CHECK(catalogue_resolve(&c, 1, pi, &integ, &bad) == 0,
	      "integrity preset resolves");
	CHECK(catalogue_resolve(&c, 1, pc, &conf, &bad) == 0,
	      "confidentiality preset resolves");
	for (i = 1; i < 20; i++)
		ok &= ratchet_mask_test(&integ, i) &&
		      ratchet_mask_test(&conf, i);
	CHECK(ok, "both presets hold every 6.1 integrity reason (1..19)");
	CHECK(!ratchet_mask_test(&integ, 20),
	      "INTEGRITY_MAX itself is no restriction");
	CHECK(!ratchet_mask_test(&integ, 21) && ratchet_mask_test(&conf, 21),
	      "kcore only in confidentiality");
	CHECK(!ratchet_mask_test(&conf, RATCHET_SLOT_MODULES),
	      "presets leave the extras out");
	CHECK(!ratchet_mask_test(&conf, 0), "LOCKDOWN_NONE is never locked");
	catalogue_resolve(&c, 1, pm, &one, &bad);
	CHECK(ratchet_mask_test(&one, RATCHET_SLOT_MODULES) && one.w[0] == 0,
	      "modules is one extra slot");
	btf__free(btf);
}

static void test_errors(void)
{
	static struct catalogue c;
	struct btf *btf = fake_btf(v516);
	char *unknown[] = { "dev-mem", "no-such-thing" },
	     *absent[] = { "device-tree" };
	struct ratchet_mask m;
	const char *bad = NULL;

	catalogue_from_btf(&c, btf);
	CHECK(catalogue_resolve(&c, 2, unknown, &m, &bad) == -EINVAL && bad &&
		      !strcmp(bad, "no-such-thing"),
	      "unknown name is -EINVAL and named");
	CHECK(catalogue_resolve(&c, 1, absent, &m, &bad) == -ENODEV &&
		      !strcmp(bad, "device-tree"),
	      "reason the kernel lacks is -ENODEV and named");
	btf__free(btf);
	CHECK(catalogue_from_btf(&c, NULL) == 0 && !c.btf &&
		      slot_of(&c, "dev-mem") == -1,
	      "no BTF: every kernel reason absent");
	CHECK(catalogue_load(&c, "/nonexistent/btf") < 0 && !c.btf,
	      "unreadable BTF file is an error");
}

/* The host's own BTF, through a file, checked against an independent lookup. */
static void test_host_btf(void)
{
	static struct catalogue c;
	const char *path = "/sys/kernel/btf/vmlinux";
	struct btf *btf;
	int id, i, agree = 1, n = 0;

	if (access(path, R_OK)) {
		printf("SKIP host BTF: %s not readable\n", path);
		return;
	}
	CHECK(catalogue_load(&c, path) == 0 && c.btf, "host BTF %s loads",
	      path);
	btf = btf__parse(path, NULL);
	id = btf__find_by_name_kind(btf, "lockdown_reason", BTF_KIND_ENUM);
	for (i = 0; id > 0 && i < btf_vlen(btf__type_by_id(btf, id)); i++) {
		const struct btf_enum *e =
			btf_enum(btf__type_by_id(btf, id)) + i;
		const char *kn = btf__name_by_offset(btf, e->name_off);
		char name[48];
		int j;

		if (strstr(kn, "_MAX") || !strcmp(kn, "LOCKDOWN_NONE"))
			continue;
		for (j = 0; kn[9 + j]; j++)
			name[j] = kn[9 + j] == '_'
					  ? '-'
					  : kn[9 + j] +
						    ('a' - 'A') *
							    (kn[9 + j] >= 'A' &&
							     kn[9 + j] <= 'Z');
		name[j] = '\0';
		agree &= slot_of(&c, name) == e->val;
		n++;
	}
	CHECK(n > 20 && agree, "host: all %d reasons match their BTF values",
	      n);
	btf__free(btf);
}

static void test_file_roundtrip(void)
{
	static struct catalogue c;
	char path[] = "/tmp/ratchet-btf-XXXXXX";
	struct btf *btf = fake_btf(v61);
	__u32 size;
	const void *raw = btf__raw_data(btf, &size);
	int fd = mkstemp(path);

	CHECK(fd >= 0 && write(fd, raw, size) == (ssize_t)size,
	      "wrote a raw BTF file");
	close(fd);
	CHECK(catalogue_load(&c, path) == 0 && slot_of(&c, "kcore") == 21,
	      "raw BTF file resolves kcore to 21");
	unlink(path);
	btf__free(btf);
}

/* lock and status --check take sysctl:KNOB words out before resolving. */
static void test_split_sysctls(void)
{
	char a[] = "dev-mem", b[] = "sysctl:kernel.kptr_restrict",
	     c[] = "sysctl", d[] = "sysctl:kernel.nope";
	char *argv[] = { a, b, c };
	char *bad_argv[] = { a, d };
	const char *bad = NULL;
	int argc = 3;
	__u64 knobs;

	CHECK(catalogue_split_sysctls(&argc, argv, &knobs, &bad) == 0,
	      "split: known knobs are taken");
	CHECK(argc == 2 && argv[0] == a && argv[1] == c,
	      "split: sysctl:KNOB leaves argv, plain sysctl stays as a name");
	CHECK(knobs == RATCHET_ALL_SYSCTLS,
	      "split: plain sysctl means every knob");
	argc = 2;
	CHECK(catalogue_split_sysctls(&argc, bad_argv, &knobs, &bad) ==
			      -EINVAL &&
		      bad && !strcmp(bad, "kernel.nope"),
	      "split: an unknown knob is -EINVAL, named");
	argc = 2;
	argv[1] = b;
	catalogue_split_sysctls(&argc, argv, &knobs, &bad);
	CHECK(argc == 1 && knobs == 1ULL << sysctl_knob("kernel.kptr_restrict"),
	      "split: one knob is its bit alone");
}

/*
 * The sysctl row's description names every knob of RATCHET_SYSCTLS by its
 * last component, so a knob added to the table cannot be left out of
 * ratchet list, the man page and the completion's help.
 */
static void test_sysctl_desc(void)
{
	static struct catalogue c;
	const struct restriction *r;
	char buf[RATCHET_SYSCTL_NAME_MAX];
	const char *last;
	int k;

	catalogue_from_btf(&c, NULL);
	r = catalogue_find(&c, "sysctl");
	CHECK(r && r->desc, "sysctl: the table has its row");
	if (!r || !r->desc)
		return;
	for (k = 0; k < RATCHET_SYSCTL_END; k++) {
		sysctl_knob_name(k, buf, sizeof(buf));
		last = strrchr(buf, '.') ? strrchr(buf, '.') + 1 : buf;
		CHECK(strstr(r->desc, last) != NULL,
		      "sysctl: the description names %s", buf);
	}
}

/* Every extra's hooks are hooks of RATCHET_HOOKS (or cgroup/sysctl). */
#define EXTRA_HOOKS(id, name, hooks, desc) { name, hooks },
static void test_extra_hooks(void)
{
	static const char *const rows[][2] = { RATCHET_EXTRAS(EXTRA_HOOKS) };
	static struct catalogue c;
	size_t i;

	catalogue_from_btf(&c, NULL);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char list[160], *h, *save = NULL;
		int ok = 1, n = 0;

		snprintf(list, sizeof(list), "%s", rows[i][1]);
		for (h = strtok_r(list, ",", &save); h;
		     h = strtok_r(NULL, ",", &save), n++)
			ok &= features_hook_known(h) ||
			      !strcmp(h, "cgroup/sysctl");
		CHECK(ok && n > 0,
		      "extra %s: enforced by hooks of "
		      "RATCHET_HOOKS (%s)",
		      rows[i][0], rows[i][1]);
		CHECK(catalogue_find(&c, rows[i][0]) &&
			      catalogue_find(&c, rows[i][0])->cls == RC_EXTRA,
		      "extra %s: a row of the catalogue", rows[i][0]);
	}
	CHECK(!features_hook_known("cgroup/sysctl") &&
		      !features_hook_known("inode_permission"),
	      "a hook outside RATCHET_HOOKS is not known");
}

int main(void)
{
	test_layouts();
	test_future_kernel();
	test_presets();
	test_errors();
	test_host_btf();
	test_file_roundtrip();
	test_split_sysctls();
	test_sysctl_desc();
	test_extra_hooks();
	return check_failed ? 1 : 0;
}
