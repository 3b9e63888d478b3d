#!/bin/bash
# unknown-kind.sh - after a lock, a program of a kind ratchet has not
# reasoned about is refused, so a kernel's new kind stays refused until
# ratchet knows it (an allowlist): here struct_ops for bpf_dummy_ops, and
# on 7.x an fsession program. One kind reasoned about keeps working:
# struct_ops for tcp_congestion_ops. Nothing shows that these kinds can
# undo a lock; they are refused because nobody has shown they cannot.
# docs/threat-model.md, "Allowlists, not denylists".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=unknown-kind

naive_phase
skip "$ATTACK: naive: these kinds undo no naive lock; they are refused for being unknown"
expect "$ATTACK: before the lock, a struct_ops program for bpf_dummy_ops loads" run 0 $A kind dummy-ops
expect "$ATTACK: before the lock, a struct_ops program for tcp_congestion_ops loads" run 0 $A kind tcp-cc
out=$($A kind fsession 2>&1)
fsession=$?
echo "    | $out" >&2
if [ "$fsession" = 0 ]; then
	pass "$ATTACK: before the lock, an fsession program loads"
else
	skip "$ATTACK: this kernel has no fsession programs (${out##*(}"
fi

keep fsession
ratchet_on
expect "$ATTACK: ratchet: a struct_ops program for bpf_dummy_ops is refused (EPERM)" run 1 $A kind dummy-ops
expect "$ATTACK: ratchet: one for tcp_congestion_ops still loads" run 0 $A kind tcp-cc
if [ "$fsession" = 0 ]; then
	expect "$ATTACK: ratchet: an fsession program is refused (EPERM)" run 1 $A kind fsession
fi
expect "$ATTACK: ratchet: the monitor names the kind it refused" \
	bash -c "timeout 3 $R monitor --json 2>/dev/null | grep -q 'struct_ops'"
ratchet_holds
collateral
