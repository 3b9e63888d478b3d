# attack/lib.sh - shared by tests/vm/attacks/*.sh (in-guest). Sourced after
# tests/vm/lib.sh. Each attack file runs three phases in one fresh VM:
#   naive:   the attack must undo the naive lock (else it proves nothing);
#   ratchet: after `ratchet lock dev-mem kexec bpf-read-kernel` the same
#            attack must leave every lock standing;
#   collateral: observability and cgroup device programs still work.
A=build/tests/ratchet-attack
PINS=/run/ratchet/bpf
LOCKED="dev-mem kexec-load bpf-read-kernel"
# ATTACK: the name every check line starts with; set by the attack file.

# lop OP: one operation, exit 0 allowed, 1 refused. The shared ratchet-op
# if it is built, else ratchet-attack's own.
lop() {
	if [ -x "$OP" ]; then "$OP" "$1"; else "$A" op "$1"; fi
}

# is OP WANT: like op in lib.sh, with a few retries: releasing a link or
# a superblock is deferred work, so an undo can take a moment to show.
is() {
	local out rc i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		out=$(lop "$1" 2>&1)
		rc=$?
		[ "$rc" = "$2" ] && return 0
		sleep 0.3
	done
	echo "    $1: $out (exit $rc, wanted $2)" >&2
	return 1
}

# run WANT CMD...: run an attack step, echo its output as a diagnostic,
# succeed if its exit status is WANT (0 done, 1 refused).
run() {
	local want=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/    | /' >&2
	[ "$rc" = "$want" ] && return 0
	echo "    ($* exited $rc, wanted $want)" >&2
	return 1
}

# refused CMD...: the command failed (any non-zero), for shell tools like rm
# and umount whose exit codes do not separate EPERM from other errors; the
# message must say "not permitted" or "denied".
refused() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/    | /' >&2
	[ "$rc" != 0 ] && grep -qiE 'not permitted|denied|must be superuser' <<<"$out"
}

# The file system tree the guest started with, for after an umount -l.
remount_sys() {
	mountpoint -q /sys || mount -t sysfs sys /sys
	mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security
	mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
	mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
	mountpoint -q /sys/fs/cgroup || mount -t cgroup2 cgroup2 /sys/fs/cgroup
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
}

# naive_on [nosysctl]: the naive lock, pinned under /sys/fs/bpf/naive.
naive_on() {
	expect "$ATTACK: naive: before any lock, dev-mem is allowed" is dev-mem 0
	expect "$ATTACK: naive: the naive lock loads, pins and attaches" run 0 $A naive-pin "$@"
	expect "$ATTACK: naive: the naive lock refuses dev-mem" is dev-mem 1
	expect "$ATTACK: naive: the naive lock refuses bpf-read-kernel" is bpf-read-kernel 1
}

# hold_start: the naive lock held by a process (no pin); sets HP (its pid),
# HLINK, HMAP (its link and map fds) and HADDR (where it mmapped the map).
hold_start() {
	local i
	$A naive-hold >/tmp/hold.out 2>&1 &
	HP=$!
	for i in $(seq 50); do grep -q '^ready' /tmp/hold.out && break; sleep 0.1; done
	sed 's/^/    | /' /tmp/hold.out >&2
	HLINK=$(sed -n 's/^ready.* link_fd=\([0-9]*\).*/\1/p' /tmp/hold.out)
	HMAP=$(sed -n 's/^ready.* map_fd=\([0-9]*\).*/\1/p' /tmp/hold.out)
	HADDR=$(sed -n 's/^ready.* map_addr=\(0x[0-9a-f]*\).*/\1/p' /tmp/hold.out)
	expect "$ATTACK: naive: a process holds the naive lock (pid $HP)" test -n "$HLINK"
	expect "$ATTACK: naive: the held lock refuses dev-mem" is dev-mem 1
}

hold_stop() {
	kill -9 "$HP" 2>/dev/null
	wait "$HP" 2>/dev/null
}

# naive_undone [OP]: the verdict of the naive phase.
naive_undone() {
	local o=${1:-dev-mem}
	if is "$o" 0; then
		pass "$ATTACK: naive: the attack undoes the naive lock ($o allowed again)"
	else
		fail "$ATTACK: naive: the naive lock survived: the attack proves nothing"
	fi
}

# Whatever the attack left behind, so the ratchet phase starts clean.
naive_off() {
	remount_sys
	echo 1 >/proc/sys/kernel/ftrace_enabled 2>/dev/null
	$A naive-clean 2>&1 | sed 's/^/    | /' >&2
	expect "$ATTACK: naive: cleaned up, dev-mem and bpf-read-kernel allowed" \
		bash -c 'is dev-mem 0 && is bpf-read-kernel 0'
}

ratchet_on() {
	expect "$ATTACK: ratchet: lock dev-mem kexec bpf-read-kernel" run 0 $R lock dev-mem kexec bpf-read-kernel
	for o in $LOCKED; do
		expect "$ATTACK: ratchet: $o refused after the lock" is "$o" 1
	done
}

# ratchet_holds [WHEN]: the lock is still whole after the attack.
ratchet_holds() {
	sleep 1
	for o in $LOCKED; do
		expect "$ATTACK: ratchet: $o still refused ${1:-after the attack}" is "$o" 1
	done
}

collateral() {
	expect "$ATTACK: collateral: kprobe, tracepoint and fentry programs still work" run 0 $A observe
	expect "$ATTACK: collateral: a cgroup device program attaches and detaches" run 0 $A cgroup-device
}

export -f lop is
export A OP
