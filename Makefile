# ratchet: one-way, fine-grained lockdown of the running kernel.
#   make          build build/ratchet (BPF objects embedded as skeletons)
#   make check    lint, then every test; the last line is
#                 "N passed, N failed, N skipped"
#   make check-fast  the tier to run before every commit (a few minutes):
#                 lint, unit tests, a short fuzz run, the package checks,
#                 one guest running the core cases
#   make lint     clang-format on every C file, shellcheck on every script
#   make demo     install what is missing, build, lock down a VM
#   make bench    what a lock costs other programs (QEMU, 5-10 min; no test)
#   make install  binary, man pages, systemd units, completion
#   make deb      the Debian package, built from a copy: build/deb/*.deb

CC      ?= cc
CLANG   ?= clang
BPFTOOL ?= bpftool
PREFIX  ?= /usr/local
DESTDIR ?=
B       := build

# The version is debian/changelog's: one place to raise it.
VERSION := $(shell head -1 debian/changelog | cut -d'(' -f2 | cut -d')' -f1)
UNITDIR ?= $(PREFIX)/lib/systemd/system

# Debian's build flags for a plain `make` too, the set debian/rules asks
# dpkg-buildpackage for (which passes them in the environment): hardening
# (-fstack-protector-strong, -D_FORTIFY_SOURCE=2, -z relro -z now; gcc
# builds PIE by default) and -ffile-prefix-map, so no build path gets into
# the binary. Flags given in the environment or on the command line win.
BUILDFLAGS = $(shell DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get $(1) 2>/dev/null)
ifeq ($(origin CFLAGS),undefined)
CFLAGS  := $(or $(call BUILDFLAGS,CFLAGS),-O2 -g)
endif
ifeq ($(origin CPPFLAGS),undefined)
CPPFLAGS := $(call BUILDFLAGS,CPPFLAGS)
endif
ifeq ($(origin LDFLAGS),undefined)
LDFLAGS := $(call BUILDFLAGS,LDFLAGS)
endif
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Iinclude -Isrc -I$(B) -MMD -MP
CPPFLAGS += -DRATCHET_VERSION='"$(VERSION)"'
LDLIBS  := -lbpf -lelf -lz -ljson-c -lsystemd -lcrypto
# The BPF object is embedded whole in the binary: its build path is
# mapped to "." too, and its DWARF stripped (llvm-strip -g, as
# libbpf-bootstrap does) before bpftool embeds it; the BTF CO-RE and the
# verifier's line info need stays.
LLVM_STRIP ?= llvm-strip
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Ibpf -Iinclude \
	-ffile-prefix-map=$(CURDIR)=. -Wall -Werror -MMD -MP

