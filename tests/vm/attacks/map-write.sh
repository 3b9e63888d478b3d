#!/bin/bash
# map-write.sh - rewriting the policy in a map from userspace.
# docs/threat-model.md, "The state map".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=map-write
zeros() { printf '0 %.0s' $(seq "$1"); }

naive_phase
naive_on
expect "$ATTACK: naive: bpftool map update of the policy to 0 succeeds" \
	bpftool map update pinned /sys/fs/bpf/naive/policy key 0 0 0 0 value 0 0 0 0
naive_undone
bpftool map update pinned /sys/fs/bpf/naive/policy key 0 0 0 0 value 1 0 0 0
expect "$ATTACK: naive: policy back to 1 refuses dev-mem again" is dev-mem 1
expect "$ATTACK: naive: map-zero of the policy succeeds" run 0 $A map-zero /sys/fs/bpf/naive/policy
naive_undone
naive_off

ratchet_on
# The state map has no pin, and once sealed no fd to it is made at all, so
# none of these writes reaches it: the map reads as gone (ENOENT).
expect "$ATTACK: ratchet: the state map has no pin" test ! -e "$PINS/state"
id=$(bpftool -j prog show name ratchet_raise | gojq '.map_ids[0]')
expect "$ATTACK: ratchet: the state map's id is known ($id)" test "$id" -gt 0
# shellcheck disable=SC2046 # eight words, one per byte
expect "$ATTACK: ratchet: bpftool map update of the state map by id finds no map to write" \
	hidden bpftool map update id "$id" key 0 0 0 0 value $(zeros 8)
expect "$ATTACK: ratchet: BPF_MAP_UPDATE_ELEM of zeros through an fd by id ($id) finds no map" \
	hidden "$A" map-zero "id:$id"
expect "$ATTACK: ratchet: every array map of ratchet's programs (the tables too) refuses an fd or the write" \
	run 1 $A map-zero-ratchet
ratchet_holds
collateral
