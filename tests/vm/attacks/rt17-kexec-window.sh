#!/bin/bash
# rt17-kexec-window.sh - red team 17: `ratchet lock kexec` refuses while
# a reboot image is loaded (reboot(LINUX_REBOOT_CMD_KEXEC) asks no LSM,
# kernel/reboot.c, 6.1 to 7.2: the image stays bootable after the lock).
# The guard reads kernel/kexec_loaded once, before anything is loaded
# (lock.c: kexec_guard() before rbpf_lock_sysctl()); nothing reads it
# again after the seal, and status reports a loaded image without calling
# kexec NOT ENFORCED. Root loads its image after the guard and before the
# seal: here it stops the lock (SIGSTOP) once ratchet's mounts appear
# (pindir_make(), past the guard, before first_lock()), loads the image
# with kexec -l, and lets the lock go on. The lock exits 0 saying kexec is
# locked with a reboot image loaded that `kexec -e` boots. Now a lock
# reads kexec_loaded again once sealed (lock_settle(), src/lock.c) and
# exits 1, and status calls kexec and kexec-image NOT ENFORCED while a
# reboot image is loaded. The checks marked "ratchet:" FAIL while the
# hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt17-kexec-window
L=/sys/kernel/kexec_loaded
mkdir -p "$T"
kexec_image
img=$IMG
expect "$ATTACK: naive: no reboot image loaded at the start" test "$(cat $L)" = 0

# The first lock, stopped by root once past its kexec guard.
$R lock kexec kexec-image dev-mem >"$T/lock.out" 2>"$T/lock.err" &
pid=$!
while kill -0 $pid 2>/dev/null &&
	! grep -q ' /run/ratchet/bpf ' /proc/self/mountinfo; do
	:
done
kill -STOP $pid
echo "    | stopped the lock once /run/ratchet/bpf was mounted" >&2
r=$(kexec_result "$img" -s -l)
[ "$r" = "= 0" ] || r=$(kexec_result "$img" -l)
echo "    | $L while the lock is stopped: $(cat $L)" >&2
kill -CONT $pid
wait $pid
rc=$?
indent <"$T/lock.out" >&2
indent <"$T/lock.err" >&2
expect "$ATTACK: naive: root loaded a reboot image while the lock ran ($r)" test "$r" = "= 0"
expect "$ATTACK: naive: $L says 1 after the lock" test "$(cat $L)" = 1
expect "$ATTACK: ratchet: the lock does not exit 0 with a reboot image loaded (exit $rc)" \
	test "$rc" != 0
try $R lock kexec kexec-image
expect "$ATTACK: ratchet: a second lock kexec refuses too, as it does with an image loaded before ($RC)" \
	test "$RC" != 0
r=$(kexec_result "$img" -l)
expect "$ATTACK: after the lock a new kexec_load is refused ($r)" test "$r" = "= -1 EPERM"
try $R status
expect "$ATTACK: status shows the image loaded" grep -q 'kexec image loaded *yes' <<<"$OUT"
expect "$ATTACK: ratchet: status does not call kexec enforced with a reboot image loaded" \
	grep -q 'NOT ENFORCED' <<<"$OUT"
try $R status --check kexec kexec-image
expect "$ATTACK: ratchet: status --check kexec kexec-image fails with a reboot image loaded ($RC)" \
	test "$RC" != 0
echo "    | (reboot -f with LINUX_REBOOT_CMD_KEXEC, i.e. kexec -e, would now boot root's kernel)" >&2
try kexec -s -u
expect "$ATTACK: the fix the lock names works: kexec -s -u unloads the image ($RC)" \
	test "$(cat $L)" = 0
expect "$ATTACK: ... and status --check kexec kexec-image passes again" \
	run 0 $R status --check kexec kexec-image
