#!/bin/bash
# vm-append: crashkernel=256M
# rt18-crash-high.sh - rt18-crash-hide.sh without ptrace: the crash
# kexec_load is called as system call 0x1000000f6 (rt18-kexec-high.sh), so
# the saved orig_ax matches no number of loadscan's.
RT18_MODE=high-crash
RT18_ATTACK=rt18-crash-high
. tests/vm/attacks/rt18-crash-hide.sh
