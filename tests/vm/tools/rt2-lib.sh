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

# rt2_window_move DIR HOLDER: the first lock (dev-mem kexec), with
# ratchet-window.so making DIR (of a file system HOLDER names) a private
# tmpfs and moving /run/ratchet to DIR/r right before the raise that
# seals. The move must happen; the lock must refuse to seal, saying why,
# or dev-mem be refused. OUT and RC as `try` leaves them.
rt2_window_move() {
	local moved=0
	export RATCHET_WINDOW_CMD="mount -t tmpfs rt2x $1 && mount --make-private $1 && mkdir $1/r && mount --move /run/ratchet $1/r"
	try env LD_PRELOAD="$PWD/build/tests/ratchet-window.so" RATCHET_WINDOW=seal "$R" lock dev-mem kexec
	echo "    | ratchet lock exited $RC" >&2
	grep " $1" /proc/self/mountinfo | sed 's/^/    | mountinfo: /' >&2
	grep -q " $1/r " /proc/self/mountinfo && moved=1
	expect "$ATTACK: naive: root moved ratchet's tmpfs under $1 before the seal" test $moved = 1
	expect "$ATTACK: ratchet: the lock does not seal on a chain $2 holds, and says why" \
		grep -q "or a mount above it sits on a file system that can invalidate it" <<<"$OUT"
	expect "$ATTACK: ratchet: the lock did not exit 0, or dev-mem is refused" \
		bash -c "[ $RC != 0 ] || is dev-mem 1"
}

# rt2_claim_named WHO: WHO (a lock, its output in $OUT) and status name a
# verifier range the state claims and this kernel does not enforce
# (src/bpf.c, claims_hold()), and the fix.
rt2_claim_named() {
	local claim="ratchet's state claims this kernel's verifier keeps"
	# shellcheck disable=SC2016 # expanded by the inner bash
	expect "$ATTACK: ratchet: $1 names the false claim and the fix (reboot)" \
		bash -c 'grep -q "$1" <<<"$2" && grep -q "only a reboot clears it" <<<"$2"' _ "$claim" "$OUT"
	# shellcheck disable=SC2016
	expect "$ATTACK: ratchet: status says OVERRULED by the false claim" \
		bash -c '"$1" status | grep -q "OVERRULED: $2"' _ "$R" "$claim"
	# shellcheck disable=SC2016
	expect "$ATTACK: ratchet: status --json names it (overruled_by)" \
		bash -c '"$1" status --json | gojq -r ".ratchet.overruled_by // empty" | grep -q "^$2"' _ "$R" "$claim"
	expect "$ATTACK: ratchet: and the metrics say so (ratchet_overruled 1)" \
		bash -c "$R status --prometheus | grep -qx 'ratchet_overruled 1'"
}

# rt2_overrule_or_failed: rt2_overrule after a lock ($RC) that cannot take
# down a look-alike: the overruling program is refused, or that lock did
# not exit 0; status never passes while bpf-read-kernel is undone.
rt2_overrule_or_failed() {
	local rc
	if [ "$POS" = 0 ]; then
		"$A" lsm-positive /sys/fs/bpf/rt2-lsmpos >/dev/null 2>&1
	else
		"$A" lsm-cgroup set-1 /sys/fs/bpf/rt2-lsmcg >/dev/null 2>&1
	fi
	rc=$?
	expect "$ATTACK: ratchet: the lock did not exit 0 ($RC), or the overruling program is refused ($rc)" \
		bash -c "[ $RC != 0 ] || [ $rc != 0 ]"
	expect "$ATTACK: ratchet: the lock did not exit 0, or bpf-read-kernel is still refused" \
		bash -c "[ $RC != 0 ] || is bpf-read-kernel 1"
	"$R" status 2>&1 | head -3 | sed 's/^/    | status after: /' >&2
	expect "$ATTACK: ratchet: status --check bpf-read-kernel does not pass while it is undone" \
		bash -c "! $R status --check bpf-read-kernel >/dev/null 2>&1 || is bpf-read-kernel 1"
}
