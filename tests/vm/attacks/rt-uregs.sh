#!/bin/bash
# rt-uregs.sh - red team (issue 20): 7.2 lets uprobe programs write their
# context, the probed process's user registers (kprobe_prog_is_valid_access()
# sets aux->kprobe_write_ctx; only kprobe attachment refuses it), with no
# lockdown check. ratchet's allowlist lets every kprobe-type program with
# attach type 0 load after a lock, so root rewrites the execution of any
# process (ratchet status and monitor included) with BPF after a lock that
# closed bpf-write-user and says it is complete: the route the threat
# model's table names for bpf-write-user is open again. The demonstration:
# `rt-false` (a copy of /bin/false) exits 0 because a uprobe on libc's
# _exit() rewrote its first argument. 6.1 and 6.12 refuse the write in the
# verifier: held there. FAILS on 7.2 while the hole is open.
# attacks.sh: last (it raises the lock to integrity)
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt-uregs
U=build/tests/ratchet-uregs
LIBC=/lib/x86_64-linux-gnu/libc.so.6
LOCK="dev-mem kexec bpf-read-kernel modules kexec-image hibernation"
LOCKED="dev-mem kexec-load bpf-read-kernel module-unsigned hibernation"
mkdir -p "$T"
cp /bin/false "$T"/rt-false

naive_phase
expect "$ATTACK: before any lock, rt-false exits 1" bash -c "! $T/rt-false"
ratchet_on
expect "$ATTACK: ratchet: lock integrity (raised)" run 0 "$R" lock integrity
expect "$ATTACK: ratchet: status says the lock is complete" bash -c "$R status | grep -q 'complete: no open route could undo this lock'"
expect "$ATTACK: ratchet: bpf-write-user refused after the lock" is bpf-write-user 1
out=$($U $LIBC "$T"/rt-false 2>&1)
rc=$?
indent <<<"$out" >&2
if [ $rc = 1 ]; then
	pass "$ATTACK: a uprobe program writing user registers is refused after the lock (held)"
else
	expect "$ATTACK: no BPF program rewrites another process's registers after bpf-write-user was locked" \
		bash -c "! grep -q 'rt-false exited 0' <<<\"\$1\"" _ "$out"
fi
expect "$ATTACK: ratchet: bpf-write-user still refused" is bpf-write-user 1
