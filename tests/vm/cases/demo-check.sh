#!/bin/bash
# vm-checkout: tmp
# demo-check.sh - what `make demo` shows, held to the truth: the demo runs
# in this guest, then every row of its table is compared with the probe,
# run again now, and with ops.tsv. The directive above makes run-case boot
# it from a copy of the checkout under /tmp, where many clone.
set -u
. tests/vm/lib.sh
bash tests/vm/cases/demo.sh >"$T"/demo.out 2>&1
expect "demo: runs to its status report" grep -q '^scope: ' "$T"/demo.out
names=$(sed -n 's/^\$ ratchet lock //p' "$T"/demo.out)
expect "demo: shows the lock it makes" test -n "$names"
want=$(for n in $names; do refused_by "$n"; done | sort -u)
# The rows between the OPERATION header and the next blank line.
awk '$1 == "OPERATION" { t = 1; next } t && !NF { exit } t' "$T"/demo.out >"$T"/demo.rows
expect "demo: the table has one row per operation of ops.tsv" \
	test "$(cut -d' ' -f1 "$T"/demo.rows | sort)" = "$(all_ops)"
while read -r o before after <&3; do
	$OP "$o" >/dev/null 2>&1
	now=$(verdict $?)
	grep -qx "$o" <<<"$want" && should=REFUSED || should=allowed
	expect "demo: $o: BEFORE is allowed" test "$before" = allowed
	expect "demo: $o: AFTER ($after) is what the probe says now ($now)" test "$after" = "$now"
	expect "demo: $o: AFTER ($after) is what ops.tsv says ($should)" test "$after" = "$should"
done 3<"$T"/demo.rows
