// SPDX-License-Identifier: GPL-2.0
/*
 * catalogue.c - the one table of restrictions.
 *
 * Kernel reasons come from the running kernel's BTF (enum lockdown_reason):
 * their numbers move between releases, so a reason's slot is whatever the
 * kernel says it is today, and its class follows from where it sits
 * relative to LOCKDOWN_INTEGRITY_MAX, exactly as mainline splits them. The
 * table below only adds words for people; a reason the kernel has and the
 * table lacks is still listed and lockable by its name.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "cli.h"

/*
 * One row per kernel reason ratchet can describe: its enumerator without
 * LOCKDOWN_, its class (where mainline puts it, before or after
 * LOCKDOWN_INTEGRITY_MAX: what a reason this kernel lacks is classed by),
 * what it blocks, and a caveat worth printing (or NULL).
 *
 * Where a row is enforced and tested, KCORE as the example:
 *  - enforced: every kernel reason by one hook, ratchet_locked_down
 *    (SEC("lsm/locked_down") in bpf/ratchet.bpf.c), whose slot is the
 *    reason's enum value (LOCKDOWN_KCORE, resolved from BTF at lock time);
 *  - tested: tests/vm/ops.tsv names the operations the row must refuse
 *    ("kcore -> kcore": ratchet-probe's open of /proc/kcore in
 *    tests/vm/tools/probe.c), held by tests/vm/cases/restrictions.sh on every
 *    kernel; a row no VM can exercise is in tests/vm/skips.tsv, with why.
 *    A unit test (tests/unit/test_cli.sh) holds both files to this table.
 *  - documented: ratchet(8) RESTRICTIONS is generated from this table by
 *    build/ratchet-table (man/table.c), as are the completion's fixed words.
 * The extras (RATCHET_EXTRAS) are enforced by their own hooks, named in
 * each line there.
 */
#define KNOWN_REASONS(X)                                                                \
	X(MODULE_SIGNATURE, RC_INTEGRITY,                                               \
	  "loading kernel modules that are unsigned or fail signature checks",          \
	  NULL)                                                                         \
	X(DEV_MEM, RC_INTEGRITY,                                                        \
	  "raw memory and I/O port access through /dev/mem, /dev/kmem and /dev/port",   \
	  NULL)                                                                         \
	X(EFI_TEST, RC_INTEGRITY,                                                       \
	  "EFI runtime services called through the efi_test driver", NULL)              \
	X(KEXEC, RC_INTEGRITY,                                                          \
	  "kexec_load(2), and kexec_file_load(2) of images that fail signature checks", \
	  NULL)                                                                         \
	X(HIBERNATION, RC_INTEGRITY,                                                    \
	  "hibernation and resume from a disk image, including uswsusp", NULL)          \
	X(PCI_ACCESS, RC_INTEGRITY,                                                     \
	  "PCI config space writes and BAR access from user space",                     \
	  "through sysfs and /proc/bus/pci; not through VFIO (behind the IOMMU), "      \
	  "which the kernel does not ask about, as under mainline lockdown")            \
	X(IOPORT, RC_INTEGRITY,                                                         \
	  "direct I/O port access through ioperm(2) and iopl(2)", NULL)                 \
	X(MSR, RC_INTEGRITY,                                                            \
	  "writing x86 model-specific registers through /dev/cpu/*/msr", NULL)          \
	X(ACPI_TABLES, RC_INTEGRITY,                                                    \
	  "ACPI table overrides, custom methods and acpi_rsdp",                         \
	  "checked while booting; after boot only by the custom_method debugfs file "   \
	  "(6.1 and older, when built)")                                                \
	X(DEVICE_TREE, RC_INTEGRITY,                                                    \
	  "loading device-tree overlays at run time", NULL)                             \
	X(PCMCIA_CIS, RC_INTEGRITY,                                                     \
	  "replacing a PCMCIA card's information structure", NULL)                      \
	X(TIOCSSERIAL, RC_INTEGRITY,                                                    \
	  "changing a serial port's I/O base or IRQ with TIOCSSERIAL", NULL)            \
	X(MODULE_PARAMETERS, RC_INTEGRITY,                                              \
	  "module parameters that set hardware addresses, ports or IRQs",               \
	  NULL)                                                                         \
	X(MMIOTRACE, RC_INTEGRITY, "tracing of memory-mapped I/O (mmiotrace)",          \
	  NULL)                                                                         \
	X(DEBUGFS, RC_INTEGRITY,                                                        \
	  "debugfs files other than plain read-only ones", NULL)                        \
	X(XMON_WR, RC_INTEGRITY, "writes through the xmon debugger (powerpc)",          \
	  NULL)                                                                         \
	X(BPF_WRITE_USER, RC_INTEGRITY,                                                 \
	  "BPF programs that write user memory (bpf_probe_write_user)", NULL)           \
	X(DBG_WRITE_KERNEL, RC_INTEGRITY,                                               \
	  "kernel memory writes through kdb/kgdb", NULL)                                \
	X(RTAS_ERROR_INJECTION, RC_INTEGRITY,                                           \
	  "RTAS error injection (powerpc)", NULL)                                       \
	X(XEN_USER_ACTIONS, RC_INTEGRITY,                                               \
	  "Xen user actions that can reach kernel memory", NULL)                        \
	X(KCORE, RC_CONFIDENTIALITY,                                                    \
	  "reading kernel memory through /proc/kcore", NULL)                            \
	X(KPROBES, RC_CONFIDENTIALITY,                                                  \
	  "registering kprobes through kprobe_events or perf", NULL)                    \
	X(BPF_READ_KERNEL, RC_CONFIDENTIALITY,                                          \
	  "BPF programs that read kernel memory (bpf_probe_read_kernel and friends)",   \
	  "the probe-read helpers only: bpf_snprintf()'s %s, bpf_snprintf_btf() "       \
	  "and kfuncs such as bpf_rdonly_cast() (6.2 and later) still read kernel "     \
	  "memory, as under mainline lockdown")                                         \
	X(DBG_READ_KERNEL, RC_CONFIDENTIALITY,                                          \
	  "kernel memory reads through kdb/kgdb", NULL)                                 \
	X(PERF, RC_CONFIDENTIALITY,                                                     \
	  "perf events that sample kernel registers (PERF_SAMPLE_REGS_INTR)",           \
	  NULL)                                                                         \
	X(TRACEFS, RC_CONFIDENTIALITY,                                                  \
	  "the tracing file system (/sys/kernel/tracing)", NULL)                        \
	X(XMON_RW, RC_CONFIDENTIALITY,                                                  \
	  "the xmon debugger in read-write mode (powerpc)", NULL)                       \
	X(XFRM_SECRET, RC_CONFIDENTIALITY,                                              \
	  "IPsec SA keys in xfrm netlink dumps (the keys are redacted)",                \
	  "not in PF_KEY dumps (af_key), which the kernel does not redact, as under "   \
	  "mainline lockdown")

