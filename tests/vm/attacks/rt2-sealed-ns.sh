#!/bin/bash
# vm-env: VM_SMP=2
# rt2-sealed-ns.sh - red team 2: the state a look-alike was sealed with is
# root's, and only part of it is checked. Before the first lock root loads
# ratchet's exact object and writes its state map before sealing it with
# ratchet_raise (which sets sealed_ns only if it is 0): sealed_ns = ~0, a
# seal at the end of time (ratchet-impostor lookalike future). Every tag,
# map, table, link and pin is ratchet's, so `ratchet lock` adopts it and
# exits 0. ratchet_bpf_prog (bpf/bpfself.h) lets an fd to a refused
# program through when its refcnt is not 1 and its load_time is before
# sealed_ns: always, here. So a thread that takes an fd by id to a
# program between bpf_prog_alloc_id() and the loader's own fd
# (bpf_prog_load(), kernel/bpf/syscall.c, 6.1 to 7.2) keeps an fmod_ret
# on security_locked_down that the lock was to refuse, and bpf-read-kernel
# is undone (ratchet-fdrace). The checks FAIL while the hole exists.
# ratchet bounds sealed_ns by its programs' load times and the boot clock
# (src/facts.c, check_sealed()) and refuses to adopt otherwise; a program
# of a kind that could overrule it is found whenever it was loaded.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt2-sealed-ns
I=build/tests/ratchet-impostor
FR=build/tests/ratchet-fdrace

expect "$ATTACK: naive: root seals ratchet's exact object with sealed_ns ~0" \
	run 0 $I lookalike future
try $R lock dev-mem bpf-read-kernel
expect "$ATTACK: ratchet: lock does not exit 0 on a lock that says it sealed in the future ($RC)" \
	test "$RC" != 0
expect "$ATTACK: ratchet: the lock says it does not adopt a seal time it never writes" \
	grep -q "with a seal time it never writes" <<<"$OUT"
expect "$ATTACK: ratchet: status names the seal time" \
	bash -c "$R status | grep -q \"NOT ENFORCED: .*ratchet's state says it sealed at\""
# The look-alike stays (nothing unloads it): the lock refuses it (above),
# or bpf-read-kernel is refused.
expect "$ATTACK: ratchet: the lock did not exit 0, or bpf-read-kernel is refused" \
	bash -c "[ $RC != 0 ] || is bpf-read-kernel 1"
out=$($FR 40 2>&1)
rc=$?
indent <<<"$out" >&2
expect "$ATTACK: ratchet: the lock did not exit 0, or no fd to a refused fmod_ret is won by racing its load ($(tail -1 <<<"$out"))" \
	bash -c "[ $RC != 0 ] || [ $rc != 0 ]"
# What the race won, status finds whenever it was loaded.
if [ "$rc" = 0 ]; then
	expect "$ATTACK: ratchet: status says OVERRULED by the fmod_ret the race won" \
		bash -c "$R status | grep -q 'OVERRULED: .*fmod_ret'"
	expect "$ATTACK: ratchet: and the metrics say so (ratchet_overruled 1)" \
		bash -c "$R status --prometheus | grep -qx 'ratchet_overruled 1'"
fi
expect "$ATTACK: ratchet: the lock did not exit 0, or bpf-read-kernel is still refused" \
	bash -c "[ $RC != 0 ] || is bpf-read-kernel 1"
expect "$ATTACK: ratchet: status --check bpf-read-kernel does not pass while it is undone" \
	bash -c "! $R status --check bpf-read-kernel >/dev/null 2>&1 || is bpf-read-kernel 1"
