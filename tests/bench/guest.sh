#!/bin/bash
# guest.sh locked|control - one benchmark guest; tests/bench/run boots it.
# Both roles time every pattern of ratchet-bench before and after, in the
# same guest. A locked guest runs the full lock in between, then one pass
# with BPF run-time statistics on; a control guest never locks (its ratio
# is the drift between the two phases), and once its figures are taken it
# times loading and attaching the same object with bpftool alone. Each is
# the first load of BPF programs in its guest: a second one would overlap
# with the kernel still freeing the first (seen: up to 6 s instead of 1).
set -u
B=build/tests/ratchet-bench
R=build/ratchet
D=/sys/fs/bpf/bench
rounds=${BENCH_ROUNDS:-3}
lock="confidentiality modules kexec-image sysctl"

# bpftool 7.1 loads and pins the programs and attaches the sysctl one;
# it cannot attach LSM programs, so ratchet-bench makes those links.
bpftool_only() {
	$B time bpftool-loadall bpftool prog loadall build/ratchet.bpf.o $D &&
		$B time lsm-links $B attach $D &&
		$B time bpftool-cgroup-attach bpftool cgroup attach /sys/fs/cgroup \
			sysctl pinned $D/ratchet_sysctl multi
}

echo "guest $1 $(uname -r)"
# A fresh guest is slow at everything it does the first time (TCG
# translates code on first run, caches are cold): one short pass first,
# not reported.
BENCH_SCALE=20 $B run warmup 1 >/dev/null || exit 1
$B run before "$rounds" || exit 1
case $1 in
locked)
	# shellcheck disable=SC2086 # $lock is a list: one argument per restriction
	$B time ratchet-lock $R lock $lock || exit 1
	$B run after "$rounds" && $B stats
	;;
control)
	$B run after "$rounds" && bpftool_only
	;;
*)
	echo "usage: guest.sh locked|control" >&2
	exit 2
	;;
esac
