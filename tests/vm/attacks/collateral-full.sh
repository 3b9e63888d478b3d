#!/bin/bash
# collateral-full.sh - what the mount protection costs under the widest
# lock: every lockdown reason (integrity, confidentiality), modules,
# kexec-image and the raise-only sysctls. Containers and sandboxed services
# in their own mount namespaces, and ordinary mounts, must keep working;
# the costs in the initial namespace show as PASS lines.
# docs/threat-model.md, "Collateral".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=collateral-full

expect "$ATTACK: ratchet: lock integrity confidentiality modules kexec-image sysctl" \
	run 0 $R lock integrity confidentiality modules kexec-image sysctl
for o in $LOCKED; do
	expect "$ATTACK: ratchet: $o refused after the lock" is "$o" 1
done
collateral_mounts
ratchet_holds "after the collateral checks"
