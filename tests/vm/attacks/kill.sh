#!/bin/bash
# kill.sh - a lock held by a process dies with it: SIGKILL, cgroup.kill and
# the OOM killer (sysrq f; cgroup.kill and the OOM killer bypass task_kill).
# ratchet keeps no process alive, so after its lock there is nobody to kill:
# the same actions against every process there is must leave it standing.
# docs/threat-model.md, "Killing or tracing the holder".
# attacks.sh: last (see tests/vm/cases/attacks.sh)
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK="kill"
CG=/sys/fs/cgroup

# This shell and its ancestors must survive the attack; the OOM killer
# must never pick them.
mine=" 1 "
p=$$
while [ "$p" -gt 1 ]; do
	mine="$mine$p "
	echo -1000 >"/proc/$p/oom_score_adj"
	p=$(awk '/^PPid:/ {print $2}' "/proc/$p/status")
done

naive_phase
hold_start
expect "$ATTACK: naive: SIGKILL of the holder" kill -9 "$HP"
naive_undone
hold_stop

hold_start
mkdir -p $CG/victim
echo "$HP" >$CG/victim/cgroup.procs
expect "$ATTACK: naive: cgroup.kill of the holder's cgroup" bash -c "echo 1 >$CG/victim/cgroup.kill"
naive_undone
hold_stop

hold_start
echo 1000 >/proc/$HP/oom_score_adj
expect "$ATTACK: naive: the OOM killer (sysrq f) picks the holder" bash -c 'echo f >/proc/sysrq-trigger'
naive_undone
hold_stop
rmdir $CG/victim 2>/dev/null

ratchet_on
expect "$ATTACK: ratchet: no ratchet process is alive after the lock" bash -c '! pgrep -a ratchet >&2'
expect "$ATTACK: ratchet: no process holds a bpf object fd" \
	bash -c '! ls -l /proc/[0-9]*/fd 2>/dev/null | grep -q "anon_inode:bpf"'
# Every other process, plus a few bystanders, killed three ways.
bystanders=
for _ in 1 2 3; do sleep 1000 & bystanders="$bystanders $!"; done
# Every user process but ours (and this function's own subshell and its
# children); kernel threads have an empty cmdline.
others() {
	local d pid k v c me=$BASHPID
	# Shell builtins only: a grep per process took seconds under emulation.
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		case "$mine" in *" $pid "*) continue ;; esac
		[ "$pid" = "$me" ] && continue
		v=
		while read -r k v; do [ "$k" = PPid: ] && break; done 2>/dev/null <"$d/status"
		[ "$k" = PPid: ] && [ "$v" = "$me" ] && continue
		# /proc files report size 0: read the cmdline to see it is set.
		c=
		IFS= read -r -d '' c 2>/dev/null <"$d/cmdline"
		[ -n "$c" ] && echo "$pid"
	done
}
mkdir -p $CG/victims
for pid in $(others); do echo "$pid" >$CG/victims/cgroup.procs 2>/dev/null; done
echo "    | cgroup.kill of: $(cat $CG/victims/cgroup.procs | tr '\n' ' ')" >&2
expect "$ATTACK: ratchet: cgroup.kill of every other process" bash -c "echo 1 >$CG/victims/cgroup.kill"
sleep 0.5
for pid in $(others); do kill -9 "$pid" 2>/dev/null; done
expect "$ATTACK: ratchet: sysrq f (OOM kill)" bash -c 'echo f >/proc/sysrq-trigger'
# shellcheck disable=SC2086 # a list of pids
kill -9 $bystanders 2>/dev/null
# shellcheck disable=SC2086 # a list of pids
wait $bystanders 2>/dev/null
left=$(others)
expect "$ATTACK: ratchet: nobody else is left" test -z "$left"
ratchet_holds
collateral
