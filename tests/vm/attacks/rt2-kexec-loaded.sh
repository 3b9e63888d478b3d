#!/bin/bash
# rt2-kexec-loaded.sh - red team 2: `ratchet lock kexec` refuses while a
# reboot image is loaded (it would stay usable: kexec -e boots it), unless
# --allow-loaded-kexec. Whether one is loaded is read from the path
# /sys/kernel/kexec_loaded (src/posture.c). Root loads an image, then
# bind-mounts a file saying 0 over that path: the lock exits 0 with the
# image still loaded, and a later kexec -e (reboot(LINUX_REBOOT_CMD_KEXEC)
# asks no lockdown reason, kernel/reboot.c, 6.1 to 7.2) boots root's
# kernel. The checks FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt2-kexec-loaded
L=/sys/kernel/kexec_loaded
mkdir -p "$T"
kexec_image
img=$IMG

r=$(kexec_result "$img" -s -l)
[ "$r" = "= 0" ] || r=$(kexec_result "$img" -l)
expect "$ATTACK: naive: kexec -s -l or -l loads a reboot image ($r)" test "$r" = "= 0"
expect "$ATTACK: naive: $L says 1" test "$(cat $L)" = 1
try $R lock kexec kexec-image
expect "$ATTACK: before: ratchet lock kexec refuses while it is loaded ($RC)" test "$RC" != 0
echo 0 >"$T/zero"
expect "$ATTACK: naive: root covers $L with a file saying 0" \
	bash -c "mount --bind $T/zero $L && test \$(cat $L) = 0"
try $R lock kexec kexec-image
expect "$ATTACK: ratchet: lock kexec still refuses while a reboot image is loaded ($RC)" \
	test "$RC" != 0
umount $L
echo "    | the real $L: $(cat $L)" >&2
