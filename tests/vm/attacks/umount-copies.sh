#!/bin/bash
# umount-copies.sh - with / rshared (systemd), every mount's copy in a new
# namespace is its peer. An umount -l there of a copy of an ancestor of the
# pins propagates to the originals below it, unseen (fs/pnode.c). The pin
# mount's parent is unbindable, so it receives nothing; it still holds the
# pins, so it is never removed either. docs/threat-model.md, "Umount of copies in other namespaces".
# attacks.sh: guest rshared (/ rshared before the lock, as systemd makes it)
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=umount-copies

naive_phase
mount --make-rshared /
naive_on
expect "$ATTACK: naive: umount -l /sys in another namespace (a peer of /sys)" \
	unshare -m --propagation unchanged umount -l /sys
naive_undone
naive_off

ratchet_on
# Not /: umount -l of a peer of / would also take every mount here whose
# parent is / and that has no children (/proc, /dev, this test's share).
# /run is the same case one level down: a shared parent, and a child (the
# pins' parent) that holds a mount of its own.
for m in /run /run/ratchet $PINS; do
	expect "$ATTACK: ratchet: umount -l $m in another namespace (peer copies) goes through there" \
		unshare -m --propagation unchanged sh -c "umount -l $m && ! mountpoint -q $PINS"
	expect "$ATTACK: ratchet: ... and the pins are still mounted here" pins_mounted
done
expect "$ATTACK: ratchet: umount -R /run in another namespace goes through there" \
	unshare -m --propagation unchanged umount -R /run
ratchet_holds
collateral
collateral_mounts
