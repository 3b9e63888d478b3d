#!/bin/bash
# rt2-cgroup.sh - red team 2: "the cgroup v2 root" is whatever is mounted
# at /sys/fs/cgroup (src/bpf.c attach_sysctl(), root_sysctls(); src/facts.c
# match_sysctl(): a path, checked only for CGROUP2_SUPER_MAGIC, which a
# child cgroup's directory has too). Before the first lock root
# bind-mounts an empty child cgroup over /sys/fs/cgroup: ratchet attaches
# its cgroup/sysctl program there, finds it there "last at the root",
# seals and exits 0, and status says the sysctl guard is attached. A
# process outside that child (root's shell in the real root cgroup) then
# writes kernel.ftrace_enabled=0, which only programs of its own cgroup and
# its ancestors see (compute_effective_progs(), kernel/bpf/cgroup.c, 6.1
# to 7.2): every trampoline goes off and dev-mem opens. The checks FAIL
# while the hole exists. (A fresh cgroup2 mount would find the real root,
# but it also resets the hierarchy's mount options: see collateral.sh.)
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt2-cgroup
F=/proc/sys/kernel/ftrace_enabled
CG=/sys/fs/cgroup

echo "    | this shell's cgroup: $(cat /proc/self/cgroup)" >&2
mkdir -p $CG/rt2decoy
expect "$ATTACK: naive: root bind-mounts an empty child cgroup over $CG" \
	mount --bind $CG/rt2decoy $CG
try $R lock dev-mem kexec
echo "    | ratchet lock exited $RC" >&2
# The root cgroup is held to its inode (kfs_cgroup_root()): a cover is
# refused, with nothing locked; once it is gone the lock attaches at the
# real root. Exiting 0 with the cover in place is the hole.
if [ "$RC" != 0 ]; then
	expect "$ATTACK: ratchet: the lock refuses the covered root cgroup and says so" \
		grep -q 'cgroup v2' <<<"$OUT"
	expect "$ATTACK: ratchet: ... and locked nothing" is dev-mem 0
	umount $CG
	expect "$ATTACK: ratchet: with the cover gone, the lock goes through" run 0 $R lock dev-mem kexec
fi
expect "$ATTACK: ratchet: dev-mem refused after the lock" is dev-mem 1
"$R" status 2>&1 | head -3 | sed 's/^/    | status: /' >&2
expect "$ATTACK: ratchet: echo 0 > $F is refused from the real root cgroup" refused bash -c "echo 0 >$F"
expect "$ATTACK: ratchet: dev-mem is still refused" is dev-mem 1
expect "$ATTACK: ratchet: status --check dev-mem does not pass while dev-mem opens" \
	bash -c "! $R status --check dev-mem >/dev/null 2>&1 || is dev-mem 1"
echo 1 >$F 2>/dev/null
