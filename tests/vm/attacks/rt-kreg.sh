#!/bin/bash
# rt-kreg.sh - red team (issue 20): ratchet allows kprobe programs (attach
# type 0) and extensions of kprobe programs after a lock. 7.2's verifier
# lets a kprobe-type program write its context (kprobe_write_ctx, meant for
# uprobes). An extension that writes it, replacing a subprogram of a kprobe
# program attached on security_locked_down(), would rewrite the lockdown
# reason before any LSM sees it (LOCKDOWN_NONE: /dev/mem opens) unless the
# kernel refuses the pairing (bpf_tracing_prog_attach(): the extension's
# kprobe_write_ctx must equal its target's; "bpf: Fix abuse of
# kprobe_write_ctx via freplace"). 6.1 and 6.12 have no context writes.
# The check FAILS if /dev/mem opens.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt-kreg
KR=build/tests/ratchet-kreg
mkdir -p "$T"

naive_phase
ratchet_on
out=$($KR 2>&1)
rc=$?
indent <<<"$out" >&2
if grep -q "load the extensions: " <<<"$out"; then
	skip "$ATTACK: ratchet: the extension writing the context does not load here (no control)"
else
	expect "$ATTACK: ratchet: control: an extension of the kprobe program that does not write attaches" \
		grep -q "control: attach the extension that does not write: ok" <<<"$out"
fi
expect "$ATTACK: ratchet: no kernel-register write by an extension opens /dev/mem ($(tail -1 <<<"$out"))" \
	test "$rc" != 0
ratchet_holds "after the extension"
