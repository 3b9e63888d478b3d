// SPDX-License-Identifier: GPL-2.0
/*
 * rangelog.c - whether a verifier log holds the verifier's own refusal of
 * a return range: what the first lock's range probes (src/bpf.c, rcheck())
 * take "range enforced" from, never from an errno alone. A load's EINVAL
 * can come from anything that runs after the verifier passed the program
 * (the struct file of its fd: bpf_prog_new_fd() -> anon_inode_getfd() ->
 * alloc_file_pseudo() -> alloc_empty_file() -> security_file_alloc(),
 * fs/file_table.c, fs/anon_inodes.c, kernel/bpf/syscall.c, 6.1, 6.12,
 * 7.2), so a BPF program there could fake it. The log line is the
 * kernel's, printed by verbose_invalid_scalar() in kernel/bpf/verifier.c
 * at log_level 1, one line, pieces joined:
 *
 * 6.1: "At %s the register %s " "has value %s" " should have been in %s",
 *      ctx "program exit", "R0" (check_return_code()); LSM programs
 *      have no range there and bpf_set_retval() none at all, so 6.1
 *      never prints it for ratchet's probes: nothing is claimed.
 * 6.12: "%s the register %s has" " smin=%lld smax=%lld"
 *      " should have been in [%d, %d]", ctx "At program exit", "R0"
 *      (check_return_code(), the range from bpf_lsm_get_retval_range()).
 * 7.2: the same, and ctx "At bpf_set_retval", "R1" from
 *      check_helper_call() for bpf_set_retval() in an LSM program.
 *
 * (The format strings as they are in Debian's 6.1.0-56, 6.12.117 and
 * 7.2.13 images; tests/unit/test_rangelog.c holds this to each.)
 */
#include <string.h>
#include "cli.h"

/* Does the @len bytes at @s hold @needle? */
static bool holds(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(s + i, needle, n))
			return true;
	return false;
}

/*
 * Does one line of @log begin with the refusal of the register a probe
 * sets (@set_retval: R1 at bpf_set_retval(), else R0 at program exit) and
 * say, on that line, the range it should have been in?
 */
bool rangelog_refused(const char *log, bool set_retval)
{
	const char *want = set_retval ? "At bpf_set_retval the register R1 has "
				      : "At program exit the register R0 has ";
	size_t n = strlen(want), len;
	const char *line, *end;

	for (line = log; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		len = end ? (size_t)(end - line) : strlen(line);
		if (len > n && !strncmp(line, want, n) &&
		    holds(line + n, len - n, " should have been in "))
			return true;
	}
	return false;
}
