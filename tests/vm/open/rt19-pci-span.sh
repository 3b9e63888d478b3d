#!/bin/bash
# rt19-pci-span.sh - red team 19: a PCI config space write after `ratchet
# lock pci-access` exited 0. proc_bus_pci_write() (drivers/pci/proc.c,
# 6.1 to 7.2) asks LOCKDOWN_PCI_ACCESS once on entry, then takes each
# byte from user memory (__get_user()) and writes the config space. Root
# holds that read with userfaultfd, waits for the seal (ratchet's own
# pci-access probe, an empty write, turns from 0 to EPERM), gives the
# page: the config write runs under the lock (here the interrupt line
# register of 00:00.0 written back unchanged; the command register's
# bus-master bit or a BAR the same way). The checks marked "ratchet:"
# FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt19-pci-span
X=build/tests/ratchet-rt19-msr
F=$(compgen -G "/proc/bus/pci/00/*" | head -1)
mkdir -p "$T"
if [ -z "$F" ]; then
	skip "$ATTACK: no /proc/bus/pci device"
	exit 0
fi
held_start $X "$T/ready" pci "$F" 0x3c
expect "$ATTACK: naive: a 1-byte write to $F waits at its copy, past LOCKDOWN_PCI_ACCESS" test -e "$T/ready"
try $R lock pci-access dev-mem
rc=$RC
for _ in $(seq 100); do kill -0 "$HELD" 2>/dev/null || break; sleep 0.1; done
kill -9 "$HELD" 2>/dev/null
wait "$HELD"
HRC=$?
indent <"$T/held.out" >&2
expect "$ATTACK: naive: a fresh config write after the lock is refused" \
	grep -q "a fresh 1-byte write now: Operation not permitted" "$T/held.out"
expect "$ATTACK: ratchet: no PCI config write after a lock of pci-access that exited 0 (lock exit $rc, held write exit $HRC)" \
	test "$rc" != 0 -o "$HRC" != 0
