// SPDX-License-Identifier: GPL-2.0
/*
 * identity.c - what this ratchet's own programs are on the running kernel:
 * the tag the kernel gives each one (tag.c), the maps each uses, and the
 * tables it decides by. A lock is ratchet's only if the kernel's programs
 * carry these tags (facts.c): names, load times and map shapes can all be
 * imitated by root before the first lock, instructions cannot.
 *
 * The instructions the kernel hashes are the ones libbpf submits: CO-RE
 * relocated for this kernel, map fds filled in (left out of the hash),
 * subprograms linked. So the embedded object is opened and loaded once
 * more, as a dry run whose every program libbpf itself rejects before it
 * reaches the kernel: a program of type BPF_PROG_TYPE_UNSPEC fails the
 * first check of bpf_object_load_prog() (libbpf 1.1 to 1.7), after
 * bpf_object__relocate() has relocated every program, and a failed load
 * keeps each program's instructions until the object is closed
 * (bpf_program__unload() frees only fds and BTF info). Nothing is loaded,
 * so no hook of a lock in force refuses or reports anything; the maps the
 * dry run creates go with the object.
 *
 * One thing libbpf would otherwise ask the kernel first: whether
 * bpf_probe_read_kernel() exists (bpf_object__sanitize_prog(), by loading
 * a tracing program that calls it), which a lock of bpf-read-kernel
 * refuses and reports. The dry run hides those calls from libbpf and puts
 * them back afterwards: on every kernel ratchet runs on (5.8+) the helper
 * exists, so a real load never rewrites them either. They are hidden in
 * the object's ELF, before libbpf opens it: the subprograms (bpf_loop()
 * callbacks, bpf/mounts.h) sit in .text, which no bpf_program exposes, and
 * relocation appends them to each program that calls them.
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "ratchet.skel.h"

/*
 * The one place that opens the embedded object (its ELF is here only).
 * Its CO-RE relocates against the kernel's BTF in a fresh sysfs (KFS_BTF),
 * so every load of it runs inside kfs_within().
 */
static const char *custom_btf = KFS_BTF;

/* Test builds only (src/bpf.c, test_skip()): root's own build of this
 * source, relocated wherever libbpf's path search leads. */
void identity_btf_by_path(void)
{
	custom_btf = NULL;
}

struct ratchet_bpf *identity_open(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .btf_custom_path = custom_btf);

	return ratchet_bpf__open_opts(&o);
}

static int load_object(void *obj)
{
	return bpf_object__load(obj);
}

/* bpf_object__load() of @obj, relocated against the kernel's own BTF. */
int identity_load(struct bpf_object *obj)
{
	return kfs_within("sysfs", load_object, obj);
}

static const __s32 probed[] = {
	BPF_FUNC_probe_read_user,
	BPF_FUNC_probe_read_kernel,
	BPF_FUNC_probe_read_user_str,
	BPF_FUNC_probe_read_kernel_str,
};

#define PROBED (sizeof(probed) / sizeof(probed[0]))

static bool helper_call(const struct bpf_insn *i)
{
	return i->code == (BPF_JMP | BPF_CALL) && i->src_reg == 0;
}

/* Negates (@hide) or restores the probed helpers' ids in @c. */
static void flip_probed(struct bpf_insn *c, size_t n, bool hide)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; helper_call(&c[i]) && k < PROBED; k++)
			if (c[i].imm == (hide ? probed[k] : -probed[k]))
				c[i].imm = -c[i].imm;
}

/*
 * Hide the probed helpers in every code section of the ELF @elf of @size
 * bytes (a copy of the embedded object): -ENOEXEC if it is not one.
 */
static int hide_in_elf(void *elf, size_t size)
{
	const Elf64_Ehdr *eh = elf;
	const Elf64_Shdr *sh;
	size_t i;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(*sh) || eh->e_shoff > size ||
	    eh->e_shnum > (size - eh->e_shoff) / sizeof(*sh))
		return -ENOEXEC;
	sh = (const Elf64_Shdr *)((const char *)elf + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_PROGBITS ||
		    !(sh[i].sh_flags & SHF_EXECINSTR))
			continue;
		if (sh[i].sh_offset > size ||
		    sh[i].sh_size > size - sh[i].sh_offset ||
		    sh[i].sh_offset % sizeof(struct bpf_insn))
			return -ENOEXEC;
		flip_probed((struct bpf_insn *)((char *)elf + sh[i].sh_offset),
			    sh[i].sh_size / sizeof(struct bpf_insn), true);
	}
	return 0;
}

