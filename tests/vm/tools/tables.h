/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tables.h - what the red-team tools that rewrite a sealed lock's tables
 * share (ctxwrite.c, tailctx.c, tabiter.c): reading the tables as `ratchet
 * status` does, and what to write over them. In a test VM only.
 */
#ifndef RATCHET_TOOLS_TABLES_H
#define RATCHET_TOOLS_TABLES_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ratchet.h"

/* A sealed snapshot from a syscall program named like ratchet_snapshot. */
static inline int snapshot(struct ratchet_snapshot *s)
{
	__u32 id = 0;

	while (!bpf_prog_get_next_id(id, &id)) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = s,
			    .ctx_size_in = sizeof(*s));
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id), ok;

		if (fd < 0)
			continue;
		memset(s, 0, sizeof(*s));
		ok = !bpf_obj_get_info_by_fd(fd, &info, &len) &&
		     info.type == BPF_PROG_TYPE_SYSCALL &&
		     !strcmp(info.name, "ratchet_snapsho") &&
		     !bpf_prog_test_run_opts(fd, &o) && !o.retval &&
		     s->state.pin_dev && s->tables_read;
		close(fd);
		if (ok)
			return 0;
	}
	return -1;
}

/* Saves @t into @file; 0 or an errno. */
static inline int tables_save(const struct ratchet_tables *t, const char *file)
{
	FILE *f = fopen(file, "we");

	if (!f || fwrite(t, sizeof(*t), 1, f) != 1 || fclose(f))
		return errno ?: EIO;
	return 0;
}

/*
 * What to write over @t: "free" (every read and load kind FREE, and
 * kernel/ftrace_enabled no knob of ratchet's) or the bytes of a FILE
 * saved before. 0 or an errno.
 */
static inline int tables_wanted(struct ratchet_tables *t, const char *how)
{
	FILE *f;
	int ok;

	if (!strcmp(how, "free")) {
		memset(t->read_kinds, RATCHET_KIND_FREE, sizeof(t->read_kinds));
		memset(t->load_kinds, RATCHET_KIND_FREE, sizeof(t->load_kinds));
		t->sysctl_names[RATCHET_SYSCTL_FTRACE_ENABLED][0] = 'X';
		return 0;
	}
	f = fopen(how, "re");
	if (!f)
		return errno;
	ok = fread(t, sizeof(*t), 1, f) == 1;
	fclose(f);
	return ok ? 0 : EIO;
}

/*
 * Runs the iterator @p (find_value of find-map.bpf.h) over every map once;
 * 0, or the errno of the step that failed, named in *@what.
 */
static inline int iter_once(struct bpf_program *p, const char **what)
{
	struct bpf_link *l = bpf_program__attach_iter(p, NULL);
	char buf[64];
	int it;

	*what = "attach a bpf_map iterator";
	if (!l)
		return errno;
	*what = "create the bpf_map iterator";
	it = bpf_iter_create(bpf_link__fd(l));
	if (it < 0) {
		bpf_link__destroy(l);
		return errno;
	}
	while (read(it, buf, sizeof(buf)) > 0)
		;
	close(it);
	bpf_link__destroy(l);
	return 0;
}

#endif
