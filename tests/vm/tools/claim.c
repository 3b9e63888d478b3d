// SPDX-License-Identifier: GPL-2.0
/*
 * claim.c - build/tests/ratchet-claim.so, preloaded into the first
 * `ratchet lock` by tests/vm/attacks/rt2-ranges-preload.sh (red team 2).
 * The first lock learns whether the verifier keeps LSM and lsm_cgroup
 * programs to 0 or -errno by loading test programs named ratchet_rcheck
 * (src/bpf.c, range_enforced()): the one with a 1 in it refused with
 * EINVAL where its twin with a 0 loads means "enforced". This answers
 * EINVAL for the one with a 1 without asking the kernel, so the lock seals
 * with the claim, whatever the verifier does. Since the first lock takes
 * the claim only from the verifier's own refusal in the load's log
 * (src/rangelog.c), it writes that line into the log buffer too: code in
 * ratchet's process can (docs/threat-model.md, "Claimed ranges,
 * re-checked"). libbpf's bpf(2) calls go through libc's syscall(), which
 * this wraps. In a test VM only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include "preload.h"

/*
 * A ratchet_rcheck load whose first instruction moves 1 (the "positive"
 * twin: "r0 = 1" returned, or "r1 = 1" for bpf_set_retval()).
 */
static int positive_rcheck(long cmd, const union bpf_attr *a)
{
	const struct bpf_insn *i;

	if (cmd != BPF_PROG_LOAD || strncmp(a->prog_name, "ratchet_rcheck", 14))
		return 0;
	i = (const struct bpf_insn *)(unsigned long)a->insns;
	return a->insn_cnt && i[0].code == (BPF_ALU64 | BPF_MOV | BPF_K) &&
	       i[0].imm == 1;
}

/* The verifier's line for @a's refusal (6.12 and 7.2 wording), in its log. */
static void forge_log(const union bpf_attr *a)
{
	const char *line =
		a->expected_attach_type == BPF_LSM_CGROUP
			? "At bpf_set_retval the register R1 has smin=1 smax=1 "
			  "should have been in [-4095, 0]\n"
			: "At program exit the register R0 has smin=1 smax=1 "
			  "should have been in [-4095, 0]\n";
	char *buf = (char *)(unsigned long)a->log_buf;

	if (a->log_level && buf && a->log_size > strlen(line))
		memcpy(buf, line, strlen(line) + 1);
}

long syscall(long nr, ...)
{
	syscall_fn real;
	long a[6];
	va_list ap;

	va_start(ap, nr);
	real = preload_args(a, ap);
	va_end(ap);
	if (nr == __NR_bpf &&
	    positive_rcheck(a[0], (const union bpf_attr *)a[1])) {
		forge_log((const union bpf_attr *)a[1]);
		errno = EINVAL;
		return -1;
	}
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
