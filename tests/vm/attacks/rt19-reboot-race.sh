#!/bin/bash
# rt19-reboot-race.sh - red team 19, control for rt19-crash-race.sh: the
# same race with a reboot image. The load ends after the seal, before the
# barrier's first scan, as there; the lock's re-read of
# kernel/kexec_loaded (kexec_guard() in lock_settle(), src/lock.c) sees
# the image and the lock exits 1. Only crash images pass (the re-read
# reads kexec_loaded, not kexec_crash_loaded).
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt19-reboot-race
L=/sys/kernel/kexec_loaded
X=build/tests/ratchet-rt19-load
mkdir -p "$T"
expect "$ATTACK: naive: no reboot image loaded at the start" test "$(cat $L)" = 0
held_start $X reboot-race "$T/ready"
expect "$ATTACK: naive: a kexec_load waits at its segment copy, past its checks" test -e "$T/ready"
try $R lock kexec kexec-image dev-mem
rc=$RC
for _ in $(seq 100); do kill -0 "$HELD" 2>/dev/null || break; sleep 0.1; done
kill -9 "$HELD" 2>/dev/null
wait "$HELD"
HRC=$?
indent <"$T/held.out" >&2
expect "$ATTACK: naive: the held kexec_load, given its page once the seal was seen, returned 0 (exit $HRC)" test "$HRC" = 0
expect "$ATTACK: ratchet: no reboot image is installed after the seal of a lock that exited 0 (lock exit $rc, $L $(cat $L))" \
	test "$rc" != 0 -o "$HRC" != 0
expect "$ATTACK: ... the lock says a reboot image was loaded while it was made" \
	grep -q 'a kexec reboot image was loaded while it was made' <<<"$OUT"
