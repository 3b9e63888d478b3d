// SPDX-License-Identifier: GPL-2.0
/*
 * attack.c - build/tests/ratchet-attack: root trying to undo a BPF-LSM lock,
 * for the in-guest tests under tests/vm/attacks. Never run it on a host.
 *
 * Every subcommand prints one line saying what happened and exits
 * 0 the attempted step succeeded,
 * 1 it was refused (EPERM or EACCES),
 * 2 any other error (unsupported, bad usage, not found).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "attack-naive.skel.h"
#include "attack-fmodret.skel.h"
#include "attack-lsmpos.skel.h"
#include "attack-ext.skel.h"
#include "attack-mapzero.skel.h"
#include "attack-observe.skel.h"

#include "attack.h"

#define NAIVE_DIR "/sys/fs/bpf/naive"

/* ---- reporting ---- */

static char vlog[64 * 1024]; /* libbpf's output, verifier logs included */
static size_t vlog_len;

static int keep_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list aq;

	if (getenv("ATTACK_DEBUG")) {
		va_copy(aq, ap);
		vfprintf(stderr, fmt, aq);
		va_end(aq);
	}
	if (level == LIBBPF_DEBUG || vlog_len >= sizeof(vlog) - 1)
		return 0;
	vlog_len +=
		vsnprintf(vlog + vlog_len, sizeof(vlog) - vlog_len, fmt, ap);
	if (vlog_len > sizeof(vlog) - 1)
		vlog_len = sizeof(vlog) - 1;
	return 0;
}

/* The verifier's verdict: the last line of its log that says something. */
const char *verifier_says(void)
{
	static const char *keys[] = { "should have been in",
				      "unknown func",
				      "Cannot replace",
				      "Invalid",
				      "invalid",
				      "R0 ",
				      "not allowed",
				      "Permission denied" };
	static char line[256];
	size_t k;

	for (k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		char *p = strstr(vlog, keys[k]), *b, *e;

		if (!p)
			continue;
		for (b = p; b > vlog && b[-1] != '\n'; b--)
			;
		e = strchr(p, '\n');
		snprintf(line, sizeof(line), "%.*s",
			 (int)(e ? e - b : (long)strlen(b)), b);
		return line;
	}
	return "";
}

int verdict_errno(int err)
{
	err = err < 0 ? -err : err;
	return err == EPERM || err == EACCES ? REFUSED : OTHER;
}

/* Print "WHAT: refused (EPERM)" or "WHAT: failed (ENOENT ...)". */
int report_err(int err, const char *fmt, ...)
{
	va_list ap;
	int v = verdict_errno(err);

	err = err < 0 ? -err : err;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(": %s (%s)\n", v == REFUSED ? "refused" : "failed",
	       strerror(err));
	return v;
}

/* ---- raw instructions for the probes that need no object file ---- */

char rawlog[8192];

/* A program of a few instructions, attached to BTF id @btf_id if not 0. */
int load_raw_btf(enum bpf_prog_type type, enum bpf_attach_type at, __u32 btf_id,
		 const struct bpf_insn *insns, size_t n)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = rawlog,
		    .log_size = sizeof(rawlog), .log_level = 1,
		    .expected_attach_type = at, .attach_btf_id = btf_id);

	rawlog[0] = 0;
	return bpf_prog_load(type, "ratchet_attack", "GPL", insns, n, &o);
}

static int load_raw(enum bpf_prog_type type, enum bpf_attach_type at,
		    const struct bpf_insn *insns, size_t n)
{
	return load_raw_btf(type, at, 0, insns, n);
}

/* ---- the naive lock ---- */

static struct attack_naive *naive_load(void)
{
	struct attack_naive *n = attack_naive__open();

	if (!n)
		return NULL;
	if (attack_naive__load(n)) {
		attack_naive__destroy(n);
		return NULL;
	}
	return n;
}

