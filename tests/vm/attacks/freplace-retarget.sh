#!/bin/bash
# freplace-retarget.sh - an extension loaded against a harmless decoy (an
# LSM program on file_open) is then attached to the lock's own function
# (BPF_LINK_CREATE with a target): the check at load never saw the real
# target. The kernel allows a new target only of the first one's type
# (saved_dst_prog_type), so ratchet decides on that type at load.
# docs/threat-model.md, "Another BPF program that overrules ratchet".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=freplace-retarget

naive_phase
naive_on
expect "$ATTACK: naive: an extension of the LSM decoy, attached to naive_decide" \
	run 0 $A retarget lsm /sys/fs/bpf/naive/link naive_decide
naive_undone
naive_off

naive_on
expect "$ATTACK: naive: one of an XDP decoy cannot be attached to an LSM program (kernel: EINVAL)" \
	run 2 $A retarget xdp /sys/fs/bpf/naive/link naive_decide
expect "$ATTACK: naive: (it was the attach that failed)" \
	out_has "attaching the XDP decoy's extension to naive_decide: failed (Invalid argument)"
expect "$ATTACK: naive: so the naive lock stands" is dev-mem 1
naive_off

ratchet_on
expect "$ATTACK: ratchet: an extension of the LSM decoy is refused at load (EPERM)" \
	run 1 $A retarget lsm "$PINS/link-ratchet_locked_down" ratchet_locked_down
expect "$ATTACK: ratchet: one of the XDP decoy loads, and the kernel will not attach it to ratchet_locked_down" \
	run 2 $A retarget xdp "$PINS/link-ratchet_locked_down" ratchet_locked_down
expect "$ATTACK: ratchet: (it was the attach that failed, with EINVAL)" \
	out_has "attaching the XDP decoy's extension to ratchet_locked_down: failed (Invalid argument)"
ratchet_holds
collateral
