# shellcheck shell=bash
# lib.sh - the one vocabulary of every shell test, host and guest. Sourced,
# not run; set TAG first (what each line names after PASS: the kernel in a
# guest, "cli:" on the host). Stdout carries only the PASS/FAIL/SKIP lines
# `make check` counts; everything else goes to stderr.
#
#   pass/fail/skip WHAT   one line: PASS|FAIL|SKIP TAG WHAT
#   expect WHAT CMD...    PASS if CMD succeeds (its output to stderr)
#   run WANT CMD...       run CMD, keep its output, show it on stderr, and
#                         succeed if it exited WANT ("any": whatever)
#   rc_is WANT            the last run exited WANT
#   out_has / err_has S   the last run's stdout / stderr holds S
#
# T is a scratch directory of this test's own (mktemp), removed at exit;
# a test that sets its own EXIT trap removes it there too.

T=$(mktemp -d "${TMPDIR:-/tmp}/ratchet-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

pass() { echo "PASS $TAG $*"; }
fail() { echo "FAIL $TAG $*"; }
skip() { echo "SKIP $TAG $*"; }

expect() {
	local what=$1
	shift
	if "$@" >&2; then pass "$what"; else fail "$what"; fi
}

run() {
	local want=$1 rc
	shift
	# An attack may have unmounted the /tmp that held T.
	[ -d "$T" ] || mkdir -p "$T"
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	echo "$rc" >"$T/rc"
	{ indent <"$T/out"; indent <"$T/err"; } >&2
	[ "$want" = any ] || [ "$rc" = "$want" ] && return 0
	echo "    ($* exited $rc, wanted $want)" >&2
	return 1
}

# indent: stdin's lines, each after "    | ". The helpers every check
# runs use shell builtins, not grep, sed or cat: under emulation a
# program's start costs 35 to 90 ms, and a run makes thousands of checks.
indent() {
	local -a l
	mapfile -t l
	[ ${#l[@]} -eq 0 ] || printf '    | %s\n' "${l[@]}"
}

# slurp VAR FILE: FILE's contents in VAR, without a process.
slurp() { IFS= read -r -d '' "$1" <"$2" || true; }

rc_is() {
	local rc
	read -r rc <"$T/rc"
	[ "$rc" = "$1" ]
}
out_has() {
	local s
	slurp s "$T/out"
	[[ $s == *"$1"* ]]
}
err_has() {
	local s
	slurp s "$T/err"
	[[ $s == *"$1"* ]]
}
