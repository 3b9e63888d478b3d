#!/bin/bash
# rt4-btrfs-subvol.sh - red team 4 (F1): the first lock with /run inside
# a btrfs subvolume (a btrfs on a loop device, subvolume "sub"): first
# /run is sub itself, mounted with subvol=; then /run is a bind mount of
# sub/run, so that ratchet's tmpfs sits on the btrfs dentry sub/run/ratchet
# (inode > 256) and neither that dentry nor the bind mount's root (sub/run)
# is a subvolume root. The seal looked only at each chain mountpoint
# itself (safe_mountpoint(), bpf/mounts.h), so both locks sealed and
# exited 0. `btrfs subvolume delete` (BTRFS_IOC_SNAP_DESTROY ->
# btrfs_delete_subvolume() -> d_invalidate() on sub; fs/btrfs/ioctl.c,
# fs/btrfs/inode.c, 6.1 to 7.2) refuses no mounted subvolume, runs no LSM
# hook and detaches every mount on a dentry below sub, in every namespace
# (fs/dcache.c): ratchet's tmpfs goes with the pin bpffs, its pins and
# links, and dev-mem opens. The seal's walk now goes up from each btrfs
# mountpoint through d_parent to the superblock's root (past the mount's
# own root) and refuses any subvolume root on the way: the raise refuses
# to seal (ESTALE) and the first lock undoes itself; a lock with /run in
# the top-level subvolume still seals. docs/threat-model.md, "Dentries
# the kernel invalidates".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt4-btrfs-subvol
V=/tmp/rt4-vol

if ! modprobe -a loop btrfs 2>/dev/null || ! command -v mkfs.btrfs >/dev/null ||
	! truncate -s 160M /tmp/rt4.img || ! mkfs.btrfs -q /tmp/rt4.img >/dev/null ||
	! mkdir -p "$V" || ! mount -o loop /tmp/rt4.img "$V"; then
	skip "$ATTACK: no btrfs here (module, btrfs-progs or a loop device)"
	exit 0
fi
btrfs subvolume create "$V/sub" >/dev/null && mkdir "$V/sub/run"
# First /run as the subvolume itself, mounted with subvol=: its root (the
# mount's root, inode 256) is deleted while mounted as well, and every
# mount below it goes.
mount -o loop,subvol=sub /tmp/rt4.img /run
try "$R" lock dev-mem kexec
S=$RC
echo "    | ratchet lock (subvol= on /run) exited $S" >&2
expect "$ATTACK: ratchet: the lock does not seal with /run a mounted subvolume, and says why" \
	grep -q "or a mount above it sits on a file system that can invalidate it" <<<"$OUT"
expect "$ATTACK: ratchet: that lock exits non-zero, leaving nothing mounted on /run/ratchet" \
	bash -c "[ $S != 0 ] && ! grep -q ' /run/ratchet' /proc/self/mountinfo"
umount -R /run
# Then /run a bind mount of sub/run: the mount's root shows no subvolume.
mount --bind "$V/sub/run" /run
expect "$ATTACK: naive: /run is a directory in subvolume sub (inode $(stat -c %i /run))" \
	bash -c "[ \$(stat -c %i $V/sub) = 256 ] && [ \$(stat -c %i /run) != 256 ] && [ \$(stat -f -c %T /run) = btrfs ]"
try "$R" lock dev-mem kexec
L=$RC
echo "    | ratchet lock exited $L" >&2
expect "$ATTACK: ratchet: the lock does not seal on a chain below a btrfs subvolume, and says why" \
	grep -q "or a mount above it sits on a file system that can invalidate it" <<<"$OUT"
expect "$ATTACK: ratchet: the lock exits non-zero" test "$L" != 0
expect "$ATTACK: ratchet: and leaves nothing mounted on /run/ratchet" \
	bash -c "[ $L = 0 ] || ! grep -q ' /run/ratchet' /proc/self/mountinfo"
try btrfs subvolume delete "$V/sub"
expect "$ATTACK: naive: the subvolume is deleted" test ! -e "$V/sub"
sleep 2
expect "$ATTACK: ratchet: neither lock exited 0, or dev-mem is still refused after the delete" \
	bash -c "{ [ $S != 0 ] && [ $L != 0 ]; } || is dev-mem 1"
"$R" status 2>&1 | head -4 | sed 's/^/    | status: /' >&2
expect "$ATTACK: ratchet: status --check dev-mem does not pass while dev-mem opens" \
	bash -c "! $R status --check dev-mem >/dev/null 2>&1 || is dev-mem 1"
umount /run 2>/dev/null
mkdir "$V/run" && mount --bind "$V/run" /run
try "$R" lock dev-mem kexec
expect "$ATTACK: ratchet: a first lock with /run in the top-level subvolume then exits 0" test "$RC" = 0
expect "$ATTACK: ratchet: and dev-mem is refused" is dev-mem 1
# ratchet_snapshot reads the chain through the same walk: a subvolume root
# above the chain would show as detachable, the top level's root does not.
expect "$ATTACK: ratchet: status --json: the pins are not detachable" \
	bash -c "tests/rjson status | gojq -e '.ratchet.pins.detachable == false' >/dev/null"
