// SPDX-License-Identifier: GPL-2.0
/*
 * features.c - the kernel interfaces ratchet's BPF programs rely on,
 * checked in the running kernel's BTF before anything is loaded.
 *
 * A BPF LSM program reads its hook's parameters by position. A kernel that
 * renamed, reordered or dropped one would have it read the wrong value, so
 * the prototype of bpf_lsm_<hook> (the kernel's own BTF of the hook) must
 * start with exactly the parameters RATCHET_HOOKS (include/ratchet.h)
 * lists for it. Parameters a newer kernel appended are harmless, since no
 * program reads past its own list (7.x appended "kernel" to security_bpf),
 * and `ratchet status` shows them.
 */
#include <errno.h>
#include <string.h>
#include <bpf/btf.h>
#include "cli.h"

/* RATCHET_HOOKS: each hook and what ratchet's program reads, in order. */
#define NEED(hook, params) { #hook, params },
static const struct {
	const char *hook;
	const char *params;
} needs[] = { RATCHET_HOOKS(NEED) };

#define NEEDS RATCHET_HOOK_END

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
	id = btf_find(btf, name, BTF_KIND_FUNC);
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

/*
 * struct_ops types reasoned about: their programs run only where these
 * structures are called, and none of those paths decides anything ratchet
 * decides (docs/threat-model.md). Any other struct_ops program is refused
 * after a lock, whatever a new kernel adds.
 */
static const char *const struct_ops_ok[] = {
	"tcp_congestion_ops", /* TCP congestion control */
	"Qdisc_ops",	      /* packet scheduling (7.x) */
	"hid_bpf_ops",	      /* HID report fixups (7.x) */
	"sched_ext_ops",      /* CPU scheduling (7.x): can starve, not allow */
};

/* The BTF id of @kind @prefix@name in @btf, or 0 if it has none. */
static __u32 type_id(const struct btf *btf, const char *prefix,
		     const char *name, int kind)
{
	char full[96];
	int id;

	snprintf(full, sizeof(full), "%s%s", prefix, name);
	id = btf_find(btf, full, kind);
	return id > 0 ? (__u32)id : 0;
}

/* Append @id to @ids (of @max) unless it is 0; the count is in *@n. */
static void push(__u32 *ids, int *n, int max, __u32 id)
{
	if (id && *n < max)
		ids[(*n)++] = id;
}

/*
 * What the bpf_prog hook decides on (bpf/bpfself.h), from the running
 * kernel's BTF: for every hook ratchet attaches to, the ids of
 * bpf_lsm_<hook> (where LSM programs attach) and security_<hook> (where
 * fmod_ret programs would), packed from index 0, a function the kernel
 * lacks left out; the struct_ops types above it has; whether fmod_ret
 * reaches beyond security_* (error injection: within_error_injection_list
 * is then in BTF, lib/error-inject.c). -ENOENT when a hook's bpf_lsm_
 * function is missing (features_hooks() then names it). The guard's
 * tables have room for every hook: include/ratchet.h asserts it.
 */
int features_guard(const struct btf *btf, struct guard *g)
{
	int i;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < NEEDS; i++) {
		__u32 lsm =
			type_id(btf, "bpf_lsm_", needs[i].hook, BTF_KIND_FUNC);

		if (!lsm)
			return -ENOENT;
		push(g->lsm, &g->nlsm, RATCHET_GUARD_HOOKS, lsm);
		push(g->sec, &g->nsec, RATCHET_GUARD_HOOKS,
		     type_id(btf, "security_", needs[i].hook, BTF_KIND_FUNC));
	}
	for (i = 0; i < (int)(sizeof(struct_ops_ok) / sizeof(*struct_ops_ok));
	     i++)
		push(g->ops, &g->nops, RATCHET_GUARD_OPS,
		     type_id(btf, "", struct_ops_ok[i], BTF_KIND_STRUCT));
	if (type_id(btf, "", "within_error_injection_list", BTF_KIND_FUNC))
		g->flags |= RATCHET_GUARD_ERROR_INJECTION;
	return 0;
}
