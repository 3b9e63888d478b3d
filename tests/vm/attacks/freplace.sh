#!/bin/bash
# freplace.sh - an EXT program replaces a global subprogram of the lock.
# docs/threat-model.md, "Another BPF program that overrules ratchet".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=freplace

naive_on
expect "$ATTACK: naive: freplace of naive_decide loads, attaches and is pinned" \
	run 0 $A freplace /sys/fs/bpf/naive/link naive_decide
naive_undone
naive_off

ratchet_on
expect "$ATTACK: ratchet: the EXT load against ratchet_locked_down is refused (EPERM)" \
	run 1 $A freplace $PINS/link-ratchet_locked_down ratchet_locked_down
expect "$ATTACK: ratchet: the EXT load against ratchet_bpf is refused (EPERM)" \
	run 1 $A freplace $PINS/link-ratchet_bpf ratchet_bpf
ratchet_holds
collateral
