// SPDX-License-Identifier: GPL-2.0
/* main.c - `ratchet COMMAND`: dispatch, usage and version. */
#include <string.h>
#include "cli.h"
#include "config.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args; /* the synopsis after "ratchet NAME" */
	const char *summary;
	const char *options; /* one line each, for `ratchet NAME --help` */
	const char *notes;   /* after them, or "" */
} commands[] = {
	{ "check", cmd_check, "[--config FILE]",
	  "validate ratchet.conf(5); needs no privilege, touches nothing",
	  "      --config FILE        the file to check, not " CONFIG_DEFAULT_PATH
	  "\n",
	  "" },
	{ "apply", cmd_apply, "[--config FILE] [STAGE]",
	  "lock the config's stages, in order",
	  "      --config FILE        apply FILE, not " CONFIG_DEFAULT_PATH
	  "\n",
	  "Every stage, in file order, or only STAGE. A stage is locked completely\n"
	  "or not at all; see ratchet.conf(5).\n" },
	{ "lock", cmd_lock, "[--permissive] [--allow-loaded-kexec] NAME...",
	  "enforce restrictions until reboot",
	  "      --permissive         report would-be denials, deny nothing; a later\n"
	  "                           plain lock enforces, nothing goes back\n"
	  "      --allow-loaded-kexec lock kexec even though a reboot image is loaded\n",
	  "NAME is a restriction of `ratchet list`, a preset (integrity,\n"
	  "confidentiality), sysctl or sysctl:KNOB. Exits 0 only once the kernel\n"
	  "shows every NAME locked.\n" },
	{ "list", cmd_list, "[--json]", "every restriction this kernel knows",
	  "      --json               as JSON (see JSON in ratchet(8))\n", "" },
	{ "monitor", cmd_monitor, "[--json|--journal]",
	  "stream denials as they happen",
	  "      --json               one JSON object per line\n"
	  "      --journal            to the journal, with RATCHET_* fields\n",
	  "" },
	{ "status", cmd_status,
	  "[--json|--prometheus|--check NAME...] [--verify] [--output FILE]",
	  "what is locked, and the kernel's posture",
	  "      --json               as JSON (see JSON in ratchet(8))\n"
	  "      --prometheus         node_exporter textfile-collector metrics\n"
	  "      --check NAME...      exit 0 only if every NAME (presets included)\n"
	  "                           is enforced now, 1 naming what is not\n"
	  "      --verify             try each locked restriction with a harmless\n"
	  "                           probe; exit 1 if the kernel allowed one\n"
	  "      --output FILE        write FILE atomically (a temporary file in its\n"
	  "                           directory, renamed) instead of stdout\n",
	  "" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *command_find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/*
 * `ratchet NAME --help`: the synopsis and every option, on stdout (rc 0);
 * after a usage error only the synopsis, on stderr.
 */
int command_usage(const char *name, int rc)
{
	const struct command *c = command_find(name);
	FILE *f = rc ? stderr : stdout;

	if (!c)
		return rc;
	fprintf(f, "usage: ratchet %s %s\n", c->name, c->args);
	if (rc) {
		fprintf(f, "Try 'ratchet %s --help'.\n", c->name);
		return rc;
	}
	fprintf(f, "%s.\n%s", c->summary, c->options);
	fprintf(f, "  -h, --help               this text\n%sSee ratchet(8).\n",
		c->notes);
	return rc;
}

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
	char syn[80];

	fprintf(f,
		"usage: ratchet COMMAND [ARGS]   (ratchet COMMAND --help for one)\n");
	for (i = 0; i < NCOMMANDS; i++) {
		snprintf(syn, sizeof(syn), "%s %s", commands[i].name,
			 commands[i].args);
		fprintf(f, "  ratchet %s\n      %s\n", syn,
			commands[i].summary);
	}
	fprintf(f, "  ratchet --version\n");
	fprintf(f,
		"Nothing unlocks: every restriction holds until reboot. See ratchet(8).\n");
	return rc;
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2)
		return usage(stderr, EXIT_USAGE);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage(stdout, EXIT_OK);
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("ratchet %s\n", RATCHET_VERSION);
		return EXIT_OK;
	}
	/* `ratchet help [COMMAND]` */
	if (!strcmp(argv[1], "help") && argc == 2)
		return usage(stdout, EXIT_OK);
	if (!strcmp(argv[1], "help") && argc == 3 && command_find(argv[2]))
		return command_usage(argv[2], EXIT_OK);
	if (!strcmp(argv[1], "help")) {
		fprintf(stderr, "usage: ratchet help [COMMAND]\n");
		return EXIT_USAGE;
	}
	if ((c = command_find(argv[1])))
		return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "ratchet: unknown command '%s'\n", argv[1]);
	return usage(stderr, EXIT_USAGE);
}
