# conformance/module.mk - the conformance runner docts, its suites and the
# runner's own tests.  Owns: $(B)/docts, $(B)/docts-selftest,
# conformance-run, check-conf, install-conf.
#
#   $(B)/docts         the runner + every suite of conformance/suites.h;
#                      links only libdocom.so (and CUnit, libdl).  The
#                      implementation is dlopen'ed at run time.
#   conformance-run    docts against $(IMPL) (default: the reference),
#                      reports in reports/ (the top Makefile's
#                      `make conformance` runs this).
#   check-conf         the runner's unit and end-to-end tests (selection,
#                      shards, known gaps, CRASH/TIMEOUT isolation, mock
#                      start/stop, report well-formedness with xmllint and
#                      python3 -m json.tool), then every suite against the
#                      reference (with its known gaps).

CONF_CORE_SRCS := conformance/runner.c conformance/casectx.c \
                  conformance/select.c conformance/report.c \
                  conformance/report_html.c conformance/platform_posix.c
CONF_SUITE_SRCS := $(wildcard conformance/suite_*.c) conformance/netcase.c
CONF_CORE_OBJS := $(CONF_CORE_SRCS:%.c=$(B)/obj/%.o)
CONF_OBJS := $(CONF_CORE_OBJS) $(CONF_SUITE_SRCS:%.c=$(B)/obj/%.o) \
             $(B)/obj/conformance/main.o
CONF_LIBS  = -L$(B) -ldocom -Wl,-rpath,'$$ORIGIN' \
             $(or $(call pc,cunit),-lcunit) -ldl

$(B)/docts: $(CONF_OBJS) $(B)/libdocom.so
	@mkdir -p $(@D)
	$(CC) -o $@ $(CONF_OBJS) $(LDFLAGS) $(CONF_LIBS)

ALL_TARGETS += $(B)/docts

# ---- the conformance run ------------------------------------------------

IMPL ?= $(B)/libdoref.so
# Only depend on what this tree builds (a vendor's IMPL is theirs).  The
# mock's test certificate too: without it the HTTPS cases (ERR-064..067)
# are skipped.
CONF_RUN_DEPS := $(B)/docts \
  $(filter $(IMPL) $(B)/h2mock $(MOCK_CERT) $(MOCK_KEY),$(ALL_TARGETS))
# The reference's own known gaps apply only to the reference.
CONF_REF_GAPS := conformance/known-gaps-ref.txt
CONF_GAPS_FLAG = $(if $(filter $(B)/libdoref.so,$(IMPL)),\
                   --known-gaps $(CONF_REF_GAPS))
# An unreadable source for WIN-007 when the runner is root (who reads any
# mode-0 file): the reference's test seam DOREF_DENY_READ_PREFIX makes
# this file unreadable to it.  Only for the reference; a vendor run as
# root skips the case or names its own file (DOCTS_UNREADABLE_FILE).
CONF_UNREADABLE := $(abspath $(B))/conf-unreadable
CONF_REF_ENV = $(if $(filter $(B)/libdoref.so,$(IMPL)),\
  mkdir -p $(CONF_UNREADABLE) && echo x > $(CONF_UNREADABLE)/source.bin && \
  DOREF_DENY_READ_PREFIX=$(CONF_UNREADABLE) \
  DOCTS_UNREADABLE_FILE=$(CONF_UNREADABLE)/source.bin)

.PHONY: conformance-run
conformance-run: $(CONF_RUN_DEPS)
	$(CONF_REF_ENV) $(B)/docts --impl $(IMPL) --report reports \
	  $(CONF_GAPS_FLAG) $(DOCTS_FLAGS)

# docs/cases.md is generated from the case tables.
.PHONY: conformance-cases-md
conformance-cases-md: $(B)/docts
	$(B)/docts --list-md > docs/cases.md.tmp && mv docs/cases.md.tmp docs/cases.md

# ---- the runner's own tests ---------------------------------------------

CONF_TEST_SRCS := conformance/tests/test_runner.c \
                  conformance/tests/suite_selftest.c
CONF_TEST_OBJS := $(CONF_TEST_SRCS:%.c=$(B)/obj/%.o)

$(B)/docts-selftest: $(CONF_TEST_OBJS) $(CONF_CORE_OBJS) $(B)/libdocom.so
	@mkdir -p $(@D)
	$(CC) -o $@ $(CONF_TEST_OBJS) $(CONF_CORE_OBJS) $(LDFLAGS) $(CONF_LIBS)

$(B)/conf-fake-mock: conformance/tests/fake-mock.sh
	@mkdir -p $(@D)
	cp $< $@ && chmod +x $@

CONF_SELFTEST_DIR := $(B)/conf-selftest
CONF_REF := $(filter $(B)/libdoref.so,$(ALL_TARGETS))

