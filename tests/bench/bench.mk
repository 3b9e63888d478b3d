# bench.mk - `make bench` (tests/bench/run): what a lock costs every other
# program, in QEMU guests. Included by the top Makefile; reuses its CFLAGS
# and LDLIBS. Not part of `make check`: benchmarks assert nothing.
BENCH_BIN := $(B)/tests/ratchet-bench

$(BENCH_BIN): tests/bench/bench.c tests/bench/patterns.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/bench $(filter %.c,$^) -o $@ $(LDLIBS) -lsqlite3

# The object itself, for the bpftool-only baseline (named here, so make
# keeps it rather than deleting it as an intermediate of the skeleton).
bench: $(B)/ratchet $(BENCH_BIN) $(B)/ratchet.bpf.o
	@tests/bench/run

-include $(wildcard $(B)/tests/ratchet-bench.d)
