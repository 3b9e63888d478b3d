# shellcheck shell=bash
# rt2-lib.sh - shared by the red team's tests/vm/attacks/rt2-*.sh, after
# attack-lib.sh.

# rt2_lock_devmem: `ratchet lock dev-mem kexec` after root's preparation;
# the lock must not exit 0 while dev-mem opens, and status must not pass
# dev-mem while it opens.
rt2_lock_devmem() {
	try "$R" lock dev-mem kexec
	echo "    | ratchet lock exited $RC" >&2
	expect "$ATTACK: ratchet: dev-mem is refused, or the lock did not exit 0" \
		bash -c "[ $RC != 0 ] || is dev-mem 1"
	"$R" status 2>&1 | head -3 | sed 's/^/    | status: /' >&2
	expect "$ATTACK: ratchet: status --check dev-mem does not pass while dev-mem opens" \
		bash -c "! $R status --check dev-mem >/dev/null 2>&1 || is dev-mem 1"
}

# shellcheck disable=SC2034 # POS and CG are for the attack files
# rt2_ranges: what this kernel's verifier lets onto locked_down, before
# any lock: POS 0 if an LSM program returning 1 loads and attaches, CG 0 if
# an lsm_cgroup program setting 1 does (each detached again at once).
rt2_ranges() {
	local out
	out=$($A lsm-positive /sys/fs/bpf/rt2-lsmpos 2>&1)
	POS=$?
	rm -f /sys/fs/bpf/rt2-lsmpos
	echo "    | $out" >&2
	out=$($A lsm-cgroup set-1 /sys/fs/bpf/rt2-lsmcg 2>&1)
	CG=$?
	rm -f /sys/fs/bpf/rt2-lsmcg
	echo "    | $out" >&2
	expect "$ATTACK: before: bpf-read-kernel allowed, nothing attached" is bpf-read-kernel 0
}

# rt2_overrule: after the lock, the program the verifier lets through
# (rt2_ranges) must be refused and bpf-read-kernel stay refused.
rt2_overrule() {
	if [ "$POS" = 0 ]; then
		expect "$ATTACK: ratchet: a positive LSM program on locked_down is refused after the lock" \
			run 1 "$A" lsm-positive /sys/fs/bpf/rt2-lsmpos
	else
		expect "$ATTACK: ratchet: an lsm_cgroup program setting 1 on locked_down is refused after the lock" \
			run 1 "$A" lsm-cgroup set-1 /sys/fs/bpf/rt2-lsmcg
	fi
	expect "$ATTACK: ratchet: bpf-read-kernel is still refused" is bpf-read-kernel 1
	"$R" status 2>&1 | head -3 | sed 's/^/    | status after: /' >&2
	expect "$ATTACK: ratchet: status --check bpf-read-kernel does not pass while it is undone" \
		bash -c "! $R status --check bpf-read-kernel >/dev/null 2>&1 || is bpf-read-kernel 1"
}
