#!/bin/bash
# event-log.sh - the audit channel belongs to ratchet (issue 18). Any root
# process with an fd to a BPF ring buffer can drain it (move the consumer
# position: waiting events vanish), freeze it (no reader can map it again)
# or write events into it from a program of its own (ring_forge's
# "systemd[1]"). The naive phase shows each on a ring pinned the obvious
# way; then ratchet's event log gives no fd to anyone, by pin, by id or
# from a running monitor, and every reader sees every event.
# docs/threat-model.md, "The audit channel".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=event-log
G=build/tests/ratchet-ring
S=build/tests/ratchet-storm
RING=/sys/fs/bpf/ring/events

# Naive: five denials wait in the ring; each attack undoes the record.
naive_phase
expect "$ATTACK: naive: a dev-mem refusal reporting in a pinned ring" run 0 $G naive
$S -f 5 /dev/mem >/dev/null
expect "$ATTACK: naive: five denials wait in the ring" bash -c "$G read $RING | grep -qx 'records=5 forged=0'"
$S -f 5 /dev/mem >/dev/null
expect "$ATTACK: naive: drain moves the consumer position" run 0 $G drain $RING
expect "$ATTACK: naive: a reader started now finds nothing (5 denials hidden)" bash -c "$G read $RING | grep -qx 'records=0 forged=0'"
expect "$ATTACK: naive: a program given the ring's fd writes systemd[1]'s event" run 0 $G forge $RING
expect "$ATTACK: naive: the reader takes it for a real one" bash -c "$G read $RING | grep -qx 'records=1 forged=1'"
expect "$ATTACK: naive: freeze" run 0 $G freeze $RING
expect "$ATTACK: naive: no reader can map the frozen ring any more" bash -c "! $G read $RING"
$G clean >/dev/null

ratchet_on
# The maps of the reader and the mark, but .rodata: frozen and read-only
# to programs (BPF_F_RDONLY_PROG), it holds no events (map-write-bpf.sh).
ids=$(for p in ratchet_read ratchet_mark; do bpftool -j prog show name $p | gojq -r '.map_ids[]'; done |
	sort -un | while read -r id; do
		[ "$(bpftool -j map show id "$id" 2>/dev/null | gojq -r .name)" = ratchet_.rodata ] || echo "$id"
	done | xargs)
expect "$ATTACK: ratchet: the state, event log, folds and marks have ids ($ids)" test "$(wc -w <<<"$ids")" -eq 4
for id in $ids; do
	for a in drain freeze forge; do
		expect "$ATTACK: ratchet: $a of map $id: no fd to it" hidden $G $a "id:$id"
	done
done
expect "$ATTACK: ratchet: nothing is pinned to take an fd from" \
	bash -c "! ls $PINS | grep -qvE '^(link-.*|state|raise|snapshot|read|mark)$'"

# Two monitors, each a root process reading the log through ratchet_read:
# nobody consumes, so each sees every event.
$R monitor --json >"$T"/a.json &
m1=$!
reader_up $m1
$R monitor --json >"$T"/b.json &
m2=$!
reader_up $m2
expect "$ATTACK: ratchet: a running monitor holds no map fd to steal" \
	bash -c "$G steal $m1 | grep -qx 'steal: 0 map fds taken from $m1'"
$S -f 5 /dev/mem >/dev/null
$G named systemd /dev/mem >"$T"/named.out
sleep 2
kill $m1 $m2
wait $m1 $m2
json_saw monitor "$T"/a.json
seqs() { gojq -r 'select(.comm=="ratchet-storm" or .comm=="systemd")|.seq' "$1" | xargs; }
expect "$ATTACK: ratchet: both monitors saw the same six events ($(seqs "$T"/a.json))" \
	bash -c "[ \"$(seqs "$T"/a.json)\" = \"$(seqs "$T"/b.json)\" ] && [ $(seqs "$T"/a.json | wc -w) -eq 6 ]"
expect "$ATTACK: ratchet: no gap in either" bash -c "! grep -q '\"gap\"' $T/a.json $T/b.json"
pid=$(sed -n 's/.*(pid \([0-9]*\))/\1/p' "$T"/named.out)
gojq -c 'select(.comm=="systemd")' "$T"/a.json | indent >&2
indent <"$T"/named.out >&2
# shellcheck disable=SC2016 # $pid is gojq's, from --argjson
expect "$ATTACK: ratchet: a process calling itself systemd is logged with its own pid and executable" \
	gojq -enR --argjson pid "${pid:-0}" '[inputs | fromjson? | select(.comm == "systemd")] |
		length > 0 and all(.tgid == $pid and .tgid != 1 and (.exe | endswith("ratchet-ring")))' "$T"/a.json
ratchet_holds "after the attacks on the event log"
collateral
