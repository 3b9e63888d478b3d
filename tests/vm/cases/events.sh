#!/bin/bash
# events.sh - every denial reported (issue 4): one event per denial with the
# right fields, permissive then enforcing, no downgrade, exact counters under
# a 100,000-attempt storm, and received + dropped = attempts with a monitor
# that cannot keep up.
set -u
. tests/vm/lib.sh
S=build/tests/ratchet-storm
N=${STORM:-100000}
denials() { tests/rjson status | jq -r ".ratchet.restrictions[]|select(.name==\"$1\").denials"; }
drops() { tests/rjson status | jq -r '.ratchet.event_drops'; }

expect "events: monitor refuses to start before any lock" bash -c "! $R monitor 2>/dev/null"
# Programs loaded before the lock under ratchet's own names (its object,
# loaded but not attached) are still listed by status: ratchet tells its
# own programs by the lock's state map, never by their names.
imp=/sys/fs/bpf/impostor
bpftool prog loadall build/ratchet.bpf.o $imp
imp_ids=$(for p in "$imp"/*; do bpftool prog show pinned "$p" --json | jq .id; done | sort -n | xargs)
expect "events: lock dev-mem" bash -c "$R lock dev-mem >/dev/null"
listed=$(tests/rjson status | jq '.ratchet.survives_the_lock.bpf_programs_loaded_before_lock[] | select(.name | startswith("ratchet_")).id' | sort -n | xargs)
expect "status: programs named ratchet_* loaded before the lock are listed, the lock's own are not ($imp_ids)" \
	test -n "$imp_ids" -a "$listed" = "$imp_ids"
$R monitor --json >"$T"/ev.json &
mon=$!
sleep 1
# uid 1000 keeping just the capabilities /dev/mem needs: uid must be 1000.
setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=+sys_rawio,+dac_override \
	--ambient-caps=+sys_rawio,+dac_override $S 1 /dev/mem >"$T"/one.out
pid=$(sed 's/.*pid=//' "$T"/one.out)
expect "events: the attempt itself was refused with EPERM" grep -q "eperm=1 " "$T"/one.out
sleep 1
kill $mon; wait $mon
json_saw monitor "$T"/ev.json
# shellcheck disable=SC2016 # $l and $1 belong to the inner bash
expect "events: the monitor's JSON parses line by line" bash -c 'while read -r l; do jq -e . <<<"$l" >/dev/null || exit 1; done <"$1"' _ "$T/ev.json"
expect "events: exactly one event for the attempt" test "$(jq -c "select(.pid==$pid)" "$T"/ev.json | wc -l)" -eq 1
expect "events: pid, tgid, comm, uid, restriction, decision, hook are right" \
	jq -e "select(.pid==$pid) | .tgid==$pid and .comm==\"ratchet-storm\" and .uid==1000 and .restriction==\"dev-mem\" and .decision==\"denied\" and .hook==\"locked_down\" and .detail==\"lockdown reason LOCKDOWN_DEV_MEM\" and .ppid>0 and (.exe|endswith(\"ratchet-storm\")) and .cgroup_id>0" "$T"/ev.json

# Permissive: the open works and is reported; then upgraded, it is refused.
$R monitor >"$T"/ev.txt &
mon=$!
sleep 1
expect "permissive: lock --permissive kcore" bash -c "$R lock --permissive kcore >/dev/null"
expect "permissive: status shows kcore permissive" bash -c "tests/rjson status | jq -e '.ratchet.restrictions[]|select(.name==\"kcore\").mode==\"permissive\"' >/dev/null"
$S 1 /proc/kcore >"$T"/k.out
expect "permissive: /proc/kcore still opens" grep -q "eperm=0 other=0" "$T"/k.out
sleep 1
expect "permissive: one 'would deny' line in the monitor's text" test "$(grep -c "would deny kcore to ratchet-storm\[$(sed 's/.*pid=//' "$T"/k.out)\] uid=0" "$T"/ev.txt)" -eq 1
expect "permissive: plain lock upgrades kcore" bash -c "$R lock kcore >/dev/null"
$S 1 /proc/kcore >"$T"/k.out
expect "permissive: after the upgrade /proc/kcore is refused" grep -q "eperm=1" "$T"/k.out
$R lock --permissive kcore 2>"$T"/err
expect "permissive: a downgrade is refused with exit 1" test $? -eq 1
expect "permissive: the refusal says why" grep -q "already enforced" "$T"/err
expect "permissive: kcore is still enforced" bash -c "tests/rjson status | jq -e '.ratchet.restrictions[]|select(.name==\"kcore\").mode==\"enforce\"' >/dev/null"
kill $mon; wait $mon

# The journal, as ratchet-monitor.service feeds it (journald runs alone here).
mkdir -p /run/systemd/journal
/lib/systemd/systemd-journald &
sleep 2
$R monitor --journal &
mon=$!
sleep 1
pid=$($S 1 /dev/mem | sed 's/.*pid=//')
sleep 2
kill $mon; wait $mon
expect "journal: journalctl -t ratchet has the denial with priority and RATCHET_* fields" bash -c \
	"journalctl -t ratchet -o json --no-pager | jq -e 'select(.RATCHET_PID==\"$pid\") | .PRIORITY==\"4\" and .RATCHET_RESTRICTION==\"dev-mem\" and .RATCHET_COMM==\"ratchet-storm\" and .RATCHET_DECISION==\"denied\" and .RATCHET_HOOK==\"locked_down\"' | grep -q true"

# Storm with nobody reading: the counter is exact.
c0=$(denials dev-mem)
$S "$N" /dev/mem >"$T"/storm.out
echo "    storm (no monitor): $(cat "$T"/storm.out) counter $c0 -> $(denials dev-mem), drops $(drops)" >&2
expect "storm: every one of $N opens refused" grep -q "attempts=$N eperm=$N other=0" "$T"/storm.out
expect "storm: the counter rose by exactly $N" test $(($(denials dev-mem) - c0)) -eq "$N"

# A monitor that cannot keep up: received + dropped = attempts.
$R monitor --json >"$T"/ev.json &
mon=$!
sleep 2
d0=$(drops)
$S "$N" /dev/mem >"$T"/storm.out
pid=$(sed 's/.*pid=//' "$T"/storm.out)
sleep 3
kill $mon; wait $mon
json_saw monitor "$T"/ev.json 1000
got=$(grep -c "\"pid\":$pid," "$T"/ev.json)
lost=$(($(drops) - d0))
echo "    storm (monitor): $(cat "$T"/storm.out) received $got dropped $lost" >&2
expect "storm: with a monitor, received ($got) + dropped ($lost) = $N" test $((got + lost)) -eq "$N"
