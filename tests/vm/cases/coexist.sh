#!/bin/bash
# vm-env: VM_INIT=systemd VM_ROOT=trixie VM_TIMEOUT=1200
# coexist.sh - ratchet as a neighbour on Debian 13 (issue 20): what systemd
# 257 (+BPF_FRAMEWORK), a security agent and an operator's BPF tools do with
# BPF keeps working after a lock, or is refused with a ratchet event where
# the lock forbids what it needs. ratchet comes from its .deb (apt, offline).
# kdump-trixie.sh runs it in its own boot after kdump.sh's checks (on top of
# the stages' lock) and before the crash; `run-case K coexist.sh` alone.
#
# One boot, two locks. First `integrity modules kexec-image sysctl`, which
# leaves kprobes and bpf-read-kernel open: the tools must trace, and
# RestrictFileSystems= must hold through daemon-reload and daemon-reexec
# (the baseline for the full lock: what systemd does with ratchet beside
# it when nothing it needs is locked). Then the full lock `integrity
# confidentiality modules kexec-image sysctl`, under which every check of
# issue 20 runs: systemd's features, each seen to take effect (a unit
# without the setting succeeds, one with it is refused), the agent, the
# tools refused with a ratchet event, RestrictFileSystems= again, no
# failed unit. After a failed check, the ratchet events of the process
# that failed are shown with it (the monitor's journal entries).
set -u
. tests/vm/lib.sh
R=/usr/sbin/ratchet
D=/run/coexist

if [ "${RATCHET_VM_PHASE:-}" = prepare ]; then
	install_deb >/vm-out/apt.log 2>&1
	echo "apt: exit $?" >>/vm-out/apt.log
	exit 0
fi

