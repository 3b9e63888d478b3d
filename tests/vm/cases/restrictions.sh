#!/bin/bash
# restrictions.sh NAME... - in one fresh guest, lock NAME... one at a time,
# in order, each on top of the ones before (locks only add):
#   right before NAME's lock, the operations it must refuse (ops.tsv; a
#   preset refuses its class's rows) that nothing before it refuses still
#   work; right after, all of them are refused;
#   at the end, every operation none of them refuses still works.
# Since locks only add, an operation that works after some locks worked
# after each of them. So for a restriction in the chain, "it refuses what
# its row says" is shown right at its lock, and "it refuses nothing else"
# for every other row's operations that come later in the chain and for
# those outside the chain. run-all runs each chain in both orders, so
# between the two every restriction is checked against every other row:
# the same verdicts as one guest per restriction, in two guests per chain.
set -u
. tests/vm/lib.sh
[ $# -gt 0 ] || { fail "restrictions: no names given"; exit 0; }
chain="$*"
done_ops=""
n=0
expect "[$chain]: setup: modules the operations need are loaded" preload_modules
for name in "$@"; do
	refused=$(refused_by "$name")
	[ -n "$refused" ] || { fail "$name: no operation in ops.tsv refuses it"; continue; }
	for o in $refused; do
		$OP --has "$o" >/dev/null || skip "$name: $($OP --has "$o")"
	done
	# shellcheck disable=SC2086 # one operation per word
	refused=$(present_ops $refused)
	for o in $refused; do
		grep -qx "$o" <<<"$done_ops" && continue
		expect "$name: before its lock ($n locked before it), $o works" op "$o" 0
	done
	expect "$name: ratchet lock $name exits 0" $R lock "$name"
	for o in $refused; do
		expect "$name: after its lock, $o is refused" op "$o" 1
	done
	done_ops=$(printf '%s\n%s\n' "$done_ops" "$refused" | sed '/^$/d' | sort -u)
	n=$((n + 1))
done
for o in $(all_ops); do
	grep -qx "$o" <<<"$done_ops" && continue
	expect "[$chain]: after every lock, $o still works" op "$o" 0
done
