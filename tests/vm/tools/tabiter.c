// SPDX-License-Identifier: GPL-2.0
/*
 * tabiter.c - `ratchet-tabiter`: rewrite a sealed lock's frozen,
 * BPF_F_RDONLY_PROG tables map through a map element iterator
 * (tabiter.bpf.c). For tests/vm/attacks/rt2-tables-iter.sh, in a test VM
 * only.
 *
 *   ratchet-tabiter save FILE     the tables map's value into FILE
 *   ratchet-tabiter free          every read and load kind FREE, and
 *                                 kernel/ftrace_enabled no knob of ratchet's
 *   ratchet-tabiter restore FILE  write FILE's bytes back
 *
 * The map is found by its name ("tables") and value size; the fd comes
 * from its id (the bpf_map hook refuses no fd to it). Prints each step;
 * exit 0 done, 1 a step refused, 2 other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "ratchet.h"
#include "tables.h"
#include "attack-tabiter.skel.h"

static int step(const char *what, int err)
{
	printf("tabiter: %s: %s\n", what, err ? strerror(err) : "ok");
	if (!err)
		return 0;
	return err == EPERM || err == EACCES || err == ENOENT ? 1 : 2;
}

/* An fd to the first array map named "tables" of the tables' size. */
static int tables_fd(void)
{
	__u32 id = 0;

	while (!bpf_map_get_next_id(id, &id)) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_map_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    !strcmp(info.name, "tables") &&
		    info.value_size == sizeof(struct ratchet_tables)) {
			printf("tabiter: tables map id %u, flags 0x%x\n", id,
			       info.map_flags);
			return fd;
		}
		close(fd);
	}
	return -1;
}

/* Run the iterator once over @fd's map, writing @t into element 0. */
static int write_tables(int fd, const struct ratchet_tables *t)
{
	DECLARE_LIBBPF_OPTS(bpf_iter_attach_opts, o);
	union bpf_iter_link_info linfo = {};
	struct attack_tabiter *s = attack_tabiter__open_and_load();
	struct bpf_link *l;
	char buf[64];
	int it, err = 0;

	if (!s)
		return step("load the map element iterator", errno);
	memcpy(s->bss->newval, t, sizeof(*t));
	linfo.map.map_fd = fd;
	o.link_info = &linfo;
	o.link_info_len = sizeof(linfo);
	l = bpf_program__attach_iter(s->progs.tabiter_write, &o);
	if (!l)
		return step("attach the iterator to the tables map", errno);
	it = bpf_iter_create(bpf_link__fd(l));
	if (it < 0)
		return step("create the iterator", errno);
	while (read(it, buf, sizeof(buf)) > 0)
		;
	close(it);
	printf("tabiter: the iterator wrote %llu element(s)\n",
	       (unsigned long long)s->bss->wrote);
	if (!s->bss->wrote)
		err = step("write the tables", EIO);
	bpf_link__destroy(l);
	attack_tabiter__destroy(s);
	return err;
}

int main(int argc, char **argv)
{
	struct ratchet_tables t, now;
	__u32 zero = 0;
	int fd, err;

	if (argc < 2)
		return 2;
	fd = tables_fd();
	if (fd < 0)
		return step("find the tables map and take an fd by id", ENOENT);
	if (bpf_map_lookup_elem(fd, &zero, &t))
		return step("read the tables", errno);
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
	if (write_tables(fd, &t))
		return 1;
	if (bpf_map_lookup_elem(fd, &zero, &now))
		return step("read the tables back", errno);
	return step("the frozen tables map now holds what was written",
		    memcmp(&now, &t, sizeof(t)) ? EIO : 0);
}
