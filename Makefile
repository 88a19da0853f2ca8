# zanlint - a plain non-recursive Makefile.
#
#   make            build build/zanlint and build/libzanlint.a
#   make check      build and run every test (unit, CLI, golden, fuzz replay, rule examples, style)
#   make asan       the whole test suite under AddressSanitizer + UBSan
#   make valgrind   the unit tests and CLI tests under valgrind
#   make demo       install missing dependencies, build, lint the bundled sample policies
#   make fuzz       build the libFuzzer harnesses (clang)
#   make install / uninstall   (PREFIX=/usr/local, DESTDIR=)
#   V=1             show full commands; WERROR=1 (or CI=true) turns warnings into errors
#   BUILD=dir       build directory (default: build)

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
PKG_CONFIG ?= pkg-config

PKGS := libxml-2.0 libpcre2-8 libutf8proc libzip
# libxml2 and libzip are not linked: their headers are used, and
# src/ingest/xmllib.c dlopen()s them (these sonames) at the first HTML or DOCX
# document, so that the libraries they pull in (ICU, libstdc++, libcrypto...)
# are not loaded by every process start.
DL_PKGS := libxml-2.0 libzip
# $(call soname,PKG,NAME): the soname of libNAME.so in PKG's libdir
soname = $(shell objdump -p $(shell $(PKG_CONFIG) --variable=libdir $(1) 2>/dev/null)/lib$(2).so \
           2>/dev/null | sed -n 's/^ *SONAME *//p')
XML2_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir libxml-2.0 2>/dev/null)
XML2_SONAME := $(call soname,libxml-2.0,xml2)
ZIP_LIBDIR  := $(shell $(PKG_CONFIG) --variable=libdir libzip 2>/dev/null)
ZIP_SONAME  := $(call soname,libzip,zip)
$(BUILD)/src/ingest/xmllib.o: CPPFLAGS += \
  $(if $(XML2_SONAME),-DZL_XML2_SONAME='"$(XML2_SONAME)"' -DZL_XML2_LIBDIR='"$(XML2_LIBDIR)"') \
  $(if $(ZIP_SONAME),-DZL_ZIP_SONAME='"$(ZIP_SONAME)"' -DZL_ZIP_LIBDIR='"$(ZIP_LIBDIR)"')
# PDF input is optional: built in when poppler-glib is installed (ZL_HAVE_POPPLER).
HAVE_POPPLER := $(shell $(PKG_CONFIG) --exists poppler-glib 2>/dev/null && echo 1)
# It is not linked: reader_pdf.c dlopen()s it (this soname) at the first PDF.
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# The others are linked statically when their archives are installed
# (Debian's -dev packages ship them): two libraries fewer for the dynamic
# loader at every start (about 42 k instructions fewer in ld.so).
LINK_PKGS   := $(filter-out $(DL_PKGS),$(PKGS))
STATIC_PKGS := $(strip $(foreach p,$(LINK_PKGS), \
                 $(if $(wildcard $(shell $(PKG_CONFIG) --variable=libdir $(p) 2>/dev/null)/$(p).a),$(p))))
LD_STATIC   := -Wl,-Bstatic
LD_DYNAMIC  := -Wl,-Bdynamic
PKG_LIBS   := $(if $(STATIC_PKGS),$(LD_STATIC) $(shell $(PKG_CONFIG) --libs $(STATIC_PKGS) 2>/dev/null) $(LD_DYNAMIC)) \
              $(shell $(PKG_CONFIG) --libs $(filter-out $(STATIC_PKGS),$(LINK_PKGS)) 2>/dev/null) -ldl
# test_docx writes its zips with libzip
$(BUILD)/tests/test_docx: LDLIBS += $(shell $(PKG_CONFIG) --libs libzip 2>/dev/null)
ifeq ($(HAVE_POPPLER),1)
POPPLER_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir poppler-glib)
POPPLER_SONAME := $(shell objdump -p $(POPPLER_LIBDIR)/libpoppler-glib.so 2>/dev/null | sed -n 's/^ *SONAME *//p')
ifeq ($(POPPLER_SONAME),)
POPPLER_SONAME := $(notdir $(shell readlink $(POPPLER_LIBDIR)/libpoppler-glib.so))
endif
CPPFLAGS += -DZL_HAVE_POPPLER -DZL_POPPLER_SONAME='"$(POPPLER_SONAME)"' -DZL_POPPLER_LIBDIR='"$(POPPLER_LIBDIR)"'
PKG_CFLAGS += $(shell $(PKG_CONFIG) --cflags poppler-glib 2>/dev/null)
endif
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wno-format-nonliteral -Wundef -Wvla
ifeq ($(CI),true)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT      ?= -O2 -g
CPPFLAGS += -Iinclude -Isrc -I$(BUILD)/gen -D_POSIX_C_SOURCE=200809L
CFLAGS   += -std=c11 $(OPT) $(WARN) $(PKG_CFLAGS) $(EXTRA_CFLAGS) -MMD -MP
LDFLAGS  += $(EXTRA_LDFLAGS)
LDLIBS   += $(PKG_LIBS) -lpthread -lm

