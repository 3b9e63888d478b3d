#!/bin/bash
# test_registry.sh - the registries of include/ratchet.h (RATCHET_HOOKS,
# RATCHET_EXTRAS, RATCHET_SYSCTLS) and the catalogue hold everything that
# names a hook, a restriction or a knob outside them. Names only, taken
# from the static tables through build/ratchet-table (man/table.c), never
# from this machine's BTF: the guests' kernels have other reasons.
set -u
TAG=registry:
. tests/lib.sh
TABLE=build/ratchet-table

# Every word a restriction list may hold: the static catalogue's names,
# the presets, sysctl:KNOB for every raise-only knob.
known=$T/known
{
	$TABLE names
	$TABLE presets
	$TABLE knobs | sed 's/^/sysctl:/'
} | sort -u >"$known"

# all_known WHERE: stdin (one word a line) is not empty and every word is
# known; names the others on stderr.
all_known() {
	local words bad
	words=$(grep -v '^$' | sort -u)
	bad=$(comm -23 <(echo "$words") "$known")
	[ -n "$words" ] && [ -z "$bad" ] && return 0
	echo "    $1: ${bad:-no name found}" >&2
	return 1
}

# ---- RATCHET_HOOKS: every LSM program's hook, and a program per hook ----
progs=$(grep -hoE 'SEC\("lsm(\.s)?/[a-z0-9_]+"\)' bpf/*.h bpf/*.c |
	sed -E 's|.*/([a-z0-9_]+)"\)|\1|' | sort -u)
hooks=$($TABLE hooks | cut -f1 | sort -u)
expect "bpf/ has LSM programs" test -n "$progs"
expect "every SEC(\"lsm/HOOK\") in bpf/ is a hook of RATCHET_HOOKS" \
	test -z "$(comm -23 <(echo "$progs") <(echo "$hooks"))"
expect "every hook of RATCHET_HOOKS has a SEC(\"lsm/HOOK\") program in bpf/" \
	test -z "$(comm -13 <(echo "$progs") <(echo "$hooks"))"
expect "RATCHET_EXTRAS names only hooks of RATCHET_HOOKS or cgroup/sysctl" \
	test -z "$($TABLE extras | cut -f2 | tr ',' '\n' | sort -u |
		comm -23 - <({ echo "$hooks"; echo cgroup/sysctl; } | sort))"

# The user's page lists the extras ("The extras:", a `NAME` item each).
extras_of_readme() {
	awk '/^The extras:$/ { on = 1; next }
		on && /^- / { split($2, w, "`"); print w[2]; next }
		on && !/^( |$)/ { exit }' README.md
}
expect "README.md lists exactly the extras of RATCHET_EXTRAS, in order" test \
	"$(extras_of_readme)" = "$($TABLE extras | cut -f1)"

# ---- restriction names outside the catalogue ----
for t in ops skips; do
	expect "tests/vm/$t.tsv names only restrictions of the catalogue" \
		all_known "tests/vm/$t.tsv" < <(grep -v '^#' tests/vm/$t.tsv | cut -f1)
done

expect "src/verify.c probes only restrictions of the catalogue" all_known verify.c \
	< <(sed -nE 's/^	\{ "([-a-z]+)",.*/\1/p' src/verify.c)

# The words of VAR="..." in FILE, one a line.
var_words() { sed -n "s/^$2=\"\(.*\)\"$/\1/p" "$1" | tr ' ' '\n'; }

expect "tests/bench/guest.sh locks only names of the catalogue (lock=)" \
	all_known guest.sh < <(var_words tests/bench/guest.sh lock)
# shellcheck disable=SC2016 # the backquotes are Markdown's
expect "docs/benchmarking.md names the lock tests/bench/guest.sh takes" test \
	"$(tr '\n' ' ' <docs/benchmarking.md | grep -o '(`ratchet lock [^`]*`)' |
		sed 's/^(`ratchet lock //; s/`)$//' | tr -s ' ')" = \
	"$(var_words tests/bench/guest.sh lock | paste -sd' ')"
