#!/bin/bash
# lsm-cgroup.sh - an lsm_cgroup program on locked_down sets the return
# value to 1 with bpf_set_retval(): the cgroup shim returns it, the chain
# ends, and callers that test `< 0` allow. The verifier bounds what an
# lsm_cgroup program returns (0 or 1); 7.2's also what it sets, and there
# ratchet, which detects that at the first lock, lets lsm_cgroup programs
# on its hooks load: they can only refuse.
# docs/threat-model.md, "Another BPF program that overrules ratchet".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=lsm-cgroup

naive_phase
naive_on
out=$($A lsm-cgroup 2>&1)
rc=$?
echo "    | $out" >&2
bounded=0
if [ $rc = 2 ] && grep -q "At bpf_set_retval.*should have been in" <<<"$out"; then
	bounded=1
	skip "$ATTACK: naive: this kernel's verifier bounds bpf_set_retval(): ${out##*verifier: }"
else
	expect "$ATTACK: naive: lsm_cgroup/locked_down setting 1 loads, attaches at the root and is pinned" \
		test $rc = 0
	naive_undone bpf-read-kernel
fi
naive_off

keep bounded
ratchet_on
if [ $bounded = 1 ]; then
	expect "$ATTACK: ratchet: the lsm_cgroup program setting 1 still fails, in the verifier" \
		bash -c "$A lsm-cgroup 2>&1 | grep -q 'At bpf_set_retval'"
	expect "$ATTACK: ratchet: one on locked_down that can only refuse loads and attaches" \
		run 0 $A lsm-cgroup deny
else
	expect "$ATTACK: ratchet: loading lsm_cgroup/locked_down is refused (EPERM)" run 1 $A lsm-cgroup
	expect "$ATTACK: ratchet: one that can only refuse is refused too (EPERM)" \
		run 1 $A lsm-cgroup deny
fi
ratchet_holds
expect "$ATTACK: collateral: an lsm_cgroup program on file_open attaches and detaches" \
	run 0 $A lsm-cgroup file_open
collateral
