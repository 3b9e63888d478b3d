#!/bin/bash
# rt5-ext4-nokey.sh - red team 5 (written by reading, not run yet): the
# seal's allowlist looks at each chain mountpoint's own d_revalidate
# (safe_mountpoint(), bpf/mounts.h), but d_invalidate() of any dentry
# ABOVE a mountpoint detaches it (fs/dcache.c, d_walk() + find_submount).
# On 6.1, ext4 gives fscrypt's d_revalidate only to no-key names
# (ext4_lookup_entry() -> generic_set_encrypted_ci_d_ops(), fs/libfs.c),
# so a plaintext directory made, with the key, inside a directory whose
# dentry is a no-key name has none; /run is a bind of it
# (tests/vm/tools/nokey.c), ratchet's tmpfs sits on ext4's child/ratchet
# and the first lock seals. Then a lookup of the no-key path fails
# fscrypt_d_revalidate() (the key is there now, fs/crypto/fname.c) and
# lookup_fast() (fs/namei.c) d_invalidate()s it: ratchet's tmpfs goes with
# the pin bpffs, and dev-mem opens. 6.12 and 7.2 set fscrypt's d_op on
# every ext4 dentry (sb->s_d_op, generic_set_sb_d_ops(), 6.7+): the lock
# refuses any ext4 mountpoint there, and this passes.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt5-ext4-nokey
V=/tmp/rt5-ext4
N=build/tests/ratchet-nokey

if ! modprobe -a loop ext4 2>/dev/null || ! command -v mkfs.ext4 >/dev/null ||
	! truncate -s 64M /tmp/rt5.img || ! mkfs.ext4 -q -F -O encrypt /tmp/rt5.img >/dev/null ||
	! mkdir -p "$V" || ! mount -o loop /tmp/rt5.img "$V"; then
	skip "$ATTACK: no ext4 with encryption here (module, e2fsprogs or a loop device)"
	exit 0
fi
P=$($N "$V" /run)
C=$?
if [ "$C" != 0 ]; then
	skip "$ATTACK: fscrypt set-up refused here ($C)"
	exit 0
fi
echo "    | no-key parent: $P" >&2
expect "$ATTACK: naive: /run is ext4 now" bash -c "[ \$(stat -f -c %T /run) = ext2/ext3 ]"
try "$R" lock dev-mem kexec
L=$RC
echo "    | ratchet lock exited $L" >&2
expect "$ATTACK: ratchet: a lock that exits 0 leaves /run/ratchet mounted" \
	bash -c "[ $L != 0 ] || grep -q ' /run/ratchet ' /proc/self/mountinfo"
# The lookup that fails revalidation, through the file system's own mount.
stat "$P" >/dev/null 2>&1
ls "$V/e" >/dev/null 2>&1
sleep 2
expect "$ATTACK: ratchet: the lock exited non-zero, or dev-mem is still refused after the lookup" \
	bash -c "[ $L != 0 ] || is dev-mem 1"
"$R" status 2>&1 | head -4 | sed 's/^/    | status: /' >&2
expect "$ATTACK: ratchet: status --check dev-mem does not pass while dev-mem opens" \
	bash -c "! $R status --check dev-mem >/dev/null 2>&1 || is dev-mem 1"
