#!/bin/bash
# rt2-tables-iter.sh - red team 2: after `ratchet lock` has returned 0,
# root rewrites the lock's tables map, frozen and BPF_F_RDONLY_PROG,
# through a map element iterator. lsm/bpf_map refuses fds to the state
# and event maps, not to the tables (ratchet_map(), bpf/bpfself.h), so an
# fd by id is had; bpf_iter_attach_map() (kernel/bpf/map_iter.c, 6.1,
# 6.12, 7.2) checks neither BPF_F_RDONLY_PROG nor frozen, and the array
# map gives the iterator its element itself, writable
# (__bpf_array_map_seq_show(), kernel/bpf/arraymap.c). The tables were
# filled after the programs were verified, so nothing of them is folded
# into the programs: every kind becomes FREE (a module loads under
# `modules`) and kernel/ftrace_enabled is no knob of ratchet's any more
# (ftrace off: every program off, dev-mem opens). Restoring the bytes
# afterwards leaves status with nothing to see. The checks FAIL while the
# hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt2-tables-iter
TI=build/tests/ratchet-tabiter
LOCK="dev-mem kexec bpf-read-kernel modules kexec-image hibernation"
LOCKED="dev-mem kexec-load bpf-read-kernel module-unsigned hibernation"
F=/proc/sys/kernel/ftrace_enabled
mkdir -p "$T"

naive_phase
ratchet_on
expect "$ATTACK: ratchet: status --check says every restriction is enforced" \
	run 0 "$R" status --check dev-mem modules
$TI save "$T/tables" 2>&1 | sed 's/^/    | save: /' >&2
out=$($TI free 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    | free: /' >&2
expect "$ATTACK: ratchet: a map element iterator cannot rewrite the frozen tables map ($(tail -1 <<<"$out"))" \
	test "$rc" != 0
expect "$ATTACK: ratchet: an unsigned module is still refused (finit_module)" is module-unsigned 1
expect "$ATTACK: ratchet: an unsigned module is still refused (init_module)" is module-unsigned-init 1
expect "$ATTACK: ratchet: echo 0 > $F is still refused" refused bash -c "echo 0 >$F"
expect "$ATTACK: ratchet: dev-mem is still refused" is dev-mem 1
echo 1 >"$F" 2>/dev/null
"$R" status 2>&1 | head -3 | sed 's/^/    | status while rewritten: /' >&2
$TI restore "$T/tables" 2>&1 | sed 's/^/    | restore: /' >&2
"$R" status --check dev-mem modules >/dev/null 2>&1
echo "    | status --check after the tables were put back: exit $?" >&2
ratchet_holds
