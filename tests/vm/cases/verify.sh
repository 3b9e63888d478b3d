#!/bin/bash
# verify.sh - `ratchet status --verify` (issue 18): each locked restriction
# tried with a harmless probe. A restriction that does not hold (here:
# permissive, which reports and lets through) is NOT ENFORCED with exit 1
# and a 0 gauge; after a full lock every probe is refused, on every kernel,
# each one a PASS or FAIL line of its own. Probes are counted apart from
# denials and flagged in their events, and leave nothing behind.
set -u
. tests/vm/lib.sh
preload_modules || fail "verify: preloading modules"

# A lock of one reason says what could undo it (weak.c).
expect "routes: lock dev-mem" run 0 "$R" lock dev-mem
expect "routes: ... says the lock is not complete" out_has "ratchet: not complete:"
expect "routes: ... names module loading and kexec" \
	bash -c "grep -q 'modules (or module-signature):' $T/out && grep -q 'kexec-image (or kexec):' $T/out"
expect "routes: ... and not dev-mem itself" bash -c "! grep -q '^ratchet:   dev-mem:' $T/out"
expect "routes: status --json lists the same open routes" bash -c \
	"tests/rjson status | gojq -e '.ratchet.complete == false and ([.ratchet.open_routes[].route]|index(\"modules\") != null)' >/dev/null"

expect "verify: lock --permissive kcore" run 0 "$R" lock --permissive kcore
run 1 "$R" status --verify
expect "verify: a permissive restriction makes --verify exit 1" rc_is 1
expect "verify: ... reported NOT ENFORCED" out_has "NOT ENFORCED: the kernel allowed it (open of /proc/kcore"
expect "verify: ... and says why (permissive)" out_has "permissive: reported, not denied"
expect "verify: its gauge is 0" bash -c \
	"$R status --verify --prometheus | grep -qx 'ratchet_restriction_verified{restriction=\"kcore\"} 0'"
expect "verify: JSON says not-enforced" bash -c \
	"tests/rjson status --verify | gojq -e '.ratchet.verify[]|select(.restriction==\"kcore\").result==\"not-enforced\"' >/dev/null"

expect "verify: lock confidentiality modules kexec-image sysctl" \
	run 0 "$R" lock confidentiality modules kexec-image sysctl
expect "routes: the full lock says it is complete" out_has "ratchet: complete: no open route could undo this lock"
expect "routes: the full lock warns of nothing" bash -c "! grep -q 'not complete' $T/out"
before=$(tests/rjson status | gojq -c '[.ratchet.restrictions[]|{(.name): .denials}]|add')
$R monitor --json >"$T"/ev.json &
mon=$!
reader_up $mon
run any "$R" status --verify
rc=$(cat "$T"/rc)
sleep 1
kill $mon; wait $mon
json_saw monitor "$T"/ev.json
tests/rjson status --verify >"$T"/v.json
# A here-string, not < <(...): the guest's /dev has no /dev/fd.
while read -r name result; do
	case $result in
	verified | refused-earlier) pass "verify: $name: $result" ;;
	no-probe) skip "verify: $name: $(gojq -r ".ratchet.verify[]|select(.restriction==\"$name\" and .result==\"no-probe\").detail" "$T"/v.json | head -1)" ;;
	*) fail "verify: $name: $result ($(gojq -r ".ratchet.verify[]|select(.restriction==\"$name\" and .result==\"$result\")|.probe + \": \" + .detail" "$T"/v.json))" ;;
	esac
done <<<"$(gojq -r '.ratchet.verify[]|"\(.restriction) \(.result)"' "$T"/v.json)"
expect "verify: exit 0 when every probe was refused (exit $rc)" test "$rc" = 0
expect "verify: every probed restriction has a gauge of 1" bash -c \
	"$R status --verify --prometheus | grep '^ratchet_restriction_verified' | grep -v ' 1$' | grep -q . && exit 1 || exit 0"
expect "verify: denials did not move (probes are counted apart)" test \
	"$(tests/rjson status | gojq -c '[.ratchet.restrictions[]|{(.name): .denials}]|add')" = "$before"
expect "verify: probes were counted" bash -c \
	"tests/rjson status | gojq -e '.ratchet.restrictions[]|select(.name==\"dev-mem\").probes > 0' >/dev/null"
expect "verify: the probes' events are flagged as probes" bash -c \
	"gojq -s -e 'map(select(.restriction==\"dev-mem\")) | length > 0 and all(.probe)' $T/ev.json >/dev/null"
expect "verify: no probe left a module, a kexec image or an fd behind" bash -c \
	"! grep -q . /sys/kernel/kexec_loaded 2>/dev/null || [ \$(cat /sys/kernel/kexec_loaded) = 0 ]"
