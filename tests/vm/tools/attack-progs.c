// SPDX-License-Identifier: GPL-2.0
/*
 * attack-progs.c - the ratchet-attack commands that load programs to run
 * beside a lock's: a second cgroup/sysctl program by every attach API,
 * lsm_cgroup, freplace re-targeted from a decoy, what security agents
 * load, and kinds ratchet has not reasoned about. In a test VM only.
 * Exit codes as attack.c: 0 done, 1 refused (EPERM/EACCES), 2 other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "attack.h"
#include "attack-sysctlrw.skel.h"
#include "attack-lsmcg.skel.h"
#include "attack-agent.skel.h"
#include "attack-decoy.skel.h"
#include "attack-ext.skel.h"

#define EVIL_SYSCTL "/sys/fs/bpf/evil-sysctl"

/*
 * uapi of cgroup program ordering (Debian's 6.12 and 7.2 have it, 6.1 not:
 * struct cgroup_bpf.revisions in their BTF); Debian 12's headers lack it.
 */
#define F_BEFORE (1U << 3)
#define F_AFTER	 (1U << 4)
#define F_ID	 (1U << 5)

/* BPF_PROG_ATTACH's attr with the ordering fields. */
struct attach_attr {
	__u32 target_fd, attach_bpf_fd, attach_type, attach_flags;
	__u32 replace_bpf_fd, relative_id;
	__u64 expected_revision;
};