struct known {
	const char *kname;
	enum rclass cls;
	const char *desc;
	const char *note;
};

#define KNOWN_ROW(kname, cls, desc, note) { #kname, cls, desc, note },
static const struct known known[] = { KNOWN_REASONS(KNOWN_ROW) };

/*
 * RATCHET_EXTRAS (include/ratchet.h): each extra's name, slot and words;
 * the sysctl row's words (NULL there) name the knobs (sysctl_row_desc()).
 */
#define EXTRA_ROW(id, name, hooks, desc) { name, RATCHET_SLOT_##id, desc },
static const struct {
	const char *name;
	int slot;
	const char *desc;
} extras[] = { RATCHET_EXTRAS(EXTRA_ROW) };

static const char *sysctl_row_desc(void);

#define SYSCTL_PATH(id, name, rule, low, high) name,
static const char *const sysctl_paths[] = { RATCHET_SYSCTLS(SYSCTL_PATH) };
#define SYSCTL_RULE(id, name, rule, low, high) RATCHET_RULE_##rule,
static const enum ratchet_sysctl_rule sysctl_rules[] = { RATCHET_SYSCTLS(
	SYSCTL_RULE) };
#define RULE_MEANS(id, means, brief) means,
static const char *const rule_means[] = { RATCHET_RULES(RULE_MEANS) };
#define RULE_BRIEF(id, means, brief) brief,
static const char *const rule_briefs[] = { RATCHET_RULES(RULE_BRIEF) };

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *rclass_name(enum rclass cls)
{
	static const char *const names[] = { "integrity", "confidentiality",
					     "extra" };
	return names[cls];
}

/* LOCKDOWN_FOO_BAR -> foo-bar */
static void reason_name(char *dst, size_t len, const char *kname)
{
	size_t i;

	for (i = 0; kname[i] && i + 1 < len; i++)
		dst[i] = kname[i] == '_' ? '-'
					 : tolower((unsigned char)kname[i]);
	dst[i] = '\0';
}

