// SPDX-License-Identifier: GPL-2.0
/*
 * test_config.c - ratchet.conf(5): a good file, every way to get one wrong
 * (with its line and reason, and nothing left to apply), presets, the
 * file's owner and mode, and the kexec guard. Names resolve against a
 * synthetic 6.1 BTF, as in test_catalogue.c, so slots are known here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/btf.h>
#include "config.h"
#include "check.h"
#include "fake_btf.h"

/* 6.1.0: dev-mem 2, kexec 4, kcore 21, 1..19 integrity (fake_btf.h). */
#define DEV_MEM		  2
#define KEXEC		  4
#define MODULE_SIGNATURE  1
#define MODULE_PARAMETERS 13
#define KCORE		  21

static struct catalogue cat, nobtf;
static struct config cfg;
static const struct config empty_cfg;

static void load_catalogues(void)
{
	struct btf *btf = fake_btf(v61);

	catalogue_from_btf(&cat, btf);
	btf__free(btf);
	catalogue_from_btf(&nobtf, NULL);
}

static int parse(const char *text, struct config_error *err)
{
	return config_parse(text, strlen(text), &cat, &cfg, err);
}

static const char good[] =
	"# three stages, in boot order\n"
	"\n"
	"stage early\n"
	"\tlock integrity -kexec -module-signature -module-parameters  # boot needs these\n"
	"  permissive confidentiality\n"
	"sysctl kernel.kptr_restrict kernel.yama.ptrace_scope\n"
	"sysctl kernel/dmesg_restrict\n"
	"stage kexec-1\n"
	"set-sysctl kernel.kexec_load_disabled\n" /* before its lock: same stage is fine */
	"lock kexec kexec-image\n"
	"allow-loaded-kexec\n"
	"stage modules\n"
	"lock modules module-signature module-parameters\n"
	"set-sysctl kernel.modules_disabled"; /* no newline at the end */

static void test_good(void)
{
	struct config_error err;
	const struct config_stage *e = &cfg.stage[0], *k = &cfg.stage[1],
				  *m = &cfg.stage[2];
	int i, integ = 1, perm = 1;

	CHECK(parse(good, &err) == 0, "good config parses (%d: %s)", err.line,
	      err.msg);
	CHECK(cfg.n == 3 && !strcmp(e->name, "early") &&
		      !strcmp(k->name, "kexec-1") &&
		      !strcmp(m->name, "modules"),
	      "three stages, in file order");
	CHECK(e->line == 3 && k->line == 8 && m->line == 12,
	      "stages remember their lines");
	for (i = 1; i < 20; i++)
		integ &= ratchet_mask_test(&e->enforce, i) ==
			 (i != KEXEC && i != MODULE_SIGNATURE &&
			  i != MODULE_PARAMETERS);
	CHECK(integ,
	      "early: integrity minus kexec, module-signature, module-parameters");
	CHECK(!ratchet_mask_test(&e->enforce, KCORE),
	      "early: kcore is not enforced");
	for (i = 1; i < 29; i++)
		if (i != 20)
			perm &= ratchet_mask_test(&e->permissive, i) !=
				ratchet_mask_test(&e->enforce, i);
	CHECK(perm,
	      "early: permissive is confidentiality minus what the stage enforces");
	CHECK(ratchet_mask_test(&e->permissive, KEXEC),
	      "early: kexec only reported until its stage");
	CHECK(e->raise_only_sysctls ==
		      ((1ULL << RATCHET_SYSCTL_KPTR_RESTRICT) |
		       (1ULL << RATCHET_SYSCTL_PTRACE_SCOPE) |
		       (1ULL << RATCHET_SYSCTL_DMESG_RESTRICT)),
	      "early: three raise-only sysctls, dotted or slashed");
	CHECK(ratchet_mask_test(&e->enforce, RATCHET_SLOT_SYSCTL),
	      "early: the sysctl restriction is enforced");
	CHECK(!e->set_sysctl && !e->allow_loaded_kexec,
	      "early: no set-sysctl, no allow-loaded-kexec");
	CHECK(k->enforce.w[0] == 1ULL << KEXEC &&
		      k->enforce.w[1] ==
			      1ULL << (RATCHET_SLOT_KEXEC_IMAGE - 64),
	      "kexec-1: exactly kexec and kexec-image");
	CHECK(k->set_sysctl == CONFIG_SET_KEXEC_LOAD_DISABLED &&
		      k->allow_loaded_kexec,
	      "kexec-1: sets kexec_load_disabled, allows a loaded image");
	CHECK(!k->raise_only_sysctls && !k->permissive.w[0] &&
		      !k->permissive.w[1],
	      "kexec-1: nothing else");
	CHECK(ratchet_mask_test(&m->enforce, RATCHET_SLOT_MODULES) &&
		      ratchet_mask_test(&m->enforce, MODULE_SIGNATURE) &&
		      m->set_sysctl == CONFIG_SET_MODULES_DISABLED,
	      "modules: locks modules, sets modules_disabled");
	CHECK(config_find(&cfg, "kexec-1") == k && !config_find(&cfg, "kexec"),
	      "config_find by exact name");
}

