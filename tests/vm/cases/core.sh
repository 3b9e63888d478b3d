#!/bin/bash
# vm-env: VM_TIMEOUT=600
# core.sh - the one guest of `make check-fast`: what every commit must keep
# working, in the order a machine lives it, in one boot. First the cases
# that compose (each leaves the guest as the next expects it): the
# catalogue and the refusal to lock what cannot be enforced (catalogue.sh,
# which leaves nothing locked), every denial reported and counted
# (events.sh), raise-only sysctls (sysctl.sh). Then the plain undo routes
# against the lock in force, the collateral of the mount protection, and
# the lock's own objects. The full suite (make check) runs each case in a
# fresh guest on every kernel, and every attack in tests/vm/attacks.
set -u
for c in catalogue events sysctl; do
	bash "tests/vm/cases/$c.sh"
done
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=core

ratchet_on
pin=$(find "$PINS" -name 'link-*' | head -1)
expect "$ATTACK: rm of a pin is refused" refused rm "$pin"
expect "$ATTACK: umount -l /run is refused" refused umount -l /run
expect "$ATTACK: kernel.ftrace_enabled=0 is refused" refused sysctl -w kernel.ftrace_enabled=0
ratchet_holds
collateral
collateral_mounts
