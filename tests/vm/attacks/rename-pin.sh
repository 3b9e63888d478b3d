#!/bin/bash
# rename-pin.sh - renaming another bpffs object over a pin unlinks the pin.
# docs/threat-model.md, "Unlinking or renaming a pin".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rename-pin
mkmap() { bpftool map create "$1" type array key 4 value 4 entries 1 name x; }

naive_phase
naive_on
expect "$ATTACK: naive: a second bpffs object /sys/fs/bpf/x" mkmap /sys/fs/bpf/x
expect "$ATTACK: naive: RENAME_EXCHANGE with the link pin succeeds" run 0 $A rename /sys/fs/bpf/x /sys/fs/bpf/naive/link exchange
expect "$ATTACK: naive: (an exchange only swaps names: the lock holds)" is dev-mem 1
$A rename /sys/fs/bpf/x /sys/fs/bpf/naive/link exchange >/dev/null
expect "$ATTACK: naive: rename of x over the link pin succeeds" run 0 $A rename /sys/fs/bpf/x /sys/fs/bpf/naive/link
naive_undone
naive_off
rm -f /sys/fs/bpf/naive/link

ratchet_on
expect "$ATTACK: ratchet: root can still create a map pin x in $PINS" mkmap $PINS/x
for p in link-ratchet_locked_down events raise link-ratchet_unlink link-ratchet_rename; do
	expect "$ATTACK: ratchet: rename x over $p is refused" run 1 $A rename $PINS/x $PINS/$p
done
expect "$ATTACK: ratchet: RENAME_EXCHANGE x <-> link-ratchet_locked_down is refused" \
	run 1 $A rename $PINS/x $PINS/link-ratchet_locked_down exchange
expect "$ATTACK: ratchet: RENAME_EXCHANGE link-ratchet_locked_down <-> x is refused" \
	run 1 $A rename $PINS/link-ratchet_locked_down $PINS/x exchange
expect "$ATTACK: ratchet: renaming a pin away (mv to a new name) is refused" \
	run 1 $A rename $PINS/link-ratchet_locked_down $PINS/gone
mkdir $PINS/d 2>/dev/null
expect "$ATTACK: ratchet: renaming a pin into a subdirectory is refused" \
	run 1 $A rename $PINS/link-ratchet_locked_down $PINS/d/l
expect "$ATTACK: ratchet: renaming a pin to another file system is refused (EXDEV or EPERM)" \
	bash -c "! $A rename $PINS/link-ratchet_locked_down /sys/fs/bpf/l >/dev/null"
expect "$ATTACK: ratchet: link-ratchet_locked_down is still pinned" bpftool link show pinned $PINS/link-ratchet_locked_down
ratchet_holds
collateral
