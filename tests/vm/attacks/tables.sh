#!/bin/bash
# tables.sh - before the first lock, root seals ratchet's exact programs
# with tables of its own: every kernel read and load kind "free". No
# program's tag changes (the tables are data), and the state says modules
# is enforced, yet modules load. ratchet compares the tables map with what
# it computes for this kernel: `ratchet lock` fails saying they differ, and
# status says NOT ENFORCED.
# docs/threat-model.md, "A lock that is not ratchet's".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=tables
I=build/tests/ratchet-impostor

expect "$ATTACK: naive: root seals ratchet's programs with every kind free, on modules" run 0 $I lookalike tables
expect "$ATTACK: naive: dev-mem is refused (ratchet's own programs)" is dev-mem 1
expect "$ATTACK: naive: yet a module loads though modules is locked" is module-unsigned 0

try $R lock modules
expect "$ATTACK: ratchet: lock modules does not exit 0 ($RC)" test "$RC" != 0
expect "$ATTACK: ratchet: ... and says the tables differ" \
	grep -q "NOT ENFORCED: every restriction: ratchet's tables map differs" <<<"$OUT"
expect "$ATTACK: ratchet: status's first line says NOT ENFORCED" \
	bash -c "$R status | head -1 | grep -q '^ratchet: NOT ENFORCED: '"
expect "$ATTACK: ratchet: status --check modules exits 1" run 1 $R status --check modules
collateral
