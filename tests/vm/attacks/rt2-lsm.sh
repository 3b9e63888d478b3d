#!/bin/bash
# vm-append: lsm=landlock,lockdown,yama,integrity,apparmor
# rt2-lsm.sh - red team 2: whether bpf is an active LSM is read from
# /sys/kernel/security/lsm (src/posture.c), a path. On a machine booted
# without bpf in lsm= (the guest here), BPF LSM programs still load and
# attach (bpf_lsm_verify_prog(), kernel/bpf/bpf_lsm.c, checks the hook,
# never whether the LSM is active, 6.1 to 7.2) and never run. Root
# bind-mounts a file listing bpf over the real one before the first lock:
# `ratchet lock` exits 0, status says enforced, dev-mem opens. The checks
# FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt2-lib.sh
ATTACK=rt2-lsm
L=/sys/kernel/security/lsm
mkdir -p "$T"

echo "    | active LSMs: $(cat $L)" >&2
if grep -qw bpf $L; then
	skip "$ATTACK: bpf is an active LSM here (lsm= not applied)"
	exit 0
fi
expect "$ATTACK: before: dev-mem allowed" is dev-mem 0
try $R lock dev-mem
expect "$ATTACK: before: without the cover, ratchet lock refuses ($RC)" test "$RC" != 0
printf '%s,bpf\n' "$(cat $L)" >"$T/lsm"
expect "$ATTACK: naive: root covers $L with a list naming bpf" \
	bash -c "mount --bind $T/lsm $L && grep -qw bpf $L"
rt2_lock_devmem
