#!/bin/bash
# lsm-positive.sh - a newer LSM program returning 1 runs first and ends the
# chain on 6.1; callers testing `< 0` allow. 6.12's verifier refuses it.
# docs/threat-model.md, "Another BPF program that overrules ratchet".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=lsm-positive

naive_on
out=$($A lsm-positive 2>&1)
rc=$?
echo "    | $out" >&2
if [ $rc = 2 ] && grep -q "should have been in" <<<"$out"; then
	skip "$ATTACK: naive: this kernel's verifier refuses a positive LSM return: ${out##*verifier: }"
else
	expect "$ATTACK: naive: the positive LSM program loads, attaches and is pinned" test $rc = 0
	naive_undone bpf-read-kernel
fi
naive_off

ratchet_on
expect "$ATTACK: ratchet: loading the LSM program is refused (EPERM)" run 1 $A lsm-positive /sys/fs/bpf/evil-lsm
ratchet_holds
collateral
