#!/bin/bash
# vm-env: VM_INIT=systemd VM_TIMEOUT=480
# vm-append: crashkernel=256M
# vm-then: tests/vm/kdump-vmcore
# vm-kernels: 6.1
# kdump.sh - the seed scenario on a real boot (issue 11): systemd as PID 1,
# Debian's kdump-tools loads the crash kernel, ratchet's units lock the
# three stages of dist/ratchet.conf.example in boot order, services that use
# systemd's BPF features still start, and a crash of the locked machine
# still boots the crash kernel and saves a dump (tests/vm/kdump-vmcore reads
# it on this side once the guest is gone). On this machine's root (Debian
# 12) ratchet is put in place by `make install`; on a root of tests/vm/roots
# (kdump-trixie.sh: Debian 13) its .deb is installed by apt, as a user would.
# Each kernel boots a crash once in `make check`: 6.1 here, on Debian 12
# (its own userspace), 6.12 and 7.2 in kdump-trixie.sh on Debian 13: a crash
# boot is the longest thing a guest does (two boots), and the suite's time
# is bounded.
#
# Run twice by tests/vm/init-systemd: with RATCHET_VM_PHASE=prepare in the
# guest's new root before systemd starts (configuration into the overlay,
# also in the crash kernel's boot), then as vm-case.service once
# multi-user.target is up.
set -u
. tests/vm/lib.sh
kv=$(uname -r)
img=/boot/vmlinuz-$kv
[ -z "${RATCHET_VM_ROOT:-}" ] || R=/usr/sbin/ratchet

# As an admin would set the machine up. kdump-tools' own defaults apply
# (KDUMP_KERNEL=/var/lib/kdump/vmlinuz, KDUMP_COREDIR=/var/crash): the
# guest's kernel goes where Debian installs one, its initrd where
# kdump-tools' kernel hook would have built one (this initrd boots the crash
# kernel into systemd with 9p, the way init-systemd boots the first), and
# /var/crash is the writable share, so the dump survives the guest.
prepare() {
	if [ -n "${RATCHET_VM_ROOT:-}" ]; then
		install_deb >/vm-out/apt.log 2>&1
		echo "apt: exit $?" >>/vm-out/apt.log
	else
		make install >/dev/null
	fi
	install -m 0600 dist/ratchet.conf.example /etc/ratchet.conf
	systemctl enable ratchet-early.service ratchet-kexec.service \
		ratchet-modules.service ratchet-monitor.service
	# This machine installed kdump-tools with USE_KDUMP=0 (tests/deps).
	sed 's/^USE_KDUMP=.*/USE_KDUMP=1/' /usr/share/kdump-tools/kdump-tools.conf \
		>/etc/default/kdump-tools
	ln -sfn "$(cat /vm-out/root)/boot/vmlinuz-$kv" "$img"
	ln -sfn "$PWD/build/vm/initrd-$(cat /vm-out/kernel).img" /var/lib/kdump/initrd.img-"$kv"
	# kdump-config deletes that initrd to rebuild it (mkinitramfs) unless it
	# was built with the current /etc/kdump/sysctl.conf: it was.
	cp /etc/kdump/sysctl.conf /var/lib/kdump/latest_sysctls-"$kv"
	mkdir -p /vm-out/crash /var/crash
	mount --bind /vm-out/crash /var/crash
}
if [ "${RATCHET_VM_PHASE:-}" = prepare ]; then
	prepare
	exit
fi

show() { sed 's/^/    /' >&2; } # details for the run's diagnostics
mono() { systemctl show -P "$2"TimestampMonotonic "$1"; }
started() { mono "$1" InactiveExit; }
done_at() { mono "$1" ActiveEnter; }
# before A B: unit A was up (finished, for a oneshot) before B started.
before() { [ "$(done_at "$1")" -gt 0 ] && [ "$(done_at "$1")" -le "$(started "$2")" ]; }

# 1. The boot: no failed unit, the stages in their places.
grep '^masked' /vm-out/prepare.log | show
state=$(systemctl is-system-running --wait)
if [ -n "${RATCHET_VM_ROOT:-}" ]; then
	deb=$(ratchet_deb)
	expect "package: apt installed $(basename "$deb") offline, its dependencies from the root" \
		test "$(dpkg-query -W -f='${Status} ${Version}' ratchet 2>/dev/null)" = \
		"install ok installed $(dpkg-deb -f "$deb" Version)"
	sed 's/^/apt: /' /vm-out/apt.log | tail -4 | show
	# --man=no: the root has no man-db (package.sh finds the pages).
	units=$(dpkg -L ratchet | grep '/systemd/system/ratchet-' | sort)
	expect "package: systemd-analyze verify passes on its $(wc -l <<<"$units") units ($(systemctl --version | head -1))" \
		bash -c "systemd-analyze verify --man=no ${units//$'\n'/ } >$T/verify.out 2>&1"
	sed 's/^/    verify: /' "$T"/verify.out >&2
