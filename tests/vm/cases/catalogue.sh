#!/bin/bash
# catalogue.sh - in a fresh guest: list/status on a kernel that can enforce,
# coverage of every present restriction, and the exit-3 refusal.
set -u
. tests/vm/lib.sh

expect "list --json parses in the guest" bash -c "tests/rjson list | gojq -e '.restrictions|length > 25' >/dev/null"
expect "status: bpf is an active LSM" bash -c "tests/rjson status | gojq -e '.kernel.bpf_lsm == true and .ratchet.can_enforce' >/dev/null"
expect "status: nothing locked yet" bash -c "tests/rjson status | gojq -e '.ratchet.locked == false' >/dev/null"
for n in $(tests/rjson list | gojq -r '.restrictions[]|select(.present).name'); do
	# Covered by a row of ops.tsv, or by a case file of its own.
	if awk -F'\t' -v n="$n" '$1 == n { f = 1 } END { exit !f }' tests/vm/ops.tsv ||
		[ -e "tests/vm/cases/$n.sh" ]; then
		continue
	elif why=$(awk -F'\t' -v n="$n" '$1 == n { print $2; f = 1 } END { exit !f }' tests/vm/skips.tsv); then
		skip "$n: $why"
	else
		fail "$n: present in this kernel but neither tested nor skipped"
	fi
done

# Exit 3: with ftrace off an attach would enforce nothing, so lock refuses.
sysctl -qw kernel.ftrace_enabled=0
$R lock dev-mem 2>"$T"/err
expect "lock with ftrace_enabled=0 exits 3" test $? -eq 3
expect "exit 3 names the fix" grep -q "sysctl kernel.ftrace_enabled=1" "$T"/err
expect "exit 3 left nothing locked" bash -c "tests/rjson status | gojq -e '.ratchet.locked == false' >/dev/null"
sysctl -qw kernel.ftrace_enabled=1

# Hook prototypes come from this kernel's BTF: all as ratchet reads them.
expect "status: every LSM hook ratchet attaches to is as it reads it" bash -c \
	"$R status --json | gojq -e '.kernel.lsm_hooks | length > 5 and all(.state == \"ok\")' >/dev/null"
params=$($R status --json | gojq -r '.kernel.lsm_hooks[] | select(.hook == "bpf").kernel_params')
echo "    | security_bpf here: ($params)" >&2
expect "status: security_bpf's prototype is shown as the kernel declares it ($params)" \
	grep -qE '^cmd,attr,size(,kernel)?$' <<<"$params"
