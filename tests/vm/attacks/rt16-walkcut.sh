#!/bin/bash
# rt16-walkcut.sh - red team 16 (by reading), played: getdents64()
# returns 0, an end, when security_file_permission() answers a positive
# value (iterate_dir(), fs/readdir.c, 6.1 to 7.2), for any batch of a
# walk. Status's walk of /proc held itself only to listing the walker:
# with the walker given a low pid (root writes kernel.ns_last_pid) and
# 1400 processes before the holder, the walker is in the first batch and
# the holder of /dev/mem in the second, which an fmod_ret program empties.
# Status listed nothing and called its list whole. Its listing of
# /sys/block had no check at all: emptied, status said nothing of a loop
# device on /proc/kcore; and an ENXIO answered for LOOP_GET_STATUS64 read
# as "unbound meanwhile". A walk must now end where the directory's walk
# ends (kfs_dir_whole(), src/kfs.c), and "unbound" is taken from the
# device's size, never from an error. The checks FAIL while a hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt16-walkcut
X=build/tests/ratchet-rt12
SYSFS_MAGIC=0x62656572
PROC_MAGIC=0x9fa0
LOOP_GET_STATUS64=0x4C05
lacks() { ! grep -q -- "$1" <<<"$OUT"; }

modprobe loop
kloop=$(losetup -r -f --show /proc/kcore)
lo=${kloop#/dev/}
# 1400 processes, then the holder: a pid after them all.
/usr/bin/python3 -c '
import os, time
for i in range(1400):
    if os.fork() == 0:
        time.sleep(600)
        os._exit(0)
' &
nprocs() { compgen -G '/proc/[0-9]*' | wc -l; }
for _ in $(seq 300); do [ "$(nprocs)" -gt 1450 ] && break; sleep 0.1; done
sleep 600 3</dev/mem &
h=$!
sleep 0.3
n=$(nprocs)
expect "$ATTACK: $n processes" test "$n" -gt 1450
expect "$ATTACK: lock" run 0 "$R" lock dev-mem kcore bpf-read-kernel bpf-write-user
try "$R" status
expect "$ATTACK: without the cutter, status names the holder of /dev/mem" \
	grep -q "sleep\[$h\] holds /dev/mem" <<<"$OUT"
expect "$ATTACK: ... and /dev/$lo on /proc/kcore" \
	grep -q "/dev/$lo reads /proc/kcore" <<<"$OUT"

expect "$ATTACK: after the lock: a cutter of the proc root's walk after its first batch attaches" \
	run 0 $X perm $PROC_MAGIC 1 4 1 /sys/fs/bpf/rt16-proc 1
echo 100 >/proc/sys/kernel/ns_last_pid
try "$R" status
expect "$ATTACK: naive: status no longer names the holder (the walk was cut)" \
	lacks 'holds /dev/mem'
expect "$ATTACK: ratchet: status says its list of guarded files held open is not whole" \
	grep -q 'the list of guarded files held open is not whole' <<<"$OUT"
rm -f /sys/fs/bpf/rt16-proc

expect "$ATTACK: an emptier of sysfs block/ attaches" \
	run 0 $X perm $SYSFS_MAGIC 5 4 1 /sys/fs/bpf/rt16-block
try "$R" status
expect "$ATTACK: naive: status no longer names /dev/$lo" \
	lacks "/dev/$lo reads"
expect "$ATTACK: ratchet: status says it could not look for loop devices" \
	grep -q 'could not look for loop devices on guarded files' <<<"$OUT"
rm -f /sys/fs/bpf/rt16-block

expect "$ATTACK: an ENXIO answer for LOOP_GET_STATUS64 attaches" \
	run 0 $X ioctl $LOOP_GET_STATUS64 -6 /sys/fs/bpf/rt16-ioctl
try "$R" status
expect "$ATTACK: ratchet: /dev/$lo, still bound, is listed as not told" \
	grep -q "loop device $lo: cannot tell what it reads (No such device or address)" <<<"$OUT"
rm -f /sys/fs/bpf/rt16-ioctl
losetup -d "$kloop"
kill $h
pkill -f 'time.sleep\(600\)' || :
