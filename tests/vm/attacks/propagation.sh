#!/bin/bash
# propagation.sh - an umount propagates to the peers of a shared mount
# without the sb_umount hook seeing them. / is made rshared first, as
# systemd does. In a new mount namespace whose mounts are peers of ours,
# an umount -l of the copy there takes our mount with it.
set -u
. tests/vm/lib.sh
. tests/vm/attack/lib.sh
ATTACK=propagation
mount --make-rshared /

naive_on
expect "$ATTACK: naive: umount -l /sys/fs/bpf in another mount namespace (peers)" \
	unshare -m --propagation unchanged umount -l /sys/fs/bpf
naive_undone
naive_off

ratchet_on
expect "$ATTACK: ratchet: ratchet's own mounts are private" \
	test "$(findmnt -no PROPAGATION /run/ratchet)$(findmnt -no PROPAGATION $PINS)" = privateprivate
out=$(unshare -m --propagation unchanged sh -c 'umount -l /run/ratchet && echo detached there' 2>&1)
echo "    | with private mounts: $out" >&2
expect "$ATTACK: ratchet: with its mounts private, the pins survive umount -l /run/ratchet in another namespace" \
	test -e $PINS/state
ratchet_holds "after the namespace umount with private mounts"
# The attacker tries to make them shared again: sb_mount refuses.
expect "$ATTACK: ratchet: mount --make-shared /run/ratchet is refused" refused mount --make-shared /run/ratchet
expect "$ATTACK: ratchet: mount --make-shared of the pin bpffs is refused" refused mount --make-shared $PINS
expect "$ATTACK: ratchet: mount --make-slave of the pin bpffs is refused" refused mount --make-slave $PINS
out=$(unshare -m --propagation unchanged sh -c 'umount -l /run/ratchet && echo detached there' 2>&1)
echo "    | after make-shared: $out; here: $(findmnt -no TARGET,PROPAGATION $PINS | tr '\n' ' ')" >&2
expect "$ATTACK: ratchet: the pins are still mounted here" test -e $PINS/state
ratchet_holds
collateral
