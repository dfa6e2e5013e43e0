/*
 * fuzz_mock_h2.c - h2mock's HTTP/2 side: frames after the client preface,
 * through the I/O-free core (mock_conn_feed hands them to the nghttp2
 * server session with nghttp2_session_mem_recv; h2.c's callbacks build the
 * requests; mock_conn_produce answers with the faults of FUZZ_MOCK_RULES).
 *
 * Input: byte 0 = options (bit 0: TLS with ALPN h2 instead of h2c prior
 * knowledge; bits 1-7: the size of the pieces, 0 = all at once), then the
 * frames.  The harness sends the preface itself, so every input reaches
 * the frame layer.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_mock.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1) {
        return 0;
    }
    size_t plen = sizeof preface - 1, len = plen + n - 1;
    uint8_t *in = malloc(len);
    if (!in) {
        return 0;
    }
    memcpy(in, preface, plen);
    memcpy(in + plen, d + 1, n - 1);
    struct mock_server srv;
    fuzz_mock_server(&srv, FUZZ_MOCK_RULES);
    bool tls = d[0] & 1;
    uint8_t cut = d[0] >> 1;
    fuzz_mock_talk(&srv, tls, tls, in, len, &cut, 1);
    mock_server_free(&srv);
    free(in);
    return 0;
}
