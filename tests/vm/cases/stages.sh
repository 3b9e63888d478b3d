#!/bin/bash
# vm-append: crashkernel=160M
# stages.sh - staged lockdown at boot without systemd: this script plays
# init, in the order the units encode (early; crash kernel loaded, then
# kexec; modules loaded, then modules), applying dist/ratchet.conf.example.
set -u
. tests/vm/lib.sh
img=$(compgen -G 'build/vm/root-6.12/boot/vmlinuz-*' | head -1)
conf=$T/ratchet.conf
install -m 0600 -o root dist/ratchet.conf.example "$conf"
sys() { kexec_result "$img" "$@"; }
loaded() { grep -q "^$1 " /proc/modules; }

# A bad file changes nothing.
printf 'stage early\nlock dev-mem\nfrobnicate yes\n' >"$T"/bad.conf
chmod 600 "$T"/bad.conf
$R apply --config "$T"/bad.conf 2>"$T"/err
expect "stages: a bad config is refused with exit 1" test $? -eq 1
expect "stages: the refusal names file:line" grep -q "$T/bad.conf:3:" "$T"/err
expect "stages: a bad config locked nothing" bash -c "tests/rjson status | gojq -e '.ratchet.locked == false' >/dev/null"
chmod 666 "$T"/bad.conf
expect "stages: a world-writable config is refused" bash -c "! $R apply --config $T/bad.conf 2>/dev/null"

# early: integrity minus what boot still needs.
expect "stages: early applies" bash -c "$R apply --config $conf early >/dev/null"
expect "stages: after early, /dev/mem is refused" bash -c "build/tests/ratchet-storm 1 /dev/mem | grep -q eperm=1"
expect "stages: after early, kptr_restrict cannot be lowered" bash -c "echo 1 >/proc/sys/kernel/kptr_restrict && ! echo 0 >/proc/sys/kernel/kptr_restrict"
expect "stages: after early, a crash kernel still loads (kexec -p)" test "$(sys -p)" = "= 0"
expect "stages: after early, a module still loads" bash -c "modprobe msr && grep -q '^msr ' /proc/modules"

# kexec, after kdump-tools would have loaded the crash kernel.
expect "stages: kexec applies with the crash image loaded" bash -c "$R apply --config $conf kexec >/dev/null"
expect "stages: the crash image is still loaded" test "$(cat /sys/kernel/kexec_crash_loaded)" = 1
expect "stages: kexec -p is now refused" test "$(sys -p)" = "= -1 EPERM"
expect "stages: kexec -l is now refused" test "$(sys -l)" = "= -1 EPERM"
expect "stages: kexec -s -l is now refused" test "$(sys -s -l)" = "= -1 EPERM"
expect "stages: kernel.kexec_load_disabled was set" test "$(cat /proc/sys/kernel/kexec_load_disabled)" = 1
expect "stages: modules still load before their stage" bash -c "modprobe dummy && grep -q '^dummy ' /proc/modules"

# modules, after systemd-modules-load and udev would have settled.
expect "stages: modules applies" bash -c "$R apply --config $conf modules >/dev/null"
expect "stages: a new module load is refused" bash -c "! modprobe xfrm_user 2>/dev/null && ! grep -q '^xfrm_user ' /proc/modules"
expect "stages: kernel.modules_disabled was set" test "$(cat /proc/sys/kernel/modules_disabled)" = 1
expect "stages: status shows all three stages enforced" bash -c \
	"tests/rjson status | gojq -e '[.ratchet.restrictions[]|select(.mode==\"enforce\").name] | contains([\"dev-mem\",\"kexec\",\"kexec-image\",\"modules\",\"module-signature\"])' >/dev/null"
expect "stages: applying a stage again only confirms it" bash -c "$R apply --config $conf early >/dev/null"