/*
 * The embedded object, opened for the dry run with the probed helpers
 * hidden; *@elf gets the copy it was opened from, to free after it.
 */
static struct ratchet_bpf *open_hidden(void **elf)
{
	struct ratchet_bpf *skel = calloc(1, sizeof(*skel));
	struct bpf_object_skeleton *s;
	int err = -ENOMEM;
	LIBBPF_OPTS(bpf_object_open_opts, o, .btf_custom_path = custom_btf);

	*elf = NULL;
	if (!skel || (err = ratchet_bpf__create_skeleton(skel)))
		goto fail;
	s = skel->skeleton;
	err = -ENOMEM;
	if (!(*elf = malloc(s->data_sz)))
		goto fail;
	memcpy(*elf, s->data, s->data_sz);
	if ((err = hide_in_elf(*elf, s->data_sz)))
		goto fail;
	s->data = *elf;
	if ((err = bpf_object__open_skeleton(s, &o)))
		goto fail;
	return skel;
fail:
	ratchet_bpf__destroy(skel);
	free(*elf);
	*elf = NULL;
	errno = -err;
	return NULL;
}

/* Ready @p for the dry run; *@cnt gets its instruction count before. */
static int prepare(struct bpf_program *p, size_t *cnt)
{
	*cnt = bpf_program__insn_cnt(p);
	return bpf_program__set_type(p, BPF_PROG_TYPE_UNSPEC);
}

/*
 * The fd number libbpf gives each map, kept because a failed load closes
 * them: relocation writes these numbers into the instructions.
 */
struct map_fds {
	int fd[ROLES];
};

/* Which of the lock's maps @fd is, as a bit of enum ident_role. */
static unsigned int role_of(const struct map_fds *m, int fd)
{
	int r;

	for (r = 0; r < ROLES; r++)
		if (fd == m->fd[r])
			return 1U << r;
	return 1U << ROLES; /* a map identity.c does not know */
}

/* The object's map of each role. */
static void role_maps(struct ratchet_bpf *skel, struct bpf_map *maps[ROLES])
{
	maps[ROLE_STATE] = skel->maps.state;
	maps[ROLE_TABLES] = skel->maps.tables;
	maps[ROLE_LOG] = skel->maps.event_log;
	maps[ROLE_FOLDS] = skel->maps.folds;
	maps[ROLE_MARKS] = skel->maps.marks;
}

/*
 * Each map as the object declares it, before the dry run shrinks the log:
 * a lock's maps must be these (facts.c), since a program's tag does not
 * cover the maps it is bound to.
 */
static void declared(struct ratchet_bpf *skel, struct expected *e)
{
	struct bpf_map *maps[ROLES];
	int r;

	role_maps(skel, maps);
	for (r = 0; r < ROLES; r++)
		e->maps[r] = (struct map_shape){
			.type = bpf_map__type(maps[r]),
			.key_size = bpf_map__key_size(maps[r]),
			.value_size = bpf_map__value_size(maps[r]),
			.max_entries = bpf_map__max_entries(maps[r]),
			.flags = bpf_map__map_flags(maps[r]),
		};
}

/*
 * Give libbpf maps made here, each like the object's own (the log at its
 * smallest: no instruction depends on its size), and note the fd numbers
 * it relocates with.
 */
static int own_maps(struct ratchet_bpf *skel, struct map_fds *m)
{
	struct bpf_map *maps[ROLES];
	int r, fd, err;

	role_maps(skel, maps);

	bpf_map__set_max_entries(skel->maps.event_log, 1);
	for (r = 0; r < ROLES; r++) {
		LIBBPF_OPTS(bpf_map_create_opts, o,
			    .map_flags = bpf_map__map_flags(maps[r]));

		fd = bpf_map_create(bpf_map__type(maps[r]), "ratchet_dry",
				    bpf_map__key_size(maps[r]),
				    bpf_map__value_size(maps[r]),
				    bpf_map__max_entries(maps[r]), &o);
		if (fd < 0)
			return -errno;
		err = bpf_map__reuse_fd(maps[r], fd);
		close(fd);
		if (err)
			return err;
		m->fd[r] = bpf_map__fd(maps[r]);
	}
	return 0;
}

