#!/bin/bash
# vm-env: VM_TIMEOUT=1500 VM_MEM=2048
# vm-kernels: 6.1
# build.sh - ratchet builds on the kernel it runs on, as its users build
# it: README's install section, line by line as written, in a fresh copy
# of the checkout (no build/, no .git): build-dep, dpkg-buildpackage, apt
# install, ratchet status; then `make` in another fresh copy. Nothing
# comes from the host's build/ but the .deb it is compared with and the
# compiler cache. The guest has no network: apt-get build-dep passes
# because every build dependency is already installed in the root it
# shares with the host (tests/deps).
#
# Both builds go through ccache, seeded on the host before the run
# (tests/vm/seed-ccache: the same package build, in the same directory,
# with the same compilers): the build reads nothing of the kernel it runs
# on, so every compile here must be served, and one that is not is a
# failure (it means a compiler input differs with the kernel; the host's
# kernel is none of the suite's). Compiles take seconds on the host and
# took 76 s of a first build guest's 184 s under emulation (6.1). What
# each guest runs for itself still runs: apt, debhelper, bpftool, the
# links, the install.
#
# On Debian 12's own kernel only: every compile must come from the
# host's cache, so no kernel can change what is built; it took about
# 185 s of each kernel's guest, a tenth of the suite's CI time. What the
# built package does on each kernel, package.sh checks on all of them.
set -u
. tests/vm/lib.sh

# The directory the host's cache was filled in (its .src), else a usual
# one; the guest's /tmp starts empty.
src=$(cat build/vm/ccache/.src 2>/dev/null) || src=/tmp/build/ratchet
# fresh: a copy of the checkout as a user gets one in $src, nothing else
# there (what a build left next to it, the .deb, stays).
fresh() {
	rm -rf "$src" && mkdir -p "$src" &&
		tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$src"
}
export CCACHE_DIR=$T/ccache PATH=/usr/lib/ccache:$PATH
# The cache seeds this build only if it was filled from this very tree
# (its .tree, a hash of every file a fresh copy takes).
tree=$(find . \( -path ./build -o -path ./.git \) -prune -o -type f -print0 |
	sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
seeded=
if [ "$(cat build/vm/ccache/.tree 2>/dev/null)" = "$tree" ]; then
	cp -a build/vm/ccache "$CCACHE_DIR" && ccache -z >/dev/null && seeded=1
else
	skip "build: compiles served from the host's cache (none for this tree: tests/vm/seed-ccache; they run here)"
fi

# served WHAT: how many of WHAT's compiles the cache served, how many ran.
served() {
	command -v ccache >/dev/null || { echo "    $K: $1: no ccache (tests/deps installs it)" >&2; return; }
	ccache --print-stats | awk -F'\t' -v what="$1" -v k="$K" '
		$1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { h += $2 }
		$1 == "cache_miss" { m += $2 }
		END { printf "    %s: %s: %d compiles served by the cache, %d run\n", k, what, h, m }' >&2
	if [ -n "$seeded" ]; then
		expect "build: $1 compiled nothing that the host's build did not" \
			test "$(ccache --print-stats | awk -F'\t' '$1 == "cache_miss" { print $2 }')" = 0
	fi
	ccache -z >/dev/null
}

# timed LOG DIR CMD: run CMD in DIR, its output to LOG; say how long it
# took and how the log ends.
timed() {
	local log=$1 dir=$2 start rc
	shift 2
	start=$(date +%s)
	(cd "$dir" && "$@") >"$log" 2>&1
	rc=$?
	echo "    $K: '$*' exited $rc after $(($(date +%s) - start)) s" >&2
	if [ $rc -ne 0 ]; then
		echo "    $K: its first errors:" >&2
		grep -m3 -i 'error' "$log" | sed "s/^/    $K:   /" >&2
	fi
	echo "    $K: its last lines:" >&2
	tail -5 "$log" | sed "s/^/    $K:   /" >&2
	return $rc
}

# README's install section: the first code block after "## Install".
awk '/^## Install/ { s = 1 } s && /^```/ { if (b) exit; b = 1; next } b' README.md >"$T/install"
expect "build: README's install section has its four steps" bash -c \
	"grep -q '^apt-get build-dep ' $T/install && grep -q '^dpkg-buildpackage ' $T/install &&
	 grep -q '^apt install ' $T/install && grep -q '^ratchet status' $T/install"
fresh
# man-db's trigger rebuilds the whole manual index after apt install, 20
# to 30 s under emulation that test nothing of ratchet: off in this guest
# (what debconf's man-db/auto-update=false does).
rm -f /var/lib/man-db/auto-update
n=0 failed=
while IFS= read -r line; do
	n=$((n + 1))
	read -ra words <<<"${line%%#*}"
	what="build: README install, line $n: ${words[*]}"
	if [ -n "$failed" ]; then
		skip "$what (not run: line $failed failed)"
	elif timed "$T/install.$n" "$src" bash -c "$line"; then
		pass "$what"
	else
		fail "$what"
		failed=$n
	fi
done <"$T/install"
served "README's install section"
if [ -z "$failed" ]; then
	expect "build: hardening-check passes on the installed /usr/sbin/ratchet" \
		hardening-check --nocfprotection /usr/sbin/ratchet
	# The same commit built on the host, on another kernel (make deb): the
	# build reads nothing of the kernel it runs on, so the bytes are the same.
	host=$(compgen -G 'build/deb/ratchet_*.deb' | head -1)
	here=$(compgen -G "${src%/*}/ratchet_*.deb" | head -1)
	sha256sum "$here" ${host:+"$host"} | sed "s/^/    $K: /" >&2
	if [ -z "$host" ]; then
		skip "build: the .deb built here is the host's build/deb one (no build/deb: make deb)"
	else
		expect "build: the .deb built here is byte for byte the host's ${host##*/}" cmp "$here" "$host"
	fi
fi

# make in another fresh copy, where the package was built.
fresh
expect "build: make in a fresh copy" timed "$T/make.log" "$src" make
served make
if [ -x "$src/build/ratchet" ]; then
	expect "build: hardening-check passes on what make built" \
		hardening-check --nocfprotection "$src/build/ratchet"
fi
