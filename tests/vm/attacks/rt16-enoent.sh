#!/bin/bash
# rt16-enoent.sh - red team 16 (by reading), played: any LSM or fmod_ret
# program can refuse a read with -ENOENT, and ratchet took that errno
# from a fresh sysfs or proc instance for "this kernel has no such file".
# Root loads a kexec reboot image, then answers -ENOENT for a process
# named ratchet reading kernel/kexec_loaded (fmod_ret on
# security_file_permission): kexec_guard took "no file" for "no kexec,
# no image", and `ratchet lock kexec kexec-image` exited 0 with the image
# loaded (kexec -e boots it: reboot(LINUX_REBOOT_CMD_KEXEC) asks no LSM,
# kernel/reboot.c, 6.1 to 7.2). The same answer for ftrace_enabled hid
# the knob from the lock's preflight. "No such file" is now believed
# only of a kernel whose BTF lacks the function built with the file
# (src/posture.c kfs_fact()). The checks FAIL while the hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt16-enoent
X=build/tests/ratchet-rt12
SYSFS_MAGIC=0x62656572
PROC_MAGIC=0x9fa0
mkdir -p "$T/naive" && cp /bin/cat "$T/naive/ratchet"
kexec_image
img=$IMG

# The functions kfs_fact() asks the BTF for: on a kernel without one, a
# refused read of its files would pass for their absence again.
for f in kernel_kexec __crash_kexec module_put; do
	expect "$ATTACK: the kernel's BTF has $f()" bash -c \
		"bpftool btf dump file /sys/kernel/btf/vmlinux | grep -q \"FUNC '$f'\""
done

# 7.2's kernel/kexec_loaded is a symlink to kernel/kexec/loaded.
name=kexec_loaded
[ -L /sys/kernel/kexec_loaded ] && name=loaded
r=$(kexec_result "$img" -s -l)
[ "$r" = "= 0" ] || r=$(kexec_result "$img" -l)
expect "$ATTACK: naive: a reboot image is loaded ($r)" \
	test "$(cat /sys/kernel/kexec_loaded)" = 1
expect "$ATTACK: the ENOENT answer for $name attaches" \
	run 0 $X perm $SYSFS_MAGIC ${#name} 4 -2 /sys/fs/bpf/rt16-kexec
try "$T/naive/ratchet" /sys/kernel/kexec_loaded
expect "$ATTACK: naive: a cat named ratchet is told kexec_loaded does not exist" \
	grep -q 'No such file' <<<"$OUT"
try $R lock kexec kexec-image
expect "$ATTACK: ratchet: lock kexec refuses ($RC)" test "$RC" != 0
expect "$ATTACK: ... saying whether an image is loaded is unknown" \
	grep -q 'cannot read kernel/kexec_loaded' <<<"$OUT"
expect "$ATTACK: ... and nothing was locked" \
	bash -c "! $R status --check kexec >/dev/null 2>&1"
rm -f /sys/fs/bpf/rt16-kexec

expect "$ATTACK: the ENOENT answer for ftrace_enabled attaches" \
	run 0 $X perm $PROC_MAGIC 14 4 -2 /sys/fs/bpf/rt16-ftrace
try "$T/naive/ratchet" /proc/sys/kernel/ftrace_enabled
expect "$ATTACK: naive: a cat named ratchet is told ftrace_enabled does not exist" \
	grep -q 'No such file' <<<"$OUT"
try $R lock dev-mem
expect "$ATTACK: ratchet: lock dev-mem refuses ($RC)" test "$RC" != 0
expect "$ATTACK: ... saying ftrace_enabled cannot be read" \
	grep -q 'cannot read kernel.ftrace_enabled' <<<"$OUT"
rm -f /sys/fs/bpf/rt16-ftrace
expect "$ATTACK: without the answer, lock dev-mem works" run 0 $R lock dev-mem
kexec -u 2>/dev/null || :