static int cmd_naive_pin(int argc, char **argv)
{
	int guard = !(argc > 2 && !strcmp(argv[2], "nosysctl"));
	struct attack_naive *n = naive_load();
	struct bpf_link *link;
	__u32 zero = 0, one = 1;
	int cg, err;

	if (!n)
		return report_err(errno,
				  "naive-pin: loading the naive lock%s%s",
				  *verifier_says() ? "; verifier: " : "",
				  verifier_says());
	link = bpf_program__attach(n->progs.naive_locked_down);
	if (!link)
		return report_err(errno,
				  "naive-pin: attaching naive_locked_down");
	mkdir(NAIVE_DIR, 0700);
	if ((err = bpf_link__pin(link, NAIVE_DIR "/link")) ||
	    (err = bpf_map__pin(n->maps.policy, NAIVE_DIR "/policy")))
		return report_err(err, "naive-pin: pinning under " NAIVE_DIR);
	if (bpf_map_update_elem(bpf_map__fd(n->maps.policy), &zero, &one,
				BPF_ANY))
		return report_err(errno, "naive-pin: setting policy[0] = 1");
	cg = guard ? open(CGROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : 0;
	if (guard &&
	    (cg < 0 ||
	     bpf_prog_attach(bpf_program__fd(n->progs.naive_sysctl), cg,
			     BPF_CGROUP_SYSCTL, BPF_F_ALLOW_MULTI)))
		return report_err(
			errno, "naive-pin: attaching naive_sysctl at " CGROOT);
	printf("naive-pin: naive lock on: link %s/link, map %s/policy = 1%s\n",
	       NAIVE_DIR, NAIVE_DIR,
	       guard ? ", naive_sysctl at " CGROOT : " (no sysctl guard)");
	return OK;
}

/* Held by this process only; the policy is also mmapped here. */
static int cmd_naive_hold(void)
{
	struct attack_naive *n = naive_load();
	struct bpf_link *link;
	__u32 *policy;

	if (!n)
		return report_err(errno,
				  "naive-hold: loading the naive lock%s%s",
				  *verifier_says() ? "; verifier: " : "",
				  verifier_says());
	link = bpf_program__attach(n->progs.naive_locked_down);
	if (!link)
		return report_err(errno,
				  "naive-hold: attaching naive_locked_down");
	policy = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		      bpf_map__fd(n->maps.policy), 0);
	if (policy == MAP_FAILED)
		return report_err(errno, "naive-hold: mmap of the policy map");
	*policy = 1;
	printf("ready pid=%d link_fd=%d map_fd=%d map_addr=0x%lx\n", getpid(),
	       bpf_link__fd(link), bpf_map__fd(n->maps.policy),
	       (unsigned long)policy);
	fflush(stdout);
	for (;;)
		pause();
}

int prog_name_of(int fd, char *name, size_t len, __u32 *id)
{
	struct bpf_prog_info info = {};
	__u32 l = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &l))
		return -errno;
	snprintf(name, len, "%s", info.name);
	if (id)
		*id = info.id;
	return 0;
}

/*
 * Detach the cgroup/sysctl programs at the root whose name starts with
 * @prefix ("" for all). Returns OK if every one went, REFUSED if an fd or
 * the detach was refused.
 */
