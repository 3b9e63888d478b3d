#!/bin/bash
# demo.sh - in a fresh guest: real operations before and after one
# `ratchet lock`, as a table, then what root tries to undo it.
# demo-check.sh holds the table to what the probe and ops.tsv say.
set -u
. tests/vm/lib.sh
names="integrity kcore modules kexec-image"
ops=$(all_ops)
declare -A before
preload_modules
echo "# a QEMU guest on Debian's kernel $(uname -r), root: what a lock changes"
for o in $ops; do $OP "$o" >/dev/null 2>&1; before[$o]=$?; done
echo "\$ ratchet lock $names"
# shellcheck disable=SC2086 # $names is a list: one argument per restriction
$R lock $names || exit 1
$R monitor >"$T"/mon.txt &
mon=$!
sleep 1
printf '\n%-20s %-10s %s\n' OPERATION BEFORE AFTER
for o in $ops; do
	$OP "$o" >/dev/null 2>&1
	after=$?
	printf '%-20s %-10s %s\n' "$o" "$(verdict "${before[$o]}")" "$(verdict $after)"
done
echo
echo "\$ rm /run/ratchet/bpf/link-ratchet_locked_down"; rm /run/ratchet/bpf/link-ratchet_locked_down
echo "\$ umount -l /run"; umount -l /run
echo "\$ sysctl kernel.ftrace_enabled=0"; sysctl -w kernel.ftrace_enabled=0
sleep 1
kill $mon
echo; echo "\$ ratchet monitor   (what it printed meanwhile, first 12 lines)"; head -12 "$T"/mon.txt
echo; echo "\$ ratchet status"; $R status
