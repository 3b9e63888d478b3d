// SPDX-License-Identifier: GPL-2.0
/*
 * test_features.c - hook prototypes are read from BTF, never assumed: a
 * kernel that appends a parameter (7.x security_bpf gained "kernel") is
 * fine, one that renames or reorders one is refused, a missing hook named.
 */
#include <errno.h>
#include <string.h>
#include <bpf/btf.h>
#include "cli.h"
#include "check.h"

/* FUNC bpf_lsm_<hook> with int parameters named by the comma list. */
static void add_hook(struct btf *btf, const char *hook, const char *params)
{
	char name[64], list[160], *p, *save = NULL;
	int proto, i = 0;

	proto = btf__add_func_proto(btf, 1);
	snprintf(list, sizeof(list), "%s", params);
	for (p = strtok_r(list, ",", &save); p;
	     p = strtok_r(NULL, ",", &save), i++)
		btf__add_func_param(btf, p, 1);
	snprintf(name, sizeof(name), "bpf_lsm_%s", hook);
	btf__add_func(btf, name, BTF_FUNC_GLOBAL, proto);
}

#define HOOK_ROW(hook, params) { #hook, params },
static const char *const hooks[][2] = { RATCHET_HOOKS(HOOK_ROW) };
#define NHOOKS (int)(sizeof(hooks) / sizeof(hooks[0]))

/* What ratchet reads of security_bpf, from RATCHET_HOOKS. */
static const char *bpf_reads(void)
{
	int i;

	for (i = 0; i < NHOOKS; i++)
		if (!strcmp(hooks[i][0], "bpf"))
			return hooks[i][1];
	return "";
}

/*
 * Every hook of RATCHET_HOOKS as ratchet reads it, but with @bpf_params
 * (NULL: as read) for security_bpf, and without @skip (may be NULL).
 */
static struct btf *kernel_like(const char *bpf_params, const char *skip)
{
	struct btf *btf = btf__new_empty();
	int i;

	btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	for (i = 0; i < NHOOKS; i++) {
		if (skip && !strcmp(skip, hooks[i][0]))
			continue;
		add_hook(btf, hooks[i][0],
			 strcmp(hooks[i][0], "bpf") || !bpf_params
				 ? hooks[i][1]
				 : bpf_params);
	}
	return btf;
}

static const struct hook_proto *find(struct hook_proto *h, int n,
				     const char *hook)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(h[i].hook, hook))
			return &h[i];
	return NULL;
}

/* Every hook as read, from a kernel that declares them all so. */
static void test_as_read(void)
{
	struct hook_proto h[HOOKS_MAX];
	const struct hook_proto *bad;
	struct btf *btf = kernel_like(NULL, NULL);
	int n, i, same = 1;

	n = features_hooks(btf, h, HOOKS_MAX, &bad);
	for (i = 0; i < n && i < NHOOKS; i++)
		same &= !strcmp(h[i].hook, hooks[i][0]) &&
			!strcmp(h[i].params, hooks[i][1]) && !h[i].extra[0];
	CHECK(n == RATCHET_HOOK_END && n == NHOOKS && !bad && same,
	      "every hook of RATCHET_HOOKS checked, in order, nothing extra");
	btf__free(btf);
}

