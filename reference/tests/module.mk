# reference/tests/module.mk - the reference's unit tests (CUnit,
# table-driven), run by `make check` as check-ref under ASan+UBSan (any
# sanitizer report or failed assertion fails the run).  Owns:
# $(B)/reference-tests, check-ref.  The binary links the object model
# statically (libdoref.a, so the tests reach its hooks: the allocation
# seam, the policy setters, ref_job_set_error) and the COM runtime
# dynamically (libdocom.so), as a client of the reference would; the
# reference's own link libraries come from REF_LIBS (reference/src).
#
#   $(B)/reference-tests [FILTER]   runs the suites whose name contains
#                                   FILTER (all without one)

REFTEST_SRCS := $(filter-out reference/tests/mockctl.c,\
                  $(wildcard reference/tests/*.c))
REFTEST_OBJS := $(REFTEST_SRCS:%.c=$(B)/obj/%.o)

$(B)/reference-tests: $(REFTEST_OBJS) $(B)/libdoref.a $(B)/libdocom.so
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(REFTEST_OBJS) $(B)/libdoref.a \
	  -L$(B) -ldocom -Wl,-rpath,'$$ORIGIN' $(REF_LIBS) \
	  $(call pc,cunit) -lpthread -lm

ALL_TARGETS   += $(B)/reference-tests
CHECK_TARGETS += check-ref

.PHONY: check-ref
check-ref: $(B)/reference-tests
	$(B)/reference-tests

# ---- h2mock for the test binaries ----------------------------------------
#
# mockctl.o (reference/tests/mockctl.c) starts h2mock and talks to its
# /_mock/ endpoint for every reference test binary that needs a server:
# transfer-, do-, persist- and engine-tests link it (and libcurl).  Their
# check-* targets pass the same environment: H2MOCK, the executable, and
# H2MOCK_TLS_DIR, the directory of the mock's test certificate
# (mockctl.h).  engine-tests is linked by reference/src/engine.mk, which
# lists ENGINE_TEST_OBJS in its recipe: mockctl.o joins that list here.
MOCKCTL_OBJ := $(B)/obj/reference/tests/mockctl.o
ENGINE_TEST_OBJS += $(MOCKCTL_OBJ)
$(B)/engine-tests: $(MOCKCTL_OBJ)
