#!/bin/bash
# rt5-falloc-answer.sh - red team 5 (written by reading, not run yet): the
# answer of rt4-rcheck-deny, given from a hook that is not bpf*. Before the
# first lock root attaches an LSM program on lsm/file_alloc_security
# (tests/vm/tools/answer.bpf.c, falloc) that refuses with EINVAL the
# struct file of the fd of every load named ratchet_rcheck holding a 1.
# The verifier has passed the program by then; bpf_prog_new_fd() ->
# anon_inode_getfd() -> alloc_file_pseudo() -> alloc_empty_file() ->
# security_file_alloc() fails and bpf_prog_load() returns that error as
# the load's (fs/file_table.c, fs/anon_inodes.c, kernel/bpf/syscall.c,
# 6.1, 6.12, 7.2). ratchet's answerer scan (answers(), src/bpf.c) looks
# only at programs on bpf_lsm_bpf* and security_bpf*, so the first lock
# takes the verifier for one that bounds LSM returns (6.1) and
# bpf_set_retval() (6.1, 6.12), claims it, and lets positive LSM and
# lsm_cgroup programs onto its hooks; every later claims_hold() gets the
# same EINVAL, and an LSM program on a hook ratchet does not use is no
# overruling kind (overrules()). 7.2 bounds both: its claim is true.
# Fails while the route is open: the lock exits 0 on a false claim and a
# positive program undoes bpf-read-kernel while status says enforced.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt2-lib.sh
ATTACK=rt5-falloc-answer
W=build/tests/ratchet-answer

rt2_ranges
echo "    | verifier: positive LSM return loads: $([ "$POS" = 0 ] && echo yes || echo no), lsm_cgroup set 1 loads: $([ "$CG" = 0 ] && echo yes || echo no)" >&2
if [ "$POS" != 0 ] && [ "$CG" != 0 ]; then
	skip "$ATTACK: this kernel's verifier bounds both ranges: no false claim to make"
	exit 0
fi
expect "$ATTACK: root: an LSM program on lsm/file_alloc_security answering ratchet's range probes with EINVAL loads and attaches" \
	run 0 $W falloc /sys/fs/bpf/rt5-falloc
try $R lock dev-mem bpf-read-kernel
L=$RC
echo "    | ratchet lock exited $L" >&2
if [ "$POS" = 0 ]; then
	out=$($A lsm-positive /sys/fs/bpf/rt5-lsmpos 2>&1)
	echo "    | $out" >&2
	expect "$ATTACK: ratchet: no positive LSM program undoes a locked bpf-read-kernel" \
		bash -c "[ $L != 0 ] || is bpf-read-kernel 1"
	expect "$ATTACK: ratchet: status --check bpf-read-kernel does not pass while it is undone" \
		bash -c "! $R status --check bpf-read-kernel >/dev/null 2>&1 || is bpf-read-kernel 1"
	rm -f /sys/fs/bpf/rt5-lsmpos
fi
if [ "$CG" = 0 ]; then
	out=$($A lsm-cgroup set-1 /sys/fs/bpf/rt5-lsmcg 2>&1)
	echo "    | $out" >&2
	expect "$ATTACK: ratchet: no lsm_cgroup program setting 1 undoes a locked bpf-read-kernel" \
		bash -c "[ $L != 0 ] || is bpf-read-kernel 1"
	expect "$ATTACK: ratchet: status --check bpf-read-kernel does not pass while it is undone" \
		bash -c "! $R status --check bpf-read-kernel >/dev/null 2>&1 || is bpf-read-kernel 1"
	rm -f /sys/fs/bpf/rt5-lsmcg
fi
"$R" status 2>&1 | head -6 | sed 's/^/    | status: /' >&2
