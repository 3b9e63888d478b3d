#!/bin/bash
# rt18-kexec-file-hide.sh - rt18-kexec-hide.sh with kexec_file_load():
# held at the copy of its command line from user memory
# (kimage_file_prepare_segments(), kernel/kexec_file.c, after both
# kernel_read_file() checks and their post-read hooks), its saved ax
# rewritten by root's tracer at the entry stop.
RT18_MODE="file"
RT18_ATTACK=rt18-kexec-file-hide
. tests/vm/attacks/rt18-kexec-hide.sh
