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

/* Every hook as 6.1 declares it, with @bpf_params for security_bpf. */
static struct btf *kernel_like(const char *bpf_params, const char *skip)
{
	static const char *const hooks[][2] = {
		{ "locked_down", "what" },
		{ "kernel_load_data", "id,contents" },
		{ "kernel_read_file", "file,id,contents" },
		{ "inode_unlink", "dir,dentry" },
		{ "inode_rmdir", "dir,dentry" },
		{ "inode_rename", "old_dir,old_dentry,new_dir,new_dentry" },
		{ "sb_umount", "mnt,flags" },
		{ "sb_mount", "dev_name,path,type,flags,data" },
		{ "move_mount", "from_path,to_path" },
		{ "sb_pivotroot", "old_path,new_path" },
		{ "bpf_map", "map,fmode" },
		{ "bpf_prog", "prog" },
	};
	struct btf *btf = btf__new_empty();
	size_t i;

	btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	for (i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++)
		if (!skip || strcmp(skip, hooks[i][0]))
			add_hook(btf, hooks[i][0], hooks[i][1]);
	add_hook(btf, "bpf", bpf_params);
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

static void test_prototypes(void)
{
	struct hook_proto h[HOOKS_MAX];
	const struct hook_proto *bad, *b;
	struct btf *btf;
	int n;

	btf = kernel_like("cmd,attr,size", NULL);
	n = features_hooks(btf, h, HOOKS_MAX, &bad);
	CHECK(n > 0 && n <= HOOKS_MAX && !bad,
	      "6.1 prototypes: every hook as ratchet reads it");
	b = find(h, n, "bpf");
	CHECK(b && !b->status && !b->extra[0],
	      "6.1: bpf(cmd,attr,size) has nothing extra");
	btf__free(btf);

	btf = kernel_like("cmd,attr,size,kernel", NULL);
	features_hooks(btf, h, HOOKS_MAX, &bad);
	b = find(h, n, "bpf");
	CHECK(!bad && b && !strcmp(b->extra, "kernel"),
	      "7.x: bpf(cmd,attr,size,kernel) is fine, 'kernel' shown as appended");
	btf__free(btf);

	btf = kernel_like("attr,cmd,size", NULL);
	features_hooks(btf, h, HOOKS_MAX, &bad);
	CHECK(bad && !strcmp(bad->hook, "bpf") && bad->status == -EPROTO,
	      "reordered parameters are refused (-EPROTO)");
	btf__free(btf);

	btf = kernel_like("cmd,attr,sizes", NULL);
	features_hooks(btf, h, HOOKS_MAX, &bad);
	CHECK(bad && bad->status == -EPROTO,
	      "a parameter whose name only starts alike differs");
	btf__free(btf);

	btf = kernel_like("cmd,attr,size", "sb_umount");
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
	struct btf *btf = kernel_like("cmd,attr,size", NULL);
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

	btf = kernel_like("cmd,attr,size", "bpf_map");
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
	test_prototypes();
	test_guard();
	test_known();
	return check_failed ? 1 : 0;
}
