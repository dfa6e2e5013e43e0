/*
 * fuzz_mock_control.c - h2mock's control endpoint (control.c's
 * mock_control, reached the way a client reaches it: an HTTP/1.1 request
 * to /_mock/... through mock_conn_feed), followed by a ranged GET that the
 * rules just added may fault and a GET of the log, so what a control
 * request changed is used.
 *
 * Input: byte 0 selects the method (GET, POST, DELETE, PUT, HEAD), the
 * bytes up to the first '\n' follow "/_mock/" in the request-target, the
 * rest is the request body (POST /_mock/rules reads rules from it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_mock.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const char *const methods[] = {"GET", "POST", "DELETE", "PUT", "HEAD"};

static const char tail[] =
    "GET /data.bin HTTP/1.1\r\nHost: f\r\nRange: bytes=11-99\r\n\r\n"
    "GET /hello.txt HTTP/1.1\r\nHost: f\r\n\r\n"
    "GET /_mock/log?since=1 HTTP/1.1\r\nHost: f\r\n\r\n"
    "GET /_mock/rules HTTP/1.1\r\nHost: f\r\n\r\n";

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1) {
        return 0;
    }
    const char *method = methods[d[0] % 5];
    const uint8_t *p = d + 1, *end = d + n;
    const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
    size_t plen = nl ? (size_t)(nl - p) : (size_t)(end - p);
    const uint8_t *body = nl ? nl + 1 : end;
    size_t blen = (size_t)(end - body);

    struct mock_buf req = {0};
    if (mock_buf_printf(&req,
                        "%s /_mock/%.*s HTTP/1.1\r\nHost: f\r\n"
                        "Content-Length: %zu\r\n\r\n",
                        method, (int)plen, (const char *)p, blen) < 0 ||
        mock_buf_append(&req, body, blen) < 0 ||
        mock_buf_append(&req, tail, sizeof tail - 1) < 0) {
        mock_buf_free(&req);
        return 0;
    }
    struct mock_server srv;
    fuzz_mock_server(&srv, "match path=/hello.txt action=status code=500\n");
    fuzz_mock_talk(&srv, false, false, mock_buf_head(&req),
                   mock_buf_pending(&req), NULL, 0);
    mock_server_free(&srv);
    mock_buf_free(&req);
    return 0;
}
