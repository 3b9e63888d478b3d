// SPDX-License-Identifier: GPL-2.0
/*
 * bench.c - `ratchet-bench`, the timing side of `make bench`; in-guest
 * only, tests/bench/guest.sh drives it.
 *
 *   ratchet-bench run PHASE ROUNDS [PATTERN...]
 *	every pattern (or the named ones) ROUNDS times, rounds interleaved
 *	so that slow drift touches every pattern alike. One line per loop:
 *	"op PHASE PATTERN ROUND ITERS NS BEST [NOTE]", NS the whole loop,
 *	BEST the ns per operation of its fastest tenth (patterns.c).
 *   ratchet-bench stats [PATTERN...]
 *	one more loop per pattern with BPF run-time statistics on, and what
 *	each ratchet program ran meanwhile: "stat PATTERN PROG ITERS CNT NS".
 *   ratchet-bench time LABEL CMD [ARG...]
 *	run CMD (its output discarded), which must exit 0: "time LABEL NS".
 *   ratchet-bench attach DIR
 *	create and pin a link for every LSM program pinned in DIR: the
 *	attach step bpftool 7.1 lacks, for the bpftool-only baseline.
 *   ratchet-bench list
 *	the patterns: "NAME ITERS WHAT".
 *
 * Statistics stay off while loops are timed: with them on, every program
 * run reads the clock twice more.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "bench.h"

#define MAX_PROGS 32

static int usage(void)
{
	fprintf(stderr, "usage: ratchet-bench run PHASE ROUNDS [PATTERN...]\n"
			"       ratchet-bench stats [PATTERN...]\n"
			"       ratchet-bench time LABEL CMD [ARG...]\n"
			"       ratchet-bench attach DIR\n"
			"       ratchet-bench list\n");
	return 2;
}

/* Mark the patterns named in @names (all if none); 0, or -1 on a typo. */
static int select_patterns(int n, char **names, char *on)
{
	int i, k;

	for (k = 0; patterns[k].name; k++)
		on[k] = !n;
	for (i = 0; i < n; i++) {
		for (k = 0; patterns[k].name; k++)
			if (!strcmp(names[i], patterns[k].name))
				break;
		if (!patterns[k].name) {
			fprintf(stderr,
				"ratchet-bench: no pattern '%s' "
				"(ratchet-bench list)\n",
				names[i]);
			return -1;
		}
		on[k] = 1;
	}
	return 0;
}

/* Setup, the timed loop, teardown: ns, or -1. */
static long long one_loop(const struct pattern *p, long n, double *best)
{
	long long ns;

	note = NULL;
	if (p->setup && p->setup())
		return -1;
	ns = time_loop(p, n, best);
	if (p->teardown)
		p->teardown();
	return ns;
}

static int cmd_run(int argc, char **argv)
{
	char on[64];
	int rounds, r, k;

	if (argc < 4 || (rounds = atoi(argv[3])) <= 0)
		return usage();
	if (select_patterns(argc - 4, argv + 4, on) || bench_setup())
		return 1;
	for (r = 1; r <= rounds; r++)
		for (k = 0; patterns[k].name; k++) {
			const struct pattern *p = &patterns[k];
			long n = iterations(p);
			long long ns;
			double best;

			if (!on[k])
				continue;
			if ((ns = one_loop(p, n, &best)) < 0)
				return 1;
			printf("op %s %s %d %ld %lld %.1f%s%s\n", argv[2],
			       p->name, r, n, ns, best, note ? " " : "",
			       note ? note : "");
			fflush(stdout);
		}
	return 0;
}

/* ---- run-time statistics of ratchet's programs ---- */

struct prog {
	int fd;
	char name[64];
	__u64 cnt, ns;
};

/* The full function name from the program's BTF (info.name is cut at 15). */
static void full_name(int fd, const struct bpf_prog_info *info, char *out,
		      size_t n)
{
	struct bpf_func_info fi = {};
	struct bpf_prog_info more = {
		.nr_func_info = 1,
		.func_info_rec_size = sizeof(fi),
		.func_info = (__u64)(unsigned long)&fi,
	};
	__u32 len = sizeof(more);
	struct btf *btf;
	const struct btf_type *t;

	snprintf(out, n, "%s", info->name);
	if (!info->btf_id || !info->nr_func_info ||
	    bpf_obj_get_info_by_fd(fd, &more, &len))
		return;
	btf = btf__load_from_kernel_by_id(info->btf_id);
	if (!btf)
		return;
	t = btf__type_by_id(btf, fi.type_id);
	if (t)
		snprintf(out, n, "%s", btf__name_by_offset(btf, t->name_off));
	btf__free(btf);
}

