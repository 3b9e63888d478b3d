#!/bin/bash
# rt18-kexec-high.sh - red team 18: rt18-kexec-hide.sh without ptrace.
# entry_SYSCALL_64 saves the whole rax as orig_ax but calls
# do_syscall_64() with its low 32 bits, sign-extended ("syscall numbers
# are treated as int", arch/x86/entry/entry_64.S, 6.1 to 7.2), so
# syscall(0x1000000f6, ...) is kexec_load() while the saved orig_ax reads
# 0x1000000f6, which loadscan's loads_code() (bpf/progscan.bpf.c: it masks
# only the x32 bit) does not match. A kexec_load so numbered, held at its
# segment copy (userfaultfd), is invisible to the load barrier; the lock
# exits 0 and the image is installed under it.
RT18_MODE=high-kexec
RT18_ATTACK=rt18-kexec-high
. tests/vm/attacks/rt18-kexec-hide.sh
