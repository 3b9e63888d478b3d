// SPDX-License-Identifier: GPL-2.0
/*
 * args.c - every command's options through getopt_long(3), one way:
 * -h/--help prints the command's usage on stdout and exits 0; an unknown
 * option, or one missing its argument, is named with the usage on stderr
 * and exits 2. getopt's own messages are off: they would name the command
 * ("list: ...") rather than "ratchet list".
 */
#include <getopt.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

/*
 * The next option of the command whose argv[0] is @argv[0]; @sopts gets
 * ":h" in front. Returns the option, -1 when none is left (operands start
 * at optind), or ARGS_EXIT with the exit code in *@rc once usage or an
 * error has been printed.
 */
int args_next(int argc, char **argv, const char *sopts,
	      const struct option *lopts, int *rc)
{
	char shortopts[32];
	int c;

	snprintf(shortopts, sizeof(shortopts), ":h%s", sopts);
	opterr = 0;
	c = getopt_long(argc, argv, shortopts, lopts, NULL);
	if (c == 'h') {
		*rc = command_usage(argv[0], EXIT_OK);
		return ARGS_EXIT;
	}
	if (c != '?' && c != ':')
		return c;
	if (optopt && optopt < 256 && strncmp(argv[optind - 1], "--", 2))
		fprintf(stderr, "ratchet %s: %s '-%c'\n", argv[0],
			c == ':' ? "missing the argument of" : "unknown option",
			optopt);
	else
		fprintf(stderr, "ratchet %s: %s '%s'\n", argv[0],
			c == ':' ? "missing the argument of" : "unknown option",
			argv[optind - 1]);
	*rc = command_usage(argv[0], EXIT_USAGE);
	return ARGS_EXIT;
}

/* ARGS_GO_ON, or a usage error naming the first operand where none may be. */
int args_none_left(int argc, char **argv)
{
	if (optind >= argc)
		return ARGS_GO_ON;
	fprintf(stderr, "ratchet %s: unexpected '%s'\n", argv[0], argv[optind]);
	return command_usage(argv[0], EXIT_USAGE);
}

/*
 * EXIT_OK as root; else says what @cmd needs, and @otherwise (", or use
 * ratchet check") if not NULL, and returns EXIT_FAIL. The kernel decides
 * on capabilities; this only spares a non-root user a libbpf error.
 */
int args_need_root(const char *cmd, const char *otherwise)
{
	if (!geteuid())
		return EXIT_OK;
	fprintf(stderr,
		"ratchet: %s needs root (CAP_SYS_ADMIN and CAP_BPF); run it as root%s\n",
		cmd, otherwise ? otherwise : "");
	return EXIT_FAIL;
}
