#!/bin/bash
# rt5-falloc-answer.sh - red team 5: the answer of rt4-rcheck-deny, given
# from a hook that is not bpf*. Before the first lock root attaches an LSM
# program on lsm/file_alloc_security (tests/vm/tools/answer.bpf.c,
# falloc) that refuses with EINVAL the struct file of the fd of every
# load named ratchet_rcheck holding a 1. The verifier has passed the
# program by then; bpf_prog_new_fd() -> anon_inode_getfd() ->
# alloc_file_pseudo() -> alloc_empty_file() -> security_file_alloc()
# fails and bpf_prog_load() returns that error as the load's
# (fs/file_table.c, fs/anon_inodes.c, kernel/bpf/syscall.c, 6.1, 6.12,
# 7.2). ratchet's answerer scan (answers(), src/bpf.c) looks only at
# programs on bpf_lsm_bpf* and security_bpf*, so a first lock that took
# the errno for the verifier's claimed ranges it does not have (6.1 both,
# 6.12 bpf_set_retval()) and let positive LSM and lsm_cgroup programs onto
# its hooks. ratchet takes "enforced" only from the verifier's own
# refusal in the load's log (src/rangelog.c): the first lock must refuse,
# nothing locked, saying something answered its test load.
# Then the later locks and status: root seals the false claim with a
# preloaded first lock (ratchet-claim.so, which also writes the verifier's
# line into the log, as code in ratchet's process can) while the program
# is attached; every ratchet not preloaded re-checks the claim, gets the
# same EINVAL without the verifier's line, and must say OVERRULED.
# 7.2 bounds both ranges: its claim is true, nothing to fake (SKIP).
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt2-lib.sh
ATTACK=rt5-falloc-answer
W=build/tests/ratchet-answer
CLAIM=$PWD/build/tests/ratchet-claim.so

rt2_ranges
echo "    | verifier: positive LSM return loads: $([ "$POS" = 0 ] && echo yes || echo no), lsm_cgroup set 1 loads: $([ "$CG" = 0 ] && echo yes || echo no)" >&2
if [ "$POS" != 0 ] && [ "$CG" != 0 ]; then
	skip "$ATTACK: this kernel's verifier bounds both ranges: no false claim to make"
	exit 0
fi
expect "$ATTACK: root: an LSM program on lsm/file_alloc_security answering ratchet's range probes with EINVAL loads and attaches" \
	run 0 $W falloc /sys/fs/bpf/rt5-falloc

# The first lock, its test loads answered.
try $R lock dev-mem bpf-read-kernel
L=$RC
echo "    | ratchet lock exited $L" >&2
expect "$ATTACK: ratchet: the first lock does not exit 0 while something answers its test loads ($L)" \
	test "$L" != 0
expect "$ATTACK: ratchet: the lock says something answered its test load, and the fix" \
	grep -Eiq "something answered ratchet's test load: .*nothing was locked; fix: remove that program" <<<"$OUT"
expect "$ATTACK: ratchet: nothing is locked (status)" \
	bash -c "$R status | grep -q 'nothing locked'"
# What a lock taken on the false claim lets through.
undone() {
	expect "$ATTACK: ratchet: no $1 undoes a locked bpf-read-kernel" \
		bash -c "! $R status | grep -q 'locked until reboot' || is bpf-read-kernel 1"
	expect "$ATTACK: ratchet: status --check bpf-read-kernel does not pass while it is undone" \
		bash -c "! $R status --check bpf-read-kernel >/dev/null 2>&1 || is bpf-read-kernel 1"
}
if [ "$POS" = 0 ]; then
	out=$($A lsm-positive /sys/fs/bpf/rt5-lsmpos 2>&1)
	echo "    | $out" >&2
	undone "positive LSM program"
	rm -f /sys/fs/bpf/rt5-lsmpos
fi
if [ "$CG" = 0 ]; then
	out=$($A lsm-cgroup set-1 /sys/fs/bpf/rt5-lsmcg 2>&1)
	echo "    | $out" >&2
	undone "lsm_cgroup program setting 1"
	rm -f /sys/fs/bpf/rt5-lsmcg
fi

# Later locks and status: a false claim sealed by a preloaded first lock,
# the same program answering every re-check.
try env LD_PRELOAD="$CLAIM" "$R" lock dev-mem bpf-read-kernel
echo "    | the preloaded first lock exited $RC" >&2
expect "$ATTACK: ratchet: bpf-read-kernel refused after the preloaded lock" is bpf-read-kernel 1
"$R" status 2>&1 | head -4 | sed 's/^/    | status: /' >&2
expect "$ATTACK: ratchet: status says OVERRULED: the claim cannot be vouched for" \
	bash -c "$R status | grep -q 'OVERRULED: .*which cannot be vouched for'"
expect "$ATTACK: ratchet: status --check bpf-read-kernel exits 1" \
	run 1 $R status --check bpf-read-kernel
try $R lock dev-mem bpf-read-kernel
expect "$ATTACK: ratchet: a later lock does not exit 0 ($RC)" test "$RC" != 0
rt2_claim_named "a later lock"
if [ "$POS" = 0 ]; then
	try "$A" lsm-positive /sys/fs/bpf/rt5-lsmpos
else
	try "$A" lsm-cgroup set-1 /sys/fs/bpf/rt5-lsmcg
fi
expect "$ATTACK: ratchet: status --check bpf-read-kernel does not pass while it is undone" \
	bash -c "! $R status --check bpf-read-kernel >/dev/null 2>&1 || is bpf-read-kernel 1"
