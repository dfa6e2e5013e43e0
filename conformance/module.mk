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
CONF_SUITE_SRCS := $(wildcard conformance/suite_*.c)
CONF_CORE_OBJS := $(CONF_CORE_SRCS:%.c=$(B)/obj/%.o)
CONF_OBJS := $(CONF_CORE_OBJS) $(CONF_SUITE_SRCS:%.c=$(B)/obj/%.o) \
             $(B)/obj/conformance/main.o
CONF_LIBS := -L$(B) -ldocom -Wl,-rpath,'$$ORIGIN' \
             $(or $(call pc,cunit),-lcunit) -ldl

$(B)/docts: $(CONF_OBJS) $(B)/libdocom.so
	$(CC) -o $@ $(CONF_OBJS) $(LDFLAGS) $(CONF_LIBS)

ALL_TARGETS += $(B)/docts

# ---- the conformance run ------------------------------------------------

IMPL ?= $(B)/libdoref.so
# Only depend on what this tree builds (a vendor's IMPL is theirs).
CONF_RUN_DEPS := $(B)/docts $(filter $(IMPL) $(B)/h2mock,$(ALL_TARGETS))
# The reference's own known gaps apply only to the reference.
CONF_REF_GAPS := conformance/known-gaps-ref.txt
CONF_GAPS_FLAG = $(if $(filter $(B)/libdoref.so,$(IMPL)),\
                   --known-gaps $(CONF_REF_GAPS))

.PHONY: conformance-run
conformance-run: $(CONF_RUN_DEPS)
	$(B)/docts --impl $(IMPL) --report reports $(CONF_GAPS_FLAG) \
	  $(DOCTS_FLAGS)

# docs/cases.md is generated from the case tables.
.PHONY: conformance-cases-md
conformance-cases-md: $(B)/docts
	$(B)/docts --list-md > docs/cases.md.tmp && mv docs/cases.md.tmp docs/cases.md

# ---- the runner's own tests ---------------------------------------------

CONF_TEST_SRCS := conformance/tests/test_runner.c \
                  conformance/tests/suite_selftest.c
CONF_TEST_OBJS := $(CONF_TEST_SRCS:%.c=$(B)/obj/%.o)

$(B)/docts-selftest: $(CONF_TEST_OBJS) $(CONF_CORE_OBJS) $(B)/libdocom.so
	$(CC) -o $@ $(CONF_TEST_OBJS) $(CONF_CORE_OBJS) $(LDFLAGS) $(CONF_LIBS)

$(B)/conf-fake-mock: conformance/tests/fake-mock.sh
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
	  $(B)/docts --impl $(B)/libdoref.so --known-gaps $(CONF_REF_GAPS) \
	    --report $(CONF_SELFTEST_DIR)/ref-reports --quiet && \
	  xmllint --noout $(CONF_SELFTEST_DIR)/ref-reports/junit.xml \
	    $(CONF_SELFTEST_DIR)/ref-reports/CUnit-Results.xml \
	    $(CONF_SELFTEST_DIR)/ref-reports/report.html && \
	  python3 -m json.tool $(CONF_SELFTEST_DIR)/ref-reports/summary.json \
	    >/dev/null; \
	else echo "check-conf: no libdoref.so in this tree; reference run skipped"; fi

CHECK_TARGETS += check-conf

# ---- install ------------------------------------------------------------

.PHONY: install-conf
install-conf: $(B)/docts
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(B)/docts $(DESTDIR)$(PREFIX)/bin/

INSTALL_TARGETS += install-conf