ifeq ($(V),1)
Q :=
else
Q := @
endif

# The pipeline, in order: a stage may use only the stages before it and util/.
STAGES  := util ingest text dsl engine report
LIB_SRC := $(sort $(foreach s,$(STAGES),$(wildcard src/$(s)/*.c)))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
RULES   := $(sort $(wildcard rules/kz94v/*.rules))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded_rules.o
# The built-in pack's image (src/dsl/image.h) goes into the binary, not the
# library: its generator links the library.
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/pack_image.o
LIB     := $(BUILD)/libzanlint.a
BIN     := $(BUILD)/zanlint

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_OBJ  := $(UNIT_BINS:%=%.o)
TEST_SUPPORT_SRC := $(sort $(wildcard tests/support/*.c))
TEST_SUPPORT_OBJ := $(TEST_SUPPORT_SRC:%.c=$(BUILD)/%.o)
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/replay_%)

.PHONY: all check asan valgrind demo fuzz install uninstall clean docs deps
.DEFAULT_GOAL := all

all: $(BIN) $(LIB)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The built-in rule packs are embedded in the library at build time.
$(BUILD)/embed: scripts/embed.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(CC) -std=c11 -O1 -o $@ $<

$(BUILD)/gen/embedded_rules.c: $(BUILD)/embed $(RULES)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  EMBED   rules/")
	$(Q)$(BUILD)/embed $(RULES) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/embedded_rules.o: $(BUILD)/gen/embedded_rules.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) -std=c11 $(OPT) $(EXTRA_CFLAGS) -c $< -o $@

# The built-in pack compiled at build time into C (src/dsl/image.h): the
# generator compiles the embedded rules with the library, so the image is
# regenerated whenever a rule file, the compiler or the IR changes.
$(BUILD)/pack-image: $(BUILD)/scripts/pack-image.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/gen/pack_image.c: $(BUILD)/pack-image
	@mkdir -p $(@D)
	@$(if $(Q),echo "  IMAGE   $@")
	$(Q)$(BUILD)/pack-image c > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/pack_image.o: $(BUILD)/gen/pack_image.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) -std=c11 $(OPT) $(EXTRA_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(CMOCKA_CFLAGS) -c $< -o $@

$(BUILD)/tests/support/%.o: tests/support/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(CMOCKA_CFLAGS) -c $< -o $@

# Named as targets (built by the pattern rules above) so that they are not
# intermediate files: make neither deletes them after linking nor, when one
# is deleted, leaves it missing.  (A bare .SECONDARY: made every target
# intermediate: a deleted build/gen/pack_image.c was not made again.)
$(UNIT_OBJ) $(TEST_SUPPORT_OBJ):

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TEST_SUPPORT_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(TEST_SUPPORT_OBJ) $(LIB) $(CMOCKA_LIBS) $(LDLIBS)

# The image tests (test_pack_image, test_match_image, test_engine_image)
# compare what the build-time image holds with what a run builds from source.
$(BUILD)/tests/test_%_image: $(BUILD)/tests/test_%_image.o $(TEST_SUPPORT_OBJ) $(LIB) $(BUILD)/gen/pack_image.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/gen/pack_image.o $(TEST_SUPPORT_OBJ) $(LIB) $(CMOCKA_LIBS) $(LDLIBS)

# Fuzz harnesses double as corpus replay programs in `make check`.
$(BUILD)/tests/replay_%: tests/fuzz/%.c tests/fuzz/standalone.c $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< tests/fuzz/standalone.c $(LIB) $(LDFLAGS) $(LDLIBS)

check: all $(UNIT_BINS) $(FUZZ_REPLAY)
	$(Q)BUILD=$(BUILD) ZANLINT=$(BIN) TEST_WRAP="$(TEST_WRAP)" sh scripts/run-tests

asan:
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DZL_ARENA_DEBUG" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" check

valgrind:
	$(Q)$(MAKE) --no-print-directory BUILD=build/valgrind OPT="-O1 -g" EXTRA_CFLAGS="-DZL_ARENA_DEBUG -DZL_NO_JIT" \
	  TEST_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" check

fuzz:
	$(Q)mkdir -p $(BUILD)/fuzz
	$(Q)for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  echo "  FUZZ    $$n"; \
	  clang $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) \
	    -o $(BUILD)/fuzz/$$n $$f $(LIB_SRC) $(BUILD)/gen/embedded_rules.c $(PKG_LIBS) -lpthread -lm || exit 1; \
	done

deps:
	$(Q)sh scripts/install-deps

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh scripts/demo $(BIN)

docs: $(BIN)
	$(Q)$(BIN) rules --format markdown > docs/rules.md

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/zanlint
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libzanlint.a
	install -m 644 include/zanlint.h $(DESTDIR)$(PREFIX)/include/zanlint.h
	install -m 644 docs/zanlint.1 $(DESTDIR)$(PREFIX)/share/man/man1/zanlint.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/zanlint $(DESTDIR)$(PREFIX)/lib/libzanlint.a \
	  $(DESTDIR)$(PREFIX)/include/zanlint.h $(DESTDIR)$(PREFIX)/share/man/man1/zanlint.1

clean:
	rm -rf build $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
