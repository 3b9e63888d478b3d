#!/bin/bash
# test_config_cli.sh - `ratchet check` and the refusals of `ratchet apply`,
# with the ASan/UBSan build. Host-safe: apply only ever gets a bad file, an
# unknown stage or an unprivileged user here, all refused before anything
# reaches the kernel. Good files must be root's, so some checks need root.
set -u
R=${RATCHET:-build/unit/ratchet-asan}
export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1
TAG=config-cli:
. tests/lib.sh
chmod 755 "$T"

# shellcheck disable=SC2317 # called by expect
rc_err() { rc_is "$1" && err_has "$2"; } # rc_err WANT TEXT: about the last run
conf() { # conf NAME TEXT: a root-owned 0644 file (owned by us if not root)
	printf '%b' "$2" >"$T/$1"
	chmod 644 "$T/$1"
	echo "$T/$1"
}

# A refusal: exit 1 and "FILE:LINE: reason" on stderr, nothing on stdout.
refused() { # refused NAME LINE REASON TEXT
	local f
	f=$(conf bad.conf "$4")
	run any "$R" check --config "$f"
	if rc_is 1 && err_has "$f:$2: $3" && [ ! -s "$T/out" ]; then
		pass "check refuses $1 with FILE:$2"
	else
		fail "check refuses $1 with FILE:$2 (rc $(cat "$T/rc"): $(head -c 300 "$T/err"))"
	fi
}

refused "an unknown key" 3 "unknown directive 'lokc'" 'stage a\nlock dev-mem\nlokc kcore\n'
refused "an unknown restriction" 2 "unknown restriction 'dev-mom'" 'stage a\nlock dev-mom\n'
refused "a malformed stage line" 1 "expected 'stage NAME'" 'stage\nlock dev-mem\n'
refused "a directive outside a stage" 1 "'lock' outside a stage" 'lock dev-mem\nstage a\n'
refused "a duplicate stage" 3 "duplicate stage 'a'" 'stage a\nlock dev-mem\nstage a\nlock kcore\n'
refused "an over-long line" 2 "line longer than 1024 bytes" "stage a\nlock$(printf ' dev-mem%.0s' {1..130})\n"
refused "an empty file" 0 "no stage defined" ''
refused "set-sysctl before its lock" 2 "set-sysctl kernel.modules_disabled needs 'lock modules'" 'stage a\nset-sysctl kernel.modules_disabled\nlock kcore\n'
refused "an unknown sysctl knob" 2 "'kernel.nope' is not a raise-only sysctl" 'stage a\nsysctl kernel.nope\n'

f=$(conf gw.conf 'stage a\nlock dev-mem\n')
chmod 664 "$f"
run any "$R" check --config "$f"
expect "check refuses a group-writable file, line 0" rc_err 1 "$f:0: writable by group or others (mode 0664)"
chmod 646 "$f"
run any "$R" check --config "$f"
expect "check refuses a world-writable file, line 0" rc_err 1 "$f:0: writable by group or others (mode 0646)"
run any "$R" check --config "$T/missing.conf"
expect "check of a missing file is exit 1, line 0" rc_err 1 "$T/missing.conf:0: cannot open"
if [ ! -e /etc/ratchet.conf ]; then
	run any "$R" check
	expect "check reads /etc/ratchet.conf by default" rc_err 1 "/etc/ratchet.conf:0: cannot open"
fi

# Usage errors are exit 2; --help is exit 0.
expect "check with a stray argument is exit 2" run 2 "$R" check --config /dev/null extra
expect "check --config without a file is exit 2" run 2 "$R" check --config
expect "check --bogus is exit 2" run 2 "$R" check --bogus
expect "check --help is exit 0" "$R" check --help
expect "apply with two stages is exit 2" run 2 "$R" apply --config /dev/null a b
expect "apply --bogus is exit 2" run 2 "$R" apply --bogus
run any "$R" lock --permissive --allow-loaded-kexec
expect "lock --permissive --allow-loaded-kexec without names is exit 2" rc_is 2
expect "lock's usage names --allow-loaded-kexec" rc_err 2 "[--allow-loaded-kexec]"

# apply refuses a bad file whole, before touching anything.
had_run=$([ -e /run/ratchet ] && echo 1 || echo 0)
f=$(conf bad.conf 'stage a\nlock dev-mem\nstage b\nlock no-such-thing\n')
run any "$R" apply --config "$f" a
if rc_is 1 && err_has "$f:4: unknown restriction 'no-such-thing'" && err_has "nothing applied"; then
	pass "apply of a bad file is exit 1 with FILE:LINE, nothing applied"
