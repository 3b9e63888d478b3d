#!/bin/bash
# mount-move.sh - move the bpffs (or a mount above it) under a mount that
# is not protected, then umount -l that one.
set -u
. tests/vm/lib.sh
. tests/vm/attack/lib.sh
ATTACK=mount-move
mkdir -p /tmp/mv

naive_on
expect "$ATTACK: naive: mount --move /sys/fs/bpf /tmp/mv" mount --move /sys/fs/bpf /tmp/mv
expect "$ATTACK: naive: umount -l /tmp" umount -l /tmp
naive_undone
mount -t tmpfs tmpfs /tmp
naive_off

ratchet_on
mkdir -p /tmp/a /tmp/b
out=$(mount --move $PINS /tmp/a 2>&1)
rc=$?
echo "    | mount --move $PINS /tmp/a: exit $rc $out" >&2
if [ $rc = 0 ]; then
	expect "$ATTACK: ratchet: after moving the bpffs to /tmp/a, umount -l /tmp is refused" refused umount -l /tmp
	expect "$ATTACK: ratchet: umount -l /tmp/a is refused" refused umount -l /tmp/a
else
	pass "$ATTACK: ratchet: mount --move of the pin bpffs is refused"
fi
out=$(mount --move /run/ratchet /tmp/b 2>&1)
rc=$?
echo "    | mount --move /run/ratchet /tmp/b: exit $rc $out" >&2
if [ $rc = 0 ]; then
	# The bpffs already moved to /tmp/a: /run/ratchet (now /tmp/b) no
	# longer holds it, so unmounting it is harmless; /tmp still is refused.
	expect "$ATTACK: ratchet: after moving /run/ratchet to /tmp/b, umount -l /tmp is still refused" refused umount -l /tmp
else
	pass "$ATTACK: ratchet: mount --move of /run/ratchet is refused"
fi
expect "$ATTACK: ratchet: the pins are still there, under /tmp/a" test -e /tmp/a/link-ratchet_locked_down
ratchet_holds
collateral
