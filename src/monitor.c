// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - `ratchet monitor [--json|--journal]`: one line (or one
 * journal entry) per denial, as the kernel reports it.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>
#include <systemd/sd-journal.h>
#include "cli.h"

/* Values past a char: they double as the long options' getopt values. */
enum format { FMT_TEXT, FMT_JSON = OPT_LONG_ONLY, FMT_JOURNAL };

struct monitor {
	struct catalogue cat;
	enum format fmt;
	__s64 boot_to_real_ns;
};

/* Indexed by enum ratchet_detail: the hook, and what it was doing. */
#define DETAIL_ROW(id, hook, what) [RATCHET_DETAIL_##id] = { hook, what },
static const struct {
	const char *hook, *what;
} details[] = { RATCHET_DETAILS(DETAIL_ROW) };
_Static_assert(sizeof(details) / sizeof(details[0]) == RATCHET_DETAIL_END,
	       "a detail without its row");

/* "dev-mem" -> "lockdown reason LOCKDOWN_DEV_MEM", the kernel's own name. */
static void describe(const struct monitor *m, const struct ratchet_event *e,
		     char *buf, size_t len)
{
	const char *what =
		e->detail < RATCHET_DETAIL_END ? details[e->detail].what : NULL;
	size_t i, n;

	if (e->detail == RATCHET_DETAIL_READ_UNKNOWN ||
	    e->detail == RATCHET_DETAIL_LOAD_UNKNOWN) {
		char id[64];

		snprintf(buf, len, "%s (%s)", what,
			 kinds_id_name(kernel_btf(),
				       e->detail == RATCHET_DETAIL_READ_UNKNOWN
					       ? KINDS_READ
					       : KINDS_LOAD,
				       e->reason, id, sizeof(id)));
		return;
	}
	if (e->detail == RATCHET_DETAIL_SYSCTL_WRITE) {
		char knob[48];

		snprintf(buf, len, "write to %s",
			 sysctl_knob_name(e->reason, knob, sizeof(knob)));
		return;
	}
	if (what) {
		snprintf(buf, len, "%s", what);
		return;
	}
	n = (size_t)snprintf(buf, len, "lockdown reason LOCKDOWN_%s",
			     slot_name(&m->cat, e->reason));
	for (i = strlen("lockdown reason LOCKDOWN_"); i < n && i < len; i++)
		buf[i] = buf[i] == '-' ? '_'
				       : (char)toupper((unsigned char)buf[i]);
}

static const char *hook_of(const struct ratchet_event *e)
{
	return e->detail < RATCHET_DETAIL_END ? details[e->detail].hook
					      : "unknown";
}

/* The full path if /proc still shows the same executable, else its name. */
static void exe_path(const struct ratchet_event *e, char *buf, size_t len)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(buf, len, "%s", e->exe);
	snprintf(link, sizeof(link), "/proc/%u/exe", e->tgid);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return;
	path[n] = '\0';
	if (!strcmp(basename(path), e->exe))
		snprintf(buf, len, "%s", path);
}

static void iso_time(__s64 real_ns, char *buf, size_t len)
{
	time_t s = real_ns / 1000000000;
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (long)(real_ns % 1000000000) / 1000);
}

