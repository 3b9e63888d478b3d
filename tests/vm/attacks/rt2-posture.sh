#!/bin/bash
# rt2-posture.sh - red team 2: the kernel facts a lock rests on besides
# its objects are read from paths (src/posture.c): kernel.ftrace_enabled
# from /proc/sys/kernel/ftrace_enabled. Before the first lock root sets it
# to 0 and bind-mounts a file saying 1 over it. With ftrace off,
# ftrace_startup() registers the trampolines' ftrace_ops but
# ftrace_startup_enable() patches no call site (kernel/trace/ftrace.c,
# 6.1, 6.12, 7.2): every program attaches and none runs. `ratchet lock`
# reads 1, locks, verifies by the kernel's facts and exits 0; status says
# enforced; dev-mem opens. The checks FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
. tests/vm/tools/rt2-lib.sh
ATTACK=rt2-posture
F=/proc/sys/kernel/ftrace_enabled
mkdir -p "$T"

expect "$ATTACK: before: dev-mem allowed" is dev-mem 0
echo 0 >"$F"
echo 1 >"$T/one"
expect "$ATTACK: naive: root turns ftrace off and covers $F with a file saying 1" \
	bash -c "mount --bind $T/one $F && test \$(cat $F) = 1"
rt2_lock_devmem
umount "$F"
echo "    | the real ftrace_enabled: $(cat $F)" >&2
