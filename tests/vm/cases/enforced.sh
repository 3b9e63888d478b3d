#!/bin/bash
# enforced.sh PROGRAM - status says what the kernel enforces, not what the
# state asks for. A test build of ratchet (build/tests/ratchet-unattached,
# the same BPF object, so the same tags) locks while leaving PROGRAM
# unattached: a lock really broken in a way no attacker can cause after
# sealing. The lock must fail honestly, and the real ratchet's status must
# say NOT ENFORCED naming what and which restrictions, on its first line,
# in JSON and in Prometheus, and `status --check` must exit 1 for what the
# break affects and 0 for the rest.
set -u
. tests/vm/lib.sh
P=${1:-ratchet_read_file}
U=build/tests/ratchet-unattached
J=$T/status.json
case $P in
# finit_module is asked about again after the read (ratchet_post_read_file,
# bpf/enforce.h): without ratchet_read_file the load is still refused, but
# status cannot tell which program refused first, and says less.
ratchet_read_file) hit=modules spared=dev-mem probe='' still=module-unsigned ;;
ratchet_sysctl) hit="modules dev-mem" spared='' probe='' still='' ;;
*) fail "enforced: no expectations for $P"; exit 0 ;;
esac

expect "enforced $P: before the lock, a module loads" op module-unsigned 0
out=$(RATCHET_TEST_SKIP_ATTACH=$P $U lock modules dev-mem 2>&1)
rc=$?
indent <<<"$out" >&2
expect "enforced $P: a lock made without $P exits 1" test $rc = 1
expect "enforced $P: ... saying NOT ENFORCED and naming $P" \
	grep -q "NOT ENFORCED: .*$P" <<<"$out"
if [ -n "$probe" ]; then
	expect "enforced $P: the break is real: $probe works" op "$probe" 0
fi
if [ -n "$still" ]; then
	expect "enforced $P: $still is still refused, after the read" op "$still" 1
fi
expect "enforced $P: dev-mem is refused (its hook is attached)" op dev-mem 1

first=$($R status | head -1)
echo "    | $first" >&2
expect "enforced $P: status's first line says NOT ENFORCED, naming $P" \
	grep -q "^ratchet: NOT ENFORCED: .*$P" <<<"$first"
for n in $hit; do
	expect "enforced $P: status --check $n exits 1" run 1 $R status --check "$n"
	expect "enforced $P: ... naming the break" \
		bash -c "$R status --check $n | grep -q 'not enforced: $n (NOT ENFORCED: .*$P'"
done
for n in $spared; do
	expect "enforced $P: status --check $n exits 0 (what the break does not touch)" \
		run 0 $R status --check "$n"
done
tests/rjson status >"$J"
expect "enforced $P: JSON: enforced is false" gojq -e '.ratchet.enforced == false' "$J"
# shellcheck disable=SC2016 # $p, $n are gojq's
expect "enforced $P: JSON: not_enforced names $P" \
	gojq -e --arg p "$P" '.ratchet.not_enforced[0].what | contains($p)' "$J"
# shellcheck disable=SC2016 # $n is gojq's
for n in $hit; do
	expect "enforced $P: JSON: $n is not in force" \
		gojq -e --arg n "$n" '.ratchet.restrictions[]|select(.name==$n).in_force == false' "$J"
done
# shellcheck disable=SC2016 # $n is gojq's
for n in $spared; do
	expect "enforced $P: JSON: $n is in force" \
		gojq -e --arg n "$n" '.ratchet.restrictions[]|select(.name==$n).in_force' "$J"
done
$R status --prometheus >"$T/metrics"
expect "enforced $P: Prometheus: ratchet_not_enforced is not 0" \
	grep -qE '^ratchet_not_enforced [1-9]' "$T/metrics"
for n in $hit; do
	expect "enforced $P: Prometheus: $n is not enforced" \
		grep -q "^ratchet_restriction_enforced{restriction=\"$n\",.*} 0$" "$T/metrics"
done

# The journal gets one line per status that finds the lock not in force:
# a journald of its own in this guest (PID 1 is no systemd here).
if [ -x /lib/systemd/systemd-journald ]; then
	/lib/systemd/systemd-journald >/dev/null 2>&1 &
	jd=$!
	for _ in $(seq 50); do [ -S /run/systemd/journal/socket ] && break; sleep 0.1; done
	$R status >/dev/null
	sleep 1
	expect "enforced $P: the journal got a NOT ENFORCED line naming $P" \
		bash -c "journalctl -q -o cat -t ratchet | grep -q 'NOT ENFORCED: .*$P'"
	kill "$jd" 2>/dev/null
else
	skip "enforced $P: no systemd-journald to read the journal line from"
fi

# The break is real: without the sysctl program, ftrace can be switched
# off, and with it every ratchet program.
if [ "$P" = ratchet_sysctl ]; then
	expect "enforced $P: the break is real: kernel.ftrace_enabled=0 is accepted" \
		sh -c 'echo 0 >/proc/sys/kernel/ftrace_enabled'
	expect "enforced $P: ... and dev-mem opens" op dev-mem 0
	expect "enforced $P: status says so too" \
		bash -c "$R status | grep -q '^ratchet: NOT ENFORCED: every restriction: kernel.ftrace_enabled is 0'"
fi
