#!/bin/bash
# rt2-btf.sh - red team 2: "the running kernel's BTF" is read from the
# path /sys/kernel/btf/vmlinux (libbpf's btf__load_vmlinux_btf(), used by
# src/catalogue.c and by libbpf's CO-RE and attach-id lookups). Before the
# first lock root bind-mounts over it a copy with the values of
# LOCKDOWN_DEV_MEM and LOCKDOWN_DEBUGFS swapped, every type id and size
# unchanged (ratchet-btfswap). The programs still load and attach to the
# right hooks, and the dry run computes the tags they get, so the lock is
# "ratchet's"; but `dev-mem` is now the slot of LOCKDOWN_DEBUGFS.
# ratchet_locked_down decides by the kernel's real value, so /dev/mem
# opens, while lock exits 0 and status says dev-mem is enforced. The
# checks FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt2-lib.sh
ATTACK=rt2-btf
V=/sys/kernel/btf/vmlinux
mkdir -p "$T"

expect "$ATTACK: naive: a copy of the kernel's BTF with DEV_MEM and DEBUGFS swapped" \
	run 0 build/tests/ratchet-btfswap $V "$T/vmlinux" lockdown_reason LOCKDOWN_DEV_MEM LOCKDOWN_DEBUGFS
expect "$ATTACK: naive: root covers $V with it" mount --bind "$T/vmlinux" $V
rt2_lock_devmem
umount $V
"$R" status 2>&1 | head -3 | sed 's/^/    | status with the real BTF: /' >&2
