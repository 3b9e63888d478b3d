# tools.mk - the programs the guest cases run (tests/vm/tools/): ratchet-probe
# (one real operation per name), ratchet-storm (a denial storm),
# ratchet-attack and ratchet-impostor, root's attempts to undo a lock, and
# ratchet-ring, its attempts on the audit channel, for tests/vm/attacks
# (in-guest only). Included by the top Makefile; reuses its
# BPF_CFLAGS (bpf/kernel.h for the kernel types), CFLAGS and LDLIBS.
ATTACK_BIN := $(B)/tests/ratchet-attack
ATTACK_BPF := $(wildcard tests/vm/tools/*.bpf.c)
ATTACK_SKELS := $(ATTACK_BPF:tests/vm/tools/%.bpf.c=$(B)/tests/attack-%.skel.h)

$(B)/tests/attack-%.bpf.o: tests/vm/tools/%.bpf.c
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/tests/attack-%.skel.h: $(B)/tests/attack-%.bpf.o
	$(BPFTOOL) gen skeleton $< name attack_$(subst -,_,$*) > $@.tmp && mv $@.tmp $@

$(ATTACK_BIN): tests/vm/tools/attack.c tests/vm/tools/attack-progs.c \
		tests/vm/tools/attack.h $(ATTACK_SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(B)/tests $(filter %.c,$^) -o $@ $(LDLIBS)

# ratchet-impostor: root before and during the first lock; it loads
# ratchet's own object (build/ratchet.skel.h) as a look-alike would.
IMPOSTOR_BIN := $(B)/tests/ratchet-impostor
$(IMPOSTOR_BIN): tests/vm/tools/impostor.c src/tables.c src/kinds.c src/catalogue.c \
		src/features.c \
		$(ATTACK_SKELS) $(B)/ratchet.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(B)/tests $(filter %.c,$^) -o $@ $(LDLIBS)

# ratchet-ring: the attacks on an audit channel (tests/vm/attacks/event-log.sh).
RING_BIN := $(B)/tests/ratchet-ring
$(RING_BIN): tests/vm/tools/ring.c $(B)/tests/attack-ring.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(B)/tests $< -o $@ $(LDLIBS)

.SECONDARY: $(ATTACK_SKELS:.skel.h=.bpf.o)

-include $(wildcard $(B)/tests/attack-*.d $(B)/tests/ratchet-attack.d \
	$(B)/tests/ratchet-impostor.d)

# Preloaded into `ratchet lock` to strike inside the first lock's window.
WINDOW_SO := $(B)/tests/ratchet-window.so
$(WINDOW_SO): tests/vm/tools/window.c include/ratchet.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -shared -fPIC $< -o $@ -ldl
