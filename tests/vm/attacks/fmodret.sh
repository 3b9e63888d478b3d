#!/bin/bash
# fmodret.sh - fmod_ret on security_locked_down returning 1 skips the LSM
# chain; callers testing `< 0` (the bpf_probe_read_kernel proto) allow.
# docs/threat-model.md, "Another BPF program that overrules ratchet".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=fmodret

naive_phase
naive_on
expect "$ATTACK: naive: the fmod_ret program loads, attaches and is pinned" run 0 $A fmodret
naive_undone bpf-read-kernel
naive_off

ratchet_on
expect "$ATTACK: ratchet: loading the fmod_ret program is refused (EPERM)" run 1 $A fmodret /sys/fs/bpf/evil-fmodret
ratchet_holds
expect "$ATTACK: collateral: fmod_ret on security_file_open (no hook of ratchet's) loads" \
	run 0 $A agent fmodret_open
collateral
