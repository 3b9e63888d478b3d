// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - parse /etc/ratchet.conf into stages.
 *
 * The parser is all or nothing: the first bad line stops it, the error
 * names that line, and the result is zeroed, so a caller that ignores the
 * return value still finds no stage to apply. It never allocates, which
 * keeps it simple to fuzz; only config_load allocates the file's buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "config.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The kernel's own one-way sysctls. Each needs one of its restrictions
 * enforced by the same stage or an earlier one: the BPF lock then already
 * holds when the sysctl lands, so the sysctl only adds defence in depth,
 * and a stage can never switch it on earlier than the matching lock.
 */
static const struct set_sysctl {
	unsigned int bit;
	const char *name, *path;
	const char *needs[2];
	const char *hint;
} set_sysctls[] = {
	{ CONFIG_SET_KEXEC_LOAD_DISABLED,
	  "kernel.kexec_load_disabled",
	  "sys/kernel/kexec_load_disabled",
	  { "kexec", "kexec-image" },
	  "'lock kexec' or 'lock kexec-image'" },
	{ CONFIG_SET_MODULES_DISABLED,
	  "kernel.modules_disabled",
	  "sys/kernel/modules_disabled",
	  { "modules", NULL },
	  "'lock modules'" },
};

struct parser {
	const struct catalogue *c;
	struct config *cfg;
	struct config_error *err;
	int line;
	struct config_stage *cur;   /* NULL before the first `stage` */
	struct ratchet_mask locked; /* enforced by this stage or earlier */
	/* Where the current stage said these, to check them at its end. */
	int set_line[ARRAY_SIZE(set_sysctls)];
	int allow_line;
};

