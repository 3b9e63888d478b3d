#!/bin/bash
# rt2-ranges-preload.sh - red team 2: rt2-ranges.sh with ratchet's own
# first lock. Root preloads build/tests/ratchet-claim.so into
# `ratchet lock`: the verifier probes of the first lock (src/bpf.c,
# range_enforced()) are answered "refused" without reaching the kernel, so
# the genuine lock seals claiming that LSM and lsm_cgroup programs on its
# hooks can only refuse. Nothing later checks the claim: status derives
# the expected tables from it, the bpf_prog hook lets such programs load,
# and the overrule check skips them. On 6.1 a positive LSM program on
# locked_down (on 6.1 and 6.12 an lsm_cgroup program setting 1) loads
# after the lock and bpf-read-kernel is undone. The checks FAIL while the
# hole exists; on a kernel whose verifier bounds both (7.2) they SKIP.
# The preloaded lock is root's code in ratchet's process: it answers the
# re-check (src/bpf.c, claims_hold()) too and exits 0, and its lock cannot
# be taken down. Every ratchet root did not preload re-checks the claim on
# the kernel: status says OVERRULED (so --check fails) and a second lock
# does not exit 0, both naming the false claim.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt2-lib.sh
ATTACK=rt2-ranges-preload
CLAIM=$PWD/build/tests/ratchet-claim.so

rt2_ranges
if [ "$POS" != 0 ] && [ "$CG" != 0 ]; then
	skip "$ATTACK: this kernel's verifier keeps LSM and lsm_cgroup programs to 0 or -errno: the claim is true"
	exit 0
fi

try env LD_PRELOAD="$CLAIM" "$R" lock dev-mem bpf-read-kernel
echo "    | the preloaded first lock exited $RC" >&2
expect "$ATTACK: ratchet: bpf-read-kernel refused after the lock" is bpf-read-kernel 1
"$R" status --json | gojq -c '.ratchet | {enforced, not_enforced}' 2>&1 | indent >&2
expect "$ATTACK: ratchet: status --check bpf-read-kernel exits 1 after the preloaded lock" \
	run 1 $R status --check bpf-read-kernel
try $R lock dev-mem bpf-read-kernel
expect "$ATTACK: ratchet: a second lock does not exit 0 ($RC)" test "$RC" != 0
rt2_claim_named "a second lock"
# What the preloaded lock let through loads (it cannot be stopped: its
# claim is in the sealed tables); no status passes while it overrules.
if [ "$POS" = 0 ]; then
	try "$A" lsm-positive /sys/fs/bpf/rt2-lsmpos
else
	try "$A" lsm-cgroup set-1 /sys/fs/bpf/rt2-lsmcg
fi
expect "$ATTACK: ratchet: status --check bpf-read-kernel does not pass while it is undone" \
	bash -c "! $R status --check bpf-read-kernel >/dev/null 2>&1 || is bpf-read-kernel 1"
