#!/bin/bash
# rt2-move-window.sh - red team 2: inside the first lock, right before the
# raise that seals (build/tests/ratchet-window.so), root mounts a private
# tmpfs X on /proc/P of a process of its own and moves ratchet's
# /run/ratchet tmpfs, with the pin bpffs on it, into X. Nothing refuses a
# move before the seal. record_pin() (bpf/seal.h) checks the pin mount's
# mountpoint and its parent's for a d_revalidate: both are tmpfs dentries
# (the pin dir in ratchet's tmpfs, the dir in X), and X's own mountpoint,
# a procfs dentry, is not looked at. So the lock seals and exits 0; when P
# exits, proc_flush_pid() -> d_invalidate() -> detach_mounts() takes X and
# everything under it with no hook (fs/dcache.c, 6.1 to 7.2), the pin
# bpffs goes with its pins and links, and dev-mem opens. The checks FAIL
# while the hole exists. record_pin() now walks the whole chain up to the
# namespace's root (chain_safe(), bpf/mounts.h): the raise refuses to
# seal (ESTALE) and the first lock undoes itself.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt2-lib.sh
ATTACK=rt2-move-window

sleep 600 &
P=$!
rt2_window_move "/proc/$P" "a /proc/PID"
"$R" status 2>&1 | head -4 | sed 's/^/    | status: /' >&2
kill $P
wait $P 2>/dev/null
sleep 2
expect "$ATTACK: ratchet: the lock did not exit 0, or dev-mem is still refused after P exits" \
	bash -c "[ $RC != 0 ] || is dev-mem 1"