static int cgroot(const char *cmd)
{
	int cg = open(CGROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (cg < 0)
		report_err(errno, "%s: open %s", cmd, CGROOT);
	return cg;
}

/* The id of the last cgroup/sysctl program a write meets at the root. */
static int last_sysctl(int cg, __u32 *id)
{
	__u32 ids[64], cnt = 64, flags = 0;

	if (bpf_prog_query(cg, BPF_CGROUP_SYSCTL, BPF_F_QUERY_EFFECTIVE, &flags,
			   ids, &cnt))
		return -errno;
	if (!cnt)
		return -ENOENT;
	*id = ids[cnt - 1];
	return 0;
}

/* An fd to the root's cgroup/sysctl program whose name starts so. */
static int sysctl_named(int cg, const char *prefix)
{
	__u32 ids[64], cnt = 64, flags = 0, i;
	char name[BPF_OBJ_NAME_LEN];
	int fd;

	if (bpf_prog_query(cg, BPF_CGROUP_SYSCTL, 0, &flags, ids, &cnt))
		return -errno;
	for (i = 0; i < cnt; i++) {
		if ((fd = bpf_prog_get_fd_by_id(ids[i])) < 0)
			continue;
		if (!prog_name_of(fd, name, sizeof(name), NULL) &&
		    !strncmp(name, prefix, strlen(prefix)))
			return fd;
		close(fd);
	}
	return -ENOENT;
}

/* BPF_PROG_ATTACH, raw: the ordering fields libbpf 1.1 cannot set. */
static int attach_raw(int prog, int cg, __u32 flags, __u32 replace,
		      __u32 relative)
{
	struct attach_attr a = {
		.target_fd = cg,
		.attach_bpf_fd = prog,
		.attach_type = BPF_CGROUP_SYSCTL,
		.attach_flags = BPF_F_ALLOW_MULTI | flags,
		.replace_bpf_fd = replace,
		.relative_id = relative,
	};
	/* Older kernels refuse a longer attr with non-zero tail (E2BIG). */
	size_t len = relative ? sizeof(a)
			      : offsetof(struct attach_attr, relative_id);

	return syscall(__NR_bpf, BPF_PROG_ATTACH, &a, len) ? -errno : 0;
}

/* Attach evil_sysctl at the root @how; the naming in the usage below. */
static int rewrite_by(const char *how, const char *arg, int prog, int cg)
{
	__u32 id;
	int fd, err;

	if (!strcmp(how, "attach"))
		return attach_raw(prog, cg, 0, 0, 0);
	if (!strcmp(how, "after")) {
		if ((err = last_sysctl(cg, &id)))
			return err;
		return attach_raw(prog, cg, F_AFTER | F_ID, 0, id);
	}
	if (!strcmp(how, "replace")) {
		if ((fd = sysctl_named(cg, arg)) < 0)
			return fd;
		err = attach_raw(prog, cg, BPF_F_REPLACE, fd, 0);
		close(fd);
		return err;
	}
	if (!strcmp(how, "link-update")) {
		if ((fd = bpf_obj_get(arg)) < 0)
			return -errno;
		err = bpf_link_update(fd, prog, NULL) ? -errno : 0;
		close(fd);
		return err;
	}
	/* "link": BPF_LINK_CREATE, pinned at @arg */
	if ((fd = bpf_link_create(prog, cg, BPF_CGROUP_SYSCTL, NULL)) < 0)
		return -errno;
	unlink(arg);
	err = bpf_obj_pin(fd, arg) ? -errno : 0;
	close(fd);
	return err;
}

static const char *const rewrite_hows[] = { "attach", "link", "after",
					    "replace", "link-update" };

/*
 * evil_sysctl (@rewrite) or evil_allow, loaded, and the cgroup root opened
 * in *@cg; the program's fd, or -1 with the reported verdict in *@rc.
 */
static int sysctl_prog(const char *cmd, bool rewrite, int *cg, int *rc)
{
	struct attack_sysctlrw *r = attack_sysctlrw__open();
	struct bpf_program *p;
	int err;

	*rc = OTHER;
	if (!r)
		return *rc = report_err(errno, "%s: open", cmd), -1;
	p = rewrite ? r->progs.evil_sysctl : r->progs.evil_allow;
	ext_only(r->obj, p);
	if ((err = attack_sysctlrw__load(r)))
		return *rc = report_err(err, "%s: loading %s", cmd,
					bpf_program__name(p)),
		       -1;
	if ((*cg = cgroot(cmd)) < 0)
		return -1;
	return bpf_program__fd(p);
}

static int cmd_sysctl_rewrite(int argc, char **argv)
{
	const char *how = argc > 2 ? argv[2] : "";
	const char *arg = argc > 3 ? argv[3] : EVIL_SYSCTL;
	size_t i;
	int cg, prog, err, rc;

	for (i = 0; i < sizeof(rewrite_hows) / sizeof(*rewrite_hows); i++)
		if (!strcmp(how, rewrite_hows[i]))
			break;
	if (i == sizeof(rewrite_hows) / sizeof(*rewrite_hows))
		return fprintf(stderr, "usage: %s", progs_usage), OTHER;
	if ((prog = sysctl_prog("sysctl-rewrite", true, &cg, &rc)) < 0)
		return rc;
	err = rewrite_by(how, arg, prog, cg);
	if (err)
		return report_err(err, "sysctl-rewrite: %s of evil_sysctl (%s)",
				  how, arg);
	printf("sysctl-rewrite: evil_sysctl attached by %s: it turns every write to kernel.ftrace_enabled into 0\n",
	       how);
	return OK;
}

/* A harmless cgroup/sysctl link at the root, pinned: made before a lock. */
static int cmd_sysctl_link_pin(int argc, char **argv)
{
	const char *pin = argc > 2 ? argv[2] : EVIL_SYSCTL "-early";
	int cg, fd, prog, rc;

	if ((prog = sysctl_prog("sysctl-link-pin", false, &cg, &rc)) < 0)
		return rc;
	fd = bpf_link_create(prog, cg, BPF_CGROUP_SYSCTL, NULL);
	if (fd < 0)
		return report_err(errno, "sysctl-link-pin: BPF_LINK_CREATE");
	unlink(pin);
	if (bpf_obj_pin(fd, pin))
		return report_err(errno, "sysctl-link-pin: pinning at %s", pin);
	printf("sysctl-link-pin: evil_allow linked at %s, pinned at %s\n",
	       CGROOT, pin);
	return OK;
}

static int cmd_sysctl_clean(void)
{
	unlink(EVIL_SYSCTL);
	unlink(EVIL_SYSCTL "-early");
	return detach_sysctls("sysctl-clean", "evil_");
}

static int cmd_lsm_cgroup(int argc, char **argv)
{
	const char *how = argc > 2 ? argv[2] : "set-1";
	const char *pin = argc > 3 ? argv[3] : "/sys/fs/bpf/evil-lsmcg";
	int open_hook = !strcmp(how, "file_open");
	struct attack_lsmcg *l = attack_lsmcg__open();
	struct bpf_program *p;
	struct bpf_link *link;
	int cg, err;

	if (!l)
		return report_err(errno, "lsm-cgroup: open");
	if (open_hook)
		p = l->progs.evil_lsmcg_open;
	else if (!strcmp(how, "deny"))
		p = l->progs.agent_lsmcg;
	else
		p = l->progs.evil_lsmcg;
	ext_only(l->obj, p);
	if ((err = attack_lsmcg__load(l)))
		return report_err(err, "lsm-cgroup: loading %s%s%s",
				  bpf_program__name(p),
				  *verifier_says() ? "; verifier: " : "",
				  verifier_says());
	if ((cg = cgroot("lsm-cgroup")) < 0)
		return OTHER;
	link = bpf_program__attach_cgroup(p, cg);
	if (!link)
		return report_err(errno, "lsm-cgroup: attaching %s at %s",
				  bpf_program__name(p), CGROOT);
	if (p != l->progs.evil_lsmcg) {
		bpf_link__destroy(link);
		printf("lsm-cgroup: %s attached and detached\n",
		       bpf_program__name(p));
		return OK;
	}
	if (pin_or_report(link, "lsm-cgroup", pin))
		return OTHER;
	printf("lsm-cgroup: lsm_cgroup/locked_down setting 1 for BPF_READ_KERNEL attached at %s, pinned at %s\n",
	       CGROOT, pin);
	return OK;
}

/* What a security agent loads, attached and taken down again. */
static int cmd_agent(int argc, char **argv)
{
	const char *what = argc > 2 ? argv[2] : "";
	struct attack_agent *a = attack_agent__open();
	struct bpf_program *p, *want = NULL;
	struct bpf_link *link;
	int err, fd;

	if (!a)
		return report_err(errno, "agent: open");
	bpf_object__for_each_program(p, a->obj)
	{
		const char *n = bpf_program__name(p);

		if (!strcmp(n + strlen("agent_"), what))
			want = p;
		else
			bpf_program__set_autoload(p, false);
	}
	if (!want)
		return fprintf(stderr, "usage: %s", progs_usage), OTHER;
	if ((err = attack_agent__load(a)))
		return report_err(err, "agent: loading %s%s%s",
				  bpf_program__name(want),
				  *verifier_says() ? "; verifier: " : "",
				  verifier_says());
	link = bpf_program__attach(want);
	if (!link)
		return report_err(errno, "agent: attaching %s",
				  bpf_program__name(want));
	if ((fd = open("/dev/null", O_RDONLY)) >= 0)
		close(fd);
	printf("agent: %s loaded and attached (file_open seen %llu times), then detached\n",
	       bpf_program__name(want), (unsigned long long)a->bss->seen_open);
	attack_agent__destroy(a);
	return OK;
}

/* An extension loaded against a decoy, attached to @target's @func. */
static int cmd_retarget(int argc, char **argv)
{
	int xdp = argc > 2 && !strcmp(argv[2], "xdp");
	const char *pin = argc > 5 ? argv[5] : "/sys/fs/bpf/evil-retarget";
	struct attack_decoy *d = attack_decoy__open_and_load();
	struct attack_ext *e;
	struct bpf_link *link;
	int decoy, target, err;

	if (argc < 5)
		return fprintf(stderr, "usage: %s", progs_usage), OTHER;
	if (!d)
		return report_err(errno, "retarget: loading the decoys");
	decoy = bpf_program__fd(xdp ? d->progs.decoy_xdp : d->progs.decoy_lsm);
	if (!(e = attack_ext__open()))
		return report_err(errno, "retarget: open");
	ext_only(e->obj, e->progs.evil_ext);
	if ((err = bpf_program__set_attach_target(e->progs.evil_ext, decoy,
						  xdp ? "xdp_decide"
						      : "decoy_decide")) ||
	    (err = attack_ext__load(e)))
		return report_err(
			err,
			"retarget: loading an EXT program for the %s decoy%s%s",
			xdp ? "XDP" : "LSM",
			*verifier_says() ? "; verifier: " : "",
			verifier_says());
	if (prog_of_link_pin("retarget", argv[3], &target))
		return OTHER;
	link = bpf_program__attach_freplace(e->progs.evil_ext, target, argv[4]);
	if (!link)
		return report_err(
			errno,
			"retarget: attaching the %s decoy's extension to %s",
			xdp ? "XDP" : "LSM", argv[4]);
	if (pin_or_report(link, "retarget", pin))
		return OTHER;
	printf("retarget: an extension loaded for the %s decoy now replaces %s, link pinned at %s\n",
	       xdp ? "XDP" : "LSM", argv[4], pin);
	return OK;
}

/* An extension that allows every write, for the root's sysctl @prefix. */
static int cmd_freplace_sysctl(int argc, char **argv)
{
	const char *prefix = argc > 2 ? argv[2] : "";
	const char *pin = argc > 3 ? argv[3] : "/sys/fs/bpf/evil-freplace";
	char name[BPF_OBJ_NAME_LEN];
	struct attack_ext *e;
	struct bpf_link *link;
	int cg, target, err;

	if (!*prefix)
		return fprintf(stderr, "usage: %s", progs_usage), OTHER;
	if ((cg = cgroot("freplace-sysctl")) < 0)
		return OTHER;
	if ((target = sysctl_named(cg, prefix)) < 0)
		return report_err(target,
				  "freplace-sysctl: a %s* program at %s",
				  prefix, CGROOT);
	prog_name_of(target, name, sizeof(name), NULL);
	if (!(e = attack_ext__open()))
		return report_err(errno, "freplace-sysctl: open");
	ext_only(e->obj, e->progs.evil_ext_sysctl);
	if ((err = bpf_program__set_attach_target(e->progs.evil_ext_sysctl,
						  target, name)) ||
	    (err = attack_ext__load(e)))
		return report_err(
			err,
			"freplace-sysctl: loading an EXT program for %s%s%s",
			name, *verifier_says() ? "; verifier: " : "",
			verifier_says());
	link = bpf_program__attach_freplace(e->progs.evil_ext_sysctl, target,
					    name);
	if (!link)
		return report_err(errno, "freplace-sysctl: attaching it to %s",
				  name);
	if (pin_or_report(link, "freplace-sysctl", pin))
		return OTHER;
	printf("freplace-sysctl: %s replaced by a function allowing every write, link pinned at %s\n",
	       name, pin);
	return OK;
}

/* The index of member @m in struct @s of vmlinux BTF, and its type id. */
static int member_of(const struct btf *btf, const char *s, const char *m,
		     __u32 *type_id, __u32 *index)
{
	const struct btf_type *t;
	const struct btf_member *mem;
	int id = btf__find_by_name_kind(btf, s, BTF_KIND_STRUCT), i;

	if (id < 0)
		return -ENOENT;
	t = btf__type_by_id(btf, id);
	mem = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, mem++)
		if (!strcmp(btf__name_by_offset(btf, mem->name_off), m)) {
			*type_id = id;
			*index = i;
			return 0;
		}
	return -ENOENT;
}