.PHONY: check-conf
check-conf: $(B)/docts-selftest $(B)/conf-fake-mock $(B)/docts $(CONF_REF)
	rm -rf $(CONF_SELFTEST_DIR) && mkdir -p $(CONF_SELFTEST_DIR)
	$(B)/docts-selftest $(CONF_SELFTEST_DIR) $(B)/conf-fake-mock
	xmllint --noout $(CONF_SELFTEST_DIR)/reports/junit.xml \
	  $(CONF_SELFTEST_DIR)/reports/CUnit-Results.xml \
	  $(CONF_SELFTEST_DIR)/reports/report.html
	python3 -m json.tool $(CONF_SELFTEST_DIR)/reports/summary.json >/dev/null
	@if [ -n "$(CONF_REF)" ]; then \
	  echo "check-conf: every suite against the reference"; \
	  mkdir -p $(CONF_UNREADABLE) && echo x > $(CONF_UNREADABLE)/source.bin && \
	  DOREF_DENY_READ_PREFIX=$(CONF_UNREADABLE) \
	  DOCTS_UNREADABLE_FILE=$(CONF_UNREADABLE)/source.bin \
	  $(B)/docts --impl $(B)/libdoref.so --known-gaps $(CONF_REF_GAPS) \
	    --report $(CONF_SELFTEST_DIR)/ref-reports --quiet && \
	  xmllint --noout $(CONF_SELFTEST_DIR)/ref-reports/junit.xml \
	    $(CONF_SELFTEST_DIR)/ref-reports/CUnit-Results.xml \
	    $(CONF_SELFTEST_DIR)/ref-reports/report.html && \
	  python3 -m json.tool $(CONF_SELFTEST_DIR)/ref-reports/summary.json \
	    >/dev/null; \
	else echo "check-conf: no libdoref.so in this tree; reference run skipped"; fi

CHECK_TARGETS += check-conf

# Every item of spec/behavior.md §14 named by at least one case's rule
# (or waived with its reason in conformance/selftest/spec-uncovered.txt).
# The spec sits beside the checkout (../shared/spec/, SPEC_DIR=...);
# without it the check says so and passes.
SPEC_DIR ?= ../shared/spec
.PHONY: conformance-spec-coverage
conformance-spec-coverage: $(B)/docts
	@if [ -f $(SPEC_DIR)/behavior.md ]; then \
	  $(B)/docts --list-md > $(B)/conf-cases.md && \
	  python3 conformance/selftest/spec_coverage.py \
	    --spec $(SPEC_DIR)/behavior.md --cases $(B)/conf-cases.md \
	    --waived conformance/selftest/spec-uncovered.txt; \
	else echo "conformance-spec-coverage: no $(SPEC_DIR)/behavior.md;" \
	  "skipped"; fi
check-conf: conformance-spec-coverage

# ---- install ------------------------------------------------------------

.PHONY: install-conf
install-conf: $(B)/docts
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(B)/docts $(DESTDIR)$(PREFIX)/bin/

INSTALL_TARGETS += install-conf

# ---- proof that the suites catch defects (not part of make check) --------
#
# conformance-selftest: builds every mutant of conformance/selftest/
# mutants.txt (one planted defect each, patched into a copy of
# reference/src under $(B)/mutants/ID/, compiled with the reference's
# CFLAGS and linked like $(B)/libdoref.so) and runs docts against each;
# fails unless every mutant makes at least one required case fail.
# MUTANTS=M01-...,M02-... runs some of them only.

.PHONY: conformance-selftest
conformance-selftest: $(B)/docts $(B)/libdoref.so $(B)/h2mock
	python3 conformance/selftest/mutants.py --build $(B) --cc "$(CC)" \
	  --cflags "$(CFLAGS) $(CPPFLAGS_reference)" --objs "$(REF_OBJS)" \
	  --libs "$(LDFLAGS) -L$(B) -ldocom $(REF_LIBS)" \
	  $(if $(MUTANTS),--only $(MUTANTS))

# ---- coverage: the gcovr part ---------------------------------------------
#
# coverage-report (run by the top Makefile's `make coverage` after its
# check run, with BUILD=$(COVBUILD) VARIANT=cov): the conformance run against
# the --coverage libdoref.so (so the suites count), then gcovr's HTML and
# JSON for reference/ and mock-server/ into reports/coverage/, the line and
# branch summary, and the ten least-covered files of reference/src.

# gcovr's search path is $(B)/obj, named explicitly: without it gcovr 5.2
# searches --root (the whole checkout) and also reads the .gcda files of
# every other build directory under build/ (each engineer's own coverage
# build, compiled from another version of the same sources), and then
# stops with an AssertionError in merge_function when one function sits
# on different lines in two of them (docs/decisions.md).
COV_GCOVR := gcovr --root . --object-directory $(B)/obj $(B)/obj -j 2 \
  --filter 'reference/src/' --filter 'reference/com/' \
  --filter 'mock-server/src/' --exclude 'reference/com/tests/' \
  --exclude-unreachable-branches

# The case children end with _exit(); $(B)/cov-exit.so (preloaded) turns
# that into exit() so gcov writes the counters of the dlopen'ed library.
$(B)/cov-exit.so: conformance/selftest/cov_exit.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -O1 -o $@ $<

.PHONY: coverage-report
coverage-report: $(B)/docts $(B)/libdoref.so $(B)/h2mock $(B)/cov-exit.so
	-LD_PRELOAD=$(abspath $(B)/cov-exit.so) $(B)/docts \
	  --impl $(B)/libdoref.so --known-gaps $(CONF_REF_GAPS) \
	  --report $(B)/cov-conformance --quiet --jobs 2
	rm -rf reports/coverage && mkdir -p reports/coverage
	$(COV_GCOVR) --html-details reports/coverage/index.html \
	  --json reports/coverage/coverage.json \
	  --json-summary reports/coverage/summary.json --print-summary
	python3 conformance/selftest/cov_summary.py reports/coverage/summary.json 10