static void print_json(const struct monitor *m, const struct ratchet_event *e,
		       const char *exe, const char *what)
{
	struct json_object *o = json_object_new_object();
	char t[64];

	iso_time(m->boot_to_real_ns + (__s64)e->boot_ns, t, sizeof(t));
	json_object_object_add(
		o, "schema_version",
		json_object_new_int(RATCHET_JSON_SCHEMA_VERSION));
	json_object_object_add(o, "time", json_object_new_string(t));
	json_object_object_add(
		o, "restriction",
		json_object_new_string(slot_name(&m->cat, e->slot)));
	json_object_object_add(
		o, "decision",
		json_object_new_string(e->denied ? "denied" : "would-deny"));
	json_object_object_add(o, "hook", json_object_new_string(hook_of(e)));
	json_object_object_add(o, "detail", json_object_new_string(what));
	json_object_object_add(o, "pid", json_object_new_int64(e->pid));
	json_object_object_add(o, "tgid", json_object_new_int64(e->tgid));
	json_object_object_add(o, "ppid", json_object_new_int64(e->ppid));
	json_object_object_add(o, "uid", json_object_new_int64(e->uid));
	json_object_object_add(o, "comm", json_object_new_string(e->comm));
	json_object_object_add(o, "exe", json_object_new_string(exe));
	json_object_object_add(o, "cgroup_id",
			       json_object_new_uint64(e->cgroup_id));
	puts(json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static int on_event(void *ctx, const struct ratchet_event *e)
{
	const struct monitor *m = ctx;
	const char *name = slot_name(&m->cat, e->slot);
	const char *verdict = e->denied ? "denied" : "would deny";
	char exe[PATH_MAX], what[96];

	exe_path(e, exe, sizeof(exe));
	describe(m, e, what, sizeof(what));
	if (m->fmt == FMT_JSON)
		print_json(m, e, exe, what);
	else if (m->fmt == FMT_JOURNAL)
		sd_journal_send(
			"MESSAGE=ratchet: %s %s to %s[%u] uid=%u exe=%s (%s)",
			verdict, name, e->comm, e->tgid, e->uid, exe, what,
			"PRIORITY=%d", e->denied ? 4 : 5,
			"SYSLOG_IDENTIFIER=ratchet", "RATCHET_RESTRICTION=%s",
			name, "RATCHET_DECISION=%s",
			e->denied ? "denied" : "would-deny", "RATCHET_HOOK=%s",
			hook_of(e), "RATCHET_DETAIL=%s", what, "RATCHET_PID=%u",
			e->pid, "RATCHET_TGID=%u", e->tgid, "RATCHET_PPID=%u",
			e->ppid, "RATCHET_UID=%u", e->uid, "RATCHET_COMM=%s",
			e->comm, "RATCHET_EXE=%s", exe,
			"RATCHET_CGROUP_ID=%llu",
			(unsigned long long)e->cgroup_id, NULL);
	else
		printf("ratchet: %s %s to %s[%u] uid=%u exe=%s (%s)\n", verdict,
		       name, e->comm, e->tgid, e->uid, exe, what);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static __s64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (__s64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ARGS_GO_ON, or the exit code. */
static int parse_args(int argc, char **argv, enum format *fmt)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, FMT_JSON },
		{ "journal", no_argument, NULL, FMT_JOURNAL },
		ARGS_HELP_AND_END,
	};
	int opt, rc;

	*fmt = FMT_TEXT;
	while ((opt = args_next(argc, argv, "", opts, &rc)) != -1) {
		if (opt == ARGS_EXIT)
			return rc;
		if (*fmt != FMT_TEXT && *fmt != (enum format)opt) {
			fprintf(stderr,
				"ratchet monitor: --json or --journal, not both\n");
			return command_usage(argv[0], EXIT_USAGE);
		}
		*fmt = opt;
	}
	return args_none_left(argc, argv);
}

int cmd_monitor(int argc, char **argv)
{
	static struct monitor m;
	struct sigaction sa = { .sa_handler = on_signal };
	int err;

	if ((err = parse_args(argc, argv, &m.fmt)) != ARGS_GO_ON)
		return err;
	catalogue_load(&m.cat, NULL);
	m.boot_to_real_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	/* Line-buffered, so a pipe or journald sees each event at once. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = rbpf_watch(on_event, &m, &stop);
	if (err == -ENOENT) {
		fprintf(stderr,
			"ratchet: nothing is locked yet, so there is nothing to monitor; "
			"run ratchet lock first\n");
		return EXIT_FAIL;
	}
	if (err) {
		fprintf(stderr, "ratchet: monitor failed: %s%s\n",
			strerror(-err),
			err == -EACCES || err == -EPERM ? " (run as root)"
							: "");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
