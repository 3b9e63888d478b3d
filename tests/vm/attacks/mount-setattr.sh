#!/bin/bash
# mount-setattr.sh - mount_setattr(2) changes propagation with no LSM hook
# on any kernel in the suite (grep security_ fs/namespace.c). ratchet
# cannot refuse it; it detects it where it matters: while the pin mount's
# parent receives propagation, every umount is refused (fail closed).
# docs/threat-model.md, "mount_setattr(2)".
# attacks.sh: guest root (its naive part sets /'s propagation, recursively)
# attacks.sh: last (its ratchet part leaves / shared)
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=mount-setattr

naive_phase
naive_on
expect "$ATTACK: naive: mount_setattr(/, shared, AT_RECURSIVE)" run 0 $A setattr / shared rec
expect "$ATTACK: naive: umount -l /sys/fs/bpf in another mount namespace (peers)" \
	unshare -m --propagation unchanged umount -l /sys/fs/bpf
naive_undone
$A setattr / private rec >/dev/null
naive_off

ratchet_on
expect "$ATTACK: ratchet: mount_setattr(/, shared, AT_RECURSIVE) goes through: no hook" \
	run 0 $A setattr / shared rec
echo "    | $(findmnt -no TARGET,PROPAGATION /run/ratchet $PINS | tr '\n' ' ')" >&2
expect "$ATTACK: ratchet: status says the pin mount's parent is shared and umounts are refused" \
	status_says ".ratchet.pins.parent == \"shared\" and .ratchet.pins.umount_refused_everywhere"
$R status | sed -n '1,4s/^/    | /p' >&2
for m in $PINS /run/ratchet /run /; do
	expect "$ATTACK: ratchet: umount -l $m in another namespace (a peer now) is refused" \
		refused unshare -m --propagation unchanged umount -l "$m"
done
expect "$ATTACK: ratchet: fail closed: even an unrelated umount is refused" \
	refused sh -c 'mkdir -p /tmp/u && mount -t tmpfs u /tmp/u; umount /tmp/u'
expect "$ATTACK: ratchet: the pins are still mounted" pins_mounted
ratchet_holds "while the pin mount's parent is shared"
# A slave receives from its master: a peer copy made now becomes it.
unshare -m --propagation unchanged sleep 600 &
NP=$!
sleep 1
expect "$ATTACK: ratchet: mount_setattr(/run/ratchet, slave): its master is the copy in namespace $NP" \
	run 0 $A setattr /run/ratchet slave
expect "$ATTACK: ratchet: status says the pin mount's parent is a slave" \
	status_says ".ratchet.pins.parent == \"slave\""
expect "$ATTACK: ratchet: umount -l of the copies in the master's namespace is refused" \
	refused nsenter -t $NP -m -r -w umount -l $PINS
kill $NP
ratchet_holds "while the pin mount's parent is a slave"
expect "$ATTACK: ratchet: mount_setattr(/run/ratchet, private) makes it safe again" \
	run 0 $A setattr /run/ratchet private
expect "$ATTACK: ratchet: then umounts work again" \
	sh -c 'mkdir -p /tmp/u && mount -t tmpfs u /tmp/u && umount /tmp/u'
ratchet_holds
collateral
collateral_mounts
