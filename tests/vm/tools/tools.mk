# tools.mk - the programs the guest cases run (tests/vm/tools/): ratchet-probe
# (one real operation per name), ratchet-storm (a denial storm),
# ratchet-attack and ratchet-impostor, root's attempts to undo a lock, and
# the tools below, for tests/vm/attacks; ratchet-execagent, a security
# agent's BPF LSM program beside ratchet, for tests/vm/cases/coexist.sh
# (in-guest only). Included by the top Makefile; reuses its BPF_CFLAGS
# (bpf/kernel.h for the kernel types), CFLAGS and LDLIBS.
ATTACK_BIN := $(B)/tests/ratchet-attack
ATTACK_BPF := $(filter-out tests/vm/tools/execagent.bpf.c,$(wildcard tests/vm/tools/*.bpf.c))
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
$(IMPOSTOR_BIN): tests/vm/tools/impostor.c src/tables.c src/kinds.c src/catalogue.c src/kfs.c src/sysio.c \
		src/features.c \
		$(ATTACK_SKELS) $(B)/ratchet.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(B)/tests $(filter %.c,$^) -o $@ $(LDLIBS)

# Tools with a BPF object of their own, tests/vm/tools/NAME.c and
# NAME.bpf.c: ring (the attacks on the audit channel, event-log.sh), ktail
# (a kprobe tail-calling a register writer, rt-ktail.sh), uregs (a uprobe
# writing user registers, rt-uregs.sh), kreg (an extension writing a kprobe
# program's registers, rt-kreg.sh; kregx is its target), tabiter (a map
# element iterator rewriting the tables map, rt2-tables-iter.sh), ctxwrite
# (reads ratchet's maps' addresses, saves the tables), tailctx (a syscall
# program past its context by a tail call, rt3-tailctx.sh), answer (an LSM
# program on lsm/bpf answering ratchet's bpf(2) calls, rt4-*.sh), rt12
# (fmod_ret programs answering a positive value for ratchet's reads,
# mounts and ioctls, rt12-fakecount.sh).
SKEL_TOOLS := ring ktail uregs kreg tabiter ctxwrite tailctx answer rt12 rt19
SKEL_BINS := $(SKEL_TOOLS:%=$(B)/tests/ratchet-%)
$(SKEL_BINS): $(B)/tests/ratchet-%: tests/vm/tools/%.c $(B)/tests/attack-%.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(B)/tests $< -o $@ $(LDLIBS)
$(B)/tests/ratchet-kreg: $(B)/tests/attack-kregx.skel.h

# ratchet-execagent: not an attack, a neighbour (tests/vm/cases/coexist.sh).
AGENT_BIN := $(B)/tests/ratchet-execagent
$(B)/tests/execagent.bpf.o: tests/vm/tools/execagent.bpf.c
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/tests/execagent.skel.h: $(B)/tests/execagent.bpf.o
	$(BPFTOOL) gen skeleton $< name execagent_bpf > $@.tmp && mv $@.tmp $@

$(AGENT_BIN): tests/vm/tools/execagent.c $(B)/tests/execagent.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(B)/tests $< -o $@ $(LDLIBS)

.SECONDARY: $(ATTACK_SKELS:.skel.h=.bpf.o) $(B)/tests/execagent.bpf.o

-include $(wildcard $(B)/tests/attack-*.d $(B)/tests/ratchet-attack.d \
	$(B)/tests/ratchet-impostor.d $(B)/tests/execagent.bpf.d \
	$(B)/tests/ratchet-execagent.d)

# Preloaded into `ratchet lock` to strike inside the first lock's window.
WINDOW_SO := $(B)/tests/ratchet-window.so
$(WINDOW_SO): tests/vm/tools/window.c tests/vm/tools/preload.h include/ratchet.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -shared -fPIC $< -o $@ -ldl

# Preloaded into the first `ratchet lock` to answer its verifier probes
# (red team 2, rt2-ranges-preload.sh).
CLAIM_SO := $(B)/tests/ratchet-claim.so
$(CLAIM_SO): tests/vm/tools/claim.c tests/vm/tools/preload.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -shared -fPIC $< -o $@ -ldl

# ratchet-fdrace: races a refused load for an fd by id (rt2-sealed-ns.sh).
FDRACE_BIN := $(B)/tests/ratchet-fdrace
$(FDRACE_BIN): tests/vm/tools/fdrace.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(LDLIBS) -lpthread

# ratchet-btfswap: a kernel BTF with two enumerators swapped (rt2-btf.sh)
# or a struct member moved onto another's offset (rt10-btf-*.sh).
BTFSWAP_BIN := $(B)/tests/ratchet-btfswap
$(BTFSWAP_BIN): tests/vm/tools/btfswap.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(LDLIBS)

# red team 10 (tests/vm/attacks/rt10-btf-*.sh): ratchet-rt10-fan, a
# fanotify permission listener on the kernel's BTF.
RT10_BINS := $(B)/tests/ratchet-rt10-fan
$(B)/tests/ratchet-rt10-fan: tests/vm/tools/rt10-fan.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@

# ratchet-rt17-span: a kexec_load or init_module held past a lock (rt17-*-span.sh).
RT17_SPAN_BIN := $(B)/tests/ratchet-rt17-span
$(RT17_SPAN_BIN): tests/vm/tools/rt17-span.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(LDLIBS) -lpthread

# ratchet-rt18-hide: a kexec_load held past a lock, its saved ax rewritten
# by a tracer so the load barrier does not see it (rt18-kexec-hide.sh).
RT18_HIDE_BIN := $(B)/tests/ratchet-rt18-hide
$(RT18_HIDE_BIN): tests/vm/tools/rt18-hide.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lpthread

# ratchet-rt18-pidns: a command run in a child pid namespace under the same
# pid number as in the initial one (rt18-pidns-hide.sh).
RT18_PIDNS_BIN := $(B)/tests/ratchet-rt18-pidns
$(RT18_PIDNS_BIN): tests/vm/tools/rt18-pidns.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@

# ratchet-rt19-load: kexec loads the load barrier does not wait for (rt19-*.sh).
RT19_LOAD_BIN := $(B)/tests/ratchet-rt19-load
$(RT19_LOAD_BIN): tests/vm/tools/rt19-load.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lpthread

# ratchet-rt19-perf: a REGS_INTR perf event held past a lock of perf (rt19-perf-span.sh).
RT19_PERF_BIN := $(B)/tests/ratchet-rt19-perf
$(RT19_PERF_BIN): tests/vm/tools/rt19-perf.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lpthread

# ratchet-rt19-msr: an MSR write held past a lock of msr (rt19-msr-span.sh).
RT19_MSR_BIN := $(B)/tests/ratchet-rt19-msr
$(RT19_MSR_BIN): tests/vm/tools/rt19-msr.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lpthread
