#!/bin/bash
# rt3-tailctx.sh - red team 3: after `ratchet lock` has returned 0, root
# runs a syscall program that reaches past its context buffer: syscall
# programs are allowed after a lock (bpf/bpfself.h, elsewhere()), and on
# 7.2 a sleepable program may tail-call (check_map_prog_compatibility(),
# kernel/bpf/verifier.c), while bpf_prog_test_run_syscall()
# (net/bpf/test_run.c) checks the context size against the max_ctx_offset
# of the program it runs only, and __bpf_prog_map_compatible()
# (kernel/bpf/core.c) never compares it. A tail-called program then reads
# and writes up to 64 KiB past a kmalloc'd buffer whose address it can
# read: a relative kernel heap write, the start of a write to ratchet's
# maps (whose addresses an iter/bpf_map program reads; see
# rt3-sysbpf-ctx.sh) that needs no fd. The test writes only inside the
# buffer's own page block. Then the same route on to the tables: 7.2 lets
# a syscall program give a helper its context at a variable offset, so a
# run whose buffer lands within 64 KiB below the tables' value (known from
# iter/bpf_map) copies root's tables over them (every kind FREE,
# ftrace_enabled no knob, as rt2-tables-iter), with no fd to the map.
# 6.1 and 6.12 refuse a program array to a sleepable program. The checks
# FAIL where the route exists. First, such a program loaded and pinned
# before the first lock: the lock exits 1 saying it is overruled by it
# (its program scan counts a syscall program with a prog array), status
# says OVERRULED; once it is unpinned and freed, the lock is whole.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt3-tailctx
TC=build/tests/ratchet-tailctx
CW=build/tests/ratchet-ctxwrite
LOCK="dev-mem kexec bpf-read-kernel modules"
LOCKED="dev-mem kexec-load bpf-read-kernel module-unsigned"
mkdir -p "$T"

# Loaded and pinned before the first lock, the tail-caller keeps its fds:
# the lock's program scan must count it (src/bpf.c, tail_caller()).
out=$($TC hold /sys/fs/bpf/rt3-tailctx-before 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    | hold: /' >&2
if [ "$rc" != 0 ]; then
	why=$(grep -iE 'sleepable|prog_array|cannot be used' <<<"$out" | tail -1)
	skip "$ATTACK: before the lock: this kernel's verifier refuses a prog array to a syscall program (${why:-$(tail -1 <<<"$out")})"
else
	# shellcheck disable=SC2086 # $LOCK is a list: one argument per restriction
	try $R lock $LOCK
	expect "$ATTACK: ratchet: with a syscall tail-caller loaded before it, the lock exits 1 ($RC)" \
		test "$RC" = 1
	expect "$ATTACK: ratchet: the lock says it is overruled by that program" \
		grep -q 'in force, but syscall program id .*a prog array' <<<"$OUT"
	expect "$ATTACK: ratchet: status says OVERRULED by it" \
		bash -c "$R status | grep -q 'OVERRULED: syscall program id .*a prog array'"
	rm -f /sys/fs/bpf/rt3-tailctx-before
	# Freeing a program is deferred work (RCU): wait until the scan misses it.
	for _ in $(seq 30); do $R status | grep -q OVERRULED || break; sleep 0.3; done
fi

ratchet_on
out=$($TC 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    | tailctx: /' >&2
expect "$ATTACK: ratchet: no syscall program reads or writes past its context after a lock ($(tail -1 <<<"$out"))" \
	test "$rc" != 0
$CW save "$T/tables" 2>&1 | sed 's/^/    | save: /' >&2
out=$($TC reach free 2>&1)
rc=$?
printf '%s\n' "$out" | grep -v '^libbpf' | sed 's/^/    | reach: /' >&2
expect "$ATTACK: ratchet: no syscall program reaches the tables past its context ($(tail -1 <<<"$out"))" \
	test "$rc" != 0
expect "$ATTACK: ratchet: an unsigned module is still refused (finit_module)" is module-unsigned 1
"$R" status --check dev-mem modules >/dev/null 2>&1
echo "    | status --check while rewritten: exit $?" >&2
$TC reach "$T/tables" 2>&1 | grep -v '^libbpf' | sed 's/^/    | restore: /' >&2
ratchet_holds
