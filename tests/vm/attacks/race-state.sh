#!/bin/bash
# race-state.sh - during the first lock, between loading and sealing, root
# takes an fd to ratchet's state map by id (nothing refuses it before
# sealing), keeps it, and later has a program of its own zero the policy
# through it: freezing stops only bpf(2) writes, and sealing stops only new
# fds. ratchet checks, after letting go of its own fds, that nothing holds
# the state map but its programs (usercnt, refcnt of the kernel's struct
# bpf_map): the lock exits 1 naming the holder, status says NOT ENFORCED,
# before the holder undoes it. The same for an fd kept to the tables map
# (a map element iterator given it rewrites them in place).
# docs/threat-model.md, "The first lock".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=race-state
I=build/tests/ratchet-impostor

# The naive lock: an fd to its map, kept, zeroes it through a program.
naive_on
expect "$ATTACK: naive: a program given the policy map's fd by id zeroes it" \
	run 0 $A map-zero-bpf "id:$(bpftool -j map show pinned /sys/fs/bpf/naive/policy | gojq .id)"
naive_undone
naive_off

start_tool "$T/grab.out" $I grab-state tables
try $R lock dev-mem kexec bpf-read-kernel
indent <"$T/grab.out" >&2
expect "$ATTACK: ratchet: root took an fd to the state map before it sealed" grep -q 'took an fd .* (state)' "$T/grab.out"
expect "$ATTACK: ratchet: ... and one to the tables map" grep -q 'took an fd .* (tables)' "$T/grab.out"
expect "$ATTACK: ratchet: the first lock does not exit 0 ($RC)" test "$RC" != 0
expect "$ATTACK: ratchet: ... and names the user reference and its holder" \
	grep -q "NOT ENFORCED: every restriction: ratchet's state map has 1 user reference.*held by ratchet-impost" <<<"$OUT"
expect "$ATTACK: ratchet: ... and the user reference to the tables map (an iterator given it rewrites them)" \
	grep -q "NOT ENFORCED: every restriction: ratchet's tables map has 1 user reference" <<<"$OUT"
expect "$ATTACK: ratchet: status's first line says NOT ENFORCED" \
	bash -c "$R status | head -1 | grep -q '^ratchet: NOT ENFORCED: every restriction'"
expect "$ATTACK: ratchet: status --check dev-mem exits 1" run 1 $R status --check dev-mem
kill -USR1 "$BG"
sleep 1
expect "$ATTACK: ratchet: the holder zeroes the policy through its fd" grep -q 'zeroed the policy' "$T/grab.out"
expect "$ATTACK: ratchet: ... and dev-mem opens, as status had warned" is dev-mem 0
stop_tool
collateral
