# reference/tests/do/module.mk - tests of the DO-native API (IDOManager,
# IDODownload, IDODownloadStatusCallback, IDODownloadInternal;
# docs/do-api.md).  Owns: $(B)/do-tests, check-do.  The binary links the
# object model statically (libdoref.a: the tests reach ref_clock, the
# simulated network and do_service_reset) and libdocom.so dynamically.
# The network suites start their own h2mock ($(B)/h2mock) on a free
# loopback port (the TLS case with the mock's test certificate,
# $(B)/mock/tls/).
#
#   $(B)/do-tests [FILTER]   suites whose name contains FILTER
#   $(B)/do-tests --matrix   the property x state table (docs/do-api.md)

DOTEST_SRCS := $(wildcard reference/tests/do/*.c)
DOTEST_OBJS := $(DOTEST_SRCS:%.c=$(B)/obj/%.o)
DOTEST_H2MOCK := $(if $(wildcard mock-server/module.mk),$(B)/h2mock \
                   $(B)/mock/tls/cert.pem)

$(B)/do-tests: $(DOTEST_OBJS) $(MOCKCTL_OBJ) $(B)/libdoref.a $(B)/libdocom.so
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(DOTEST_OBJS) $(MOCKCTL_OBJ) $(B)/libdoref.a \
	  -L$(B) -ldocom -Wl,-rpath,'$$ORIGIN' $(REF_LIBS) \
	  $(call pc,cunit) $(call pc,libcurl) -lpthread -lm

ALL_TARGETS   += $(B)/do-tests
CHECK_TARGETS += check-do

.PHONY: check-do
check-do: $(B)/do-tests $(DOTEST_H2MOCK)
	H2MOCK=$(abspath $(B))/h2mock H2MOCK_TLS_DIR=$(abspath $(B))/mock/tls \
	  $(B)/do-tests
