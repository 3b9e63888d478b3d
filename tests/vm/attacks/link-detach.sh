#!/bin/bash
# link-detach.sh - BPF_LINK_DETACH on a pinned link. Not supported for
# tracing (LSM) links, so it cannot undo even the naive lock: reported as an
# extra check that it stays so.
# docs/threat-model.md, "Detaching or updating a link".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=link-detach

naive_phase
naive_on
expect "$ATTACK: naive: BPF_LINK_DETACH on the naive LSM link is unsupported (exit 2)" \
	run 2 $A link-detach /sys/fs/bpf/naive/link
if is dev-mem 0 2>/dev/null; then
	pass "$ATTACK: naive: the attack undoes the naive lock"
else
	skip "$ATTACK: naive: BPF_LINK_DETACH is unsupported on LSM links, so it cannot undo even the naive lock"
fi
naive_off

ratchet_on
for p in "$PINS"/link-*; do
	p=${p##*/}
	expect "$ATTACK: ratchet: BPF_LINK_DETACH on $p fails" bash -c "! $A link-detach $PINS/$p >&2"
done
ratchet_holds
collateral
