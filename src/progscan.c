// SPDX-License-Identifier: GPL-2.0
/*
 * progscan.c - every BPF program of the system as its struct bpf_prog
 * shows it (bpf/progscan.bpf.c, an iter/bpf_prog program): what
 * bpf_prog_info leaves out (a 7.x program that writes the registers it is
 * given, the expected attach type, an extension's target type), and every
 * task inside a system call that loads code. Loaded, read and let go;
 * nothing of it stays.
 * Library code: returns 0 or -errno, never prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "progscan.skel.h"

/*
 * The @len bytes read are whole records of @size, each marked and at its
 * index (struct ratchet_prog_scan and ratchet_task_scan both begin with
 * magic and seq): a read count with nothing read (sys_read() zeroes the
 * buffer first) or a record out of place is -EPROTO.
 */
static int whole(const char *buf, size_t len, size_t size)
{
	const struct ratchet_prog_scan *r;
	size_t i;

	if (len % size)
		return -EPROTO;
	for (i = 0; i < len / size; i++) {
		r = (const void *)(buf + i * size);
		if (r->magic != RATCHET_SCAN_MAGIC || r->seq != (__u32)i)
			return -EPROTO;
	}
	return 0;
}

/* Every record of @size the iterator @link_fd writes into *@out. */
static int read_all(int link_fd, size_t size, void **out, int *n)
{
	int fd = bpf_iter_create(link_fd), err;
	size_t len;
	char *buf;

	if (fd < 0)
		return -errno;
	err = sys_read_all(fd, &buf, &len);
	close(fd);
	if (!err && (err = whole(buf, len, size)))
		free(buf);
	if (err)
		return err;
	*out = buf;
	*n = (int)(len / size);
	return 0;
}

/* The loaded scanner's own program id, into *@id. */
static int scanner_id(struct progscan_bpf *skel, __u32 *id)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(skel->progs.progscan), &info,
				   &len))
		return -errno;
	*id = info.id;
	return 0;
}

static int scanner_load(void *skel)
{
	return progscan_bpf__load(skel);
}

/*
 * The iterator @p's target is the kernel's @func: libbpf found its BTF id
 * by the path, the kernel's own BTF says which it is.
 */
static int iter_target(const struct bpf_program *p, const char *func)
{
	const struct btf *k = kernel_btf();
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int want;

	if (!k)
		return -errno;
	want = btf_find(k, func, BTF_KIND_FUNC);
	if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
		return -errno;
	return want > 0 && info.attach_btf_id == (__u32)want ? 0 : -EBADMSG;
}

/* Both iterators' targets: the kernel's bpf_prog and task iterators. */
static int scanner_target(struct progscan_bpf *skel)
{
	return iter_target(skel->progs.progscan, "bpf_iter_bpf_prog")
		       ?: iter_target(skel->progs.loadscan, "bpf_iter_task");
}

/*
 * The scanner, loaded: libbpf relocates its reads of struct bpf_prog
 * against the kernel's BTF in a fresh sysfs (KFS_BTF; a file of root's
 * swapping two fields' offsets would have it misread every program), and
 * finds its target by the path, which must still open the kernel's file.
 * NULL with errno set.
 */
static struct progscan_bpf *scanner(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .btf_custom_path = KFS_BTF);
	struct progscan_bpf *skel;
	int err = rbpf_btf_uncovered();

	if (err) {
		errno = -err;
		return NULL;
	}
	if (!(skel = progscan_bpf__open_opts(&o)))
		return NULL;
	if ((err = kfs_within("sysfs", scanner_load, skel)) ||
	    (err = scanner_target(skel)) || (err = rbpf_btf_uncovered())) {
		progscan_bpf__destroy(skel);
		errno = -err;
		return NULL;
	}
	return skel;
}

/* Whether the @n records @r list program @id. */
static bool lists(const struct ratchet_prog_scan *r, int n, __u32 id)
{
	int i;

	for (i = 0; i < n && r[i].id != id; i++)
		;
	return i < n;
}