/*
 * The relocated program @p, as its tag and the maps it uses. -ENOTSUP: it
 * has what a tag leaves out and facts.c cannot check another way (a map
 * value loaded at an offset, an unknown map). Its subprograms (callbacks)
 * are appended after @was instructions, as the kernel gets them.
 */
static int record(const struct map_fds *m, struct bpf_program *p, size_t was,
		  enum tag_hash h, struct expected_prog *e)
{
	size_t n = bpf_program__insn_cnt(p), i;
	struct bpf_insn *c;
	int err = 0;

	if (n < was || !(c = malloc(n * sizeof(*c))))
		return n < was ? -ENOTSUP : -ENOMEM;
	memcpy(c, bpf_program__insns(p), n * sizeof(*c));
	flip_probed(c, n, false);
	for (i = 0; i < n; i++) {
		if (c[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (c[i].src_reg == BPF_PSEUDO_MAP_FD)
			e->roles |= role_of(m, c[i].imm);
		else if (c[i].src_reg == BPF_PSEUDO_MAP_VALUE ||
			 c[i].src_reg == BPF_PSEUDO_MAP_IDX ||
			 c[i].src_reg == BPF_PSEUDO_MAP_IDX_VALUE)
			err = -ENOTSUP;
		i++;
	}
	if (e->roles & (1U << ROLES))
		err = -ENOTSUP;
	/* Every program reads the state: one that does not was not relocated. */
	if (!(e->roles & (1U << ROLE_STATE)))
		err = err ? err : -EPROTO;
	if (!err)
		err = tag_compute(c, n, h, e->tag);
	free(c);
	return err;
}

static void describe(const struct bpf_program *p, struct expected_prog *e)
{
	snprintf(e->name, sizeof(e->name), "%s", bpf_program__name(p));
	snprintf(e->sec, sizeof(e->sec), "%s", bpf_program__section_name(p));
	e->type = bpf_program__type(p);
	e->attach_type = bpf_program__expected_attach_type(p);
}

/* The dry run: relocate everything, load nothing, record every program. */
static int dry_run(struct ratchet_bpf *skel, struct expected *e)
{
	size_t was[EXPECTED_PROGS];
	struct bpf_program *p;
	enum tag_hash h = tag_hash_of(kernel_btf());
	struct map_fds m;
	int n = 0, err;

	bpf_object__for_each_program(p, skel->obj)
	{
		if (n == EXPECTED_PROGS)
			return -E2BIG;
		describe(p, &e->p[n]);
		if ((err = prepare(p, &was[n++])))
			return err;
	}
	if ((err = own_maps(skel, &m)))
		return err;
	err = identity_load(skel->obj);
	if (err != -EINVAL)
		return err ? err : -EPROTO;
	e->n = n;
	n = 0;
	bpf_object__for_each_program(p, skel->obj)
	{
		if (bpf_program__fd(p) >= 0)
			return -EPROTO;
		if ((err = record(&m, p, was[n], h, &e->p[n])))
			return err;
		n++;
	}
	return 0;
}

/*
 * What this ratchet's lock is made of on the running kernel: every
 * program's name, section, type and tag, the maps it uses, and the tables.
 */
int identity_expected(struct expected *e)
{
	struct ratchet_bpf *skel;
	void *elf;
	int err;

	memset(e, 0, sizeof(*e));
	if ((err = tables_compute(kernel_btf(), &e->tables)))
		return err;
	skel = open_hidden(&elf);
	if (!skel)
		return -errno;
	declared(skel, e);
	err = dry_run(skel, e);
	ratchet_bpf__destroy(skel);
	free(elf);
	return err;
}

/*
 * The names the kernel gives this ratchet's programs (the first 15 bytes
 * of each), from the object alone: nothing reaches the kernel. Whether any
 * loaded program carries one decides only whether a dry run is worth it.
 */
int identity_names(char (*names)[16], int max)
{
	struct ratchet_bpf *skel = identity_open();
	struct bpf_program *p;
	int n = 0;

	if (!skel)
		return -errno;
	bpf_object__for_each_program(p, skel->obj) if (n < max)
		snprintf(names[n++], 16, "%s", bpf_program__name(p));
	ratchet_bpf__destroy(skel);
	return n;
}

/* The expected program named @name (libbpf's full name), or NULL. */
const struct expected_prog *identity_prog(const struct expected *e,
					  const char *name)
{
	int i;

	for (i = 0; i < e->n; i++)
		if (!strcmp(e->p[i].name, name))
			return &e->p[i];
	return NULL;
}
