# shellcheck shell=bash
# attack-lib.sh - shared by tests/vm/attacks/*.sh (in-guest). Sourced after
# tests/vm/lib.sh, whose `run WANT CMD...` runs each attack step. Each
# attack file runs three phases in one fresh VM:
#   naive:   the attack must undo the naive lock (else it proves nothing);
#   ratchet: after `ratchet lock $LOCK` (dev-mem kexec bpf-read-kernel) the same
#            attack must leave every lock standing;
#   collateral: observability and cgroup device programs still work.
A=build/tests/ratchet-attack
# Used by the attack files that source this.
# shellcheck disable=SC2034
PINS=/run/ratchet/bpf
# What ratchet_on locks, and the operations (ratchet-probe) it then refuses.
LOCK="dev-mem kexec bpf-read-kernel"
LOCKED="dev-mem kexec-load bpf-read-kernel"
# ATTACK: the name every check line starts with; set by the attack file.

# is OP WANT: like op in tests/vm/lib.sh, with a few retries: releasing a
# link or a superblock is deferred work, so an undo can take a moment to show.
is() {
	local out rc
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		out=$("$OP" "$1" 2>&1)
		rc=$?
		[ "$rc" = "$2" ] && return 0
		sleep 0.3
	done
	echo "    $1: $out (exit $rc, wanted $2)" >&2
	return 1
}

# refused CMD...: the command failed (any non-zero), for shell tools like rm
# and umount whose exit codes do not separate EPERM from other errors; the
# message must say "not permitted" or "denied".
refused() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	indent <<<"$out" >&2
	out=${out,,}
	[ "$rc" != 0 ] && [[ $out == *"not permitted"* || $out == *denied* || $out == *"must be superuser"* ]]
}

# hidden CMD...: CMD fails with "No such file or directory": the object
# it writes to is out of its reach. Its output goes to stderr.
hidden() {
	local out
	out=$("$@" 2>&1)
	indent <<<"$out" >&2
	[[ $out == *"No such file or directory"* ]]
}

