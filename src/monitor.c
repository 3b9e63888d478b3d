// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - `ratchet monitor [--json|--journal]`: one line (or one
 * journal entry) per event of ratchet's event log, as the kernel wrote it:
 * a denial, a summary of identical ones folded together, and a line for
 * every gap (events overwritten before this monitor read them).
 *
 * The log is read through ratchet's own ratchet_read program, which
 * consumes nothing, so no other reader can take events from this one
 * (docs/threat-model.md, "The audit channel").
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <systemd/sd-id128.h>
#include <json-c/json.h>
#include <systemd/sd-journal.h>
#include "cli.h"

/* Values past a char: they double as the long options' getopt values. */
enum format { FMT_TEXT, FMT_JSON = OPT_LONG_ONLY, FMT_JOURNAL };

struct monitor {
	struct catalogue cat;
	enum format fmt;
	__s64 boot_to_real_ns;
	__u64 next; /* the seq wanted next; 0: the oldest the log keeps */
};

/* Indexed by enum ratchet_detail: the hook, and what it was doing. */
#define DETAIL_ROW(id, hook, what) [RATCHET_DETAIL_##id] = { hook, what },
static const struct {
	const char *hook, *what;
} details[] = { RATCHET_DETAILS(DETAIL_ROW) };
_Static_assert(sizeof(details) / sizeof(details[0]) == RATCHET_DETAIL_END,
	       "a detail without its row");

/*
 * A BPF program the bpf_prog hook refused, with what the event carries
 * beside the detail (bpf/bpfself.h): the hook's BTF id, an extension's
 * target type, or a program's type and attach type.
 */
static bool describe_prog(const struct ratchet_event *e, const char *what,
			  char *buf, size_t len)
{
	const struct btf *btf = kernel_btf();
	const struct btf_type *t;
	__u32 v = (__u32)e->reason;

	switch (e->detail) {
	case RATCHET_DETAIL_LSM_HOOK:
	case RATCHET_DETAIL_LSM_CGROUP:
	case RATCHET_DETAIL_FMOD_RET:
		t = btf && e->reason > 0 ? btf__type_by_id(btf, v) : NULL;
		snprintf(buf, len, "%s: %s", what,
			 t ? btf__name_by_offset(btf, t->name_off) : "?");
		return true;
	case RATCHET_DETAIL_FREPLACE:
		snprintf(buf, len, "%s (target: %s)", what, rbpf_prog_type(v));
		return true;
	case RATCHET_DETAIL_UNKNOWN_KIND:
		snprintf(buf, len, "%s (%s, attach type %u)", what,
			 rbpf_prog_type(v >> 16), v & 0xffff);
		return true;
	default:
		return false;
	}
}

