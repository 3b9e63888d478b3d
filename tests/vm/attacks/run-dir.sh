#!/bin/bash
# run-dir.sh - before the first lock, root puts something at /run/ratchet:
# a symlink (the mounts would land wherever it points), a file, a mount of
# its own (a tmpfs, a bpffs with pins of its own, a FUSE file system), or
# mounts a FUSE file system over /run itself. A FUSE server can invalidate
# the dentry a mount sits on (FUSE_NOTIFY_INVAL_ENTRY), and d_invalidate()
# then detaches every mount on it, with no hook: the pins and the lock go.
# ratchet uses nothing it finds there: /run/ratchet must be a plain
# directory or absent, the mounts are made fresh and attached by fd, and
# ratchet_raise refuses to seal on a mountpoint that can be invalidated.
# Each attempt exits 1, says why, locks nothing and leaves no mount.
# docs/threat-model.md, "The first lock".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=run-dir
I=build/tests/ratchet-impostor
modprobe fuse 2>/dev/null

# fuse_start DIR: a FUSE file system of ratchet-impostor's at DIR.
fuse_start() { start_tool "$T/fuse.out" $I fuse "$1"; }
fuse_stop() {
	stop_tool
	umount -l "$1" 2>/dev/null
}

# lock_refused WHY: `ratchet lock dev-mem` exits 1 saying WHY, locks
# nothing, and leaves no mount of its own (what root mounted stays).
lock_refused() {
	local before
	before=$(grep -c ' /run/ratchet' /proc/self/mountinfo)
	try $R lock dev-mem
	[ "$RC" = 1 ] && grep -q "$1" <<<"$OUT" && grep -q 'nothing was locked' <<<"$OUT" &&
		is dev-mem 0 && [ "$(grep -c ' /run/ratchet' /proc/self/mountinfo)" = "$before" ]
}

# The naive lock in a bpffs on a FUSE directory goes with one notification.
naive_phase
mkdir -p "$T/f"
fuse_start "$T/f"
mkdir "$T/f/pins" && mount -t bpf bpf "$T/f/pins"
expect "$ATTACK: naive: the naive lock pinned in a bpffs on a FUSE directory" run 0 $I naive-at "$T/f/pins"
expect "$ATTACK: naive: it refuses dev-mem" is dev-mem 1
kill -USR1 "$BG"
sleep 1
indent <"$T/fuse.out" >&2
naive_undone
fuse_stop "$T/f"

ln -s "$T" /run/ratchet
expect "$ATTACK: ratchet: /run/ratchet a symlink: refused" lock_refused 'symbolic link'
rm /run/ratchet
touch /run/ratchet
expect "$ATTACK: ratchet: /run/ratchet a file: refused" lock_refused 'not a directory'
rm /run/ratchet
mkdir /run/ratchet
mount -t tmpfs x /run/ratchet
expect "$ATTACK: ratchet: a tmpfs of root's at /run/ratchet: refused" lock_refused 'already mounted'
umount /run/ratchet
mount -t bpf bpf /run/ratchet
mkdir /run/ratchet/bpf
bpftool map create /run/ratchet/bpf/state type array key 4 value 4 entries 1 name state
expect "$ATTACK: ratchet: a bpffs of root's with its pins at /run/ratchet: refused" lock_refused 'already mounted'
rm -f /run/ratchet/bpf/state
umount /run/ratchet
fuse_start /run/ratchet
expect "$ATTACK: ratchet: a FUSE file system at /run/ratchet: refused" lock_refused 'already mounted'
fuse_stop /run/ratchet
rmdir /run/ratchet
fuse_start /run
expect "$ATTACK: ratchet: /run itself on FUSE: ratchet_raise refuses to seal" lock_refused 'can invalidate it'
fuse_stop /run
expect "$ATTACK: ratchet: status: nothing locked after all that" \
	status_says ".ratchet.locked == false"

ratchet_on
ratchet_holds
collateral
