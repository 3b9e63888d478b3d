/* SPDX-License-Identifier: GPL-2.0 */
/* check.h - the smallest test harness: one PASS/FAIL line per check. */
#ifndef RATCHET_CHECK_H
#define RATCHET_CHECK_H
#include <stdio.h>

static int check_failed;

/* @cond is evaluated once: it may do things (write a file, parse). */
#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		int ok_ = !!(cond);                                            \
		printf("%s ", ok_ ? "PASS" : "FAIL");                          \
		printf(__VA_ARGS__);                                           \
		printf("\n");                                                  \
		check_failed += !ok_;                                          \
	} while (0)

#endif
