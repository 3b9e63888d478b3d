#!/bin/bash
# vm-append: syscall.x32=y
# rt19-x32-kexec.sh - red team 19: a kexec_load() through the x32 system
# call table, held past the lock, which the load barrier never lists.
# Debian's amd64 kernels are built with CONFIG_X86_X32_ABI=y and x32
# off unless booted with syscall.x32=y (CONFIG_X86_X32_DISABLED; a
# documented switch for x32 userlands). There the x32 table's kexec_load
# is number 528 (arch/x86/entry/syscalls/syscall_64.tbl: "528 x32
# kexec_load compat_sys_kexec_load"; 246 is "64" only, not in the x32
# table), called as 0x40000000 | 528 from any process. loadscan
# (bpf/progscan.bpf.c) masks the x32 bit and compares with
# RATCHET_LOAD_CALLS, which names 246 and 320 (64-bit) and 128, 350, 283
# (ia32) but not 528: the held call is invisible, the lock reads
# kexec_loaded 0, exits 0, and the reboot image is installed after it
# (docs/threat-model.md says the x32 numbers are covered). The checks
# marked "ratchet:" FAIL while the hole exists.
# Closed: RATCHET_LOAD_CALLS (include/ratchet.h) lists x32's kexec_load,
# 528.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt19-x32-kexec
L=/sys/kernel/kexec_loaded
X=build/tests/ratchet-rt19-load
mkdir -p "$T"
echo "    | cmdline: $(cat /proc/cmdline)" >&2
if ! $X x32-on >&2; then
	skip "$ATTACK: x32 system calls are off in this guest (syscall.x32=y not in effect)"
	exit 0
fi
expect "$ATTACK: naive: no reboot image loaded at the start" test "$(cat $L)" = 0
held_start $X x32 "$T/ready" "$T/go"
expect "$ATTACK: naive: an x32 kexec_load (0x40000210) waits at its segment copy, past its checks" test -e "$T/ready"
echo "    | $L while the load waits: $(cat $L)" >&2
try $R lock kexec kexec-image dev-mem
rc=$RC
expect "$ATTACK: ratchet: the lock does not exit 0 with the x32 load in flight (exit $rc)" test "$rc" != 0
held_release
expect "$ATTACK: naive: the x32 kexec_load begun before the lock returned 0 after it (exit $HRC)" \
	test "$HRC" = 0
echo "    | $L after the lock: $(cat $L)" >&2
expect "$ATTACK: ratchet: no reboot image is installed after a lock that exited 0 (lock exit $rc, $L $(cat $L))" \
	test "$rc" != 0 -o "$(cat $L)" = 0
try $R status --check kexec kexec-image
expect "$ATTACK: status --check kexec kexec-image fails once the image is in (exit $RC)" test "$RC" != 0