int detach_sysctls(const char *cmd, const char *prefix)
{
	__u32 ids[64], cnt = 64, flags = 0, i;
	int cg, fd, rc = OK;
	char name[BPF_OBJ_NAME_LEN];

	cg = open(CGROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		return report_err(errno, "%s: open %s", cmd, CGROOT);
	if (bpf_prog_query(cg, BPF_CGROUP_SYSCTL, 0, &flags, ids, &cnt))
		return report_err(errno,
				  "%s: BPF_PROG_QUERY cgroup/sysctl at %s", cmd,
				  CGROOT);
	for (i = 0; i < cnt; i++) {
		fd = bpf_prog_get_fd_by_id(ids[i]);
		if (fd < 0) {
			if (!*prefix) {
				rc = report_err(errno,
						"%s: BPF_PROG_GET_FD_BY_ID %u",
						cmd, ids[i]);
				/* Without an fd: the legacy detach of a MULTI list needs one. */
				if (bpf_prog_detach(cg, BPF_CGROUP_SYSCTL))
					report_err(
						errno,
						"%s: BPF_PROG_DETACH without a program fd",
						cmd);
				else
					printf("%s: BPF_PROG_DETACH without a program fd detached something\n",
					       cmd);
			}
			continue;
		}
		if (prog_name_of(fd, name, sizeof(name), NULL) ||
		    strncmp(name, prefix, strlen(prefix))) {
			close(fd);
			continue;
		}
		if (bpf_prog_detach2(fd, cg, BPF_CGROUP_SYSCTL))
			rc = report_err(errno, "%s: detach %s (id %u)", cmd,
					name, ids[i]);
		else
			printf("%s: detached %s (id %u)\n", cmd, name, ids[i]);
		close(fd);
	}
	if (!cnt)
		printf("%s: no cgroup/sysctl program at %s\n", cmd, CGROOT);
	close(cg);
	return rc;
}

static int cmd_naive_clean(void)
{
	static const char *pins[] = {
		NAIVE_DIR "/link",
		NAIVE_DIR "/policy",
		"/sys/fs/bpf/evil-fmodret",
		"/sys/fs/bpf/evil-lsm",
		"/sys/fs/bpf/evil-freplace",
		"/sys/fs/bpf/evil-lsmcg",
		"/sys/fs/bpf/evil-retarget",
		"/sys/fs/bpf/evil-sysctl",
		"/sys/fs/bpf/evil-sysctl-early",
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(pins) / sizeof(*pins); i++)
		if (!unlink(pins[i]))
			printf("naive-clean: unpinned %s\n", pins[i]);
	rmdir(NAIVE_DIR);
	rc = detach_sysctls("naive-clean", "evil_");
	return detach_sysctls("naive-clean", "naive_") ?: rc;
}

/* ---- programs that overrule an LSM verdict ---- */

/* Of the programs in @obj, only @p is loaded. */
void ext_only(struct bpf_object *obj, struct bpf_program *p)
{
	struct bpf_program *q;

	bpf_object__for_each_program(q, obj)
		bpf_program__set_autoload(q, q == p);
}

int pin_or_report(struct bpf_link *link, const char *cmd, const char *pin)
{
	int err;

	unlink(pin);
	if ((err = bpf_link__pin(link, pin)))
		return report_err(err, "%s: pinning the link at %s", cmd, pin);
	return OK;
}

/*
 * fmodret [PIN]: evil_fmodret. fakewrite [reads] [PIN]: evil_fakewrite,
 * faking reads too with "reads".
 */
static int cmd_fmodret(int argc, char **argv)
{
	bool fake = !strcmp(argv[1], "fakewrite");
	int reads = fake && argc > 2 && !strcmp(argv[2], "reads");
	const char *pin = argc > 2 + reads ? argv[2 + reads]
			  : fake	   ? "/sys/fs/bpf/evil-fakewrite"
					   : "/sys/fs/bpf/evil-fmodret";
	const char *sec = fake ? "fmod_ret/security_file_permission"
			       : "fmod_ret/security_locked_down";
	struct attack_fmodret *f = attack_fmodret__open();
	struct bpf_program *p;
	struct bpf_link *link;
	int err;

	if (!f)
		return report_err(errno, "%s: open", argv[1]);
	p = fake ? f->progs.evil_fakewrite : f->progs.evil_fmodret;
	ext_only(f->obj, p);
	f->rodata->fake_reads = reads;
	if ((err = attack_fmodret__load(f)))
		return report_err(err, "%s: loading %s", argv[1], sec);
	link = bpf_program__attach(p);
	if (!link)
		return report_err(errno, "%s: attaching %s", argv[1], sec);
	if (pin_or_report(link, argv[1], pin))
		return OTHER;
	printf("%s: %s attached, pinned at %s\n", argv[1], sec, pin);
	return OK;
}

static int cmd_lsm_positive(int argc, char **argv)
{
	const char *pin = argc > 2 ? argv[2] : "/sys/fs/bpf/evil-lsm";
	struct attack_lsmpos *l = attack_lsmpos__open();
	struct bpf_link *link;
	int err;

	if (!l)
		return report_err(errno, "lsm-positive: open");
	if ((err = attack_lsmpos__load(l))) {
		int v = verdict_errno(err);

		printf("lsm-positive: loading lsm/locked_down returning 1: %s (%s)%s%s\n",
		       v == REFUSED ? "refused" : "failed", strerror(-err),
		       *verifier_says() ? "; verifier: " : "", verifier_says());
		return v;
	}
	link = bpf_program__attach(l->progs.evil_lsm);
	if (!link)
		return report_err(errno,
				  "lsm-positive: attaching lsm/locked_down");
	if (pin_or_report(link, "lsm-positive", pin))
		return OTHER;
	printf("lsm-positive: lsm/locked_down returning 1 for BPF_READ_KERNEL attached, pinned at %s\n",
	       pin);
	return OK;
}

/* Target program of a pinned link: pin -> link info -> prog id -> fd. */
int prog_of_link_pin(const char *cmd, const char *pin, int *prog_fd)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	int lfd = bpf_obj_get(pin);

	if (lfd < 0)
		return report_err(errno, "%s: BPF_OBJ_GET %s", cmd, pin);
	if (bpf_obj_get_info_by_fd(lfd, &info, &len))
		return report_err(errno, "%s: link info of %s", cmd, pin);
	close(lfd);
	*prog_fd = bpf_prog_get_fd_by_id(info.prog_id);
	if (*prog_fd < 0)
		return report_err(
			errno,
			"%s: BPF_PROG_GET_FD_BY_ID %u (the program of %s)", cmd,
			info.prog_id, pin);
	return OK;
}

static int try_freplace(int target, const char *func, int ctx_variant,
			const char *pin, int *err_out)
{
	struct attack_ext *e = attack_ext__open();
	struct bpf_program *p;
	struct bpf_link *link;
	int err;

	if (!e)
		return *err_out = -errno, -1;
	p = ctx_variant ? e->progs.evil_ext_ctx : e->progs.evil_ext;
	ext_only(e->obj, p);
	if ((err = bpf_program__set_attach_target(p, target, func)) ||
	    (err = attack_ext__load(e))) {
		*err_out = err;
		return -1;
	}
	link = bpf_program__attach_freplace(p, target, func);
	if (!link) {
		*err_out = -errno;
		return -2;
	}
	return pin_or_report(link, "freplace", pin) ? -3 : 0;
}

