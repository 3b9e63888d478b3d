// SPDX-License-Identifier: GPL-2.0
/*
 * apply.c - `ratchet check [--config FILE]` and
 * `ratchet apply [--config FILE] [STAGE]`.
 *
 * check never touches the kernel and needs no privilege, like doas -C.
 * apply refuses the whole file on any error, then locks each stage with one
 * ratchet_raise run: the BPF program ORs every bit of the stage at once, so
 * a stage is in force completely or not at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>
#include "config.h"

#define NSET 2 /* enum config_set_sysctl bits */

/*
 * --config FILE, and one STAGE if @stage is not NULL. ARGS_GO_ON, or the
 * exit code.
 */
static int parse_args(int argc, char **argv, const char **path,
		      const char **stage)
{
	enum { OPT_CONFIG = OPT_LONG_ONLY };
	static const struct option opts[] = {
		{ "config", required_argument, NULL, OPT_CONFIG },
		ARGS_HELP_AND_END,
	};
	int opt, rc;

	while ((opt = args_next(argc, argv, "", opts, &rc)) != -1) {
		if (opt == ARGS_EXIT)
			return rc;
		if (!*optarg) {
			fprintf(stderr,
				"ratchet %s: --config needs a file name\n",
				argv[0]);
			return command_usage(argv[0], EXIT_USAGE);
		}
		*path = optarg;
	}
	if (stage && optind < argc)
		*stage = argv[optind++];
	return args_none_left(argc, argv);
}

/* ": " before the first item of a stage's line, "; " before the others. */
static const char *sep(const char **s)
{
	const char *cur = *s;

	*s = "; ";
	return cur;
}

static void print_mask(const struct catalogue *c, const char *label,
		       const struct ratchet_mask *m, const char **s)
{
	const struct restriction *r;

	printf("%s%s", sep(s), label);
	for_each_in_mask(r, c, m)
		printf(" %s", r->name);
}

/* One line per stage: what it resolves to on the running kernel. */
static void print_stage(const struct catalogue *c, const struct config_stage *s)
{
	char name[RATCHET_SYSCTL_NAME_MAX];
	const char *sp = ": ";
	unsigned int bit;
	int k;

	printf("stage %s (line %d)", s->name, s->line);
	if (!ratchet_mask_empty(&s->enforce))
		print_mask(c, "lock", &s->enforce, &sp);
	if (!ratchet_mask_empty(&s->permissive))
		print_mask(c, "permissive", &s->permissive, &sp);
	if (s->raise_only_sysctls)
		printf("%sraise-only", sep(&sp));
	for_each_knob(k, s->raise_only_sysctls)
		printf(" %s", sysctl_knob_name(k, name, sizeof(name)));
	for (bit = 1; bit < 1U << NSET; bit <<= 1)
		if (s->set_sysctl & bit)
			printf("%sset %s=1", sep(&sp),
			       config_set_sysctl_name(bit));
	if (s->allow_loaded_kexec)
		printf("%sallow-loaded-kexec", sep(&sp));
	printf("\n");
}

static int load(const char *path, const struct catalogue *c, struct config *cfg)
{
	struct config_error err;

	if (!config_load(path, c, cfg, &err))
		return EXIT_OK;
	fprintf(stderr, "%s:%d: %s\n", path, err.line, err.msg);
	return EXIT_FAIL;
}

int cmd_check(int argc, char **argv)
{
	static struct catalogue c;
	static struct config cfg;
	struct ratchet_mask all = { { 0 } };
	const char *path = CONFIG_DEFAULT_PATH;
	int rc, i;

	if ((rc = parse_args(argc, argv, &path, NULL)) != ARGS_GO_ON)
		return rc;
	catalogue_allow_path_btf(); /* check locks nothing */
	catalogue_load(&c, NULL);
	if ((rc = load(path, &c, &cfg)))
		return rc;
	printf("%s: valid, %d stage%s\n", path, cfg.n, cfg.n == 1 ? "" : "s");
	for (i = 0; i < cfg.n; i++) {
		print_stage(&c, &cfg.stage[i]);
		ratchet_mask_or(&all, &cfg.stage[i].enforce);
	}
	/* What the whole file enforces once every stage is applied. */
	weak_print(stdout, &c, &all, "after every stage: ");
	return EXIT_OK;
}

static int guard(const char *path, const struct catalogue *c,
		 const struct config_stage *s)
{
	const char *why;

	if (!kexec_guard(&s->enforce, c, s->allow_loaded_kexec, &why))
		return EXIT_OK;
	fprintf(stderr,
		"ratchet: %s: stage '%s' locks kexec, but %s; or add "
		"'allow-loaded-kexec' to the stage to lock it anyway\n",
		path, s->name, why);
	return EXIT_FAIL;
}

