# reference/src/engine.mk - the download engine (ref_engine, ref_transfer,
# ref_errmap, and ref_shared_engine: the process's one engine, configured
# from the environment) and its unit tests.  Owns: REF_ENGINE_OBJS (linked into
# libdoref by reference/src/module.mk), $(B)/engine-tests, check-engine.
# `$(B)/engine-tests --errmap-markdown` prints the error table of
# docs/engine.md.
#
#   check-engine   CUnit tests of the protocol core (in memory), the error
#                  table, and the engine against h2mock (each suite starts
#                  its own h2mock on a free loopback port).

# Included by the top Makefile and by reference/src/module.mk: once only.
ifndef REF_ENGINE_MK
REF_ENGINE_MK := 1

REF_ENGINE_SRCS := reference/src/engine/ref_engine.c \
                   reference/src/engine/ref_transfer.c \
                   reference/src/engine/ref_shared_engine.c \
                   reference/src/engine/ref_errmap.c
REF_ENGINE_OBJS += $(REF_ENGINE_SRCS:%.c=$(B)/obj/%.o)

ENGINE_TEST_SRCS := $(wildcard reference/tests/engine/*.c)
ENGINE_TEST_OBJS := $(ENGINE_TEST_SRCS:%.c=$(B)/obj/%.o)

# The engine's objects plus the allocation seam it uses; the seam's task
# allocator lives in libdocom.so.
$(B)/engine-tests: $(ENGINE_TEST_OBJS) $(REF_ENGINE_OBJS) \
                   $(B)/obj/reference/src/base/ref_alloc.o $(B)/libdocom.so
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(ENGINE_TEST_OBJS) $(REF_ENGINE_OBJS) \
	  $(B)/obj/reference/src/base/ref_alloc.o -L$(B) -ldocom \
	  -Wl,-rpath,'$$ORIGIN' $(call pc,cunit) $(call pc,libcurl) \
	  $(call pc,openssl) -lpthread

ALL_TARGETS += $(B)/engine-tests

# The tests find h2mock through H2MOCK; without the mock's fragment the
# network suites fail with a clear message rather than pass.
ENGINE_H2MOCK := $(if $(wildcard mock-server/module.mk),$(B)/h2mock)

.PHONY: check-engine
check-engine: $(B)/engine-tests $(ENGINE_H2MOCK)
	H2MOCK=$(abspath $(B))/h2mock $(B)/engine-tests

CHECK_TARGETS += check-engine

endif
