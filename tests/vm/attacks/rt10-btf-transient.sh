#!/bin/bash
# rt10-btf-transient.sh - red team 10: the documented residual of the
# cover checks ("a cover put there and taken away again while libbpf
# reads, between the two checks", docs/threat-model.md, "Kernel facts
# read from paths") made deterministic. A fanotify FAN_OPEN_PERM listener
# on /sys/kernel/btf/vmlinux sees each of ratchet's kfs_same() checks
# begin (its open of the fresh sysfs instance, same inode) and end (its
# open of the path): when one ends it bind-mounts a doctored raw BTF over
# the path (the open being answered already has the kernel's file), and
# when the next begins it takes the cover away before answering. Every
# libbpf read in between (the dry run, the load, the program scanner)
# gets root's copy: bpf_prog_aux.attach_btf_id at the offset of
# max_pkt_offset, so ratchet_bpf_prog reads every program's attach target
# as 0 and an fmod_ret on security_locked_down loads after the lock and
# undoes bpf-read-kernel. No file at /boot is needed. The checks FAIL
# while that works.
# shellcheck disable=SC2086 # $LOCK: one argument per restriction
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt10-lib.sh
ATTACK=rt10-btf-transient
MV="build/tests/ratchet-btfswap -m"
mkdir -p "$T"
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

expect "$ATTACK: setup: a copy of the kernel's BTF with bpf_prog_aux.attach_btf_id moved onto max_pkt_offset" \
	run 0 $MV $V "$T/btf.raw" bpf_prog_aux attach_btf_id max_pkt_offset
rt10_listen cover "$T/btf.raw"
expect "$ATTACK: setup: bpf-read-kernel allowed before any lock" is bpf-read-kernel 0

try "$R" lock $LOCK
LRC=$RC
echo "    | lock exited $LRC; the listener's decisions:" >&2
grep -c 'covered before' "$T/fan.out" | sed 's/^/    | covers put on: /' >&2
grep -m4 'allow' "$T/fan.out" | indent >&2
rt10_verdict
while umount $V 2>/dev/null; do :; done
try $R status --check $LOCK
echo "    | status --check without the listener: exit $RC" >&2
"$R" status 2>&1 | head -4 | indent >&2
rm -f /sys/fs/bpf/rt10-fmodret
