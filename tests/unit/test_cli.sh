#!/bin/bash
# test_cli.sh - argument errors, exit codes and JSON of the CLI, built with
# ASan and UBSan. Host-safe: nothing here may reach a lock's preflight as
# root, because the host kernel must never get a BPF program attached.
set -u
R=${RATCHET:-build/unit/ratchet-asan}
export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1

TAG=cli:
. tests/lib.sh

expect "no command is exit 2" run 2 "$R"
expect "unknown command is exit 2" run 2 "$R" frobnicate
expect "help is exit 0" run 0 "$R" --help
expect "list is exit 0" run 0 "$R" list
expect "list --bogus is exit 2" run 2 "$R" list --bogus
expect "status is exit 0" run 0 "$R" status
expect "status says whether it can enforce" bash -c "$R status | grep -q 'cannot enforce here\|^ratchet: '"
expect "status --bogus is exit 2" run 2 "$R" status --bogus
expect "lock without names is exit 2" run 2 "$R" lock
run 2 "$R" lock; expect "lock without names lists valid names" err_has "valid names: integrity confidentiality"
expect "lock --permissive without names is exit 2" run 2 "$R" lock --permissive
expect "lock of an unknown name is exit 2" run 2 "$R" lock dev-mem no-such-thing
run 2 "$R" lock dev-mem no-such-thing
expect "unknown name is named" err_has "unknown restriction 'no-such-thing'"
expect "unknown name lists valid names" err_has "kexec-image"
expect "an option after lock is a usage error" run 2 "$R" lock --force dev-mem
if command -v setpriv >/dev/null; then
	expect "lock as non-root is exit 1" run 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$R" lock dev-mem
	expect "non-root is told to be root" err_has "needs root"
	expect "status as non-root is exit 0" run 0 setpriv --reuid=65534 --regid=65534 --clear-groups "$R" status
fi

# --help and --version: exit 0, on stdout, the right command's usage.
expect "--version is exit 0" run 0 "$R" --version
expect "--version prints the version of debian/changelog" bash -c \
	"[ \"\$($R --version)\" = \"ratchet \$(dpkg-parsechangelog -l debian/changelog -S Version)\" ]"
for c in check apply lock list monitor status; do
	expect "$c --help is exit 0" run 0 "$R" $c --help
	expect "$c --help prints its usage on stdout" bash -c "$R $c --help 2>/dev/null | grep -q '^usage: ratchet $c '"
	expect "$c -h is $c --help" bash -c "[ \"\$($R $c -h)\" = \"\$($R $c --help)\" ]"
	expect "help $c is $c --help" bash -c "[ \"\$($R help $c)\" = \"\$($R $c --help)\" ]"
	expect "$c --bogus is exit 2, naming it" bash -c \
		"$R $c --bogus 2>&1 >/dev/null | grep \"ratchet $c: unknown option '--bogus'\" >/dev/null; [ \${PIPESTATUS[0]} -eq 2 ]"
done
expect "a missing option argument is exit 2" run 2 "$R" check --config
expect "status: two formats at once is exit 2" run 2 "$R" status --json --prometheus
expect "status --check without names is exit 2" run 2 "$R" status --check
expect "status --check with --verify is exit 2" run 2 "$R" status --check dev-mem --verify
# Nothing is locked here, so --verify probes nothing (no probe ever runs on
# this machine's kernel).
expect "status --verify with nothing locked: exit 0, nothing probed" \
	bash -c "$R status --verify | grep -qx 'ratchet: nothing locked' && ! $R status --verify | grep -q '^verify'"

# status --check: exit 1 naming what is not enforced (nothing is, here);
# a bad name is a usage error.
expect "status --check of an unlocked restriction is exit 1" run 1 "$R" status --check dev-mem
expect "status --check names it" bash -c "$R status --check kcore dev-mem | grep -qx 'ratchet: not enforced: dev-mem (off)'"
expect "status --check expands a preset" bash -c "[ \$($R status --check integrity | grep -c 'not enforced') -eq \
	\$(tests/rjson list | jq '[.restrictions[]|select(.class==\"integrity\" and .present)]|length') ]"
