#!/bin/bash
# lookalike.sh - before the first lock, root seals a look-alike: ratchet's
# own object with ratchet_locked_down rewritten to allow everything, same
# names, same maps, pinned where ratchet pins, sealed on dev-mem. A ratchet
# that found its lock by names adopted it and exited 0 while /dev/mem
# opened. ratchet now recognises its programs by their kernel tags: the
# look-alike's locked_down program is not its own, so `ratchet lock` fails
# saying so, and status says NOT ENFORCED. (ratchet cannot lock anew: the
# look-alike's own self-protection refuses LSM programs once sealed.)
# docs/threat-model.md, "A lock that is not ratchet's".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=lookalike
I=build/tests/ratchet-impostor

expect "$ATTACK: naive: before any lock, dev-mem is allowed" is dev-mem 0
expect "$ATTACK: naive: root seals the look-alike on dev-mem and modules" run 0 $I lookalike allow
expect "$ATTACK: naive: its programs carry ratchet's names" \
	bash -c 'bpftool prog show name ratchet_locked_down | grep -q ratchet_locked'
expect "$ATTACK: naive: its pins are where ratchet pins" test -e $PINS/link-ratchet_locked_down
expect "$ATTACK: naive: it refuses modules (its other programs are ratchet's)" is module-unsigned 1
expect "$ATTACK: naive: yet dev-mem opens: the lock a name-based ratchet adopted is undone" is dev-mem 0

try $R lock dev-mem
expect "$ATTACK: ratchet: lock dev-mem does not exit 0 ($RC)" test "$RC" != 0
expect "$ATTACK: ratchet: ... and says ratchet_locked_down is not its own, attached" \
	grep -q "NOT ENFORCED: .*ratchet_locked_down is not attached" <<<"$OUT"
# One status for the checks of its text (nothing changes in between).
mkdir -p "$T"
$R status >"$T/status"
first=$(head -1 "$T/status")
echo "    | $first" >&2
expect "$ATTACK: ratchet: status's first line says NOT ENFORCED" grep -q '^ratchet: NOT ENFORCED: ' <<<"$first"
expect "$ATTACK: ratchet: status --check dev-mem exits 1" run 1 $R status --check dev-mem
expect "$ATTACK: ratchet: status --json: dev-mem is not in force" \
	bash -c "tests/rjson status | gojq -e '.ratchet.enforced == false and ([.ratchet.restrictions[]|select(.name==\"dev-mem\").in_force] == [false])' >/dev/null"
expect "$ATTACK: ratchet: status names the look-alike's program using the state map" \
	grep -q "NOT ENFORCED: every restriction: 1 program that is not ratchet's uses its state map" "$T/status"
expect "$ATTACK: ratchet: status --check modules exits 1 (that program can write the state)" \
	run 1 $R status --check modules
collateral
