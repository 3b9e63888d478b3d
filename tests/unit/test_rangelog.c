// SPDX-License-Identifier: GPL-2.0
/*
 * test_rangelog.c - rangelog_refused() on verifier logs built with each
 * suite kernel's own format strings (verbose_invalid_scalar() in
 * kernel/bpf/verifier.c, read from the strings of Debian's 6.1.0-56,
 * 6.12.117 and 7.2.13 images): the range refusals count, for the register
 * the probe sets; a log that passed, another refusal, a line that only
 * ends with the words or breaks them over two lines do not. The guests
 * print the same lines (tests/vm/attacks/lsm-positive.sh on 6.12: "At
 * program exit the register R0 has smin=1 smax=1 should have been in
 * [-4095, 0]"; lsm-cgroup.sh on 7.2: "At bpf_set_retval the register R1
 * has smin=1 smax=1 should have been in [-4095, 0]").
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "check.h"

/* A level 1 log of "r0 = 1; exit" with @err as the refusal line. */
static const char *with(char *buf, size_t len, const char *err)
{
	snprintf(buf, len,
		 "func#0 @0\n0: R1=ctx() R10=fp0\n"
		 "0: (b7) r0 = 1                        ; R0_w=1\n"
		 "1: (95) exit\n%s\nprocessed 2 insns (limit 1000000) "
		 "max_states_per_insn 0 total_states 0 peak_states 0 "
		 "mark_read 0\n",
		 err);
	return buf;
}

/* 6.1: "At %s the register %s " "has value %s" " should have been in %s" */
static void v61(void)
{
	char line[256], log[1024];

	snprintf(line, sizeof(line), "At %s the register %s ", "program exit",
		 "R0");
	strcat(line, "has value 0x2");
	strcat(line, " should have been in (0x0; 0x1)");
	CHECK(rangelog_refused(with(log, sizeof(log), line), false),
	      "6.1: a return range refusal (R0 at program exit) counts");
	CHECK(!rangelog_refused(log, true),
	      "6.1: it is no bpf_set_retval() refusal");
}

/* 6.12, 7.2: "%s the register %s has" " smin=%lld smax=%lld" " should ..." */
static void v612(const char *k, const char *ctx, const char *reg, bool sr)
{
	char line[256], log[1024];

	snprintf(line, sizeof(line), "%s the register %s has", ctx, reg);
	strcat(line, " smin=1 smax=1");
	strcat(line, " should have been in [-4095, 0]");
	CHECK(rangelog_refused(with(log, sizeof(log), line), sr),
	      "%s: \"%s\" for %s counts", k, ctx, reg);
	CHECK(!rangelog_refused(log, !sr), "%s: not for the other probe", k);
}

/* What must not count as the verifier's range refusal. */
static void not_refusals(void)
{
	char log[1024];

	CHECK(!rangelog_refused("", false), "an empty log");
	CHECK(!rangelog_refused(with(log, sizeof(log), ""), false),
	      "the log of a program the verifier passed");
	CHECK(!rangelog_refused(
		      with(log, sizeof(log),
			   "At program exit the register R0 is not a known "
			   "value (ctx)"),
		      false),
	      "another refusal at program exit");
	CHECK(!rangelog_refused(
		      with(log, sizeof(log),
			   "x At program exit the register R0 has smin=1 "
			   "smax=1 should have been in [-4095, 0]"),
		      false),
	      "the words not at the start of a line");
	CHECK(!rangelog_refused(
		      with(log, sizeof(log),
			   "At program exit the register R0 has smin=1\n"
			   " should have been in [-4095, 0]"),
		      false),
	      "the words broken over two lines");
	CHECK(!rangelog_refused("At program exit the register R0 has ", false),
	      "the start of the line alone");
}

int main(void)
{
	v61();
	v612("6.12", "At program exit", "R0", false);
	v612("7.2", "At program exit", "R0", false);
	v612("7.2", "At bpf_set_retval", "R1", true);
	not_refusals();
	return check_failed ? 1 : 0;
}