show() { sed 's/^/    /' >&2; }
# poll SECONDS CMD...: until CMD succeeds (under TCG, loads take seconds),
# tried every 0.2 s.
poll() {
	local n=$(($1 * 5))
	shift
	until "$@"; do
		[ "$n" -gt 0 ] || return 1
		n=$((n - 1))
		sleep 0.2
	done
}
cursor() { journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p'; }
# events COMM: ratchet's refusals of COMM since the last lock, as its
# monitor put them in the journal ("denied RESTRICTION to COMM[PID] ...").
events() {
	journalctl -q -o cat --after-cursor "$lock_cursor" -t ratchet \
		RATCHET_COMM="$1" RATCHET_DECISION=denied | sed 's/^ratchet: //'
}
show_events() { # show_events WHAT COMM
	local ev
	ev=$(events "$2" | sed 's/\[[0-9]*\]//' | sort | uniq -c)
	echo "$1: ratchet's events for $2: ${ev:-none}" | show
}
# check WHAT COMM CMD...: expect; a failure after a lock shows COMM's events.
check() {
	local what=$1 comm=$2
	shift 2
	if "$@" >&2; then
		pass "$what"
	else
		fail "$what"
		[ -z "$lock_cursor" ] || show_events "$what" "$comm"
	fi
}
# in_unit PROPERTY... CMD...: CMD in a new unit, its output in $T/out and
# $T/err (not in the log: a line without its newline would swallow the
# next PASS or FAIL).
in_unit() { systemd-run --quiet --wait --pipe --collect "$@" >"$T/out" 2>"$T/err"; }
refused() { grep -q 'Operation not permitted' "$T/err"; }
refuses() { ! in_unit "$@" && refused; } # refuses PROPERTY... CMD...: EPERM

# --- RestrictFileSystems=: a BPF LSM program of PID 1 on file_open -------
# The units of this setting may not read /sys/kernel/security/lsm
# (securityfs). PID 1 loads its program with a new, empty map at every
# start and daemon-reexec, and a unit's cgroup goes into the map when the
# unit starts (bpf_restrict_fs_setup() and bpf_restrict_fs_update(),
# src/core/bpf-restrict-fs.c, systemd 257): after a daemon-reexec, units
# started before are not restricted until they restart, lock or no lock
# (seen here on 257 without a lock); what must hold is that units started
# after it are. Its program reads the file's superblock with
# BPF_CORE_READ_INTO (bpf_probe_read_kernel): under a lock of
# bpf-read-kernel (confidentiality) the verifier has no such helper, as
# under the kernel's own lockdown=confidentiality, where systemd 257 logs
# "bpf-restrict-fs: Failed to load BPF object: Invalid argument" at boot.
rfs_unit() { # rfs_unit NAME: a long-running unit of this setting, started
	# Type=exec: started once it runs sleep, past the map update that
	# systemd-executor makes before it (with Type=simple, a race).
	systemd-run --quiet --unit="$1" -p Type=exec -p RestrictFileSystems=~securityfs sleep infinity
}
in_unit_cgroup() { # in_unit_cgroup UNIT CMD...: CMD in UNIT's cgroup, stderr in $T/err
	local u=$1
	shift
	sh -c "echo \$\$ >/sys/fs/cgroup/system.slice/$u/cgroup.procs && exec \"\$@\"" sh "$@" 2>"$T/err"
}
rfs_refused() { ! in_unit_cgroup "$1" cat /sys/kernel/security/lsm >/dev/null && refused; }
bpf_read_refused() { events systemd | grep -q 'bpf-read-kernel'; }
# rfs PHASE [reload-refused]: with reload-refused (bpf-read-kernel locked),
# systemd's program reloaded by daemon-reexec cannot load, as under the
# kernel's lockdown=confidentiality: that must be a ratchet event of
# systemd's, and units started then are not restricted (said in README).
rfs() {
	local p=$1 u=coexist-rfs-$1
	expect "$p: a unit without RestrictFileSystems= reads /sys/kernel/security/lsm" \
		in_unit cat /sys/kernel/security/lsm
	expect "$p: a long-running unit with RestrictFileSystems=~securityfs starts" rfs_unit "$u"
	check "$p: ... it is refused /sys/kernel/security/lsm (EPERM)" systemd rfs_refused "$u.service"
	expect "$p: systemctl daemon-reload" systemctl daemon-reload
	check "$p: ... still refused after daemon-reload" systemd rfs_refused "$u.service"
	check "$p: ... and a unit started then is refused it" systemd \
		refuses -p RestrictFileSystems=~securityfs cat /sys/kernel/security/lsm
	expect "$p: systemctl daemon-reexec" systemctl daemon-reexec
	if [ "${2:-}" = reload-refused ]; then
		expect "$p: after daemon-reexec, systemd's reload of its program is refused bpf-read-kernel, with a ratchet event" \
			poll 10 bpf_read_refused
		systemctl stop "$u.service"
	else
		check "$p: after daemon-reexec, a unit started then is refused it" systemd \
			refuses -p RestrictFileSystems=~securityfs cat /sys/kernel/security/lsm
		expect "$p: ... a long-running one starts" rfs_unit "$u-2"
		check "$p: ... and is refused it" systemd rfs_refused "$u-2.service"
		systemctl stop "$u.service" "$u-2.service"
	fi
	journalctl -q -o cat --after-cursor "$phase_cursor" -t systemd | grep -i bpf | show
}

# --- systemd's cgroup BPF programs: each seen to take effect --------------
udp=(bash -c 'echo x >/dev/udp/127.0.0.1/9')
bind=(perl -MIO::Socket::INET -e 'IO::Socket::INET->new(LocalAddr => "127.0.0.1",
	LocalPort => 5555, Proto => "udp") or die "bind: $!\n"')
units() {
	local p=$1
	expect "$p: a unit sends UDP to 127.0.0.1" in_unit "${udp[@]}"
	expect "$p: IPAddressDeny=any refuses it (EPERM)" refuses -p IPAddressDeny=any "${udp[@]}"
	expect "$p: RestrictNetworkInterfaces=lo lets it through" \
		in_unit -p RestrictNetworkInterfaces=lo "${udp[@]}"
	expect "$p: RestrictNetworkInterfaces=~lo refuses it (EPERM)" \
		refuses -p RestrictNetworkInterfaces=~lo "${udp[@]}"
	expect "$p: a unit binds UDP 127.0.0.1:5555" in_unit "${bind[@]}"
	expect "$p: SocketBindDeny=any refuses it (EPERM)" refuses -p SocketBindDeny=any "${bind[@]}"
	expect "$p: a unit reads /dev/zero" in_unit sh -c 'head -c1 /dev/zero >/dev/null'
	expect "$p: DevicePolicy=strict DeviceAllow=/dev/null: /dev/null writes, /dev/zero is refused" \
		in_unit -p DevicePolicy=strict -p DeviceAllow="/dev/null rw" \
		sh -c 'echo x >/dev/null && ! head -c1 /dev/zero >/dev/null'
}

# --- a security agent's BPF LSM program (build/tests/ratchet-execagent) --
agent_bin=build/tests/ratchet-execagent
acomm=ratchet-execage # its comm: 15 characters (TASK_COMM_LEN)
# agent_start: as a service, its output in $D/agent.log; ready once it says
# "attached" (or gone, having failed).
agent_start() {
	: >$D/agent.log
	systemd-run --quiet --collect --unit=coexist-agent -p StandardOutput=append:$D/agent.log \
		-p StandardError=append:$D/agent.log "$PWD/$agent_bin" $D/denied
	poll 120 eval "grep -q attached $D/agent.log || ! systemctl -q is-active coexist-agent"
	grep -q attached $D/agent.log
}
# agent_denies: an exec of the denied file fails with EPERM and the agent
# reports it (that process, that inode); a copy of the same file runs.
agent_denies() {
	if sh -c "echo \$\$ >$D/pid; exec $D/denied" 2>"$T/err" || ! refused; then
		cat "$T/err"
		return 1
	fi
	$D/allowed &&
		poll 10 grep -q "denied exec of inode $(stat -c %i $D/denied) to sh\[$(cat $D/pid)\]" $D/agent.log
}
agent() {
	local p=$1
	check "$p: the agent loads and attaches its LSM program" "$acomm" agent_start
	check "$p: ... it refuses the exec of that file (EPERM) and reports it" "$acomm" agent_denies
	show <$D/agent.log
	expect "$p: ... stopped, that file runs again" \
		eval "systemctl stop coexist-agent 2>/dev/null; $D/denied"
	check "$p: the agent starts again" "$acomm" agent_start
	check "$p: ... it refuses and reports again" "$acomm" agent_denies
	systemctl stop coexist-agent 2>/dev/null
	show <$D/agent.log
}

# --- an operator's tracing tools ------------------------------------------
# trace: bpftrace, a kprobe (LOCKDOWN_KPROBES) on its own child's nanosleep.
trace() {
	timeout 300 bpftrace -e 'kprobe:do_nanosleep /pid == cpid/ { printf("slept %d\n", pid); }' \
		-c '/bin/sleep 0.1' >"$T/bt.out" 2>&1
	local rc=$?
	show <"$T/bt.out"
	[ $rc -eq 0 ] && grep -q '^slept [0-9]' "$T/bt.out"
}
# snoop: execsnoop-libbpf (libbpf-tools) sees an exec made once it is ready
# (its header printed; line-buffered to be seen).
snoop() {
	local mark=coexist-$RANDOM pid rc
	stdbuf -oL execsnoop-libbpf >"$T/es.out" 2>&1 &
	pid=$!
	poll 120 eval "grep -q PCOMM $T/es.out || ! kill -0 $pid 2>/dev/null"
	/bin/true "$mark"
	poll 30 eval "grep -q 'true .*$mark' $T/es.out || ! kill -0 $pid 2>/dev/null"
	kill -INT $pid 2>/dev/null
	wait $pid
	rc=$?
	grep -E "PCOMM|$mark|rror|fail" "$T/es.out" | head -5 | show
	[ $rc -eq 0 ] && grep -q "true .*$mark" "$T/es.out"
}
# refused_with_event COMM CMD...: CMD fails, and ratchet's monitor reported
# refusing COMM (its events shown).
refused_with_event() {
	local comm=$1
	shift
	! "$@" && poll 10 has_events "$comm" && show_events seen "$comm"
}
has_events() { [ -n "$(events "$1")" ]; }
tools() {
	local p=$1 want=$2
	if [ "$want" = run ]; then
		check "$p: bpftrace traces a kprobe" bpftrace trace
		check "$p: execsnoop-libbpf (libbpf-tools) sees an exec" execsnoop-libbp snoop
	else
		expect "$p: bpftrace is refused, with a ratchet event" refused_with_event bpftrace trace
		expect "$p: execsnoop-libbpf is refused, with a ratchet event" \
			refused_with_event execsnoop-libbp snoop
	fi
}

# --- the system as a whole ------------------------------------------------
# healthy PHASE [EXPECTED]: EXPECTED, an extended regex, is a BPF message
# of systemd's that this phase's lock explains (shown, not counted).
healthy() {
	local p=$1 bad
	expect "$p: systemctl --failed is empty" test -z "$(systemctl --failed --no-legend --plain)"
	systemctl --failed --no-legend --plain | show
	# -t systemd: PID 1's own messages, and those it logged through the
	# kernel log while it re-executed (no _PID=1 on those).
	bad=$(journalctl -q -o cat -p warning --after-cursor "$phase_cursor" -t systemd | grep -i bpf |
		grep -vE "${2:-^$}")
	[ -z "${2:-}" ] || journalctl -q -o cat -p warning --after-cursor "$phase_cursor" -t systemd |
		grep -E "$2" | sed 's/^/explained by the lock: /' | show
	expect "$p: no warning or error from systemd about BPF${bad:+ ($bad)}" test -z "$bad"
}

# 0. The boot and the package.
state=$(systemctl is-system-running --wait)
expect "coexist: the boot finished with no failed unit ($state)" test "$state" = running
expect "coexist: apt installed the .deb offline, its dependencies from the root" \
	test "$(dpkg-query -W -f='${Status}' ratchet 2>/dev/null)" = "install ok installed"
show </vm-out/apt.log
systemctl --version | head -1 | show
bpftrace --version | show
mkdir -p $D
cp /usr/bin/true $D/denied
cp /usr/bin/true $D/allowed
lock_cursor=

# phase NAME LOCK...: lock (unless "none"), start the monitor, and note
# where the journal was; the last phase's time goes to the diagnostics.
phase() {
	local p=$1
	shift
	[ -z "${phase_name:-}" ] || echo "time: $K $phase_name phase $(($(date +%s) - phase_start)) s" | show
	phase_name=$p phase_start=$(date +%s)
	[ "$p" != end ] || return 0
	if [ "$1" != none ]; then
		expect "$p: ratchet lock $*" bash -c "$R lock $* >/dev/null"
		lock_cursor=$(cursor)
		systemctl start ratchet-monitor.service
		expect "$p: ratchet-monitor.service is running" systemctl -q is-active ratchet-monitor.service
	fi
	phase_cursor=$(cursor)
}

phase partial integrity modules kexec-image sysctl
tools partial run
rfs partial
healthy partial

phase locked integrity confidentiality modules kexec-image sysctl
units locked
agent locked
tools locked refused
rfs locked reload-refused
healthy locked 'bpf-restrict-fs: Failed to (load|prepare) BPF object'
phase end
