# fuzz/module.mk - libFuzzer targets, each on a real parsing function of
# the project (no copies): h2mock's HTTP/1.1 and HTTP/2 input, fault rules,
# control endpoint, Range / If-Range and upload packets; the reference's
# name validation, response judge, error messages and upload Acks; libdocom's GUID strings, BSTRs and
# VARIANTs; the runner's known-gaps file.  docs/reliability.md lists them
# with what each found.  Owns: $(B)/fuzz/*, fuzz, fuzz-run, check-fuzz.
#
#   make fuzz FUZZ_SECONDS=N   builds the targets with clang (FUZZ_CC) in
#                              FUZZBUILD and runs each for N seconds, its
#                              corpus growing in FUZZBUILD/fuzz/corpus/;
#                              one line per target: runs, coverage, corpus
#   make check-fuzz            (a `make check` group) replays every seed
#                              of fixtures/fuzz/<target>/ - the found bugs'
#                              inputs among them - and fuzzes each target
#                              FUZZ_CHECK_SECONDS from a scratch corpus
#   FUZZ_TARGETS=mock_h1 ...   some targets only
#
# Seeds: fixtures/fuzz/<target>/; dictionaries: fixtures/fuzz/*.dict
# (fuzz/run.sh picks one per target).  A crash, leak, timeout or sanitizer
# report fails the run and leaves the input in FUZZBUILD/fuzz/crashes/.

FUZZ_CC            ?= clang-14
FUZZBUILD          ?= build/fuzz
FUZZ_SECONDS       ?= 60
FUZZ_CHECK_SECONDS ?= 6
FUZZ_ALL := mock_h1 mock_h2 mock_faults mock_control mock_range \
            mock_upload ref_names ref_judge ref_errmsg ref_upload com_guid \
            com_bstr conf_gaps
FUZZ_TARGETS ?= $(FUZZ_ALL)

# What each target links besides its own source: the real objects of the
# code it fuzzes, built with the fuzz flags.
FUZZ_MOCK := $(MOCK_CORE_OBJS) $(B)/obj/fuzz/fuzz_mock.o
FUZZ_REF  := $(addprefix $(B)/obj/reference/src/base/,ref_util.o \
               ref_policy.o ref_alloc.o ref_msg.o ref_clock.o ref_owner.o) \
             $(addprefix $(B)/obj/reference/src/engine/,ref_errmap.o \
               ref_transfer.o) $(COM_OBJS)
FUZZ_OBJS_mock_h1      := $(FUZZ_MOCK)
FUZZ_OBJS_mock_h2      := $(FUZZ_MOCK)
FUZZ_OBJS_mock_faults  := $(MOCK_CORE_OBJS)
FUZZ_OBJS_mock_control := $(FUZZ_MOCK)
FUZZ_OBJS_mock_range   := $(FUZZ_MOCK)
FUZZ_OBJS_mock_upload  := $(FUZZ_MOCK)
FUZZ_OBJS_ref_names    := $(FUZZ_REF) $(B)/obj/fuzz/fuzz_wcs.o
FUZZ_OBJS_ref_judge    := $(FUZZ_REF)
FUZZ_OBJS_ref_errmsg   := $(FUZZ_REF)
FUZZ_OBJS_ref_upload   := $(FUZZ_REF) \
  $(B)/obj/reference/src/engine/ref_upload.o
FUZZ_OBJS_com_guid     := $(COM_OBJS) $(B)/obj/fuzz/fuzz_wcs.o
FUZZ_OBJS_com_bstr     := $(COM_OBJS)
FUZZ_OBJS_conf_gaps    := $(B)/obj/conformance/select.o
FUZZ_LIBS_MOCK  = $(call pc,libnghttp2) $(call pc,openssl)
FUZZ_LIBS_REF  := -ldl -lpthread -lm
FUZZ_LIBS_mock_h1 = $(FUZZ_LIBS_MOCK)
FUZZ_LIBS_mock_h2 = $(FUZZ_LIBS_MOCK)
FUZZ_LIBS_mock_faults = $(FUZZ_LIBS_MOCK)
FUZZ_LIBS_mock_control = $(FUZZ_LIBS_MOCK)
FUZZ_LIBS_mock_range = $(FUZZ_LIBS_MOCK)
FUZZ_LIBS_mock_upload = $(FUZZ_LIBS_MOCK)
FUZZ_LIBS_ref_names = $(FUZZ_LIBS_REF)
FUZZ_LIBS_ref_judge = $(FUZZ_LIBS_REF)
FUZZ_LIBS_ref_errmsg = $(FUZZ_LIBS_REF)
FUZZ_LIBS_ref_upload = $(FUZZ_LIBS_REF)
FUZZ_LIBS_com_guid = $(FUZZ_LIBS_REF)
FUZZ_LIBS_com_bstr = $(FUZZ_LIBS_REF)

define FUZZ_LINK
$(B)/fuzz/$(1): $(B)/obj/fuzz/fuzz_$(1).o $$(FUZZ_OBJS_$(1))
	@mkdir -p $$(@D)
	$$(CC) -fsanitize=fuzzer $$(LDFLAGS) -o $$@ $$^ $$(FUZZ_LIBS_$(1))
endef
$(foreach t,$(FUZZ_ALL),$(eval $(call FUZZ_LINK,$(t))))

.PHONY: fuzz fuzz-run check-fuzz
fuzz: deps
	$(MAKE) --no-print-directory BUILD=$(FUZZBUILD) VARIANT=fuzz \
	  CC=$(FUZZ_CC) fuzz-run

# Runs in the fuzz build (BUILD=FUZZBUILD VARIANT=fuzz); FUZZ_SCRATCH=1
# fuzzes from an empty corpus that is thrown away (check-fuzz).
fuzz-run: $(FUZZ_TARGETS:%=$(B)/fuzz/%)
	fuzz/run.sh $(B) $(FUZZ_SECONDS) $(if $(FUZZ_SCRATCH),--scratch) \
	  $(FUZZ_TARGETS)

check-fuzz:
	$(MAKE) --no-print-directory BUILD=$(FUZZBUILD) VARIANT=fuzz \
	  CC=$(FUZZ_CC) FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS) FUZZ_SCRATCH=1 \
	  fuzz-run

CHECK_TARGETS += check-fuzz
