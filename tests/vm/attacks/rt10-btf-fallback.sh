#!/bin/bash
# rt10-btf-fallback.sh - red team 10: libbpf 1.1 does not read the kernel's
# BTF from /sys/kernel/btf/vmlinux only. btf__load_vmlinux_btf() tries a
# list of locations in order and takes the first that parses: when the
# sysfs file cannot be read it goes on to /boot/vmlinux-$(uname -r), an ELF
# file root writes. ratchet checks that the path is not covered by a mount
# (kfs_same(), around the dry run and the load), but not that libbpf read
# it. Root makes libbpf's read fail and ratchet's own opens succeed with a
# fanotify permission listener on the sysfs file (FAN_OPEN_PERM, allowed
# on sysfs): it refuses an open by `ratchet` through the /sys path unless
# ratchet's previous open of that inode went through its fresh sysfs
# instance (kfs_same() opens the fresh one, then the path). The copy at
# /boot has struct bpf_prog_aux's attach_btf_id at the offset of
# max_pkt_offset (0 for a tracing program). Both the dry run and the load
# relocate against it, so the tags agree and the first lock is "ratchet's";
# but ratchet_bpf_prog (bpf/bpfself.h, refused_kind()) now reads a
# program's attach target as 0, and an fmod_ret on security_locked_down
# loads after the lock and undoes bpf-read-kernel. The checks FAIL while
# that works.
# shellcheck disable=SC2086 # $LOCK: one argument per restriction
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt10-lib.sh
ATTACK=rt10-btf-fallback
MV="build/tests/ratchet-btfswap -m"
mkdir -p "$T"
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

expect "$ATTACK: setup: no $B yet (libbpf's next location after sysfs)" test ! -e "$B"
expect "$ATTACK: setup: a copy of the kernel's BTF with bpf_prog_aux.attach_btf_id moved onto max_pkt_offset" \
	run 0 $MV $V "$T/btf.raw" bpf_prog_aux attach_btf_id max_pkt_offset
expect "$ATTACK: setup: wrapped as an ELF .BTF section at $B" \
	sh -c "mkdir -p /boot && objcopy -I binary -O elf64-x86-64 -B i386:x86-64 \
		--rename-section .data=.BTF,contents,readonly '$T/btf.raw' '$B'"
rt10_listen
expect "$ATTACK: setup: bpf-read-kernel allowed before any lock" is bpf-read-kernel 0

try "$R" lock $LOCK
LRC=$RC
echo "    | lock exited $LRC; the listener's decisions:" >&2
grep -c 'DENY' "$T/fan.out" | sed 's/^/    | denied opens of the path: /' >&2
grep -m4 'DENY\|allow' "$T/fan.out" | indent >&2
rt10_verdict
try $R status --check $LOCK
echo "    | status --check without the listener: exit $RC" >&2
"$R" status 2>&1 | head -4 | indent >&2
rm -f /sys/fs/bpf/rt10-fmodret "$B"