expect "status --check of a sysctl knob is exit 1" run 1 "$R" status --check sysctl:kernel.sysrq
expect "status --check of an unknown name is exit 2" run 2 "$R" status --check dev-mem no-such-thing
expect "status --check of an unknown knob is exit 2" run 2 "$R" status --check sysctl:kernel.nope

# Prometheus: promtool's parser and linter accept it; --output replaces
# the file whole and leaves no temporary file behind.
P=$T/prom
mkdir "$P"
expect "status --prometheus passes promtool check metrics" bash -c \
	"$R status --prometheus >$P/a.prom && promtool check metrics <$P/a.prom && [ -z \"\$(promtool check metrics <$P/a.prom 2>&1)\" ]"
expect "status --prometheus: a series per present restriction" bash -c \
	"[ \$(grep -c '^ratchet_restriction_enforced{' $P/a.prom) -eq \$(tests/rjson list | jq '[.restrictions[]|select(.present)]|length') ]"
echo stale >"$P/m.prom"
expect "status --output FILE replaces FILE" bash -c \
	"$R status --prometheus --output $P/m.prom && cmp -s $P/m.prom $P/a.prom"
expect "status --output leaves no temporary file" bash -c "[ \$(ls -A $P | wc -l) -eq 2 ]"
expect "status --output FILE is world-readable (node_exporter's own user)" bash -c "[ \$(stat -c %a $P/m.prom) = 644 ]"
expect "status --output into a missing directory is exit 1" run 1 "$R" status --prometheus --output "$P/none/m.prom"

# JSON: each output a test reads goes through tests/rjson, which holds it
# to schema/ (its PASS/FAIL lines come at the end).
RATCHET_JSON_LOG=$T/json
mkdir "$RATCHET_JSON_LOG"
export RATCHET=$R RATCHET_JSON_LOG
expect "every schema is a valid JSON Schema whose \$id ends in its version" tests/json-check --schemas
expect "list --json: more than 25 restrictions" bash -c "tests/rjson list | jq -e '.restrictions|length > 25'"
expect "list --json: names are unique" bash -c "[ \$(tests/rjson list | jq -r '.restrictions[].name' | sort | uniq -d | wc -l) -eq 0 ]"
expect "list --json: the extras of RATCHET_EXTRAS, in order" test \
	"$(tests/rjson list | jq -r '.restrictions[]|select(.class=="extra")|.name')" = \
	"$(build/ratchet-table extras | cut -f1)"
expect "status --json: not locked here" bash -c "tests/rjson status | jq -e '.ratchet.locked==false'"
expect "--json outputs carry the schema version" bash -c \
	"[ \$(tests/rjson list | jq .schema_version) = \$(jq .properties.schema_version.const schema/list.schema.json) ] &&
	 [ \$(tests/rjson status | jq .schema_version) = \$(jq .properties.schema_version.const schema/status.schema.json) ]"
tests/json-check --dir "$RATCHET_JSON_LOG" cli:
unset RATCHET_JSON_LOG

# One table drives the docs: the man page lists exactly the static
# catalogue, and the completion's fixed words are the table's.
for page in man/ratchet.8 man/ratchet.conf.5; do
	expect "$page is generated from the current catalogue (make man)" bash -c \
		"man/gen-page build/ratchet-table $page.in | cmp -s - $page"
	expect "$page renders without warnings" bash -c "[ -z \"\$(groff -man -Tutf8 -ww $page 2>&1 >/dev/null)\" ]"
done
expect "the man page lists every restriction ratchet list knows" bash -c \
	"[ -z \"\$(comm -23 <(tests/rjson list | jq -r '.restrictions[].name' | sort) \
		<(sed -n '/^\\.SH RESTRICTIONS/,/^\\.SH /{s/^\\.B //p}' man/ratchet.8 | sort))\" ]"
comp=dist/bash-completion/ratchet
expect "the completion offers sysctl:KNOB for exactly the table's knobs" test \
	"$(bash -c ". $comp; _ratchet_names $R" | sed -n 's/^sysctl://p' | sort)" = \
	"$(build/ratchet-table knobs | sort)"
expect "the completion offers exactly the table's presets" test \
	"$(sed -n 's/.*BEGIN { print "\([a-z]*\)"; print "\([a-z]*\)" }/\1\n\2/p' $comp)" = \
	"$(build/ratchet-table presets)"
