# mock-server/module.mk - h2mock, its unit tests, its end-to-end tests.
#
#   $(B)/h2mock            the server
#   $(B)/mock-unit         CUnit tests of the I/O-free core
#   $(B)/mock/tls/         self-signed test certificate (openssl CLI)
#   make check-mock        unit tests + end-to-end tests (curl, nghttp;
#                          uploads: upload-e2e.sh)
#                          + docs/faults.md matches the action table
#                          + the source files call each other in layers
#   make mock-docs         regenerate docs/faults.md from the table

MOCK_SRCS     := $(wildcard mock-server/src/*.c)
MOCK_CORE_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(filter-out mock-server/src/main.c,$(MOCK_SRCS)))
MOCK_TEST_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(wildcard mock-server/tests/*.c))
MOCK_LIBS      = $(call pc,libnghttp2) $(call pc,openssl)
MOCK_CERT     := $(B)/mock/tls/cert.pem
MOCK_KEY      := $(B)/mock/tls/key.pem

$(B)/h2mock: $(MOCK_CORE_OBJS) $(B)/obj/mock-server/src/main.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(MOCK_LIBS)

$(B)/mock-unit: $(MOCK_CORE_OBJS) $(MOCK_TEST_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(MOCK_LIBS) $(call pc,cunit)

# Self-signed certificate for localhost / 127.0.0.1; never committed.
$(MOCK_CERT):
	@mkdir -p $(@D)
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	  -nodes -days 3650 -subj /CN=localhost \
	  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
	  -keyout $(MOCK_KEY) -out $@ 2>/dev/null
$(MOCK_KEY): $(MOCK_CERT)

ALL_TARGETS   += $(B)/h2mock $(B)/mock-unit $(MOCK_CERT)
CHECK_TARGETS += check-mock

.PHONY: check-mock mock-docs check-mock-docs
check-mock: $(B)/h2mock $(B)/mock-unit $(MOCK_CERT) check-mock-docs
	mock-server/tests/layers.sh $(B)/obj/mock-server/src
	$(B)/mock-unit
	timeout 300 mock-server/tests/e2e.sh $(B)
	timeout 300 mock-server/tests/upload-e2e.sh $(B)

check-mock-docs: $(B)/h2mock
	@mkdir -p $(B)/mock
	@$(B)/h2mock --list-actions --format markdown > $(B)/mock/faults.md
	@diff -u docs/faults.md $(B)/mock/faults.md || \
	  { echo "docs/faults.md differs from the action table;" \
	         "run: make BUILD=$(B) mock-docs" >&2; exit 1; }
	@echo "check-mock-docs: docs/faults.md matches the action table"

mock-docs: $(B)/h2mock
	$(B)/h2mock --list-actions --format markdown > docs/faults.md

INSTALL_TARGETS += install-mock
.PHONY: install-mock
install-mock: $(B)/h2mock
	install -D -m 755 $(B)/h2mock $(DESTDIR)$(PREFIX)/bin/h2mock
