/*
 * fuzz_mock.c - the scratch root and the connection driver of the h2mock
 * fuzz targets (fuzz_mock.h).
 */
#include "fuzz_mock.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char root[64];

static void root_remove(void)
{
    char p[96];
    snprintf(p, sizeof p, "%s/hello.txt", root);
    unlink(p);
    snprintf(p, sizeof p, "%s/data.bin", root);
    unlink(p);
    rmdir(root);
}

static void put_file(const char *name, const uint8_t *p, size_t n)
{
    char path[96];
    snprintf(path, sizeof path, "%s/%s", root, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, p, n) != (ssize_t)n || close(fd) != 0) {
        perror(path);
        abort();
    }
}

const char *fuzz_mock_root(void)
{
    if (root[0]) {
        return root;
    }
    snprintf(root, sizeof root, "/tmp/docts-fuzz-XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        abort();
    }
    atexit(root_remove);
    put_file("hello.txt", (const uint8_t *)"hello\n", 6);
    static uint8_t data[20000];
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (uint8_t)(i * 7 + 3);
    }
    put_file("data.bin", data, sizeof data);
    return root;
}

void fuzz_mock_server(struct mock_server *srv, const char *rules)
{
    char err[512];
    if (mock_server_init(srv, fuzz_mock_root(), 1, err, sizeof err) < 0 ||
        (rules && mock_rules_parse(&srv->rules, rules, strlen(rules), "fuzz",
                                   NULL, err, sizeof err) < 0)) {
        fprintf(stderr, "fuzz_mock_server: %s\n", err);
        abort();
    }
}

/* Produce, drop what was produced, as a socket that always drains would.
 * *made (when not NULL) tells whether anything was. */
static int pump(struct mock_conn *c, int64_t now, bool *made)
{
    int rc = mock_conn_produce(c, now);
    size_t n = mock_conn_out_pending(c);
    mock_conn_out_consume(c, n);
    if (made) {
        *made = n > 0;
    }
    return rc;
}

void fuzz_mock_talk(struct mock_server *srv, bool tls, bool alpn_h2,
                    const uint8_t *p, size_t n, const uint8_t *cuts,
                    size_t ncuts)
{
    struct mock_conn c;
    int64_t now = 1000;
    mock_conn_init(&c, srv, tls, alpn_h2);
    for (size_t off = 0, i = 0; off < n && !c.io.dead; i++) {
        size_t k = n - off;
        if (ncuts && cuts[i % ncuts] && cuts[i % ncuts] < k) {
            k = cuts[i % ncuts];
        }
        if (mock_conn_feed(&c, p + off, k, now) < 0 ||
            pump(&c, now, NULL) < 0) {
            break;
        }
        off += k;
        now += 3;
    }
    /* Timers (delays, throttling): jump to each wake-up; a throttled body
     * of data.bin needs a few hundred steps at most.  Without a timer
     * and without new output nothing changes any more (idle, or a
     * stall that waits for the peer to give up). */
    for (int step = 0; step < 400 && !c.io.dead; step++) {
        bool made;
        if (pump(&c, now, &made) < 0 || (!c.io.wake && !made)) {
            break;
        }
        now = c.io.wake > now ? c.io.wake : now + 1;
    }
    mock_conn_free(&c);
}