static int cmd_freplace(int argc, char **argv)
{
	const char *pin = argc > 4 ? argv[4] : "/sys/fs/bpf/evil-freplace";
	int target = -1, err = 0, r;

	if (argc < 4) {
		fprintf(stderr,
			"usage: ratchet-attack freplace TARGET_LINK_PIN FUNC [PIN]\n");
		return OTHER;
	}
	if ((r = prog_of_link_pin("freplace", argv[2], &target)))
		return r;
	r = try_freplace(target, argv[3], 0, pin, &err);
	/* EPERM is the lock speaking; anything else may be the signature. */
	if (r == -1 && verdict_errno(err) != REFUSED) {
		vlog_len = 0, vlog[0] = 0;
		r = try_freplace(target, argv[3], 1, pin, &err);
	}
	if (r == -1)
		return report_err(
			err, "freplace: loading an EXT program for %s%s%s%s",
			argv[3], *verifier_says() ? " (verifier: " : "",
			*verifier_says() ? verifier_says() : "",
			*verifier_says() ? ")" : "");
	if (r == -2)
		return report_err(err,
				  "freplace: attaching the EXT program to %s",
				  argv[3]);
	if (r == -3)
		return OTHER;
	printf("freplace: %s replaced by a function returning 0, link pinned at %s\n",
	       argv[3], pin);
	return OK;
}

/* ---- maps ---- */

/* A map by pin path or "id:N"; @flags BPF_F_RDONLY or 0. */
static int map_fd(const char *cmd, const char *what, __u32 flags)
{
	int fd;

	if (!strncmp(what, "id:", 3)) {
		LIBBPF_OPTS(bpf_get_fd_by_id_opts, o, .open_flags = flags);

		fd = bpf_map_get_fd_by_id_opts(strtoul(what + 3, NULL, 0), &o);
		if (fd < 0)
			return report_err(errno, "%s: BPF_MAP_GET_FD_BY_ID %s",
					  cmd, what + 3),
			       -1;
	} else {
		LIBBPF_OPTS(bpf_obj_get_opts, o, .file_flags = flags);

		fd = bpf_obj_get_opts(what, &o);
		if (fd < 0)
			return report_err(errno, "%s: BPF_OBJ_GET %s", cmd,
					  what),
			       -1;
	}
	return fd;
}

static int map_info(int fd, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(fd, info, &len) ? -errno : 0;
}

static int zero_elem0(const char *cmd, int fd, const char *what)
{
	struct bpf_map_info info;
	__u32 zero = 0;
	void *v;
	int err;

	if ((err = map_info(fd, &info)))
		return report_err(err, "%s: map info of %s", cmd, what);
	v = calloc(1, info.value_size);
	if (bpf_map_update_elem(fd, &zero, v, BPF_ANY))
		return report_err(
			errno,
			"%s: BPF_MAP_UPDATE_ELEM zeros over %s[0] (map %s, id %u)",
			cmd, what, info.name, info.id);
	printf("%s: wrote %u zero bytes over %s[0] (map %s, id %u)\n", cmd,
	       info.value_size, what, info.name, info.id);
	return OK;
}

static int cmd_map_zero(int argc, char **argv)
{
	int fd;

	if (argc < 3)
		return fprintf(stderr,
			       "usage: ratchet-attack map-zero MAP_PIN|id:N\n"),
		       OTHER;
	if ((fd = map_fd("map-zero", argv[2], 0)) < 0)
		return verdict_errno(errno);
	return zero_elem0("map-zero", fd, argv[2]);
}

/*
 * Every array map of every ratchet_* program, .rodata included: REFUSED if
 * each one either refuses an fd or refuses the write.
 */
static int ratchet_prog_ids(__u32 *ids, int max);

static int cmd_map_zero_ratchet(void)
{
	__u32 progs[64], seen[256];
	int np = ratchet_prog_ids(progs, 64), ns = 0, i, j, rc = REFUSED,
	    any = 0;

	for (i = 0; i < np; i++) {
		__u32 maps[16] = {}, nm = 16;
		struct bpf_prog_info info = {
			.nr_map_ids = nm, .map_ids = (__u64)(unsigned long)maps
		};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(progs[i]);

		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		close(fd);
		for (j = 0; j < (int)info.nr_map_ids && j < 16; j++) {
			struct bpf_map_info mi;
			char what[32];
			int k, mfd;

			for (k = 0; k < ns && seen[k] != maps[j]; k++)
				;
			if (k < ns || ns == 256)
				continue;
			seen[ns++] = maps[j];
			snprintf(what, sizeof(what), "id:%u", maps[j]);
			/*
			 * A map a live ratchet program uses cannot be gone:
			 * ENOENT is the bpf_map hook hiding it.
			 */
			if ((mfd = map_fd("map-zero-ratchet", what, 0)) < 0) {
				any |= errno == ENOENT ||
				       verdict_errno(errno) == REFUSED;
				continue;
			}
			if (map_info(mfd, &mi) ||
			    mi.type != BPF_MAP_TYPE_ARRAY) {
				close(mfd);
				continue;
			}
			any = 1;
			if (zero_elem0("map-zero-ratchet", mfd, mi.name) == OK)
				rc = OK;
			close(mfd);
		}
	}
	if (!any)
		printf("map-zero-ratchet: no array map of a ratchet program reachable\n");
	return any ? rc : OTHER;
}

