#!/bin/bash
# vm-kernels: 7.2
# rt2-ktail-before.sh - red team 2: rt-ktail.sh's kretprobe on
# security_locked_down tail-calling a register writer (7.x:
# kprobe_write_ctx), attached and pinned BEFORE the first lock. The
# bpf_prog hook never sees it (it is refused only when an fd is made after
# the seal), and what each lock checks after sealing for programs that
# overrule it (src/bpf.c, rbpf_check_overrule(): fmod_ret on security_*,
# LSM programs where positive returns pass, a sysctl program after
# ratchet's) does not look at kprobe links or at kprobe_write_ctx. So
# `ratchet lock dev-mem` exits 0, status says enforced, and /dev/mem opens
# for the process the writer picks. The checks FAIL while the hole exists;
# on 6.1 and 6.12, whose verifiers refuse the write, they SKIP. No lock
# can unload a program loaded before it: the lock finds it (every program's
# struct bpf_prog, src/progscan.c), fails closed and status says
# OVERRULED.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt2-ktail-before
KT=build/tests/ratchet-ktail

out=$($KT pin 2>&1)
rc=$?
printf '%s\n' "$out" | grep '^ktail: ' | indent >&2
if [ "$rc" != 0 ]; then
	skip "$ATTACK: the register writer does not load or attach here ($(tail -1 <<<"$out"))"
	exit 0
fi
expect "$ATTACK: naive: before the lock, the writer opens /dev/mem" run 0 $KT open
try $R lock dev-mem kexec
expect "$ATTACK: ratchet: lock dev-mem does not exit 0 while a context writer sits on security_locked_down ($RC)" \
	test "$RC" != 0
expect "$ATTACK: ratchet: the lock says what overrules it" \
	grep -q "program id [0-9]*, loaded before the lock, writes the registers" <<<"$OUT"
# No lock can unload the writer: the lock fails closed (above), or
# /dev/mem stays closed to the writer's process.
expect "$ATTACK: ratchet: the lock did not exit 0, or /dev/mem stays closed to the writer's process" \
	bash -c "[ $RC != 0 ] || ! $KT open"
expect "$ATTACK: ratchet: status says OVERRULED" bash -c "$R status | grep -q 'OVERRULED: .*writes the registers'"
expect "$ATTACK: ratchet: and the metrics say so (ratchet_overruled 1)" \
	bash -c "$R status --prometheus | grep -qx 'ratchet_overruled 1'"
expect "$ATTACK: ratchet: status --check dev-mem does not pass while /dev/mem opens" \
	bash -c "! $R status --check dev-mem >/dev/null 2>&1 || ! $KT open >/dev/null 2>&1"
