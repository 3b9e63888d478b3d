#!/bin/bash
# rt19-mapgone.sh - red team 19: rt17-getattr-hide.sh with a mapping.
# status's walk of open files (src/residue.c) now ends as not whole on a
# link statx() cannot tell, unless link_gone() says it is gone; for a
# mapping (/proc/PID/map_files, tid 0) link_gone() believes -ENOENT
# outright ("if (!tid) return true"). statx() follows the map_files link
# to the mapped file (map_files_get_link(), fs/proc/base.c) and asks
# security_inode_getattr() about that file's inode (vfs_getattr(),
# fs/stat.c, 6.1 to 7.2), so the same fmod_ret program as red team 17's
# (not on ratchet's hooks, allowed after the lock), answering -ENOENT to a
# process named ratchet on /dev/mem's inode, hides a mapping of /dev/mem
# made before the lock (its fd closed): status lists no holder and calls
# its list whole. -EACCES (first run) is the control: not whole. The
# checks marked "ratchet:" FAIL while the hole exists.
# Closed: a mapping is gone only if its thread's maps, read whole through
# the fresh proc instance, no longer list its range (mapping_gone(),
# src/residue.c); a refused or faked read is not an answer.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt19-mapgone
X=build/tests/ratchet-rt12
mkdir -p "$T"
/usr/bin/python3 -c '
import ctypes, os, time
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
fd = os.open("/dev/mem", os.O_RDONLY)
a = libc.mmap(None, 4096, 1, 1, fd, 0)
assert a not in (None, ctypes.c_void_p(-1).value)
os.close(fd)
open("'"$T"'/map.up", "w").close()
while True:
    ctypes.string_at(a, 16)
    time.sleep(1)
' &
h=$!
for _ in $(seq 100); do [ -e "$T/map.up" ] && break; sleep 0.1; done
expect "$ATTACK: naive: a process maps /dev/mem, its fd closed" grep -q ' /dev/mem$' /proc/$h/maps
expect "$ATTACK: lock" run 0 "$R" lock dev-mem kexec bpf-read-kernel bpf-write-user
try "$R" status
expect "$ATTACK: without the program, status names the mapping's holder of /dev/mem" \
	grep -q "\[$h\] holds /dev/mem" <<<"$OUT"
for ret in -13 -2; do
	rm -f /sys/fs/bpf/rt19-getattr
	expect "$ATTACK: after the lock: the getattr refuser ($ret) attaches" \
		run 0 $X getattr 0x100001 $ret /sys/fs/bpf/rt19-getattr
	expect "$ATTACK: naive: ($ret) the holder still maps /dev/mem and reads it" \
		grep -q ' /dev/mem$' /proc/$h/maps
	try "$R" status
	grep -E 'holds /dev/mem|not whole|NOT ENFORCED' <<<"$OUT" | indent >&2
	expect "$ATTACK: ratchet: ($ret) status still names the holder of /dev/mem, or says its list is not whole" \
		grep -qE 'holds /dev/mem|the list of guarded files held open is not whole' <<<"$OUT"
	"$R" status --json >"$T/s.json" 2>/dev/null
	expect "$ATTACK: ratchet: ($ret) status --json lists the holder, or says the list is incomplete" \
		gojq -e '[.. | objects | select(has("survives_the_lock")) | .survives_the_lock | ((.guarded_files_open | length) > 0 or (.incomplete | length) > 0)] | any' "$T/s.json"
done
rm -f /sys/fs/bpf/rt19-getattr
kill $h
