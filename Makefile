# Tern: the entry points. `make` builds build/lib/libtern.so (+ the
# libdb-5.3.so link for binary drop-in), build/include/db.h and
# build/lib/pkgconfig/tern.pc. `make check` runs every test.
PREFIX ?= /usr/local
# BUILD (outputs) and SCRATCH (SwiftPM's build folder) can be overridden so
# that several builds of one tree do not collide.
BUILD ?= $(CURDIR)/build
SCRATCH ?= .build
SWIFT ?= swift
# The library links the Swift runtime statically and exports only libdb's
# entry points, versioned DB5_3 (tern.map).
SWIFT_LIB_FLAGS := -c release --product tern --scratch-path $(SCRATCH) -Xswiftc -static-stdlib \
	-Xlinker --version-script=$(CURDIR)/tern.map -Xlinker -soname=libdb-5.3.so

.PHONY: all lib generate check swift-test compat abi-check dropin-test multiprocess-test demo bench \
	crash-test concurrency-test bigtxn-test install clean

all: lib $(BUILD)/include/db.h $(BUILD)/lib/pkgconfig/tern.pc

lib:
	$(SWIFT) build $(SWIFT_LIB_FLAGS)
	@mkdir -p $(BUILD)/lib
	@# A new inode, renamed into place: rewriting the mapped file in place
	@# would crash (SIGBUS) every process running on the old library.
	cp -f $(SCRATCH)/release/libtern.so $(BUILD)/lib/.libtern.so.new
	mv -f $(BUILD)/lib/.libtern.so.new $(BUILD)/lib/libtern.so
	ln -sf libtern.so $(BUILD)/lib/libdb-5.3.so

$(BUILD)/include/db.h: include/db.h
	@mkdir -p $(BUILD)/include
	cp -f include/db.h $@

$(BUILD)/lib/pkgconfig/tern.pc: pkgconfig/tern.pc.in
	@mkdir -p $(BUILD)/lib/pkgconfig
	sed 's|@PREFIX@|$(BUILD)|' $< > $@

# Regenerates the method stubs from include/db.h (the output is committed).
generate:
	python3 tools/gen-methods.py

check: all swift-test abi-check dropin-test multiprocess-test crash-test concurrency-test compat

swift-test:
	$(SWIFT) test --scratch-path $(SCRATCH)

abi-check: all
	TERN_BUILD=$(BUILD) bash compat-tests/abi-check.sh

dropin-test: all
	TERN_BUILD=$(BUILD) bash compat-tests/dropin-test.sh

compat: all
	TERN_BUILD=$(BUILD) bash compat-tests/run.sh

# Several processes in one environment, against libdb and Tern.
multiprocess-test: all
	TERN_BUILD=$(BUILD) bash compat-tests/multiprocess/run.sh

demo: all
	@TERN_BUILD=$(BUILD) bash demo/demo.sh

# Transaction tests (part of check: 50 crash rounds per mode, 3 concurrency
# runs). One binary each, built with `cc -ldb` against /usr/include/db.h, run against
# Tern (build/lib first on LD_LIBRARY_PATH; the run checks Tern was loaded)
# or, with CRASH_LIB=system / CONCURRENCY_LIB=system (or TEST_LIB=system for
# both), against the system libdb:
#   make crash-test [ROUNDS=1000] [CRASH_LIB=system]   SIGKILL + DB_RECOVER rounds
#   make concurrency-test [CONCURRENCY_LIB=system]     8 threads moving money
ROUNDS ?= 50
TEST_LIB ?= tern
CRASH_LIB ?= $(TEST_LIB)
CONCURRENCY_LIB ?= $(TEST_LIB)
# $(call test_env,LIB): the environment that makes the loader pick LIB.
test_env = $(if $(filter system libdb,$(1)),LD_LIBRARY_PATH= TEST_EXPECT=libdb,LD_LIBRARY_PATH=$(BUILD)/lib TEST_EXPECT=tern)

crash-test: $(if $(filter system libdb,$(CRASH_LIB)),,all)
	TERN_BUILD=$(BUILD) $(call test_env,$(CRASH_LIB)) bash tests/crash/run.sh $(ROUNDS)

concurrency-test: $(if $(filter system libdb,$(CONCURRENCY_LIB)),,all)
	TERN_BUILD=$(BUILD) $(call test_env,$(CONCURRENCY_LIB)) bash tests/concurrency/run.sh

# One 2 GiB transaction end to end (not part of check: minutes, several GiB
# of disk): puts, commit DB_TXN_SYNC, reopen plain and with DB_RECOVER,
# every value checked; wall time, peak RSS and log size per phase.
#   make bigtxn-test [BIGTXN_LIB=system] [BIGTXN_N=2048 BIGTXN_SIZE=1048576]
BIGTXN_LIB ?= $(TEST_LIB)
bigtxn-test: $(if $(filter system libdb,$(BIGTXN_LIB)),,all)
	TERN_BUILD=$(BUILD) $(call test_env,$(BIGTXN_LIB)) bash tests/bigtxn/run.sh

# Benchmarks, Tern vs the system libdb (not part of check): `make bench
# BENCH_N=200000` for a quick run (default N=1000000, BENCH_RUNS=3).
bench: all
	TERN_BUILD=$(BUILD) BENCH_N=$(BENCH_N) BENCH_RUNS=$(BENCH_RUNS) bash bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/lib/libtern.so $(DESTDIR)$(PREFIX)/lib/libtern.so
	ln -sf libtern.so $(DESTDIR)$(PREFIX)/lib/libdb-5.3.so
	install -m 644 include/db.h $(DESTDIR)$(PREFIX)/include/db.h
	sed 's|@PREFIX@|$(PREFIX)|' pkgconfig/tern.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tern.pc

clean:
	rm -rf $(BUILD) $(SCRATCH)