/*
 * Before the lock, so that a stage whose sysctls could not be set is not
 * half applied: what they need must be locked (by this stage, or by one
 * applied earlier), and their files must open for writing.
 */
static int open_set_sysctls(const struct catalogue *c,
			    const struct config_stage *s, int fds[NSET])
{
	struct ratchet_state st = { 0 };
	unsigned int i, bit;

	for (i = 0; i < NSET; i++)
		fds[i] = -1;
	rbpf_read_state(&st); /* none yet: nothing locked */
	ratchet_mask_or(&st.enforce, &s->enforce);
	for (i = 0, bit = 1; i < NSET; i++, bit <<= 1) {
		if (!(s->set_sysctl & bit))
			continue;
		if (!config_set_sysctl_ready(bit, &st.enforce, c)) {
			fprintf(stderr,
				"ratchet: stage '%s' sets %s, which needs %s first; "
				"apply the stage that locks it\n",
				s->name, config_set_sysctl_name(bit),
				config_set_sysctl_hint(bit));
			return EXIT_FAIL;
		}
		/* In a fresh proc instance: a cover would take the write. */
		fds[i] =
			kfs_open("proc", config_set_sysctl_path(bit), O_WRONLY);
		if (fds[i] < 0) {
			fprintf(stderr,
				"ratchet: stage '%s': cannot open %s in a fresh "
				"proc instance: %s\n",
				s->name, config_set_sysctl_path(bit),
				strerror(-fds[i]));
			return EXIT_FAIL;
		}
	}
	return EXIT_OK;
}

