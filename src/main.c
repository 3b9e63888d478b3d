// SPDX-License-Identifier: GPL-2.0
/* main.c - `ratchet COMMAND`: dispatch and usage. */
#include <string.h>
#include "cli.h"
#include "config.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "check", cmd_check, "check [--config FILE]        validate ratchet.conf(5); touches nothing" },
	{ "apply", cmd_apply, "apply [--config FILE] [STAGE] lock the config's stages, in order" },
	{ "lock", cmd_lock, "lock [--permissive] NAME...  enforce restrictions until reboot" },
	{ "list", cmd_list, "list [--json]                every restriction this kernel knows" },
	{ "monitor", cmd_monitor, "monitor [--json|--journal]     stream denials as they happen" },
	{ "status", cmd_status, "status [--json]              what is locked, and the kernel's posture" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

void usage_names(FILE *f, const struct catalogue *c)
{
	int i;

	fprintf(f, "valid names: integrity confidentiality");
	for (i = 0; i < c->n; i++)
		if (c->r[i].slot >= 0)
			fprintf(f, " %s", c->r[i].name);
	fprintf(f, "\n");
}

static int usage(FILE *f, int rc)
{
	size_t i;

	fprintf(f, "usage: ratchet COMMAND [ARGS]\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  ratchet %s\n", commands[i].help);
	fprintf(f, "Nothing unlocks: every restriction holds until reboot. See ratchet(8).\n");
	return rc;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage(stderr, EXIT_USAGE);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage(stdout, EXIT_OK);
	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "ratchet: unknown command '%s'\n", argv[1]);
	return usage(stderr, EXIT_USAGE);
}