SRCS := $(wildcard src/*.c)
OBJS := $(SRCS:src/%.c=$(B)/%.o)
# The CLI without main() and without libbpf: what the unit tests link.
LIB_SRCS := src/catalogue.c src/features.c src/posture.c src/report.c src/config.c \
	src/preflight.c src/kinds.c src/tables.c src/tag.c src/enforced.c src/weak.c \
	src/kfs.c src/rangelog.c src/sysio.c
# The sanitizers' interceptors want the unfortified libc calls.
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
	-U_FORTIFY_SOURCE
# Defined before the rules that name it: make expands prerequisites as
# it reads them.
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB := $(B)/deb/ratchet_$(VERSION)_$(DEB_ARCH).deb
DEB_SRCS := $(shell find Makefile README.md bpf debian dist include man schema src -type f 2>/dev/null)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/unit/%)

.PHONY: all check check-fast lint unit vm demo install clean deps man fuzz bench deb
all: $(B)/ratchet

# The kernel types come from bpf/kernel.h, written by hand and committed:
# nothing in the build reads the build machine's kernel. CO-RE relocates
# every field and enum value against the running kernel at load time.
$(B)/%.bpf.o: bpf/%.bpf.c
	@mkdir -p $(B)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@ || { rm -f $@; exit 1; }

$(B)/%.skel.h: $(B)/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $*_bpf > $@.tmp && mv $@.tmp $@

$(B)/bpf.o $(B)/identity.o: $(B)/ratchet.skel.h
$(B)/progscan.o: $(B)/progscan.skel.h

$(B)/%.o: src/%.c
	@mkdir -p $(B)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(B)/main.o $(B)/prometheus.o: debian/changelog

$(B)/ratchet: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# A test build of the CLI (RATCHET_TEST_BUILD): it can leave the program
# RATCHET_TEST_SKIP_ATTACH names unattached as it locks, so that
# tests/vm/cases/enforced.sh sees a lock that is not in force reported as
# such. Its BPF object is build/ratchet's, so its programs carry the same
# tags. Never installed.
# Only src/bpf.c reads RATCHET_TEST_BUILD: the rest is build/ratchet's.
$(B)/tests/bpf-test.o: src/bpf.c $(B)/ratchet.skel.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DRATCHET_TEST_BUILD $(CFLAGS) -c $< -o $@

$(B)/tests/ratchet-unattached: $(filter-out $(B)/bpf.o,$(OBJS)) $(B)/tests/bpf-test.o
	$(CC) $(CFLAGS) $(LDFLAGS) $(filter %.o,$^) -o $@ $(LDLIBS)

# Every source compiled once under the sanitizers, for the CLI itself
# (tests/unit/test_cli.sh) and for each unit test that links it.
$(B)/asan/%.o: src/%.c
	@mkdir -p $(B)/asan
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) -c $< -o $@

$(B)/asan/bpf.o $(B)/asan/identity.o: $(B)/ratchet.skel.h
$(B)/asan/progscan.o: $(B)/progscan.skel.h
$(B)/asan/main.o $(B)/asan/prometheus.o: debian/changelog

$(B)/unit/ratchet-asan: $(SRCS:src/%.c=$(B)/asan/%.o)
	@mkdir -p $(B)/unit
	$(CC) $(CFLAGS) $(SAN) $(filter %.o,$^) -o $@ $(LDLIBS)

$(B)/unit/%: tests/unit/%.c $(LIB_SRCS:src/%.c=$(B)/asan/%.o)
	@mkdir -p $(B)/unit
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) $(filter %.c %.o,$^) -o $@ $(LDLIBS)

# libFuzzer on the config parser; new inputs go to build/fuzz/corpus.
FUZZ_RUNS ?= 1000000
$(B)/fuzz/config_fuzz: tests/fuzz/config_fuzz.c $(LIB_SRCS)
	@mkdir -p $(B)/fuzz/corpus
	$(CLANG) -g -O1 -std=gnu11 -Wall -Wextra -Werror -Iinclude -Isrc \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(filter %.c,$^) -o $@ $(LDLIBS)

fuzz: $(B)/fuzz/config_fuzz
	@mkdir -p $(B)/fuzz/corpus
	$< -runs=$(FUZZ_RUNS) -max_len=4096 -dict=tests/fuzz/config.dict \
		-print_final_stats=1 $(B)/fuzz/corpus tests/fuzz/corpus

-include tests/vm/tools/tools.mk
-include tests/bench/bench.mk

STORM_BIN := $(B)/tests/ratchet-storm
PROBE_BIN := $(B)/tests/ratchet-probe
$(B)/tests/ratchet-%: tests/vm/tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@

# ratchet-probe loads its BPF programs as status --verify does. The guest
# cases start it thousands of times: it is linked statically, since under
# emulation a start through ld.so costs about 25 ms more (12 ms to 35 ms
# for an empty program). Not ratchet-attack: attack files preload into it.
TOOL_STATIC := -static
$(PROBE_BIN): tests/vm/tools/probe.c src/probes.c src/probes.h src/sysio.c src/sysio.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(filter %.c,$^) -o $@ $(TOOL_STATIC)

VM_BINS := $(B)/ratchet $(STORM_BIN) $(PROBE_BIN) $(ATTACK_BIN) $(IMPOSTOR_BIN) \
	$(SKEL_BINS) $(WINDOW_SO) $(CLAIM_SO) $(FDRACE_BIN) $(B)/tests/ratchet-sendfile \
	$(B)/tests/ratchet-unattached $(AGENT_BIN) $(BTFSWAP_BIN) $(B)/tests/ratchet-nokey $(RT10_BINS) $(RT17_SPAN_BIN) $(RT18_HIDE_BIN) $(RT18_PIDNS_BIN) $(RT19_LOAD_BIN) $(RT19_PERF_BIN) $(RT19_MSR_BIN)

lint:
	@tests/lint

unit: $(UNIT_BINS) $(B)/unit/ratchet-asan $(B)/ratchet-table
	@tests/run-unit

vm: $(VM_BINS)
	@tests/vm/run-all

# What the test tiers run, built on every core first: a `make check`
# without -j would otherwise spend its first minutes on one.
CHECK_BINS := $(VM_BINS) $(UNIT_BINS) $(B)/unit/ratchet-asan $(B)/ratchet-table $(DEB)
JOBS := -j$(shell nproc 2>/dev/null || echo 2)

check:
	@$(MAKE) --no-print-directory $(JOBS) $(CHECK_BINS)
	@tests/check

check-fast:
	@$(MAKE) --no-print-directory $(JOBS) $(CHECK_BINS) $(B)/fuzz/config_fuzz
	@tests/check-fast

demo: deps
	@$(MAKE) --no-print-directory $(VM_BINS)
	@tests/vm/demo

deps:
	@tests/deps

# What the docs take from the static catalogue, never from this machine's
# BTF: `make man` writes the same page on any kernel.
$(B)/ratchet-table: man/table.c src/catalogue.c src/kfs.c src/sysio.c
	$(CC) $(CFLAGS) $(filter %.c,$^) -o $@ $(LDLIBS)

# The tables of both pages come from ratchet-table; the results are
# committed and tests/unit/test_cli.sh fails if one is stale.
MAN_PAGES := man/ratchet.8 man/ratchet.conf.5
man: $(MAN_PAGES)
man/%: man/%.in man/gen-page $(B)/ratchet-table
	man/gen-page $(B)/ratchet-table $< > $@.tmp && mv $@.tmp $@

install: $(B)/ratchet
	install -D -m 0755 $(B)/ratchet $(DESTDIR)$(PREFIX)/sbin/ratchet
	install -D -m 0644 man/ratchet.8 $(DESTDIR)$(PREFIX)/share/man/man8/ratchet.8
	install -D -m 0644 man/ratchet.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/ratchet.conf.5
	install -D -m 0644 dist/bash-completion/ratchet \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ratchet
	install -D -m 0644 dist/ratchet.conf.example \
		$(DESTDIR)$(PREFIX)/share/doc/ratchet/ratchet.conf.example
	install -d $(DESTDIR)$(PREFIX)/share/ratchet/schema
	install -m 0644 schema/*.schema.json $(DESTDIR)$(PREFIX)/share/ratchet/schema/
	@# Installed, not enabled: the admin writes /etc/ratchet.conf first.
	for u in dist/systemd/ratchet-*; do \
		sed 's|/usr/local/sbin/|$(PREFIX)/sbin/|' $$u > $(B)/$${u##*/} && \
		install -D -m 0644 $(B)/$${u##*/} $(DESTDIR)$(UNITDIR)/$${u##*/} || exit 1; \
	done

# The Debian package, built by dpkg-buildpackage in a copy of the tree (it
# cleans the tree and writes beside it): build/deb/ratchet_VERSION_ARCH.deb.
deb: $(DEB)
$(DEB): $(DEB_SRCS)
	rm -rf $(B)/deb && mkdir -p $(B)/deb/ratchet-$(VERSION)
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C $(B)/deb/ratchet-$(VERSION)
	cd $(B)/deb/ratchet-$(VERSION) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -30 ../build.log; exit 1; }
	rm -rf $(B)/deb/ratchet-$(VERSION)
	@echo "$@ built; lintian: lintian $@"

clean:
	rm -rf $(B)/*.o $(B)/*.d $(B)/*.skel.h $(B)/ratchet $(B)/unit $(B)/tests $(B)/asan

-include $(wildcard $(B)/*.d $(B)/unit/*.d $(B)/asan/*.d $(B)/tests/*.d)
