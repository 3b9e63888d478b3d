#!/bin/bash
# rt19-fdopen.sh - red team 19: status's walk of open files
# (src/residue.c) skips, in silence, an fd table or a mapping directory
# it cannot open: scan_fds() returns when kfs_opendir() fails ("if (!(fds
# = kfs_opendir(...))) return;"), and scan_pid() likewise for PID/task.
# Only the proc root's listing is held to its end (kfs_dir_whole()), and
# only a listed link that statx() cannot tell ends the walk as not whole.
# An fmod_ret program on security_file_open (do_dentry_open(),
# fs/open.c, 6.1 to 7.2; not one of ratchet's hooks, so allowed after the
# lock; direct reads only, so a lock of bpf-read-kernel and
# bpf-write-user does not stop it) refuses, for a process named ratchet,
# the open of /proc/H/task/H/fd and /proc/H/map_files of the holder H of
# /dev/mem: status lists no holder and calls its list whole. Not the
# documented residual (a faked getdents64() count): this is an open
# that fails with an error status throws away. The checks marked
# "ratchet:" FAIL while the hole exists.
# Closed: a directory of a thread that kcmp() does not call gone (ESRCH,
# asked before its one hook) and that cannot be opened ends the walk as
# not whole (thread_gone(), src/residue.c).
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt19-fdopen
X=build/tests/ratchet-rt19
mkdir -p "$T"
sleep 600 3</dev/mem &
h=$!
sleep 0.3
expect "$ATTACK: naive: a process holds /dev/mem open from before the lock" \
	bash -c "ls -l /proc/$h/fd/ | grep -q /dev/mem"
expect "$ATTACK: lock" run 0 "$R" lock dev-mem kexec bpf-read-kernel bpf-write-user
try "$R" status
expect "$ATTACK: without the program, status names the holder of /dev/mem" \
	grep -q "\[$h\] holds /dev/mem" <<<"$OUT"
rm -f /sys/fs/bpf/rt19-open
expect "$ATTACK: after the lock: the open refuser for /proc/$h's fd tables attaches" \
	run 0 $X open "$h" -13 /sys/fs/bpf/rt19-open
expect "$ATTACK: naive: the holder still holds /dev/mem" \
	bash -c "ls -l /proc/$h/fd/ | grep -q /dev/mem"
try "$R" status
grep -E 'holds /dev/mem|not whole|NOT ENFORCED' <<<"$OUT" | indent >&2
expect "$ATTACK: ratchet: status still names the holder of /dev/mem, or says its list is not whole" \
	grep -qE 'holds /dev/mem|the list of guarded files held open is not whole' <<<"$OUT"
"$R" status --json >"$T/s.json" 2>/dev/null
expect "$ATTACK: ratchet: status --json lists the holder, or says the list is incomplete" \
	gojq -e '[.. | objects | select(has("survives_the_lock")) | .survives_the_lock | ((.guarded_files_open | length) > 0 or (.incomplete | length) > 0)] | any' "$T/s.json"
rm -f /sys/fs/bpf/rt19-open
kill $h
