#!/bin/bash
# rt14-iterblind.sh - red team 14: a BPF iterator's fd does not seek, so a
# read count with nothing read (a positive answer of
# security_file_permission(), returned by rw_verify_area() before
# vfs_read() reads, fs/read_write.c, 6.1 to 7.2) cannot be told from the
# file position. Before the first lock: fmod_ret on security_locked_down
# undoing bpf-read-kernel, which the lock's program scan must find, and a
# program answering K, then one record's size - K, for ratchet's reads of
# each iterator fd: every later record of the scan sat K bytes out of
# place, the total was still whole records, the overruler vanished, and
# the lock exited 0 with bpf-read-kernel allowed (6.1, 6.12, 7.2). Each
# record now carries a magic and its index (src/progscan.c): the scan
# fails, and so does the lock. docs/threat-model.md, "A faked byte count".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt14-iterblind
X=build/tests/ratchet-rt12
REC=${RT14_REC:-56} # sizeof(struct ratchet_prog_scan)

expect "$ATTACK: before the lock: fmod_ret on security_locked_down attached" run 0 $A fmodret
expect "$ATTACK: before the lock: the iterator misaligner (4, then $REC - 4) attached" \
	run 0 $X iter 4 "$REC" /sys/fs/bpf/rt14-iter
try "$R" lock dev-mem kexec bpf-read-kernel bpf-write-user
expect "$ATTACK: the lock does not exit 0 (exit $RC)" test "$RC" != 0
expect "$ATTACK: ... the scan's records did not read whole" grep -q 'Protocol error' <<<"$OUT"
rm -f /sys/fs/bpf/rt14-iter
try "$R" lock dev-mem kexec bpf-read-kernel bpf-write-user
expect "$ATTACK: the misaligner gone, the lock exits 1 (exit $RC)" test "$RC" = 1
expect "$ATTACK: ... and names the overruler" grep -q 'is fmod_ret on a function' <<<"$OUT"
