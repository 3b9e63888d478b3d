#!/bin/bash
# rt17-kexec-span.sh - red team 17: a kexec_load() begun before the lock,
# installed after it. kexec_load() asks the LSM and lockdown first
# (kexec_load_check(), kernel/kexec.c), then copies its segments from user
# memory (kimage_load_segment(), kernel/kexec_core.c) and sets kexec_image,
# which kernel/kexec_loaded shows, only at the end (6.1 to 7.2). Root
# registers the segment's page with userfaultfd (ratchet-rt17-span kexec), so
# the load waits at the copy, past every check, for as long as root
# likes. `ratchet lock kexec kexec-image` then reads kexec_loaded as 0
# (kexec_guard()), seals, and exits 0; root gives the page and the reboot
# image is installed under the lock: kexec -e (reboot(2) with
# LINUX_REBOOT_CMD_KEXEC asks no LSM, kernel/reboot.c) boots root's kernel.
# No signal to ratchet and no race: deterministic. A re-read of
# kexec_loaded after the seal would not see it either. Now a lock of
# kexec, once sealed, waits for no task to be inside kexec_load() or
# kexec_file_load() (src/barrier.c: a task iterator reads each task's
# saved registers) and exits 1 naming the one left, and status calls
# kexec and kexec-image NOT ENFORCED while a reboot image is loaded. The
# checks marked "ratchet:" FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt17-kexec-span
L=/sys/kernel/kexec_loaded
X=build/tests/ratchet-rt17-span
mkdir -p "$T"
kexec_image
expect "$ATTACK: naive: no reboot image loaded at the start" test "$(cat $L)" = 0
held_start $X kexec "$T/ready" "$T/go"
expect "$ATTACK: naive: a kexec_load waits at its segment copy, past its checks" test -e "$T/ready"
echo "    | $L while the load waits: $(cat $L)" >&2
try $R lock kexec kexec-image dev-mem
rc=$RC
expect "$ATTACK: ratchet: the lock does not exit 0 with the load in flight (exit $rc)" test "$rc" != 0
expect "$ATTACK: ratchet: ... it names the load under way" \
	grep -q 'ratchet-rt17-sp.*is inside kexec_load()' <<<"$OUT"
expect "$ATTACK: ... and says the lock is in force" grep -q 'the lock is in force' <<<"$OUT"
held_release
expect "$ATTACK: naive: the kexec_load begun before the lock returned 0 after it (exit $HRC)" \
	test "$HRC" = 0
expect "$ATTACK: naive: $L says 1 after the lock" test "$(cat $L)" = 1
r=$(kexec_result "$IMG" -l)
expect "$ATTACK: after the lock a new kexec_load is refused ($r)" test "$r" = "= -1 EPERM"
try $R status
expect "$ATTACK: ratchet: status does not call kexec enforced with a reboot image loaded" \
	grep -q 'NOT ENFORCED' <<<"$OUT"
try $R status --check kexec kexec-image
expect "$ATTACK: ratchet: status --check kexec kexec-image fails with a reboot image loaded ($RC)" \
	test "$RC" != 0
try $R lock kexec kexec-image
expect "$ATTACK: ratchet: a second lock kexec refuses, as with an image loaded before ($RC)" \
	test "$RC" != 0