/* Zeros from a BPF program: freezing only stops the syscall side. */
static int cmd_map_zero_bpf(int argc, char **argv)
{
	int rdonly = argc > 3 && !strcmp(argv[3], "rdonly");
	const char *what = argc > 2 ? argv[2] : "";
	struct attack_mapzero *z;
	struct bpf_map_info info;
	int fd, err;

	LIBBPF_OPTS(bpf_test_run_opts, run);
	if (!*what)
		return fprintf(stderr,
			       "usage: ratchet-attack map-zero-bpf MAP_PIN|id:N [rdonly]\n"),
		       OTHER;
	if ((fd = map_fd("map-zero-bpf", what, rdonly ? BPF_F_RDONLY : 0)) < 0)
		return verdict_errno(errno);
	if ((err = map_info(fd, &info)))
		return report_err(err, "map-zero-bpf: map info of %s", what);
	z = attack_mapzero__open();
	if (!z)
		return report_err(errno, "map-zero-bpf: open");
	z->rodata->words =
		info.value_size / 4 > 1024 ? 1024 : info.value_size / 4;
	if ((err = bpf_map__reuse_fd(z->maps.victim, fd)))
		return report_err(err, "map-zero-bpf: reusing the fd of %s",
				  what);
	if ((err = attack_mapzero__load(z)))
		return report_err(
			err,
			"map-zero-bpf: loading a syscall program writing %s%s%s)",
			what, *verifier_says() ? " (verifier: " : " (",
			verifier_says());
	if (bpf_prog_test_run_opts(bpf_program__fd(z->progs.zero_victim), &run))
		return report_err(errno,
				  "map-zero-bpf: running the syscall program");
	if (run.retval)
		return printf("map-zero-bpf: the program returned %d\n",
			      (int)run.retval),
		       OTHER;
	printf("map-zero-bpf: a BPF program wrote %u zero bytes over %s[0] (map %s, id %u, %s fd)\n",
	       z->rodata->words * 4, what, info.name, info.id,
	       rdonly ? "read-only" : "read-write");
	return OK;
}

/* ---- fds by id ---- */

static int is_ratchet_prog(int fd, __u32 *id)
{
	char name[BPF_OBJ_NAME_LEN];

	return !prog_name_of(fd, name, sizeof(name), id) &&
	       !strncmp(name, "ratchet_", 8);
}

static int ratchet_prog_ids(__u32 *ids, int max)
{
	__u32 id = 0;
	int n = 0, fd;

	while (n < max && !bpf_prog_get_next_id(id, &id)) {
		if ((fd = bpf_prog_get_fd_by_id(id)) < 0)
			continue;
		if (is_ratchet_prog(fd, NULL))
			ids[n++] = id;
		close(fd);
	}
	return n;
}

static __u32 sysctl_ids[64], sysctl_cnt;

static int is_cgroup_sysctl(__u32 id)
{
	__u32 i;

	for (i = 0; i < sysctl_cnt; i++)
		if (sysctl_ids[i] == id)
			return 1;
	return 0;
}

static int cmd_getfd_ids(void)
{
	__u32 id = 0, rprogs[64], flags, i;
	int nr = 0, got = 0, refused = 0, fd, cg;
	char name[BPF_OBJ_NAME_LEN];
	struct dirent *d;
	DIR *dir;

	/* What the attacker can learn without any fd: the root's sysctl list. */
	cg = open(CGROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	sysctl_cnt = 64;
	if (cg < 0 || bpf_prog_query(cg, BPF_CGROUP_SYSCTL, 0, &flags,
				     sysctl_ids, &sysctl_cnt))
		sysctl_cnt = 0;
	while (!bpf_prog_get_next_id(id, &id)) {
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0) {
			printf("getfd: prog id %u%s: BPF_PROG_GET_FD_BY_ID refused (%s)\n",
			       id,
			       is_cgroup_sysctl(id)
				       ? " (cgroup/sysctl at the root)"
				       : "",
			       strerror(errno));
			refused++;
			continue;
		}
		if (is_ratchet_prog(fd, NULL)) {
			prog_name_of(fd, name, sizeof(name), NULL);
			printf("getfd: prog %s id %u: BPF_PROG_GET_FD_BY_ID ok\n",
			       name, id);
			if (nr < 64)
				rprogs[nr++] = id;
			got++;
		}
		close(fd);
	}
	id = 0;
	while (!bpf_map_get_next_id(id, &id)) {
		struct bpf_map_info mi;
		int mine = 0;

		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0) {
			printf("getfd: map id %u: BPF_MAP_GET_FD_BY_ID refused (%s)\n",
			       id, strerror(errno));
			refused++;
			continue;
		}
		map_info(fd, &mi);
		/* A ratchet map is one a ratchet program uses. */
		for (i = 0; i < (__u32)nr && !mine; i++) {
			__u32 maps[16] = {};
			struct bpf_prog_info pi = {
				.nr_map_ids = 16,
				.map_ids = (__u64)(unsigned long)maps
			};
			__u32 len = sizeof(pi), j;
			int pfd = bpf_prog_get_fd_by_id(rprogs[i]);

			if (pfd < 0)
				continue;
			if (!bpf_obj_get_info_by_fd(pfd, &pi, &len))
				for (j = 0; j < pi.nr_map_ids && j < 16; j++)
					mine |= maps[j] == id;
			close(pfd);
		}
		if (mine) {
			printf("getfd: map %s id %u: BPF_MAP_GET_FD_BY_ID ok (read-write)\n",
			       mi.name, id);
			got++;
		}
		close(fd);
	}
	id = 0;
	while (!bpf_link_get_next_id(id, &id)) {
		struct bpf_link_info li = {};
		__u32 len = sizeof(li);
		int mine = 0;

		fd = bpf_link_get_fd_by_id(id);
		if (fd < 0) {
			printf("getfd: link id %u: BPF_LINK_GET_FD_BY_ID refused (%s)\n",
			       id, strerror(errno));
			refused++;
			continue;
		}
		if (!bpf_obj_get_info_by_fd(fd, &li, &len))
			for (i = 0; i < (__u32)nr; i++)
				mine |= rprogs[i] == li.prog_id;
		if (mine) {
			printf("getfd: link id %u (of prog id %u): BPF_LINK_GET_FD_BY_ID ok\n",
			       id, li.prog_id);
			got++;
		}
		close(fd);
	}
	/* BPF_OBJ_GET of every pin, read-write. */
	if ((dir = opendir("/run/ratchet/bpf"))) {
		while ((d = readdir(dir))) {
			char p[300];

			if (d->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "/run/ratchet/bpf/%s",
				 d->d_name);
			fd = bpf_obj_get(p);
			if (fd < 0) {
				printf("getfd: BPF_OBJ_GET %s refused (%s)\n",
				       p, strerror(errno));
				refused++;
			} else {
				printf("getfd: BPF_OBJ_GET %s ok (read-write)\n",
				       p);
				got++;
				close(fd);
			}
		}
		closedir(dir);
	}
	printf("getfd: %d fds to ratchet objects obtained, %d refused\n", got,
	       refused);
	return got ? OK : refused ? REFUSED : OTHER;
}

