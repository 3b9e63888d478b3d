#!/bin/bash
# foreign-state.sh - before the first lock, root loads ratchet's exact
# object, seals it on dev-mem and modules, and keeps an fd to its state
# map. Every program is ratchet's own (its tags match), so a ratchet that
# trusted programs alone would adopt it; but whoever holds that fd can have
# a program of its own rewrite the policy at any time (freezing stops only
# bpf(2) writes). ratchet reads who holds the map from the kernel's struct
# bpf_map (usercnt): `ratchet lock` fails naming the holder, and status
# says NOT ENFORCED before the holder undoes the lock, as it then does.
# docs/threat-model.md, "A lock that is not ratchet's".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=foreign-state
I=build/tests/ratchet-impostor

start_tool "$T/hold.out" $I lookalike exact hold
indent <"$T/hold.out" >&2
expect "$ATTACK: naive: root sealed ratchet's exact object, keeping its state map's fd" grep -q '^ready' "$T/hold.out"
expect "$ATTACK: naive: it refuses dev-mem" is dev-mem 1

try $R lock dev-mem kexec
expect "$ATTACK: ratchet: lock dev-mem kexec does not exit 0 ($RC)" test "$RC" != 0
expect "$ATTACK: ratchet: ... and names the user reference to the state map and its holder" \
	grep -q "NOT ENFORCED: every restriction: ratchet's state map has 1 user reference.*held by ratchet-impost" <<<"$OUT"
expect "$ATTACK: ratchet: status's first line says NOT ENFORCED" \
	bash -c "$R status | head -1 | grep -q '^ratchet: NOT ENFORCED: every restriction'"
expect "$ATTACK: ratchet: status --check dev-mem exits 1" run 1 $R status --check dev-mem

kill -USR1 "$BG"
sleep 1
indent <"$T/hold.out" >&2
expect "$ATTACK: ratchet: the holder zeroes the policy through its fd" grep -q 'zeroed the policy' "$T/hold.out"
expect "$ATTACK: ratchet: ... and dev-mem opens: the lock ratchet refused to vouch for is undone" is dev-mem 0
stop_tool
collateral
