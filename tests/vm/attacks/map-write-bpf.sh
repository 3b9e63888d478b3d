#!/bin/bash
# map-write-bpf.sh - BPF_MAP_FREEZE stops writes from the syscall side only:
# a BPF program handed the map's fd (even a read-only one) can still write
# its values. Here a syscall program, which stays loadable after a lock,
# zeroes element 0 of the map.
# docs/threat-model.md, "The state map".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=map-write-bpf

naive_phase
naive_on
expect "$ATTACK: naive: a BPF program zeroes the policy through a read-only fd" \
	run 0 $A map-zero-bpf /sys/fs/bpf/naive/policy rdonly
naive_undone
naive_off

ratchet_on
# The state map has no pin, and once sealed no fd to it is made at all: it
# reads as gone.
expect "$ATTACK: ratchet: the state map has no pin to take an fd from" test ! -e "$PINS/state"
id=$(bpftool -j prog show name ratchet_raise | gojq '.map_ids[0]')
expect "$ATTACK: ratchet: the state map's id is known ($id)" test "$id" -gt 0
expect "$ATTACK: ratchet: no fd to the state map by id, even read-only, so no program can write it" \
	hidden "$A" map-zero-bpf "id:$id" rdonly
expect "$ATTACK: ratchet: no fd to the state map by id, so no program can write it" \
	hidden "$A" map-zero-bpf "id:$id"
ratchet_holds "after the writes through fds by id"
# The tables too, and every other map of ratchet's programs: bpftool no
# longer lists them (it skips a map that reads as gone), so their ids come
# from the programs.
ids=$(bpftool -j prog show | gojq -r '.[]|select(.name|startswith("ratchet_"))|.map_ids[]?' | sort -un | xargs)
expect "$ATTACK: ratchet: the ids of the maps of ratchet's programs are known ($ids)" \
	test "$(wc -w <<<"$ids")" -ge 5
for id in $ids; do
	expect "$ATTACK: ratchet: no fd to map $id by id, so no program can write it" \
		hidden "$A" map-zero-bpf "id:$id"
done
ratchet_holds "after every write attempt"
collateral
