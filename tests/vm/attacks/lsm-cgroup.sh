#!/bin/bash
# lsm-cgroup.sh - an lsm_cgroup program on locked_down sets the return
# value to 1 with bpf_set_retval(): the cgroup shim returns it, the chain
# ends, and callers that test `< 0` allow. The verifier bounds what an
# lsm_cgroup program returns (0 or 1), not what it sets, on every kernel.
# docs/threat-model.md, "Another BPF program that overrules ratchet".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=lsm-cgroup

naive_on
out=$($A lsm-cgroup 2>&1)
rc=$?
echo "    | $out" >&2
if [ "$rc" = 0 ]; then
	pass "$ATTACK: naive: lsm_cgroup/locked_down setting 1 loads, attaches at the root and is pinned"
	naive_undone bpf-read-kernel
else
	fail "$ATTACK: naive: the lsm_cgroup program did not attach: ${out##*: }"
fi
naive_off

ratchet_on
expect "$ATTACK: ratchet: loading lsm_cgroup/locked_down is refused (EPERM)" run 1 $A lsm-cgroup
ratchet_holds
expect "$ATTACK: collateral: an lsm_cgroup program on file_open attaches and detaches" \
	run 0 $A lsm-cgroup file_open
collateral