# The file system tree the guest started with, for after an umount -l.
# What is mounted is read from /proc/self/mountinfo once (mountpoint(1)
# takes 75 ms a start under emulation), or asked of mountpoint when an
# attack has taken /proc away.
remount_sys() {
	local -a mi
	local -A here=()
	local l m t src
	if mapfile -t mi </proc/self/mountinfo 2>/dev/null && [ ${#mi[@]} -gt 0 ]; then
		for l in "${mi[@]}"; do
			m=${l#* * * * }
			here[${m%% *}]=1
		done
	fi
	while read -r m t src; do
		if [ ${#here[@]} -gt 0 ]; then
			[ -n "${here[$m]:-}" ] && continue
		else
			mountpoint -q "$m" && continue
		fi
		mount -t "$t" "$src" "$m"
	done <<-EOF
		/sys sysfs sys
		/sys/kernel/security securityfs securityfs
		/sys/kernel/debug debugfs debugfs
		/sys/kernel/tracing tracefs tracefs
		/sys/fs/cgroup cgroup2 cgroup2
		/sys/fs/bpf bpf bpf
	EOF
}

# naive_on [nosysctl]: the naive lock, pinned under /sys/fs/bpf/naive.
# shellcheck disable=SC2120 # the argument is optional
naive_on() {
	expect "$ATTACK: naive: before any lock, dev-mem is allowed" is dev-mem 0
	expect "$ATTACK: naive: the naive lock loads, pins and attaches" run 0 $A naive-pin "$@"
	expect "$ATTACK: naive: the naive lock refuses dev-mem" is dev-mem 1
	expect "$ATTACK: naive: the naive lock refuses bpf-read-kernel" is bpf-read-kernel 1
}

# hold_start: the naive lock held by a process (no pin); sets HP (its pid),
# HLINK, HMAP (its link and map fds) and HADDR (where it mmapped the map).
hold_start() {
	mkdir -p "$T"
	$A naive-hold >"$T/hold.out" 2>&1 &
	HP=$!
	for _ in $(seq 50); do grep -q '^ready' "$T/hold.out" && break; sleep 0.1; done
	indent <"$T/hold.out" >&2
	HLINK=$(sed -n 's/^ready.* link_fd=\([0-9]*\).*/\1/p' "$T/hold.out")
	# shellcheck disable=SC2034 # for the attack files
	HMAP=$(sed -n 's/^ready.* map_fd=\([0-9]*\).*/\1/p' "$T/hold.out")
	# shellcheck disable=SC2034 # for the attack files
	HADDR=$(sed -n 's/^ready.* map_addr=\(0x[0-9a-f]*\).*/\1/p' "$T/hold.out")
	expect "$ATTACK: naive: a process holds the naive lock (pid $HP)" test -n "$HLINK"
	expect "$ATTACK: naive: the held lock refuses dev-mem" is dev-mem 1
}

hold_stop() {
	kill -9 "$HP" 2>/dev/null
	wait "$HP" 2>/dev/null
}

# naive_undone [OP]: the verdict of the naive phase. A detached bpffs
# frees its pins, and they their links, through deferred work (RCU,
# workqueues): under TCG that took up to 2 s, so wait up to 9 s.
# shellcheck disable=SC2120 # the argument is optional
naive_undone() {
	local o=${1:-dev-mem}
	if is "$o" 0 2>/dev/null || is "$o" 0 2>/dev/null || is "$o" 0; then
		pass "$ATTACK: naive: the attack undoes the naive lock ($o allowed again)"
	else
		fail "$ATTACK: naive: the naive lock survived: the attack proves nothing"
	fi
}

# Whatever the attack left behind, so the ratchet phase starts clean.
naive_off() {
	remount_sys
	echo 1 >/proc/sys/kernel/ftrace_enabled 2>/dev/null
	$A naive-clean 2>&1 | indent >&2
	expect "$ATTACK: naive: cleaned up, dev-mem and bpf-read-kernel allowed" \
		both_allowed
}
both_allowed() { is dev-mem 0 && is bpf-read-kernel 0; }

# naive_move WHAT CMD...: a naive part moves the pins (CMD, named WHAT)
# to $NP/mv, under an unprotected parent, then unmounts that parent. The
# parent is a tmpfs of its own at $NP, not /tmp: a checkout under /tmp is
# mounted on the guest's /tmp (tests/vm/init), and the files after this
# one in a shared guest run from it (gdb, for one, crashed without its
# working directory).
NP=/mnt/naive-parent
naive_move() {
	local what=$1
	shift
	expect "$ATTACK: naive: a tmpfs of its own at $NP" \
		sh -c "mkdir -p $NP && mount -t tmpfs naive-parent $NP && mkdir $NP/mv"
	expect "$ATTACK: naive: $what" "$@"
	expect "$ATTACK: naive: umount -l $NP" umount -l $NP
}

# naive_phase: where a file's naive part begins; what is above it is its
# header, which tests/vm/cases/attacks.sh runs again before the file's
# ratchet part when several files share a guest and one lock. Alone in a
# guest, nothing.
naive_phase() { :; }

# keep VAR...: what the naive part found that the ratchet part reads.
# tests/vm/cases/attacks.sh runs the two parts in separate shells and sets
# RATCHET_ATTACK_KEEP, a directory where ratchet_on finds them again.
keep() {
	[ -z "${RATCHET_ATTACK_KEEP:-}" ] ||
		declare -p "$@" | sed 's/^declare /declare -g /' >>"$RATCHET_ATTACK_KEEP/$ATTACK"
}

# attack_kind FILE: what FILE needs of a guest it shares with other attack
# files (tests/vm/cases/attacks.sh; tests/vm/run-all groups by it): its
# lock, when its header sets its own (a top-level LOCK="..." line), and
# its "# attacks.sh: guest NAME" line, for a naive part that needs the
# guest in a state others must not see, or leaves it so. Empty: the usual.
attack_kind() {
	sed -n 's/^LOCK="\(.*\)"$/lock \1/p; s/^# attacks.sh: guest \([^ ]*\).*/guest \1/p' "$1" | sort | xargs
}

# ratchet_on: the lock, or, in tests/vm/cases/attacks.sh, the one lock it
# made for every file (RATCHET_ATTACK_LOCKED), still in force.
ratchet_on() {
	if [ -n "${RATCHET_ATTACK_LOCKED:-}" ]; then
		# shellcheck disable=SC1090 # written by keep
		[ ! -e "$RATCHET_ATTACK_KEEP/$ATTACK" ] || . "$RATCHET_ATTACK_KEEP/$ATTACK"
		expect "$ATTACK: ratchet: lock $LOCK (one lock for the guest's attack files)" \
			status_says .ratchet.locked
	else
		# shellcheck disable=SC2086 # $LOCK is a list: one argument per restriction
		expect "$ATTACK: ratchet: lock $LOCK" run 0 "$R" lock $LOCK
	fi
	for o in $LOCKED; do
		expect "$ATTACK: ratchet: $o refused after the lock" is "$o" 1
	done
}

# ratchet_holds [WHEN]: the lock is still whole after the attack, past
# the time a detached lock takes to go (see naive_undone), and ratchet
# still finds it by its kernel objects. In a shared guest the wait is made
# once, after the last file (at the end of tests/vm/cases/attacks.sh):
# a lock undone late fails that check, and every later file's.
# shellcheck disable=SC2120 # the argument is optional
ratchet_holds() {
	[ -n "${RATCHET_ATTACK_LOCKED:-}" ] || sleep 3
	for o in $LOCKED; do
		expect "$ATTACK: ratchet: $o still refused ${1:-after the attack}" is "$o" 1
	done
	expect "$ATTACK: ratchet: status still finds the lock ${1:-after the attack}" \
		status_says '.ratchet.locked and .ratchet.pins.initial_namespace'
}

# status_says FILTER: `ratchet status --json` makes FILTER true.
status_says() { "$R" status --json | gojq -e "$1" >/dev/null; }

# pins_mounted: the pin bpffs is still mounted in the initial namespace.
pins_mounted() { status_says '.ratchet.pins.path != null'; }

# collateral, collateral_mounts: in a guest of its own, now; in a shared
# guest (tests/vm/cases/attacks.sh, RATCHET_ATTACK_LOCKED) once for all its
# files, after the last file's ratchet part that does not change the lock:
# what a lock leaves working is the lock's, the same for every file, and
# an attack that left it broken is still seen then.
collateral() { collateral_or_later collateral_now; }
collateral_mounts() { collateral_or_later collateral_mounts_now; }
collateral_or_later() {
	if [ -n "${RATCHET_ATTACK_LOCKED:-}" ]; then
		: >"$RATCHET_ATTACK_KEEP/.$1"
	else
		"$1"
	fi
}

collateral_now() {
	expect "$ATTACK: collateral: kprobe, tracepoint and fentry programs still work" run 0 $A observe
	expect "$ATTACK: collateral: a cgroup device program attaches and detaches" run 0 $A cgroup-device
}

# What a lock must leave working, and what it costs, for mount namespaces
# (docs/threat-model.md, "Collateral"): PASS lines for both, so a change in
# either shows. Run after ratchet_on.
collateral_mounts_now() {
	local c="$ATTACK: collateral:"
	expect "$c unshare -m (private propagation) runs a command" unshare -m true
	expect "$c unshare -m --propagation unchanged: mount and umount a tmpfs there" \
		unshare -m --propagation unchanged sh -c 'mount -t tmpfs x /mnt && umount /mnt'
	expect "$c unshare -m --propagation slave: mount and umount a tmpfs there" \
		unshare -m --propagation slave sh -c 'mount -t tmpfs x /mnt && umount /mnt'
	expect "$c PrivateTmp-style: rslave /, a private /tmp, bind it over /var/tmp, umount both" \
		unshare -m sh -c 'mount --make-rslave / && mount -t tmpfs t /tmp &&
			mount --bind /tmp /var/tmp && umount /var/tmp && umount /tmp'
	expect "$c nspawn-style: rslave /, bind a root, pivot_root into it, umount -l the old root" \
		unshare -m sh -c 'mount --make-rslave / && mkdir -p /tmp/nsroot &&
			mount --bind / /tmp/nsroot && mount --rbind /dev /tmp/nsroot/dev &&
			mount -t proc proc /tmp/nsroot/proc && cd /tmp/nsroot &&
			pivot_root . mnt && umount -l /mnt && test -x /usr/bin/true && /usr/bin/true'
	expect "$c in another namespace, umount -R /run takes ratchet's copies with it" \
		unshare -m umount -R /run
	expect "$c in another namespace, mount --move of the copies works" \
		unshare -m sh -c 'mkdir -p /tmp/mv && mount --move /run/ratchet/bpf /tmp/mv'
	expect "$c here, mount and umount of a tmpfs" sh -c 'mkdir -p /tmp/c && mount -t tmpfs c /tmp/c && umount /tmp/c'
	expect "$c here, a bind mount of a directory and its umount" \
		sh -c 'mkdir -p /tmp/c /tmp/d && mount --bind /tmp/d /tmp/c && umount /tmp/c'
	expect "$c here, a remount" sh -c 'mount -t tmpfs c /tmp/c && mount -o remount,ro /tmp/c && umount /tmp/c'
	expect "$c here, propagation changes of mounts that do not hold the pins" \
		sh -c 'mount -t tmpfs c /tmp/c && mount --make-shared /tmp/c && mount --make-private /tmp/c && umount /tmp/c'
	# The costs: refused here, in the initial namespace, after a lock.
	expect "$c cost: mount --move of any mount here is refused" \
		sh -c 'mount -t tmpfs c /tmp/c && mkdir -p /tmp/e && ! mount --move /tmp/c /tmp/e 2>/dev/null && umount /tmp/c'
	expect "$c cost: mount --make-rshared / here is refused" refused mount --make-rshared /
	expect "$c cost: pivot_root here is refused" \
		sh -c 'mkdir -p /tmp/p && mount -t tmpfs p /tmp/p && mkdir /tmp/p/old &&
			! pivot_root /tmp/p /tmp/p/old 2>/dev/null && umount /tmp/p'
}

# start_tool FILE CMD...: CMD in the background, its output in FILE, until
# it prints "ready"; sets BG to its pid. stop_tool: SIGTERM it and wait.
start_tool() {
	local f=$1
	shift
	"$@" >"$f" 2>&1 &
	BG=$!
	for _ in $(seq 100); do grep -q '^ready' "$f" && break; sleep 0.1; done
}
stop_tool() {
	kill "$BG" 2>/dev/null
	wait "$BG" 2>/dev/null
}

# try CMD...: run CMD; its output in OUT, its exit status in RC, and the
# output on stderr, indented, for the diagnostics.
try() {
	OUT=$("$@" 2>&1)
	# shellcheck disable=SC2034 # for the attack files
	RC=$?
	indent <<<"$OUT" >&2
}

# held_start CMD...: CMD, a load held past its check until $T/go exists
# (tests/vm/tools/rt17-span.c, rt18-hide.c), in the background as HELD,
# once it has written $T/ready (or died). held_release lets it go on: its
# exit status in HRC, its output on stderr.
held_start() {
	rm -f "$T/ready" "$T/go"
	"$@" >"$T/held.out" 2>&1 &
	HELD=$!
	for _ in $(seq 600); do
		[ -e "$T/ready" ] || ! kill -0 "$HELD" 2>/dev/null && break
		sleep 0.1
	done
}
held_release() {
	touch "$T/go"
	wait "$HELD"
	# shellcheck disable=SC2034 # for the attack files
	HRC=$?
	indent <"$T/held.out" >&2
}

# kexec_image: a kernel image to load with kexec (the 6.12 guest root's),
# in IMG; or a SKIP and exit when there is none.
kexec_image() {
	IMG=$(compgen -G 'build/vm/root-6.12/boot/vmlinuz-*' | head -1)
	if [ -z "$IMG" ]; then
		skip "$ATTACK: no kernel image under build/vm/root-6.12/boot"
		exit 0
	fi
}

# module_copy M: module M decompressed to $T/M.ko and not loaded; or a
# SKIP and exit when this kernel has no such module.
module_copy() {
	local f
	f=$(modinfo -n "$1" 2>/dev/null)
	if [ -z "$f" ]; then
		skip "$ATTACK: no $1 module"
		exit 0
	fi
	case $f in
	*.xz) xz -dc "$f" >"$T/$1.ko" ;;
	*.zst) zstd -dc "$f" >"$T/$1.ko" ;;
	*) cat "$f" >"$T/$1.ko" ;;
	esac
	rmmod "$1" 2>/dev/null
	expect "$ATTACK: naive: $1 is not loaded at the start" bash -c "! grep -q '^$1 ' /proc/modules"
}

export -f is
export A OP
