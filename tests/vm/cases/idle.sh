#!/bin/bash
# vm-env: VM_INIT=systemd VM_TIMEOUT=600
# idle.sh [RATCHET] - the events a systemd guest makes while nobody acts
# (issue 18). Locks confidentiality, then under `monitor --json` lets the
# guest idle for a minute, and for another minute asks logind once a
# second whether it could hibernate (CanHibernate, as a desktop's power
# menu does: logind reads /sys/power/state and /sys/power/disk, which asks
# LOCKDOWN_HIBERNATION without hibernating). Reports what was logged; run
# with build/main/ratchet (an older build) for the figures before folding
# and queries. With this build, checks that no query was logged.
set -u
. tests/vm/lib.sh
if [ "${RATCHET_VM_PHASE:-}" = prepare ]; then
	# logind is the reader this case is about; the harness masks it.
	rm -f /etc/systemd/system/systemd-logind.service
	exit
fi
B=${1:-$R}

# minute FILE WHAT [CMD...]: a minute under the monitor, CMD once a second.
minute() {
	local f=$1 what=$2 mon lines attempts
	shift 2
	"$B" monitor --json >"$f" &
	mon=$!
	for _ in $(seq 60); do
		[ $# -gt 0 ] && "$@" >/dev/null 2>&1
		sleep 1
	done
	kill $mon
	wait $mon
	lines=$(wc -l <"$f")
	attempts=$(gojq -s '[.[]|.count // 1]|add // 0' "$f")
	echo "    $what ($B, $(uname -r)): $lines events for $attempts attempts" >&2
	gojq -r '[.restriction, .comm, (.summary // false | tostring)] | join(" ")' "$f" |
		sort | uniq -c | sed 's/^/      /' >&2
}

state=$(systemctl is-system-running --wait)
expect "idle: the boot finished ($state)" test "$state" = running
expect "idle: logind runs" systemctl start systemd-logind.service
expect "idle: lock confidentiality with $B" run 0 "$B" lock confidentiality
minute "$T"/idle.json "idle minute"
minute "$T"/ask.json "minute of CanHibernate once a second" \
	busctl call org.freedesktop.login1 /org/freedesktop/login1 \
	org.freedesktop.login1.Manager CanHibernate
"$B" status | grep -E 'hibernation|logged' | sed 's/^/    /' >&2
if [ "$B" = "$R" ]; then
	cat "$T"/idle.json "$T"/ask.json >"$T"/all.json
	[ -s "$T"/all.json ] && json_saw monitor "$T"/all.json
	q=$(tests/rjson status | gojq '.ratchet.restrictions[]|select(.name=="hibernation").queries')
	expect "idle: logind's reads counted as $q queries" test "$q" -gt 0
	expect "idle: none of them logged as an event" \
		bash -c "[ \"\$(gojq -s '[.[]|select(.restriction==\"hibernation\")]|length' $T/all.json)\" -eq 0 ]"
fi
