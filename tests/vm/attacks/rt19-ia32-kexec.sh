#!/bin/bash
# rt19-ia32-kexec.sh - red team 19, control for rt19-x32-kexec.sh: the
# same held kexec_load() through int $0x80 (ia32 number 283, TS_COMPAT
# set by the entry) from a 64-bit process. loadscan lists it (283 with
# compat): the lock must exit 1 naming it. Checked on 7.2 too, where the
# ia32 entry is int80_emulation().
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt19-ia32-kexec
L=/sys/kernel/kexec_loaded
X=build/tests/ratchet-rt19-load
mkdir -p "$T"
expect "$ATTACK: naive: no reboot image loaded at the start" test "$(cat $L)" = 0
held_start $X ia32 "$T/ready" "$T/go"
expect "$ATTACK: naive: an ia32 kexec_load (int \$0x80, 283) waits at its segment copy" test -e "$T/ready"
try $R lock kexec kexec-image dev-mem
rc=$RC
expect "$ATTACK: ratchet: the lock does not exit 0 with the ia32 load in flight (exit $rc)" test "$rc" != 0
expect "$ATTACK: ratchet: ... it names the load under way" grep -q 'is inside kexec_load()' <<<"$OUT"
held_release
expect "$ATTACK: naive: the ia32 kexec_load returned 0 after the lock (exit $HRC)" test "$HRC" = 0
expect "$ATTACK: ratchet: no reboot image is installed after a lock that exited 0 (lock exit $rc, $L $(cat $L))" \
	test "$rc" != 0 -o "$(cat $L)" = 0