/* Load a program of kind @what from a few instructions. */
static int cmd_kind(int argc, char **argv)
{
	const char *what = argc > 2 ? argv[2] : "";
	/* 2 for ssthresh; an fsession program may return only 0 */
	const struct bpf_insn ret[] = {
		MOV64_IMM(BPF_REG_0, strcmp(what, "fsession") ? 2 : 0), EXIT()
	};
	struct btf *btf = btf__load_vmlinux_btf();
	__u32 id = 0, idx = 0;
	int fd;

	if (!btf)
		return report_err(errno, "kind: reading the kernel's BTF");
	if (!strcmp(what, "dummy-ops") &&
	    !member_of(btf, "bpf_dummy_ops", "test_1", &id, &idx))
		fd = load_raw_btf(BPF_PROG_TYPE_STRUCT_OPS, idx, id, ret, 2);
	else if (!strcmp(what, "tcp-cc") &&
		 !member_of(btf, "tcp_congestion_ops", "ssthresh", &id, &idx))
		fd = load_raw_btf(BPF_PROG_TYPE_STRUCT_OPS, idx, id, ret, 2);
	else if (!strcmp(what, "fsession") &&
		 (int)(id = btf__find_by_name_kind(btf, "vfs_open",
						   BTF_KIND_FUNC)) > 0)
		fd = load_raw_btf(BPF_PROG_TYPE_TRACING, 58 /* FSESSION */, id,
				  ret, 2);
	else
		return fprintf(stderr, "usage: %s", progs_usage), OTHER;
	if (fd < 0)
		return report_err(errno, "kind: loading a %s program%s%.120s",
				  what, *rawlog ? "; verifier: " : "", rawlog);
	close(fd);
	printf("kind: a %s program loaded\n", what);
	return OK;
}

