#!/bin/bash
# rt2-chroot-lock.sh - red team 2: the first lock, run chrooted into a
# root that sits on /proc/P of a process of root's own: a tmpfs X on
# /proc/P holds a recursive bind of / (the checkout, /run, /sys...), and
# `chroot X/r ratchet lock` makes ratchet's mounts under X's copy of /run.
# The seal's mount walk used to stop at the caller's root: X's own
# mountpoint, a procfs dentry, was never looked at, so the lock sealed and
# exited 0; when P exits, proc_flush_pid() -> d_invalidate() ->
# detach_mounts() takes X and everything under it with no hook
# (fs/dcache.c, 6.1 to 7.2), the pin bpffs goes with its pins and links,
# and dev-mem opens. record_pin() (bpf/seal.h) now walks past the
# caller's root to the namespace's root (chain_safe(), bpf/mounts.h) and
# refuses to seal (ESTALE): the lock exits 1 and says why, and a lock
# from the guest's root then holds. docs/threat-model.md, "Dentries the
# kernel invalidates".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt2-chroot-lock

sleep 600 &
P=$!
X=/proc/$P
mount -t tmpfs rt2chroot "$X" && mount --make-private "$X" && mkdir "$X/r" &&
	mount --rbind / "$X/r" && mount --make-rprivate "$X/r"
try chroot "$X/r" /bin/sh -c "cd '$PWD' && '$R' lock dev-mem kexec"
echo "    | chrooted ratchet lock exited $RC" >&2
expect "$ATTACK: ratchet: a first lock in a chroot is refused, and says why" \
	grep -q "or a mount above it sits on a file system that can invalidate it" <<<"$OUT"
expect "$ATTACK: ratchet: the chrooted lock exits non-zero" test "$RC" != 0
kill $P
wait $P 2>/dev/null
sleep 2
expect "$ATTACK: ratchet: the chrooted lock did not exit 0, or dev-mem is still refused after P exits" \
	bash -c "[ $RC != 0 ] || is dev-mem 1"
"$R" status 2>&1 | head -4 | sed 's/^/    | status: /' >&2
try "$R" lock dev-mem kexec
expect "$ATTACK: ratchet: a first lock from the guest's root then exits 0" test "$RC" = 0
expect "$ATTACK: ratchet: and dev-mem is refused" is dev-mem 1
