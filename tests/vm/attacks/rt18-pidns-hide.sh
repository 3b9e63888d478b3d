#!/bin/bash
# rt18-pidns-hide.sh - red team 18: the load barrier's task iterator walks
# only the pid namespace of the task that reads it (init_seq_pidns(),
# task_seq_get_next(), kernel/bpf/task_iter.c, 6.1 to 7.2), and the scan's
# check that it was whole compares a record's task->pid (the initial
# namespace's number) with gettid() (the reader's namespace's number).
# Root runs `ratchet lock kexec kexec-image` in a new pid namespace under
# a pid chosen with clone3(set_tid) to be the same number in both
# (ratchet-rt18-pidns): the scan lists ratchet and nothing else, while a
# kexec_load held at its segment copy (ratchet-rt17-span, red team 17)
# waits in the initial namespace. The lock exits 0; root gives the page
# and the reboot image is installed under the lock. No ptrace. The checks
# marked "ratchet:" FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt18-pidns-hide
L=/sys/kernel/kexec_loaded
X=build/tests/ratchet-rt17-span
N=build/tests/ratchet-rt18-pidns
mkdir -p "$T"
kexec_image
expect "$ATTACK: naive: no reboot image loaded at the start" test "$(cat $L)" = 0
held_start $X kexec "$T/ready" "$T/go"
expect "$ATTACK: naive: a kexec_load waits at its segment copy, past its checks" test -e "$T/ready"
echo "    | $L while the load waits: $(cat $L)" >&2
try $N $R lock kexec kexec-image dev-mem
rc=$RC
expect "$ATTACK: ratchet: the lock does not exit 0 with the load in flight (exit $rc)" test "$rc" != 0
expect "$ATTACK: ratchet: ... it says it cannot see every process from a pid namespace" grep -q 'pid namespace other than the initial one' <<<"$OUT"
held_release
expect "$ATTACK: naive: the kexec_load begun before the lock returned 0 after it (exit $HRC)" \
	test "$HRC" = 0
echo "    | $L after the lock: $(cat $L)" >&2
expect "$ATTACK: ratchet: no reboot image is loaded after a lock that exited 0" \
	test "$rc" != 0 -o "$(cat $L)" = 0
r=$(kexec_result "$IMG" -l)
expect "$ATTACK: after the lock a new kexec_load is refused ($r)" test "$r" = "= -1 EPERM"
try $R status
expect "$ATTACK: status does not call kexec enforced with a reboot image loaded" \
	grep -q 'NOT ENFORCED' <<<"$OUT"
