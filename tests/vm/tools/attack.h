/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attack.h - what attack.c (the naive lock, pins, maps, mounts) and
 * attack-progs.c (programs that run beside ratchet's) share. Exit codes
 * and output as attack.c's header says.
 */
#ifndef RATCHET_ATTACK_H
#define RATCHET_ATTACK_H

#include <stddef.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>

#define CGROOT "/sys/fs/cgroup"

enum { OK = 0, REFUSED = 1, OTHER = 2 };

#define INSN(c, d, s, o, i)                                                    \
	((struct bpf_insn){ .code = (c),                                       \
			    .dst_reg = (d),                                    \
			    .src_reg = (s),                                    \
			    .off = (o),                                        \
			    .imm = (i) })
#define MOV64_REG(d, s) INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD64_IMM(d, i) INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define CALL(f)		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT()		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

extern char rawlog[8192];

const char *verifier_says(void);
int verdict_errno(int err);
int report_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int load_raw_btf(enum bpf_prog_type type, enum bpf_attach_type at, __u32 btf_id,
		 const struct bpf_insn *insns, size_t n);
int prog_name_of(int fd, char *name, size_t len, __u32 *id);
int detach_sysctls(const char *cmd, const char *prefix);
int pin_or_report(struct bpf_link *link, const char *cmd, const char *pin);
int prog_of_link_pin(const char *cmd, const char *pin, int *prog_fd);
void ext_only(struct bpf_object *obj, struct bpf_program *p);

/* attack-progs.c: -1 when @cmd is none of its commands. */
int progs_main(const char *cmd, int argc, char **argv);
extern const char progs_usage[];

#endif /* RATCHET_ATTACK_H */
