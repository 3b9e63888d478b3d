#!/bin/bash
# vm-env: VM_SMP=2
# rt2-percpu.sh - red team 2: nothing checks the type of the lock's state
# map (src/facts.c checks the tables map's type, flags and size; the
# state's only its id, references and frozen). A program's tag does not
# cover the maps it is loaded with, nor their types: before the first
# lock root loads ratchet's exact object with the state map made a
# BPF_MAP_TYPE_PERCPU_ARRAY (the same instructions verify: lookups,
# atomics and the struct bpf_map reads of view_map() work on either,
# kernel/bpf/verifier.c, 6.1 to 7.2) and seals it with ratchet_raise on
# CPU 0, which writes CPU 0's copy only (BPF_PROG_TEST_RUN of a syscall
# program runs on the caller's CPU). Every program on CPU 1 reads an
# unsealed, empty policy. `ratchet lock` and status run on CPU 0 (root
# keeps everyone else there with a cpuset; here taskset) and see a whole,
# sealed lock; dev-mem opens on CPU 1. The checks FAIL while the hole
# exists. ratchet reads each map's type, sizes, entries and flags through
# the lock's snapshot program and refuses to adopt maps its object does not
# declare (src/facts.c, check_shapes()).
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt2-percpu
I=build/tests/ratchet-impostor

if [ "$(nproc)" -lt 2 ]; then
	skip "$ATTACK: one CPU: nothing to tell copies apart"
	exit 0
fi
expect "$ATTACK: naive: root seals ratchet's exact object with a per-CPU state map, on CPU 0" \
	run 0 $I lookalike percpu
expect "$ATTACK: naive: dev-mem refused on CPU 0" taskset -c 0 bash -c 'is dev-mem 1'
try taskset -c 0 $R lock dev-mem kexec
expect "$ATTACK: ratchet: lock (on CPU 0) does not exit 0 on a per-CPU state ($RC)" \
	test "$RC" != 0
# One status on CPU 0 for the log and the check of its text.
mkdir -p "$T"
taskset -c 0 "$R" status >"$T/status" 2>"$T/status.err"
cat "$T/status.err" "$T/status" | head -3 | sed 's/^/    | status on CPU 0: /' >&2
expect "$ATTACK: ratchet: the lock says it does not adopt maps it does not declare" \
	grep -q "bound to maps this ratchet does not declare" <<<"$OUT"
expect "$ATTACK: ratchet: status names the per-CPU state map" \
	grep -q "NOT ENFORCED: .*ratchet's state map is not the map its programs were built for" "$T/status"
# The look-alike's own programs cannot be unloaded: the lock refuses it
# (above), or dev-mem is refused on CPU 1 too.
expect "$ATTACK: ratchet: the lock did not exit 0, or dev-mem is refused on CPU 1 too" \
	bash -c "[ $RC != 0 ] || taskset -c 1 bash -c 'is dev-mem 1'"
expect "$ATTACK: ratchet: status --check dev-mem on CPU 0 does not pass while CPU 1 opens dev-mem" \
	bash -c "! taskset -c 0 $R status --check dev-mem >/dev/null 2>&1 || taskset -c 1 bash -c 'is dev-mem 1'"
