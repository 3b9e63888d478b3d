#!/bin/bash
# move-proc.sh - detach without any umount: move the pins (or a mount above
# them) onto /proc/PID of a short-lived process. When it exits,
# proc_flush_pid() -> d_invalidate() -> detach_mounts() unmounts whatever
# sits on that dentry, in every namespace, with no hook. Sysfs, FUSE and
# network file systems invalidate dentries too. docs/threat-model.md,
# "Dentries the kernel invalidates".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=move-proc

naive_phase
naive_on
sleep 600 &
P=$!
expect "$ATTACK: naive: mount --move /sys/fs/bpf /proc/$P" mount --move /sys/fs/bpf /proc/$P
kill $P
wait $P 2>/dev/null
naive_undone
naive_off

ratchet_on
sleep 600 &
P=$!
for m in $PINS /run/ratchet /run; do
	expect "$ATTACK: ratchet: mount --move $m /proc/$P is refused" refused mount --move "$m" "/proc/$P"
	expect "$ATTACK: ratchet: move_mount($m, /proc/$P) is refused" run 1 "$A" move-mount "$m" "/proc/$P"
done
kill $P
wait $P 2>/dev/null
ratchet_holds
collateral
collateral_mounts
