#!/bin/bash
# rt2-ranges.sh - red team 2: what the first lock detected about the
# verifier (RATCHET_GUARD_LSM_RANGES, RATCHET_GUARD_SET_RETVAL_RANGES:
# LSM and lsm_cgroup programs kept to 0 or -errno) is root's claim, taken
# on trust. facts.c (tables_same()) builds the expected tables with the
# detected flags the state says the seal recorded, and bpf.c
# (overruling_link()) skips LSM programs where the state says ranges are
# enforced. Before the first lock root seals ratchet's exact object with
# the tables and the state claiming both (ratchet-impostor lookalike
# ranges): every tag, map and table matches, so `ratchet lock` adopts it
# and status says enforced; its bpf_prog hook, deciding on those tables,
# then lets a positive LSM program (6.1) or an lsm_cgroup program setting
# 1 (6.1, 6.12) onto locked_down after the lock, and bpf-read-kernel is
# undone. The checks FAIL while the hole exists; on a kernel whose
# verifier does bound both (7.2) the claim is true and they SKIP.
# ratchet re-checks every range the state claims at each lock and status,
# by loading (never attaching) the program with a 1 in it on each of its
# hooks (src/bpf.c, claims_hold()): it loads here, so the lock fails
# closed and status says OVERRULED. The look-alike cannot be unloaded.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt2-lib.sh
ATTACK=rt2-ranges
I=build/tests/ratchet-impostor

# What this kernel's verifier does, before anything is locked.
rt2_ranges
if [ "$POS" != 0 ] && [ "$CG" != 0 ]; then
	skip "$ATTACK: this kernel's verifier keeps LSM and lsm_cgroup programs to 0 or -errno: the claim is true"
	exit 0
fi

expect "$ATTACK: naive: root seals ratchet's exact object claiming the verifier bounds LSM returns" \
	run 0 $I lookalike ranges
try $R lock dev-mem bpf-read-kernel
expect "$ATTACK: ratchet: lock does not exit 0 on a lock whose detected ranges are false here ($RC)" \
	test "$RC" != 0
rt2_claim_named "the lock"
expect "$ATTACK: ratchet: status --check bpf-read-kernel exits 1" \
	run 1 $R status --check bpf-read-kernel
# The look-alike's own programs cannot be unloaded: the lock refuses it
# (above), or what it lets through is refused.
rt2_overrule_or_failed
try $R lock dev-mem bpf-read-kernel
expect "$ATTACK: ratchet: a second lock does not exit 0 either ($RC)" test "$RC" != 0
rt2_claim_named "a second lock"
