# docts — one Makefile for every part of the project.
#
# Each folder contributes a fragment, <folder>/module.mk, that adds its
# outputs to ALL_TARGETS, its test runs to CHECK_TARGETS and its installed
# files to INSTALL_TARGETS.  This file owns the toolchain flags, the three
# build variants and the dependency check; the fragments own their files.
#
#   make               optimised build in build/
#   make check         every test, built and run under ASan+UBSan (build/san/)
#   make coverage      --coverage build (COVBUILD, build/cov/), tests, gcovr
#                      reports in reports/coverage/
#   make install       PREFIX=/usr/local DESTDIR=
#   make clean
#
# Every compile and link first waits for scripts/deps.sh, which installs the
# Debian packages that are missing (as root) or prints the apt-get line and
# stops (the deps gate below).

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
VARIANT ?= release

CC      ?= gcc
B       := $(BUILD)
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-unused-parameter
CSTD    := -std=gnu11 -D_GNU_SOURCE
ifeq ($(VARIANT),san)
  OPT     := -O1 -g -fno-omit-frame-pointer
  SANFLAG := -fsanitize=address,undefined -fno-sanitize-recover=all
else ifeq ($(VARIANT),cov)
  # Atomic counters: the engine and notification threads run the same
  # functions as the callers' threads, and plain increments lose counts.
  OPT     := -O0 -g --coverage -fprofile-update=atomic
  SANFLAG :=
else ifeq ($(VARIANT),fuzz)
  # libFuzzer build of fuzz/module.mk (CC=clang-14, FUZZBUILD): every
  # object instrumented for coverage, the fuzzer's main linked only into
  # the targets.  Clang does not know the GCC-only warnings some files
  # silence by pragma.
  OPT     := -O1 -g -fno-omit-frame-pointer -Wno-unknown-warning-option
  SANFLAG := -fsanitize=fuzzer-no-link,address,undefined \
             -fno-sanitize-recover=all
else
  OPT     := -O2 -g
  SANFLAG :=
endif
CFLAGS  := $(CSTD) $(WARN) $(OPT) $(SANFLAG) -fPIC $(EXTRA_CFLAGS)
LDFLAGS := $(SANFLAG) $(if $(filter cov,$(VARIANT)),--coverage) $(EXTRA_LDFLAGS)
PKGS    := libcurl libnghttp2 openssl cunit sqlite3
# Flags of a pkg-config package.  Read lazily: only ever used in recipes
# or in variables assigned with `=` (never `:=`), so $(shell pkg-config)
# runs when a link recipe is expanded - after its prerequisites, hence
# after the deps gate has installed the -dev packages and their .pc files.
# Expanded at parse time instead, on a fresh machine it would read
# nothing and the first link would miss -lcurl -lsqlite3 (or -lnghttp2
# -lssl).  A recursive make after the gate would work too, but every
# entry point (make, make check, make build/h2mock) would need the extra
# level; lazy flags keep the one-level build.
pc       = $(shell pkg-config --cflags --libs $(1) 2>/dev/null)

# Sanitizer settings used by every test run: any report fails the run.
export ASAN_OPTIONS  := detect_leaks=1:abort_on_error=0:halt_on_error=1:exitcode=86:detect_stack_use_after_return=1
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1:exitcode=87

ALL_TARGETS     :=
CHECK_TARGETS   :=
INSTALL_TARGETS :=

.PHONY: all check coverage conformance install clean deps format-check \
        run-checks FORCE
all: deps build-all

# The deps gate: scripts/deps.sh runs once per build directory (again when
# the script changes) and every compile and link waits for its stamp as
# an order-only prerequisite, so under -j no compiler starts while
# apt-get is still installing, and the script never runs twice at once
# (`deps` is the same file target, not a second run).  DEPS_SCRIPT
# replaces the script (the build-race test of docs/reliability.md).
DEPS_SCRIPT ?= scripts/deps.sh
DEPS_STAMP  := $(B)/.deps.stamp
deps: $(DEPS_STAMP)

$(DEPS_STAMP): scripts/deps.sh
	@mkdir -p $(@D)
	@$(DEPS_SCRIPT)
	@touch $@

