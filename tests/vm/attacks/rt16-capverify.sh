#!/bin/bash
# rt16-capverify.sh - red team 16 (by reading), played: `status
# --verify` called a probe refused before ratchet's check "verified:
# refused earlier", whatever refused it. An fmod_ret program on
# security_capable() refusing CAP_SYS_RAWIO to processes named ratchet
# refuses its probe of /dev/mem in open_port() before the lockdown check
# (drivers/char/mem.c, 6.1 to 7.2): with dev-mem only permissive (the
# kernel lets anyone else open /dev/mem) --verify said verified, exit 0,
# gauge 1. And a permissive kcore, whose open_kcore() asks lockdown
# first (counted), then the capability: "verified". Now a refusal is
# verified only when ratchet's enforcing check counted it, "refused
# earlier" only when another restriction's check or a switch of the
# kernel's own explains it, and anything else "cannot tell" (exit 1).
# The checks FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt16-capverify
X=build/tests/ratchet-rt12
CAP_SYS_RAWIO=17

expect "$ATTACK: lock --permissive dev-mem kcore" \
	run 0 "$R" lock --permissive dev-mem kcore
expect "$ATTACK: naive: the kernel lets a process open /dev/mem" \
	bash -c 'exec 3</dev/mem'
try "$R" status --verify
expect "$ATTACK: without the refuser, --verify says dev-mem is NOT ENFORCED" \
	grep -q 'dev-mem .*NOT ENFORCED' <<<"$OUT"
expect "$ATTACK: after the lock: a refuser of CAP_SYS_RAWIO for ratchet attaches" \
	run 0 $X cap $CAP_SYS_RAWIO -1 /sys/fs/bpf/rt16-cap
expect "$ATTACK: naive: ... and the kernel still lets others open /dev/mem" \
	bash -c 'exec 3</dev/mem'
try "$R" status --verify
expect "$ATTACK: ratchet: --verify exits 1 ($RC)" test "$RC" = 1
expect "$ATTACK: ... does not call dev-mem verified" \
	bash -c "! grep -E '^  dev-mem +verified' <<<\"\$0\"" "$OUT"
expect "$ATTACK: ... says it cannot tell, and why" \
	grep -q 'dev-mem .*cannot tell.*by neither ratchet.s check nor a switch' <<<"$OUT"
expect "$ATTACK: ... nor kcore (permissive: ratchet's check counted it, and let it through)" \
	bash -c "! grep -E '^  kcore +verified' <<<\"\$0\"" "$OUT"
try "$R" status --verify --prometheus
expect "$ATTACK: ratchet: the dev-mem gauge is 0" \
	grep -qx 'ratchet_restriction_verified{restriction="dev-mem"} 0' <<<"$OUT"
rm -f /sys/fs/bpf/rt16-cap
