#!/bin/bash
# rt17-getattr-hide.sh - red team 17: status's walk of every process's
# files (src/residue.c, scan_fds()) statx()es each /proc/PID/fd link and
# skips one whose statx() fails (link_stat() != 0: `continue`). After the
# lock, fmod_ret on security_inode_getattr (vfs_getattr(), fs/stat.c, 6.1
# to 7.2; not one of ratchet's hooks, so allowed) refuses it with EACCES
# for a process named ratchet on /dev/mem's inode (rdev 1:1): status then
# lists no holder of /dev/mem and calls its list whole, where a faked
# getdents64() (a documented residual) at least leaves the walk to say so
# for /proc itself. Now a link statx() cannot tell ends the walk as not
# whole, unless it is gone: a mapping, or an fd that kcmp(KCMP_FILE) says
# the thread's table does not have (EBADF; its one hook refuses with
# EPERM), so -ENOENT (the second run) hides nothing either. The checks
# marked "ratchet:" FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt17-getattr-hide
X=build/tests/ratchet-rt12
mkdir -p "$T/naive" && cp /usr/bin/stat "$T/naive/ratchet"
sleep 600 3</dev/mem &
h1=$!
sleep 0.3
expect "$ATTACK: naive: before the program, a stat named ratchet of the holder's fd works" \
	"$T/naive/ratchet" -L "/proc/$h1/fd/3"
expect "$ATTACK: lock" run 0 "$R" lock dev-mem kexec bpf-read-kernel bpf-write-user
try "$R" status
expect "$ATTACK: without the program, status names the holder of /dev/mem" \
	grep -q 'holds /dev/mem' <<<"$OUT"
for ret in -13 -2; do
	rm -f /sys/fs/bpf/rt17-getattr
	expect "$ATTACK: after the lock: the getattr refuser ($ret) attaches" \
		run 0 $X getattr 0x100001 $ret /sys/fs/bpf/rt17-getattr
	expect "$ATTACK: naive: ($ret) a stat named ratchet of the holder's fd is refused" \
		bash -c "! $T/naive/ratchet -L /proc/$h1/fd/3 >/dev/null 2>&1"
	try "$R" status
	grep -E 'holds /dev/mem|not whole|NOT ENFORCED' <<<"$OUT" | indent >&2
	expect "$ATTACK: ratchet: ($ret) status still names the holder of /dev/mem, or says its list is not whole" \
		grep -qE 'holds /dev/mem|the list of guarded files held open is not whole' <<<"$OUT"
	"$R" status --json >"$T/s.json" 2>/dev/null
	expect "$ATTACK: ratchet: ($ret) status --json lists the holder, or says the list is incomplete" \
		gojq -e '[.. | objects | select(has("survives_the_lock")) | .survives_the_lock | ((.guarded_files_open | length) > 0 or (.incomplete | length) > 0)] | any' "$T/s.json"
done
rm -f /sys/fs/bpf/rt17-getattr
kill $h1
