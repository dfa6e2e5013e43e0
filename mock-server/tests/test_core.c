/*
 * test_core.c - whole conversations with the I/O-free connection, no
 * sockets: HTTP/1.1 bytes fed one at a time, pipelining, scripted time for
 * delays and throttling, and HTTP/2 (prior knowledge and Upgrade: h2c)
 * driven by an in-memory nghttp2 client session with chosen chunk sizes,
 * including RST_STREAM and GOAWAY faults.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "unit.h"

static struct mock_server srv;

static void srv_up(const char *rules)
{
    char err[512];
    CU_ASSERT_EQUAL_FATAL(
        mock_server_init(&srv, unit_root(), 1, err, sizeof(err)), 0);
    if (rules) {
        int rc = mock_rules_parse(&srv.rules, rules, strlen(rules), "t", NULL,
                                  err, sizeof(err));
        ASSERT_INT_EQ(0, rc);
    }
}

static void srv_down(void)
{
    mock_server_free(&srv);
}

/* Does the i-th kept log line (0 = oldest) contain needle? */
static bool log_has(size_t i, const char *needle)
{
    struct mock_buf b = {0};
    if (i >= srv.log.n || mock_log_line(&srv.log, i, &b) < 0 ||
        mock_buf_append(&b, "", 1) < 0) {
        mock_buf_free(&b);
        return false;
    }
    bool ok = strstr((const char *)b.data, needle) != NULL;
    mock_buf_free(&b);
    return ok;
}

/* The exact JSON of an exchange, in flight and once kept in the log
 * (the ring stores records and formats them when read). */
static void test_log_line_exact(void)
{
    srv_up(NULL);
    struct mock_conn c;
    mock_conn_init(&c, &srv, false, false);
    struct mock_xfer *x = mock_xfer_new(&c.io, 3);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    struct mock_req *r = &x->req;
    r->proto = MOCK_PROTO_H2;
    r->via = MOCK_VIA_H2_PRIOR;
    ASSERT_INT_EQ(0, mock_req_add_header(r, ":method", 7, "GET", 3));
    ASSERT_INT_EQ(0, mock_req_add_header(r, ":path", 5, "/a\"b", 4));
    ASSERT_INT_EQ(0, mock_req_add_header(r, "x-bin", 5, "\x01\xc3", 2));
    r->method = r->hdrs[0].value;
    r->target = r->hdrs[1].value;
    snprintf(x->path, sizeof(x->path), "/a\"b");
    x->wall_ms = 1767261600123LL; /* 2026-01-01T10:00:00.123Z */
    x->seq = 7;
    x->headers_sent = true;
    x->resp.status = 206;
    x->resp.content_length = -1;
    x->sent = 12345678901ULL;
    x->rule = strdup("r1");
    x->actions = strdup("delay,throttle");
    x->outcome = "rst-stream";
    static const char head[] =
        "{\"seq\":7,\"time\":\"2026-01-01T10:00:00.123Z\","
        "\"proto\":\"h2c\",\"tls\":false,\"conn\":1,\"stream\":3,"
        "\"method\":\"GET\",\"target\":\"/a\\\"b\","
        "\"path\":\"/a\\\"b\",\"headers\":[[\":method\",\"GET\"],"
        "[\":path\",\"/a\\\"b\"],[\"x-bin\",\"\\u0001\\u00c3\"]],"
        "\"status\":206,\"bytes\":12345678901,\"length\":-1,"
        "\"rule\":\"r1\",\"actions\":\"delay,throttle\",";
    struct mock_buf b = {0};
    ASSERT_INT_EQ(0, mock_log_format(x, false, 7, &b));
    mock_buf_append(&b, "", 1);
    ASSERT_STR_EQ("{\"seq\":7,\"time\":\"2026-01-01T10:00:00.123Z\","
                  "\"proto\":\"h2c\",\"tls\":false,\"conn\":1,\"stream\":3,"
                  "\"method\":\"GET\",\"target\":\"/a\\\"b\","
                  "\"path\":\"/a\\\"b\",\"headers\":[[\":method\","
                  "\"GET\"],[\":path\",\"/a\\\"b\"],[\"x-bin\","
                  "\"\\u0001\\u00c3\"]],\"status\":206,"
                  "\"bytes\":12345678901,\"length\":-1,\"rule\":\"r1\","
                  "\"actions\":\"delay,throttle\",\"outcome\":"
                  "\"in-flight\",\"done\":false}",
                  (const char *)b.data);
    CU_ASSERT_EQUAL(strncmp((const char *)b.data, head, sizeof(head) - 1), 0);
    mock_buf_free(&b);
    mock_xfer_finish(x, "rst-stream");
    mock_xfer_free(x); /* the log kept its own copy */
    ASSERT_INT_EQ(1, srv.log.n);
    ASSERT_INT_EQ(7, mock_log_seq(&srv.log, 0));
    ASSERT_INT_EQ(0, mock_log_line(&srv.log, 0, &b));
    mock_buf_append(&b, "", 1);
    CU_ASSERT_EQUAL(strncmp((const char *)b.data, head, sizeof(head) - 1), 0);
    ASSERT_STR_EQ("\"outcome\":\"rst-stream\",\"done\":true}",
                  (const char *)b.data + sizeof(head) - 1);
    mock_buf_free(&b);
    mock_conn_free(&c);
    srv_down();
}

/* Feed text in pieces of `chunk`, producing after each; returns all
 * output (NUL-terminated, malloc'd) and its length. */
static char *h1_talk(struct mock_conn *c, const char *req, size_t chunk,
                     int64_t now, size_t *outlen)
{
    struct mock_buf all = {0};
    size_t n = strlen(req);
    for (size_t i = 0; i < n; i += chunk) {
        size_t k = n - i < chunk ? n - i : chunk;
        CU_ASSERT_EQUAL(mock_conn_feed(c, (const uint8_t *)req + i, k, now), 0);
        mock_conn_produce(c, now);
        ASSERT_INT_EQ(0, mock_conn_out_take(c, &all, SIZE_MAX));
    }
    for (int i = 0; i < 100; i++) {
        mock_conn_produce(c, now);
        if (!mock_conn_out_pending(c)) {
            break;
        }
        ASSERT_INT_EQ(0, mock_conn_out_take(c, &all, SIZE_MAX));
    }
    *outlen = all.len;
    mock_buf_append(&all, "", 1);
    return (char *)all.data;
}

static bool data_ok(const char *p, size_t off, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)p[i] != unit_data_byte(off + i)) {
            return false;
        }
    }
    return true;
}

static void test_h1_bytewise_range(void)
{
    srv_up(NULL);
    struct mock_conn c;
    mock_conn_init(&c, &srv, false, false);
    size_t len;
    char *out = h1_talk(&c,
                        "GET /data.bin HTTP/1.1\r\nHost: x\r\n"
                        "Range: bytes=10-19\r\n\r\n",
                        1, 0, &len);
    CU_ASSERT_EQUAL(strncmp(out, "HTTP/1.1 206 Partial Content\r\n", 30), 0);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(out, "content-range: bytes 10-19/100000\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "content-length: 10\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "connection: keep-alive\r\n"));
    const char *body = strstr(out, "\r\n\r\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(body);
    body += 4;
    ASSERT_INT_EQ(10, len - (size_t)(body - out));
    CU_ASSERT_TRUE(data_ok(body, 10, 10));
    ASSERT_INT_EQ(MOCK_CLOSE_NO, c.io.close_after_flush);
    free(out);
    /* the exchange is in the log */
    ASSERT_INT_EQ(1, srv.log.n);
    CU_ASSERT_TRUE(log_has(0, "\"status\":206,\"bytes\":10,"));
    mock_conn_free(&c);
    srv_down();
}