static void test_prototypes(void)
{
	struct hook_proto h[HOOKS_MAX];
	const struct hook_proto *bad, *b;
	const char *reads = bpf_reads(), *comma = strchr(reads, ',');
	char params[160];
	struct btf *btf;
	int n;

	snprintf(params, sizeof(params), "%s,kernel", reads);
	btf = kernel_like(params, NULL);
	n = features_hooks(btf, h, HOOKS_MAX, &bad);
	b = find(h, n, "bpf");
	CHECK(!bad && b && !strcmp(b->extra, "kernel"),
	      "7.x: bpf(cmd,attr,size,kernel) is fine, 'kernel' shown as appended");
	btf__free(btf);

	/* The first parameter moved last: "attr,size,cmd". */
	CHECK(comma != NULL, "ratchet reads more than one parameter of bpf");
	if (comma)
		snprintf(params, sizeof(params), "%s,%.*s", comma + 1,
			 (int)(comma - reads), reads);
	btf = kernel_like(params, NULL);
	features_hooks(btf, h, HOOKS_MAX, &bad);
	CHECK(bad && !strcmp(bad->hook, "bpf") && bad->status == -EPROTO,
	      "reordered parameters are refused (-EPROTO)");
	btf__free(btf);

	snprintf(params, sizeof(params), "%ss", reads);
	btf = kernel_like(params, NULL);
	features_hooks(btf, h, HOOKS_MAX, &bad);
	CHECK(bad && bad->status == -EPROTO,
	      "a parameter whose name only starts alike differs");
	btf__free(btf);

	btf = kernel_like(NULL, "sb_umount");
	features_hooks(btf, h, HOOKS_MAX, &bad);
	CHECK(bad && !strcmp(bad->hook, "sb_umount") && bad->status == -ENOENT,
	      "a missing hook is named (-ENOENT)");
	btf__free(btf);
}

/* FUNC @name with no parameters; STRUCT @name when @is_struct. */
static int add_named(struct btf *btf, const char *name, int is_struct)
{
	return is_struct ? btf__add_struct(btf, name, 0)
			 : btf__add_func(btf, name, BTF_FUNC_GLOBAL,
					 btf__add_func_proto(btf, 1));
}

static int has(const __u32 *ids, int n, int id)
{
	while (n--)
		if ((int)ids[n] == id)
			return 1;
	return 0;
}

static void test_guard(void)
{
	struct btf *btf = kernel_like(NULL, NULL);
	struct guard g;
	int sec_ld, sec_bpf, tcp, dummy, lsm_ld;

	lsm_ld = btf__find_by_name_kind(btf, "bpf_lsm_locked_down",
					BTF_KIND_FUNC);
	sec_ld = add_named(btf, "security_locked_down", 0);
	sec_bpf = add_named(btf, "security_bpf", 0);
	tcp = add_named(btf, "tcp_congestion_ops", 1);
	dummy = add_named(btf, "bpf_dummy_ops", 1);
	CHECK(!features_guard(btf, &g), "guard ids resolve");
	CHECK(g.nlsm == features_hooks(btf, NULL, 0, NULL) &&
		      has(g.lsm, g.nlsm, lsm_ld),
	      "every hook's bpf_lsm_ id, bpf_lsm_locked_down among them");
	CHECK(g.nsec == 2 && g.sec[0] == (__u32)sec_ld &&
		      g.sec[1] == (__u32)sec_bpf,
	      "security_ ids packed from 0, those the kernel lacks left out");
	CHECK(g.nops == 1 && g.ops[0] == (__u32)tcp && !has(g.ops, 8, dummy),
	      "struct_ops: tcp_congestion_ops reasoned about, bpf_dummy_ops not");
	CHECK(!(g.flags & RATCHET_GUARD_ERROR_INJECTION),
	      "no error injection without within_error_injection_list");
	add_named(btf, "within_error_injection_list", 0);
	features_guard(btf, &g);
	CHECK(g.flags & RATCHET_GUARD_ERROR_INJECTION,
	      "within_error_injection_list in BTF: fmod_ret reaches further");
	btf__free(btf);

	btf = kernel_like(NULL, "bpf_map");
	CHECK(features_guard(btf, &g) == -ENOENT,
	      "a hook without its bpf_lsm_ function fails the guard (-ENOENT)");
	btf__free(btf);
}

static void test_known(void)
{
	CHECK(features_hook_known("locked_down") &&
		      features_hook_known("bpf") &&
		      features_hook_known("bpf_prog"),
	      "the hooks the programs use are known");
	CHECK(!features_hook_known("inode_permission"),
	      "a hot hook ratchet never uses is not");
}

int main(void)
{
	test_as_read();
	test_prototypes();
	test_guard();
	test_known();
	return check_failed ? 1 : 0;
}
