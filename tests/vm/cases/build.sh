#!/bin/bash
# vm-env: VM_TIMEOUT=1500 VM_MEM=2048
# vm-kernels: 6.1
# build.sh - ratchet builds on the kernel it runs on, as its users build
# it: `make` in a fresh copy of the checkout (no build/, no .git), then
# README's install section, line by line as written, in another fresh
# copy: build-dep, dpkg-buildpackage, apt install, ratchet status. Nothing
# comes from the host's build/ but the .deb it is compared with. The guest
# has no network: apt-get build-dep passes because every build dependency
# is already installed in the root it shares with the host (tests/deps).
set -u
. tests/vm/lib.sh

# fresh DIR: a copy of the checkout as a user gets one, in DIR.
fresh() {
	mkdir -p "$1" && tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$1"
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

src=/tmp/build-make/ratchet
fresh "$src"
expect "build: make in a fresh copy" timed "$T/make.log" "$src" make
if [ -x "$src/build/ratchet" ]; then
	expect "build: hardening-check passes on what make built" \
		hardening-check --nocfprotection "$src/build/ratchet"
fi

# README's install section: the first code block after "## Install".
awk '/^## Install/ { s = 1 } s && /^```/ { if (b) exit; b = 1; next } b' README.md >"$T/install"
expect "build: README's install section has its four steps" bash -c \
	"grep -q '^apt-get build-dep ' $T/install && grep -q '^dpkg-buildpackage ' $T/install &&
	 grep -q '^apt install ' $T/install && grep -q '^ratchet status' $T/install"
src=/tmp/build-readme/ratchet
fresh "$src"
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
[ -n "$failed" ] && exit 0

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
