// SPDX-License-Identifier: GPL-2.0
/*
 * features.c - the kernel interfaces ratchet's BPF programs rely on,
 * checked in the running kernel's BTF before anything is loaded.
 *
 * A BPF LSM program reads its hook's parameters by position. A kernel that
 * renamed, reordered or dropped one would have it read the wrong value, so
 * the prototype of bpf_lsm_<hook> (the kernel's own BTF of the hook) must
 * start with exactly the parameters below. Parameters a newer kernel
 * appended are harmless, since no program reads past its own list (7.x
 * appended "kernel" to security_bpf), and `ratchet status` shows them.
 */
#include <errno.h>
#include <string.h>
#include <bpf/btf.h>
#include "cli.h"

static const struct {
	const char *hook;
	const char *params; /* what ratchet's program reads, in order */
} needs[] = {
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
	{ "bpf", "cmd,attr,size" },
};

#define NEEDS (int)(sizeof(needs) / sizeof(needs[0]))

int features_hook_known(const char *hook)
{
	int i;

	for (i = 0; i < NEEDS; i++)
		if (!strcmp(needs[i].hook, hook))
			return 1;
	return 0;
}

/* The kernel's parameter names of bpf_lsm_<hook>, comma separated. */
static int kernel_params(const struct btf *btf, const char *hook, char *buf,
			 size_t len)
{
	const struct btf_type *fn, *proto;
	const struct btf_param *p;
	char name[96];
	size_t off = 0;
	int id, i;

	snprintf(name, sizeof(name), "bpf_lsm_%s", hook);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	if (id < 0)
		return -ENOENT;
	fn = btf__type_by_id(btf, id);
	proto = fn ? btf__type_by_id(btf, fn->type) : NULL;
	if (!proto || !btf_is_func_proto(proto))
		return -ENOENT;
	buf[0] = '\0';
	p = btf_params(proto);
	for (i = 0; i < btf_vlen(proto) && off < len; i++, p++)
		off += snprintf(buf + off, len - off, "%s%s", i ? "," : "",
				btf__name_by_offset(btf, p->name_off));
	return off < len ? 0 : -E2BIG;
}

/* @have starts with the comma-separated list @want. */
static int starts_with_params(const char *have, const char *want)
{
	size_t n = strlen(want);

	return !strncmp(have, want, n) && (have[n] == ',' || !have[n]);
}

static void check_one(const struct btf *btf, int i, struct hook_proto *h)
{
	size_t n = strlen(needs[i].params);

	h->hook = needs[i].hook;
	h->reads = needs[i].params;
	h->extra = "";
	h->status = kernel_params(btf, h->hook, h->params, sizeof(h->params));
	if (h->status)
		return;
	if (!starts_with_params(h->params, h->reads))
		h->status = -EPROTO;
	else if (h->params[n] == ',')
		h->extra = h->params + n + 1;
}

/*
 * Every hook ratchet attaches to, as this kernel declares it. Fills up to
 * @max entries and returns how many there are; *@bad (may be NULL) gets
 * the first hook that is missing (-ENOENT) or differs (-EPROTO), or NULL.
 */
int features_hooks(const struct btf *btf, struct hook_proto *out, int max,
		   const struct hook_proto **bad)
{
	int i;

	if (bad)
		*bad = NULL;
	for (i = 0; i < NEEDS && i < max; i++) {
		check_one(btf, i, &out[i]);
		if (bad && !*bad && out[i].status)
			*bad = &out[i];
	}
	return NEEDS;
}
