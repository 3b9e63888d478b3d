#!/bin/bash
# vm-env: VM_INIT=systemd VM_ROOT=trixie VM_TIMEOUT=600
# vm-append: crashkernel=256M
# vm-then: tests/vm/kdump-vmcore
# kdump-trixie.sh - kdump.sh on Debian 13 (tests/vm/roots/trixie): ratchet
# from its .deb (apt), systemd 257 as PID 1, trixie's kdump-tools and
# makedumpfile saving the locked kernel's dump.
exec bash tests/vm/cases/kdump.sh "$@"
