# shellcheck shell=bash
# lib.sh - shared by the in-guest test cases, after tests/lib.sh (the
# vocabulary: pass, fail, skip, expect, run, rc_is, out_has, err_has, and
# the scratch directory $T). Sourced, not run.
# Every check prints one line: PASS/FAIL/SKIP <kernel> <what>.
# shellcheck disable=SC2034 # used by the cases that source this file
R=build/ratchet
OP=build/tests/ratchet-probe
K=${RATCHET_VM_KERNEL:-?}
# A guest on a root of tests/vm/roots (VM_ROOT) says which: "6.12/trixie".
TAG=$K${RATCHET_VM_ROOT:+/$RATCHET_VM_ROOT}
. tests/lib.sh

# JSON a test reads comes through tests/rjson (or json_saw), is kept in the
# guest's share and held to schema/ once, on the host when the guest is
# gone (tests/vm/run-case): one PASS/FAIL per command. Python and
# jsonschema take 7 to 10 s to start under emulation, in every guest.
if [ -z "${RATCHET_JSON_LOG:-}" ]; then
	RATCHET_JSON_LOG=/vm-out/json
	mkdir -p "$RATCHET_JSON_LOG"
	export RATCHET_JSON_LOG
	trap 'rm -rf "$T"' EXIT
fi
# json_saw CMD FILE [N]: JSON the test read straight from `ratchet CMD
# --json`; of JSON Lines only the first N lines, if given (a storm's 10^5
# would take minutes to validate under emulation).
json_saw() { head -n "${3:--0}" "$2" >"$(mktemp "$RATCHET_JSON_LOG/$1.XXXXXX")"; }

# reader_up PID: wait (up to 60 s) until monitor PID holds its fd to the
# log's reader (ratchet_read), seen twice 0.3 s apart: finding the lock
# by its tags takes a dry run, seconds under emulation and load, and a
# fixed sleep before acting raced it.
reader_up() {
	local i n=0 f
	for ((i = 0; i < 200 && n < 2; i++)); do
		for f in /proc/"$1"/fd/*; do
			[ "$(readlink "$f" 2>/dev/null)" = anon_inode:bpf-prog ] && break
			f=
		done
		if [ -n "$f" ]; then n=$((n + 1)); else n=0; fi
		sleep 0.3
	done
}

# The operations among $@ whose path this kernel has (ratchet-probe --has:
# module-compressed needs in-kernel decompression, which Debian's 6.1
# lacks); the cases report the others as SKIP.
present_ops() {
	local o
	for o; do $OP --has "$o" >/dev/null && echo "$o"; done
}

# Every operation named in ops.tsv that this kernel has, once each.
all_ops() {
	# shellcheck disable=SC2046 # one operation per word
	present_ops $(grep -v '^#' tests/vm/ops.tsv | cut -f2 | tr ' ' '\n' | sort -u)
}

# The operations a restriction or preset must refuse. A preset refuses the
# union of the rows of every restriction of its class (confidentiality
# includes integrity), taken from `ratchet list --json` of this kernel.
refused_by() {
	local names=$1
	case $1 in
	integrity) names=$(tests/rjson list | gojq -r '.restrictions[]|select(.class=="integrity" and .present).name') ;;
	confidentiality) names=$(tests/rjson list | gojq -r '.restrictions[]|select((.class=="integrity" or .class=="confidentiality") and .present).name') ;;
	esac
	for n in $names; do
		awk -F'\t' -v n="$n" '$1 == n { print $2 }' tests/vm/ops.tsv
	done | tr ' ' '\n' | sort -u
}

# verdict RC: a probe's exit status in words, as the demo's table shows it.
verdict() {
	case $1 in 0) echo allowed ;; 1) echo REFUSED ;; *) echo error ;; esac
}

# op OP WANT: run one operation, compare its exit code (0 allowed, 1 refused).
op() {
	local out rc
	out=$($OP "$1" 2>&1)
	rc=$?
	[ "$rc" = "$2" ] && return 0
	echo "    $out (exit $rc, wanted $2)" >&2
	return 1
}

# kexec_result IMAGE ARGS...: what kexec-tools' kexec_load or kexec_file_load
# syscall returned ("= 0" or "= -1 EPERM"), as strace saw it: kexec-tools' own
# exit status does not say which syscall it made or how that one ended.
kexec_result() {
	local img=$1
	shift
	strace -f -e trace=kexec_load,kexec_file_load kexec "$@" --append=console=ttyS0 "$img" 2>&1 |
		grep -oE '^kexec_(file_)?load\(.*= (0|-1 [A-Z]+)' | grep -oE '= (0|-1 [A-Z]+)$'
}

# Modules some operations need, loaded before any lock: a machine locks
# `modules` after loading what it uses, and so does a test.
preload_modules() {
	modprobe -a msr xfrm_user ah4 hmac || return 1
	# sha256 is a module (sha256_generic) up to 6.12 and built in on 7.x,
	# where the crypto-sha256 alias would pick sha256_ssse3 (no SSSE3 here).
	if modinfo sha256_generic >/dev/null 2>&1; then
		modprobe sha256_generic
	fi
}

# The package `make deb` built, and what a Debian user does with it: apt
# install of the file. Offline (the guest has no network): what it depends
# on must already be in the root.
ratchet_deb() { compgen -G 'build/deb/ratchet_*.deb' | grep -v dbgsym | head -1; }
install_deb() {
	local deb
	deb=$(ratchet_deb)
	[ -n "$deb" ] || { echo "no build/deb/ratchet_*.deb (make deb)"; return 1; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "./$deb"
}
