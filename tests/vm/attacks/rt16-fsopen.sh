#!/bin/bash
# rt16-fsopen.sh - red team 16 (by reading), played: kernel_btf()
# (src/catalogue.c) fell back to libbpf's btf__load_vmlinux_btf() when
# this process could not mount a fresh sysfs (fsopen() EPERM: meant for
# an unprivileged `check`). An fmod_ret program on security_capable()
# refuses CAP_SYS_ADMIN in the first two fsopen() calls of a process named
# ratchet only (the catalogue's read and kfs_mountable()'s; every later
# fresh mount works, and is kept for the process), and a fanotify
# listener refuses opens of the path that do not follow one through a
# fresh instance (kfs_same()'s do), so libbpf goes on to
# /boot/vmlinux-$(uname -r), root's copy with module and firmware kinds
# and module-signature and kcore swapped: the lock's tables came from it,
# and `ratchet lock integrity modules` exited 0 with modules loading. Now
# only `check` and `list` may fall back (catalogue_allow_path_btf()); a
# lock refuses. The checks FAIL while the hole exists.
# shellcheck disable=SC2086 # $LOCK: one argument per restriction
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt10-lib.sh
ATTACK=rt16-fsopen
LOCK="integrity modules"
X=build/tests/ratchet-rt12
mkdir -p "$T"

rt10_boot_swapped
rt10_listen
expect "$ATTACK: setup: the refuser of ratchet's first two fsopen() calls attaches" \
	run 0 $X fsopen 2 /sys/fs/bpf/rt16-fsopen
expect "$ATTACK: setup: an unsigned module loads before any lock" is module-unsigned 0

try "$R" lock $LOCK
LRC=$RC
echo "    | lock exited $LRC; the listener refused $(grep -c DENY "$T/fan.out") opens" >&2
expect "$ATTACK: ratchet: the lock refuses (exit $LRC)" test "$LRC" != 0
expect "$ATTACK: ... saying it cannot read the kernel's BTF, its fsopen() refused" \
	grep -q "cannot read the kernel's BTF from a fresh sysfs instance (Operation not permitted)" <<<"$OUT"
try $OP module-unsigned
expect "$ATTACK: ratchet: no lock that exited 0 lets an unsigned module load (lock $LRC, module $RC)" \
	test "$LRC" != 0 -o "$RC" = 1
kill "$FP" 2>/dev/null
wait "$FP" 2>/dev/null
rm -f /sys/fs/bpf/rt16-fsopen "$B"