static const struct known *known_by_kname(const char *kname)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (!strcmp(known[i].kname, kname))
			return &known[i];
	return NULL;
}

static struct restriction *add(struct catalogue *c, const char *kname,
			       enum rclass cls, int slot)
{
	const struct known *k = known_by_kname(kname);
	struct restriction *r;

	if (c->n >= CATALOGUE_MAX)
		return NULL;
	r = &c->r[c->n++];
	reason_name(r->name, sizeof(r->name), kname);
	r->desc =
		k ? k->desc
		  : "kernel lockdown reason with no description in this ratchet";
	r->note = k ? k->note : NULL;
	r->cls = cls;
	r->slot = slot;
	return r;
}

static const struct btf_type *lockdown_enum(const struct btf *btf)
{
	int id = btf_find(btf, "lockdown_reason", BTF_KIND_ENUM);

	return id < 0 ? NULL : btf__type_by_id(btf, id);
}

/* Reasons the kernel has, in its order; the markers only set the class. */
static int add_kernel_reasons(struct catalogue *c, const struct btf *btf)
{
	const struct btf_type *t = lockdown_enum(btf);
	const struct btf_enum *e;
	enum rclass cls = RC_INTEGRITY;
	int i;

	if (!t)
		return -ENOENT;
	e = btf_enum(t);
	for (i = 0; i < btf_vlen(t); i++, e++) {
		const char *n = btf__name_by_offset(btf, e->name_off);

		if (strncmp(n, "LOCKDOWN_", 9) || !strcmp(n, "LOCKDOWN_NONE"))
			continue;
		if (!strcmp(n, "LOCKDOWN_INTEGRITY_MAX")) {
			cls = RC_CONFIDENTIALITY;
			continue;
		}
		if (!strcmp(n, "LOCKDOWN_CONFIDENTIALITY_MAX"))
			break;
		if (e->val < 0 || e->val >= RATCHET_REASON_SLOTS)
			return -ERANGE;
		if (!add(c, n + 9, cls, e->val))
			return -E2BIG;
	}
	return 0;
}

/* Known reasons this kernel lacks: listed as absent, class from the table. */
static void add_absent_reasons(struct catalogue *c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		char name[48];

		reason_name(name, sizeof(name), known[i].kname);
		if (!catalogue_find(c, name))
			add(c, known[i].kname, known[i].cls, -1);
	}
}

/* @btf may be NULL: every kernel reason is then listed as absent. */
int catalogue_from_btf(struct catalogue *c, const struct btf *btf)
{
	size_t i;
	int err = 0;

	memset(c, 0, sizeof(*c));
	if (btf) {
		err = add_kernel_reasons(c, btf);
		c->btf = !err;
		if (err)
			c->n = 0;
	}
	add_absent_reasons(c);
	for (i = 0; i < ARRAY_SIZE(extras); i++) {
		struct restriction *r = &c->r[c->n++];

		snprintf(r->name, sizeof(r->name), "%s", extras[i].name);
		r->desc = extras[i].desc ?: sysctl_row_desc();
		r->note = NULL;
		r->cls = RC_EXTRA;
		/* Extras need BPF LSM hooks, so only a BTF kernel has them. */
		r->slot = c->btf ? extras[i].slot : -1;
	}
	return err;
}

static struct btf *running_btf;

static void free_running_btf(void)
{
	btf__free(running_btf);
}

/*
 * The running kernel's BTF, parsed once per process: the catalogue and
 * the hook check both need it, and under emulation a parse takes a second.
 * Read from a fresh sysfs instance (kfs.c), never from the path
 * /sys/kernel/btf/vmlinux, which root can cover with a doctored copy
 * (two lockdown reasons' values swapped). Only in `check` and `list`,
 * which lock nothing (catalogue_allow_path_btf()), and only without the
 * privilege to mount (fsopen() refused), the path. Anywhere else a
 * refusal is an error: a refused open of the fresh instance's file (a
 * fanotify permission listener of root's answers EPERM), or a refused
 * mount (a program of root's answering security_capable() for ratchet's
 * first fsopen() calls only, red team 16): falling back then let root's
 * copy in /boot decide the tables of a lock. NULL with errno set.
 */
static bool path_btf_ok;

void catalogue_allow_path_btf(void)
{
	path_btf_ok = true;
}

