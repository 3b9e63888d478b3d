#!/bin/bash
# ftrace-enabled.sh - kernel.ftrace_enabled=0 switches every BPF trampoline,
# so every BPF LSM program, off at once.
# docs/threat-model.md, "ftrace".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=ftrace-enabled
F=/proc/sys/kernel/ftrace_enabled
# write VALUE: one write(2) of exactly VALUE, as the shell's printf does it.
write() { printf "%s" "$1" >"$F"; }

naive_phase
naive_on nosysctl
expect "$ATTACK: naive: echo 0 > $F succeeds" bash -c "echo 0 >$F"
naive_undone
naive_off

ratchet_on
expect "$ATTACK: ratchet: echo 0 > $F is refused" refused bash -c "echo 0 >$F"
expect "$ATTACK: ratchet: sysctl -w kernel.ftrace_enabled=0 fails" bash -c '! sysctl -qw kernel.ftrace_enabled=0 2>/dev/null'
for v in '0' '00' ' 0' '\t0' '0x0' '-0' '+0' '0\n' '0 ' '000000000000000000000000000000000'; do
	write "$v" 2>/dev/null
	expect "$ATTACK: ratchet: after writing '$v', ftrace_enabled is still 1" test "$(cat $F)" = 1
done
# A write at an offset, and a write from a child cgroup and a new namespace.
expect "$ATTACK: ratchet: a write of 0 at offset 1 leaves it 1" \
	bash -c "printf 10 | dd of=$F bs=1 seek=1 skip=1 conv=notrunc 2>/dev/null; test \$(cat $F) = 1"
mkdir -p /sys/fs/cgroup/child
expect "$ATTACK: ratchet: from a child cgroup, echo 0 is refused" \
	refused bash -c "echo \$\$ >/sys/fs/cgroup/child/cgroup.procs && echo 0 >$F"
expect "$ATTACK: ratchet: from new cgroup/pid/mount namespaces, echo 0 is refused" \
	refused unshare -C -m -p -f --mount-proc bash -c "echo 0 >$F"
expect "$ATTACK: ratchet: ftrace_enabled is still 1" test "$(cat $F)" = 1
ratchet_holds
collateral
