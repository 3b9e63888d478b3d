#!/bin/bash
# rt2-unpin-hide.sh - red team 2: race-unpin.sh, then root hides the pins.
# status checks that each link is pinned only where it can open the pin
# bpffs (src/pins.c, pins_open(): not when a mount covers it), and a pin
# it could not check is no lapse (src/enforced.c counts pins_checked == 0
# only). So once root stacks a tmpfs over /run/ratchet/bpf, status,
# --check and the metrics say enforced while the link of
# ratchet_locked_down lives only as long as root keeps its fd, which the
# first lock itself had reported. The checks FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt2-unpin-hide
I=build/tests/ratchet-impostor

start_tool "$T/unpin.out" $I unpin-race
try $R lock dev-mem kexec bpf-read-kernel
indent <"$T/unpin.out" >&2
if ! grep -q 'unlinked' "$T/unpin.out"; then
	skip "$ATTACK: root did not win the race this time (the lock sealed first)"
	stop_tool
	exit 0
fi
expect "$ATTACK: ratchet: the first lock does not exit 0 ($RC)" test "$RC" != 0
expect "$ATTACK: ratchet: status --check dev-mem exits 1 (the link has no pin)" \
	run 1 $R status --check dev-mem
expect "$ATTACK: naive: root stacks a tmpfs over $PINS" mount -t tmpfs rt2 "$PINS"
"$R" status 2>&1 | head -4 | sed 's/^/    | status: /' >&2
expect "$ATTACK: ratchet: with the pins hidden, status --check dev-mem still exits 1" \
	run 1 $R status --check dev-mem
expect "$ATTACK: ratchet: with the pins hidden, status --json is not enforced" \
	status_says ".ratchet.enforced == false"
stop_tool
expect "$ATTACK: once root closes its fd, dev-mem opens" bash -c 'is dev-mem 0 || is dev-mem 0'
