# reference/tests/store/module.mk - the job store's unit tests (CUnit),
# run by `make check` as check-store under ASan+UBSan.  Owns:
# $(B)/store-tests, check-store.  The binary links the store's object and
# the allocation seam it uses (whose task allocator lives in libdocom.so)
# and SQLite; it needs no other part of the reference.
#
#   $(B)/store-tests [SUITE]   runs one suite (all without one)
#
# The full-disk and read-only cases mount a small tmpfs in a private mount
# namespace of a child process when they can (root); otherwise they fall
# back to RLIMIT_FSIZE / a read-only file and say so.

STORE_TEST_SRCS := $(wildcard reference/tests/store/*.c)
STORE_TEST_OBJS := $(STORE_TEST_SRCS:%.c=$(B)/obj/%.o)
STORE_TEST_LIBOBJS := $(B)/obj/reference/src/store/ref_store.o \
                      $(B)/obj/reference/src/base/ref_alloc.o

$(B)/store-tests: $(STORE_TEST_OBJS) $(STORE_TEST_LIBOBJS) $(B)/libdocom.so
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(STORE_TEST_OBJS) $(STORE_TEST_LIBOBJS) \
	  -L$(B) -ldocom -Wl,-rpath,'$$ORIGIN' $(call pc,cunit) \
	  $(call pc,sqlite3) -lpthread

ALL_TARGETS   += $(B)/store-tests
CHECK_TARGETS += check-store

.PHONY: check-store
check-store: $(B)/store-tests
	$(B)/store-tests
