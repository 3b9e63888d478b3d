#!/bin/bash
# map-write.sh - rewriting the policy in a map from userspace.
set -u
. tests/vm/lib.sh
. tests/vm/attack/lib.sh
ATTACK=map-write
zeros() { printf '0 %.0s' $(seq "$1"); }

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
size=$(bpftool map show pinned $PINS/state -j | jq .bytes_value)
expect "$ATTACK: ratchet: bpftool map update of the state map is refused" \
	refused bpftool map update pinned $PINS/state key 0 0 0 0 value $(zeros "$size")
expect "$ATTACK: ratchet: BPF_MAP_UPDATE_ELEM of zeros over the state map is refused" \
	run 1 $A map-zero $PINS/state
id=$(bpftool map show pinned $PINS/state -j | jq .id)
expect "$ATTACK: ratchet: the same through an fd by id is refused" run 1 $A map-zero id:$id
expect "$ATTACK: ratchet: every array map of ratchet's programs (.rodata too) refuses the write" \
	run 1 $A map-zero-ratchet
ratchet_holds
collateral