/* "dev-mem" -> "lockdown reason LOCKDOWN_DEV_MEM", the kernel's own name. */
static void describe(const struct monitor *m, const struct ratchet_event *e,
		     char *buf, size_t len)
{
	const char *what =
		e->detail < RATCHET_DETAIL_END ? details[e->detail].what : NULL;
	size_t i, n;

	if (what && describe_prog(e, what, buf, len))
		return;
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

/*
 * The full path if proc (a fresh instance, src/kfs.c: no mount over
 * /proc/PID can answer) still shows the same executable, else its name.
 */
static void exe_path(const struct ratchet_event *e, char *buf, size_t len)
{
	char rel[16], path[PATH_MAX];
	DIR *pid;
	int n;

	snprintf(buf, len, "%s", e->exe);
	snprintf(rel, sizeof(rel), "%u", e->tgid);
	if (!(pid = kfs_opendir("proc", rel)))
		return;
	n = kfs_readlink(pid, "exe", path, sizeof(path));
	closedir(pid);
	if (n > 0 && !strcmp(basename(path), e->exe))
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

static struct json_object *json_time(const struct monitor *m, __u64 boot_ns)
{
	char t[64];

	iso_time(m->boot_to_real_ns + (__s64)boot_ns, t, sizeof(t));
	return json_object_new_string(t);
}

static void json_line(struct json_object *o)
{
	puts(json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void print_json(const struct monitor *m, const struct ratchet_event *e,
		       const char *exe, const char *what)
{
	struct json_object *o = json_object_new_object();
	bool sum = e->flags & RATCHET_EVENT_SUMMARY;

	json_object_object_add(
		o, "schema_version",
		json_object_new_int(RATCHET_JSON_SCHEMA_VERSION));
	json_object_object_add(o, "seq", json_object_new_uint64(e->seq));
	json_object_object_add(o, "time", json_time(m, e->boot_ns));
	json_object_object_add(o, "count", json_object_new_int64(e->count));
	json_object_object_add(o, "summary", json_object_new_boolean(sum));
	json_object_object_add(o, "since",
			       sum ? json_time(m, e->since_ns) : NULL);
	json_object_object_add(
		o, "probe",
		json_object_new_boolean(e->flags & RATCHET_EVENT_PROBE));
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
	json_line(o);
}

static void print_journal(const struct ratchet_event *e, const char *name,
			  const char *verdict, const char *exe,
			  const char *what, const char *more)
{
	int prio = e->flags & RATCHET_EVENT_PROBE ? 6 : e->denied ? 4 : 5;

	sd_journal_send(
		"MESSAGE=ratchet: %s %s to %s[%u] uid=%u exe=%s (%s)%s%s",
		verdict, name, e->comm, e->tgid, e->uid, exe, what, more,
		e->flags & RATCHET_EVENT_PROBE ? " [probe]" : "", "PRIORITY=%d",
		prio, "SYSLOG_IDENTIFIER=ratchet", "RATCHET_RESTRICTION=%s",
		name, "RATCHET_DECISION=%s",
		e->denied ? "denied" : "would-deny", "RATCHET_HOOK=%s",
		hook_of(e), "RATCHET_DETAIL=%s", what, "RATCHET_PID=%u", e->pid,
		"RATCHET_TGID=%u", e->tgid, "RATCHET_PPID=%u", e->ppid,
		"RATCHET_UID=%u", e->uid, "RATCHET_COMM=%s", e->comm,
		"RATCHET_EXE=%s", exe, "RATCHET_CGROUP_ID=%llu",
		(unsigned long long)e->cgroup_id, "RATCHET_SEQ=%llu",
		(unsigned long long)e->seq, "RATCHET_COUNT=%u", e->count,
		"RATCHET_PROBE=%d", !!(e->flags & RATCHET_EVENT_PROBE),
		"RATCHET_SUMMARY=%d", !!(e->flags & RATCHET_EVENT_SUMMARY),
		NULL);
}

static void on_event(const struct monitor *m, const struct ratchet_event *e)
{
	const char *name = slot_name(&m->cat, e->slot);
	const char *verdict = e->denied ? "denied" : "would deny";
	char exe[PATH_MAX], what[96], more[96] = "", t[64];

	exe_path(e, exe, sizeof(exe));
	describe(m, e, what, sizeof(what));
	if (e->flags & RATCHET_EVENT_SUMMARY) {
		iso_time(m->boot_to_real_ns + (__s64)e->since_ns, t, sizeof(t));
		snprintf(more, sizeof(more), ", %u more like it since %s",
			 e->count, t);
	}
	if (m->fmt == FMT_JSON)
		print_json(m, e, exe, what);
	else if (m->fmt == FMT_JOURNAL)
		print_journal(e, name, verdict, exe, what, more);
	else
		printf("ratchet: %s %s to %s[%u] uid=%u exe=%s (%s)%s%s\n",
		       verdict, name, e->comm, e->tgid, e->uid, exe, what, more,
		       e->flags & RATCHET_EVENT_PROBE ? " [probe]" : "");
}

/* Events @first..@last were overwritten before this monitor read them. */
static void on_gap(const struct monitor *m, __u64 first, __u64 last)
{
	struct timespec now;
	struct json_object *o, *g;

	if (m->fmt == FMT_JSON) {
		clock_gettime(CLOCK_BOOTTIME, &now);
		o = json_object_new_object();
		g = json_object_new_object();
		json_object_object_add(
			o, "schema_version",
			json_object_new_int(RATCHET_JSON_SCHEMA_VERSION));
		json_object_object_add(
			o, "time",
			json_time(m, (__u64)now.tv_sec * 1000000000 +
					     (__u64)now.tv_nsec));
		json_object_object_add(g, "first",
				       json_object_new_uint64(first));
		json_object_object_add(g, "last", json_object_new_uint64(last));
		json_object_object_add(
			g, "events", json_object_new_uint64(last - first + 1));
		json_object_object_add(o, "gap", g);
		json_line(o);
	} else if (m->fmt == FMT_JOURNAL) {
		sd_journal_send(
			"MESSAGE=ratchet: lost %llu events (%llu-%llu): overwritten "
			"before this monitor read them; the counters of ratchet "
			"status still count every attempt",
			(unsigned long long)(last - first + 1),
			(unsigned long long)first, (unsigned long long)last,
			"PRIORITY=3", "SYSLOG_IDENTIFIER=ratchet",
			"RATCHET_GAP_FIRST=%llu", (unsigned long long)first,
			"RATCHET_GAP_LAST=%llu", (unsigned long long)last,
			NULL);
	} else {
		printf("ratchet: lost %llu events (%llu-%llu): overwritten before this "
		       "monitor read them; the counters of ratchet status still count "
		       "every attempt\n",
		       (unsigned long long)(last - first + 1),
		       (unsigned long long)first, (unsigned long long)last);
	}
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

/*
 * --journal goes on after the last event it journaled in this boot, so a
 * restarted monitor neither repeats nor skips one (what the log no longer
 * holds is reported as a gap). 0: from the oldest the log keeps.
 */
static __u64 journal_next(void)
{
	char match[64], id[SD_ID128_STRING_MAX];
	sd_id128_t boot;
	sd_journal *j;
	const void *d;
	size_t len;
	__u64 seq = 0;

	if (sd_id128_get_boot(&boot) ||
	    sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY) < 0)
		return 0;
	snprintf(match, sizeof(match), "_BOOT_ID=%s",
		 sd_id128_to_string(boot, id));
	if (!sd_journal_add_match(j, "SYSLOG_IDENTIFIER=ratchet", 0) &&
	    !sd_journal_add_match(j, match, 0) && !sd_journal_seek_tail(j) &&
	    sd_journal_previous(j) > 0 &&
	    !sd_journal_get_data(j, "RATCHET_SEQ", &d, &len))
		seq = strtoull((const char *)d + strlen("RATCHET_SEQ="), NULL,
			       10);
	sd_journal_close(j);
	return seq ? seq + 1 : 0;
}

/*
 * One run of ratchet_read: show its events and the gaps among them.
 * Returns how many slots it filled, or -errno.
 */
static int read_batch(struct monitor *m, int fd, struct ratchet_read *r)
{
	__u64 want = m->next, first;
	int err, i;

	r->next = want;
	r->flush = 1;
	if ((err = rbpf_run(fd, r, sizeof(*r))))
		return err < 0 ? err : -EPROTO;
	/* Where the batch began: the program moves past what is gone. */
	first = r->next - r->n;
	if (want && first > want)
		on_gap(m, want, first - 1);
	for (i = 0; i < (int)r->n && i < RATCHET_READ_BATCH; i++) {
		__u64 gap = i;

		if (r->ev[i].seq) {
			on_event(m, &r->ev[i]);
			continue;
		}
		while (i + 1 < (int)r->n && !r->ev[i + 1].seq)
			i++;
		on_gap(m, first + gap, first + i);
	}
	m->next = r->next;
	return (int)r->n;
}

static int follow(struct monitor *m, volatile sig_atomic_t *stop)
{
	static struct ratchet_read r;
	int fd = rbpf_prog_fd(RBPF_READ), n = 0;

	if (fd < 0)
		return fd;
	while (!*stop && n >= 0) {
		n = read_batch(m, fd, &r);
		/* A full batch: more is waiting. Else poll five times a second. */
		if (n >= 0 && n < RATCHET_READ_BATCH)
			usleep(200000);
	}
	close(fd);
	return n < 0 ? n : 0;
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
	m.next = m.fmt == FMT_JOURNAL ? journal_next() : 0;
	/* Line-buffered, so a pipe or journald sees each event at once. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = follow(&m, &stop);
	if (err == -ENOENT) {
		fprintf(stderr,
			"ratchet: nothing is locked yet, so there is nothing to monitor; "
			"run ratchet lock first\n");
		return EXIT_FAIL;
	}
	if (err) {
		fprintf(stderr, "ratchet: monitor failed while %s: %s%s\n",
			rbpf_last_step(), strerror(-err),
			err == -EACCES || err == -EPERM ? " (run as root)"
							: "");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
