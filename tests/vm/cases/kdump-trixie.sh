#!/bin/bash
# vm-env: VM_INIT=systemd VM_ROOT=trixie VM_TIMEOUT=1800
# vm-append: crashkernel=256M
# vm-kernels: 7.2
# vm-then: tests/vm/kdump-vmcore
# kdump-trixie.sh - the Debian 13 case (tests/vm/roots/trixie), one boot:
# kdump.sh, ratchet from its .deb (apt), systemd 257 as PID 1, trixie's
# kdump-tools; then, before the crash, coexist.sh (systemd's BPF features,
# an agent and the BPF tools beside the staged lock, then beside the full
# lock); then the crash, and makedumpfile saving the locked kernel's dump.
export KDUMP_ALSO=tests/vm/cases/coexist.sh
exec bash tests/vm/cases/kdump.sh "$@"