fi
expect "kdump: the boot finished with no failed unit ($state)" test "$state" = running
expect "kdump: systemctl --failed lists nothing" test -z "$(systemctl --failed --no-legend --plain)"
for u in early kexec modules; do
	expect "kdump: ratchet-$u.service ran and succeeded" test \
		"$(systemctl show -P Result ratchet-$u.service)/$(systemctl show -P ExecMainStatus ratchet-$u.service)" = success/0
done
expect "kdump: ratchet-monitor.service is running" systemctl -q is-active ratchet-monitor.service
for u in $(systemctl --failed --no-legend --plain | cut -d' ' -f1); do
	journalctl -b -o cat -u "$u" | tail -5 | sed "s/^/$u: /" | show
done
expect "kdump: ratchet-early after systemd-sysctl" before systemd-sysctl.service ratchet-early.service
expect "kdump: ratchet-early before sysinit.target" before ratchet-early.service sysinit.target
expect "kdump: kdump-tools loaded the crash kernel" test "$(systemctl show -P Result kdump-tools.service)" = success
expect "kdump: ratchet-kexec after kdump-tools" before kdump-tools.service ratchet-kexec.service
expect "kdump: ratchet-modules after systemd-modules-load" before systemd-modules-load.service ratchet-modules.service
expect "kdump: ratchet-modules after udev settled" before systemd-udev-settle.service ratchet-modules.service
journalctl -b -o short-monotonic --no-hostname -u systemd-sysctl.service \
	-u ratchet-early.service -u systemd-modules-load.service -u systemd-udev-settle.service \
	-u kdump-tools.service -u ratchet-kexec.service -u ratchet-modules.service |
	grep -E 'Finished|applied|loaded kdump' | show

# 2. Status: what the config names is in force, the crash image is loaded.
$R check >"$T"/check.out
listed() { # listed WORD: the names after WORD in every stage of ratchet check
	sed -n 's/^stage [^:]*: //p' "$T"/check.out | tr ';' '\n' |
		sed -n "s/^ *$1 //p" | tr ' ' '\n' | sort -u
}
$R status --json >/tmp/status.json
mode() { gojq -r ".ratchet.restrictions[]|select(.mode==\"$1\").name" /tmp/status.json | sort -u; }
missing=$(comm -23 <(listed lock) <(mode enforce) | tr '\n' ' ')
expect "kdump: every restriction the config locks is enforced ${missing:+(not: $missing)}" test -z "$missing"
missing=$(comm -23 <(listed permissive) <(sort -u <(mode enforce) <(mode permissive)) | tr '\n' ' ')
expect "kdump: every permissive one is reported at least ${missing:+(not: $missing)}" test -z "$missing"
missing=$(comm -23 <(listed raise-only) <(gojq -r '.ratchet.raise_only_sysctls[]' /tmp/status.json | sort -u) | tr '\n' ' ')
expect "kdump: every raise-only sysctl is held ${missing:+(not: $missing)}" test -z "$missing"
expect "kdump: status shows the crash image loaded" gojq -e '.kernel.kexec_crash_loaded == 1' /tmp/status.json >/dev/null
expect "kdump: status shows kexec_load_disabled and modules_disabled set" \
	gojq -e '.kernel.kexec_load_disabled == 1 and .kernel.modules_disabled == 1' /tmp/status.json >/dev/null
grep '^stage' "$T"/check.out | show

# 3. No new kexec image of any kind; the syscall's result is the verdict.
# The kexec stage also sets kernel.kexec_load_disabled, which the kernel
# checks before the LSM hook (kexec_load_check() in kernel/kexec.c,
# kexec_file_load() in kernel/kexec_file.c): these refusals come from both
# layers, so no denial reaches ratchet's monitor. kexec-stage.sh shows
# ratchet's hook refusing alone.
expect "kdump: kexec -l is refused (kexec_load EPERM)" test "$(kexec_result "$img" -l)" = "= -1 EPERM"
expect "kdump: kexec -p is refused (kexec_load EPERM)" test "$(kexec_result "$img" -p)" = "= -1 EPERM"
expect "kdump: kexec -s -l is refused (kexec_file_load EPERM)" test "$(kexec_result "$img" -s -l)" = "= -1 EPERM"
expect "kdump: kexec -s -p is refused (kexec_file_load EPERM)" test "$(kexec_result "$img" -s -p)" = "= -1 EPERM"
# kexec-tools 2.0.25 (Debian 12) unloads with kexec_load, 2.0.29 (Debian
# 13) tries kexec_file_load first: every attempt must be refused.
unload=$(strace -e trace=kexec_load,kexec_file_load kexec -p -u 2>&1 |
	grep -oE '^kexec_(file_)?load\(.*= (0|-1 [A-Z]+)' | sed -E 's/\(.*=/ =/')
