#!/bin/bash
# vm-append: crashkernel=160M
# kexec-stage.sh - the seed's scenario 3: load a crash kernel early, then
# lock kexec so nobody can replace it. kexec-tools' exit status does not
# say which syscall it made or how that one ended, so every verdict comes
# from strace or /sys.
set -u
. tests/vm/lib.sh
img=$(compgen -G 'build/vm/root-6.12/boot/vmlinuz-*' | head -1)
[ -n "$img" ] || { fail "kexec: no kernel image under build/vm/root-6.12/boot"; exit 0; }
sys() { kexec_result "$img" "$@"; }

expect "kexec: crashkernel memory is reserved" test "$(cat /sys/kernel/kexec_crash_size)" -gt 0
expect "kexec: kexec -p loads a crash kernel (syscall returned 0)" test "$(sys -p)" = "= 0"
expect "kexec: crash image loaded" test "$(cat /sys/kernel/kexec_crash_loaded)" = 1
expect "kexec: lock kexec kexec-image with a crash image loaded" bash -c "$R lock kexec kexec-image >/dev/null"
expect "kexec: the crash image is still loaded" test "$(cat /sys/kernel/kexec_crash_loaded)" = 1
expect "kexec: kexec -p again is refused (EPERM)" test "$(sys -p)" = "= -1 EPERM"
expect "kexec: kexec -l is refused (EPERM)" test "$(sys -l)" = "= -1 EPERM"
expect "kexec: kexec -s -l is refused (EPERM)" test "$(sys -s -l)" = "= -1 EPERM"
expect "kexec: no reboot image got loaded" test "$(cat /sys/kernel/kexec_loaded)" = 0
expect "kexec: the crash image survived it all" test "$(cat /sys/kernel/kexec_crash_loaded)" = 1