# Compile rule shared by all modules; objects mirror the source tree.
$(B)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CPPFLAGS_$(firstword $(subst /, ,$*))) -MMD -MP -c $< -o $@

# One -I per layer folder of reference/src (docs/architecture.md "Layers"):
# a header is named by its file name, its folder says its layer.
REF_LAYERS           := base model engine store core persist com do entry
CPPFLAGS_reference   := -Ireference/include \
                        $(addprefix -Ireference/src/,$(REF_LAYERS))
CPPFLAGS_conformance := -Ireference/include -Iconformance
CPPFLAGS_mock-server := -Imock-server/src
CPPFLAGS_fuzz        := -Imock-server/src $(CPPFLAGS_reference) -Iconformance

# Fragments, one per owner: COM headers and runtime, the reference's object
# model and engine, the reference's tests, the mock server, the runner.
-include $(wildcard reference/com/module.mk reference/src/engine.mk \
                    reference/src/module.mk reference/tests/module.mk \
                    reference/tests/transfer/module.mk \
                    reference/tests/do/module.mk \
                    reference/tests/store/module.mk \
                    reference/tests/persist/module.mk \
                    mock-server/module.mk \
                    conformance/module.mk conformance/win.mk \
                    fuzz/module.mk)

.PHONY: build-all
build-all: $(ALL_TARGETS)

# Everything a fragment builds waits for the gate too (objects already do
# through the compile rule; this covers rules without objects).
$(ALL_TARGETS): | $(DEPS_STAMP)

# Tests always run on the sanitizer build.  CHECKS=check-mock (say) limits
# the run to some groups; SANBUILD moves the build elsewhere.
SANBUILD ?= build/san
CHECKS   ?= $(CHECK_TARGETS)
check: deps
	$(MAKE) --no-print-directory BUILD=$(SANBUILD) VARIANT=san run-checks

run-checks: $(ALL_TARGETS)
	@set -e; for t in $(CHECKS); do \
	  $(MAKE) --no-print-directory BUILD=$(BUILD) VARIANT=$(VARIANT) $$t; done
	@echo "make check: all test runs passed ($(words $(CHECKS)) groups: $(CHECKS))"

# The coverage build starts from an empty COVBUILD, so no counter file of
# an earlier build (compiled from other sources or flags) survives into the
# report; coverage-report reads only COVBUILD's objects (docs/decisions.md).
COVBUILD ?= build/cov
coverage: deps
	rm -rf $(COVBUILD)
	$(MAKE) --no-print-directory BUILD=$(COVBUILD) VARIANT=cov run-checks
	$(MAKE) --no-print-directory BUILD=$(COVBUILD) VARIANT=cov coverage-report

install: deps build-all $(INSTALL_TARGETS) install-pc

# The main job: the conformance suite against the reference (or IMPL=…).
conformance: deps
	$(MAKE) --no-print-directory BUILD=$(BUILD) conformance-run

# docts.exe under Wine against Wine's BITS service (conformance/win.mk).
.PHONY: conformance-wine conformance-compare
conformance-wine: deps deps-win
	$(MAKE) --no-print-directory BUILD=$(BUILD) conformance-wine-run

# The reference run beside the Wine run, one page (reports/compare/).
conformance-compare: deps
	$(MAKE) --no-print-directory BUILD=$(BUILD) conformance-compare-run

# pkg-config file for people who build against the reference.
DOREF_VERSION := 0.1.0
$(B)/doref.pc: FORCE
	@mkdir -p $(@D)
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' \
	  'includedir=$${prefix}/include/docts' '' 'Name: doref' \
	  'Description: docts reference implementation of the BITS and Delivery Optimization COM interfaces' \
	  'Version: $(DOREF_VERSION)' 'Cflags: -I$${includedir}' \
	  'Libs: -L$${libdir} -Wl,-rpath,$${libdir} -ldoref -ldocom' > $@

.PHONY: install-pc
install-pc: $(B)/doref.pc
	install -D -m 644 $(B)/doref.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/doref.pc

format-check: deps
	@clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
