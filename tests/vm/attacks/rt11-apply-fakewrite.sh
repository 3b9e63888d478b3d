#!/bin/bash
# rt11-apply-fakewrite.sh - red team 11: an fmod_ret program on
# security_file_permission answers 2 when a process named ratchet writes
# kernel.modules_disabled or kernel.kexec_load_disabled. rw_verify_area()
# returns the positive answer and vfs_write() hands it back as the byte
# count, with nothing written (fs/read_write.c, 6.1 to 7.2): write(2)
# returns 2 and the switch stays 0. An apply that trusts the count says
# "applied completely" with both switches off. ratchet reads each switch
# back from a fresh proc instance and fails the stage, saying what is in
# force; faked reads (the same program answering reads too) fail it as well.
# docs/threat-model.md, "A faked byte count".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt11-apply-fakewrite
M=/proc/sys/kernel/modules_disabled
X=/proc/sys/kernel/kexec_load_disabled

conf=$T/ratchet.conf
cat >"$conf" <<EOF
stage switches
lock modules kexec
set-sysctl kernel.modules_disabled
set-sysctl kernel.kexec_load_disabled
EOF

# The naive apply: write "1\n" and trust the count, as a process named
# ratchet (the program picks its victims by name): dd says it copied 2
# bytes, the switch reads 0.
mkdir -p "$T/naive" && cp /bin/dd "$T/naive/ratchet"
expect "$ATTACK: naive: the fake-write program loads, attaches and is pinned" \
	run 0 $A fakewrite
try sh -c "printf '1\n' | $T/naive/ratchet of=$X conv=notrunc"
expect "$ATTACK: naive: write(2) of 1 to $X reports 2 bytes written" \
	grep -q '^2 bytes' <<<"$OUT"
expect "$ATTACK: naive: and $X still reads 0" test "$(cat $X)" = 0

try "$R" apply --config "$conf"
expect "$ATTACK: ratchet: apply exits 1" test "$RC" = 1
expect "$ATTACK: ratchet: apply does not say applied completely" \
	test "$(grep -c 'applied completely' <<<"$OUT")" = 0
expect "$ATTACK: ratchet: apply says modules_disabled reads 0 after writing 1" \
	grep -q 'kernel.modules_disabled reads 0 after writing 1' <<<"$OUT"
expect "$ATTACK: ratchet: apply says the stage is applied in part" \
	grep -q "stage 'switches' is applied in part" <<<"$OUT"
expect "$ATTACK: ratchet: both switches still read 0 (the attack holds)" \
	test "$(cat $M)$(cat $X)" = 00
expect "$ATTACK: ratchet: status reports modules and kexec enforced, as they are" \
	status_says '[.ratchet.restrictions[] | select(.name == "modules" or .name == "kexec") | .mode + (.in_force | tostring)] == ["enforcetrue", "enforcetrue"]'

# The same program answering reads as well: the read-back gets 2 and an
# untouched buffer.
rm -f /sys/fs/bpf/evil-fakewrite
expect "$ATTACK: ratchet: the fake-read-and-write program loads and attaches" \
	run 0 $A fakewrite reads
try "$R" apply --config "$conf"
expect "$ATTACK: ratchet: with faked reads too, apply exits 1" test "$RC" = 1
expect "$ATTACK: ratchet: and says modules_disabled reads Input/output error" \
	grep -q 'kernel.modules_disabled reads Input/output error after writing 1' <<<"$OUT"
rm -f /sys/fs/bpf/evil-fakewrite

# Without the program the stage's switches are set and apply says so.
sleep 1
try "$R" apply --config "$conf"
expect "$ATTACK: ratchet: without the program apply exits 0" test "$RC" = 0
expect "$ATTACK: ratchet: and both switches read 1" test "$(cat $M)$(cat $X)" = 11
