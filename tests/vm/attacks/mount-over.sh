#!/bin/bash
# mount-over.sh - hide the pins under another mount, or look from a
# namespace where they are moved or gone: no pin is removed, so not even
# the naive lock falls; what matters is that ratchet still holds, that
# status finds the lock by its kernel objects and says where the pins
# are, and that a new lock raises it; where the pins cannot be checked,
# status and the lock say so (exit 1), never "in force".
# docs/threat-model.md, "Hiding the pins".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=mount-over

naive_phase
naive_on
mount -t tmpfs tmpfs /sys/fs/bpf
if is dev-mem 0 2>/dev/null; then
	pass "$ATTACK: naive: mounting over the bpffs undoes the naive lock"
else
	skip "$ATTACK: naive: mounting over the bpffs hides the pins but cannot undo even the naive lock"
fi
umount /sys/fs/bpf
naive_off

ratchet_on
enforced() { tests/rjson status | gojq -e ".ratchet.restrictions[]|select(.name==\"$1\").mode==\"enforce\"" >/dev/null; }
show() { $R status | sed -n '1,4s/^/    | /p' >&2; }
expect "$ATTACK: ratchet: remount of the pin bpffs (mode=0777)" mount -o remount,mode=0777 $PINS
ratchet_holds "after a remount of the bpffs"
for m in $PINS /run/ratchet /run; do
	expect "$ATTACK: ratchet: a tmpfs mounted over $m" mount -t tmpfs tmpfs "$m"
	show
	expect "$ATTACK: ratchet: status names the pins and the mount at $m that hides them" \
		status_says ".ratchet.pins.path == \"$PINS\" and .ratchet.pins.hidden_by == \"$m\""
	ratchet_holds "with $m hidden"
	expect "$ATTACK: ratchet: with the pins hidden under $m, a new lock raises the lock in force, and exits 1: the pins cannot be checked" \
		run 1 $R lock kcore
	expect "$ATTACK: ratchet: ... status shows kcore in the lock (mode enforce)" enforced kcore
	expect "$ATTACK: ratchet: ... status --check kcore exits 1 while the pins are unverified" \
		run 1 $R status --check kcore
	expect "$ATTACK: ratchet: the tmpfs over $m can be unmounted" umount "$m"
done
ns() { unshare -m sh -c "$1"; }
out=$(ns "mkdir -p /tmp/mv && mount --move $PINS /tmp/mv && $R status --json")
echo "    | from a namespace with the copy moved to /tmp/mv: $(gojq -c .ratchet.pins <<<"$out")" >&2
expect "$ATTACK: ratchet: from a namespace where the pins are moved, status finds the lock and where they are" \
	gojq -e '.ratchet.locked and .ratchet.pins.here == "/tmp/mv" and .ratchet.pins.here_reachable' <<<"$out"
expect "$ATTACK: ratchet: ... and a new lock there raises it" \
	ns "mkdir -p /tmp/mv && mount --move $PINS /tmp/mv && $R lock tiocsserial"
expect "$ATTACK: ratchet: ... status here shows it" enforced tiocsserial
out=$(ns "umount -l /run/ratchet && $R status --json")
expect "$ATTACK: ratchet: from a namespace without the pins, status finds the lock" \
	gojq -e '.ratchet.locked and .ratchet.pins.here == null' <<<"$out"
expect "$ATTACK: ratchet: ... and a new lock there raises it, and exits 1: the pins are out of reach" \
	run 1 ns "umount -l /run/ratchet && $R lock perf"
expect "$ATTACK: ratchet: ... status here shows it" enforced perf
ratchet_holds
collateral