const char progs_usage[] =
	"  sysctl-rewrite attach|link [PIN]|after|replace PREFIX|link-update PIN\n"
	"  sysctl-link-pin [PIN] | sysctl-clean\n"
	"  lsm-cgroup [set-1 [PIN]|deny|file_open]\n"
	"  agent file_open|locked_down|fmodret_open\n"
	"  retarget lsm|xdp TARGET_LINK_PIN FUNC [PIN]\n"
	"  freplace-sysctl PREFIX [PIN]\n"
	"  kind dummy-ops|tcp-cc|fsession\n";

int progs_main(const char *c, int argc, char **argv)
{
	if (!strcmp(c, "sysctl-rewrite"))
		return cmd_sysctl_rewrite(argc, argv);
	if (!strcmp(c, "sysctl-link-pin"))
		return cmd_sysctl_link_pin(argc, argv);
	if (!strcmp(c, "sysctl-clean"))
		return cmd_sysctl_clean();
	if (!strcmp(c, "lsm-cgroup"))
		return cmd_lsm_cgroup(argc, argv);
	if (!strcmp(c, "agent"))
		return cmd_agent(argc, argv);
	if (!strcmp(c, "retarget"))
		return cmd_retarget(argc, argv);
	if (!strcmp(c, "freplace-sysctl"))
		return cmd_freplace_sysctl(argc, argv);
	if (!strcmp(c, "kind"))
		return cmd_kind(argc, argv);
	return -1;
}
