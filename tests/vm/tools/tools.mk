# attack.mk - build/tests/ratchet-attack, root's attempts to undo a lock, for
# tests/vm/attacks (in-guest only). Included by the top Makefile; reuses its
# $(B)/vmlinux.h, BPF_CFLAGS, CFLAGS and LDLIBS.
ATTACK_BIN := $(B)/tests/ratchet-attack
ATTACK_BPF := $(wildcard tests/vm/attack/*.bpf.c)
ATTACK_SKELS := $(ATTACK_BPF:tests/vm/attack/%.bpf.c=$(B)/tests/attack-%.skel.h)

$(B)/tests/attack-%.bpf.o: tests/vm/attack/%.bpf.c $(B)/vmlinux.h
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/tests/attack-%.skel.h: $(B)/tests/attack-%.bpf.o
	$(BPFTOOL) gen skeleton $< name attack_$(subst -,_,$*) > $@.tmp && mv $@.tmp $@

$(ATTACK_BIN): tests/vm/attack/attack.c $(ATTACK_SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(B)/tests $< -o $@ $(LDLIBS)

.SECONDARY: $(ATTACK_SKELS:.skel.h=.bpf.o)

-include $(wildcard $(B)/tests/attack-*.d $(B)/tests/ratchet-attack.d)
