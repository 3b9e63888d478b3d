#!/bin/bash
# mountpoint-rmdir.sh - detach without any umount: rmdir, or rename over, a
# dentry on which the pins (or a mount above them) are mounted, from a
# namespace where it is not a mountpoint. vfs_rmdir()/vfs_rename() refuse
# only local mountpoints (is_local_mountpoint()), then detach_mounts()
# unmounts what sits on the dentry in every namespace. The inode hooks
# still run first. docs/threat-model.md, "Removing a mountpoint".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=mountpoint-rmdir

naive_phase
naive_on
mkdir -p /run/a
mount -t tmpfs a /run/a
mkdir /run/a/b
expect "$ATTACK: naive: the naive pins moved onto a tmpfs directory /run/a/b" mount --move /sys/fs/bpf /run/a/b
expect "$ATTACK: naive: in another namespace, umount the copy, rmdir /run/a/b" \
	unshare -m sh -c 'umount /run/a/b && rmdir /run/a/b'
naive_undone
naive_off

ratchet_on
ns() { unshare -m sh -c "$1"; }
expect "$ATTACK: ratchet: in another namespace, rmdir $PINS (its copy unmounted there) is refused" \
	refused ns "umount -l $PINS; rmdir $PINS"
expect "$ATTACK: ratchet: ... rmdir /run/ratchet is refused" \
	refused ns "umount -l /run/ratchet; rmdir /run/ratchet"
expect "$ATTACK: ratchet: ... rmdir /run is refused" refused ns "umount -l /run; rmdir /run"
expect "$ATTACK: ratchet: ... rename of a directory over /run/ratchet is refused" \
	refused ns "umount -l /run/ratchet; mkdir /run/e && mv -T /run/e /run/ratchet"
expect "$ATTACK: ratchet: ... rename of a directory over $PINS is refused" \
	refused ns "umount -l $PINS; mkdir /run/ratchet/e && mv -T /run/ratchet/e $PINS"
expect "$ATTACK: ratchet: ... rename of /run/ratchet itself is refused" \
	refused ns "umount -l /run/ratchet; mv /run/ratchet /run/r2"
expect "$ATTACK: ratchet: ... RENAME_EXCHANGE of /run/ratchet is refused" \
	ns "umount -l /run/ratchet; mkdir /run/x; $A rename /run/x /run/ratchet exchange; test \$? = 1"
expect "$ATTACK: ratchet: rmdir of an ordinary mountpoint from another namespace still works" \
	sh -c 'mkdir -p /tmp/o && mount -t tmpfs o /tmp/o && unshare -m sh -c "umount /tmp/o && rmdir /tmp/o"'
expect "$ATTACK: ratchet: the pins are still mounted" pins_mounted
ratchet_holds
collateral
collateral_mounts
