#!/bin/bash
# sysctl-window.sh - the same rewriter, attached at the cgroup root while
# the first lock runs: right after ratchet attaches its own cgroup/sysctl
# program, or right before it seals. After the seal nothing can detach it,
# so a lock that exits 0 would be undone by echo 1 > ftrace_enabled. The
# strike comes from build/tests/ratchet-window.so, preloaded into the
# locker (tests/vm/tools/window.c).
# docs/threat-model.md, "A second sysctl program".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=sysctl-window
F=/proc/sys/kernel/ftrace_enabled
W=$PWD/build/tests/ratchet-window.so
export RATCHET_WINDOW_CMD="$PWD/$A sysctl-rewrite attach"

# The naive locker, struck the same way right after it attaches its guard.
expect "$ATTACK: naive: before any lock, dev-mem is allowed" is dev-mem 0
expect "$ATTACK: naive: the naive lock, struck after its guard's attach, loads and pins" \
	run 0 env LD_PRELOAD="$W" RATCHET_WINDOW=attach $A naive-pin
expect "$ATTACK: naive: the naive lock refuses dev-mem" is dev-mem 1
expect "$ATTACK: naive: echo 1 > $F is let through and stores 0" \
	bash -c "echo 1 >$F && test \$(cat $F) = 0"
naive_undone
$A sysctl-clean 2>&1 | indent >&2
naive_off

expect "$ATTACK: ratchet: struck after its sysctl attach, the first lock fails" \
	run 1 env LD_PRELOAD="$W" RATCHET_WINDOW=attach "$R" lock dev-mem kexec bpf-read-kernel
expect "$ATTACK: ratchet: saying nothing was locked and naming the program" \
	bash -c "grep -q 'nothing was locked' $T/err && grep -q 'runs after ratchet' $T/err"
expect "$ATTACK: ratchet: status says nothing is locked" \
	status_says ".ratchet.locked == false"
expect "$ATTACK: ratchet: no pins were left behind" bash -c "! mountpoint -q $PINS"
$A sysctl-clean 2>&1 | indent >&2

expect "$ATTACK: ratchet: struck right before the seal, the first lock exits 1" \
	run 1 env LD_PRELOAD="$W" RATCHET_WINDOW=seal "$R" lock dev-mem kexec bpf-read-kernel
expect "$ATTACK: ratchet: saying the lock is in force but overruled by that program" \
	bash -c "grep -q 'the lock is in force, but cgroup/sysctl program id' $T/err"
expect "$ATTACK: ratchet: dev-mem is refused (the lock is in force)" is dev-mem 1
expect "$ATTACK: ratchet: status --json says what overrules it" \
	status_says ".ratchet.locked and (.ratchet.overruled_by | test(\"runs after ratchet\"))"
expect "$ATTACK: ratchet: status says OVERRULED" bash -c "$R status | grep -q OVERRULED"
expect "$ATTACK: ratchet: a later lock exits 1 too, for the same reason" \
	run 1 "$R" lock dev-mem
expect "$ATTACK: ratchet: the rewriter cannot be detached now" run 1 $A sysctl-clean
# What ratchet reports is real: the write it allows is rewritten after it.
expect "$ATTACK: ratchet: indeed echo 1 > $F stores 0" bash -c "echo 1 >$F; test \$(cat $F) = 0"