const struct btf *kernel_btf(void)
{
	size_t size;
	void *raw;
	int err;

	if (!running_btf) {
		err = kfs_read_all("sysfs", KFS_BTF, &raw, &size);
		if (err == -EPERM && path_btf_ok &&
		    kfs_mountable("sysfs") == -EPERM)
			running_btf = btf__load_vmlinux_btf();
		if (running_btf)
			goto loaded;
		if (err) {
			errno = -err;
			return NULL;
		}
		running_btf = btf__new(raw, (__u32)size);
		err = errno;
		free(raw);
		errno = err;
		if (!running_btf)
			return NULL;
	loaded:
		atexit(free_running_btf);
	}
	return running_btf;
}

/*
 * A name index of a BTF: btf__find_by_name_kind() compares every one of
 * the kernel's 100,000-odd type names, and status asks for dozens (under
 * emulation about 40 ms each). Open addressing over type ids; ids go in
 * ascending order and a name and kind already in keep their first id, as
 * libbpf's linear search returns.
 */
static size_t name_hash(const char *name, __u32 kind)
{
	size_t h = 2166136261u ^ kind;

	while (*name)
		h = (h ^ (unsigned char)*name++) * 16777619u;
	return h;
}

static int indexed_as(const struct btf *btf, __u32 id, const char *name,
		      __u32 kind)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	return t && btf_kind(t) == kind &&
	       !strcmp(btf__name_by_offset(btf, t->name_off), name);
}

/* The slot for @name of @kind: holding its id, or empty (0). */
static __u32 *index_slot(const struct btf_index *ix, const char *name,
			 __u32 kind)
{
	size_t i = name_hash(name, kind) & ix->mask;

	while (ix->ids[i] && !indexed_as(ix->btf, ix->ids[i], name, kind))
		i = (i + 1) & ix->mask;
	return &ix->ids[i];
}

int btf_index_build(struct btf_index *ix, const struct btf *btf)
{
	__u32 n = btf__type_cnt(btf), id;
	size_t size = 1;

	while (size < 2 * (size_t)n)
		size <<= 1;
	if (!(ix->ids = calloc(size, sizeof(*ix->ids))))
		return -ENOMEM;
	ix->mask = size - 1;
	ix->btf = btf;
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);
		__u32 *slot;

		if (!name || !*name)
			continue;
		slot = index_slot(ix, name, btf_kind(t));
		if (!*slot)
			*slot = id;
	}
	return 0;
}

int btf_index_find(const struct btf_index *ix, const char *name, __u32 kind)
{
	__u32 id = *name ? *index_slot(ix, name, kind) : 0;

	return id ? (int)id : -ENOENT;
}

void btf_index_free(struct btf_index *ix)
{
	free(ix->ids);
	ix->ids = NULL;
}

static struct btf_index running_index;

static void free_running_index(void)
{
	btf_index_free(&running_index);
}

/*
 * btf__find_by_name_kind(), through an index when @btf is the running
 * kernel's (parsed once, kept to the end); any other BTF the linear way.
 */
int btf_find(const struct btf *btf, const char *name, __u32 kind)
{
	if (!btf || btf != running_btf || !*name)
		return btf__find_by_name_kind(btf, name, kind);
	if (!running_index.ids) {
		if (btf_index_build(&running_index, btf))
			return btf__find_by_name_kind(btf, name, kind);
		atexit(free_running_index);
	}
	return btf_index_find(&running_index, name, kind);
}

/* @btf_path NULL means the running kernel. Returns catalogue_from_btf's. */
int catalogue_load(struct catalogue *c, const char *btf_path)
{
	struct btf *own = btf_path ? btf__parse(btf_path, NULL) : NULL;
	const struct btf *btf = btf_path ? own : kernel_btf();
	int err;

	if (!btf) {
		err = errno ? -errno : -ENOENT;
		catalogue_from_btf(c, NULL);
		return err;
	}
	err = catalogue_from_btf(c, btf);
	btf__free(own);
	return err;
}

const struct restriction *catalogue_find(const struct catalogue *c,
					 const char *name)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->r[i].name, name))
			return &c->r[i];
	return NULL;
}

const struct restriction *catalogue_by_slot(const struct catalogue *c, int slot)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->r[i].slot == slot)
			return &c->r[i];
	return NULL;
}

/*
 * A preset is named after its class (rclass_name) and is every present
 * reason of that class or a lower one: confidentiality ⊇ integrity.
 */
static int add_preset(const struct catalogue *c, const char *name,
		      struct ratchet_mask *m)
{
	int i, top;

