# reference/src/module.mk - the reference object model: libdoref.so (the COM
# in-process server, exporting only DllGetClassObject and DllCanUnloadNow)
# and libdoref.a (every object, for the unit tests that reach internals).
# Owns: $(B)/libdoref.so, $(B)/libdoref.a, $(B)/doref.map, install-ref,
# check-layers.
# Both link against $(B)/libdocom.so (reference/com/module.mk).

# The download engine's fragment (reference/src/engine.mk, its owner's,
# read by the top Makefile before this one) lists its sources in
# REF_ENGINE_SRCS and objects in REF_ENGINE_OBJS; both libraries link them.

REF_SRCS := $(filter-out $(REF_ENGINE_SRCS),$(wildcard reference/src/*/*.c))
REF_OBJS := $(REF_SRCS:%.c=$(B)/obj/%.o) $(REF_ENGINE_OBJS)
REF_LIBS  = -lpthread -lm $(if $(REF_ENGINE_OBJS),$(call pc,libcurl)) $(call pc,sqlite3)

# Only the two COM entry points leave the shared object.
$(B)/doref.map:
	@mkdir -p $(@D)
	printf '{\n  global: DllGetClassObject; DllCanUnloadNow;\n  local: *;\n};\n' > $@

$(B)/libdoref.so: $(REF_OBJS) $(B)/libdocom.so $(B)/doref.map
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,libdoref.so -Wl,-z,defs -Wl,-z,nodelete \
	  -Wl,--version-script,$(B)/doref.map -Wl,-rpath,'$$ORIGIN' \
	  -o $@ $(REF_OBJS) $(LDFLAGS) -L$(B) -ldocom $(REF_LIBS)

$(B)/libdoref.a: $(REF_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

ALL_TARGETS += $(B)/libdoref.so $(B)/libdoref.a

# check-layers: the import rules of reference/src's layer folders
# (scripts/check-layers.py, docs/architecture.md "Layers") on the quoted
# includes and, from the objects just built, on the calls.
.PHONY: check-layers
check-layers: $(REF_OBJS)
	python3 scripts/check-layers.py --graph --objects $(B)/obj

CHECK_TARGETS += check-layers

.PHONY: install-ref
install-ref: $(B)/libdoref.so $(B)/libdoref.a
	install -d $(DESTDIR)$(PREFIX)/lib
	install -m 755 $(B)/libdoref.so $(DESTDIR)$(PREFIX)/lib/
	install -m 644 $(B)/libdoref.a $(DESTDIR)$(PREFIX)/lib/

INSTALL_TARGETS += install-ref

# The BITS side of bench/engine-vs-curl.sh (not in CI): a client of
# libdoref.so through DllGetClassObject only.
$(B)/obj/bench/bits_bench.o: CPPFLAGS_bench = -Ireference/include
$(B)/bits_bench: $(B)/obj/bench/bits_bench.o $(B)/libdoref.so $(B)/libdocom.so
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(B)/obj/bench/bits_bench.o -L$(B) -ldoref \
	  -ldocom -Wl,-rpath,'$$ORIGIN'

ALL_TARGETS += $(B)/bits_bench
