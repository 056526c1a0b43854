# motcua - build, run and test.
#
#   make            build build/motcua
#   make run        install dependencies, build, create a demo data dir, serve
#   make test       unit + integration tests, then again under ASan/UBSan
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS
#   make bench      wrk benchmarks (see bench/ and docs/performance.md)
#
# B is the build directory; SAN=1 builds with AddressSanitizer and
# UndefinedBehaviorSanitizer into build-asan/.

SAN ?=
ifeq ($(SAN),1)
B ?= build-asan
else
B ?= build
endif

CC ?= cc
PKGS := libmicrohttpd sqlite3 jansson libsodium libutf8proc libpq libarchive libcurl pangocairo libqrencode libmagic xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wformat-overflow=2 \
	-Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition \
	-Wvla -Wpointer-arith -Wundef -Wno-unused-parameter
CFLAGS_BASE := -std=c17 -D_GNU_SOURCE -g -Isrc -I$(B)/gen $(WARN) $(PKG_CFLAGS) \
	-fstack-protector-strong -fPIE -pthread
ifeq ($(SAN),1)
CFLAGS_MODE := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
LDFLAGS_MODE := -fsanitize=address,undefined
else
CFLAGS_MODE := -O2 -D_FORTIFY_SOURCE=2
LDFLAGS_MODE :=
endif
CFLAGS := $(CFLAGS_BASE) $(CFLAGS_MODE) $(EXTRA_CFLAGS)
LDFLAGS := -pie -Wl,-z,relro,-z,now -pthread $(LDFLAGS_MODE)
LIBS := $(PKG_LIBS) -lm

SRCS := $(shell find src -name '*.c' | sort)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS := $(patsubst src/%.c,$(B)/obj/%.o,$(LIB_SRCS)) $(B)/obj/gen/assets.o
ASSETS := $(shell find templates static locale db/migrations data -type f ! -name '*.md' 2>/dev/null | sort)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))
# Helpers of the unit tests (tests/unit/*.c but test_*), linked into each.
UNIT_LIB := $(patsubst tests/unit/%.c,$(B)/tests/obj/unit/%.o,$(filter-out $(UNIT_SRCS),$(wildcard tests/unit/*.c)))
IT_SRCS := $(wildcard tests/integration/it_*.c)
IT_BINS := $(patsubst tests/integration/%.c,$(B)/tests/%,$(IT_SRCS))
IT_LIB := $(patsubst tests/integration/%.c,$(B)/tests/obj/%.o,$(filter-out $(IT_SRCS),$(wildcard tests/integration/*.c)))

.PHONY: all run test test-build check lint format fuzz bench clean deps
all: $(B)/motcua

deps:
	@scripts/deps.sh

$(B)/motcua: $(B)/obj/main.o $(B)/libmotcua.a
	@echo "  LD  $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/libmotcua.a: $(OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(B)/obj/%.o: src/%.c $(B)/gen/.dir
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/gen/.dir:
	@mkdir -p $(B)/gen && touch $@

$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $<

$(B)/gen/assets.c: $(B)/tools/embed $(ASSETS) $(B)/gen/.dir
	@echo "  EMBED $(words $(ASSETS)) files"
	@$(B)/tools/embed $@ . $(ASSETS)

$(B)/obj/gen/assets.o: $(B)/gen/assets.c
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -c -o $@ $<

$(B)/tests/obj/%.o: tests/integration/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -Itests -MMD -MP -c -o $@ $<

$(B)/tests/obj/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) -Itests -MMD -MP -c -o $@ $<

$(B)/tests/test_%: tests/unit/test_%.c $(UNIT_LIB) $(B)/libmotcua.a
	@mkdir -p $(dir $@)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(UNIT_LIB) $(B)/libmotcua.a $(LIBS) -lcmocka

$(B)/tests/it_%: tests/integration/it_%.c $(IT_LIB) $(B)/libmotcua.a
	@mkdir -p $(dir $@)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) -Itests -Itests/integration $(LDFLAGS) -o $@ $< $(IT_LIB) $(B)/libmotcua.a $(LIBS) -lcmocka

test-build: $(B)/motcua $(UNIT_BINS) $(IT_BINS)

run: deps
	$(MAKE) all
	@test -f demo-data/motcua.db || $(B)/motcua init --data demo-data --demo
	$(B)/motcua serve --data demo-data --listen 127.0.0.1:8080

test: deps
	@scripts/test.sh

lint:
	@scripts/lint.sh

format:
	clang-format -i $(SRCS) $(wildcard src/*/*.h tests/*/*.c tests/*/*.h fuzz/*.c)

fuzz: deps
	@scripts/fuzz.sh $(FUZZ_SECONDS)

bench: all
	@bench/http.sh

# bench/gen.c: realistic dossiers straight into a data directory's database
# (bench/stats.sh, docs/performance.md); it_bench_gen runs it.
.PHONY: bench-gen
bench-gen: $(B)/bench-gen
bench test-build: $(B)/bench-gen
$(B)/bench-gen: bench/gen.c $(B)/libmotcua.a
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libmotcua.a $(LIBS)

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)
