#!/bin/bash
# vm-env: VM_TIMEOUT=1200
# attacks.sh FILE... - several attack files of tests/vm/attacks in one
# guest: every file's naive phase, one after another, then one
# `ratchet lock`, then every file's ratchet phase against that one lock.
# A guest boot and a lock cost about 20 s under emulation; an attack file
# alone in a guest spends most of its time on them.
#
# A file takes part when it marks its phases (tests/vm/tools/attack-lib.sh):
#   header      variables, functions, idempotent set-up
#   naive_phase
#   naive part  must leave the guest clean (naive_off), as it always had to
#               for its own ratchet phase
#   ratchet_on
#   ratchet part
# Its naive run is everything before ratchet_on; its ratchet run is the
# header and everything after ratchet_on. Each run is its own bash, with
# the check lines of the file alone in a guest. Running the ratchet parts
# one after another is itself a check: an attack that undid the lock, or
# left anything behind that weakens it, fails every later file's checks.
# A file whose ratchet part changes what later files would see (it raises
# the lock, or kills every process) says "# attacks.sh: last": its ratchet
# part runs after the others' (tests/vm/run-all puts one in a guest).
# The files must be of one kind (attack_kind, attack-lib.sh): one lock,
# the files' own top-level LOCK="..." or attack-lib.sh's, and one
# "# attacks.sh: guest NAME" line or none.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh

# The files in the order their parts run: those marked last at the end.
last=$(for f in "$@"; do grep -qx '# attacks.sh: last.*' "tests/vm/attacks/$f" && echo "$f"; done)
# shellcheck disable=SC2046,SC2086 # file names: one word each
set -- $(for f in "$@"; do grep -qxF "$f" <<<"$last" || echo "$f"; done) $last

# The files' lock: their own top-level LOCK="..." line, else attack-lib.sh's.
# Only files of one kind (attack_kind) share a guest.
kind=
for f in "$@"; do
	k=$(attack_kind "tests/vm/attacks/$f")
	if [ "$f" != "$1" ] && [ "$k" != "$kind" ]; then
		fail "attacks: $f ($k) cannot share a guest with $1 (${kind:-no lock or guest of its own})"
		exit 0
	fi
	kind=$k
done
l=$(sed -n 's/^LOCK="\(.*\)"$/\1/p' "tests/vm/attacks/$1")
[ -z "$l" ] || LOCK=$l

# part naive|ratchet FILE: the lines of FILE for that run.
part() {
	awk -v want="$1" '
		/^naive_phase$/ { head = 0; next }
		/^ratchet_on$/ { after = 1; if (want == "ratchet") print; next }
		BEGIN { head = 1 }
		want == "naive" && !after { print; next }
		want == "ratchet" && (head || after) { print }' "$2"
}

# The parts are read now and run from memory: a naive part may replace
# /tmp, where $T is, or the root itself (pivot_root).
declare -A naive ratchet
for f in "$@"; do
	a=tests/vm/attacks/$f
	if ! grep -qx naive_phase "$a" || [ "$(grep -cx ratchet_on "$a")" != 1 ]; then
		fail "attacks: $f has no naive_phase and one ratchet_on line: run it alone"
		continue
	fi
	naive[$f]=$(part naive "$a")
	ratchet[$f]=$(part ratchet "$a")
done
# Outside /tmp and /run, which naive parts may replace.
export RATCHET_ATTACK_KEEP=/vm-out/keep
mkdir -p "$RATCHET_ATTACK_KEEP"
# part_time RUN FILE: the seconds one part took, to stderr (build/check.err):
# where a shared guest's minutes go.
part_time() {
	local s=$SECONDS
	bash -c "$1" "$2"
	echo "    attacks: $2 ${3:-part} $((SECONDS - s)) s" >&2
}
for f in "$@"; do
	[ -n "${naive[$f]:-}" ] && part_time "${naive[$f]}" "$f" naive
done

mkdir -p "$T"
# shellcheck disable=SC2086 # $LOCK is a list: one argument per restriction
expect "attacks: one lock for $# attack files: ratchet lock $LOCK" run 0 "$R" lock $LOCK
export RATCHET_ATTACK_LOCKED=1
# collateral_once: what the files asked for of attack-lib.sh's collateral
# checks, run once for all of them (ATTACK=attacks).
collateral_once() {
	local c s
	for c in collateral_now collateral_mounts_now; do
		[ -e "$RATCHET_ATTACK_KEEP/.$c" ] || continue
		rm -f "$RATCHET_ATTACK_KEEP/.$c"
		s=$SECONDS
		ATTACK=attacks "$c"
		echo "    attacks: $c $((SECONDS - s)) s" >&2
	done
}
for f in "$@"; do
	# Before a file that changes the lock: the collateral is the lock's.
	! grep -qxF "$f" <<<"$last" || collateral_once
	[ -n "${ratchet[$f]:-}" ] && part_time "${ratchet[$f]}" "$f" ratchet
done
collateral_once
# The wait each file's ratchet_holds makes when alone, made once: an undo
# that shows only once deferred work has run (a detached pin bpffs, a
# reaped holder) shows by now. Its checks name no file: any of them.
sleep 3
ATTACK=attacks ratchet_holds "3 s after the last file"
exit 0
