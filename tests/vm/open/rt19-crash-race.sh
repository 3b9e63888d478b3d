#!/bin/bash
# vm-append: crashkernel=256M
# rt19-crash-race.sh - red team 19: a crash image loaded after the seal of
# a lock that exits 0, with no trick on the barrier's reading at all.
# ratchet's load barrier (src/barrier.c, lock_settle() in src/lock.c) only
# looks at tasks that are inside kexec_load() (or last made it) at the
# moment it scans, seconds after the seal (the lock first verifies itself,
# reads its snapshot, runs its program scan, loads the task scanner), and
# then re-reads kernel/kexec_loaded, which shows reboot images only.
# Root holds a kexec_load(KEXEC_ON_CRASH), checked before the lock, at its
# segment copy (userfaultfd), watches for the seal with the same
# foreign-architecture kexec_load() probe `status --verify` uses (EINVAL
# before, EPERM once sealed), gives the page the moment it is refused and
# exits. The crash image is installed (kimage swap at the end of
# do_kexec_load(), kernel/kexec.c) after the seal, before the barrier's
# first scan, which finds nothing; `ratchet lock` exits 0. A panic
# (sysrq-c) then boots root's crash kernel, which reads the locked one's
# memory: what rt18-crash-hide.sh checks must not follow a lock that
# exited 0. The checks marked "ratchet:" FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=${RT19_ATTACK:-rt19-crash-race}
L=/sys/kernel/kexec_crash_loaded
X=build/tests/ratchet-rt19-load
mkdir -p "$T"
grep -i 'crash kernel' /proc/iomem | indent >&2
expect "$ATTACK: naive: the kernel reserved memory for a crash kernel" grep -qi 'crash kernel' /proc/iomem
if [ -n "${RT19_PRELOAD:-}" ]; then
	expect "$ATTACK: naive: the admin's kdump image is loaded before any lock (allowed)" $X crash-now
	expect "$ATTACK: naive: $L is 1 before the lock" test "$(cat $L)" = 1
else
	expect "$ATTACK: naive: no crash image loaded at the start" test "$(cat $L)" = 0
fi
before=$(cat $L)
held_start $X crash-race "$T/ready"
expect "$ATTACK: naive: a crash kexec_load waits at its segment copy, past its checks" test -e "$T/ready"
try $R lock kexec kexec-image dev-mem
rc=$RC
for _ in $(seq 100); do kill -0 "$HELD" 2>/dev/null || break; sleep 0.1; done
kill -9 "$HELD" 2>/dev/null
wait "$HELD"
HRC=$?
indent <"$T/held.out" >&2
expect "$ATTACK: naive: the held crash kexec_load, given its page once the seal was seen, returned 0 (exit $HRC)" \
	test "$HRC" = 0
echo "    | $L after the lock: $(cat $L); lock exit $rc" >&2
expect "$ATTACK: ratchet: no crash image is installed after the seal of a lock that exited 0 (lock exit $rc, load exit $HRC, $L $before -> $(cat $L))" \
	test "$rc" != 0 -o "$HRC" != 0
try $R status
grep -iE 'crash|kexec' <<<"$OUT" | indent >&2
try $R status --check kexec kexec-image
expect "$ATTACK: ratchet: status --check kexec kexec-image does not pass with a crash image installed after the lock (exit $RC)" \
	test "$RC" != 0
