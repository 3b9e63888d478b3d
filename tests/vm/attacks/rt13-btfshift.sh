#!/bin/bash
# rt13-btfshift.sh - red team 13: a faked read count inside the bounds.
# Before the first lock, fmod_ret on security_file_permission answers N
# once for ratchet's read of the kernel's BTF (a fresh sysfs instance's
# kernel/btf/vmlinux) at a position in the string section between the
# bpf_lsm_<hook> names and the security_<hook> ones: read(2) returns N
# with nothing read and the file position where it was
# (rw_verify_area() returns before vfs_read() moves it, fs/read_write.c,
# 6.1 to 7.2). A reader that trusts the count keeps N zero bytes there
# and reads on: every later name moves N bytes, btf__new() accepts the
# copy, and the lock's tables are computed from it: on 6.1 and 7.2 the
# lock exited 0, with its fmod_ret guard missing its security_* ids.
# ratchet holds every read to the file position (src/sysio.c): the
# count the position did not follow is -EIO, and the lock fails with
# nothing locked. docs/threat-model.md, "A faked byte count".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt13-btfshift
X=build/tests/ratchet-rt12

cp /sys/kernel/btf/vmlinux "$T/vmlinux.btf"
read -r pos n <<<"$(tests/vm/tools/btf-shift-at "$T/vmlinux.btf")"
expect "$ATTACK: a shift of $n bytes at $pos keeps the BTF parseable" test -n "$n"
expect "$ATTACK: before the lock: the one-shot BTF shifter attaches" \
	run 0 $X btf "$pos" "$n" /sys/fs/bpf/rt13-btf
try "$R" lock dev-mem kexec bpf-read-kernel bpf-write-user
expect "$ATTACK: the lock does not exit 0 (exit $RC)" test "$RC" != 0
expect "$ATTACK: ... and says it could not read the kernel's BTF (the faked count: EIO)" \
	grep -q "cannot read the kernel's BTF.*Input/output error" <<<"$OUT"
expect "$ATTACK: nothing was locked" status_says '.ratchet.locked | not'
rm -f /sys/fs/bpf/rt13-btf

# Red team 14: libbpf reads the BTF itself, through stdio, which trusts a
# count, to relocate ratchet's programs. The same shift of libbpf's reads
# only (once per file after ratchet's own, the first): measured, libbpf's
# load fails and nothing is locked.
expect "$ATTACK: before the lock: the shifter of libbpf's reads only attaches" \
	run 0 $X libbtf "$pos" "$n" 1 /sys/fs/bpf/rt14-libbtf
try "$R" lock dev-mem kexec bpf-read-kernel bpf-write-user
expect "$ATTACK: libbpf's reads shifted: the lock does not exit 0 (exit $RC)" test "$RC" != 0
expect "$ATTACK: ... nothing was locked" status_says '.ratchet.locked | not'
rm -f /sys/fs/bpf/rt14-libbtf
expect "$ATTACK: the shifter gone, the lock exits 0" \
	run 0 "$R" lock dev-mem kexec bpf-read-kernel bpf-write-user
expect "$ATTACK: fmod_ret on security_locked_down is refused after it" run 1 $A fmodret
expect "$ATTACK: bpf-read-kernel refused" is bpf-read-kernel 1
