#!/bin/bash
# mount-move.sh - mount(2) MS_MOVE of the pins or a mount above them, then
# umount -l of their new, unprotected parent. mount(2) names the source by
# a string only, so ratchet refuses MS_MOVE in the namespace that holds its
# pins. docs/threat-model.md, "Moving mounts".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=mount-move

naive_phase
naive_on
naive_move "mount --move /sys/fs/bpf $NP/mv" mount --move /sys/fs/bpf $NP/mv
naive_undone
naive_off

ratchet_on
mkdir -p /tmp/a
for m in $PINS /run/ratchet /run; do
	expect "$ATTACK: ratchet: mount --move $m /tmp/a is refused" refused mount --move "$m" /tmp/a
done
expect "$ATTACK: ratchet: umount -l /tmp/a finds nothing moved there" \
	bash -c '! mountpoint -q /tmp/a'
expect "$ATTACK: ratchet: the pins are where they were" test -e $PINS/link-ratchet_locked_down
expect "$ATTACK: ratchet: in another namespace a move of the copies works, and changes nothing here" \
	unshare -m sh -c "mount --move /run/ratchet /tmp/a && umount -l /tmp"
ratchet_holds
collateral
collateral_mounts
