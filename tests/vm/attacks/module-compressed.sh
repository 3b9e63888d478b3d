#!/bin/bash
# module-compressed.sh - 7.x reads a module given to
# finit_module(fd, "", MODULE_INIT_COMPRESSED_FILE) as
# READING_MODULE_COMPRESSED, a kernel_read_file_id a `modules` lock that
# matches READING_MODULE (ratchet's, before it classified every kind) lets
# through: arbitrary kernel code, which undoes everything. ratchet now
# classifies every id of the running kernel's BTF and refuses every module
# path, and any kind it does not know, while `modules` is locked; reads
# that load no code (IMA policy here) stay allowed.
# docs/threat-model.md, "Reaching a locked operation another way".
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=module-compressed
I=build/tests/ratchet-impostor
LOCK="dev-mem kexec bpf-read-kernel modules kexec-image hibernation"
LOCKED="dev-mem kexec-load bpf-read-kernel module-unsigned hibernation"
PATHS="module-unsigned module-signed module-unsigned-init module-signed-init module-compressed module-kmod"

naive_phase
if ! why=$($OP --has module-compressed); then
	skip "$ATTACK: naive: $why"
else
	expect "$ATTACK: naive: before any lock, a compressed module loads" is module-compressed 0
	expect "$ATTACK: naive: the naive modules lock loads" run 0 $I naive-modules
	expect "$ATTACK: naive: it refuses finit_module of a module file" is module-unsigned 1
	expect "$ATTACK: naive: it refuses init_module from memory" is module-unsigned-init 1
	if is module-compressed 0 2>/dev/null; then
		pass "$ATTACK: naive: finit_module(MODULE_INIT_COMPRESSED_FILE) loads a module through it"
	else
		skip "$ATTACK: naive: this kernel reads a compressed module as READING_MODULE (7.x added READING_MODULE_COMPRESSED)"
	fi
	expect "$ATTACK: naive: cleaned up" run 0 $I clean
fi

ratchet_on
before=$($R status --json | gojq '.ratchet.restrictions[]|select(.name=="modules").denials')
n=0
for o in $PATHS; do
	if ! why=$($OP --has "$o"); then
		skip "$ATTACK: ratchet: $why"
		continue
	fi
	expect "$ATTACK: ratchet: $o is refused" is "$o" 1
	n=$((n + 1))
done
after=$($R status --json | gojq '.ratchet.restrictions[]|select(.name=="modules").denials')
expect "$ATTACK: ratchet: each of the $n paths counted a modules denial ($before -> $after)" \
	test "$((after - before))" -ge "$n"
expect "$ATTACK: ratchet: no module named dummy got in" bash -c '! grep -q "^dummy " /proc/modules'

# Collateral: a kernel read that loads no code (READING_POLICY: IMA reads a
# policy file by path) still works with modules and kexec-image locked.
if [ -w /sys/kernel/security/ima/policy ]; then
	printf '# ratchet collateral check: no rules\n' >"$T/ima.policy"
	expect "$ATTACK: collateral: IMA reads a policy file (READING_POLICY)" \
		sh -c "echo $T/ima.policy >/sys/kernel/security/ima/policy"
else
	skip "$ATTACK: collateral: no writable /sys/kernel/security/ima/policy"
fi
collateral
