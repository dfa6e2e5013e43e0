# reference/com/module.mk - the public headers (reference/include/) and the
# COM runtime libdocom.so (our ole32/oleaut32 and uuid library), with its
# tests.  Owns: $(B)/libdocom.so, $(B)/com-tests, check-com, install-com.
#
#   $(B)/libdocom.so   CoTaskMem*, Sys*String*, Variant*, SafeArray*, GUID
#                      helpers, CoCreateInstance, docom_* helpers, every
#                      IID_/CLSID_/LIBID_ of the headers.
#   check-com          unit tests of the above, the SDK-client compile test,
#                      each header compiled on its own, and (when python3
#                      is present) a check that the generated vtable blocks
#                      of the headers are up to date.

COM_SRCS := reference/com/alloc.c reference/com/bstr.c \
            reference/com/variant.c reference/com/safearray.c \
            reference/com/guid.c reference/com/guids.c \
            reference/com/strings.c reference/com/hresult.c \
            reference/com/cocreate.c
COM_OBJS := $(COM_SRCS:%.c=$(B)/obj/%.o) $(B)/obj/com-gen/hresult_names.o
COM_HDRS := $(wildcard reference/include/*.h)

# The HRESULT name table is generated from the headers, so each name and
# value is written once (in the header).
$(B)/com-gen/hresult_names.c: reference/com/gen_hresult_names.sh $(COM_HDRS)
	@mkdir -p $(@D)
	sh reference/com/gen_hresult_names.sh reference/include > $@.tmp
	mv $@.tmp $@

$(B)/obj/com-gen/hresult_names.o: $(B)/com-gen/hresult_names.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CPPFLAGS_reference) -Ireference/com -MMD -MP -c $< -o $@

$(B)/libdocom.so: $(COM_OBJS)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,libdocom.so -Wl,-z,defs -Wl,-rpath,'$$ORIGIN' \
	  -o $@ $^ \
	  $(LDFLAGS) -ldl -lpthread

ALL_TARGETS += $(B)/libdocom.so

# ---- tests --------------------------------------------------------------

COM_TEST_SRCS := $(wildcard reference/com/tests/*.c)
COM_TEST_OBJS := $(COM_TEST_SRCS:%.c=$(B)/obj/%.o)

$(B)/com-tests: $(COM_TEST_OBJS) $(B)/libdocom.so
	@mkdir -p $(@D)
	$(CC) -o $@ $(COM_TEST_OBJS) $(LDFLAGS) -L$(B) -ldocom \
	  -Wl,-rpath,'$$ORIGIN' $(call pc,cunit) -ldl -lpthread

# The in-process server the cocreate tests load through DOCOM_SERVER.
$(B)/libdocom-fake-server.so: $(B)/obj/reference/com/tests/fake/fake_server.o \
                              $(B)/libdocom.so
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,libdocom-fake-server.so -Wl,-z,defs -o $@ $< \
	  $(LDFLAGS) -L$(B) -ldocom \
	  -Wl,-rpath,'$$ORIGIN'

# Each public header must compile on its own, in C and (as a courtesy to
# C++ clients) in C++.
$(B)/com-gen/headers.stamp: $(COM_HDRS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@set -e; for h in $(notdir $(COM_HDRS)); do \
	  printf '#define COBJMACROS\n#include <%s>\n' $$h | \
	    $(CC) $(CSTD) $(WARN) -Ireference/include -fsyntax-only -x c - || \
	    { echo "check-com: $$h does not compile alone" >&2; exit 1; }; \
	  if command -v g++ >/dev/null; then \
	    printf '#define COBJMACROS\n#include <%s>\n' $$h | \
	      g++ -std=c++17 -Wall -Wextra -Werror -Ireference/include \
	        -fsyntax-only -x c++ - || \
	      { echo "check-com: $$h fails in C++" >&2; exit 1; }; \
	  fi; \
	done
	@touch $@

.PHONY: check-com check-com-headers
check-com-headers: $(B)/com-gen/headers.stamp
	@if command -v python3 >/dev/null; then \
	  python3 reference/com/gen_headers.py --check reference/include; \
	else echo "check-com: python3 absent, generated blocks not checked"; fi

check-com: $(B)/com-tests $(B)/libdocom-fake-server.so check-com-headers
	cd $(B) && ./com-tests

CHECK_TARGETS += check-com

# ---- install ------------------------------------------------------------

.PHONY: install-com
install-com: $(B)/libdocom.so
	install -d $(DESTDIR)$(PREFIX)/include/docts $(DESTDIR)$(PREFIX)/lib
	install -m 644 $(COM_HDRS) $(DESTDIR)$(PREFIX)/include/docts/
	install -m 755 $(B)/libdocom.so $(DESTDIR)$(PREFIX)/lib/

INSTALL_TARGETS += install-com
