#!/bin/bash
# rt18-kexec-hide.sh - red team 18: the load barrier of a712ee8 reads a
# task as inside kexec_load() only while its saved regs->ax is -ENOSYS
# (bpf/progscan.bpf.c, loadscan). ax is a pt_regs slot a ptrace tracer may
# write at the syscall-entry stop (putreg(), arch/x86/kernel/ptrace.c);
# the kernel then runs the call (syscall_trace_enter() re-reads only
# orig_ax) and ax keeps root's value until do_syscall_x64() stores the
# result (6.1 to 7.2). Root's tracer sets ax = 0 at the entry of a
# kexec_load whose segment page is registered with userfaultfd and
# detaches, before the lock: the call passes kexec_load_check(), waits at
# the copy, and the barrier does not list it. `ratchet lock kexec
# kexec-image` exits 0; root gives the page and a reboot image is
# installed under the lock (kexec -e boots it). Same with kexec_file_load
# held at its command line copy (after its last LSM check). The checks
# marked "ratchet:" FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=${RT18_ATTACK:-rt18-kexec-hide}
L=/sys/kernel/kexec_loaded
X=build/tests/ratchet-rt18-hide
mkdir -p "$T"
kexec_image
expect "$ATTACK: naive: no reboot image loaded at the start" test "$(cat $L)" = 0
held_start $X "${RT18_MODE:-kexec}" "$IMG" "$T/ready" "$T/go"
expect "$ATTACK: naive: a kexec_load waits at its segment copy, its saved ax rewritten" test -e "$T/ready"
echo "    | $L while the load waits: $(cat $L)" >&2
for t in "/proc/$HELD/task/"*; do
	echo "    | task ${t##*/}: syscall $(cut -d' ' -f1 "$t/syscall" 2>/dev/null)" >&2
done
try $R lock kexec kexec-image dev-mem
rc=$RC
expect "$ATTACK: ratchet: the lock does not exit 0 with the load in flight (exit $rc)" test "$rc" != 0
expect "$ATTACK: ratchet: ... it names the load under way" grep -q 'is inside kexec_' <<<"$OUT"
held_release
expect "$ATTACK: naive: the kexec_load begun before the lock returned 0 after it (exit $HRC)" \
	test "$HRC" = 0
echo "    | $L after the lock: $(cat $L)" >&2
expect "$ATTACK: ratchet: no reboot image is loaded after a lock that exited 0" \
	test "$rc" != 0 -o "$(cat $L)" = 0
r=$(kexec_result "$IMG" -l)
expect "$ATTACK: after the lock a new kexec_load is refused ($r)" test "$r" = "= -1 EPERM"
try $R status
grep -i kexec <<<"$OUT" | indent >&2
expect "$ATTACK: status does not call kexec enforced with a reboot image loaded" \
	grep -q 'NOT ENFORCED' <<<"$OUT"