static void put_file(const char *name, const char *text)
{
    char tmp[1024], dst[1024];
    snprintf(tmp, sizeof(tmp), "%s/.tmp-%s", unit_root(), name);
    snprintf(dst, sizeof(dst), "%s/%s", unit_root(), name);
    FILE *f = fopen(tmp, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    CU_ASSERT_EQUAL(rename(tmp, dst), 0); /* a new inode each time */
}

/* Body of a one-request HTTP/1.1 exchange for path (malloc'd), and its
 * status line in *status. */
static char *get_once(const char *path, int *status)
{
    struct mock_conn c;
    mock_conn_init(&c, &srv, false, false);
    char req[256];
    snprintf(req, sizeof(req),
             "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
    size_t len;
    char *out = h1_talk(&c, req, 4096, 0, &len);
    mock_conn_free(&c);
    *status = atoi(out + 9);
    const char *body = strstr(out, "\r\n\r\n");
    char *b = strdup(body ? body + 4 : "");
    free(out);
    return b;
}

/* The open-file cache never serves stale bytes: a file replaced, grown
 * in place or removed between requests is seen at once. */
static void test_file_cache_revalidates(void)
{
    srv_up(NULL);
    int st;
    put_file("cache.txt", "one\n");
    char *b = get_once("/cache.txt", &st);
    ASSERT_INT_EQ(200, st);
    ASSERT_STR_EQ("one\n", b);
    free(b);
    b = get_once("/cache.txt", &st); /* from the cache */
    ASSERT_STR_EQ("one\n", b);
    free(b);
    put_file("cache.txt", "two, longer\n");
    b = get_once("/cache.txt", &st);
    ASSERT_INT_EQ(200, st);
    ASSERT_STR_EQ("two, longer\n", b);
    free(b);
    char dst[1024];
    snprintf(dst, sizeof(dst), "%s/cache.txt", unit_root());
    FILE *f = fopen(dst, "a"); /* same inode, new size */
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("three\n", f);
    fclose(f);
    b = get_once("/cache.txt", &st);
    ASSERT_STR_EQ("two, longer\nthree\n", b);
    free(b);
    CU_ASSERT_EQUAL(unlink(dst), 0);
    b = get_once("/cache.txt", &st);
    ASSERT_INT_EQ(404, st);
    free(b);
    srv_down();
}

/* The output queue: bytes of out with chunks between them, read back in
 * order through iovecs, consumed across chunk edges, and a mark taken
 * back (what a DATA frame does when the file fails mid-frame). */
static void test_out_queue(void)
{
    srv_up(NULL);
    struct mock_conn c;
    mock_conn_init(&c, &srv, false, false);
    static const uint8_t one[] = "CHUNK1", two[] = "chunk2";
    ASSERT_INT_EQ(0, mock_buf_append(&c.io.out, "ab", 2));
    ASSERT_INT_EQ(0, mock_io_out_chunk(&c.io, one, 6, NULL));
    ASSERT_INT_EQ(0, mock_io_out_chunk(&c.io, two, 6, NULL));
    ASSERT_INT_EQ(0, mock_buf_append(&c.io.out, "cd", 2));
    struct mock_out_mark m;
    mock_io_out_mark(&c.io, &m);
    ASSERT_INT_EQ(0, mock_buf_append(&c.io.out, "XY", 2));
    ASSERT_INT_EQ(0, mock_io_out_chunk(&c.io, one, 3, NULL));
    ASSERT_INT_EQ(21, mock_conn_out_pending(&c));
    mock_io_out_rollback(&c.io, &m);
    ASSERT_INT_EQ(16, mock_conn_out_pending(&c));
    struct iovec iov[8];
    ASSERT_INT_EQ(4, mock_conn_out_iov(&c, iov, 8));
    ASSERT_INT_EQ(2, iov[0].iov_len);
    CU_ASSERT_PTR_EQUAL(iov[1].iov_base, one);
    CU_ASSERT_PTR_EQUAL(iov[2].iov_base, two);
    ASSERT_INT_EQ(2, iov[3].iov_len);
    ASSERT_INT_EQ(2, mock_conn_out_iov(&c, iov, 2));
    mock_conn_out_consume(&c, 4); /* "ab" and half of CHUNK1 */
    struct mock_buf b = {0};
    ASSERT_INT_EQ(0, mock_conn_out_take(&c, &b, 5));
    ASSERT_INT_EQ(0, mock_buf_append(&b, "|", 1));
    ASSERT_INT_EQ(0, mock_conn_out_take(&c, &b, SIZE_MAX));
    ASSERT_INT_EQ(0, mock_buf_append(&b, "", 1));
    ASSERT_STR_EQ("UNK1c|hunk2cd", (const char *)mock_buf_head(&b));
    ASSERT_INT_EQ(0, mock_conn_out_pending(&c));
    ASSERT_INT_EQ(0, c.io.oc_n);
    mock_buf_free(&b);
    mock_conn_free(&c);
    srv_down();
}

/* A file checked after the connection's last feed is not checked again
 * (decision M12): requests read together cost one fstatat, and a change
 * made before the next feed is seen by it. */
static void test_file_cache_feed_epochs(void)
{
    srv_up(NULL);
    int st;
    put_file("epoch.txt", "one\n");
    char *b = get_once("/epoch.txt", &st); /* opened and cached */
    ASSERT_STR_EQ("one\n", b);
    free(b);
    uint64_t checks = srv.fcache_checks;
    struct mock_conn c;
    mock_conn_init(&c, &srv, false, false);
    static const char two[] = "GET /epoch.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                              "GET /epoch.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    size_t len;
    char *out = h1_talk(&c, two, sizeof(two), 0, &len);
    ASSERT_INT_EQ(checks + 1, srv.fcache_checks);
    const char *p = strstr(out, "\r\n\r\none\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL(strstr(p + 1, "\r\n\r\none\n"));
    free(out);
    /* grown in place, then the next request arrives: a new feed */
    char dst[1024];
    snprintf(dst, sizeof(dst), "%s/epoch.txt", unit_root());
    FILE *f = fopen(dst, "a");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("two\n", f);
    fclose(f);
    out = h1_talk(&c, "GET /epoch.txt HTTP/1.1\r\nHost: x\r\n\r\n", 4096, 0,
                  &len);
    ASSERT_INT_EQ(checks + 2, srv.fcache_checks);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\r\n\r\none\ntwo\n"));
    free(out);
    mock_conn_free(&c);
    srv_down();
}

static void test_h1_pipelined_and_errors(void)
{
    srv_up(NULL);
    struct mock_conn c;
    mock_conn_init(&c, &srv, false, false);
    size_t len;
    char *out = h1_talk(&c,
                        "HEAD /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                        "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                        "PUT /hello.txt HTTP/1.1\r\nHost: x\r\n"
                        "Content-Length: 3\r\n\r\nabc"
                        "GET /hello.txt HTTP/1.1\r\nHost: x\r\n"
                        "Connection: close\r\n\r\n",
                        4096, 0, &len);
    const char *p = out;
    p = strstr(p, "HTTP/1.1 200 OK\r\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL(strstr(p, "content-length: 6\r\n"));
    p = strstr(p, "HTTP/1.1 404 Not Found\r\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    p = strstr(p, "HTTP/1.1 405 Method Not Allowed\r\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL(strstr(p, "allow: GET, HEAD\r\n"));
    p = strstr(p, "HTTP/1.1 200 OK\r\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_PTR_NOT_NULL(strstr(p, "connection: close\r\n\r\nhello\n"));
    ASSERT_INT_EQ(MOCK_CLOSE_FIN, c.io.close_after_flush);
    free(out);
    mock_conn_free(&c);
    /* a malformed request line: 400 and close */
    mock_conn_init(&c, &srv, false, false);
    out = h1_talk(&c, "GARBAGE\r\n\r\n", 3, 0, &len);
    CU_ASSERT_EQUAL(strncmp(out, "HTTP/1.1 400 Bad Request\r\n", 26), 0);
    ASSERT_INT_EQ(MOCK_CLOSE_FIN, c.io.close_after_flush);
    free(out);
    mock_conn_free(&c);
    srv_down();
}

static void test_h1_faults_scripted_time(void)
{
    srv_up("match path=/hello.txt action=delay ms=100\n"
           "match path=/data.bin nth=1 action=close after=5\n"
           "match path=/data.bin action=throttle rate=1000\n");
    struct mock_conn c;
    mock_conn_init(&c, &srv, false, false);
    size_t len;
    char *out = h1_talk(&c, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n", 64,
                        1000, &len);
    ASSERT_INT_EQ(0, len); /* delayed */
    ASSERT_INT_EQ(1100, c.io.wake);
    free(out);
    mock_conn_produce(&c, 1099);
    ASSERT_INT_EQ(0, mock_conn_out_pending(&c));
    mock_conn_produce(&c, 1100);
    CU_ASSERT_TRUE(mock_conn_out_pending(&c) > 0);
    mock_conn_out_consume(&c, mock_conn_out_pending(&c));
    out = h1_talk(&c, "GET /data.bin HTTP/1.1\r\nHost: x\r\n\r\n", 64, 2000,
                  &len);
    const char *body = strstr(out, "\r\n\r\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(body);
    ASSERT_INT_EQ(5, len - (size_t)(body + 4 - out));
    ASSERT_INT_EQ(MOCK_CLOSE_FIN, c.io.close_after_flush);
    free(out);
    mock_conn_free(&c);
    /* throttle 1000 B/s: 50 bytes burst at t=0, then 1 byte per ms */
    mock_conn_init(&c, &srv, false, false);
    out = h1_talk(&c, "GET /data.bin HTTP/1.1\r\nHost: x\r\n\r\n", 64, 0, &len);
    body = strstr(out, "\r\n\r\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(body);
    ASSERT_INT_EQ(50, len - (size_t)(body + 4 - out));
    free(out);
    mock_conn_produce(&c, 500);
    ASSERT_INT_EQ(500, mock_conn_out_pending(&c));
    mock_conn_free(&c);
    srv_down();
}

/* ---- HTTP/2 with an in-memory nghttp2 client --------------------------- */

struct client {
    nghttp2_session *s;
    int status;
    size_t bytes;
    size_t body_off;
    bool bytes_ok;
    int closed;
    uint32_t close_code;
    int goaway;
    uint32_t goaway_code;
    int32_t goaway_last;
};

static int c_header(nghttp2_session *s, const nghttp2_frame *f,
                    const uint8_t *n, size_t nl, const uint8_t *v, size_t vl,
                    uint8_t fl, void *ud)
{
    struct client *cl = ud;
    if (nl == 7 && !memcmp(n, ":status", 7)) {
        cl->status = atoi((const char *)v);
    }
    return 0;
}

static int c_data(nghttp2_session *s, uint8_t fl, int32_t id, const uint8_t *d,
                  size_t n, void *ud)
{
    struct client *cl = ud;
    if (!data_ok((const char *)d, cl->body_off + cl->bytes, n)) {
        cl->bytes_ok = false;
    }
    cl->bytes += n;
    return 0;
}

static int c_close(nghttp2_session *s, int32_t id, uint32_t code, void *ud)
{
    struct client *cl = ud;
    cl->closed++;
    cl->close_code = code;
    return 0;
}

static int c_frame(nghttp2_session *s, const nghttp2_frame *f, void *ud)
{
    struct client *cl = ud;
    if (f->hd.type == NGHTTP2_GOAWAY) {
        cl->goaway++;
        cl->goaway_code = f->goaway.error_code;
        cl->goaway_last = f->goaway.last_stream_id;
    }
    return 0;
}

static void client_new(struct client *cl)
{
    memset(cl, 0, sizeof(*cl));
    cl->bytes_ok = true;
    nghttp2_session_callbacks *cb;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_header_callback(cb, c_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, c_data);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, c_close);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, c_frame);
    nghttp2_session_client_new(&cl->s, cb, cl);
    nghttp2_session_callbacks_del(cb);
    nghttp2_settings_entry iv = {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE,
                                 (1u << 31) - 1};
    nghttp2_submit_settings(cl->s, NGHTTP2_FLAG_NONE, &iv, 1);
    nghttp2_session_set_local_window_size(cl->s, NGHTTP2_FLAG_NONE, 0,
                                          (1 << 30));
}

static int32_t client_get(struct client *cl, const char *path,
                          const char *range)
{
    nghttp2_nv nva[5];
    size_t n = 0;
#define NV(N, V)                                                               \
    nva[n++] = (nghttp2_nv){(uint8_t *)(N), (uint8_t *)(V), strlen(N),         \
                            strlen(V), NGHTTP2_NV_FLAG_NONE}
    NV(":method", "GET");
    NV(":path", path);
    NV(":scheme", "http");
    NV(":authority", "x");
    if (range) {
        NV("range", range);
    }
#undef NV
    return nghttp2_submit_request(cl->s, NULL, nva, n, NULL, NULL);
}

/* Move bytes both ways in pieces of `chunk` until neither side moves. */
static void pump(struct client *cl, struct mock_conn *c, size_t chunk,
                 int64_t now)
{
    for (int round = 0; round < 100000; round++) {
        bool moved = false;
        const uint8_t *d;
        ssize_t k;
        while ((k = nghttp2_session_mem_send(cl->s, &d)) > 0) {
            for (ssize_t i = 0; i < k; i += (ssize_t)chunk) {
                size_t m = (size_t)(k - i) < chunk ? (size_t)(k - i) : chunk;
                mock_conn_feed(c, d + i, m, now);
            }
            moved = true;
        }
        mock_conn_produce(c, now);
        if (mock_conn_out_pending(c)) {
            /* the output is bytes and queued file chunks: gather them */
            struct mock_buf b = {0};
            CU_ASSERT_EQUAL_FATAL(mock_conn_out_take(c, &b, chunk), 0);
            ssize_t r = nghttp2_session_mem_recv(cl->s, mock_buf_head(&b),
                                                 mock_buf_pending(&b));
            CU_ASSERT_EQUAL((size_t)r, mock_buf_pending(&b));
            mock_buf_free(&b);
            moved = true;
        }
        if (!moved || c->io.dead) {
            if (c->io.dead && mock_conn_out_pending(c)) {
                continue;
            }
            break;
        }
    }
}

static void test_h2_prior_knowledge_chunks(void)
{
    static const size_t chunks[] = {1, 7, 4096, 100000};
    srv_up(NULL);
    for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
        struct mock_conn c;
        struct client cl;
        mock_conn_init(&c, &srv, false, false);
        client_new(&cl);
        cl.body_off = 1000;
        client_get(&cl, "/data.bin", "bytes=1000-90999");
        pump(&cl, &c, chunks[i], 0);
        ASSERT_INT_EQ(206, cl.status);
        ASSERT_INT_EQ(90000, cl.bytes);
        CU_ASSERT_TRUE(cl.bytes_ok);
        ASSERT_INT_EQ(1, cl.closed);
        ASSERT_INT_EQ(NGHTTP2_NO_ERROR, cl.close_code);
        ASSERT_INT_EQ(MOCK_C_H2, c.kind);
        nghttp2_session_del(cl.s);
        mock_conn_free(&c);
    }
    ASSERT_INT_EQ(4, srv.log.n);
    CU_ASSERT_TRUE(log_has(3, "\"proto\":\"h2c\""));
    srv_down();
}

/* A file that shrinks under a response sent without a copy: the frame
 * being built is taken back whole, the stream is reset, the log says
 * read-error and the connection goes on. */
static void test_h2_read_error_rollback(void)
{
    srv_up(NULL);
    char dst[1024];
    snprintf(dst, sizeof(dst), "%s/shrink.bin", unit_root());
    FILE *f = fopen(dst, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    for (size_t i = 0; i < 300000; i++) {
        fputc(unit_data_byte(i), f);
    }
    fclose(f);
    struct mock_conn c;
    struct client cl;
    mock_conn_init(&c, &srv, false, false);
    CU_ASSERT_TRUE(c.io.zero_copy);
    client_new(&cl);
    client_get(&cl, "/shrink.bin", NULL);
    /* one turn: the request in, up to the high-water mark out */
    const uint8_t *d;
    ssize_t k;
    while ((k = nghttp2_session_mem_send(cl.s, &d)) > 0) {
        mock_conn_feed(&c, d, (size_t)k, 0);
    }
    mock_conn_produce(&c, 0);
    CU_ASSERT_TRUE(c.io.oc_n > 0); /* file bytes queued as chunks */
    CU_ASSERT_EQUAL(truncate(dst, 1000), 0);
    pump(&cl, &c, 4096, 0);
    ASSERT_INT_EQ(200, cl.status);
    CU_ASSERT_TRUE(cl.bytes_ok);
    CU_ASSERT_TRUE(cl.bytes >= 16384 && cl.bytes < 300000);
    ASSERT_INT_EQ(0, cl.bytes % 16384); /* whole frames only */
    ASSERT_INT_EQ(1, cl.closed);
    ASSERT_INT_EQ(NGHTTP2_INTERNAL_ERROR, cl.close_code);
    CU_ASSERT_TRUE(log_has(0, "\"outcome\":\"read-error\""));
    /* the same connection still serves */
    client_get(&cl, "/data.bin", NULL);
    cl.bytes = 0;
    pump(&cl, &c, 4096, 0);
    ASSERT_INT_EQ(100000, cl.bytes);
    CU_ASSERT_TRUE(cl.bytes_ok);
    ASSERT_INT_EQ(2, cl.closed);
    ASSERT_INT_EQ(NGHTTP2_NO_ERROR, cl.close_code);
    CU_ASSERT_EQUAL(unlink(dst), 0);
    nghttp2_session_del(cl.s);
    mock_conn_free(&c);
    srv_down();
}

static void test_h2_rst_and_goaway(void)
{
    srv_up("match path=/data.bin nth=1 action=rst-stream code=CANCEL "
           "after=20000\n"
           "match path=/data.bin nth=2 action=goaway code=ENHANCE_YOUR_CALM "
           "last-stream=0\n"
           "match path=/hello.txt action=goaway\n");
    struct mock_conn c;
    struct client cl;
    mock_conn_init(&c, &srv, false, false);
    client_new(&cl);
    client_get(&cl, "/data.bin", NULL);
    pump(&cl, &c, 1000, 0);
    ASSERT_INT_EQ(200, cl.status);
    ASSERT_INT_EQ(20000, cl.bytes);
    CU_ASSERT_TRUE(cl.bytes_ok);
    ASSERT_INT_EQ(NGHTTP2_CANCEL, cl.close_code);
    /* second request on the same connection: GOAWAY with an error */
    client_get(&cl, "/data.bin", NULL);
    pump(&cl, &c, 1000, 0);
    ASSERT_INT_EQ(1, cl.goaway);
    ASSERT_INT_EQ(NGHTTP2_ENHANCE_YOUR_CALM, cl.goaway_code);
    ASSERT_INT_EQ(0, cl.goaway_last);
    ASSERT_INT_EQ(MOCK_CLOSE_FIN, c.io.close_after_flush);
    nghttp2_session_del(cl.s);
    mock_conn_free(&c);
    /* graceful GOAWAY: the stream still completes */
    mock_conn_init(&c, &srv, false, false);
    client_new(&cl);
    client_get(&cl, "/hello.txt", NULL);
    pump(&cl, &c, 50, 0);
    ASSERT_INT_EQ(200, cl.status);
    ASSERT_INT_EQ(6, cl.bytes);
    ASSERT_INT_EQ(1, cl.goaway);
    ASSERT_INT_EQ(NGHTTP2_NO_ERROR, cl.goaway_code);
    ASSERT_INT_EQ(1, cl.goaway_last);
    ASSERT_INT_EQ(NGHTTP2_NO_ERROR, cl.close_code);
    nghttp2_session_del(cl.s);
    mock_conn_free(&c);
    srv_down();
}

static void test_h2_upgrade(void)
{
    srv_up(NULL);
    struct mock_conn c;
    struct client cl;
    mock_conn_init(&c, &srv, false, false);
    client_new(&cl);
    uint8_t sp[64];
    nghttp2_settings_entry iv = {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 30};
    ssize_t sl = nghttp2_pack_settings_payload(sp, sizeof(sp), &iv, 1);
    CU_ASSERT_EQUAL_FATAL(sl, 6);
    /* base64url of the 6 payload bytes */
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                              "vwxyz0123456789-_";
    char enc[16];
    size_t e = 0;
    for (int i = 0; i < 6; i += 3) {
        uint32_t v =
            (uint32_t)sp[i] << 16 | (uint32_t)sp[i + 1] << 8 | sp[i + 2];
        enc[e++] = b64[v >> 18];
        enc[e++] = b64[(v >> 12) & 63];
        enc[e++] = b64[(v >> 6) & 63];
        enc[e++] = b64[v & 63];
    }
    enc[e] = 0;
    CU_ASSERT_EQUAL(nghttp2_session_upgrade2(cl.s, sp, (size_t)sl, 0, NULL), 0);
    char req[512];
    snprintf(req, sizeof(req),
             "GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-99999\r\n"
             "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
             "HTTP2-Settings: %s\r\n\r\n",
             enc);
    mock_conn_feed(&c, (const uint8_t *)req, strlen(req), 0);
    mock_conn_produce(&c, 0);
    static const char sw[] = "HTTP/1.1 101 Switching Protocols\r\n"
                             "Connection: Upgrade\r\nUpgrade: h2c\r\n\r\n";
    CU_ASSERT_TRUE_FATAL(mock_conn_out_pending(&c) >= sizeof(sw) - 1);
    CU_ASSERT_EQUAL(memcmp(mock_buf_head(&c.io.out), sw, sizeof(sw) - 1), 0);
    /* before the client preface only SETTINGS may follow the 101 */
    CU_ASSERT_TRUE(mock_conn_out_pending(&c) < sizeof(sw) - 1 + 64);
    mock_conn_out_consume(&c, sizeof(sw) - 1);
    pump(&cl, &c, 333, 0);
    ASSERT_INT_EQ(206, cl.status);
    ASSERT_INT_EQ(100000, cl.bytes);
    CU_ASSERT_TRUE(cl.bytes_ok);
    CU_ASSERT_TRUE(log_has(0, "\"proto\":\"h2c-upgrade\""));
    nghttp2_session_del(cl.s);
    mock_conn_free(&c);
    srv_down();
}

/* --http1-only: an h2c Upgrade request is answered in HTTP/1.1 (no 101)
 * and the connection stays HTTP/1.1 and keep-alive; connection ids in
 * the log tell the requests of one connection apart (decision M14). */
static void test_h1_only_ignores_upgrade(void)
{
    srv_up(NULL);
    srv.http1_only = true;
    struct mock_conn c;
    mock_conn_init(&c, &srv, false, false);
    ASSERT_INT_EQ(MOCK_C_H1, c.kind);
    static const char up[] =
        "GET /data.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-99\r\n"
        "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"
        "GET /hello.txt HTTP/1.1\r\nHost: x\r\n"
        "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
    size_t len;
    char *out = h1_talk(&c, up, 7, 0, &len);
    ASSERT_INT_EQ(MOCK_C_H1, c.kind);
    CU_ASSERT_PTR_NULL(c.h2.s);
    CU_ASSERT_PTR_NULL(strstr(out, "101"));
    CU_ASSERT_EQUAL(strncmp(out, "HTTP/1.1 206 Partial Content\r\n", 30), 0);
    const char *body = strstr(out, "\r\n\r\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(body);
    CU_ASSERT_TRUE(data_ok(body + 4, 0, 100));
    const char *second = body + 4 + 100;
    CU_ASSERT_EQUAL(strncmp(second, "HTTP/1.1 200 OK\r\n", 17), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(second, "connection: keep-alive\r\n"));
    ASSERT_INT_EQ(6, strlen(strstr(second, "\r\n\r\n") + 4));
    ASSERT_STR_EQ("hello\n", strstr(second, "\r\n\r\n") + 4);
    ASSERT_INT_EQ(MOCK_CLOSE_NO, c.io.close_after_flush);
    free(out);
    ASSERT_INT_EQ(2, srv.log.n);
    CU_ASSERT_TRUE(log_has(0, "\"proto\":\"http/1.1\",\"tls\":false,"
                              "\"conn\":1,\"method\":\"GET\","
                              "\"target\":\"/data.bin\""));
    CU_ASSERT_TRUE(log_has(0, "[\"Upgrade\",\"h2c\"]"));
    CU_ASSERT_TRUE(log_has(0, "\"status\":206,\"bytes\":100,"));
    CU_ASSERT_TRUE(log_has(1, "\"proto\":\"http/1.1\",\"tls\":false,"
                              "\"conn\":1,\"method\":\"GET\","
                              "\"target\":\"/hello.txt\""));
    mock_conn_free(&c);
    /* a second connection gets the next id */
    mock_conn_init(&c, &srv, false, false);
    out = h1_talk(&c, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n", 4096, 0,
                  &len);
    free(out);
    ASSERT_INT_EQ(3, srv.log.n);
    CU_ASSERT_TRUE(log_has(2, "\"conn\":2,"));
    mock_conn_free(&c);
    srv_down();
}

/* --http1-only: the HTTP/2 client preface is a request line with version
 * 2.0, answered as an HTTP/1.1 server answers it: 505 and close, nothing
 * logged (M14).  Any server answers another major version so. */
static void test_h1_only_refuses_preface(void)
{
    static const char want[] =
        "HTTP/1.1 505 HTTP Version Not Supported\r\n"
        "content-type: text/plain\r\ncontent-length: 27\r\n"
        "connection: close\r\n\r\nHTTP version not supported\n";
    /* preface + an empty SETTINGS frame, as a prior-knowledge client */
    static const char pk[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
                             "\x00\x00\x00\x04\x00\x00\x00\x00\x00";
    static const size_t chunks[] = {1, 7, 4096};
    srv_up(NULL);
    srv.http1_only = true;
    for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
        struct mock_conn c;
        mock_conn_init(&c, &srv, false, false);
        struct mock_buf all = {0};
        for (size_t k = 0; k < sizeof(pk) - 1; k += chunks[i]) {
            size_t n = sizeof(pk) - 1 - k;
            n = n < chunks[i] ? n : chunks[i];
            ASSERT_INT_EQ(0, mock_conn_feed(&c, (const uint8_t *)pk + k, n, 0));
            mock_conn_produce(&c, 0);
            ASSERT_INT_EQ(0, mock_conn_out_take(&c, &all, SIZE_MAX));
        }
        mock_buf_append(&all, "", 1);
        ASSERT_STR_EQ(want, (const char *)all.data);
        ASSERT_INT_EQ(MOCK_CLOSE_FIN, c.io.close_after_flush);
        ASSERT_INT_EQ(MOCK_C_H1, c.kind);
        CU_ASSERT_PTR_NULL(c.h2.s);
        mock_buf_free(&all);
        mock_conn_free(&c);
    }
    ASSERT_INT_EQ(0, srv.log.n);
    /* without the flag, another major version on HTTP/1.1 is 505 too,
     * and HTTP/1.2 stays a malformed line (400) */
    srv.http1_only = false;
    struct mock_conn c;
    mock_conn_init(&c, &srv, false, false);
    size_t len;
    char *out =
        h1_talk(&c, "GET /hello.txt HTTP/3.0\r\nHost: x\r\n\r\n", 5, 0, &len);
    ASSERT_STR_EQ(want, out);
    free(out);
    mock_conn_free(&c);
    mock_conn_init(&c, &srv, false, false);
    out = h1_talk(&c, "GET /hello.txt HTTP/1.2\r\nHost: x\r\n\r\n", 4096, 0,
                  &len);
    CU_ASSERT_EQUAL(strncmp(out, "HTTP/1.1 400 Bad Request\r\n", 26), 0);
    free(out);
    mock_conn_free(&c);
    ASSERT_INT_EQ(0, srv.log.n);
    srv_down();
}

/* ---- limits (decision M15) -------------------------------------------- */

/* Exact bare answer of a refused HTTP/1.1 request. */
static void expect_refusal(const char *out, int status, const char *reason,
                           const char *msg)
{
    char want[512];
    snprintf(want, sizeof(want),
             "HTTP/1.1 %d %s\r\ncontent-type: text/plain\r\n"
             "content-length: %zu\r\nconnection: close\r\n\r\n%s",
             status, reason, strlen(msg), msg);
    ASSERT_STR_EQ(want, out);
}

/* A request line of max_line bytes is served; one byte more is 414 and
 * the connection closes, also before its CRLF arrived. */
static void test_limit_request_line(void)
{
    srv_up(NULL);
    srv.limits.max_line = strlen("GET /hello.txt HTTP/1.1");
    struct mock_conn c;
    size_t len;
    mock_conn_init(&c, &srv, false, false);
    char *out =
        h1_talk(&c, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n", 5, 0, &len);
    CU_ASSERT_EQUAL(strncmp(out, "HTTP/1.1 200 OK\r\n", 17), 0);
    ASSERT_INT_EQ(MOCK_CLOSE_NO, c.io.close_after_flush);
    free(out);
    mock_conn_free(&c);
    mock_conn_init(&c, &srv, false, false);
    out =
        h1_talk(&c, "GET /hello.txt? HTTP/1.1\r\nHost: x\r\n\r\n", 7, 0, &len);
    expect_refusal(out, 414, "URI Too Long", "request line too long\n");
    ASSERT_INT_EQ(MOCK_CLOSE_FIN, c.io.close_after_flush);
    free(out);
    mock_conn_free(&c);
    /* no CRLF yet, already too long */
    mock_conn_init(&c, &srv, false, false);
    out = h1_talk(&c, "GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 4096, 0, &len);
    expect_refusal(out, 414, "URI Too Long", "request line too long\n");
    free(out);
    mock_conn_free(&c);
    ASSERT_INT_EQ(1, srv.log.n); /* refusals are not logged */
    srv_down();
}

/* Header fields: max_head bytes (field lines with their CRLFs) and
 * max_headers lines are served; one more of either is 431 and close. */
static void test_limit_header_fields(void)
{
    srv_up(NULL);
    /* "Host: x\r\n" (9) + "A: 12345\r\n" (10) = 19 bytes, 2 fields */
    srv.limits.max_head = 19;
    srv.limits.max_headers = 2;
    static const struct {
        const char *req;
        int status;
    } cases[] = {
        {"GET /hello.txt HTTP/1.1\r\nHost: x\r\nA: 12345\r\n\r\n", 200},
        {"GET /hello.txt HTTP/1.1\r\nHost: x\r\nA: 123456\r\n\r\n", 431},
        {"GET /hello.txt HTTP/1.1\r\nH: x\r\nA: 1\r\nB: 2\r\n\r\n", 431},
        /* partial heads that cannot fit any more */
        {"GET /hello.txt HTTP/1.1\r\nHost: x\r\nA: 1234567890123", 431},
        {"GET /hello.txt HTTP/1.1\r\nH: x\r\nA: 1\r\nB: 2\r\nC", 431},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct mock_conn c;
        size_t len;
        mock_conn_init(&c, &srv, false, false);
        char *out = h1_talk(&c, cases[i].req, 3, 0, &len);
        if (cases[i].status == 200) {
            CU_ASSERT_EQUAL(strncmp(out, "HTTP/1.1 200 OK\r\n", 17), 0);
        } else {
            expect_refusal(out, 431, "Request Header Fields Too Large",
                           "request header fields too large\n");
            ASSERT_INT_EQ(MOCK_CLOSE_FIN, c.io.close_after_flush);
        }
        free(out);
        mock_conn_free(&c);
    }
    ASSERT_INT_EQ(1, srv.log.n);
    srv_down();
}

/* A client sending its head one byte a second: 408 and close when the
 * head is not whole head_ms after its first byte; until then the
 * connection asks to be woken at that deadline. */
static void test_limit_slow_head(void)
{
    srv_up(NULL);
    srv.limits.head_ms = 5000;
    struct mock_conn c;
    mock_conn_init(&c, &srv, false, false);
    static const char req[] = "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    struct mock_buf all = {0};
    int64_t t = 1000;
    for (size_t i = 0; i < sizeof(req) - 1 && !c.io.dead; i++, t += 1000) {
        ASSERT_INT_EQ(0, mock_conn_feed(&c, (const uint8_t *)req + i, 1, t));
        ASSERT_INT_EQ(0, mock_conn_produce(&c, t));
        if (!c.io.dead) {
            ASSERT_INT_EQ(1000 + 5000, c.io.wake);
        }
        ASSERT_INT_EQ(0, mock_conn_out_take(&c, &all, SIZE_MAX));
    }
    ASSERT_INT_EQ(6000, t - 1000); /* the sixth byte met the deadline */
    mock_buf_append(&all, "", 1);
    expect_refusal((const char *)all.data, 408, "Request Timeout",
                   "request head not received in time\n");
    ASSERT_INT_EQ(MOCK_CLOSE_FIN, c.io.close_after_flush);
    mock_buf_free(&all);
    mock_conn_free(&c);
    /* a partial preface (h2c detection) has the same deadline: close */
    mock_conn_init(&c, &srv, false, false);
    ASSERT_INT_EQ(0, mock_conn_feed(&c, (const uint8_t *)"PRI * HTTP", 10, 0));
    ASSERT_INT_EQ(0, mock_conn_produce(&c, 4999));
    ASSERT_INT_EQ(5000, c.io.wake);
    ASSERT_INT_EQ(0, mock_conn_produce(&c, 5000));
    ASSERT_INT_EQ(MOCK_CLOSE_FIN, c.io.close_after_flush);
    ASSERT_INT_EQ(0, mock_conn_out_pending(&c));
    mock_conn_free(&c);
    ASSERT_INT_EQ(0, srv.log.n);
    srv_down();
}

/* HTTP/1.1 keep-alive: idle_ms after the last response the connection
 * closes (nothing sent); a request before then keeps it. */
static void test_limit_idle_h1(void)
{
    srv_up(NULL);
    srv.limits.idle_ms = 3000;
    struct mock_conn c;
    size_t len;
    mock_conn_init(&c, &srv, false, false);
    free(h1_talk(&c, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n", 4096, 100,
                 &len));
    ASSERT_INT_EQ(3100, c.io.wake);
    ASSERT_INT_EQ(0, mock_conn_produce(&c, 3099));
    CU_ASSERT_FALSE(c.io.dead);
    free(h1_talk(&c, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n", 4096, 3099,
                 &len));
    ASSERT_INT_EQ(0, mock_conn_produce(&c, 6098));
    CU_ASSERT_FALSE(c.io.dead);
    ASSERT_INT_EQ(0, mock_conn_produce(&c, 6099));
    CU_ASSERT_TRUE(c.io.dead);
    ASSERT_INT_EQ(MOCK_CLOSE_FIN, c.io.close_after_flush);
    ASSERT_INT_EQ(0, mock_conn_out_pending(&c));
    mock_conn_free(&c);
    ASSERT_INT_EQ(2, srv.log.n);
    srv_down();
}

/* A raw HTTP/2 client, for what nghttp2's client will not send (streams
 * over the limit it acknowledged, a header block left open): frames
 * written by hand with HPACK from nghttp2's deflater, the server's
 * frames read back by type. */
struct raw {
    nghttp2_hd_deflater *def;
    nghttp2_hd_inflater *inf;
    uint32_t mcs, mhls; /* from the server's SETTINGS */
    int status[16];     /* :status by (stream id - 1) / 2 */
    size_t data[16];    /* DATA bytes by stream */
    uint32_t rst[16];   /* RST_STREAM code + 1 by stream */
    int goaway;
    uint32_t goaway_code;
    int32_t goaway_last;
};

static void raw_new(struct raw *r)
{
    memset(r, 0, sizeof(*r));
    nghttp2_hd_deflate_new(&r->def, 4096);
    nghttp2_hd_inflate_new(&r->inf);
}

static void raw_del(struct raw *r)
{
    nghttp2_hd_deflate_del(r->def);
    nghttp2_hd_inflate_del(r->inf);
}

static void raw_frame(struct mock_buf *b, uint8_t type, uint8_t flags,
                      int32_t id, const uint8_t *p, size_t n)
{
    uint8_t h[9] = {(uint8_t)(n >> 16),
                    (uint8_t)(n >> 8),
                    (uint8_t)n,
                    type,
                    flags,
                    (uint8_t)(id >> 24),
                    (uint8_t)(id >> 16),
                    (uint8_t)(id >> 8),
                    (uint8_t)id};
    mock_buf_append(b, h, 9);
    mock_buf_append(b, p, n);
}

/* The client preface and an empty SETTINGS frame. */
static void raw_preface(struct mock_buf *b)
{
    mock_buf_append(b, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24);
    raw_frame(b, NGHTTP2_SETTINGS, 0, 0, NULL, 0);
}

/* GET path on stream id with nextra headers "x-N: value" (END_STREAM;
 * END_HEADERS unless open). */
static void raw_get(struct raw *r, struct mock_buf *b, int32_t id,
                    const char *path, size_t nextra, const char *value,
                    bool open)
{
    nghttp2_nv nva[8];
    size_t n = 0;
    static const char *names[] = {"x-1", "x-2", "x-3"};
#define NV(N, V)                                                               \
    nva[n++] = (nghttp2_nv){(uint8_t *)(N), (uint8_t *)(V), strlen(N),         \
                            strlen(V), NGHTTP2_NV_FLAG_NONE}
    NV(":method", "GET");
    NV(":path", path);
    NV(":scheme", "http");
    NV(":authority", "x");
    for (size_t i = 0; i < nextra; i++) {
        NV(names[i], value);
    }
#undef NV
    uint8_t blk[1024];
    ssize_t k = nghttp2_hd_deflate_hd(r->def, blk, sizeof(blk), nva, n);
    CU_ASSERT_TRUE_FATAL(k > 0);
    raw_frame(b, NGHTTP2_HEADERS,
              NGHTTP2_FLAG_END_STREAM | (open ? 0 : NGHTTP2_FLAG_END_HEADERS),
              id, blk, (size_t)k);
}

/* Read the server's frames in p[0, n). */
static void raw_scan(struct raw *r, const uint8_t *p, size_t n)
{
    while (n >= 9) {
        size_t len = (size_t)p[0] << 16 | (size_t)p[1] << 8 | p[2];
        CU_ASSERT_TRUE_FATAL(n >= 9 + len);
        uint8_t type = p[3];
        int32_t id =
            (int32_t)((uint32_t)(p[5] & 0x7f) << 24 | (uint32_t)p[6] << 16 |
                      (uint32_t)p[7] << 8 | p[8]);
        const uint8_t *q = p + 9;
        size_t s = id > 0 ? (size_t)(id - 1) / 2 % 16 : 0;
#define U32(x)                                                                 \
    ((uint32_t)(x)[0] << 24 | (uint32_t)(x)[1] << 16 | (uint32_t)(x)[2] << 8 | \
     (x)[3])
        if (type == NGHTTP2_SETTINGS && !(p[4] & NGHTTP2_FLAG_ACK)) {
            for (size_t i = 0; i + 6 <= len; i += 6) {
                uint16_t k = (uint16_t)(q[i] << 8 | q[i + 1]);
                if (k == NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS) {
                    r->mcs = U32(q + i + 2);
                } else if (k == NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE) {
                    r->mhls = U32(q + i + 2);
                }
            }
        } else if (type == NGHTTP2_RST_STREAM && len == 4) {
            r->rst[s] = U32(q) + 1;
        } else if (type == NGHTTP2_GOAWAY && len >= 8) {
            r->goaway++;
            r->goaway_last = (int32_t)U32(q);
            r->goaway_code = U32(q + 4);
        } else if (type == NGHTTP2_DATA) {
            r->data[s] += len;
        } else if (type == NGHTTP2_HEADERS) {
            const uint8_t *in = q;
            size_t left = len;
            for (;;) {
                nghttp2_nv nv;
                int fl = 0;
                ssize_t k =
                    nghttp2_hd_inflate_hd2(r->inf, &nv, &fl, in, left, 1);
                CU_ASSERT_TRUE_FATAL(k >= 0);
                in += k;
                left -= (size_t)k;
                if ((fl & NGHTTP2_HD_INFLATE_EMIT) && nv.namelen == 7 &&
                    !memcmp(nv.name, ":status", 7)) {
                    r->status[s] = atoi((const char *)nv.value);
                }
                if (fl & NGHTTP2_HD_INFLATE_FINAL) {
                    nghttp2_hd_inflate_end_headers(r->inf);
                    break;
                }
                if (!(fl & NGHTTP2_HD_INFLATE_EMIT) && left == 0) {
                    break;
                }
            }
        }
#undef U32
        p += 9 + len;
        n -= 9 + len;
    }
}

/* Feed b (then empty it) at now, produce until the output is drained,
 * and read what the server sent. */
static void raw_turn(struct raw *r, struct mock_conn *c, struct mock_buf *b,
                     int64_t now)
{
    if (mock_buf_pending(b)) {
        ASSERT_INT_EQ(
            0, mock_conn_feed(c, mock_buf_head(b), mock_buf_pending(b), now));
        mock_buf_consume(b, mock_buf_pending(b));
    }
    struct mock_buf out = {0};
    for (int i = 0; i < 100; i++) {
        ASSERT_INT_EQ(0, mock_conn_produce(c, now));
        if (!mock_conn_out_pending(c)) {
            break;
        }
        ASSERT_INT_EQ(0, mock_conn_out_take(c, &out, SIZE_MAX));
    }
    raw_scan(r, mock_buf_head(&out), mock_buf_pending(&out));
    mock_buf_free(&out);
}

/* A connection with a raw client that has sent its preface, SETTINGS
 * and (blind) the ACK of the server's; and their end. */
static void raw_open(struct raw *r, struct mock_conn *c, struct mock_buf *b)
{
    mock_conn_init(c, &srv, false, false);
    raw_new(r);
    raw_preface(b);
    raw_frame(b, NGHTTP2_SETTINGS, NGHTTP2_FLAG_ACK, 0, NULL, 0);
}

static void raw_close(struct raw *r, struct mock_conn *c, struct mock_buf *b)
{
    raw_del(r);
    mock_buf_free(b);
    mock_conn_free(c);
}

/* SETTINGS_MAX_CONCURRENT_STREAMS says the limit; a stream over it is
 * refused with RST_STREAM REFUSED_STREAM also after the client
 * acknowledged it (nghttp2 alone would end the connection, M15), and the
 * connection goes on serving. */
static void test_limit_h2_streams(void)
{
    srv_up(NULL);
    srv.limits.max_streams = 2;
    struct mock_conn c;
    struct raw r;
    struct mock_buf b = {0};
    mock_conn_init(&c, &srv, false, false);
    raw_new(&r);
    raw_preface(&b);
    raw_turn(&r, &c, &b, 0);
    ASSERT_INT_EQ(2, r.mcs);
    ASSERT_INT_EQ(65536, r.mhls);
    raw_frame(&b, NGHTTP2_SETTINGS, NGHTTP2_FLAG_ACK, 0, NULL, 0);
    raw_get(&r, &b, 1, "/hello.txt", 0, NULL, false);
    raw_get(&r, &b, 3, "/hello.txt", 0, NULL, false);
    raw_get(&r, &b, 5, "/hello.txt", 0, NULL, false);
    raw_turn(&r, &c, &b, 0);
    ASSERT_INT_EQ(200, r.status[0]);
    ASSERT_INT_EQ(200, r.status[1]);
    ASSERT_INT_EQ(6, r.data[1]);
    ASSERT_INT_EQ(0, r.status[2]);
    ASSERT_INT_EQ(NGHTTP2_REFUSED_STREAM + 1, r.rst[2]);
    ASSERT_INT_EQ(0, r.goaway);
    raw_get(&r, &b, 7, "/hello.txt", 0, NULL, false);
    raw_turn(&r, &c, &b, 0);
    ASSERT_INT_EQ(200, r.status[3]);
    ASSERT_INT_EQ(6, r.data[3]);
    ASSERT_INT_EQ(0, r.goaway);
    CU_ASSERT_FALSE(c.io.dead);
    ASSERT_INT_EQ(3, srv.log.n); /* the refused stream is not logged */
    raw_close(&r, &c, &b);
    srv_down();
}

/* A header list over max_head (RFC 9113 §6.5.2 sizes: name + value + 32)
 * or with more than max_headers fields (pseudo ones count) is answered
 * 431 on its stream; the next stream is served. */
static void test_limit_h2_header_list(void)
{
    srv_up(NULL);
    /* :method GET 42, :path /hello.txt 47, :scheme http 43, :authority
     * x 43: 175; x-1 with 10 bytes: 45 */
    srv.limits.max_head = 220;
    srv.limits.max_headers = 5;
    struct mock_conn c;
    struct raw r;
    struct mock_buf b = {0};
    raw_open(&r, &c, &b);
    raw_get(&r, &b, 1, "/hello.txt", 1, "0123456789", false);
    raw_get(&r, &b, 3, "/hello.txt", 1, "0123456789a", false);
    raw_get(&r, &b, 5, "/hello.txt", 2, "0", false);
    raw_get(&r, &b, 7, "/hello.txt", 0, NULL, false);
    raw_turn(&r, &c, &b, 0);
    ASSERT_INT_EQ(220, r.mhls);
    ASSERT_INT_EQ(200, r.status[0]);
    ASSERT_INT_EQ(431, r.status[1]);
    ASSERT_INT_EQ(strlen("request header fields too large\n"), r.data[1]);
    ASSERT_INT_EQ(431, r.status[2]);
    ASSERT_INT_EQ(200, r.status[3]);
    ASSERT_INT_EQ(0, r.rst[1] + r.rst[2]);
    ASSERT_INT_EQ(0, r.goaway);
    ASSERT_INT_EQ(2, srv.log.n);
    raw_close(&r, &c, &b);
    srv_down();
}

/* HTTP/2: idle_ms after the last stream ended, GOAWAY NO_ERROR naming
 * the last stream, then close; a header block left open (no
 * CONTINUATION) is cut the same way head_ms after it began. */
static void test_limit_h2_idle_and_slow_block(void)
{
    srv_up(NULL);
    srv.limits.idle_ms = 3000;
    srv.limits.head_ms = 2000;
    struct mock_conn c;
    struct raw r;
    struct mock_buf b = {0};
    raw_open(&r, &c, &b);
    raw_get(&r, &b, 1, "/hello.txt", 0, NULL, false);
    raw_turn(&r, &c, &b, 100);
    ASSERT_INT_EQ(200, r.status[0]);
    ASSERT_INT_EQ(3100, c.io.wake);
    raw_turn(&r, &c, &b, 3099);
    ASSERT_INT_EQ(0, r.goaway);
    CU_ASSERT_FALSE(c.io.dead);
    raw_turn(&r, &c, &b, 3100);
    ASSERT_INT_EQ(1, r.goaway);
    ASSERT_INT_EQ(NGHTTP2_NO_ERROR, r.goaway_code);
    ASSERT_INT_EQ(1, r.goaway_last);
    ASSERT_INT_EQ(MOCK_CLOSE_FIN, c.io.close_after_flush);
    raw_close(&r, &c, &b);
    /* a HEADERS frame without END_HEADERS, and no CONTINUATION */
    raw_open(&r, &c, &b);
    raw_get(&r, &b, 1, "/hello.txt", 0, NULL, true);
    raw_turn(&r, &c, &b, 500);
    ASSERT_INT_EQ(2500, c.io.wake);
    raw_turn(&r, &c, &b, 2499);
    ASSERT_INT_EQ(0, r.goaway);
    raw_turn(&r, &c, &b, 2500);
    ASSERT_INT_EQ(1, r.goaway);
    ASSERT_INT_EQ(NGHTTP2_NO_ERROR, r.goaway_code);
    CU_ASSERT_TRUE(c.io.dead);
    ASSERT_INT_EQ(1, srv.log.n);
    raw_close(&r, &c, &b);
    srv_down();
}

CU_TestInfo core_tests[] = {
    {"log line: exact JSON, in flight and kept", test_log_line_exact},
    {"h1 byte by byte, range", test_h1_bytewise_range},
    {"file cache: replaced, grown, removed files", test_file_cache_revalidates},
    {"file cache: one check per feed", test_file_cache_feed_epochs},
    {"output queue: chunks, iovecs, consume, rollback", test_out_queue},
    {"h1 pipelined, HEAD, 404, 405, 400", test_h1_pipelined_and_errors},
    {"h1 delay, close, throttle on scripted time",
     test_h1_faults_scripted_time},
    {"h2 prior knowledge in 1/7/4096/100000-byte chunks",
     test_h2_prior_knowledge_chunks},
    {"h2 RST_STREAM and GOAWAY", test_h2_rst_and_goaway},
    {"h2 file shrinks mid-body: frame taken back, read-error",
     test_h2_read_error_rollback},
    {"h2c upgrade", test_h2_upgrade},
    {"--http1-only: Upgrade ignored, keep-alive, conn ids",
     test_h1_only_ignores_upgrade},
    {"--http1-only: preface refused with 505; HTTP/3.0 505",
     test_h1_only_refuses_preface},
    {"limits: request line 414", test_limit_request_line},
    {"limits: header bytes and count 431", test_limit_header_fields},
    {"limits: slow head 408, slow preface closed", test_limit_slow_head},
    {"limits: idle HTTP/1.1 connection closed", test_limit_idle_h1},
    {"limits: h2 streams over the limit REFUSED_STREAM", test_limit_h2_streams},
    {"limits: h2 header list 431", test_limit_h2_header_list},
    {"limits: h2 idle GOAWAY, open header block cut",
     test_limit_h2_idle_and_slow_block},
    CU_TEST_INFO_NULL,
};

/* The conversation helper for other suites (test_upload.c). */
char *unit_h1_talk(struct mock_conn *c, const char *req, size_t chunk,
                   int64_t now, size_t *outlen)
{
    return h1_talk(c, req, chunk, now, outlen);
}
