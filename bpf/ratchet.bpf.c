// SPDX-License-Identifier: GPL-2.0
/*
 * ratchet.bpf.c - enforcement and self-protection, one object.
 *
 * Each concern is a header, included here in order, so that every program
 * and helper stays static in one object and one skeleton:
 *   common.h   the state map, the one decision
 *   audit.h    counting and logging it: the event log, folding, probes
 *   enforce.h  the restrictions: lockdown reasons, modules, kexec-image
 *   mounts.h   the pin mount, in every mount namespace
 *   seal.h     raising, sealing and reading the state
 *   bpfself.h  BPF self-protection: the state map, overruling programs,
 *              cgroup/sysctl attachments
 *   sysctl.h   raise-only sysctls and ftrace_enabled
 * Each names, at its top, its section of docs/threat-model.md and the
 * tests that attack it.
 *
 * No LSM program here declares the hook's trailing "int ret": the BPF
 * trampoline runs LSM programs as fmod_ret programs and jumps out at the
 * first non-zero return (invoke_bpf_mod_ret in arch/x86/net/bpf_jit_comp.c,
 * 6.1 to 7.2), so ret is always 0 when one of ours runs. Reading it is also
 * wrong where a hook gains a parameter: 7.x added "bool kernel" to
 * security_bpf, and the slot a 3-argument program read as ret was that
 * flag. Each program reads only the leading parameters the CLI checks in
 * the kernel's BTF before loading (src/features.c).
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ratchet.h"

char LICENSE[] SEC("license") = "GPL";

#include "common.h"
#include "audit.h"
#include "enforce.h"
#include "mounts.h"
#include "seal.h"
#include "bpfself.h"
#include "sysctl.h"
