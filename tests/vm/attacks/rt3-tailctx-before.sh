#!/bin/bash
# vm-kernels: 7.2
# rt3-tailctx-before.sh - rt3-tailctx's syscall tail-caller, loaded and
# pinned before the first lock: after the lock, lsm/bpf_prog refuses such
# a program, but one loaded before keeps its fds, so the lock's program
# scan must count it (bpf/progscan.bpf.c; src/progscan.c): the lock exits 1
# saying it is in force but overruled by it, status says OVERRULED, also
# when root hides it from ratchet's bpf(2) calls (below); once it is
# unpinned and freed, the lock is whole. Only 7.2's verifier lets a
# sleepable program use a prog array (check_map_prog_compatibility(),
# kernel/bpf/verifier.c); 6.1 and 6.12 refuse it, where the file SKIPs,
# so it runs on 7.2 only. Alone in its guest: it acts before the first
# lock.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt3-tailctx-before
TC=build/tests/ratchet-tailctx
W=build/tests/ratchet-answer
LOCK="dev-mem kexec bpf-read-kernel modules"
LOCKED="dev-mem kexec-load bpf-read-kernel module-unsigned"
mkdir -p "$T"

out=$($TC hold /sys/fs/bpf/rt3-tailctx-before 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    | hold: /' >&2
if [ "$rc" != 0 ]; then
	why=$(grep -iE 'sleepable|prog_array|cannot be used' <<<"$out" | tail -1)
	skip "$ATTACK: this kernel's verifier refuses a prog array to a syscall program (${why:-$(tail -1 <<<"$out")})"
	exit 0
fi
# shellcheck disable=SC2086 # $LOCK is a list: one argument per restriction
try $R lock $LOCK
expect "$ATTACK: ratchet: with a syscall tail-caller loaded before it, the lock exits 1 ($RC)" \
	test "$RC" = 1
expect "$ATTACK: ratchet: the lock says it is overruled by that program" \
	grep -q 'in force, but syscall program id .*a prog array' <<<"$OUT"
expect "$ATTACK: ratchet: status says OVERRULED by it" \
	bash -c "$R status | grep -q 'OVERRULED: syscall program id .*a prog array'"
# Red team 4: after the lock root attaches an LSM program on lsm/bpf
# (tests/vm/tools/answer.bpf.c hide; 7.2 lets LSM programs onto ratchet's
# hooks, its verifier keeping them to 0 or -errno) that answers ENOENT to
# BPF_PROG_GET_FD_BY_ID for that program and to BPF_MAP_GET_FD_BY_ID for
# its prog array. The first non-zero return of a hook's programs ends the
# chain (invoke_bpf_mod_ret(), arch/x86/net/bpf_jit_comp.c), so ratchet's
# bpf(2) calls get that answer: it took ENOENT for "gone" and a map it
# could not open for one that is not a prog array, and status stopped
# naming the program. The program scan reads the kernel's program table
# itself: ratchet now takes any failure for "cannot be read" and a
# program for gone only when the scan no longer finds it.
expect "$ATTACK: root: an LSM program on lsm/bpf hiding that program and its prog array loads and attaches after the lock" \
	run 0 $W hide /sys/fs/bpf/rt4-hide /sys/fs/bpf/rt3-tailctx-before
$R status 2>&1 | head -4 | sed 's/^/    | status: /' >&2
expect "$ATTACK: ratchet: status still says OVERRULED by the syscall program" \
	bash -c "$R status | grep -q 'OVERRULED: syscall program id '"
expect "$ATTACK: ratchet: status --check bpf-read-kernel exits 1" \
	run 1 $R status --check bpf-read-kernel
# shellcheck disable=SC2086 # $LOCK is a list: one argument per restriction
try $R lock $LOCK
expect "$ATTACK: ratchet: a second lock exits 1 too ($RC)" test "$RC" = 1
expect "$ATTACK: ratchet: it names the syscall program" \
	grep -q 'in force, but syscall program id ' <<<"$OUT"
rm -f /sys/fs/bpf/rt4-hide /sys/fs/bpf/rt3-tailctx-before
# Freeing a program is deferred work (RCU): wait until the scan misses it.
for _ in $(seq 30); do $R status | grep -q OVERRULED || break; sleep 0.3; done
ratchet_on
ratchet_holds
