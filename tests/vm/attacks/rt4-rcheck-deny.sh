#!/bin/bash
# rt4-rcheck-deny.sh - red team 4: before the first lock root attaches an
# LSM program on lsm/bpf (tests/vm/tools/answer.bpf.c) that refuses with
# EINVAL every load named like ratchet's range probes holding a 1
# (src/bpf.c, rcheck()). The programs of one LSM hook run from one
# trampoline and the first non-zero return ends the chain
# (invoke_bpf_mod_ret(), arch/x86/net/bpf_jit_comp.c, 6.1 to 7.2), so
# that answer is what the first lock's arm_guard() and every later
# claims_hold() see: ratchet takes the verifier for one that keeps LSM
# and lsm_cgroup programs to 0 or -errno, claims it in the state, and its
# bpf_prog hook lets such programs onto its hooks. Where the verifier does
# not bound them (6.1 both, 6.12 what lsm_cgroup programs set), a
# positive one then undoes bpf-read-kernel; where it does (7.2) the claim
# happens to be true, but it was not checked. ratchet looks, before and
# after its test loads and before every re-check, for any program that
# can answer bpf(2) calls before its own (an LSM or lsm_cgroup program on
# a bpf* LSM hook, or fmod_ret on security_bpf*/bpf_lsm_bpf*, by BTF id,
# read by its program scan) and refuses the first lock naming it, with
# nothing locked. Alone in its guest: it acts before the first lock.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt2-lib.sh
ATTACK=rt4-rcheck-deny
W=build/tests/ratchet-answer

# What this kernel's verifier lets onto locked_down, before anything.
rt2_ranges
echo "    | verifier: positive LSM return loads: $([ "$POS" = 0 ] && echo yes || echo no), lsm_cgroup set 1 loads: $([ "$CG" = 0 ] && echo yes || echo no)" >&2
expect "$ATTACK: root: an LSM program on lsm/bpf answering ratchet's range probes with EINVAL loads and attaches" \
	run 0 $W rcheck /sys/fs/bpf/rt4-rcheck
try $R lock dev-mem bpf-read-kernel
expect "$ATTACK: ratchet: the first lock does not exit 0 while a program answers its test loads ($RC)" \
	test "$RC" != 0
expect "$ATTACK: ratchet: the lock names that program (id, name, hook) and the fix" \
	grep -Eiq 'LSM program id [0-9]+ \(rcheck\) on bpf_lsm_bpf .*nothing was locked; fix: remove that program' <<<"$OUT"
expect "$ATTACK: ratchet: nothing is locked (status)" \
	bash -c "$R status | grep -q 'nothing locked'"
# What a lock taken on the false claim would let through.
if [ "$POS" = 0 ]; then
	out=$($A lsm-positive /sys/fs/bpf/rt4-lsmpos 2>&1)
	echo "    | $out" >&2
	expect "$ATTACK: ratchet: no positive LSM program undoes a locked bpf-read-kernel" \
		bash -c "! $R status | grep -q 'locked until reboot' || is bpf-read-kernel 1"
	rm -f /sys/fs/bpf/rt4-lsmpos
fi
if [ "$CG" = 0 ]; then
	out=$($A lsm-cgroup set-1 /sys/fs/bpf/rt4-lsmcg 2>&1)
	echo "    | $out" >&2
	expect "$ATTACK: ratchet: no lsm_cgroup program setting 1 undoes a locked bpf-read-kernel" \
		bash -c "! $R status | grep -q 'locked until reboot' || is bpf-read-kernel 1"
	rm -f /sys/fs/bpf/rt4-lsmcg
fi
# Once root removes it, the first lock is taken.
rm -f /sys/fs/bpf/rt4-rcheck
for _ in $(seq 30); do bpftool prog show name rcheck >/dev/null 2>&1 || break; sleep 0.3; done
expect "$ATTACK: ratchet: with the answering program gone, the lock exits 0" \
	run 0 $R lock dev-mem bpf-read-kernel
expect "$ATTACK: ratchet: bpf-read-kernel refused" is bpf-read-kernel 1
expect "$ATTACK: ratchet: status is not OVERRULED" \
	bash -c "! $R status | grep -q OVERRULED"
