/* SPDX-License-Identifier: GPL-2.0 */
/* bench.h - what ratchet-bench's command layer and its patterns share. */
#ifndef RATCHET_BENCH_H
#define RATCHET_BENCH_H

/* One system-call pattern: op() is the loop body, setup/teardown untimed. */
struct pattern {
	const char *name;
	const char *what;
	long iters;
	int (*op)(long i);
	int (*setup)(void);
	void (*teardown)(void);
};

#define __maybe_unused __attribute__((unused))

extern const struct pattern patterns[];
/* How the last loop's operations ended, where that varies (or NULL). */
extern const char *note;

long long now_ns(void);
int bad(const char *what);
int spawn(char *const argv[]);
long iterations(const struct pattern *p);
long long time_loop(const struct pattern *p, long n, double *best);
int bench_setup(void);

#endif
