// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - ratchet-table, run at build time: prints what the docs take
 * from the static catalogue (src/catalogue.c: KNOWN_REASONS, the extras,
 * RATCHET_SYSCTLS), never from the build machine's BTF, so the output is
 * the same on any kernel.
 *
 *   ratchet-table man          the RESTRICTIONS rows of ratchet(8), in roff
 *   ratchet-table man-sysctls  the raise-only sysctls with their rules, in
 *                              roff (ratchet(8) and ratchet.conf(5))
 *   ratchet-table knobs        every raise-only sysctl knob, one a line
 *   ratchet-table sysctls      knob, rule, low and high test values, a line
 *                              each, tab-separated (tests/vm/cases/sysctl.sh)
 *   ratchet-table presets      the preset names (add_preset), one a line
 *   ratchet-table names        every restriction of the static catalogue
 *                              (the known kernel reasons, the extras)
 *   ratchet-table hooks        every hook of RATCHET_HOOKS and the
 *                              parameters read, tab-separated
 *   ratchet-table extras       every extra of RATCHET_EXTRAS and its hooks,
 *                              tab-separated (tests/unit/test_registry.sh)
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* @s as roff text: a backslash is \e, a leading dot is not a request. */
static void roff(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (; *s; s++)
		if (*s == '\\')
			fputs("\\e", stdout);
		else
			putchar(*s);
}

static void man(const struct catalogue *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		const struct restriction *r = &c->r[i];

		printf(".TP\n.B %s\n(%s) ", r->name, rclass_name(r->cls));
		roff(r->desc);
		if (r->note) {
			fputs(". ", stdout);
			roff(r->note);
		}
		fputs(".\n", stdout);
	}
}

/* The rule of each knob, and the test values of RATCHET_SYSCTLS. */
#define SYSCTL_TEST(id, name, rule, low, high) { #rule, #low, #high },
static const struct {
	const char *rule, *low, *high;
} tests[] = { RATCHET_SYSCTLS(SYSCTL_TEST) };

static void sysctls(int roff_out)
{
	char buf[RATCHET_SYSCTL_NAME_MAX];
	int k;

	for (k = 0; k < RATCHET_SYSCTL_END; k++) {
		sysctl_knob_name(k, buf, sizeof(buf));
		if (!roff_out) {
			printf("%s\t%s\t%s\t%s\n", buf, tests[k].rule,
			       tests[k].low, tests[k].high);
			continue;
		}
		printf(".TP\n.B %s\n", buf);
		roff(sysctl_rule_means(k, NULL));
		fputs(".\n", stdout);
	}
}

#define HOOK_LINE(hook, params)		  "" #hook "\t" params "\n"
#define EXTRA_LINE(id, name, hooks, desc) name "\t" hooks "\n"

int main(int argc, char **argv)
{
	static struct catalogue c;
	char buf[RATCHET_SYSCTL_NAME_MAX];
	int k;

	catalogue_from_btf(&c, NULL); /* the table alone, no kernel */
	if (argc == 2 && !strcmp(argv[1], "man"))
		man(&c);
	else if (argc == 2 && !strcmp(argv[1], "knobs"))
		for (k = 0; k < RATCHET_SYSCTL_END; k++)
			printf("%s\n", sysctl_knob_name(k, buf, sizeof(buf)));
	else if (argc == 2 && !strcmp(argv[1], "man-sysctls"))
		sysctls(1);
	else if (argc == 2 && !strcmp(argv[1], "sysctls"))
		sysctls(0);
	else if (argc == 2 && !strcmp(argv[1], "presets"))
		for (k = RC_INTEGRITY; k < RC_EXTRA; k++)
			printf("%s\n", rclass_name(k));
	else if (argc == 2 && !strcmp(argv[1], "names"))
		for (k = 0; k < c.n; k++)
			printf("%s\n", c.r[k].name);
	else if (argc == 2 && !strcmp(argv[1], "hooks"))
		fputs(RATCHET_HOOKS(HOOK_LINE), stdout);
	else if (argc == 2 && !strcmp(argv[1], "extras"))
		fputs(RATCHET_EXTRAS(EXTRA_LINE), stdout);
	else {
		fprintf(stderr, "usage: ratchet-table man|man-sysctls|knobs|"
				"sysctls|presets|names|hooks|extras\n");
		return 2;
	}
	return 0;
}
