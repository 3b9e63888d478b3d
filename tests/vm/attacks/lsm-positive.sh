#!/bin/bash
# lsm-positive.sh - a newer LSM program returning 1 runs first and ends the
# chain on 6.1; callers testing `< 0` allow. 6.12's and 7.2's verifiers
# refuse it (bpf_lsm_get_retval_range()), and ratchet, which detects that
# at lock time, then lets LSM programs on its hooks load: they can only
# refuse. Security agents' LSM programs on other hooks load everywhere.
# docs/threat-model.md, "Another BPF program that overrules ratchet".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=lsm-positive

naive_phase
naive_on
out=$($A lsm-positive 2>&1)
rc=$?
echo "    | $out" >&2
ranges=0
if [ $rc = 2 ] && grep -q "should have been in" <<<"$out"; then
	ranges=1
	skip "$ATTACK: naive: this kernel's verifier refuses a positive LSM return: ${out##*verifier: }"
else
	expect "$ATTACK: naive: the positive LSM program loads, attaches and is pinned" test $rc = 0
	naive_undone bpf-read-kernel
fi
naive_off

keep ranges
ratchet_on
if [ $ranges = 1 ]; then
	expect "$ATTACK: ratchet: the positive LSM program is still refused, by the verifier" \
		bash -c "$A lsm-positive /sys/fs/bpf/evil-lsm 2>&1 | grep -q 'should have been in'"
	expect "$ATTACK: ratchet: an agent's LSM program on locked_down (0 or -EPERM) loads" \
		run 0 $A agent locked_down
	expect "$ATTACK: ratchet: status says LSM programs on its hooks load here" \
		bash -c "$R status | grep -Eq 'LSM (and lsm_cgroup )?programs on ratchet.s hooks load'"
else
	expect "$ATTACK: ratchet: loading the LSM program is refused (EPERM)" \
		run 1 $A lsm-positive /sys/fs/bpf/evil-lsm
	expect "$ATTACK: ratchet: an agent's LSM program on locked_down is refused too (EPERM)" \
		run 1 $A agent locked_down
	expect "$ATTACK: ratchet: status says LSM programs on its hooks are refused here" \
		bash -c "$R status | grep -q 'programs on ratchet.s hooks are refused'"
fi
ratchet_holds
expect "$ATTACK: collateral: an agent's LSM program on file_open loads, attaches and runs" \
	run 0 $A agent file_open
collateral
