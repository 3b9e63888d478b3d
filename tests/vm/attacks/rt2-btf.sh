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

# The same cover, when ratchet would adopt a lock instead of loading one:
# root locks first with ratchet's own source built without the cover
# checks (the test build's RATCHET_TEST_SKIP_ATTACH=btf-check), so its
# programs are ratchet's, relocated against the doctored copy. A ratchet
# that computed its programs' expected tags under the cover (its dry run
# reads the BTF where libbpf does) got the look-alike's tags, adopted it
# and exited 0, and status vouched for it under the cover. Where the
# kernel's BTF has enum dentry_flags (7.x), which ratchet's BPF relocates
# (DFLAG, bpf/mounts.h), the copy swaps two of them, so the look-alike's
# programs are not the ones ratchet loads here, and once the cover is gone
# status says so; elsewhere the lockdown copy serves (ratchet reads those
# values from a fresh sysfs, so there the look-alike is ratchet's own lock).
U=build/tests/ratchet-unattached
if build/tests/ratchet-btfswap $V "$T/vmlinux" dentry_flags DCACHE_OP_REVALIDATE DCACHE_OP_HASH >&2; then
	differs=1
else
	differs=
fi
expect "$ATTACK: adopt: root covers $V again" mount --bind "$T/vmlinux" $V
# Its dry run and its load relocate against the cover (src/bpf.c,
# rbpf_btf_uncovered()), as root's own build of this source would.
expect "$ATTACK: adopt: root's build without the cover checks locks dev-mem under it" \
	env RATCHET_TEST_SKIP_ATTACH=btf-check $U lock dev-mem kexec
try "$R" lock dev-mem kexec
echo "    | ratchet lock under the cover exited $RC" >&2
expect "$ATTACK: adopt: ratchet's lock under the cover does not exit 0" test "$RC" != 0
expect "$ATTACK: adopt: ... and names the cover" grep -q 'sys/kernel/btf/vmlinux' <<<"$OUT"
expect "$ATTACK: adopt: status --check dev-mem under the cover exits non-zero" \
	bash -c "! $R status --check dev-mem >/dev/null 2>&1"
umount $V
"$R" status 2>&1 | head -3 | sed 's/^/    | status with the real BTF: /' >&2
if [ -n "$differs" ]; then
	expect "$ATTACK: adopt: with the cover gone, status --check dev-mem exits non-zero (not ratchet's programs)" \
		bash -c "! $R status --check dev-mem >/dev/null 2>&1"
else
	skip "$ATTACK: adopt: no enum of ratchet's BPF relocates here (no enum dentry_flags): the look-alike is ratchet's own lock"
fi