static void test_presets(void)
{
	struct config_error err;
	int i, ok = 1;

	CHECK(parse("stage s\nlock confidentiality -integrity\n", &err) == 0,
	      "confidentiality -integrity parses");
	for (i = 1; i < 29; i++)
		ok &= ratchet_mask_test(&cfg.stage[0].enforce, i) == (i > 20);
	CHECK(ok, "confidentiality -integrity is kcore..xfrm-secret only");
	CHECK(parse("stage s\nlock integrity\npermissive confidentiality\n",
		    &err) == 0 &&
		      ratchet_mask_test(&cfg.stage[0].permissive, KCORE) &&
		      !ratchet_mask_test(&cfg.stage[0].permissive, DEV_MEM),
	      "enforce wins over permissive in one stage");
	CHECK(parse("stage s\nlock dev-mem -xen-user-actions\n", &err) == 0 &&
		      cfg.stage[0].enforce.w[0] == 1ULL << DEV_MEM,
	      "excluding a reason this kernel lacks excludes nothing");
	CHECK(parse("stage a\nlock kcore\nstage b\npermissive kcore\n", &err) ==
			      0 &&
		      ratchet_mask_test(&cfg.stage[1].permissive, KCORE),
	      "a later stage's permissive is kept (the kernel keeps enforcing)");
	CHECK(parse("stage a\nlock modules\nstage b\nset-sysctl kernel.modules_disabled\n",
		    &err) == 0 &&
		      cfg.stage[1].set_sysctl == CONFIG_SET_MODULES_DISABLED,
	      "set-sysctl in a later stage than its lock");
	CHECK(parse("stage a\nlock integrity\nset-sysctl kernel.kexec_load_disabled\n",
		    &err) == 0,
	      "the integrity preset holds kexec for set-sysctl");
}

struct bad {
	const char *text;
	int line;
	const char *msg;
	const char *what;
};