/* An fd to every loaded program named ratchet_*; how many. */
static int open_progs(struct prog *p, int max)
{
	__u32 id = 0;
	int n = 0;

	while (n < max && !bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
		    strncmp(info.name, "ratchet_", 8)) {
			close(fd);
			continue;
		}
		p[n].fd = fd;
		full_name(fd, &info, p[n].name, sizeof(p[n].name));
		n++;
	}
	return n;
}

static int snapshot(struct prog *p, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (bpf_obj_get_info_by_fd(p[i].fd, &info, &len))
			return bad("BPF_OBJ_GET_INFO_BY_FD");
		p[i].cnt = info.run_cnt;
		p[i].ns = info.run_time_ns;
	}
	return 0;
}

/*
 * What ran between two snapshots, less what a snapshot itself makes run
 * (each of its bpf(2) calls passes the bpf hook): @base, measured once.
 */
static void print_delta(const char *what, long iters, const struct prog *a,
			const struct prog *b, const struct prog *base, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		long long cnt = b[i].cnt - a[i].cnt - base[i].cnt;
		long long ns = b[i].ns - a[i].ns - base[i].ns;

		if (cnt > 0)
			printf("stat %s %s %ld %lld %lld\n", what, a[i].name,
			       iters, cnt, ns > 0 ? ns : 0);
	}
}

static int stats_pass(const char *on, struct prog *a, struct prog *b,
		      struct prog *base, int n)
{
	int i, k;

	if (snapshot(a, n) || snapshot(b, n))
		return -1;
	for (i = 0; i < n; i++) {
		base[i].cnt = b[i].cnt - a[i].cnt;
		base[i].ns = b[i].ns - a[i].ns;
	}
	for (k = 0; patterns[k].name; k++) {
		const struct pattern *p = &patterns[k];
		long iters = iterations(p);
		double best;

		if (!on[k])
			continue;
		if (p->setup && p->setup())
			return -1;
		if (snapshot(a, n) || time_loop(p, iters, &best) < 0 ||
		    snapshot(b, n))
			return -1;
		if (p->teardown)
			p->teardown();
		print_delta(p->name, iters, a, b, base, n);
		fflush(stdout);
	}
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	static struct prog a[MAX_PROGS], b[MAX_PROGS], base[MAX_PROGS];
	char on[64];
	int n, sfd, err;

	if (select_patterns(argc - 2, argv + 2, on) || bench_setup())
		return 1;
	n = open_progs(a, MAX_PROGS);
	if (n <= 0) {
		fprintf(stderr,
			"ratchet-bench: no ratchet_* program is loaded\n");
		return 1;
	}
	memcpy(b, a, sizeof(a));
	/* On while this fd stays open, off again when it closes. */
	sfd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (sfd < 0) {
		bad("BPF_ENABLE_STATS");
		return 1;
	}
	err = stats_pass(on, a, b, base, n);
	close(sfd);
	return err ? 1 : 0;
}

/* ---- time, attach, list ---- */

static int cmd_time(int argc, char **argv)
{
	long long t0, ns;

	if (argc < 4)
		return usage();
	t0 = now_ns();
	if (spawn(argv + 3))
		return 1;
	ns = now_ns() - t0;
	printf("time %s %lld\n", argv[2], ns);
	return 0;
}

static int attach_one(const char *dir, const char *name)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	char path[512];
	int fd, link;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return bad(path);
	if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
	    info.type != BPF_PROG_TYPE_LSM) {
		close(fd);
		return 0;
	}
	link = bpf_link_create(fd, 0, BPF_LSM_MAC, NULL);
	close(fd);
	if (link < 0)
		return bad(path);
	snprintf(path, sizeof(path), "%s/link-%s", dir, name);
	if (bpf_obj_pin(link, path)) {
		close(link);
		return bad(path);
	}
	close(link);
	return 0;
}

static int cmd_attach(int argc, char **argv)
{
	struct dirent *e;
	DIR *d;
	int err = 0;

	if (argc != 3)
		return usage();
	d = opendir(argv[2]);
	if (!d) {
		bad(argv[2]);
		return 1;
	}
	while (!err && (e = readdir(d)))
		if (e->d_name[0] != '.' && strncmp(e->d_name, "link-", 5))
			err = attach_one(argv[2], e->d_name);
	closedir(d);
	return err ? 1 : 0;
}

static int cmd_list(void)
{
	int k;

	for (k = 0; patterns[k].name; k++)
		printf("%s %ld %s\n", patterns[k].name,
		       iterations(&patterns[k]), patterns[k].what);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc, argv);
	if (!strcmp(argv[1], "stats"))
		return cmd_stats(argc, argv);
	if (!strcmp(argv[1], "time"))
		return cmd_time(argc, argv);
	if (!strcmp(argv[1], "attach"))
		return cmd_attach(argc, argv);
	if (!strcmp(argv[1], "list"))
		return cmd_list();
	return usage();
}
