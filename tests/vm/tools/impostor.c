// SPDX-License-Identifier: GPL-2.0
/*
 * impostor.c - build/tests/ratchet-impostor: root acting before or during
 * the first lock, for tests/vm/attacks (in-guest only, never on a host).
 *
 *   naive-modules      a naive modules lock (naivemod.bpf.c), pinned
 *   clean              remove what naive-modules pinned
 *
 * Exit status as ratchet-attack's: 0 done, 1 refused (EPERM/EACCES),
 * 2 any other error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "attack-naivemod.skel.h"

#define NAIVEMOD_DIR "/sys/fs/bpf/naive-modules"

enum { OK = 0, REFUSED = 1, OTHER = 2 };

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return getenv("ATTACK_DEBUG") ? vfprintf(stderr, fmt, ap) : 0;
}

/* "WHAT: refused (EPERM)" or "WHAT: failed (...)"; the exit status. */
static int report_err(int err, const char *fmt, ...)
{
	va_list ap;
	int v;

	err = err < 0 ? -err : err;
	v = err == EPERM || err == EACCES ? REFUSED : OTHER;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(": %s (%s)\n", v == REFUSED ? "refused" : "failed",
	       strerror(err));
	return v;
}

/* ---- naive-modules ---- */

static int cmd_naive_modules(void)
{
	struct attack_naivemod *n = attack_naivemod__open_and_load();
	struct bpf_link *r, *l;
	int err;

	if (!n)
		return report_err(errno, "naive-modules: loading");
	r = bpf_program__attach(n->progs.naivemod_read);
	l = bpf_program__attach(n->progs.naivemod_load);
	if (!r || !l)
		return report_err(errno, "naive-modules: attaching");
	mkdir(NAIVEMOD_DIR, 0700);
	if ((err = bpf_link__pin(r, NAIVEMOD_DIR "/read")) ||
	    (err = bpf_link__pin(l, NAIVEMOD_DIR "/load")))
		return report_err(err, "naive-modules: pinning");
	printf("naive-modules: READING_MODULE and LOADING_MODULE refused, "
	       "pinned under %s\n",
	       NAIVEMOD_DIR);
	return OK;
}

static int cmd_clean(void)
{
	unlink(NAIVEMOD_DIR "/read");
	unlink(NAIVEMOD_DIR "/load");
	rmdir(NAIVEMOD_DIR);
	printf("clean: naive-modules unpinned\n");
	return OK;
}

static const char usage[] =
	"usage: ratchet-impostor CMD ...  (in a test VM only)\n"
	"  naive-modules | clean\n"
	"exit: 0 done, 1 refused (EPERM/EACCES), 2 other error\n";

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(quiet);
	if (!strcmp(c, "naive-modules"))
		return cmd_naive_modules();
	if (!strcmp(c, "clean"))
		return cmd_clean();
	fputs(usage, stderr);
	return OTHER;
}
