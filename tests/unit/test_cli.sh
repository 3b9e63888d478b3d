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

# --help and --version: exit 0, on stdout, the right command's usage.
check "--version is exit 0" rc_is 0 $R --version
check "--version prints the version of debian/changelog" bash -c \
	"[ \"\$($R --version)\" = \"ratchet \$(dpkg-parsechangelog -l debian/changelog -S Version)\" ]"
for c in check apply lock list monitor status; do
	check "$c --help is exit 0" rc_is 0 $R $c --help
	check "$c --help prints its usage on stdout" bash -c "$R $c --help 2>/dev/null | grep -q '^usage: ratchet $c '"
	check "$c -h is $c --help" bash -c "[ \"\$($R $c -h)\" = \"\$($R $c --help)\" ]"
	check "help $c is $c --help" bash -c "[ \"\$($R help $c)\" = \"\$($R $c --help)\" ]"
	check "$c --bogus is exit 2, naming it" bash -c \
		"$R $c --bogus 2>&1 >/dev/null | grep \"ratchet $c: unknown option '--bogus'\" >/dev/null; [ \${PIPESTATUS[0]} -eq 2 ]"
done
check "a missing option argument is exit 2" rc_is 2 $R check --config
check "status: two formats at once is exit 2" rc_is 2 $R status --json --prometheus
check "status --check without names is exit 2" rc_is 2 $R status --check

# status --check: exit 1 naming what is not enforced (nothing is, here);
# a bad name is a usage error.
check "status --check of an unlocked restriction is exit 1" rc_is 1 $R status --check dev-mem
check "status --check names it" bash -c "$R status --check kcore dev-mem | grep -qx 'ratchet: not enforced: dev-mem (off)'"
check "status --check expands a preset" bash -c "[ \$($R status --check integrity | grep -c 'not enforced') -eq \
	\$(tests/rjson list | jq '[.restrictions[]|select(.class==\"integrity\" and .present)]|length') ]"
check "status --check of a sysctl knob is exit 1" rc_is 1 $R status --check sysctl:kernel.sysrq
check "status --check of an unknown name is exit 2" rc_is 2 $R status --check dev-mem no-such-thing
check "status --check of an unknown knob is exit 2" rc_is 2 $R status --check sysctl:kernel.nope

# Prometheus: promtool's parser and linter accept it; --output replaces
# the file whole and leaves no temporary file behind.
P=$(mktemp -d /tmp/ratchet-prom.XXXXXX)
check "status --prometheus passes promtool check metrics" bash -c \
	"$R status --prometheus >$P/a.prom && promtool check metrics <$P/a.prom && [ -z \"\$(promtool check metrics <$P/a.prom 2>&1)\" ]"
check "status --prometheus: a series per present restriction" bash -c \
	"[ \$(grep -c '^ratchet_restriction_enforced{' $P/a.prom) -eq \$(tests/rjson list | jq '[.restrictions[]|select(.present)]|length') ]"
echo stale >$P/m.prom
check "status --output FILE replaces FILE" bash -c \
	"$R status --prometheus --output $P/m.prom && cmp -s $P/m.prom $P/a.prom"
check "status --output leaves no temporary file" bash -c "[ \$(ls -A $P | wc -l) -eq 2 ]"
check "status --output FILE is world-readable (node_exporter's own user)" bash -c "[ \$(stat -c %a $P/m.prom) = 644 ]"
check "status --output into a missing directory is exit 1" rc_is 1 $R status --prometheus --output $P/none/m.prom
rm -rf "$P"

# JSON: each output a test reads goes through tests/rjson, which holds it
# to schema/ (its PASS/FAIL lines come at the end).
export RATCHET=$R RATCHET_JSON_LOG=$(mktemp -d /tmp/ratchet-json.XXXXXX)
check "every schema is a valid JSON Schema whose \$id ends in its version" tests/json-check --schemas
check "list --json: more than 25 restrictions" bash -c "tests/rjson list | jq -e '.restrictions|length > 25'"
check "list --json: names are unique" bash -c "[ \$(tests/rjson list | jq -r '.restrictions[].name' | sort | uniq -d | wc -l) -eq 0 ]"
check "list --json: the three extras" bash -c "tests/rjson list | jq -e '[.restrictions[]|select(.class==\"extra\")|.name]==[\"modules\",\"kexec-image\",\"sysctl\"]'"
check "status --json: not locked here" bash -c "tests/rjson status | jq -e '.ratchet.locked==false'"
check "--json outputs carry the schema version" bash -c \
	"[ \$(tests/rjson list | jq .schema_version) = \$(jq .properties.schema_version.const schema/list.schema.json) ] &&
	 [ \$(tests/rjson status | jq .schema_version) = \$(jq .properties.schema_version.const schema/status.schema.json) ]"
tests/json-check --dir "$RATCHET_JSON_LOG" cli:
rm -rf "$RATCHET_JSON_LOG"
unset RATCHET_JSON_LOG
rm -f /tmp/ratchet-cli.out /tmp/ratchet-cli.err

# One table drives the docs: the man page lists exactly the catalogue.
check "man/ratchet.8 is generated from the current catalogue (make man)" bash -c \
	"man/gen-restrictions build/ratchet | cmp -s - man/ratchet.8"
check "man/ratchet.8 renders without warnings" bash -c "[ -z \"\$(groff -man -Tutf8 -ww man/ratchet.8 2>&1 >/dev/null)\" ]"
