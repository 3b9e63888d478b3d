#!/bin/bash
# bind-mount.sh - a bind mount of a shared mount is its peer: with /
# rshared, `mount --rbind /sys /x; umount -l /x` propagates the umount of
# /x/fs/bpf to /sys/fs/bpf, in the same namespace. ratchet's two mounts are
# unbindable: no bind, rbind or clone copies them. docs/threat-model.md,
# "Bind mounts".
# attacks.sh: guest rshared (/ rshared before the lock, as systemd makes it)
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=bind-mount
mkdir -p /tmp/x

naive_phase
mount --make-rshared /
naive_on
expect "$ATTACK: naive: mount --rbind /sys /tmp/x" mount --rbind /sys /tmp/x
expect "$ATTACK: naive: umount -l /tmp/x" umount -l /tmp/x
naive_undone
naive_off

ratchet_on
expect "$ATTACK: ratchet: mount --bind of the pins fails: unbindable" bash -c "! mount --bind $PINS /tmp/x 2>/dev/null"
expect "$ATTACK: ratchet: mount --bind /run/ratchet fails: unbindable" bash -c '! mount --bind /run/ratchet /tmp/x 2>/dev/null'
expect "$ATTACK: ratchet: mount --rbind /run /tmp/x leaves ratchet's mounts out" \
	bash -c 'mount --rbind /run /tmp/x && ! mountpoint -q /tmp/x/ratchet'
expect "$ATTACK: ratchet: umount -l /tmp/x" umount -l /tmp/x
expect "$ATTACK: ratchet: the pins are still mounted" pins_mounted
ratchet_holds
collateral
collateral_mounts
