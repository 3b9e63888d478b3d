// SPDX-License-Identifier: GPL-2.0
/*
 * execagent.c - build/tests/ratchet-execagent PATH: a stand-in for a security agent
 * beside ratchet (execagent.bpf.c). Loads and attaches a BPF LSM program that
 * refuses every exec of PATH's file (decided on its device and inode
 * number, taken here once) and prints one line per refusal, until SIGINT
 * or SIGTERM; exiting detaches it. Prints "agent: attached ..." once it
 * enforces. Exit 0 on a signal, 1 if the program could not be loaded or
 * attached (the cause on stderr, libbpf's warnings with it), 2 on usage.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <bpf/libbpf.h>
#include "execagent.h"
#include "execagent.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, ap);
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct agent_event *e = data;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	printf("agent: denied exec of inode %llu to %.16s[%u]\n",
	       (unsigned long long)e->ino, e->comm, e->pid);
	fflush(stdout);
	return 0;
}

/* Load and attach; the caller reports a negative errno. */
static int start(struct execagent_bpf **skel, const struct stat *st)
{
	struct execagent_bpf *s = execagent_bpf__open();

	if (!s)
		return -errno;
	*skel = s;
	s->rodata->deny_ino = st->st_ino;
	/* The kernel's dev_t: 12 bits of major above 20 of minor (kdev_t.h). */
	s->rodata->deny_dev = major(st->st_dev) << 20 | minor(st->st_dev);
	if (execagent_bpf__load(s) || execagent_bpf__attach(s))
		return -errno;
	return 0;
}

int main(int argc, char **argv)
{
	struct execagent_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct stat st;
	int err;

	if (argc != 2 || stat(argv[1], &st)) {
		fprintf(stderr,
			"usage: ratchet-execagent PATH (an existing file)\n");
		return 2;
	}
	libbpf_set_print(warnings);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	err = start(&skel, &st);
	if (!err) {
		rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event,
				      NULL, NULL);
		err = rb ? 0 : -errno;
	}
	if (err) {
		fprintf(stderr, "agent: could not load and attach: %s\n",
			strerror(-err));
		execagent_bpf__destroy(skel);
		return 1;
	}
	printf("agent: attached, refusing exec of %s (device %u:%u, inode %llu)\n",
	       argv[1], major(st.st_dev), minor(st.st_dev),
	       (unsigned long long)st.st_ino);
	fflush(stdout);
	while (!stop) {
		err = ring_buffer__poll(rb, 200);
		if (err < 0 && err != -EINTR)
			break;
	}
	ring_buffer__free(rb);
	execagent_bpf__destroy(skel);
	return 0;
}