/*
 * Every program loaded right now (this scanner's own among them), into
 * *@out, which the caller frees; *@n how many. *@self: the scanner's own
 * id. Program ids only grow (bpf_prog_alloc_id(), kernel/bpf/syscall.c,
 * 6.1 to 7.2, until they wrap), and the scanner is loaded before it
 * reads: every program with a lower id that is still loaded is read.
 * @loaded, if not NULL, runs between the load and the read, given *@self.
 */
int progscan_all(struct ratchet_prog_scan **out, int *n, __u32 *self,
		 int (*loaded)(__u32 self))
{
	struct progscan_bpf *skel = scanner();
	struct bpf_link *link = NULL;
	int err;

	*out = NULL;
	*n = 0;
	if (!skel)
		return -errno;
	err = scanner_id(skel, self);
	if (!err && loaded)
		err = loaded(*self);
	if (!err) {
		link = bpf_program__attach_iter(skel->progs.progscan, NULL);
		err = link ? read_all(bpf_link__fd(link), sizeof(**out),
				      (void **)out, n)
			   : -errno;
	}
	if (!err && !lists(*out, *n, *self)) {
		free(*out);
		*out = NULL;
		*n = 0;
		err = -EPROTO;
	}
	bpf_link__destroy(link);
	progscan_bpf__destroy(skel);
	return err;
}

/*
 * The id a program loaded now gets, into *@id: a scanner's, loaded and
 * let go. Every program with a lower id still loaded is in the id table
 * (ids only grow until they wrap), so a later scan reads it.
 */
int progscan_id(__u32 *id)
{
	struct progscan_bpf *skel = scanner();
	int err;

	if (!skel)
		return -errno;
	err = scanner_id(skel, id);
	progscan_bpf__destroy(skel);
	return err;
}

/*
 * Is program @id loaded right now: 1 yes, 0 no, or -errno? Read from the
 * kernel's program table by a scanner (no bpf(2) answer about @id that a
 * BPF LSM program on lsm/bpf could shape: it can refuse the scanner's
 * load or its read, never change what the iterator writes), to tell a
 * program that is really gone from an fd by id refused with ENOENT.
 */
int progscan_has(__u32 id)
{
	struct ratchet_prog_scan *r;
	__u32 self;
	int n, err = progscan_all(&r, &n, &self, NULL);

	if (err)
		return err;
	err = lists(r, n, id);
	free(r);
	return err;
}

/* The scanner, loaded, for progscan_loads(); NULL with errno set. */
struct progscan_bpf *progscan_open(void)
{
	return scanner();
}

void progscan_close(struct progscan_bpf *skel)
{
	progscan_bpf__destroy(skel);
}

/*
 * Every task whose last system call loads code (bpf/progscan.bpf.c,
 * loadscan), read by @skel (progscan_open(): one load serves many reads),
 * into *@out (malloc'd; the caller frees it); how many, or -errno. A scan
 * that does not list the reading task itself was not read whole: -EPROTO.
 * One read from a pid namespace other than the initial one saw only that
 * namespace's tasks: -EXDEV.
 */
int progscan_loads(struct progscan_bpf *skel, struct ratchet_task_scan **out)
{
	struct ratchet_task_scan *r = NULL;
	int n = 0, i, j = 0, self = 0, err;
	struct bpf_link *link;

	*out = NULL;
	/* Records are numbered from here (a scanner serves many reads). */
	skel->bss->loads_written = 0;
	link = bpf_program__attach_iter(skel->progs.loadscan, NULL);
	err = link ? read_all(bpf_link__fd(link), sizeof(*r), (void **)&r, &n)
		   : -errno;
	bpf_link__destroy(link);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (!r[i].self)
			r[j++] = r[i];
		else if (!self++ && r[i].pidns_level)
			err = -EXDEV;
	if (!err && self != 1)
		err = -EPROTO;
	if (err) {
		free(r);
		return err;
	}
	*out = r;
	return j;
}
