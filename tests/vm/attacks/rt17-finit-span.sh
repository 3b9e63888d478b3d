#!/bin/bash
# rt17-finit-span.sh - red team 17: a finit_module() begun before the
# lock, loaded after it. kernel_read_file() asks
# security_kernel_read_file(READING_MODULE) (ratchet's kernel_read_file
# hook) before it reads the file, then reads it, then asks only
# security_kernel_post_read_file(), which ratchet does not hook
# (fs/kernel_read_file.c, kernel/module/main.c, 6.1 to 7.2). The module
# file is served by a FUSE daemon of root's (tests/vm/tools/fuse-one.py) that holds
# its first READ until told: the load waits past ratchet's check while
# `ratchet lock modules` seals and exits 0, then loads. The checks marked
# "ratchet:" FAIL while the hole exists. Now ratchet asks again once the
# bytes are in (its programs on kernel_post_load_data and
# kernel_post_read_file, bpf/enforce.h): the held load is refused there,
# and counted as a denial of modules.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt17-finit-span
denials() { tests/rjson status | gojq '.ratchet.restrictions[]|select(.name=="modules").denials'; }
M=dummy
mkdir -p "$T/m"
module_copy $M
modprobe fuse 2>/dev/null
rm -f "$T/ready" "$T/go"
/usr/bin/python3 tests/vm/tools/fuse-one.py "$T/m" "$T/$M.ko" "$T/ready" "$T/go" 2>"$T/fuse.err" &
fusep=$!
for _ in $(seq 100); do [ -e "$T/m/f" ] && break; sleep 0.1; done
indent <"$T/fuse.err" >&2
/usr/bin/python3 -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open(sys.argv[1], os.O_RDONLY)
r = libc.syscall(313, fd, b"", 0)  # finit_module
print("finit_module returned", r, os.strerror(ctypes.get_errno()) if r else "")
sys.exit(0 if r == 0 else 1)' "$T/m/f" >"$T/fi.out" 2>&1 &
fi=$!
for _ in $(seq 300); do [ -e "$T/ready" ] && break; sleep 0.1; done
expect "$ATTACK: naive: finit_module waits at its read, past ratchet's check" test -e "$T/ready"
try $R lock modules dev-mem kexec bpf-read-kernel
expect "$ATTACK: naive: the lock ran with the load in flight (exit $RC)" test "$RC" = 0
expect "$ATTACK: after the lock a new module load is refused" is module-signed 1
d0=$(denials)
touch "$T/go"
wait $fi
frc=$?
indent <"$T/fi.out" >&2
expect "$ATTACK: ratchet: the finit_module begun before the lock does not load after it (exit $frc)" \
	test "$frc" != 0
expect "$ATTACK: ratchet: $M is not loaded after a lock of modules that exited 0" \
	bash -c "! grep -q '^$M ' /proc/modules"
grep "^$M " /proc/modules | indent >&2
expect "$ATTACK: ratchet: the refusal after the read is counted as a denial of modules ($d0 before, $(denials) after)" \
	test "$(denials)" -gt "$d0"
expect "$ATTACK: status --check modules passes" run 0 $R status --check modules
umount -l "$T/m"
kill $fusep 2>/dev/null
