#!/bin/bash
# rt19-perf-span.sh - red team 19: a perf event sampling kernel registers
# (PERF_SAMPLE_REGS_INTR, what LOCKDOWN_PERF guards) made after `ratchet
# lock perf` exited 0. perf_event_open() asks LOCKDOWN_PERF right after
# copying the attributes and only then builds the event; the kprobe
# PMU's event_init copies the function name from user memory
# (perf_kprobe_init(), kernel/trace/trace_event_perf.c; 6.1 to 7.2). Root
# holds that copy with userfaultfd, waits for the seal (ratchet's own
# perf probe turns from EINVAL to EPERM), gives the page: the event is
# made under the lock, and samples the kernel's registers. The same class
# as red team 17's module and kexec spans (checked before the seal,
# finished after it), for a lockdown reason with no second check and no
# barrier. The checks marked "ratchet:" FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt19-perf-span
X=build/tests/ratchet-rt19-perf
mkdir -p "$T"
if [ ! -e /sys/bus/event_source/devices/kprobe/type ]; then
	skip "$ATTACK: no kprobe PMU"
	exit 0
fi
held_start $X "$T/ready"
expect "$ATTACK: naive: a REGS_INTR perf_event_open waits at its copy of kprobe_func, past LOCKDOWN_PERF" test -e "$T/ready"
try $R lock perf dev-mem
rc=$RC
for _ in $(seq 100); do kill -0 "$HELD" 2>/dev/null || break; sleep 0.1; done
kill -9 "$HELD" 2>/dev/null
wait "$HELD"
HRC=$?
indent <"$T/held.out" >&2
expect "$ATTACK: naive: a fresh REGS_INTR perf_event_open after the lock is refused" \
	grep -q 'a fresh identical perf_event_open now: Operation not permitted' "$T/held.out"
expect "$ATTACK: ratchet: no REGS_INTR perf event is made after a lock of perf that exited 0 (lock exit $rc, held open exit $HRC)" \
	test "$rc" != 0 -o "$HRC" != 0
grep -q 'kernel sample: ip 0xffff' "$T/held.out" &&
	echo "    | the event sampled kernel registers after the lock" >&2
try $R status --check perf
echo "    | status --check perf: exit $RC" >&2