static const struct bad bads[] = {
	{ "stage a\nfrobnicate dev-mem\n", 2, "unknown directive 'frobnicate'",
	  "unknown key" },
	{ "stage a\nlock dev-mem no-such-thing\n", 2,
	  "unknown restriction 'no-such-thing'", "unknown restriction" },
	{ "stage a\nlock dev-mem -no-such-thing\n", 2,
	  "unknown restriction 'no-such-thing'", "unknown exclusion" },
	{ "stage a\nlock xen-user-actions\n", 2, "no 'xen-user-actions'",
	  "reason absent in this kernel" },
	{ "stage a\npermissive kcore\nlock sysctl\n", 3,
	  "'sysctl KNOB...' line", "lock sysctl" },
	{ "stage a\nlock sysctl:kernel.sysrq\n", 2, "'sysctl KNOB...' line",
	  "lock sysctl:KNOB" },
	{ "stage\n", 1, "expected 'stage NAME'", "stage without a name" },
	{ "stage a b\n", 1, "expected 'stage NAME'", "stage with two names" },
	{ "stage Early\n", 1, "is not 1 to 31 of [a-z0-9-]",
	  "stage name with a capital" },
	{ "stage a_b\n", 1, "is not 1 to 31", "stage name with an underscore" },
	{ "stage -a\n", 1, "not starting with '-'",
	  "stage name starting with '-'" },
	{ "stage abcdefghijklmnopqrstuvwxyz012345\n", 1, "is not 1 to 31",
	  "stage name too long" },
	{ "stage a\nlock\n", 2, "'lock' needs at least one restriction",
	  "lock without names" },
	{ "stage a\npermissive -kcore\n", 2, "'permissive' needs at least one",
	  "only exclusions" },
	{ "stage a\nlock kcore -kcore\n", 2, "leaves nothing to lock",
	  "exclusions leave nothing" },
	{ "stage a\nlock kcore\n\nstage b\nlock dev-mem\nstage a\n", 6,
	  "duplicate stage 'a' (first on line 1)", "duplicate stage" },
	{ "# comment\nlock kcore\n", 2, "'lock' outside a stage",
	  "directive outside a stage" },
	{ "sysctl kernel.sysrq\nstage a\n", 1, "'sysctl' outside a stage",
	  "sysctl outside a stage" },
	{ "", 0, "no stage defined", "empty file" },
	{ "# only\n\n   # comments\n", 0, "no stage defined", "only comments" },
	{ "stage a\nstage b\nlock kcore\n", 1, "stage 'a' locks nothing",
	  "empty stage" },
	{ "stage a\nlock kcore\nstage b\n# nothing\n", 3,
	  "stage 'b' locks nothing", "empty last stage" },
	{ "stage a\nallow-loaded-kexec\n", 1, "locks nothing",
	  "stage with only allow-loaded-kexec" },
	{ "stage a\nset-sysctl kernel.modules_disabled\nlock kcore\n", 2,
	  "needs 'lock modules' in this stage or an earlier one",
	  "modules_disabled without modules" },
	{ "stage a\npermissive modules\nset-sysctl kernel.modules_disabled\n",
	  3, "needs 'lock modules'", "permissive does not count" },
	{ "stage a\nlock kcore\nset-sysctl kernel.kexec_load_disabled\nstage b\nlock kexec\n",
	  3, "needs 'lock kexec' or 'lock kexec-image'",
	  "a later stage's lock does not count" },
	{ "stage a\nlock modules\nset-sysctl kernel.modules_disabled=1\n", 3,
	  "name only", "set-sysctl with a value" },
	{ "stage a\nlock modules\nset-sysctl kernel.sysrq\n", 3,
	  "not 'kernel.sysrq'", "set-sysctl of another sysctl" },
	{ "stage a\nlock modules\nset-sysctl\n", 3, "needs a sysctl name",
	  "set-sysctl without a name" },
	{ "stage a\nsysctl kernel.kptr_restrict kernel.nope\n", 2,
	  "'kernel.nope' is not a raise-only sysctl; valid: kernel.kptr_restrict",
	  "unknown sysctl knob" },
	{ "stage a\nsysctl\n", 2, "needs at least one knob",
	  "sysctl without knobs" },
	{ "stage a\nlock kexec\nallow-loaded-kexec yes\n", 3,
	  "takes no arguments", "allow-loaded-kexec with an argument" },
	{ "stage a\nlock kcore\nallow-loaded-kexec\n", 3,
	  "locks neither kexec nor kexec-image",
	  "allow-loaded-kexec without kexec" },
	{ "stage a\r\nlock kcore\r\n", 1, "0x0d in column 8 (DOS line ending?)",
	  "CR line ending" },
	{ "stage a\nlock k\x01"
	  "core\n",
	  2, "invalid byte 0x01 in column 7", "control character" },
	{ "stage a\nlock kcore \xc3\xa9\n", 2, "invalid byte 0xc3",
	  "non-ASCII outside a comment" },
};

static void test_bad(void)
{
	struct config_error err;
	size_t i;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		int ret = parse(bads[i].text, &err);

		CHECK(ret == -EINVAL && err.line == bads[i].line &&
			      strstr(err.msg, bads[i].msg) &&
			      !memcmp(&cfg, &empty_cfg, sizeof(cfg)),
		      "bad config refused: %s (line %d: %s)", bads[i].what,
		      err.line, err.msg);
	}
}

