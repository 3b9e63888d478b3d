#!/bin/bash
# rm-pin.sh - removing the pin of a BPF LSM link drops its last reference.
# docs/threat-model.md, "Unlinking or renaming a pin".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rm-pin

naive_phase
naive_on
expect "$ATTACK: naive: rm /sys/fs/bpf/naive/link succeeds" rm /sys/fs/bpf/naive/link
naive_undone
naive_off

ratchet_on
pins=$(cd "$PINS" && printf '%s\n' * | sort)
for p in $pins; do
	expect "$ATTACK: ratchet: rm $PINS/$p is refused" refused rm -f "$PINS/$p"
done
expect "$ATTACK: ratchet: unlink(1) of link-ratchet_locked_down is refused" refused unlink $PINS/link-ratchet_locked_down
expect "$ATTACK: ratchet: rm -rf /run/ratchet is refused" refused rm -rf /run/ratchet
mkdir $PINS/d 2>/dev/null
expect "$ATTACK: ratchet: rmdir of a directory in the pin bpffs is refused" refused rmdir $PINS/d
expect "$ATTACK: ratchet: every pin is still there" test "$(cd "$PINS" && printf '%s\n' * | grep -vx d | sort)" = "$pins"
ratchet_holds
collateral
