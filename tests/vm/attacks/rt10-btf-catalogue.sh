#!/bin/bash
# rt10-btf-catalogue.sh - red team 10: kernel_btf() (src/catalogue.c)
# reads the kernel's BTF from a fresh sysfs instance, but if that read
# fails with EPERM (meant for an unprivileged `check`) it falls back to
# libbpf's btf__load_vmlinux_btf(), which tries /sys/kernel/btf/vmlinux and
# then /boot/vmlinux-$(uname -r), an ELF file root writes. A fanotify
# permission listener's FAN_DENY is EPERM. Root refuses the first open of
# the BTF each `ratchet` process makes through a fresh sysfs (the
# catalogue's, cmd_lock() -> catalogue_load() -> kernel_btf()) and every
# open of the path that is not kfs_same()'s (which opens the fresh
# instance, allowed then, and the path right after); the copy at /boot
# has READING_MODULE/READING_FIRMWARE, LOADING_MODULE/LOADING_FIRMWARE and
# LOCKDOWN_MODULE_SIGNATURE/LOCKDOWN_KCORE swapped. Every table ratchet
# computes (the kinds, the restrictions' slots), and libbpf's CO-RE, then
# come from root's copy; the cover checks pass (the path is the kernel's
# file when kfs_same() opens it). `ratchet lock integrity modules` exits 0, and an
# unsigned module loads (kernel code), and a signed one. The checks FAIL while that works.
# shellcheck disable=SC2086 # $LOCK: one argument per restriction
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt10-lib.sh
ATTACK=rt10-btf-catalogue
LOCK="integrity modules"
mkdir -p "$T"

rt10_boot_swapped
rt10_listen first
expect "$ATTACK: setup: an unsigned module loads before any lock" is module-unsigned 0

try "$R" lock $LOCK
LRC=$RC
echo "    | lock exited $LRC; the listener refused $(grep -c DENY "$T/fan.out") opens:" >&2
grep -m6 'DENY\|allow' "$T/fan.out" | indent >&2
for o in module-unsigned module-unsigned-init module-signed; do
	try $OP $o
	expect "$ATTACK: ratchet: $o refused after a lock $LOCK that exited 0 (lock $LRC, $o $RC)" \
		test "$LRC" != 0 -o "$RC" = 1
done
try $R status --check $LOCK
SRC=$RC
echo "    | status --check with the listener: exit $SRC" >&2
try $OP module-unsigned
expect "$ATTACK: ratchet: status --check with the listener does not pass while an unsigned module loads" \
	test "$SRC" != 0 -o "$RC" = 1
kill "$FP" 2>/dev/null
wait "$FP" 2>/dev/null
try $R status --check $LOCK
echo "    | status --check without the listener: exit $RC" >&2
"$R" status 2>&1 | grep -v '^ratchet:   ' | head -6 | indent >&2
rm -f "$B"
