#!/bin/bash
# rt-query-write.sh - red team (issue 18): ratchet_locked_down counts a
# LOCKDOWN_HIBERNATION check as a query (counted in queries, never logged)
# when the syscall in progress is read-like (bpf/audit.h is_query(): read,
# pread64, readv, preadv, preadv2, sendfile, splice, copy_file_range). But
# sendfile, splice and copy_file_range write: sendfile(2) of "disk" into
# /sys/power/state reaches state_store() -> hibernate() ->
# hibernation_available() (kernel/power/main.c, hibernate.c; sysfs files
# take splice writes, kernfs_file_fops .splice_write) inside sendfile. The
# hibernation attempt is refused, but is neither a denial nor an event:
# root hides it from the log. The checks state what the audit channel
# promises (every hibernation operation logged), so they FAIL while the
# hole is open.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt-query-write
SF=build/tests/ratchet-sendfile
LOCK="dev-mem kexec bpf-read-kernel modules kexec-image hibernation"
LOCKED="dev-mem kexec-load bpf-read-kernel module-unsigned hibernation"
mkdir -p "$T"
cnt() { "$R" status --json | gojq "[.ratchet.restrictions[]? | select(.name==\"hibernation\") | .$1] | add // 0"; }
evs() { timeout 4 "$R" monitor --json 2>/dev/null | gojq -r 'select(.restriction=="hibernation" and (.summary | not)) | .seq' | xargs; }

naive_phase
ratchet_on
d0=$(cnt denials) q0=$(cnt queries)
expect "$ATTACK: write(2) of disk into /sys/power/state is refused" bash -c "! echo disk >/sys/power/state"
d1=$(cnt denials) q1=$(cnt queries)
e1=$(evs)
expect "$ATTACK: the write(2) is a denial, logged ($d0 -> $d1; events [$e1])" test "$((d1 - d0))" = 1 -a -n "$e1"
out=$($SF disk /sys/power/state 2>&1)
rc=$?
echo "    | $out" >&2
expect "$ATTACK: sendfile(2) of disk into /sys/power/state is refused" test $rc = 1
d2=$(cnt denials) q2=$(cnt queries)
e2=$(evs)
echo "    | denials $d0 -> $d1 -> $d2, queries $q0 -> $q1 -> $q2, events [$e1] -> [$e2]" >&2
expect "$ATTACK: the sendfile(2) hibernation attempt is counted as a denial ($d1 -> $d2), not a query ($q1 -> $q2)" \
	test "$((d2 - d1))" = 1
expect "$ATTACK: the sendfile(2) hibernation attempt is logged" test "$e2" != "$e1"
