#!/bin/bash
# restriction.sh NAME - in a fresh guest: the operations NAME covers work,
# then after `ratchet lock NAME` exactly those are refused and every other
# operation still works.
set -u
. tests/vm/lib.sh
name=$1
refused=$(refused_by "$name")
[ -n "$refused" ] || { fail "$name: no operation in ops.tsv refuses it"; exit 0; }

expect "$name: setup: modules the operations need are loaded" preload_modules
# The VM is fresh, so what NAME will refuse must first be seen working;
# every other operation is checked after the lock.
for o in $refused; do
	expect "$name: before the lock, $o is allowed" op "$o" 0
done
expect "$name: ratchet lock $name exits 0" $R lock "$name"
for o in $(all_ops); do
	if grep -qx "$o" <<<"$refused"; then
		expect "$name: after the lock, $o is refused" op "$o" 1
	else
		expect "$name: after the lock, $o still works" op "$o" 0
	fi
done
