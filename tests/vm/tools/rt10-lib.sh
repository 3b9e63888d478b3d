# shellcheck shell=bash
# rt10-lib.sh - shared by tests/vm/attacks/rt10-btf-*.sh and
# rt16-fsopen.sh (in-guest), after attack-lib.sh: root's copy of the
# kernel's BTF at /boot, the fanotify listener of root's on the kernel's
# BTF, and the verdict on a lock made while it ran. Sets FP (the listener's pid); reads LRC (the lock's exit).
V=/sys/kernel/btf/vmlinux
FAN=build/tests/ratchet-rt10-fan
B=/boot/vmlinux-$(uname -r)

# rt10_boot_swapped: at $B (libbpf's next location after sysfs), a copy of
# the kernel's BTF with module and firmware kinds, and module-signature
# and kcore, swapped.
rt10_boot_swapped() {
	local sw=build/tests/ratchet-btfswap
	expect "$ATTACK: setup: no $B yet (libbpf's next location after sysfs)" test ! -e "$B"
	expect "$ATTACK: setup: a copy of the kernel's BTF with module and firmware kinds, module-signature and kcore swapped" \
		sh -c "$sw $V $T/a kernel_read_file_id READING_MODULE READING_FIRMWARE &&
			$sw $T/a $T/b kernel_load_data_id LOADING_MODULE LOADING_FIRMWARE &&
			$sw $T/b $T/c lockdown_reason LOCKDOWN_MODULE_SIGNATURE LOCKDOWN_KCORE"
	expect "$ATTACK: setup: wrapped as an ELF .BTF section at $B" \
		sh -c "mkdir -p /boot && objcopy -I binary -O elf64-x86-64 -B i386:x86-64 \
			--rename-section .data=.BTF,contents,readonly '$T/c' '$B'"
}

# rt10_listen [MODE ARG]: the listener on $V, answering `ratchet`'s opens.
# shellcheck disable=SC2120 # the arguments are optional
rt10_listen() {
	$FAN $V ratchet "$T/fan.ready" "$@" >"$T/fan.out" 2>&1 &
	FP=$!
	for _ in $(seq 100); do [ -e "$T/fan.ready" ] && break; sleep 0.1; done
	expect "$ATTACK: setup: a fanotify FAN_OPEN_PERM listener on $V" test -e "$T/fan.ready"
}

# rt10_verdict: after a lock of $LOCK that exited $LRC under the listener,
# no fmod_ret undoes bpf-read-kernel, and status --check does not vouch
# for a lock that is undone; then the listener goes.
rt10_verdict() {
	expect "$ATTACK: ratchet: bpf-read-kernel refused after the lock" is bpf-read-kernel 1
	try "$A" fmodret /sys/fs/bpf/rt10-fmodret
	FRC=$RC
	expect "$ATTACK: ratchet: no fmod_ret on security_locked_down loads after a lock that exited 0 (lock $LRC, fmodret $FRC)" \
		test "$LRC" != 0 -o "$FRC" != 0
	expect "$ATTACK: ratchet: bpf-read-kernel still refused (lock exited $LRC)" \
		bash -c "[ $LRC != 0 ] || { sleep 1; $OP bpf-read-kernel >/dev/null 2>&1; [ \$? = 1 ]; }"
	# shellcheck disable=SC2086 # $LOCK: one argument per restriction
	try $R status --check $LOCK
	echo "    | status --check with the listener: exit $RC" >&2
	expect "$ATTACK: ratchet: status --check with the listener does not pass while bpf-read-kernel is allowed" \
		bash -c "[ $RC != 0 ] || { $OP bpf-read-kernel >/dev/null 2>&1; [ \$? = 1 ]; }"
	kill "$FP" 2>/dev/null
	wait "$FP" 2>/dev/null
}