static int cmd_detach_sysctl(void)
{
	return detach_sysctls("detach-sysctl", "");
}

static int cmd_link_detach(int argc, char **argv)
{
	int fd;

	if (argc < 3)
		return fprintf(stderr,
			       "usage: ratchet-attack link-detach PIN\n"),
		       OTHER;
	if ((fd = bpf_obj_get(argv[2])) < 0)
		return report_err(errno, "link-detach: BPF_OBJ_GET %s",
				  argv[2]);
	if (bpf_link_detach(fd))
		return report_err(errno, "link-detach: BPF_LINK_DETACH %s",
				  argv[2]);
	printf("link-detach: BPF_LINK_DETACH %s succeeded\n", argv[2]);
	return OK;
}

/* ---- files, processes ---- */

static int cmd_rename(int argc, char **argv)
{
	int exchange = argc > 4 && !strcmp(argv[4], "exchange");

	if (argc < 4)
		return fprintf(stderr,
			       "usage: ratchet-attack rename FROM TO [exchange]\n"),
		       OTHER;
	if (syscall(SYS_renameat2, AT_FDCWD, argv[2], AT_FDCWD, argv[3],
		    exchange ? RENAME_EXCHANGE : 0))
		return report_err(errno, "rename: renameat2(%s, %s%s)", argv[2],
				  argv[3], exchange ? ", RENAME_EXCHANGE" : "");
	printf("rename: %s %s %s\n", argv[2],
	       exchange ? "exchanged with" : "renamed over", argv[3]);
	return OK;
}

static int cmd_pidfd_zero(int argc, char **argv)
{
	int pidfd, fd;

	if (argc < 4)
		return fprintf(stderr,
			       "usage: ratchet-attack pidfd-zero PID FD\n"),
		       OTHER;
	pidfd = syscall(SYS_pidfd_open, atoi(argv[2]), 0);
	if (pidfd < 0)
		return report_err(errno, "pidfd-zero: pidfd_open %s", argv[2]);
	fd = syscall(SYS_pidfd_getfd, pidfd, atoi(argv[3]), 0);
	if (fd < 0)
		return report_err(errno, "pidfd-zero: pidfd_getfd(%s, %s)",
				  argv[2], argv[3]);
	printf("pidfd-zero: stole fd %s of pid %s as fd %d\n", argv[3], argv[2],
	       fd);
	return zero_elem0("pidfd-zero", fd, "the stolen map");
}

static int cmd_procmem_zero(int argc, char **argv)
{
	char p[64], z[64] = {};
	size_t len;
	off_t addr;
	int fd;

	if (argc < 5)
		return fprintf(stderr,
			       "usage: ratchet-attack procmem-zero PID ADDR LEN\n"),
		       OTHER;
	addr = strtoull(argv[3], NULL, 0);
	len = strtoul(argv[4], NULL, 0);
	len = len > sizeof(z) ? sizeof(z) : len;
	snprintf(p, sizeof(p), "/proc/%s/mem", argv[2]);
	if ((fd = open(p, O_RDWR | O_CLOEXEC)) < 0)
		return report_err(errno, "procmem-zero: open %s", p);
	if (pwrite(fd, z, len, addr) != (ssize_t)len)
		return report_err(errno, "procmem-zero: write at %s", argv[3]);
	printf("procmem-zero: wrote %zu zero bytes at %s through %s\n", len,
	       argv[3], p);
	return OK;
}

