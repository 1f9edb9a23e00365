# qingdan — build, run, test, bench.  GNU Make + pkg-config; every dependency is a Debian package
# installed by scripts/install-deps (idempotent).
#
#   make run         install deps, build, create the demo database if absent, serve
#                    127.0.0.1:8080 (PORT=… for another port)
#   make test        install deps, build, run every test (unit + API/CLI on loopback)
#   make test-asan   the same suite, built with ASan+UBSan, into build-asan/
#   make test-slow   slow tier: 20 kill -9 cycles, 20 failovers
#   make bench       benchmarks (bench/README.md); figures go to docs/benchmarks.md
#   make lint        cppcheck, clang-tidy and the format-string check
#   make screenshots the README's pictures of the pages (Chromium) into docs/screenshots/

BUILD    ?= build
PKGS     := libmicrohttpd sqlite3 jansson libsodium zlib libzstd libpq libcurl liboath
CC       ?= cc
OPT      ?= -O2
SAN      ?=
CFLAGS   := -std=c17 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
            -Isrc $(SAN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libunistring (Unicode facts for masking, core/mask.c) ships no pkg-config file on Debian.
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lunistring -lpthread -lm
LDFLAGS  := $(SAN)

# build/gen/embed.c: web/ (stylesheet, script) and the message catalogs i18n/ as C data
# (scripts/embed), so the binary serves them with nothing beside it.
EMBED_C  := $(BUILD)/gen/embed.c
LIB_SRC  := $(wildcard src/base/*.c src/core/*.c src/store/*.c src/present/*.c src/web/*.c) \
            $(filter-out src/cli/main.c,$(wildcard src/cli/*.c)) $(EMBED_C)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS_STAMP := .deps-installed

.PHONY: all deps run test test-asan test-slow bench lint clean format screenshots

all: $(BUILD)/format-ok $(BUILD)/qingdan $(UNIT_BIN)

# The format-string checker runs on every build: it parses the format and text arguments of every
# call of the HTML, buffer and SQL writers (scripts/check-format says what it refuses and why).
$(BUILD)/format-ok: $(wildcard src/*/*.c src/*/*.h) scripts/check-format
	@mkdir -p $(BUILD)
	@scripts/check-format
	@touch $@

$(EMBED_C): scripts/embed $(wildcard web/*) $(wildcard i18n/*/*.txt) $(wildcard i18n/*)
	@mkdir -p $(dir $@)
	scripts/embed $@

# Installs once per checkout; scripts/install-deps is idempotent, the stamp only saves time.
$(DEPS_STAMP): scripts/install-deps
	scripts/install-deps
	@touch $@

deps: $(DEPS_STAMP)

$(BUILD)/%.o: %.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libqingdan.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/qingdan: $(BUILD)/src/cli/main.o $(BUILD)/libqingdan.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libqingdan.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libqingdan.a $(LDLIBS) -lcmocka

PORT ?= 8080
run: deps
	$(MAKE) $(BUILD)/qingdan
	@test -f demo.db || $(BUILD)/qingdan demo --db demo.db
	$(BUILD)/qingdan serve --db demo.db --listen 127.0.0.1:$(PORT)

test: deps
	$(MAKE) all
	BUILD=$(BUILD) tests/run

test-asan: deps
	$(MAKE) BUILD=build-asan OPT=-O1 SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all
	BUILD=build-asan QD_SANITIZED=1 tests/run

test-slow: deps
	$(MAKE) all
	BUILD=$(BUILD) QD_KILL_CYCLES=20 QD_FAILOVER_CYCLES=20 tests/run

bench: deps
	$(MAKE) all
	BUILD=$(BUILD) bench/run

# Debian's Chromium through playwright-core (tests/e2e/screenshots.mjs), as the demo users.
screenshots: deps
	$(MAKE) $(BUILD)/qingdan
	cd tests/e2e && QD_BIN=$(abspath $(BUILD))/qingdan node screenshots.mjs

lint: deps
	scripts/lint

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c

clean:
	rm -rf build build-asan

# ---- fuzzing: clang libFuzzer + ASan/UBSan, everything under build-fuzz/ (tests/fuzz/README.md)
#   make fuzz          build the fuzzers and run each for FUZZ_SECONDS (default 60) over its seed
#                      corpus tests/fuzz/corpus/<target>/; new inputs go to build-fuzz/corpus-<target>/,
#                      crashes to build-fuzz/crash-<target>/, logs to build-fuzz/<target>.log
#   make fuzz-replay   build, then run every committed corpus file through its target once (CI)
# The library is compiled again with clang and coverage instrumentation (-fsanitize=fuzzer-no-link):
# libqingdan.a is gcc-built and uninstrumented.
FUZZ_BUILD   := build-fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := fuzz_body fuzz_query fuzz_path fuzz_mask fuzz_payload fuzz_sql_params fuzz_head fuzz_proxy fuzz_totp \
                fuzz_cookie fuzz_form fuzz_multipart
FUZZ_CFLAGS  := -std=c17 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Wno-unused-parameter \
                -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc \
                $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_OBJ     := $(LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%)

.PHONY: fuzz fuzz-replay

$(FUZZ_BUILD)/obj/%.o: %.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/libqingdan-fuzz.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

# fuzz_path and fuzz_query #include src/web/router.c to reach its static functions.
# fuzz_mask includes tests/unit/mask_oracle.h (the model its invariants are checked against).
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libqingdan-fuzz.a src/web/router.c $(wildcard src/*/*.h) \
                      $(wildcard tests/unit/*.h)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libqingdan-fuzz.a $(LDLIBS)

fuzz: $(FUZZ_BINS)
	FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_TARGETS)

fuzz-replay: $(FUZZ_BINS)
	FUZZ_BUILD=$(FUZZ_BUILD) QD_FUZZ_NO_BUILD=1 tests/fuzz/replay.sh $(FUZZ_TARGETS)
