#!/bin/bash
# race-unpin.sh - during the first lock, between pinning and sealing, root
# takes an fd to the first link from its pin and unlinks the pin (nothing
# refuses it before sealing). Once ratchet exits, the link lives only as
# long as root keeps that fd. ratchet checks the pins through its own fd
# of the pin bpffs after sealing, when no pin can go any more: the lock
# exits 1 saying which link has no pin, status says NOT ENFORCED, and when
# root closes the fd the link is gone, as said.
# docs/threat-model.md, "The first lock".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=race-unpin
I=build/tests/ratchet-impostor

# The naive lock held by a process alone goes with its last fd.
hold_start
hold_stop
naive_undone
naive_off

start_tool "$T/unpin.out" $I unpin-race
try $R lock dev-mem kexec bpf-read-kernel
indent <"$T/unpin.out" >&2
if ! grep -q 'unlinked' "$T/unpin.out"; then
	skip "$ATTACK: ratchet: root did not win the race this time (the lock sealed first)"
	expect "$ATTACK: ratchet: ... then the lock exits 0" test "$RC" = 0
	stop_tool
	ratchet_holds
	exit 0
fi
expect "$ATTACK: ratchet: the first lock does not exit 0 ($RC)" test "$RC" != 0
expect "$ATTACK: ratchet: ... and says the link of ratchet_locked_down has no pin" \
	grep -q "NOT ENFORCED: .*the link of ratchet_locked_down has no pin" <<<"$OUT"
expect "$ATTACK: ratchet: status's first line says NOT ENFORCED" \
	bash -c "$R status | head -1 | grep -q '^ratchet: NOT ENFORCED: '"
expect "$ATTACK: ratchet: while root holds the link, dev-mem is refused" is dev-mem 1
stop_tool
expect "$ATTACK: ratchet: once root closes it, dev-mem opens, as status had warned" \
	bash -c 'is dev-mem 0 || is dev-mem 0'
expect "$ATTACK: ratchet: status says ratchet_locked_down is not attached" \
	bash -c "$R status | grep -q 'NOT ENFORCED: .*ratchet_locked_down is not attached'"
collateral