static void close_fds(int fds[NSET])
{
	int i;

	for (i = 0; i < NSET; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/*
 * Whether @bit's switch reads 1 in a fresh proc instance. write()'s count
 * proves nothing: an fmod_ret program on security_file_permission() may
 * return a positive value, which rw_verify_area() hands back and
 * vfs_write() returns as the count, with nothing written (fs/read_write.c,
 * 6.1 to 7.2). A faked read fails here: kfs_read_line() clears the buffer.
 */
static bool set_sysctl_is_on(unsigned int bit, int *val)
{
	*val = kfs_read_int("proc", config_set_sysctl_path(bit));
	return *val == 1;
}

/* After the lock: the kernel's own one-way switches, as defence in depth. */
static int write_set_sysctls(const struct config_stage *s, int fds[NSET])
{
	unsigned int i, bit;
	int rc = EXIT_OK, val;

	for (i = 0, bit = 1; i < NSET; i++, bit <<= 1) {
		if (fds[i] < 0)
			continue;
		if ((val = (int)sys_write(fds[i], "1\n", 2)) != 2) {
			fprintf(stderr,
				"ratchet: stage '%s' is locked, but setting %s=1 failed: %s\n",
				s->name, config_set_sysctl_name(bit),
				strerror(val < 0 ? -val : EIO));
			rc = EXIT_FAIL;
		} else if (!set_sysctl_is_on(bit, &val)) {
			fprintf(stderr,
				"ratchet: stage '%s' is locked, but %s reads %s after "
				"writing 1: a program on the write's path answered for "
				"the kernel; see 'ratchet status' for the BPF programs "
				"loaded\n",
				s->name, config_set_sysctl_name(bit),
				val < 0 ? strerror(-val)
				: val	? "not 1"
					: "0");
			rc = EXIT_FAIL;
		}
	}
	return rc;
}

/* After a failed lock: is the stage in force anyway? The state decides. */
static bool stage_in_force(const struct config_stage *s)
{
	struct ratchet_state st;

	return !rbpf_read_state(&st) &&
	       ratchet_state_covers(&st, &s->enforce, &s->permissive,
				    s->raise_only_sysctls);
}

static void report_stage(const struct catalogue *c,
			 const struct config_stage *s,
			 const struct ratchet_state *st)
{
	const struct restriction *r;

	printf("ratchet: applied completely: ");
	print_stage(c, s);
	for_each_in_mask(r, c, &s->permissive)
		if (ratchet_mask_test(&st->enforce, r->slot))
			printf("ratchet: note: %s was already enforced; it stays enforced\n",
			       r->name);
	for_each_in_mask(r, c, &s->enforce)
		if (r->note)
			printf("ratchet: note: %s: %s\n", r->name, r->note);
}

static int apply_stage(const struct catalogue *c, const struct config_stage *s)
{
	struct ratchet_state st;
	int fds[NSET], rc, err;

	if ((rc = open_set_sysctls(c, s, fds))) {
		close_fds(fds);
		fprintf(stderr, "ratchet: stage '%s' not applied\n", s->name);
		return rc;
	}
	err = rbpf_lock_sysctl(&s->enforce, &s->permissive,
			       s->raise_only_sysctls, &st);
	if (err == -ENOTRECOVERABLE) {
		struct ratchet_mask want = s->enforce;

		close_fds(fds);
		ratchet_mask_or(&want, &s->permissive);
		fprintf(stderr,
			"ratchet: stage '%s' is sealed in the state, but the kernel does "
			"not show all of it in force\n",
			s->name);
		report_not_in_force(stderr, c, &want);
		return EXIT_FAIL;
	}
	if (err) {
		close_fds(fds);
		if (err == -ENOTRECOVERABLE && stage_in_force(s))
			fprintf(stderr,
				"ratchet: stage '%s' is in force completely, but %s; "
				"only a reboot clears it\n",
				s->name, rbpf_overrule());
		else if (stage_in_force(s))
			fprintf(stderr,
				"ratchet: stage '%s' is in force completely, but the lock "
				"reported an error while %s: %s\n",
				s->name, rbpf_last_step(), strerror(-err));
		else
			fprintf(stderr,
				"ratchet: stage '%s' not applied: nothing of it was added "
				"(lock failed while %s: %s)\n",
				s->name, rbpf_last_step(), strerror(-err));
		return rbpf_kernel_refused() ? EXIT_KERNEL : EXIT_FAIL;
	}
	rc = write_set_sysctls(s, fds);
	close_fds(fds);
	if (rc) {
		fprintf(stderr,
			"ratchet: stage '%s' is applied in part: its restrictions are "
			"in force until reboot, its set lines are not all in effect\n",
			s->name);
		return rc;
	}
	report_stage(c, s, &st);
	return lock_settle(c, &s->enforce, s->allow_loaded_kexec);
}

/* After the last stage: what the kernel enforces now, complete or not. */
static void report_weak(const struct catalogue *c)
{
	struct ratchet_state st;

	if (!rbpf_read_state(&st))
		weak_print(stdout, c, &st.enforce, "ratchet: ");
}

static int no_stage(const char *path, const struct config *cfg,
		    const char *name)
{
	int i;

	fprintf(stderr, "ratchet: no stage '%s' in %s; stages:", name, path);
	for (i = 0; i < cfg->n; i++)
		fprintf(stderr, " %s", cfg->stage[i].name);
	fprintf(stderr, "\n");
	return EXIT_USAGE;
}

/* Every check that can refuse comes before the first stage is locked. */
static int apply_stages(const char *path, const struct catalogue *c,
			const struct config *cfg, int first, int last)
{
	int i, rc;

	for (i = first; i <= last; i++)
		if ((rc = guard(path, c, &cfg->stage[i]))) {
			fprintf(stderr, "ratchet: nothing applied\n");
			return rc;
		}
	for (i = first; i <= last; i++) {
		if (!(rc = apply_stage(c, &cfg->stage[i]))) {
			if (i == last)
				report_weak(c);
			continue;
		}
		if (i < last) {
			fprintf(stderr, "ratchet: stages not attempted:");
			while (++i <= last)
				fprintf(stderr, " %s", cfg->stage[i].name);
			fprintf(stderr, "\n");
		}
		return rc;
	}
	return EXIT_OK;
}

int cmd_apply(int argc, char **argv)
{
	static struct catalogue c;
	static struct config cfg;
	const char *path = CONFIG_DEFAULT_PATH, *name = NULL;
	const struct config_stage *s;
	int rc, first, last;

	if ((rc = parse_args(argc, argv, &path, &name)) != ARGS_GO_ON)
		return rc;
	/* Before the catalogue: without root it would have no kernel BTF. */
	if ((rc = args_need_root("apply", ", or use ratchet check")))
		return rc;
	catalogue_load(&c, NULL);
	if ((rc = load(path, &c, &cfg))) {
		fprintf(stderr, "ratchet: nothing applied\n");
		return rc;
	}
	first = 0;
	last = cfg.n - 1;
	if (name && !(s = config_find(&cfg, name)))
		return no_stage(path, &cfg, name);
	if (name)
		first = last = (int)(s - cfg.stage);
	if ((rc = lock_preflight(&c)))
		return rc;
	return apply_stages(path, &c, &cfg, first, last);
}
