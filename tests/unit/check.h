/* SPDX-License-Identifier: GPL-2.0 */
/* check.h - the smallest test harness: one PASS/FAIL line per check. */
#ifndef RATCHET_CHECK_H
#define RATCHET_CHECK_H
#include <stdio.h>

static int check_failed;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		printf("%s ", (cond) ? "PASS" : "FAIL");                       \
		printf(__VA_ARGS__);                                           \
		printf("\n");                                                  \
		if (!(cond))                                                   \
			check_failed++;                                        \
	} while (0)

#endif