static void test_bad_special(void)
{
	static const char nul[] = "stage a\nlock kcore\0x\n";
	static const char comment[] = "stage a\nlock kcore # \xff\x01\0\n";
	static char big[4096];
	struct config_error err;
	size_t n;
	int i;

	n = (size_t)snprintf(big, sizeof(big), "stage a\nlock");
	while (n < 8 + 1 + CONFIG_LINE_MAX)
		n += (size_t)snprintf(big + n, sizeof(big) - n, " kcore");
	CHECK(parse(big, &err) == -EINVAL && err.line == 2 &&
		      strstr(err.msg, "longer than 1024") && !cfg.n,
	      "over-long line refused (line %d: %s)", err.line, err.msg);
	big[8 + 4 + 6] = '\0'; /* "lock kcore" is fine again */
	CHECK(parse(big, &err) == 0, "the same line, short, parses");

	CHECK(config_parse(nul, sizeof(nul) - 1, &cat, &cfg, &err) == -EINVAL &&
		      err.line == 2 && strstr(err.msg, "invalid byte 0x00") &&
		      !cfg.n,
	      "NUL byte refused (line %d: %s)", err.line, err.msg);
	CHECK(config_parse(comment, sizeof(comment) - 1, &cat, &cfg, &err) == 0,
	      "any byte is fine inside a comment");

	for (n = 0, i = 0; i <= CONFIG_STAGES_MAX; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n,
				      "stage s%d\nlock kcore\n", i);
	CHECK(parse(big, &err) == -EINVAL &&
		      err.line == 2 * CONFIG_STAGES_MAX + 1 &&
		      strstr(err.msg, "more than 16 stages") && !cfg.n,
	      "seventeenth stage refused (line %d: %s)", err.line, err.msg);

	CHECK(config_parse(good, strlen(good), &nobtf, &cfg, &err) == -EINVAL &&
		      err.line == 4 && strstr(err.msg, "has no 'integrity'") &&
		      !cfg.n,
	      "no BTF: the first lock is refused (line %d: %s)", err.line,
	      err.msg);
	CHECK(config_parse("stage a\nsysctl kernel.sysrq\n", 28, &nobtf, &cfg,
			   &err) == -EINVAL &&
		      strstr(err.msg, "cannot make sysctls raise-only"),
	      "no BTF: raise-only sysctls refused (%s)", err.msg);
}

static void test_example(void)
{
	static char text[CONFIG_FILE_MAX];
	struct config_error err;
	FILE *f = fopen("dist/ratchet.conf.example", "r");
	size_t n = f ? fread(text, 1, sizeof(text), f) : 0;

	if (f)
		fclose(f);
	CHECK(n > 0 && config_parse(text, n, &cat, &cfg, &err) == 0 &&
		      cfg.n == 3 && config_find(&cfg, "early") &&
		      config_find(&cfg, "kexec") &&
		      config_find(&cfg, "modules"),
	      "dist/ratchet.conf.example is valid: early, kexec, modules (%d: %s)",
	      err.line, err.msg);
}

static char dir[] = "/tmp/ratchet-test-config.XXXXXX";

static const char *tmpfile_with(const char *name, const char *text, mode_t mode)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		perror(path);
	if (fd >= 0)
		close(fd);
	chmod(path, mode);
	return path;
}

static int load(const char *path, struct config_error *err)
{
	return config_load(path, &cat, &cfg, err);
}

static void test_files_any_user(void)
{
	struct config_error err;
	const char *p;
	char path[300];

	snprintf(path, sizeof(path), "%s/missing", dir);
	CHECK(load(path, &err) == -ENOENT && err.line == 0 &&
		      strstr(err.msg, "cannot open"),
	      "missing file: line 0");
	CHECK(load(dir, &err) == -EINVAL && err.line == 0 &&
		      strstr(err.msg, "not a regular file"),
	      "directory refused: %s", err.msg);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	CHECK(mkfifo(path, 0600) == 0 && load(path, &err) == -EINVAL &&
		      strstr(err.msg, "not a regular file"),
	      "FIFO refused without blocking: %s", err.msg);
	p = tmpfile_with("g", good, 0664);
	CHECK(load(p, &err) == -EACCES && err.line == 0 &&
		      strstr(err.msg,
			     "writable by group or others (mode 0664)") &&
		      !cfg.n,
	      "group-writable file refused: %s", err.msg);
	p = tmpfile_with("o", good, 0602);
	CHECK(load(p, &err) == -EACCES && strstr(err.msg, "mode 0602") &&
		      !cfg.n,
	      "world-writable file refused: %s", err.msg);
}

