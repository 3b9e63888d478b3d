#!/bin/bash
# pivot-root.sh - pivot_root re-parents the namespace's old root, with
# everything under it, onto a put_old the caller picks: then an umount -l
# of it, or (put_old under /proc/PID) PID's exit, detaches the lot, pins
# included (d_invalidate(), no hook). Refused in the namespace that holds
# the pins; elsewhere (containers) it keeps working. docs/threat-model.md,
# "Moving mounts".
# attacks.sh: guest root (its naive part puts the guest in a new root)
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=pivot-root

# newroot DIR: a root to pivot into, with what the tests and the harness
# need (the repository is on / itself; /dev, /proc and /vm-out are not).
newroot() {
	mkdir -p "$1" && mount --bind / "$1" && mount --rbind /dev "$1/dev" &&
		mount -t proc proc "$1/proc" && mount --rbind /vm-out "$1/vm-out" &&
		mount -t tmpfs tmpfs "$1/tmp"
}

naive_phase
naive_on
expect "$ATTACK: naive: a new root at /tmp/nr" newroot /tmp/nr
mkdir -p /tmp/nr/tmp/old
expect "$ATTACK: naive: pivot_root /tmp/nr /tmp/nr/tmp/old" pivot_root /tmp/nr /tmp/nr/tmp/old
# (The exit of a /proc/PID put_old would detach the old root too, but as
# one connected tree, kept alive here by the harness's shell that has its
# working directory in it.)
expect "$ATTACK: naive: umount -l /tmp/old, the old root" umount -l /tmp/old
naive_undone
# Now in the new root: what the next phase needs.
mount -t tmpfs tmpfs /run
naive_off

ratchet_on
sleep 600 &
P=$!
newroot /tmp/nr2
expect "$ATTACK: ratchet: pivot_root /tmp/nr2 /tmp/nr2/proc/$P is refused" \
	refused pivot_root /tmp/nr2 /tmp/nr2/proc/$P
mkdir -p /tmp/nr2/tmp/old
expect "$ATTACK: ratchet: pivot_root /tmp/nr2 /tmp/nr2/tmp/old is refused" \
	refused pivot_root /tmp/nr2 /tmp/nr2/tmp/old
kill $P
wait $P 2>/dev/null
expect "$ATTACK: ratchet: pivot_root in another namespace works" \
	unshare -m sh -c 'cd /tmp/nr2 && pivot_root . tmp/old && umount -l /tmp/old'
ratchet_holds
collateral
collateral_mounts
