#!/bin/bash
# rt9-fakeproc.sh - red team 9: the first lock pinned its links, and then
# checked those pins, by the path "/proc/self/fd/N/link-NAME", N its fd of
# the new bpffs: a walk through whatever is mounted on /proc, not through
# the fd. Before the first lock root binds a directory of its own over
# /proc: every entry a symlink into a real proc mounted elsewhere (so the
# namespace check still sees the real ones), except self/fd/N, symlinks
# to a directory of root's own bpffs. BPF_OBJ_PIN followed them: the
# links were pinned in root's bpffs, none in ratchet's; the check found
# them there, and the lock exited 0 (also with `integrity
# confidentiality`). Root then took its cover away and removed the pins
# (not ratchet's bpffs: no hook refuses), the links' last references
# went, and /dev/mem opened, on 6.1, 6.12 and 7.2. ratchet now pins, and
# checks its pins, by names relative to the bpffs's own fd as its working
# directory (pindir_within(), src/pindir.c). The checks FAIL while a lock
# exits 0 with its pins outside its bpffs, or is undone.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt9-fakeproc
RP=/mnt/rt9-realproc
FP=/mnt/rt9-fakeproc
EVIL=/sys/fs/bpf/rt9-evil
mkdir -p "$T"

# The cover: a tmpfs at $FP shaped like /proc, bound over /proc.
mkdir -p $RP $FP
mount -t proc proc $RP
mount -t tmpfs rt9 $FP
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
mkdir -p $EVIL
for e in "$RP"/*; do
	n=${e##*/}
	[ "$n" = self ] || ln -s "$e" "$FP/$n"
done
mkdir -p $FP/self/fd
for e in "$RP"/self/*; do
	n=${e##*/}
	[ "$n" = fd ] || ln -s "$RP/self/$n" "$FP/self/$n"
done
for n in $(seq 0 255); do ln -s $EVIL "$FP/self/fd/$n"; done
expect "$ATTACK: before the lock, a cover of /proc whose self/fd/N lead to $EVIL" \
	mount --bind $FP /proc

# shellcheck disable=SC2086 # $LOCK: one argument per restriction
expect "$ATTACK: ratchet: lock $LOCK under the cover" run any "$R" lock $LOCK
lrc=$(cat "$T/rc")
# shellcheck disable=SC2086 # $LOCK: one argument per restriction
try $R status --check $LOCK
src=$RC
umount /proc
npins=$(find /run/ratchet/bpf -maxdepth 1 -name 'link-*' 2>/dev/null | wc -l)
nevil=$(find $EVIL -maxdepth 1 -name 'link-*' | wc -l)
echo "    | lock exited $lrc; links pinned: $npins in /run/ratchet/bpf, $nevil in $EVIL" >&2
expect "$ATTACK: ratchet: no link of the lock is pinned in root's bpffs ($nevil)" test "$nevil" = 0
expect "$ATTACK: ratchet: a lock that exited 0 pinned its links in its own bpffs ($npins)" \
	test "$lrc" != 0 -o "$npins" -gt 0
expect "$ATTACK: ratchet: status --check under the cover passed only with the pins in ratchet's bpffs" \
	test "$src" != 0 -o "$npins" -gt 0
# The undo: whatever root's bpffs holds, removed.
try sh -c "rm -fv $EVIL/link-* $EVIL/raise $EVIL/snapshot $EVIL/read $EVIL/mark"
if [ "$lrc" = 0 ]; then
	ratchet_holds "after root removed what its bpffs held"
else
	skip "$ATTACK: ratchet: the lock refused under the cover: nothing to hold"
fi
collateral