all_eperm() { [ -n "$1" ] && ! grep -v -- '= -1 EPERM$' <<<"$1"; }
expect "kdump: unloading the crash image is refused ($(xargs <<<"$unload"))" all_eperm "$unload"
# What udev runs on a CPU or memory hotplug event: an unload and a load.
kdump-config try-reload >/tmp/reload.out 2>&1
expect "kdump: kdump-config try-reload (udev hotplug rule) fails" test $? -ne 0
expect "kdump: the crash image is still loaded" test "$(cat /sys/kernel/kexec_crash_loaded)" = 1
expect "kdump: no reboot image got loaded" test "$(cat /sys/kernel/kexec_loaded)" = 0
sed 's/^/try-reload: /' /tmp/reload.out | show
# A denial that does reach ratchet, into the journal through ratchet-monitor.
expect "kdump: /dev/mem is refused" bash -c '! head -c1 /dev/mem >/dev/null 2>&1'
denied() { journalctl -b -t ratchet RATCHET_RESTRICTION=dev-mem | grep -q 'denied dev-mem to head'; }
for _ in 1 2 3 4 5 6 7 8 9 10; do denied && break; sleep 1; done
expect "kdump: ratchet-monitor put that denial into the journal" denied

# 4. Services after the lock: systemd's cgroup BPF programs (DeviceAllow=,
# IPAddressDeny=), namespaces (PrivateTmp=), RestrictFileSystems= (a deny
# list: the guest's root is overlayfs over 9p, which an allow list would
# have to name for anything to run).
run() { systemd-run --quiet --wait --pipe --collect "$@"; }
expect "kdump: DeviceAllow=/dev/null: /dev/null writes, /dev/zero refused" \
	run -p DevicePolicy=strict -p DeviceAllow="/dev/null rw" \
	sh -c 'echo x >/dev/null && ! head -c1 /dev/zero >/dev/null 2>&1'
expect "kdump: without IPAddressDeny a UDP send to 127.0.0.1 works" \
	run bash -c 'echo x >/dev/udp/127.0.0.1/9'
expect "kdump: IPAddressDeny=any refuses it" \
	run -p IPAddressDeny=any bash -c '! echo x 2>/dev/null >/dev/udp/127.0.0.1/9'
touch /tmp/kdump-outside
expect "kdump: PrivateTmp=yes: a private /tmp" \
	run -p PrivateTmp=yes sh -c '! test -e /tmp/kdump-outside && touch /tmp/inside'
expect "kdump: ... which left nothing in the real /tmp" test ! -e /tmp/inside
expect "kdump: a unit with RestrictFileSystems=~securityfs starts" \
	run -p RestrictFileSystems=~securityfs true
if systemctl --version | grep -q '+BPF_FRAMEWORK'; then
	expect "kdump: RestrictFileSystems=~securityfs refuses /sys/kernel/security/lsm" \
		run -p RestrictFileSystems=~securityfs sh -c '! cat /sys/kernel/security/lsm >/dev/null 2>&1'
else
	skip "kdump: RestrictFileSystems= enforcement: this systemd is built -BPF_FRAMEWORK, it never loads its LSM program"
fi
expect "kdump: start a long-running service with them all" systemd-run --quiet --unit=kdump-svc \
	-p DevicePolicy=closed -p IPAddressDeny=any -p PrivateTmp=yes -p RestrictFileSystems=~securityfs sleep 600
expect "kdump: ... it is active" systemctl -q is-active kdump-svc.service
expect "kdump: ... and stops" systemctl stop kdump-svc.service
expect "kdump: systemctl daemon-reload works" systemctl daemon-reload
expect "kdump: systemctl daemon-reexec works" systemctl daemon-reexec
expect "kdump: a service starts after both" run -p DevicePolicy=closed -p IPAddressDeny=any true
state=$(systemctl is-system-running)
expect "kdump: still no failed unit ($state)" test "$state" = running
journalctl -b -o cat _PID=1 | grep -iE 'RestrictFileSystems|bpf|lsm' | sort | uniq -c | show

# 5. More checks for this boot before its crash, a case of their own that
# needs this setting too (kdump-trixie.sh: coexist.sh on Debian 13): one
# guest boot less than running it apart.
[ -z "${KDUMP_ALSO:-}" ] || bash "$KDUMP_ALSO"

# 6. The crash: the rest is checked on this side (tests/vm/kdump-vmcore)
# once the crash kernel has saved the dump and rebooted, which ends QEMU.
expect "kdump: crash image loaded before the crash" test "$(cat /sys/kernel/kexec_crash_loaded)" = 1
echo 0 >/vm-out/rc
sync
echo c >/proc/sysrq-trigger
