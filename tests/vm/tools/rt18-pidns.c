// SPDX-License-Identifier: GPL-2.0
/*
 * rt18-pidns.c - red team 18 (in a test VM only): run a command in a new
 * pid namespace under a pid that is the same number there and in the
 * initial one.
 *
 * `ratchet-rt18-pidns CMD ARG...`
 *
 * ratchet's load barrier (bpf/progscan.bpf.c, loadscan; src/progscan.c,
 * progscan_loads()) reads tasks through an iter/task iterator. The
 * kernel's task iterator walks the pid namespace of the task that
 * created it (init_seq_pidns(): task_active_pid_ns(current);
 * task_seq_get_next(): find_ge_pid(..., common->ns), kernel/bpf/
 * task_iter.c, 6.1 to 7.2): from a child namespace, no task outside it
 * is visited. The scan's one check that it was whole is that it lists
 * the reader: a record's tid (task->pid, the initial namespace's number)
 * against gettid() (the reader's own namespace's number). clone3() with
 * set_tid (CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE over each namespace:
 * root) gives the reader the same number in both, so the scan lists it,
 * and nothing else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	pid_t tids[2], init, g;
	struct clone_args a = {};
	int st, i;

	if (argc < 2)
		return fprintf(stderr, "usage: %s CMD ARG...\n", argv[0]), 2;
	if (unshare(CLONE_NEWPID))
		return perror("rt18-pidns: unshare"), 2;
	if (!(init = fork())) { /* pid 1 of the new namespace */
		for (;;)
			pause();
	}
	if (init < 0)
		return perror("rt18-pidns: fork"), 2;
	for (i = 0; i < 200; i++) {
		tids[0] = tids[1] = 20000 + (getpid() % 1000) * 10 + i;
		a.flags = 0;
		a.exit_signal = SIGCHLD;
		a.set_tid = (uint64_t)(uintptr_t)tids;
		a.set_tid_size = 2;
		g = (pid_t)syscall(SYS_clone3, &a, sizeof(a));
		if (g == 0) {
			fprintf(stderr,
				"rt18-pidns: running %s as pid %d in a new pid namespace (gettid %ld)\n",
				argv[1], tids[0], (long)syscall(SYS_gettid));
			execvp(argv[1], argv + 1);
			perror("rt18-pidns: exec");
			_exit(127);
		}
		if (g > 0 || errno != EEXIST)
			break;
	}
	if (g < 0)
		return perror("rt18-pidns: clone3"), 2;
	waitpid(g, &st, 0);
	kill(init, SIGKILL);
	waitpid(init, NULL, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
