#!/bin/bash
# collateral.sh - after a lock, the tools people use on BPF keep working,
# and the sysctl program still cannot be unhooked.
set -u
. tests/vm/lib.sh
# systemd mounts cgroup2 nsdelegate,memory_recursiveprot; those options
# belong to the one hierarchy, and any cgroup2 mount in the initial cgroup
# namespace sets them (apply_cgroup_root_flags(), kernel/cgroup/cgroup.c):
# a lock or status that mounted one without options would switch them off
# for the whole machine.
opts() { grep ' /sys/fs/cgroup ' /proc/self/mountinfo | grep -o 'nsdelegate\|memory_recursiveprot' | xargs; }
expect "collateral: cgroup2 remounted nsdelegate,memory_recursiveprot" \
	mount -o remount,nsdelegate,memory_recursiveprot /sys/fs/cgroup
expect "collateral: lock dev-mem" bash -c "$R lock dev-mem >/dev/null"
$R status >/dev/null 2>&1
expect "collateral: the lock and status left the cgroup2 options as they were ($(opts))" \
	test "$(opts)" = "nsdelegate memory_recursiveprot"
expect "collateral: bpftool prog list works and shows ratchet's programs" bash -c "bpftool prog list | grep -q ratchet_locked_down"
expect "collateral: bpftool link list works" bash -c "bpftool link list >/dev/null"
expect "collateral: bpftool map list works" bash -c "bpftool map list >/dev/null"
id=$(bpftool -j cgroup show /sys/fs/cgroup | gojq -r '.[]|select((.attach_type=="sysctl" or .attach_type=="cgroup_sysctl") and .name=="ratchet_sysctl").id')
expect "collateral: the sysctl program is attached at the cgroup root" test -n "$id"
expect "collateral: bpftool cgroup detach of it is refused" bash -c "! bpftool cgroup detach /sys/fs/cgroup sysctl id $id 2>/dev/null"
expect "collateral: it is still attached" bash -c "bpftool -j cgroup show /sys/fs/cgroup | gojq -e '.[]|select(.id==$id)' >/dev/null"
expect "collateral: and ftrace_enabled still cannot go to 0" bash -c "! sysctl -qw kernel.ftrace_enabled=0 2>/dev/null"
