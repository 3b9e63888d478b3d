#!/bin/bash
# getfd.sh - fds to the lock's objects by id; with one to the cgroup/sysctl
# program it can be detached, and then ftrace_enabled=0 switches the LSM
# programs off. ratchet refuses the detach itself, and any fd to its state.
# docs/threat-model.md, "The state map".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=getfd
F=/proc/sys/kernel/ftrace_enabled

naive_phase
naive_on
expect "$ATTACK: naive: the naive sysctl guard refuses echo 0 > $F" refused bash -c "echo 0 >$F"
expect "$ATTACK: naive: detach-sysctl gets its fd by id and detaches it" run 0 $A detach-sysctl
expect "$ATTACK: naive: then echo 0 > $F succeeds" bash -c "echo 0 >$F"
naive_undone
naive_off

ratchet_on
out=$($A getfd-ids 2>&1)
indent <<<"$out" >&2
# fds to ratchet's programs and links are harmless (tracing links cannot
# be detached or updated, freplace loads are refused) and bpftool needs
# them; an fd to the state map is not, so none is ever made.
# shellcheck disable=SC2016 # $1 is the inner shell's
expect "$ATTACK: ratchet: no fd to the state map by id" \
	bash -c '! grep -q "map state id .* ok" <<<"$1"' - "$out"
# The tables and the event log's maps too: every map a ratchet program
# uses (a map element iterator needs only an fd to rewrite an array map).
# shellcheck disable=SC2016 # $1 is the inner shell's
expect "$ATTACK: ratchet: no fd by id to any map of ratchet's programs (state, tables, event log, folds, marks)" \
	bash -c '! grep -q "map .* id .* BPF_MAP_GET_FD_BY_ID ok" <<<"$1" && [ "$(grep -c "BPF_MAP_GET_FD_BY_ID refused" <<<"$1")" -ge 5 ]' - "$out"
# shellcheck disable=SC2016 # $1 is the inner shell's
expect "$ATTACK: ratchet: no fd to the state map by BPF_OBJ_GET" \
	bash -c '! grep -q "OBJ_GET .*/state ok" <<<"$1"' - "$out"
expect "$ATTACK: ratchet: detach-sysctl is refused" run 1 $A detach-sysctl
expect "$ATTACK: ratchet: echo 0 > $F is still refused" refused bash -c "echo 0 >$F"
expect "$ATTACK: ratchet: ftrace_enabled is still 1" test "$(cat $F)" = 1
ratchet_holds
collateral