	for (top = RC_INTEGRITY; top < RC_EXTRA; top++)
		if (!strcmp(name, rclass_name(top)))
			break;
	if (top == RC_EXTRA)
		return -ENOENT;
	for (i = 0; i < c->n; i++)
		if (c->r[i].slot >= 0 && c->r[i].cls <= (enum rclass)top)
			ratchet_mask_set(m, c->r[i].slot);
	return 0;
}

/*
 * Names to a mask. -EINVAL: unknown name; -ENODEV: known, but the running
 * kernel lacks it. Either way *bad names the culprit and @m is unusable.
 */
int catalogue_resolve(const struct catalogue *c, int n, char *const names[],
		      struct ratchet_mask *m, const char **bad)
{
	int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		const struct restriction *r = catalogue_find(c, names[i]);

		*bad = names[i];
		if (r && r->slot < 0)
			return -ENODEV;
		if (r)
			ratchet_mask_set(m, r->slot);
		else if (add_preset(c, names[i], m))
			return -EINVAL;
	}
	*bad = NULL;
	return 0;
}

/* What knob @k's rule lets a write do, in words; NULL for no knob. */
const char *sysctl_rule_means(int k, const char **brief)
{
	if (k < 0 || k >= RATCHET_SYSCTL_END)
		return NULL;
	if (brief)
		*brief = rule_briefs[sysctl_rules[k]];
	return rule_means[sysctl_rules[k]];
}

/* The sysctl row's description: every knob, with the rule's few words. */
static const char *sysctl_row_desc(void)
{
	static char desc[512];
	char name[RATCHET_SYSCTL_NAME_MAX];
	const char *brief;
	size_t n;
	int k;

	if (desc[0])
		return desc;
	n = snprintf(desc, sizeof(desc),
		     "lowering raise-only sysctls (all of "
		     "them, or sysctl:KNOB for one):");
	for (k = 0; k < RATCHET_SYSCTL_END && n < sizeof(desc); k++) {
		sysctl_rule_means(k, &brief);
		n += snprintf(desc + n, sizeof(desc) - n, "%s %s%s%s%s",
			      k ? "," : "",
			      sysctl_knob_name(k, name, sizeof(name)),
			      *brief ? " (" : "", brief, *brief ? ")" : "");
	}
	return desc;
}

/* "kernel.kptr_restrict" (as sysctl(8) spells it) -> enum ratchet_sysctl. */
int sysctl_knob(const char *dotted)
{
	char path[RATCHET_SYSCTL_NAME_MAX];
	size_t i;

	for (i = 0; dotted[i] && i + 1 < sizeof(path); i++)
		path[i] = dotted[i] == '.' ? '/' : dotted[i];
	path[i] = '\0';
	for (i = 0; i < ARRAY_SIZE(sysctl_paths); i++)
		if (!strcmp(sysctl_paths[i], path))
			return (int)i;
	return -ENOENT;
}

/* enum ratchet_sysctl -> "kernel.kptr_restrict" */
const char *sysctl_knob_name(int k, char *buf, size_t len)
{
	size_t i;

	if (k < 0 || k >= RATCHET_SYSCTL_END)
		return "unknown";
	for (i = 0; sysctl_paths[k][i] && i + 1 < len; i++)
		buf[i] = sysctl_paths[k][i] == '/' ? '.' : sysctl_paths[k][i];
	buf[i] = '\0';
	return buf;
}

/*
 * Take the sysctl:KNOB words out of @argv (compacting it, *@argc shrinks)
 * into @knobs; a plain `sysctl` means every knob and stays in @argv, as
 * the restriction it also is. -EINVAL: *@bad is a knob ratchet lacks.
 */
int catalogue_split_sysctls(int *argc, char **argv, __u64 *knobs,
			    const char **bad)
{
	int i, n = 0, k;

	*knobs = 0;
	for (i = 0; i < *argc; i++) {
		if (!strcmp(argv[i], "sysctl"))
			*knobs |= RATCHET_ALL_SYSCTLS;
		if (strncmp(argv[i], "sysctl:", 7)) {
			argv[n++] = argv[i];
			continue;
		}
		if ((k = sysctl_knob(argv[i] + 7)) < 0) {
			*bad = argv[i] + 7;
			return -EINVAL;
		}
		*knobs |= 1ULL << k;
	}
	*argc = n;
	return 0;
}

/* Whether @m holds @name, a restriction the running kernel has. */
bool catalogue_mask_has(const struct catalogue *c, const struct ratchet_mask *m,
			const char *name)
{
	const struct restriction *r = name ? catalogue_find(c, name) : NULL;

	return r && r->slot >= 0 && ratchet_mask_test(m, r->slot);
}
