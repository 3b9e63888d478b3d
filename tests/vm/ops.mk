# ops.mk - build/tests/ratchet-op, which performs one lockdown-guarded
# operation per run for the VM tests (see tests/vm/ops.md). Meant to be
# included by the top Makefile; also works alone:
#   make -f tests/vm/ops.mk build/tests/ratchet-op
# The BPF programs use only <linux/bpf.h>, so no vmlinux.h is needed.
CC      ?= cc
CLANG   ?= clang
BPFTOOL ?= bpftool

OPS_BIN := build/tests/ratchet-op
OPS_DIR := build/tests
OPS_BPF := $(wildcard tests/vm/op-bpf/*.bpf.c)
OPS_SKELS := $(OPS_BPF:tests/vm/op-bpf/%.bpf.c=$(OPS_DIR)/op-%.skel.h)
OPS_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP -I$(OPS_DIR)
# clang -target bpf does not search the multiarch dir where <asm/types.h> is.
OPS_BPF_CFLAGS := -target bpf -O2 -g -Wall -Werror -MMD -MP \
	-idirafter /usr/include/$(shell $(CC) -dumpmachine)

$(OPS_DIR)/op-%.bpf.o: tests/vm/op-bpf/%.bpf.c
	@mkdir -p $(dir $@)
	$(CLANG) $(OPS_BPF_CFLAGS) -c $< -o $@

$(OPS_DIR)/op-%.skel.h: $(OPS_DIR)/op-%.bpf.o
	$(BPFTOOL) gen skeleton $< name op_$(subst -,_,$*) > $@.tmp && mv $@.tmp $@

$(OPS_BIN): tests/vm/op.c $(OPS_SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(OPS_CFLAGS) $< -o $@ -lbpf -lelf -lz

.SECONDARY: $(OPS_SKELS:.skel.h=.bpf.o)

-include $(wildcard $(OPS_DIR)/op-*.bpf.d $(OPS_DIR)/ratchet-op.d)
