# agent.mk - build/tests/ratchet-agent, a security agent's BPF LSM program
# beside ratchet, for tests/vm/cases/coexist.sh (in-guest only). Included by
# the top Makefile; reuses its $(B)/vmlinux.h, BPF_CFLAGS and CFLAGS.
AGENT_BIN := $(B)/tests/ratchet-agent

$(B)/tests/agent.bpf.o: tests/vm/agent/agent.bpf.c tests/vm/agent/agent.h $(B)/vmlinux.h
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/tests/agent.skel.h: $(B)/tests/agent.bpf.o
	$(BPFTOOL) gen skeleton $< name agent_bpf > $@.tmp && mv $@.tmp $@

$(AGENT_BIN): tests/vm/agent/agent.c tests/vm/agent/agent.h $(B)/tests/agent.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(B)/tests $< -o $@ -lbpf

-include $(wildcard $(B)/tests/agent.bpf.d $(B)/tests/ratchet-agent.d)
