#!/bin/bash
# mount-over.sh - hide the pins under another mount, remount the bpffs, or
# stack a second bpffs: none removes a pin, so none undoes even the naive
# lock; what matters is that ratchet still holds and does not report
# itself unlocked.
set -u
. tests/vm/lib.sh
. tests/vm/attack/lib.sh
ATTACK=mount-over

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
locked() { tests/rjson status 2>/dev/null | jq -e '.ratchet.restrictions[]|select(.name=="dev-mem").mode=="enforce"' >/dev/null; }
expect "$ATTACK: ratchet: status reports dev-mem enforced" locked
expect "$ATTACK: ratchet: remount of the pin bpffs (mode=0777)" mount -o remount,mode=0777 $PINS
ratchet_holds "after a remount of the bpffs"
expect "$ATTACK: ratchet: a tmpfs mounted over $PINS" mount -t tmpfs tmpfs $PINS
ratchet_holds "with $PINS hidden"
out=$($R lock kcore 2>&1)
rc=$?
echo "    | ratchet lock kcore: exit $rc: $out" >&2
expect "$ATTACK: ratchet: a new lock with $PINS hidden fails and says so" test $rc != 0
expect "$ATTACK: ratchet: a tmpfs mounted over /run/ratchet" mount -t tmpfs tmpfs /run/ratchet
ratchet_holds "with /run/ratchet hidden"
out=$($R lock kcore 2>&1)
rc=$?
echo "    | ratchet lock kcore: exit $rc: $out" >&2
expect "$ATTACK: ratchet: a new lock with /run/ratchet hidden fails and says so" test $rc != 0
# With the pins out of sight, status cannot find the lock (a documented
# residual); the lock itself holds and a new lock fails closed.
ratchet_holds
collateral
