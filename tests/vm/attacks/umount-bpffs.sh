#!/bin/bash
# umount-bpffs.sh - unmounting the bpffs frees its superblock, and the pins
# in it with their links.
# docs/threat-model.md, "Umount of the pin mount or a mount above it".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=umount-bpffs

naive_phase
naive_on
expect "$ATTACK: naive: umount /sys/fs/bpf succeeds" umount /sys/fs/bpf
naive_undone
naive_off
naive_on
expect "$ATTACK: naive: umount -l /sys/fs/bpf succeeds" umount -l /sys/fs/bpf
naive_undone
naive_off

ratchet_on
expect "$ATTACK: ratchet: umount $PINS is refused" refused umount $PINS
expect "$ATTACK: ratchet: umount -l $PINS is refused" refused umount -l $PINS
expect "$ATTACK: ratchet: umount -f $PINS is refused" refused umount -f $PINS
mkdir -p /tmp/b
expect "$ATTACK: ratchet: no bind mount of the pin bpffs can be made (unbindable)" \
	bash -c "! mount --bind $PINS /tmp/b 2>/dev/null"
expect "$ATTACK: ratchet: the pins are still mounted at $PINS" test -e $PINS/link-ratchet_locked_down
ratchet_holds
collateral
