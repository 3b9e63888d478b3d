#!/bin/bash
# freplace.sh - an EXT program replaces a global subprogram of the lock, or
# the main function of one of its programs (global in BTF as well): of the
# sysctl guard on every kernel, of an LSM program where the verifier lets
# it (not where the main's argument is no pointer to a struct).
# docs/threat-model.md, "Another BPF program that overrules ratchet".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=freplace

naive_phase
naive_on
expect "$ATTACK: naive: freplace of naive_decide loads, attaches and is pinned" \
	run 0 $A freplace /sys/fs/bpf/naive/link naive_decide
naive_undone
naive_off

# A cgroup/sysctl program's main function takes a pointer to its context
# struct, so an extension can replace it: one that allows every write.
naive_on
expect "$ATTACK: naive: freplace of the guard naive_sysctl attaches" \
	run 0 $A freplace-sysctl naive_
expect "$ATTACK: naive: then echo 0 > /proc/sys/kernel/ftrace_enabled is let through" \
	bash -c "echo 0 >/proc/sys/kernel/ftrace_enabled"
naive_undone
naive_off

# ratchet's programs have no global function but their main ones.
naive_on
out=$($A freplace /sys/fs/bpf/naive/link naive_locked_down 2>&1)
mains=$?
echo "    | $out" >&2
if [ $mains = 0 ]; then
	pass "$ATTACK: naive: freplace of the main function naive_locked_down attaches too"
	naive_undone
else
	skip "$ATTACK: naive: this kernel's verifier does not replace an LSM program's main function (${out##*: })"
fi
naive_off

keep mains
ratchet_on
expect "$ATTACK: ratchet: the EXT load against ratchet_sysctl is refused (EPERM)" \
	run 1 $A freplace-sysctl ratchet_
expect "$ATTACK: ratchet: kernel.ftrace_enabled stays 1" \
	refused bash -c "echo 0 >/proc/sys/kernel/ftrace_enabled"
# Where the verifier refuses it first (EINVAL), ratchet's check never
# runs: freplace-retarget.sh shows it refusing an extension of an LSM
# program the verifier accepts.
for p in ratchet_locked_down ratchet_bpf; do
	if [ $mains = 0 ]; then
		expect "$ATTACK: ratchet: the EXT load against $p is refused (EPERM)" \
			run 1 $A freplace "$PINS/link-$p" "$p"
	else
		expect "$ATTACK: ratchet: the EXT load against $p fails, in the verifier as before the lock" \
			run 2 $A freplace "$PINS/link-$p" "$p"
	fi
done
ratchet_holds
collateral
