#!/bin/bash
# rt19-kcore-gone.sh - red team 19: status's walk of open files tells
# /proc/kcore by the inode number it reads from the fresh proc instance
# (src/residue.c, kcore()), and a failure there is taken for "this kernel
# has no /proc/kcore": have = root && !fstatat(...), then is_kcore() is
# false for every file. The walking child opens the fresh proc root once
# for its walk and once more in kcore() (on the first link it stats). An
# fmod_ret program on security_file_open (not one of ratchet's hooks;
# direct reads only, so a lock of bpf-read-kernel and bpf-write-user
# does not stop it) refuses a thread named ratchet every open of a proc
# root after its first: the walk is whole, kcore() reads "none", and a
# process holding /proc/kcore open from before `lock kcore` is not
# listed (a loop device on kcore likewise). The checks marked "ratchet:"
# FAIL while the hole exists.
# Closed: kcore() tells 'none' only from ENOENT on a kernel whose BTF
# lacks open_kcore(); any other failure ends the walk as not whole, and a
# loop device's note says what cannot be told (src/residue.c).
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt19-kcore-gone
X=build/tests/ratchet-rt19
mkdir -p "$T"
sleep 600 3</proc/kcore &
h=$!
sleep 0.3
expect "$ATTACK: naive: a process holds /proc/kcore open from before the lock" \
	bash -c "ls -l /proc/$h/fd/ | grep -q /proc/kcore"
expect "$ATTACK: lock" run 0 "$R" lock kcore dev-mem bpf-read-kernel bpf-write-user
try "$R" status
expect "$ATTACK: without the program, status names the holder of /proc/kcore" \
	grep -q "\[$h\] holds /proc/kcore" <<<"$OUT"
rm -f /sys/fs/bpf/rt19-root
expect "$ATTACK: after the lock: the refuser of a second proc root open attaches" \
	run 0 $X root 1 -13 /sys/fs/bpf/rt19-root
expect "$ATTACK: naive: the holder still holds /proc/kcore" \
	bash -c "ls -l /proc/$h/fd/ | grep -q /proc/kcore"
try "$R" status
grep -E 'holds /proc/kcore|not whole|NOT ENFORCED' <<<"$OUT" | indent >&2
expect "$ATTACK: ratchet: status still names the holder of /proc/kcore, or says its list is not whole" \
	grep -qE 'holds /proc/kcore|the list of guarded files held open is not whole' <<<"$OUT"
"$R" status --json >"$T/s.json" 2>/dev/null
expect "$ATTACK: ratchet: status --json lists the holder, or says the list is incomplete" \
	gojq -e '[.. | objects | select(has("survives_the_lock")) | .survives_the_lock | ((.guarded_files_open | length) > 0 or (.incomplete | length) > 0)] | any' "$T/s.json"
rm -f /sys/fs/bpf/rt19-root
kill $h
