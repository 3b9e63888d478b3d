#!/bin/bash
# rt2-recursive-removal.sh - red team 2: inside the first lock, right
# before the raise that seals (build/tests/ratchet-window.so), root mounts
# a private tmpfs X on a debugfs directory the kernel removes on request
# (block/loop7, through a second debugfs mount on /tmp, so that no sysfs
# dentry is on the chain) and moves ratchet's /run/ratchet tmpfs, with the
# pin bpffs on it, into X. debugfs has no d_revalidate, so the seal's walk
# (which looked only for one) sealed and the lock exited 0. Removing loop7
# (LOOP_CTL_REMOVE) -> del_gendisk() -> debugfs_remove_recursive() ->
# simple_recursive_removal() calls d_invalidate() on each directory
# (fs/libfs.c, 6.1 to 7.2), which detaches X and everything under it with
# no hook: the pin bpffs goes with its pins and links, and dev-mem opens.
# record_pin() now allows a chain mount only on a dentry of a file system
# known not to do that (safe_mountpoint(), bpf/mounts.h): the raise
# refuses to seal (ESTALE) and the first lock undoes itself.
# docs/threat-model.md, "Dentries the kernel invalidates".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt2-lib.sh
ATTACK=rt2-recursive-removal
D=/tmp/rt2-debugfs/block/loop7

if ! modprobe loop 2>/dev/null || ! mkdir -p /tmp/rt2-debugfs ||
	! mount -t debugfs none /tmp/rt2-debugfs || [ ! -d "$D" ]; then
	skip "$ATTACK: no loop7 directory in debugfs (loop module)"
	exit 0
fi
rt2_window_move "$D" debugfs
# LOOP_CTL_REMOVE (0x4c81) of loop7 on /dev/loop-control
perl -e 'open(my $f, "<", "/dev/loop-control") or die "$!\n"; ioctl($f, 0x4c81, 7) // die "LOOP_CTL_REMOVE: $!\n"' 2>&1 | indent >&2
sleep 2
gone=0
[ -d "$D" ] || gone=1
expect "$ATTACK: naive: the kernel removed $D" test $gone = 1
expect "$ATTACK: ratchet: the lock did not exit 0, or dev-mem is still refused after loop7 is removed" \
	bash -c "[ $RC != 0 ] || is dev-mem 1"
"$R" status 2>&1 | head -4 | sed 's/^/    | status: /' >&2
