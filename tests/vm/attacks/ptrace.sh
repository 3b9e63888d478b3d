#!/bin/bash
# ptrace.sh - a lock held by a process can be taken apart through it: gdb
# injecting close() of its link fd, pidfd_getfd of its map fd, or a write to
# /proc/PID/mem where it mmapped the policy. ratchet keeps no process
# alive, so after its lock there is no process to attack this way.
# docs/threat-model.md, "Killing or tracing the holder".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=ptrace

naive_phase
hold_start
if command -v gdb >/dev/null; then
	expect "$ATTACK: naive: gdb injects close($HLINK) into the holder" \
		run 0 gdb -nx -batch -iex 'set debuginfod enabled off' -p "$HP" \
		-ex "call (int)close($HLINK)" -ex detach
	naive_undone
else
	skip "$ATTACK: naive: gdb is not installed on the host"
fi
hold_stop

hold_start
expect "$ATTACK: naive: pidfd_getfd steals the holder's map fd and zeroes the policy" \
	run 0 $A pidfd-zero "$HP" "$HMAP"
naive_undone
hold_stop

hold_start
expect "$ATTACK: naive: a write to /proc/$HP/mem zeroes the mmapped policy" \
	run 0 $A procmem-zero "$HP" "$HADDR" 4
naive_undone
hold_stop

ratchet_on
expect "$ATTACK: ratchet: no ratchet process is alive to ptrace" bash -c '! pgrep -a ratchet >&2'
expect "$ATTACK: ratchet: no process holds a bpf object fd to steal" \
	bash -c '! ls -l /proc/[0-9]*/fd 2>/dev/null | grep "anon_inode:bpf" >&2'
expect "$ATTACK: ratchet: no process maps a bpf object to write through /proc/PID/mem" \
	bash -c '! grep -l "anon_inode:bpf" /proc/[0-9]*/maps 2>/dev/null >&2'
ratchet_holds
collateral
