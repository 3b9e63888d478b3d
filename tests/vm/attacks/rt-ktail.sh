#!/bin/bash
# rt-ktail.sh - red team (issue 20): ratchet allows kprobe programs
# (attach type 0) after a lock. 7.2 lets a kprobe-type program write its
# context (kprobe_write_ctx, meant for uprobes) and refuses such a program
# only where one is attached (__perf_event_set_bpf_prog(), kprobe_multi,
# freplace: rt-kreg.sh). A program that does not write, attached on
# security_locked_down(), tail-calls one that does: if the kernel lets it,
# the lockdown reason is rewritten to LOCKDOWN_NONE before any LSM sees it
# and /dev/mem opens; a kretprobe tail-calling the writer sets the return
# value to 0 instead. Then the same from a kretprobe.multi after a full
# lock (integrity confidentiality: kprobes locked). 6.1 and 6.12 have no
# context writes. The checks FAIL if /dev/mem opens.
# attacks.sh: last (see tests/vm/cases/attacks.sh)
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt-ktail
KT=build/tests/ratchet-ktail
mkdir -p "$T"

naive_phase
ratchet_on
out=$($KT 2>&1)
rc=$?
printf '%s\n' "$out" | grep -v '^libbpf: \|^[0-9]*: \|^;' | indent >&2
expect "$ATTACK: ratchet: no kernel-register write through a tail call opens /dev/mem ($(tail -1 <<<"$out"))" \
	test "$rc" != 0
ratchet_holds "after the tail call"

# The full lock also closes kprobes (LOCKDOWN_KPROBES, asked by
# __register_trace_kprobe()); kprobe.multi (fprobe) asks no lockdown.
expect "$ATTACK: ratchet: lock integrity confidentiality" run 0 "$R" lock integrity confidentiality
out=$($KT 2>&1)
printf '%s\n' "$out" | grep '^ktail: ' | sed 's/^/    | full, kprobe: /' >&2
out=$($KT multi 2>&1)
rc=$?
printf '%s\n' "$out" | grep -v '^libbpf: \|^[0-9]*: \|^;' | sed 's/^/    | full, multi: /' >&2
expect "$ATTACK: ratchet: full lock: no kernel-register write through a tail call from kretprobe.multi opens /dev/mem ($(tail -1 <<<"$out"))" \
	test "$rc" != 0
ratchet_holds "after the tail call from kretprobe.multi"
