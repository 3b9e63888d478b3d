#!/bin/bash
# umount-ancestor.sh - `umount -l` of a mount above the bpffs detaches the
# whole subtree without the hook ever seeing the bpffs mount itself.
# docs/threat-model.md, "Umount of the pin mount or a mount above it".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=umount-ancestor

naive_phase
naive_on
expect "$ATTACK: naive: umount -l /sys succeeds" umount -l /sys
naive_undone
naive_off

ratchet_on
for m in /run/ratchet /run /; do
	expect "$ATTACK: ratchet: umount -l $m is refused" refused umount -l $m
done
expect "$ATTACK: ratchet: umount /run (not lazy) fails" bash -c '! umount /run 2>/dev/null'
# In a new mount namespace the hook sees only the namespace's own copies:
# they are not ratchet's mount or its ancestors, so this one goes through;
# with private mounts nothing propagates back.
out=$(unshare -m --propagation unchanged sh -c 'umount -l / && echo detached' 2>&1)
echo "    | unshare -m --propagation unchanged sh -c 'umount -l /': $out" >&2
expect "$ATTACK: ratchet: after umount -l / in another mount namespace, the pins are still mounted here" test -e $PINS/link-ratchet_locked_down
out=$(unshare -m --propagation unchanged sh -c 'umount -l /run/ratchet && echo detached' 2>&1)
echo "    | unshare -m --propagation unchanged sh -c 'umount -l /run/ratchet': $out" >&2
expect "$ATTACK: ratchet: after umount -l /run/ratchet in another mount namespace, the pins are still mounted here" test -e $PINS/link-ratchet_locked_down
ratchet_holds
collateral
