#!/bin/bash
# identity.sh - ratchet finds its lock by the tags it computes for its own
# programs on the running kernel (src/identity.c): each must equal the tag
# the kernel gave the program a real first lock loaded (as bpftool shows
# it), on every kernel (SHA-1 on 6.x, SHA-256 on 7.2). Computing them is
# a dry run that loads nothing a lock refuses or reports: with every
# restriction locked, status and later locks add no denial and no event.
# Last, a raise-only knob is what the sysctl program refuses to lower: its
# bit alone (the raise program once set it) refuses nothing, and status
# never listed it.
set -u
. tests/vm/lib.sh
J=$T/status.json

expect "identity: lock every restriction but the sysctls" \
	$R lock integrity confidentiality modules kexec-image
tests/rjson status >"$J"
n=$(gojq '.ratchet.programs | length' "$J")
expect "identity: status lists this ratchet's programs ($n)" test "$n" -gt 10
expect "identity: every one of them was found in the kernel by its tag" \
	gojq -e '[.ratchet.programs[] | .id != null] | all' "$J"
bad=0
while read -r name tag id; do
	kt=$(bpftool prog show id "$id" -j | gojq -r .tag)
	if [ "$kt" != "$tag" ]; then
		echo "    $name: computed $tag, the kernel's $kt (id $id)" >&2
		bad=$((bad + 1))
	fi
done < <(gojq -r '.ratchet.programs[] | "\(.name) \(.tag) \(.id)"' "$J")
expect "identity: each computed tag is the kernel's tag of the program the first lock loaded" \
	test "$bad" = 0
expect "identity: the lock is enforced by the kernel's facts" gojq -e '.ratchet.enforced' "$J"

count() { tests/rjson status | gojq '[.ratchet.restrictions[].denials] + [.ratchet.self_protection_denials] | add'; }
logged() { tests/rjson status | gojq '.ratchet.events_logged'; }
before=$(count)
ev_before=$(logged)
for _ in 1 2 3; do
	$R status >/dev/null
	$R status --prometheus >/dev/null
	$R lock kcore >/dev/null
done
after=$(count)
ev_after=$(logged)
expect "identity: status and lock, run after locking everything, counted no denial ($before -> $after)" \
	test "$before" = "$after"
expect "identity: ... and logged no event ($ev_before -> $ev_after)" \
	test "$ev_before" = "$ev_after"

expect "identity: the raise program refuses a knob's bit without the sysctl restriction" \
	run 2 build/tests/ratchet-impostor raise-knob
expect "identity: status lists no raise-only knob" \
	bash -c "tests/rjson status | gojq -e '.ratchet.raise_only_sysctls == []' >/dev/null"
k=/proc/sys/kernel/kptr_restrict
expect "identity: kernel.kptr_restrict can still go down (the program refuses nothing)" \
	sh -c "echo 1 >$k && echo 0 >$k"
expect "identity: with the sysctl restriction, it is raise-only and listed" \
	bash -c "$R lock sysctl:kernel.kptr_restrict >/dev/null && tests/rjson status | gojq -e '.ratchet.raise_only_sysctls == [\"kernel.kptr_restrict\"]' >/dev/null"
expect "identity: ... and refused going down" sh -c "echo 1 >$k && ! echo 0 >$k 2>/dev/null"
