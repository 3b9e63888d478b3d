#!/bin/bash
# move-mount.sh - move_mount(2), which names both ends by object: moving
# the pins or a mount above them, MOVE_MOUNT_BENEATH (6.5+: slides a new
# parent in under a mount), MOVE_MOUNT_SET_GROUP (joins a peer group), and
# open_tree(OPEN_TREE_CLONE) copies. docs/threat-model.md, "Moving mounts".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=move-mount

naive_phase
naive_on
naive_move "move_mount(/sys/fs/bpf, $NP/mv)" run 0 $A move-mount /sys/fs/bpf $NP/mv
naive_undone
naive_off

ratchet_on
mkdir -p /tmp/a /tmp/b
for m in $PINS /run/ratchet /run; do
	expect "$ATTACK: ratchet: move_mount($m, /tmp/a) is refused" run 1 "$A" move-mount "$m" /tmp/a
done
mount -t tmpfs under /tmp/b
out=$($A move-mount /tmp/b $PINS beneath 2>&1)
rc=$?
echo "    | $out" >&2
if [ $rc = 2 ] && grep -q 'Invalid argument' <<<"$out" && [ "$K" = 6.1 ]; then
	skip "$ATTACK: ratchet: MOVE_MOUNT_BENEATH does not exist before 6.5"
else
	expect "$ATTACK: ratchet: move_mount(tmpfs, $PINS, BENEATH) is refused" test $rc = 1
	expect "$ATTACK: ratchet: move_mount(tmpfs, /run/ratchet, BENEATH) is refused" \
		run 1 $A move-mount /tmp/b /run/ratchet beneath
	expect "$ATTACK: ratchet: move_mount(tmpfs, /run, BENEATH) (a mount inserted above the pins) is refused" \
		run 1 $A move-mount /tmp/b /run beneath
fi
mount --make-shared /tmp/b
expect "$ATTACK: ratchet: move_mount(shared tmpfs, /run/ratchet, SET_GROUP) is refused" \
	run 1 $A move-mount /tmp/b /run/ratchet set-group
expect "$ATTACK: ratchet: move_mount(tmpfs, into /run/ratchet) is refused" \
	sh -c "mkdir -p /tmp/x && mount -t tmpfs x /tmp/x && $A move-mount /tmp/x /run/ratchet; test \$? = 1"
expect "$ATTACK: ratchet: open_tree(OPEN_TREE_CLONE) of the pins fails: unbindable" \
	run 2 $A clone-tree $PINS /tmp/a
expect "$ATTACK: ratchet: open_tree(/run, OPEN_TREE_CLONE|AT_RECURSIVE) copies /run without ratchet's mounts" \
	sh -c "$A clone-tree /run /tmp/a rec && ! mountpoint -q /tmp/a/ratchet"
expect "$ATTACK: ratchet: and that copy can be unmounted" umount -R /tmp/a
expect "$ATTACK: ratchet: move_mount of a mount that holds nothing of ratchet's works" \
	sh -c "mkdir -p /tmp/y /tmp/z && mount -t tmpfs y /tmp/y && $A move-mount /tmp/y /tmp/z && umount /tmp/z"
expect "$ATTACK: ratchet: the pins are where they were" test -e $PINS/link-ratchet_locked_down
ratchet_holds
collateral
collateral_mounts
