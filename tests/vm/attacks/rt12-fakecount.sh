#!/bin/bash
# rt12-fakecount.sh - red team 12: a positive answer of a security_*
# function is the system call's result. fmod_ret on
# security_file_permission answering N for ratchet's read of
# kernel.modules_disabled makes read(2) return N with nothing read
# (rw_verify_area(), fs/read_write.c, 6.1 to 7.2); a reader that indexes
# its buffer with the count writes past it: with N = 224, status --check
# exited 0 on a lock it had just reported overruled, and other N crashed
# apply and status. The programs use no helper that reads or writes
# memory, so they load after a lock of bpf-read-kernel and
# bpf-write-user. ratchet holds every count to what it asked for
# (src/sysio.c): each N is an error, reported. Also: a positive answer
# for getdents64() of /proc (an empty directory), for fsconfig() of its
# fresh proc instances and for the loop ioctl. docs/threat-model.md, "A
# faked byte count".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt12-fakecount
X=build/tests/ratchet-rt12
M=/proc/sys/kernel/modules_disabled
PROC=0x9fa0 # PROC_SUPER_MAGIC
counts="31 48 56 224 4096 65536 100000000"

# answer_reads N: the program answering N for ratchet's reads of a proc
# file whose name is 16 long (modules_disabled).
answer_reads() {
	rm -f /sys/fs/bpf/rt12-r
	run 0 $X perm $PROC 16 4 "$1" /sys/fs/bpf/rt12-r
}

# A lock undone before it was made, which status must keep saying.
expect "$ATTACK: before the lock: fmod_ret on security_locked_down attached" run 0 $A fmodret
try "$R" lock dev-mem kexec bpf-read-kernel bpf-write-user
expect "$ATTACK: the lock exits 1 (overruled)" test "$RC" = 1
expect "$ATTACK: bpf-read-kernel is allowed (the lock is undone)" is bpf-read-kernel 0
# The program answers: a dd named ratchet is told it read 224 bytes of
# a 2-byte file.
mkdir -p "$T/naive" && cp /bin/dd "$T/naive/ratchet"
expect "$ATTACK: the program answering 224 for reads attaches" answer_reads 224
try "$T/naive/ratchet" if=$M of=/dev/null bs=512 count=1
expect "$ATTACK: naive: a reader named ratchet is told it read 224 bytes of $M" \
	grep -q '^224 bytes' <<<"$OUT"
for n in $counts; do
	expect "$ATTACK: after the lock: the program answering $n for reads attaches" answer_reads "$n"
	try "$R" status --check bpf-read-kernel
	expect "$ATTACK: read count $n: status --check bpf-read-kernel exits 1 (exit $RC)" test "$RC" = 1
done
rm -f /sys/fs/bpf/rt12-r

conf=$T/ratchet.conf
printf 'stage s\nlock modules\nset-sysctl kernel.modules_disabled\n' >"$conf"
expect "$ATTACK: the program answering 2 for writes of modules_disabled attaches" \
	run 0 $X perm $PROC 16 2 2 /sys/fs/bpf/rt12-w
for n in $counts; do
	answer_reads "$n" >/dev/null
	try timeout 60 "$R" apply --config "$conf"
	expect "$ATTACK: read count $n: apply exits 1, not 'applied completely' (exit $RC)" \
		bash -c "test $RC = 1 && ! grep -q 'applied completely' <<<\"\$0\"" "$OUT"
done
expect "$ATTACK: modules_disabled still reads 0" test "$(cat $M)" = 0
rm -f /sys/fs/bpf/rt12-r /sys/fs/bpf/rt12-w

# getdents64() of /proc (a name 1 long: "/"): an empty directory.
expect "$ATTACK: the program answering 1 for reads of proc's root attaches" \
	run 0 $X perm $PROC 1 4 1 /sys/fs/bpf/rt12-d
try "$R" status
expect "$ATTACK: /proc read empty: status says it could not list open guarded files" \
	grep -q 'the list of guarded files held open is not whole' <<<"$OUT"
rm -f /sys/fs/bpf/rt12-d

# fsconfig(FSCONFIG_CMD_CREATE) of a fresh proc instance answering 1.
expect "$ATTACK: the program answering 1 for proc's mount options attaches" \
	run 0 $X mnt $PROC 1 /sys/fs/bpf/rt12-m
try "$R" status --check dev-mem
expect "$ATTACK: fresh proc refused: status --check dev-mem exits 1, not 0 (exit $RC)" test "$RC" = 1
expect "$ATTACK: ... because the fresh proc instance was refused" \
	grep -q 'cannot be read from a fresh proc instance' <<<"$OUT"
rm -f /sys/fs/bpf/rt12-m
