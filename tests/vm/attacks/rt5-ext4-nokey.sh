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
# every ext4 dentry (sb->s_d_op, generic_set_sb_d_ops(), 6.7+), and clear
# DCACHE_OP_REVALIDATE at lookup on every name that is not a no-key name.
# ratchet now walks every dentry from a chain mountpoint up to its
# superblock's root and refuses one with that flag (bpf/mounts.h,
# nothing_invalidates()). Then /run becomes a plain directory of the same
# ext4 and the lock must seal: reading the d_op pointer instead of the
# flag refused every ext4 mountpoint on 6.12 and 7.2 (a stock Debian 13
# with an ext4 root could not lock; the suite's overlay root hid it).
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt5-ext4-nokey
V=/tmp/rt5-ext4
N=build/tests/ratchet-nokey

# fscrypt's ciphers: the kernel's own module requests run in the guest's
# initramfs root, which has none, so they are loaded here (the ones built
# in, per kernel, are not found and do not matter).
for m in sha512_generic xts cts; do modprobe "$m" 2>/dev/null; done
if ! modprobe -a loop ext4 2>/dev/null || ! command -v mkfs.ext4 >/dev/null ||
	! truncate -s 64M /tmp/rt5.img || ! mkfs.ext4 -q -F -O encrypt /tmp/rt5.img >/dev/null ||
	! mkdir -p "$V" || ! mount -o loop /tmp/rt5.img "$V"; then
	skip "$ATTACK: no ext4 with encryption here (module, e2fsprogs or a loop device)"
	exit 0
fi
mkdir -p "$T"
P=$($N "$V" /run 2>"$T/nokey.err")
C=$?
if [ "$C" != 0 ]; then
	skip "$ATTACK: fscrypt set-up refused here ($C: $(tr '\n' ' ' <"$T/nokey.err"))"
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
if [ "$L" = 0 ]; then
	skip "$ATTACK: the no-key lock sealed: no second lock on a plain ext4 /run"
	exit 0
fi
umount /run
mkdir -p "$V/plain"
mount --bind "$V/plain" /run
expect "$ATTACK: ratchet: with /run a plain ext4 directory the lock seals (exit 0)" \
	run 0 "$R" lock dev-mem kexec
expect "$ATTACK: ratchet: dev-mem refused" is dev-mem 1
expect "$ATTACK: ratchet: status --check dev-mem passes" \
	run 0 "$R" status --check dev-mem
expect "$ATTACK: ratchet: status says the pins' file systems cannot detach them" \
	bash -c "tests/rjson status | gojq -e '.ratchet.pins.detachable == false' >/dev/null"
