#!/bin/bash
# propagation.sh - mount(2) propagation changes (MS_SHARED, MS_SLAVE,
# MS_PRIVATE, MS_UNBINDABLE, with or without MS_REC). Made shared, a
# mount's copy in another namespace is its peer, and an umount -l there
# propagates back without sb_umount seeing the original (fs/pnode.c
# propagate_umount). docs/threat-model.md, "Propagation changes by mount(2)".
# attacks.sh: guest rshared (/ rshared before the lock, as systemd makes it)
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=propagation

naive_phase
# As systemd does at boot, before any lock.
mount --make-rshared /
naive_on
expect "$ATTACK: naive: umount -l /sys/fs/bpf in another mount namespace (peers)" \
	unshare -m --propagation unchanged umount -l /sys/fs/bpf
naive_undone
naive_off

ratchet_on
expect "$ATTACK: ratchet: its two mounts are unbindable (private, never copied by a bind)" \
	test "$(findmnt -no PROPAGATION /run/ratchet) $(findmnt -no PROPAGATION $PINS)" = "private,unbindable private,unbindable"
for m in /run/ratchet $PINS; do
	for t in shared slave private unbindable; do
		expect "$ATTACK: ratchet: mount --make-$t $m is refused" refused mount "--make-$t" "$m"
	done
done
for m in /run /; do
	for t in rshared rslave rprivate; do
		expect "$ATTACK: ratchet: mount --make-$t $m (MS_REC reaches the pins) is refused" \
			refused mount "--make-$t" "$m"
	done
done
expect "$ATTACK: ratchet: mount --make-slave /run (no MS_REC: reaches neither) is allowed" \
	mount --make-slave /run
expect "$ATTACK: ratchet: mount --make-shared /run again is allowed" mount --make-shared /run
echo "    | $(findmnt -no TARGET,PROPAGATION /run /run/ratchet $PINS | tr '\n' ' ')" >&2
# Not /: with / rshared, that would also take /proc, /dev and the test's
# own share here (umount-copies.sh does it with those made private).
for m in $PINS /run/ratchet /run; do
	out=$(unshare -m --propagation unchanged umount -l "$m" 2>&1)
	echo "    | in another namespace, umount -l $m: exit $? $out" >&2
done
expect "$ATTACK: ratchet: after umount -l of every copy in another namespace, the pins are mounted" pins_mounted
ratchet_holds
collateral
collateral_mounts
