#!/bin/bash
# sysctl-rewrite.sh - a second cgroup/sysctl program at the cgroup root,
# after the guard, turns an allowed write of kernel.ftrace_enabled=1 into
# 0: bpf_sysctl_set_new_value() of the last program decides what the
# kernel stores, and 0 switches every BPF trampoline off. Tried by every
# attach API: legacy multi attach, BPF_LINK_CREATE, BPF_F_AFTER of the
# guard (cgroup ordering flags: Debian's 6.12 and 7.2 have them, 6.1 not),
# BPF_F_REPLACE of the guard; and BPF_LINK_UPDATE of a link made before
# the lock, which sits before ratchet's program and so only feeds it.
# docs/threat-model.md, "A second sysctl program".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=sysctl-rewrite
F=/proc/sys/kernel/ftrace_enabled

# ftrace_on: kernel.ftrace_enabled back to 1 once the rewriter has gone
# (a released link goes through deferred work).
ftrace_on() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		echo 1 >"$F" 2>/dev/null
		[ "$(cat "$F")" = 1 ] && return 0
		sleep 0.3
	done
	return 1
}

# naive_rewrite HOW [ARG]: the naive phase for one attach API.
naive_rewrite() {
	local out rc
	naive_on
	out=$($A sysctl-rewrite "$@" 2>&1)
	rc=$?
	echo "    | $out" >&2
	if [ "$rc" = 2 ] && [ "$1" = after ]; then
		skip "$ATTACK: naive: after: this kernel has no cgroup ordering flags (${out##*(}"
	else
		expect "$ATTACK: naive: evil_sysctl attached by $1, after the guard" test "$rc" = 0
		expect "$ATTACK: naive: $1: echo 1 > $F is let through" bash -c "echo 1 >$F"
		expect "$ATTACK: naive: $1: and the kernel stored 0" test "$(cat $F)" = 0
		naive_undone
	fi
	$A sysctl-clean 2>&1 | indent >&2
	expect "$ATTACK: naive: $1: the rewriter detached, ftrace_enabled back to 1" ftrace_on
	naive_off
}

naive_phase
naive_rewrite attach
naive_rewrite link
naive_rewrite after
naive_rewrite replace naive_

# Made before the lock, so before ratchet's program at the root.
expect "$ATTACK: ratchet: a harmless sysctl link at the root, made before the lock" \
	run 0 $A sysctl-link-pin
ratchet_on
expect "$ATTACK: ratchet: legacy multi attach of evil_sysctl is refused (EPERM)" \
	run 1 $A sysctl-rewrite attach
expect "$ATTACK: ratchet: BPF_LINK_CREATE of evil_sysctl is refused (EPERM)" \
	run 1 $A sysctl-rewrite link
expect "$ATTACK: ratchet: BPF_F_AFTER ratchet_sysctl is refused (EPERM)" \
	run 1 $A sysctl-rewrite after
expect "$ATTACK: ratchet: BPF_F_REPLACE of ratchet_sysctl is refused (EPERM)" \
	run 1 $A sysctl-rewrite replace ratchet_
expect "$ATTACK: ratchet: echo 1 > $F is still allowed and stores 1" \
	bash -c "echo 1 >$F && test \$(cat $F) = 1"
# The early link runs before ratchet's program, which reads what it left.
expect "$ATTACK: ratchet: BPF_LINK_UPDATE of the early link to evil_sysctl works" \
	run 0 $A sysctl-rewrite link-update /sys/fs/bpf/evil-sysctl-early
expect "$ATTACK: ratchet: then echo 1 > $F is refused: ratchet saw the rewritten 0" \
	refused bash -c "echo 1 >$F"
expect "$ATTACK: ratchet: ftrace_enabled is still 1" test "$(cat $F)" = 1
expect "$ATTACK: ratchet: status finds nothing that overrules the lock" \
	status_says ".ratchet.overruled_by == null"
ratchet_holds
collateral