static void test_files_root(void)
{
	static char big[CONFIG_FILE_MAX + 2];
	struct config_error err;
	const char *p;
	char link[300];

	if (geteuid()) {
		printf("SKIP config files owned by root: not running as root\n");
		return;
	}
	p = tmpfile_with("ok", good, 0644);
	CHECK(load(p, &err) == 0 && cfg.n == 3,
	      "root's 0644 file loads (%d: %s)", err.line, err.msg);
	p = tmpfile_with("ro", good, 0400);
	CHECK(load(p, &err) == 0 && cfg.n == 3, "root's 0400 file loads");
	snprintf(link, sizeof(link), "%s/link", dir);
	CHECK(symlink("ok", link) == 0 && load(link, &err) == 0,
	      "a symlink to a good file loads");
	p = tmpfile_with("bad", "stage a\nlock kcore\nlock nope\n", 0644);
	CHECK(load(p, &err) == -EINVAL && err.line == 3 &&
		      strstr(err.msg, "'nope'") && !cfg.n,
	      "load reports the parser's line: %d", err.line);
	p = tmpfile_with("nobody", good, 0644);
	CHECK(chown(p, 65534, 0) == 0 && load(p, &err) == -EACCES &&
		      err.line == 0 &&
		      strstr(err.msg, "owned by uid 65534, not root") && !cfg.n,
	      "file not owned by root refused: %s", err.msg);
	p = tmpfile_with("group", good, 0644);
	CHECK(chown(p, 0, 65534) == 0 && load(p, &err) == 0,
	      "root's file with another group, not writable, loads");
	memset(big, '#', sizeof(big) - 1);
	p = tmpfile_with("big", big, 0644);
	CHECK(load(p, &err) == -EFBIG && err.line == 0 &&
		      strstr(err.msg, "larger than 65536"),
	      "file over 64 KiB refused: %s", err.msg);
}

static void rm_dir(void)
{
	static const char *const names[] = { "g",    "o",   "ok",     "ro",
					     "link", "bad", "nobody", "group",
					     "big",  "fifo" };
	char path[300];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void test_kexec_guard(void)
{
	struct ratchet_mask kexec = { { 1ULL << KEXEC } }, image = { { 0 } },
			    other = { { 1ULL << DEV_MEM } };
	const char *why;

	ratchet_mask_set(&image, RATCHET_SLOT_KEXEC_IMAGE);
	CHECK(kexec_guard_loaded(&kexec, &cat, false, 1, &why) == -EBUSY &&
		      why && strstr(why, "kexec -u") &&
		      strstr(why, "no LSM hook"),
	      "kexec with a reboot image loaded is refused, with the why");
	CHECK(kexec_guard_loaded(&image, &cat, false, 1, &why) == -EBUSY,
	      "kexec-image likewise");
	CHECK(kexec_guard_loaded(&kexec, &cat, true, 1, &why) == 0 && !why,
	      "allow-loaded-kexec lets it through");
	CHECK(kexec_guard_loaded(&kexec, &cat, false, 0, &why) == 0,
	      "no reboot image: fine (a crash image is not asked)");
	CHECK(kexec_guard_loaded(&kexec, &cat, false, -1, &why) == 0,
	      "no /sys/kernel/kexec_loaded: fine");
	CHECK(kexec_guard_loaded(&kexec, &cat, false, -2, &why) == -EBUSY &&
		      why && strstr(why, "unknown"),
	      "kexec_loaded unreadable from a fresh sysfs: refused, unknown");
	CHECK(kexec_guard_loaded(&other, &cat, false, 1, &why) == 0,
	      "locking something else: fine");
	CHECK(kexec_guard_loaded(&kexec, &nobtf, false, 1, &why) == 0,
	      "a slot the kernel lacks is not kexec");
	CHECK(config_set_sysctl_ready(CONFIG_SET_KEXEC_LOAD_DISABLED, &image,
				      &cat) &&
		      !config_set_sysctl_ready(CONFIG_SET_MODULES_DISABLED,
					       &image, &cat),
	      "set-sysctl readiness follows the locked mask");
}

int main(void)
{
	load_catalogues();
	test_good();
	test_presets();
	test_bad();
	test_bad_special();
	test_example();
	test_kexec_guard();
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_files_any_user();
	test_files_root();
	rm_dir();
	return check_failed ? 1 : 0;
}
