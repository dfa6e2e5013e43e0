/*
 * fuzz_mock_h1.c - h2mock's HTTP/1.1 side: the bytes a client sends on a
 * cleartext connection, through mock_conn_feed (protocol detection, the
 * request parser of h1.c, Upgrade: h2c, pipelining) and mock_conn_produce
 * (responses, fault actions of FUZZ_MOCK_RULES, timers).
 *
 * Input: byte 0 = options (bit 0: --http1-only; bits 1-7: the size of the
 * pieces the rest is fed in, 0 = all at once), then the client's bytes.
 */
#include "fuzz_mock.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1) {
        return 0;
    }
    struct mock_server srv;
    fuzz_mock_server(&srv, FUZZ_MOCK_RULES);
    srv.http1_only = d[0] & 1;
    uint8_t cut = d[0] >> 1;
    fuzz_mock_talk(&srv, false, false, d + 1, n - 1, &cut, 1);
    mock_server_free(&srv);
    return 0;
}
