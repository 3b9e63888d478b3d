#!/bin/bash
# rt19-msr-span.sh - red team 19: an MSR written after `ratchet lock msr`
# exited 0. msr_write() (arch/x86/kernel/msr.c, 6.1 to 7.2) asks
# LOCKDOWN_MSR once on entry, then copies each 8 bytes from user memory
# and writes the MSR. Root holds the copy with userfaultfd, waits for the
# seal (ratchet's own msr probe, a 1-byte write, turns from EINVAL to
# EPERM), gives the page: wrmsr runs under the lock (here the MSR's own
# value written back to IA32_SYSENTER_CS; any MSR, LSTAR among them, the
# same way). Not a grant made before the lock: the fd checks nothing
# (the check is per write). The class of red team 17's spans, for a
# lockdown reason with no second check and no barrier. The checks marked
# "ratchet:" FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt19-msr-span
X=build/tests/ratchet-rt19-msr
mkdir -p "$T"
modprobe msr 2>/dev/null
if [ ! -e /dev/cpu/0/msr ]; then
	skip "$ATTACK: no /dev/cpu/0/msr"
	exit 0
fi
held_start $X "$T/ready"
expect "$ATTACK: naive: an 8-byte write to /dev/cpu/0/msr waits at its copy, past LOCKDOWN_MSR" test -e "$T/ready"
try $R lock msr dev-mem
rc=$RC
for _ in $(seq 100); do kill -0 "$HELD" 2>/dev/null || break; sleep 0.1; done
kill -9 "$HELD" 2>/dev/null
wait "$HELD"
HRC=$?
indent <"$T/held.out" >&2
expect "$ATTACK: naive: a fresh MSR write after the lock is refused" \
	grep -q "a fresh 8-byte write now: Operation not permitted" "$T/held.out"
expect "$ATTACK: ratchet: no MSR is written after a lock of msr that exited 0 (lock exit $rc, held write exit $HRC)" \
	test "$rc" != 0 -o "$HRC" != 0
try $R status --check msr
echo "    | status --check msr: exit $RC" >&2