expect "the bench's sysctl patterns use a raise-only knob" all_known patterns.c \
	< <(grep -o '"/proc/sys/[a-z_/]*"' tests/bench/patterns.c | tr -d '"' |
		sed 's|^/proc/sys/||; s|/|.|g; s/^/sysctl:/')
expect "tests/vm/tools/attack-lib.sh locks only names of the catalogue (LOCK=)" \
	all_known attack-lib.sh < <(var_words tests/vm/tools/attack-lib.sh LOCK)
# Each operation an attack checks (LOCKED) is one ops.tsv lists for a
# restriction of LOCK: else the check would not show the lock holding.
lock_ops=$(var_words tests/vm/tools/attack-lib.sh LOCK | while read -r r; do
	awk -F'\t' -v r="$r" '$1 == r { print $2 }' tests/vm/ops.tsv
done | tr ' ' '\n' | sort -u)
expect "attack-lib.sh's LOCKED operations are refused by LOCK (tests/vm/ops.tsv)" \
	test -n "$lock_ops" -a -z "$(var_words tests/vm/tools/attack-lib.sh LOCKED |
		sort -u | comm -23 - <(echo "$lock_ops"))"
expect "tests/vm/cases/demo.sh locks only names of the catalogue (names=)" \
	all_known demo.sh < <(var_words tests/vm/cases/demo.sh names)
# `$R lock NAME...` in the guests' scripts: options, variables and
# redirections are no names.
expect "the VM cases and attacks lock only names of the catalogue (\$R lock)" \
	all_known "tests/vm" < <(grep -rhoE '\$\{?R\}?"? lock( +[-a-zA-Z0-9_:.$]+)+' \
		tests/vm tests/bench --include='*.sh' | sed -E 's/^.* lock +//' |
		tr ' ' '\n' | grep -vE '^(-|\$|[0-9])')

# Man pages: the restriction lists of their examples (`lock`, `permissive`
# and `sysctl` lines of ratchet.conf(5), `ratchet lock` commands) and
# their bold `lock ...` and `ratchet status --check ...` phrases; an
# excluded name (-NAME) is a name too.
man_words() {
	sed 's/\\-/-/g; s/\\f[BIRP]//g' "$1" | awk '
		/^\.EX/ { ex = 1; next }
		/^\.EE/ { ex = 0; next }
		ex && $1 == "sysctl" { for (i = 2; i <= NF; i++) print "sysctl:" $i; next }
		ex { s = $0 }
		!ex && /^\.BR? "/ { s = $0; sub(/^\.BR? "/, "", s); sub(/".*/, "", s) }
		s != "" {
			sub(/^(\$ )?ratchet /, "", s); sub(/^status --check /, "lock ", s)
			n = split(s, w, " ")
			if (w[1] == "lock" || w[1] == "permissive")
				for (i = 2; i <= n; i++) print w[i]
		}
		{ s = "" }' | sed 's/^-\([a-z]\)/\1/' | grep -vE '^-|:$'
}
# Their prose: a bold word with a hyphen is read as a restriction name,
# but for these, which are not (the name scheme's example, directives of
# ratchet.conf(5), a character range).
not_names="foo-bar allow-loaded-kexec set-sysctl a-z"
man_bold() {
	sed 's/\\-/-/g' "$1" | grep -oE '^\.BR? "?[a-z][-a-z0-9:._]*' |
		sed -E 's/^\.BR? "?//' | grep -- - | grep -v '\.' |
		grep -vxF -f <(tr ' ' '\n' <<<"$not_names")
}
for page in man/ratchet.8.in man/ratchet.conf.5.in; do
	expect "$page names only restrictions, presets and knobs of the catalogue" \
		all_known "$page" < <(man_words "$page"; man_bold "$page")
done
expect "ratchet.conf(5)'s examples name restrictions (the check reads them)" \
	test "$(man_words man/ratchet.conf.5.in | wc -l)" -gt 10
