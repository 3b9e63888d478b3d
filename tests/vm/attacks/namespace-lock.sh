#!/bin/bash
# namespace-lock.sh - a mount namespace that dies unmounts everything in
# it, with no hook (put_mnt_ns() -> umount_tree()). A lock whose pins live
# in a private namespace (unshare -m, a unit with PrivateTmp=) goes with
# it. ratchet's first lock refuses to run outside the initial namespace;
# a failed first lock leaves no mount behind. docs/threat-model.md,
# "The namespace of the lock".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=namespace-lock

naive_phase
expect "$ATTACK: naive: before any lock, dev-mem is allowed" is dev-mem 0
unshare -m sh -c "mount -t bpf bpf /sys/fs/bpf && $A naive-pin nosysctl && $OP dev-mem; test \$? = 1" >/dev/null 2>&1
rc=$?
expect "$ATTACK: naive: a naive lock pinned in a private namespace refused dev-mem there" test $rc = 0
naive_undone
naive_off

out=$(unshare -m $R lock dev-mem kexec bpf-read-kernel 2>&1)
rc=$?
indent <<<"$out" >&2
expect "$ATTACK: ratchet: a first lock in a private namespace exits 1" test $rc = 1
expect "$ATTACK: ratchet: ... and says why and how to fix it" grep -q 'initial mount namespace.*nsenter' <<<"$out"
expect "$ATTACK: ratchet: ... and locked nothing" is dev-mem 0
expect "$ATTACK: ratchet: ... status: nothing locked" status_says ".ratchet.locked == false"
umount /sys/fs/cgroup
out=$($R lock dev-mem 2>&1)
rc=$?
indent <<<"$out" >&2
mount -t cgroup2 cgroup2 /sys/fs/cgroup
expect "$ATTACK: ratchet: a first lock that fails midway (no cgroup v2 root) exits non-zero" test $rc != 0
expect "$ATTACK: ratchet: ... naming the cgroup v2 root" grep -q 'cgroup v2' <<<"$out"
expect "$ATTACK: ratchet: ... and leaves no mount behind" bash -c '! grep -q " /run/ratchet" /proc/self/mountinfo'
expect "$ATTACK: ratchet: ... and locked nothing" is dev-mem 0
ratchet_on
expect "$ATTACK: ratchet: a later lock from a private namespace raises the lock in force" \
	run 0 unshare -m $R lock kcore
expect "$ATTACK: ratchet: ... kcore is refused here" \
	status_says ".ratchet.restrictions[]|select(.name==\"kcore\").mode==\"enforce\""
unshare -m sh -c "sleep 1" &
wait
ratchet_holds "after that namespace is gone"
collateral
collateral_mounts
