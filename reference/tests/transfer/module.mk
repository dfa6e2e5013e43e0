# reference/tests/transfer/module.mk - end-to-end transfer tests of the
# reference (issue 4, item 10): CUnit, table-driven, each case against its
# own h2mock on a free loopback port, through the public COM interfaces
# only.  Owns: $(B)/transfer-tests, check-xfer.  Links the object model
# statically (libdoref.a) and the COM runtime dynamically (libdocom.so), as
# reference/tests/module.mk does; libcurl (the /_mock/ control requests)
# and libcrypto (SHA-256 of fixtures) are the tests' own needs.
#
#   $(B)/transfer-tests [SUITE-FILTER [CASE-FILTER]]
#   make check SANBUILD=build/san-<you> CHECKS=check-xfer

XFERTEST_SRCS := $(wildcard reference/tests/transfer/*.c)
XFERTEST_OBJS := $(XFERTEST_SRCS:%.c=$(B)/obj/%.o)

$(B)/transfer-tests: $(XFERTEST_OBJS) $(MOCKCTL_OBJ) $(B)/libdoref.a \
                     $(B)/libdocom.so
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(XFERTEST_OBJS) $(MOCKCTL_OBJ) $(B)/libdoref.a \
	  -L$(B) -ldocom -Wl,-rpath,'$$ORIGIN' $(REF_LIBS) \
	  $(call pc,libcurl) $(call pc,openssl) $(call pc,cunit) -lpthread -lm

ALL_TARGETS   += $(B)/transfer-tests
CHECK_TARGETS += check-xfer

# h2mock and its self-signed certificate come from mock-server/module.mk.
XFER_H2MOCK := $(if $(wildcard mock-server/module.mk),$(B)/h2mock \
               $(B)/mock/tls/cert.pem)

.PHONY: check-xfer
check-xfer: $(B)/transfer-tests $(XFER_H2MOCK)
	H2MOCK=$(abspath $(B))/h2mock H2MOCK_TLS_DIR=$(abspath $(B))/mock/tls \
	  $(B)/transfer-tests
