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

static void test_known(void)
{
	CHECK(features_hook_known("locked_down") && features_hook_known("bpf"),
	      "the hooks the programs use are known");
	CHECK(!features_hook_known("inode_permission"),
	      "a hot hook ratchet never uses is not");
}

int main(void)
{
	test_prototypes();
	test_known();
	return check_failed ? 1 : 0;
}
