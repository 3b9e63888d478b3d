#!/bin/bash
# rt19-module-uargs.sh - red team 19: a module loaded after `ratchet lock
# modules` exited 0, held after every check for as long as root likes.
# init_module() copies the image and asks ratchet's kernel_load_data and
# kernel_post_load_data hooks and the signature check, and only later in
# load_module() copies the parameter string from user memory
# (strndup_user(uargs), kernel/module/main.c, 6.1 to 7.2). That page is
# registered with userfaultfd; root watches for the seal with ratchet's
# own modules probe and gives it: the module loads and runs its init
# under the lock. A variant of the documented residual ("a module that
# passed the post hook before the seal and then waits in
# resolve_symbol_wait"), without its 30 s limit and without needing a
# module that is coming. The checks marked "ratchet:" FAIL while the
# hole exists.
set -u
. tests/vm/lib.sh
. tests/vm/tools/attack-lib.sh
ATTACK=rt19-module-uargs
X=build/tests/ratchet-rt19-load
M=dummy
mkdir -p "$T"
module_copy $M
held_start $X module-uargs "$T/$M.ko" "$T/ready"
expect "$ATTACK: naive: an init_module waits at the copy of its parameters, past every check" test -e "$T/ready"
try $R lock modules dev-mem
rc=$RC
for _ in $(seq 100); do kill -0 "$HELD" 2>/dev/null || break; sleep 0.1; done
kill -9 "$HELD" 2>/dev/null
wait "$HELD"
HRC=$?
indent <"$T/held.out" >&2
expect "$ATTACK: ratchet: $M is not loaded after a lock of modules that exited 0 (lock exit $rc, held init_module exit $HRC)" \
	bash -c "test $rc != 0 || ! grep -q '^$M ' /proc/modules"
grep "^$M " /proc/modules | indent >&2
try $R status --check modules
echo "    | status --check modules: exit $RC" >&2