/* ---- mounts: the calls util-linux 2.38 does not make ---- */

#ifndef MOVE_MOUNT_BENEATH
#define MOVE_MOUNT_BENEATH 0x00000200 /* 6.5 */
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

/* mount_setattr(2): propagation only, no LSM hook on any kernel. */
static int cmd_setattr(int argc, char **argv)
{
	static const struct {
		const char *name;
		__u64 type;
	} types[] = {
		{ "shared", MS_SHARED },
		{ "slave", MS_SLAVE },
		{ "private", MS_PRIVATE },
		{ "unbindable", MS_UNBINDABLE },
	};
	struct mount_attr a = {};
	int rec = argc > 4 && !strcmp(argv[4], "rec");
	size_t i;

	for (i = 0; argc > 3 && i < sizeof(types) / sizeof(*types); i++)
		if (!strcmp(argv[3], types[i].name))
			a.propagation = types[i].type;
	if (!a.propagation)
		return fprintf(stderr,
			       "usage: ratchet-attack setattr PATH shared|slave|private|unbindable [rec]\n"),
		       OTHER;
	if (syscall(SYS_mount_setattr, AT_FDCWD, argv[2],
		    rec ? AT_RECURSIVE : 0, &a, sizeof(a)))
		return report_err(errno, "setattr: mount_setattr(%s, %s%s)",
				  argv[2], argv[3],
				  rec ? ", AT_RECURSIVE" : "");
	printf("setattr: %s%s made %s\n", argv[2],
	       rec ? " and every mount below it" : "", argv[3]);
	return OK;
}

/* move_mount(2), optionally MOVE_MOUNT_BENEATH or MOVE_MOUNT_SET_GROUP. */
static int cmd_move_mount(int argc, char **argv)
{
	const char *how = argc > 4 ? argv[4] : "";
	unsigned int flags = !strcmp(how, "beneath")	 ? MOVE_MOUNT_BENEATH
			     : !strcmp(how, "set-group") ? MOVE_MOUNT_SET_GROUP
							 : 0;

	if (argc < 4 || (*how && !flags))
		return fprintf(stderr,
			       "usage: ratchet-attack move-mount FROM TO [beneath|set-group]\n"),
		       OTHER;
	if (syscall(SYS_move_mount, AT_FDCWD, argv[2], AT_FDCWD, argv[3],
		    flags))
		return report_err(errno, "move-mount: move_mount(%s, %s%s%s)",
				  argv[2], argv[3], *how ? ", " : "", how);
	printf("move-mount: %s %s %s\n", argv[2], *how ? how : "moved to",
	       argv[3]);
	return OK;
}

/* open_tree(OPEN_TREE_CLONE), then attached at TO with move_mount(2). */
static int cmd_clone_tree(int argc, char **argv)
{
	int rec = argc > 4 && !strcmp(argv[4], "rec"), fd;

	if (argc < 4)
		return fprintf(stderr,
			       "usage: ratchet-attack clone-tree FROM TO [rec]\n"),
		       OTHER;
	fd = syscall(SYS_open_tree, AT_FDCWD, argv[2],
		     OPEN_TREE_CLONE | (rec ? AT_RECURSIVE : 0));
	if (fd < 0)
		return report_err(
			errno, "clone-tree: open_tree(%s, OPEN_TREE_CLONE%s)",
			argv[2], rec ? " | AT_RECURSIVE" : "");
	if (syscall(SYS_move_mount, fd, "", AT_FDCWD, argv[3],
		    MOVE_MOUNT_F_EMPTY_PATH))
		return report_err(errno,
				  "clone-tree: attaching the clone of %s at %s",
				  argv[2], argv[3]);
	printf("clone-tree: a clone of %s is mounted at %s\n", argv[2],
	       argv[3]);
	return OK;
}

/* ---- collateral that must keep working ---- */

static int cmd_observe(void)
{
	struct attack_observe *o = attack_observe__open();
	__u64 n[3] = {};
	__u32 i;
	int err, fd;

	if (!o)
		return report_err(errno, "observe: open");
	if ((err = attack_observe__load(o)))
		return report_err(
			err,
			"observe: loading kprobe, tracepoint and fentry programs");
	if ((err = attack_observe__attach(o)))
		return report_err(
			err,
			"observe: attaching kprobe, tracepoint and fentry programs");
	for (i = 0; i < 10; i++) {
		syscall(SYS_getpid);
		if ((fd = open("/proc/self/stat", O_RDONLY)) >= 0)
			close(fd);
	}
	for (i = 0; i < 3; i++)
		bpf_map_lookup_elem(bpf_map__fd(o->maps.hits), &i, &n[i]);
	printf("observe: kprobe %llu, tracepoint %llu, fentry %llu hits\n",
	       (unsigned long long)n[0], (unsigned long long)n[1],
	       (unsigned long long)n[2]);
	attack_observe__destroy(o);
	return n[0] && n[1] && n[2] ? OK : OTHER;
}

