#!/bin/bash
# test_cli.sh - argument errors, exit codes and JSON of the CLI, built with
# ASan and UBSan. Host-safe: nothing here may reach a lock's preflight as
# root, because the host kernel must never get a BPF program attached.
set -u
R=${RATCHET:-build/unit/ratchet-asan}
export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1

check() { # check NAME COMMAND...: PASS if the command succeeds
	local name=$1; shift
	if "$@" >/dev/null 2>&1; then echo "PASS cli: $name"; else echo "FAIL cli: $name"; fi
}
rc_is() { # rc_is WANT COMMAND...
	local want=$1; shift
	"$@" >/tmp/ratchet-cli.out 2>/tmp/ratchet-cli.err
	[ $? -eq "$want" ]
}
err_has() { grep -q -- "$1" /tmp/ratchet-cli.err; }

check "no command is exit 2" rc_is 2 $R
check "unknown command is exit 2" rc_is 2 $R frobnicate
check "help is exit 0" rc_is 0 $R --help
check "list is exit 0" rc_is 0 $R list
check "list --bogus is exit 2" rc_is 2 $R list --bogus
check "status is exit 0" rc_is 0 $R status
check "status says whether it can enforce" bash -c "$R status | grep -q 'cannot enforce here\|^ratchet: '"
check "status --bogus is exit 2" rc_is 2 $R status --bogus
check "lock without names is exit 2" rc_is 2 $R lock
rc_is 2 $R lock; check "lock without names lists valid names" err_has "valid names: integrity confidentiality"
check "lock --permissive without names is exit 2" rc_is 2 $R lock --permissive
check "lock of an unknown name is exit 2" rc_is 2 $R lock dev-mem no-such-thing
rc_is 2 $R lock dev-mem no-such-thing
check "unknown name is named" err_has "unknown restriction 'no-such-thing'"
check "unknown name lists valid names" err_has "kexec-image"
check "an option after lock is a usage error" rc_is 2 $R lock --force dev-mem
if command -v setpriv >/dev/null; then
	check "lock as non-root is exit 1" rc_is 1 setpriv --reuid=65534 --regid=65534 --clear-groups $R lock dev-mem
	check "non-root is told to be root" err_has "needs root"
	check "status as non-root is exit 0" rc_is 0 setpriv --reuid=65534 --regid=65534 --clear-groups $R status
fi

# JSON: every line of list and status parses, with the promised fields.
check "list --json parses" bash -c "$R list --json | jq -e . >/dev/null"
check "list --json: every entry has name, class, description, present" bash -c \
	"$R list --json | jq -e 'length > 25 and all(.[]; (.name|type==\"string\") and (.class|IN(\"integrity\",\"confidentiality\",\"extra\")) and (.description|length>10) and (.present|type==\"boolean\"))'"
check "list --json: names are unique" bash -c "[ \$($R list --json | jq -r '.[].name' | sort | uniq -d | wc -l) -eq 0 ]"
check "list --json: names are kernel names lower-cased" bash -c \
	"$R list --json | jq -e 'all(.[]; .name|test(\"^[a-z0-9]+(-[a-z0-9]+)*$\"))'"
check "list --json: the three extras" bash -c "$R list --json | jq -e '[.[]|select(.class==\"extra\")|.name]==[\"modules\",\"kexec-image\",\"sysctl\"]'"
check "status --json parses" bash -c "$R status --json | jq -e '.ratchet.locked|type==\"boolean\"'"
check "status --json: kernel posture" bash -c \
	"$R status --json | jq -e '.kernel|has(\"lockdown\") and has(\"bpf_lsm\") and has(\"kexec_load_disabled\") and has(\"modules_disabled\") and has(\"ftrace_enabled\") and has(\"kexec_loaded\") and has(\"kexec_crash_loaded\") and has(\"secure_boot\")'"
rm -f /tmp/ratchet-cli.out /tmp/ratchet-cli.err

# One table drives the docs: the man page lists exactly the catalogue.
check "man/ratchet.8 is generated from the current catalogue (make man)" bash -c \
	"man/gen-restrictions build/ratchet | cmp -s - man/ratchet.8"
check "man/ratchet.8 renders without warnings" bash -c "[ -z \"\$(groff -man -Tutf8 -ww man/ratchet.8 2>&1 >/dev/null)\" ]"
