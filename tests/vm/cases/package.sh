#!/bin/bash
# vm-env: VM_TIMEOUT=360
# package.sh - the Debian package (make deb) in a fresh guest: dpkg -i
# into its root (the overlay), nothing enabled, every unit passes
# systemd-analyze verify, and each unit starts: its conditions hold and
# its ExecStart, run as systemd would run it (no PID 1 systemd here), does
# its job: the three stages of the example config lock, the monitor puts a
# denial in the journal, the metrics file appears, complete.
set -u
. tests/vm/lib.sh
deb=$(ratchet_deb)
[ -n "$deb" ] || { fail "package: no build/deb/ratchet_*.deb (make deb)"; exit 0; }
U=/lib/systemd/system

# unit_start UNIT: what systemd does to start UNIT, minus the manager:
# check its conditions, then run each ExecStart= line (no prefixes, no
# quoting: ratchet's units use neither, and anything else fails here); an
# exit status other than 0 and SuccessExitStatus= fails.
unit_start() {
	local f=$U/$1 key val line argv ok=0 rc
	[ -r "$f" ] || return 1
	while IFS='=' read -r key val; do
		case $key in
		SuccessExitStatus) ok="0 $val" ;;
		ConditionPathExists) test -e "$val" || { echo "    $1: $key=$val does not hold" >&2; return 1; } ;;
		ConditionPathIsDirectory) test -d "$val" || { echo "    $1: $key=$val does not hold" >&2; return 1; } ;;
		Condition* | Assert*) echo "    $1: $key not understood here" >&2; return 1 ;;
		esac
	done <"$f"
	while read -r line; do
		case $line in [-@+!:]*) echo "    $1: ExecStart prefix not understood here" >&2; return 1 ;; esac
		read -ra argv <<<"$line"
		"${argv[@]}"
		rc=$?
		grep -qw "$rc" <<<"$ok" || { echo "    $1: exit $rc" >&2; return 1; }
	done <<<"$(sed -n 's/^ExecStart=//p' "$f")"
}

fails() { ! "$@" 2>/dev/null; }

expect "package: dpkg -i installs $(basename "$deb")" bash -c "dpkg -i $deb >$T/dpkg.out 2>&1"
expect "package: /usr/sbin/ratchet is the packaged version" \
	test "$(/usr/sbin/ratchet --version)" = "ratchet $(dpkg-deb -f "$deb" Version)"
units=$(dpkg -L ratchet | grep "^$U/ratchet-" | sort)
expect "package: it ships six units" test "$(wc -l <<<"$units")" -eq 6
# "static": no [Install] section (the timer starts it), so never enabled.
for u in $units; do
	expect "package: ${u##*/} is installed but not enabled" \
		grep -qxE 'disabled|static' <<<"$(systemctl is-enabled "${u##*/}" 2>&1)"
done
expect "package: systemd-analyze verify passes on every unit" \
	bash -c "systemd-analyze verify ${units//$'\n'/ } >$T/verify.out 2>&1"
sed 's/^/    verify: /' "$T"/verify.out >&2
expect "package: the man pages are found (man -w)" bash -c "(man -w 5 ratchet.conf && man -w 8 ratchet) >/dev/null"
expect "package: bash completion is in place" test -r /usr/share/bash-completion/completions/ratchet

# The admin's step: /etc/ratchet.conf, from the packaged example.
expect "package: the stage units do not start without /etc/ratchet.conf" fails unit_start ratchet-early.service
install -m 0644 /usr/share/doc/ratchet/ratchet.conf.example /etc/ratchet.conf
expect "package: ratchet check accepts the example as /etc/ratchet.conf" bash -c "/usr/sbin/ratchet check >/dev/null"
preload_modules
# In the order their After= lines give: early, then kexec and modules.
for u in ratchet-early.service ratchet-kexec.service ratchet-modules.service; do
	expect "package: $u starts" unit_start $u
done
expect "package: status --check: the stages' restrictions are all enforced" bash -c \
	"/usr/sbin/ratchet status --check integrity kexec-image modules sysctl:kernel.kptr_restrict sysctl:kernel.sysrq >/dev/null"
expect "package: status --check: confidentiality is only permissive, exit 1" bash -c \
	"/usr/sbin/ratchet status --check confidentiality | grep -q 'not enforced: kcore (permissive'; [ \${PIPESTATUS[0]} -eq 1 ]"

# The monitor, with journald running alone as in events.sh.
mkdir -p /run/systemd/journal
/lib/systemd/systemd-journald &
sleep 2
unit_start ratchet-monitor.service &
unit=$!
sleep 2
mon=$(pgrep -P $unit)
expect "package: ratchet-monitor.service keeps running" test -n "$mon"
pid=$(build/tests/ratchet-storm 1 /dev/mem | sed 's/.*pid=//')
sleep 2
kill "$mon"
expect "package: ratchet-monitor.service puts the denial in the journal" bash -c \
	"journalctl -t ratchet -o json --no-pager | gojq -e 'select(.RATCHET_PID==\"$pid\") | .RATCHET_RESTRICTION==\"dev-mem\"' | grep -q true"

# The metrics, into the directory node-exporter's package would create.
prom=/var/lib/prometheus/node-exporter
expect "package: ratchet-prometheus.service does not start without $prom" fails unit_start ratchet-prometheus.service
mkdir -p $prom
echo stale >$prom/ratchet.prom
expect "package: ratchet-prometheus.service starts" unit_start ratchet-prometheus.service
expect "package: it replaced ratchet.prom, and left nothing else there" \
	bash -c "[ \"\$(ls -A $prom)\" = ratchet.prom ] && ! grep -q stale $prom/ratchet.prom"
expect "package: ratchet.prom passes promtool check metrics" bash -c "promtool check metrics <$prom/ratchet.prom"
expect "package: ratchet.prom shows dev-mem enforced, with its denial" bash -c \
	"grep -qx 'ratchet_restriction_enforced{restriction=\"dev-mem\",class=\"integrity\"} 1' $prom/ratchet.prom &&
	 grep -q '^ratchet_denials_total{restriction=\"dev-mem\",class=\"integrity\"} [1-9]' $prom/ratchet.prom"
expect "package: ratchet.prom shows kcore permissive" \
	grep -qx 'ratchet_restriction_permissive{restriction="kcore",class="confidentiality"} 1' $prom/ratchet.prom
expect "package: the timer's --verify found dev-mem holding and permissive kcore not" bash -c \
	"grep -qx 'ratchet_restriction_verified{restriction=\"dev-mem\"} 1' $prom/ratchet.prom &&
	 grep -qx 'ratchet_restriction_verified{restriction=\"kcore\"} 0' $prom/ratchet.prom"