else
	fail "apply of a bad file is exit 1 with FILE:LINE, nothing applied"
fi
chmod 666 "$f"
run any "$R" apply --config "$f"
expect "apply of a world-writable file is exit 1, line 0" rc_err 1 "$f:0: writable by group or others"
if [ "$had_run" = 0 ]; then
	expect "a refused apply left no trace (/run/ratchet absent)" test ! -e /run/ratchet
fi

# The units, as systemd reads them: in a scratch root holding systemd's own
# units and a ratchet binary, since verify also checks ExecStart exists.
if command -v systemd-analyze >/dev/null && [ -d /usr/lib/systemd/system ]; then
	mkdir -p "$T/root/usr/local/sbin" "$T/root/usr/local/lib/systemd/system" "$T/root/usr/lib/systemd"
	cp -a /usr/lib/systemd/system "$T/root/usr/lib/systemd/"
	cp "$R" "$T/root/usr/local/sbin/ratchet"
	cp dist/systemd/ratchet-*.service "$T/root/usr/local/lib/systemd/system/"
	run any systemd-analyze verify --man=no --root="$T/root" ratchet-early.service ratchet-kexec.service ratchet-modules.service ratchet-monitor.service
	if rc_is 0 && [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then
		pass "systemd-analyze verify: the four units, no warning"
	else
		fail "systemd-analyze verify: the four units, no warning: $(head -c 500 "$T/err")"
	fi
	u=dist/systemd
	expect "units: Type=oneshot, RemainAfterExit=yes, apply their stage" bash -c \
		"for s in early kexec modules; do grep -qx 'Type=oneshot' $u/ratchet-\$s.service &&
		 grep -qx 'RemainAfterExit=yes' $u/ratchet-\$s.service &&
		 grep -qx \"ExecStart=/usr/local/sbin/ratchet apply \$s\" $u/ratchet-\$s.service || exit 1; done"
	expect "units: kexec after kdump-tools" grep -qE '^After=.*\bkdump-tools\.service' $u/ratchet-kexec.service
	expect "units: modules after modules-load and udev settle" bash -c \
		"grep -qE '^After=.*systemd-modules-load\.service' $u/ratchet-modules.service &&
		 grep -qE '^After=.*systemd-udev-settle\.service' $u/ratchet-modules.service &&
		 grep -qx 'Wants=systemd-udev-settle.service' $u/ratchet-modules.service"
	expect "units: the monitor sends events to the journal" grep -qx 'ExecStart=/usr/local/sbin/ratchet monitor --journal' $u/ratchet-monitor.service
	expect "units: no sleeps" bash -c "! grep -hv '^#' $u/ratchet-*.service | grep -qiE 'sleep|timeout'"
else
	skip "systemd-analyze verify: systemd is not installed"
fi

if [ "$(id -u)" -ne 0 ]; then
	skip "good files must be root's; not running as root"
	exit 0
fi
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	skip "good files: the host kernel has no BTF to resolve names against"
	exit 0
fi

f=$(conf good.conf "$(cat dist/ratchet.conf.example)\n")
run any "$R" check --config "$f"
if rc_is 0 && out_has "$f: valid, 3 stages" && out_has "stage kexec (line " && [ ! -s "$T/err" ]; then
	pass "check of dist/ratchet.conf.example is exit 0, three stages"
else
	fail "check of dist/ratchet.conf.example is exit 0, three stages (rc $(cat "$T/rc"): $(head -c 300 "$T/err"))"
fi
expect "check shows what a stage resolves to" out_has "): lock kexec kexec-image; set kernel.kexec_load_disabled=1"
expect "check --config=FILE works too" "$R" check --config="$f"
if command -v setpriv >/dev/null; then
	nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	expect "check needs no privilege" "${nobody[@]}" "$R" check --config "$f"
	run any "${nobody[@]}" "$R" apply --config "$f" early
	expect "apply as non-root is exit 1, told to be root" rc_err 1 "apply needs root"
fi
run any "$R" apply --config "$f" late
expect "apply of an unknown stage is exit 2 and lists the stages" rc_err 2 "no stage 'late' in $f; stages: early kexec modules"

chown 65534 "$f"
run any "$R" check --config "$f"
expect "check refuses a file not owned by root, line 0" rc_err 1 "$f:0: owned by uid 65534, not root"
run any "$R" apply --config "$f" early
expect "apply refuses a file not owned by root" rc_err 1 "$f:0: owned by uid 65534, not root"
expect "apply says nothing was applied" err_has "nothing applied"
exit 0
