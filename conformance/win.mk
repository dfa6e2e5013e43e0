# conformance/win.mk - docts.exe, the runner and every suite built for
# Windows with MinGW-w64, and its runs under Wine.  Owns: $(WB)/docts.exe,
# the MinGW CUnit, conformance-wine, check-wine, conformance-compare.
#
#   $(WB)/docts.exe      runner + suites + platform_win.c, linked with a
#                        CUnit built here from Debian's source package
#                        (scripts/cunit-src.sh), ole32 and oleaut32.  The
#                        suites compile against MinGW's SDK headers;
#                        conformance/win/sdk_gaps.py adds ours only where
#                        MinGW lacks a name.
#   conformance-wine     docts.exe --impl com:local under wine64 in a fresh
#                        prefix against Wine's BITS (qmgr), bits profile,
#                        timed cases in real time; reports in reports/wine/,
#                        Wine's gaps in conformance/known-gaps-wine.txt.
#   check-wine           a short group of the same (make check).
#   conformance-compare  one page of verdicts: the reference run beside the
#                        Wine run (reports/compare/).

WB          := $(B)/win
WIN_CC      ?= x86_64-w64-mingw32-gcc
WIN_AR      ?= x86_64-w64-mingw32-ar
WIN_SDK_INC ?= /usr/share/mingw-w64/include
WIN_INC     := $(WB)/include
WIN_CFLAGS  := -std=gnu11 $(WARN) -O2 -g -DCONST_VTABLE \
               -D_WIN32_WINNT=0x0A00 -I$(WIN_INC) -Iconformance \
               -isystem $(WB)/cunit/include
WIN_DEB     := gcc-mingw-w64-x86-64 mingw-w64-x86-64-dev wine64 dpkg-dev

.PHONY: deps-win
deps-win:
	@scripts/deps.sh $(WIN_DEB)

# ---- the headers --------------------------------------------------------

WIN_HDR_STAMP := $(WIN_INC)/SOURCES.txt
$(WIN_HDR_STAMP): conformance/win/sdk_gaps.py conformance/win/docom.h \
                  $(wildcard reference/include/*.h)
	python3 conformance/win/sdk_gaps.py --ours reference/include \
	  --sdk $(WIN_SDK_INC) --shim conformance/win/docom.h --out $(WIN_INC)

# ---- CUnit for MinGW, from Debian's source package ------------------------

CUNIT_SRC := $(B)/cunit-src
CUNIT_FILES := Framework/CUError.c Framework/MyMem.c Framework/TestDB.c \
               Framework/TestRun.c Framework/Util.c Automated/Automated.c \
               Basic/Basic.c
$(CUNIT_SRC)/.unpacked: scripts/cunit-src.sh
	scripts/cunit-src.sh $(CUNIT_SRC)

# CUnit is third-party code: built with its own (quiet) flags.
$(WB)/cunit/libcunit.a: $(CUNIT_SRC)/.unpacked
	rm -rf $(WB)/cunit && mkdir -p $(WB)/cunit/include/CUnit $(WB)/cunit/obj
	cp $(CUNIT_SRC)/CUnit/Headers/*.h $(WB)/cunit/include/CUnit/
	set -e; for f in $(CUNIT_FILES); do \
	  $(WIN_CC) -O2 -w -I$(WB)/cunit/include/CUnit -I$(WB)/cunit/include \
	    -c $(CUNIT_SRC)/CUnit/Sources/$$f \
	    -o $(WB)/cunit/obj/$$(basename $$f .c).o; done
	$(WIN_AR) rcs $@ $(WB)/cunit/obj/*.o

# ---- docts.exe ----------------------------------------------------------

WIN_SRCS := $(filter-out conformance/platform_posix.c,$(CONF_CORE_SRCS)) \
            conformance/platform_win.c $(CONF_SUITE_SRCS) \
            conformance/main.c reference/com/guids.c
WIN_OBJS := $(WIN_SRCS:%.c=$(WB)/obj/%.o)

$(WB)/obj/%.o: %.c $(WIN_HDR_STAMP) $(WB)/cunit/libcunit.a
	@mkdir -p $(@D)
	$(WIN_CC) $(WIN_CFLAGS) -MMD -MP -c $< -o $@

$(WB)/docts.exe: $(WIN_OBJS) $(WB)/cunit/libcunit.a
	$(WIN_CC) -o $@ $(WIN_OBJS) $(WB)/cunit/libcunit.a -static-libgcc \
	  -lole32 -loleaut32

.PHONY: docts-win
docts-win: deps-win
	$(MAKE) --no-print-directory $(WB)/docts.exe

-include $(shell find $(WB)/obj -name '*.d' 2>/dev/null)

# ---- runs under Wine ------------------------------------------------------

WINE_REPORT ?= reports/wine
WINE_GAPS   := conformance/known-gaps-wine.txt
WINE_RUN     = scripts/conformance-wine.sh --build $(B) --exe $(WB)/docts.exe \
               --h2mock $(B)/h2mock --gaps $(WINE_GAPS)

# Cases that take Wine's BITS service down (every later call then fails
# with RPC_S_SERVER_UNAVAILABLE) run after all others; their reasons are in
# $(WINE_GAPS).
WINE_LAST := ERR-050,ERR-051

.PHONY: conformance-wine-run
conformance-wine-run: $(WB)/docts.exe $(B)/h2mock $(MOCK_CERT)
	nice $(WINE_RUN) --report $(WINE_REPORT) -- --last '$(WINE_LAST)' \
	  $(DOCTS_FLAGS)

# The short group of make check (about 45 cases, a fresh prefix, < 3 min):
# manager, job and file basics, the in-process-only rows (not applicable
# here), states, a download from the shared h2mock, a private h2mock with a
# fault rule, a callback and a range job; with the Wine expectations.
WINE_CHECK_BASICS := MGR-00[1-5],JOB-00[1-9],FILE-00[1-6],CF-01[3-8]
WINE_CHECK_MORE   := ENUM-00[1-5],ST-00[1-6],CON-014,ERR-00[12],NTF-001,RNG-005
WINE_CHECK_CASES  := $(WINE_CHECK_BASICS),$(WINE_CHECK_MORE)
.PHONY: check-wine
check-wine: deps-win $(WB)/docts.exe $(B)/h2mock
	$(WINE_RUN) --report $(B)/wine-check -- --case '$(WINE_CHECK_CASES)'

CHECK_TARGETS += check-wine

# ---- side by side -----------------------------------------------------------

REF_REPORT     ?= reports
COMPARE_REPORT ?= reports/compare
.PHONY: conformance-compare-run
conformance-compare-run: $(B)/docts
	$(B)/docts compare $(REF_REPORT)=reference $(WINE_REPORT)=wine-qmgr \
	  --report $(COMPARE_REPORT)
