#!/bin/bash
# rt4-loadcount.sh - red team 4: the lock's bpf_prog hook trusts a program
# id only while the loads since the seal (prog_loads) cannot have wrapped
# the id allocator (scanned(), bpf/bpfself.h). It counted them at
# lsm/bpf_prog, which runs from bpf_prog_new_fd() after bpf_prog_alloc_id()
# (kernel/bpf/syscall.c, 6.1 to 7.2). The newest program of a trampoline
# runs first (hlist_add_head() in __bpf_trampoline_link_prog(),
# kernel/bpf/trampoline.c) and the first non-zero return ends the chain,
# so an LSM program attached on lsm/bpf_prog after the lock (6.12 and 7.2
# let LSM programs onto ratchet's hooks: their verifiers keep them to 0 or
# -errno) that refuses a load hushes ratchet's program: the id is spent,
# uncounted. Counted now at lsm/bpf, before the load runs: a refusal there
# stops the load before any id. The check: loads refused by such a
# program raise program_loads (status JSON) by at least their number,
# over what a status alone adds. 6.1 refuses LSM programs on ratchet's
# hooks after the lock, and the first lock refuses one loaded before it
# (rt4-rcheck-deny): no program runs before ratchet's there, so it SKIPs.
# It shares a guest (no naive part): it unpins its program at the end and
# waits until status no longer says OVERRULED (an LSM program on a bpf*
# hook can answer ratchet's own bpf(2) calls), for the files after it.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt4-loadcount
W=build/tests/ratchet-answer
N=40

loads() { $R status --json | gojq -e .ratchet.program_loads; }

naive_phase
ratchet_on
out=$($W burn /sys/fs/bpf/rt4-burn 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/    | burn: /' >&2
if [ "$rc" != 0 ]; then
	skip "$ATTACK: ratchet refuses LSM programs on its hooks after the lock here ($(tail -1 <<<"$out")): none can run before its lsm/bpf_prog"
	exit 0
fi
c0=$(loads) c1=$(loads)
out=$($W load $N 2>&1)
echo "    | $out" >&2
c2=$(loads)
echo "    | program_loads: $c0, $c1 (a status), $c2 (a status and $N loads)" >&2
expect "$ATTACK: root: the $N loads are refused at lsm/bpf_prog (EPERM), after their ids were spent" \
	grep -q "^answer: $N of $N loads refused" <<<"$out"
expect "$ATTACK: ratchet: program_loads counts every refused load ($c0 $c1 $c2)" \
	test -n "$c2" -a $((c2 - c1 - (c1 - c0))) -ge $N
# Route E, the audit hush: not closable beside security agents, so named.
first() { tests/rjson status | gojq -e "[.ratchet.refused_uncounted_by[] | select(.hook==\"bpf_prog\")] | length $1" >/dev/null; }
expect "$ATTACK: ratchet: status names root's program on lsm/bpf_prog as refusing uncounted" first "== 1"
expect "$ATTACK: ratchet: ... and says so in text" bash -c \
	"$R status | grep -q \"on lsm/bpf_prog runs before ratchet's: what it refuses there is not counted\""
rm -f /sys/fs/bpf/rt4-burn
# Freeing a program is deferred work (RCU): wait until the scan misses it.
for _ in $(seq 30); do $R status | grep -q OVERRULED || break; sleep 0.3; done
expect "$ATTACK: ratchet: once it is gone status names none" first "== 0"
ratchet_holds "after root's program is gone"
