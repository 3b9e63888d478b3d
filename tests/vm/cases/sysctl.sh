#!/bin/bash
# sysctl.sh - raise-only sysctls (issue 5): for every knob, lowering works
# before the lock; after it raising works, lowering is refused, reads work.
# The knobs and their test values come from RATCHET_SYSCTLS (include/
# ratchet.h) through build/ratchet-table: a new knob is tested here with
# no change to this file.
set -u
. tests/vm/lib.sh
put() { echo "$2" >"/proc/sys/${1//.//}" 2>/dev/null; }
get() { cat "/proc/sys/${1//.//}"; }
# knob   low   high   (a lower and a stricter value). A knob pinned to one
# value (rule ONE: ftrace_enabled) is in $pinned: the lock refuses to start
# while it is low, so it goes back up before the lock.
knobs=$(build/ratchet-table sysctls | awk -F'\t' '$2 != "ONE" { print $1, $3, $4 }')
pinned=$(build/ratchet-table sysctls | awk -F'\t' '$2 == "ONE" { print $1, $3, $4 }')
# Pinned once anything is locked: free only in a guest nothing locked yet
# (core.sh runs this case after others).
if tests/rjson status | gojq -e '.ratchet.locked' >/dev/null; then
	skip "sysctl: pinned knobs before the lock: an earlier case already locked"
else
	while read -r k low high; do
		expect "sysctl: before the lock pinned $k can go to $low and back to $high" \
			bash -c "echo $low >/proc/sys/${k//.//} && echo $high >/proc/sys/${k//.//}"
	done <<<"$pinned"
fi

# A knob outside the chosen set stays free; the chosen one is locked.
put kernel.dmesg_restrict 0; put kernel.kptr_restrict 1
expect "sysctl: lock sysctl:kernel.kptr_restrict" bash -c "$R lock sysctl:kernel.kptr_restrict >/dev/null"
expect "sysctl: kptr_restrict can no longer go down" bash -c "! echo 0 > /proc/sys/kernel/kptr_restrict"
expect "sysctl: dmesg_restrict, not chosen, can still go up and down" bash -c "echo 1 > /proc/sys/kernel/dmesg_restrict && echo 0 > /proc/sys/kernel/dmesg_restrict"
expect "sysctl: status lists the chosen knob" bash -c "tests/rjson status | gojq -e '.ratchet.raise_only_sysctls == [\"kernel.kptr_restrict\"]' >/dev/null"

while read -r k low high; do
	[ "$k" = kernel.kptr_restrict ] && continue
	put "$k" "$high"
	expect "sysctl: before the lock $k can be lowered to $low" put "$k" "$low"
done <<<"$knobs"
expect "sysctl: lock sysctl (every knob)" bash -c "$R lock sysctl >/dev/null"
while read -r k low high; do
	[ "$k" = kernel.kptr_restrict ] && continue
	expect "sysctl: after the lock $k reads $low" test "$(get "$k")" = "$low"
	expect "sysctl: $k can be raised to $high" put "$k" "$high"
	expect "sysctl: $k cannot be lowered back to $low" bash -c "! echo $low > /proc/sys/${k//.//}"
	expect "sysctl: $k still reads $high" test "$(get "$k")" = "$high"
done <<<"$knobs"
expect "sysctl: unprivileged_bpf_disabled may go 2 -> 1 (1 is stricter: final)" put kernel.unprivileged_bpf_disabled 1
expect "sysctl: sysrq cannot be set to 1 (every function)" bash -c "! echo 1 > /proc/sys/kernel/sysrq"
expect "sysctl: sysrq can drop to 0" put kernel.sysrq 0
while read -r k low high; do
	expect "sysctl: pinned $k stays $high" bash -c "! echo $low > /proc/sys/${k//.//} && [ \$(cat /proc/sys/${k//.//}) = $high ]"
done <<<"$pinned"
expect "sysctl: a write at an offset is refused" bash -c "! printf 3 | dd of=/proc/sys/kernel/perf_event_paranoid bs=1 seek=1 conv=notrunc status=none"
expect "sysctl: a garbage value is refused" bash -c "! echo banana > /proc/sys/kernel/dmesg_restrict"
expect "sysctl: a non-root reader still reads" setpriv --reuid=1000 --regid=1000 --clear-groups cat /proc/sys/kernel/kptr_restrict
expect "sysctl: denials counted under sysctl" bash -c "tests/rjson status | gojq -e '.ratchet.restrictions[]|select(.name==\"sysctl\").denials >= 8' >/dev/null"
