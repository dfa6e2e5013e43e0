# reference/tests/persist/module.mk - jobs survive the process (issue 7):
# restart and SIGKILL tests of the wired job store.  Owns:
# $(B)/persist-tests (CUnit, the test driver), $(B)/persist-child (the
# helper each test runs as fresh processes: fork + exec, so every child is
# a new process with its own store connection) and check-persist.
#
#   $(B)/persist-tests [FILTER]     PERSIST_TESTS_SEED=n varies kill times
#   make check SANBUILD=build/san-<you> CHECKS=check-persist
#
# The child links the object model statically (libdoref.a), as the other
# reference tests do; the driver needs OpenSSL (SHA-256), CUnit and, for
# the h2mock launcher it shares (../mockctl.o), libcurl.
# The full-disk and read-only cases mount a small tmpfs in a private mount
# namespace (root); they print SKIP when that is impossible.
# bench/crash-soak.sh uses the same two programs from a release build.

PERSIST_TEST_OBJS  := $(B)/obj/reference/tests/persist/persist_tests.o
PERSIST_CHILD_OBJS := $(B)/obj/reference/tests/persist/persist_child.o

$(B)/persist-child: $(PERSIST_CHILD_OBJS) $(B)/libdoref.a $(B)/libdocom.so
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(PERSIST_CHILD_OBJS) $(B)/libdoref.a \
	  -L$(B) -ldocom -Wl,-rpath,'$$ORIGIN' $(REF_LIBS) $(call pc,sqlite3) \
	  -lpthread -lm

$(B)/persist-tests: $(PERSIST_TEST_OBJS) $(MOCKCTL_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(PERSIST_TEST_OBJS) $(MOCKCTL_OBJ) \
	  $(call pc,openssl) $(call pc,libcurl) $(call pc,cunit) -lpthread

ALL_TARGETS   += $(B)/persist-tests $(B)/persist-child
CHECK_TARGETS += check-persist

PERSIST_H2MOCK := $(if $(wildcard mock-server/module.mk),$(B)/h2mock)

.PHONY: check-persist
check-persist: $(B)/persist-tests $(B)/persist-child $(PERSIST_H2MOCK)
	H2MOCK=$(abspath $(B))/h2mock PERSIST_CHILD=$(abspath $(B))/persist-child \
	  $(B)/persist-tests
