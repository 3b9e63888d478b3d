#!/bin/bash
# demo.sh - in a fresh guest: real operations before and after one
# `ratchet lock`, as a table, then what root tries to undo it.
set -u
. tests/vm/lib.sh
names="confidentiality modules kexec-image"
ops=$(all_ops)
word() { case $1 in 0) echo allowed ;; 1) echo REFUSED ;; *) echo "error" ;; esac; }
declare -A before
for o in $ops; do $OP "$o" >/dev/null 2>&1; before[$o]=$?; done
echo "\$ ratchet lock $names"
$R lock $names || exit 1
$R monitor >/tmp/mon.txt &
mon=$!
sleep 1
printf '\n%-20s %-10s %s\n' OPERATION BEFORE AFTER
for o in $ops; do
	$OP "$o" >/dev/null 2>&1
	printf '%-20s %-10s %s\n' "$o" "$(word "${before[$o]}")" "$(word $?)"
done
echo
echo "\$ rm /run/ratchet/bpf/link-ratchet_locked_down"; rm /run/ratchet/bpf/link-ratchet_locked_down
echo "\$ umount -l /run"; umount -l /run
echo "\$ sysctl kernel.ftrace_enabled=0"; sysctl -w kernel.ftrace_enabled=0
sleep 1
kill $mon
echo; echo "\$ ratchet monitor   (what it printed meanwhile, first 12 lines)"; head -12 /tmp/mon.txt
echo; echo "\$ ratchet status"; $R status