/* What systemd does for every unit with a device policy. */
static int cmd_cgroup_device(void)
{
	const struct bpf_insn allow[] = { MOV64_IMM(BPF_REG_0, 1), EXIT() };
	const char *dir = CGROOT "/ratchet-attack-dev";
	__u32 ids[8], cnt = 8, flags;
	int cg, prog, rc;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return report_err(errno, "cgroup-device: mkdir %s", dir);
	if ((cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return report_err(errno, "cgroup-device: open %s", dir);
	prog = load_raw(BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, allow,
			2);
	if (prog < 0)
		return report_err(
			errno, "cgroup-device: loading a cgroup/dev program");
	if (bpf_prog_attach(prog, cg, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI))
		return report_err(
			errno,
			"cgroup-device: attaching it with BPF_F_ALLOW_MULTI");
	if (bpf_prog_query(cg, BPF_CGROUP_DEVICE, 0, &flags, ids, &cnt) ||
	    cnt != 1)
		return report_err(errno ?: ENOENT,
				  "cgroup-device: querying it back");
	if (bpf_prog_detach2(prog, cg, BPF_CGROUP_DEVICE))
		return report_err(errno, "cgroup-device: detaching it");
	close(cg);
	close(prog);
	rc = rmdir(dir);
	if (rc)
		return report_err(errno, "cgroup-device: rmdir %s", dir);
	printf("cgroup-device: mkdir, load, attach (ALLOW_MULTI), query, detach, rmdir all worked\n");
	return OK;
}

static const char usage[] =
	"usage: ratchet-attack CMD ...  (in a test VM only)\n"
	"  naive-pin [nosysctl] | naive-hold | naive-clean\n"
	"  fmodret [PIN] | fakewrite [reads] [PIN] | lsm-positive [PIN]\n"
	"  freplace TARGET_LINK_PIN FUNC [PIN]\n"
	"  map-zero MAP_PIN|id:N | map-zero-ratchet | map-zero-bpf MAP_PIN|id:N [rdonly]\n"
	"  detach-sysctl | getfd-ids | link-detach PIN\n"
	"  rename FROM TO [exchange] | pidfd-zero PID FD | procmem-zero PID ADDR LEN\n"
	"  setattr PATH shared|slave|private|unbindable [rec]\n"
	"  move-mount FROM TO [beneath|set-group] | clone-tree FROM TO [rec]\n"
	"  observe | cgroup-device\n";

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(keep_log);
	if (!strcmp(c, "naive-pin"))
		return cmd_naive_pin(argc, argv);
	if (!strcmp(c, "naive-hold"))
		return cmd_naive_hold();
	if (!strcmp(c, "naive-clean"))
		return cmd_naive_clean();
	if (!strcmp(c, "fmodret") || !strcmp(c, "fakewrite"))
		return cmd_fmodret(argc, argv);
	if (!strcmp(c, "lsm-positive"))
		return cmd_lsm_positive(argc, argv);
	if (!strcmp(c, "freplace"))
		return cmd_freplace(argc, argv);
	if (!strcmp(c, "map-zero"))
		return cmd_map_zero(argc, argv);
	if (!strcmp(c, "map-zero-ratchet"))
		return cmd_map_zero_ratchet();
	if (!strcmp(c, "map-zero-bpf"))
		return cmd_map_zero_bpf(argc, argv);
	if (!strcmp(c, "detach-sysctl"))
		return cmd_detach_sysctl();
	if (!strcmp(c, "getfd-ids"))
		return cmd_getfd_ids();
	if (!strcmp(c, "link-detach"))
		return cmd_link_detach(argc, argv);
	if (!strcmp(c, "rename"))
		return cmd_rename(argc, argv);
	if (!strcmp(c, "pidfd-zero"))
		return cmd_pidfd_zero(argc, argv);
	if (!strcmp(c, "procmem-zero"))
		return cmd_procmem_zero(argc, argv);
	if (!strcmp(c, "setattr"))
		return cmd_setattr(argc, argv);
	if (!strcmp(c, "move-mount"))
		return cmd_move_mount(argc, argv);
	if (!strcmp(c, "clone-tree"))
		return cmd_clone_tree(argc, argv);
	if (!strcmp(c, "observe"))
		return cmd_observe();
	if (!strcmp(c, "cgroup-device"))
		return cmd_cgroup_device();
	if ((rc = progs_main(c, argc, argv)) >= 0)
		return rc;
	fputs(usage, stderr);
	fputs(progs_usage, stderr);
	fputs("exit: 0 done, 1 refused (EPERM/EACCES), 2 other error\n",
	      stderr);
	return OTHER;
}