static int fail_at(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	p->err->line = line;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

#define fail(p, ...) fail_at(p, (p)->line, __VA_ARGS__)

/* Split off the next blank-separated word, or NULL at the end. */
static char *next_word(char **s)
{
	char *w = *s + strspn(*s, " \t");

	if (!*w)
		return NULL;
	*s = w + strcspn(w, " \t");
	if (**s)
		*(*s)++ = '\0';
	return w;
}

static bool valid_stage_name(const char *s)
{
	size_t n = strlen(s);

	/* A leading '-' would read as an option to `ratchet apply`. */
	return n && n < CONFIG_NAME_MAX && s[0] != '-' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* One restriction or preset. An exclusion of a reason the kernel lacks
 * excludes nothing, so it is fine; locking one is not.
 */
static int resolve_word(struct parser *p, char *name, bool minus,
			struct ratchet_mask *one)
{
	const char *bad;
	int err;

	if (!strcmp(name, "sysctl") || !strncmp(name, "sysctl:", 7))
		return fail(p,
			    "raise-only sysctls go on a 'sysctl KNOB...' line");
	err = catalogue_resolve(p->c, 1, &name, one, &bad);
	if (err == -ENODEV && minus) {
		memset(one, 0, sizeof(*one));
		return 0;
	}
	if (err == -ENODEV)
		return fail(
			p,
			"the running kernel has no '%.64s' (see ratchet list)",
			name);
	if (err)
		return fail(p, "unknown restriction '%.64s' (see ratchet list)",
			    name);
	/* A preset of a kernel without BTF: it would lock nothing. */
	if (!minus && ratchet_mask_empty(one))
		return fail(
			p,
			"the running kernel has no '%.64s' (see ratchet list)",
			name);
	return 0;
}

/* `lock` / `permissive`: names and presets; -NAME takes one back out. */
static int dir_names(struct parser *p, const char *key, char *args)
{
	struct ratchet_mask add = { { 0 } }, drop = { { 0 } }, one;
	bool permissive = !strcmp(key, "permissive");
	int n = 0, ret;
	char *w;

	while ((w = next_word(&args))) {
		bool minus = w[0] == '-';

		if ((ret = resolve_word(p, w + minus, minus, &one)))
			return ret;
		ratchet_mask_or(minus ? &drop : &add, &one);
		n += !minus;
	}
	if (!n)
		return fail(p, "'%s' needs at least one restriction", key);
	ratchet_mask_andnot(&add, &drop);
	if (ratchet_mask_empty(&add))
		return fail(p, "this '%s' line leaves nothing to %s", key, key);
	ratchet_mask_or(permissive ? &p->cur->permissive : &p->cur->enforce,
			&add);
	if (!permissive)
		ratchet_mask_or(&p->locked, &add);
	return 0;
}

static int dir_sysctl(struct parser *p, const char *key, char *args)
{
	const struct restriction *r = catalogue_find(p->c, "sysctl");
	char list[320] = "", name[RATCHET_SYSCTL_NAME_MAX];
	int k, n = 0;
	char *w;

	if (!r || r->slot < 0)
		return fail(
			p,
			"the running kernel cannot make sysctls raise-only (no BTF)");
	while ((w = next_word(&args))) {
		if ((k = sysctl_knob(w)) >= 0) {
			p->cur->raise_only_sysctls |= 1ULL << k;
			n++;
			continue;
		}
		for_each_knob(k, RATCHET_ALL_SYSCTLS)
			snprintf(list + strlen(list),
				 sizeof(list) - strlen(list), " %s",
				 sysctl_knob_name(k, name, sizeof(name)));
		return fail(p, "'%.64s' is not a raise-only sysctl; valid:%s",
			    w, list);
	}
	if (!n)
		return fail(p, "'%s' needs at least one knob", key);
	ratchet_mask_set(&p->cur->enforce, r->slot);
	ratchet_mask_set(&p->locked, r->slot);
	return 0;
}

static int dir_set_sysctl(struct parser *p, const char *key, char *args)
{
	int n = 0;
	size_t i;
	char *w;

	while ((w = next_word(&args))) {
		for (i = 0; i < ARRAY_SIZE(set_sysctls); i++)
			if (!strcmp(w, set_sysctls[i].name))
				break;
		if (i == ARRAY_SIZE(set_sysctls))
			return fail(
				p,
				"'%s' sets kernel.kexec_load_disabled or kernel.modules_disabled "
				"(name only, the value is always 1), not '%.64s'",
				key, w);
		p->cur->set_sysctl |= set_sysctls[i].bit;
		p->set_line[i] = p->line;
		n++;
	}
	if (!n)
		return fail(p, "'%s' needs a sysctl name", key);
	return 0;
}

static int dir_allow_loaded_kexec(struct parser *p, const char *key, char *args)
{
	if (next_word(&args))
		return fail(p, "'%s' takes no arguments", key);
	p->cur->allow_loaded_kexec = true;
	p->allow_line = p->line;
	return 0;
}

/* Checks that need the whole stage, reported at the line that is wrong. */
static int end_stage(struct parser *p)
{
	struct config_stage *s = p->cur;
	size_t i;

	if (!s)
		return 0;
	/* Enforcing always wins in the kernel; say only what will happen. */
	ratchet_mask_andnot(&s->permissive, &s->enforce);
	if (ratchet_mask_empty(&s->enforce) &&
	    ratchet_mask_empty(&s->permissive) && !s->set_sysctl)
		return fail_at(p, s->line, "stage '%s' locks nothing", s->name);
	for (i = 0; i < ARRAY_SIZE(set_sysctls); i++) {
		const struct set_sysctl *ss = &set_sysctls[i];

		if ((s->set_sysctl & ss->bit) &&
		    !config_set_sysctl_ready(ss->bit, &p->locked, p->c))
			return fail_at(
				p, p->set_line[i],
				"set-sysctl %s needs %s in this stage or an earlier one",
				ss->name, ss->hint);
	}
	if (s->allow_loaded_kexec &&
	    !catalogue_mask_has(p->c, &s->enforce, "kexec") &&
	    !catalogue_mask_has(p->c, &s->enforce, "kexec-image"))
		return fail_at(
			p, p->allow_line,
			"allow-loaded-kexec in a stage that locks neither kexec nor kexec-image");
	memset(p->set_line, 0, sizeof(p->set_line));
	p->allow_line = 0;
	return 0;
}

static int dir_stage(struct parser *p, const char *key, char *args)
{
	const struct config_stage *dup;
	char *name = next_word(&args);
	int ret;

	if (!name || next_word(&args))
		return fail(p, "expected '%s NAME'", key);
	if (!valid_stage_name(name))
		return fail(
			p,
			"stage name '%.64s' is not 1 to %d of [a-z0-9-], not starting with '-'",
			name, CONFIG_NAME_MAX - 1);
	if ((dup = config_find(p->cfg, name)))
		return fail(p, "duplicate stage '%s' (first on line %d)", name,
			    dup->line);
	if ((ret = end_stage(p)))
		return ret;
	if (p->cfg->n >= CONFIG_STAGES_MAX)
		return fail(p, "more than %d stages", CONFIG_STAGES_MAX);
	p->cur = &p->cfg->stage[p->cfg->n++];
	snprintf(p->cur->name, sizeof(p->cur->name), "%s", name);
	p->cur->line = p->line;
	return 0;
}

static const struct directive {
	const char *key;
	int (*fn)(struct parser *p, const char *key, char *args);
} directives[] = {
	{ "stage", dir_stage },
	{ "lock", dir_names },
	{ "permissive", dir_names },
	{ "sysctl", dir_sysctl },
	{ "set-sysctl", dir_set_sysctl },
	{ "allow-loaded-kexec", dir_allow_loaded_kexec },
};

/* Copy the line without its comment; only printable ASCII and tabs. */
static int copy_line(struct parser *p, const char *s, size_t n, char *buf)
{
	size_t i;

	if (n > CONFIG_LINE_MAX)
		return fail(p, "line longer than %d bytes", CONFIG_LINE_MAX);
	for (i = 0; i < n && s[i] != '#'; i++) {
		unsigned char ch = s[i];

		if (ch != '\t' && (ch < 0x20 || ch > 0x7e))
			return fail(p, "invalid byte 0x%02x in column %zu%s",
				    ch, i + 1,
				    ch == '\r' ? " (DOS line ending?)" : "");
		buf[i] = (char)ch;
	}
	buf[i] = '\0';
	return 0;
}

static int parse_line(struct parser *p, const char *s, size_t n)
{
	char buf[CONFIG_LINE_MAX + 1], *rest = buf, *key;
	size_t i;
	int ret;

	if ((ret = copy_line(p, s, n, buf)))
		return ret;
	if (!(key = next_word(&rest)))
		return 0;
	for (i = 0; i < ARRAY_SIZE(directives); i++) {
		if (strcmp(key, directives[i].key))
			continue;
		if (!p->cur && directives[i].fn != dir_stage)
			return fail(
				p,
				"'%s' outside a stage (start one with 'stage NAME')",
				key);
		return directives[i].fn(p, key, rest);
	}
	return fail(p, "unknown directive '%.64s'", key);
}

int config_parse(const char *text, size_t len, const struct catalogue *c,
		 struct config *out, struct config_error *err)
{
	struct parser p = { .c = c, .cfg = out, .err = err };
	size_t off = 0;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	while (!ret && off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;

		p.line++;
		ret = parse_line(&p, text + off, n);
		off += n + 1;
	}
	if (!ret)
		ret = end_stage(&p);
	if (!ret && !out->n)
		ret = fail_at(&p, 0, "no stage defined");
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

static int file_fail(struct config_error *err, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int file_fail(struct config_error *err, int ret, const char *fmt, ...)
{
	va_list ap;

	err->line = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return ret;
}

/*
 * Whoever can write the file can lock the machine down, or leave it open:
 * it must be root's and writable by root alone. Checked on the open fd, so
 * what is checked is what is read.
 */
static int check_file(int fd, struct config_error *err)
{
	struct stat st;
	int e = sys_ok(fstat(fd, &st));

	if (e)
		return file_fail(err, e, "cannot stat: %s", strerror(-e));
	if (!S_ISREG(st.st_mode))
		return file_fail(err, -EINVAL, "not a regular file");
	if (st.st_uid != 0)
		return file_fail(err, -EACCES, "owned by uid %u, not root",
				 (unsigned int)st.st_uid);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return file_fail(
			err, -EACCES,
			"writable by group or others (mode %04o); chmod go-w it",
			(unsigned int)(st.st_mode & 07777));
	return 0;
}

static int read_all(int fd, char *buf, size_t *len, struct config_error *err)
{
	ssize_t n;

	*len = 0;
	do {
		n = sys_read(fd, buf + *len, CONFIG_FILE_MAX + 1 - *len);
		if (n == -EINTR)
			continue;
		if (n < 0)
			return file_fail(err, (int)n, "cannot read: %s",
					 strerror((int)-n));
		*len += (size_t)n;
	} while (n > 0 && *len <= CONFIG_FILE_MAX);
	if (*len > CONFIG_FILE_MAX)
		return file_fail(err, -EFBIG, "larger than %d bytes",
				 CONFIG_FILE_MAX);
	return 0;
}

/* Permissions first, then the parse; line 0 for the file as a whole. */
int config_load(const char *path, const struct catalogue *c, struct config *out,
		struct config_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int fd, ret;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return file_fail(err, -errno, "cannot open: %s",
				 strerror(errno));
	ret = check_file(fd, err);
	if (!ret && !(buf = malloc(CONFIG_FILE_MAX + 1)))
		ret = file_fail(err, -ENOMEM, "out of memory");
	if (!ret)
		ret = read_all(fd, buf, &len, err);
	close(fd);
	if (!ret)
		ret = config_parse(buf, len, c, out, err);
	free(buf);
	return ret;
}

const struct config_stage *config_find(const struct config *cfg,
				       const char *name)
{
	int i;

	for (i = 0; i < cfg->n; i++)
		if (!strcmp(cfg->stage[i].name, name))
			return &cfg->stage[i];
	return NULL;
}

static const struct set_sysctl *set_sysctl_by_bit(unsigned int bit)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(set_sysctls); i++)
		if (set_sysctls[i].bit == bit)
			return &set_sysctls[i];
	return NULL;
}

const char *config_set_sysctl_name(unsigned int bit)
{
	const struct set_sysctl *ss = set_sysctl_by_bit(bit);

	return ss ? ss->name : NULL;
}

const char *config_set_sysctl_path(unsigned int bit)
{
	const struct set_sysctl *ss = set_sysctl_by_bit(bit);

	return ss ? ss->path : NULL;
}

const char *config_set_sysctl_hint(unsigned int bit)
{
	const struct set_sysctl *ss = set_sysctl_by_bit(bit);

	return ss ? ss->hint : NULL;
}

/* Whether @locked holds what set-sysctl @bit needs (see set_sysctls). */
bool config_set_sysctl_ready(unsigned int bit,
			     const struct ratchet_mask *locked,
			     const struct catalogue *c)
{
	const struct set_sysctl *ss = set_sysctl_by_bit(bit);

	return ss && (catalogue_mask_has(c, locked, ss->needs[0]) ||
		      catalogue_mask_has(c, locked, ss->needs[1]));
}
