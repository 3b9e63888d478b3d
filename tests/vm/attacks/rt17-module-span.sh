#!/bin/bash
# rt17-module-span.sh - red team 17: an init_module() begun before the
# lock, loaded after it. copy_module_from_user() asks
# security_kernel_load_data(LOADING_MODULE) (ratchet's kernel_load_data
# hook) first, then copies the image from user memory
# (copy_chunked_from_user()), then asks only
# security_kernel_post_load_data(), which ratchet does not hook, and loads
# it (kernel/module/main.c, 6.1 to 7.2). Root registers the image's pages
# with userfaultfd (ratchet-rt17-span module), so the call waits at the
# copy, past ratchet's check, for as long as root likes; `ratchet lock
# modules` seals and exits 0; root gives the pages and the module loads
# under the lock: arbitrary kernel code, which can unhook every program.
# Deterministic: no race, no signal to ratchet. The checks marked
# "ratchet:" FAIL while the hole exists. Now ratchet asks again once the
# bytes are in (its programs on kernel_post_load_data and
# kernel_post_read_file, bpf/enforce.h): the held load is refused there,
# and counted as a denial of modules.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt17-module-span
denials() { tests/rjson status | gojq '.ratchet.restrictions[]|select(.name=="modules").denials'; }
X=build/tests/ratchet-rt17-span
M=dummy
mkdir -p "$T"
module_copy $M
held_start $X module "$T/$M.ko" "$T/ready" "$T/go"
expect "$ATTACK: naive: an init_module waits at its copy, past ratchet's check" test -e "$T/ready"
try $R lock modules dev-mem kexec bpf-read-kernel
expect "$ATTACK: naive: the lock ran with the load in flight (exit $RC)" test "$RC" = 0
expect "$ATTACK: after the lock a new module load is refused" is module-signed-init 1
d0=$(denials)
held_release
expect "$ATTACK: ratchet: the init_module begun before the lock does not load after it (exit $HRC)" \
	test "$HRC" != 0
expect "$ATTACK: ratchet: $M is not loaded after a lock of modules that exited 0" \
	bash -c "! grep -q '^$M ' /proc/modules"
grep "^$M " /proc/modules | indent >&2
expect "$ATTACK: ratchet: the refusal after the copy is counted as a denial of modules ($d0 before, $(denials) after)" \
	test "$(denials)" -gt "$d0"
expect "$ATTACK: status --check modules passes" run 0 $R status --check modules
