/*
 * test_upload.c - the BITS Upload Protocol core (upcore.c) fed packets in
 * memory: every packet type, every error answer, overlapping fragments,
 * the session timeout on a scripted clock, each upload fault, and the
 * rule fields that select upload packets; and one HTTP/1.1 conversation
 * fed as bytes through the I/O-free connection, down to the file.  The
 * rest of upload.c's files is tested end to end (upload-e2e.sh).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#define GUID MOCK_BITS_PROTOCOL

static struct mock_bits B;

static void setup(const struct mock_bits_cfg *cfg)
{
    struct mock_bits_cfg def = {.timeout_ms = 60000, .host_fallback = -1};
    mock_bits_free(&B);
    mock_bits_init(&B, cfg ? cfg : &def, 1);
}

static struct mock_bits_pkt pkt(enum mock_bits_pt t, const char *sid,
                                const char *range, uint64_t len, int64_t now)
{
    struct mock_bits_pkt p = {.type = t,
                              .session = sid,
                              .range = range,
                              .need_length = true,
                              .has_length = true,
                              .body_len = len,
                              .path = "/d/f.bin",
                              .now = now,
                              .protocols = GUID};
    return p;
}

static struct mock_bits_ans step(struct mock_bits_pkt p,
                                 const struct mock_bits_fault *f)
{
    struct mock_bits_ans a;
    CU_ASSERT_EQUAL(0, mock_bits_step(&B, &p, f, &a));
    if (a.gone) {
        mock_bits_session_free(a.gone);
        a.gone = NULL;
        a.session = NULL;
    }
    return a;
}

/* A new session; its id into id. */
static void create(char id[40])
{
    struct mock_bits_ans a = step(pkt(MOCK_BP_CREATE, NULL, NULL, 0, 0), NULL);
    ASSERT_INT_EQ(200, a.status);
    snprintf(id, 40, "%s", a.session);
}

static void ping_is_acked(void)
{
    setup(NULL);
    struct mock_bits_ans a = step(pkt(MOCK_BP_PING, NULL, NULL, 0, 0), NULL);
    ASSERT_INT_EQ(200, a.status);
    ASSERT_INT_EQ(-1, a.error);
    ASSERT_INT_EQ(-1, a.received);
    CU_ASSERT_PTR_NULL(a.session);
}

static void unknown_packet_is_400(void)
{
    setup(NULL);
    struct mock_bits_ans a = step(pkt(MOCK_BP_UNKNOWN, NULL, NULL, 0, 0), NULL);
    ASSERT_INT_EQ(400, a.status);
    ASSERT_INT_EQ(0x80070057, a.error);
    ASSERT_INT_EQ(5, a.context);
    ASSERT_INT_EQ(MOCK_BP_PING, mock_bits_pt_parse("PING"));
    ASSERT_INT_EQ(MOCK_BP_CREATE, mock_bits_pt_parse("create-session"));
    ASSERT_INT_EQ(MOCK_BP_NONE, mock_bits_pt_parse("Ack"));
}

static void missing_length_is_411_on_http1(void)
{
    setup(NULL);
    struct mock_bits_pkt p = pkt(MOCK_BP_PING, NULL, NULL, 0, 0);
    p.has_length = false;
    ASSERT_INT_EQ(411, step(p, NULL).status);
    p.need_length = false; /* HTTP/2: the stream's end says the length */
    ASSERT_INT_EQ(200, step(p, NULL).status);
}

static void create_negotiates_the_protocol(void)
{
    struct mock_bits_cfg cfg = {.timeout_ms = 1000, .host_fallback = 30};
    snprintf(cfg.host_id, sizeof(cfg.host_id), "farm-7");
    setup(&cfg);
    struct mock_bits_pkt p = pkt(MOCK_BP_CREATE, NULL, NULL, 0, 0);
    p.protocols = "{00000000-0000-0000-0000-000000000001},"
                  "{7DF0354D-249B-430F-820D-3D2A9BEF4931}";
    struct mock_bits_ans a = step(p, NULL);
    ASSERT_INT_EQ(200, a.status);
    CU_ASSERT_TRUE(a.protocol);
    CU_ASSERT_TRUE(a.host_id);
    CU_ASSERT_TRUE(a.create);
    ASSERT_INT_EQ(38, strlen(a.session));
    ASSERT_INT_EQ('{', a.session[0]);
    ASSERT_INT_EQ('4', a.session[15]); /* version 4 */
    ASSERT_INT_EQ(1, a.s->ordinal);
    /* ids are compared case-insensitively */
    char up[40];
    snprintf(up, sizeof(up), "%s", a.session);
    for (char *c = up; *c; c++) {
        *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
    }
    CU_ASSERT_PTR_EQUAL(a.s, mock_bits_find(&B, up));
}

static void create_without_common_protocol_is_400(void)
{
    setup(NULL);
    struct mock_bits_pkt p = pkt(MOCK_BP_CREATE, NULL, NULL, 0, 0);
    p.protocols = "{00000000-0000-0000-0000-000000000001}";
    struct mock_bits_ans a = step(p, NULL);
    ASSERT_INT_EQ(400, a.status);
    ASSERT_INT_EQ(0x80070057, a.error);
    ASSERT_INT_EQ(5, a.context);
    p.protocols = NULL;
    ASSERT_INT_EQ(400, step(p, NULL).status);
    ASSERT_INT_EQ(0, B.n);
}

static void create_on_existing_file_is_409(void)
{
    setup(NULL);
    struct mock_bits_pkt p = pkt(MOCK_BP_CREATE, NULL, NULL, 0, 0);
    p.dest_exists = true;
    struct mock_bits_ans a = step(p, NULL);
    ASSERT_INT_EQ(409, a.status);
    ASSERT_INT_EQ(-1, a.error);
    struct mock_bits_cfg cfg = {
        .timeout_ms = 1000, .host_fallback = -1, .overwrite = true};
    setup(&cfg);
    ASSERT_INT_EQ(200, step(p, NULL).status);
}

static void three_fragments_complete_the_upload(void)
{
    setup(NULL);
    char id[40];
    create(id);
    struct mock_bits_ans a =
        step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-99/300", 100, 1), NULL);
    ASSERT_INT_EQ(200, a.status);
    ASSERT_INT_EQ(100, a.received);
    ASSERT_INT_EQ(0, a.skip);
    ASSERT_INT_EQ(0, a.write_off);
    ASSERT_INT_EQ(100, a.write_len);
    CU_ASSERT_FALSE(a.finish);
    a = step(pkt(MOCK_BP_FRAGMENT, id, "Bytes 100-199/300", 100, 2), NULL);
    ASSERT_INT_EQ(200, a.received);
    a = step(pkt(MOCK_BP_FRAGMENT, id, "bytes 200-299/300", 100, 3), NULL);
    ASSERT_INT_EQ(300, a.received);
    CU_ASSERT_TRUE(a.finish);
    CU_ASSERT_FALSE(a.reply_url); /* a plain upload: never a reply URL */
    CU_ASSERT_TRUE(a.s->complete);
    ASSERT_INT_EQ(3, a.s->fragments);
}

static void overlap_writes_only_new_bytes(void)
{
    setup(NULL);
    char id[40];
    create(id);
    step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-100/300", 101, 1), NULL);
    /* the Win32 example: 0-100 held, 50-150 sent, 101-150 written */
    struct mock_bits_ans a =
        step(pkt(MOCK_BP_FRAGMENT, id, "bytes 50-150/300", 101, 2), NULL);
    ASSERT_INT_EQ(200, a.status);
    ASSERT_INT_EQ(51, a.skip);
    ASSERT_INT_EQ(101, a.write_off);
    ASSERT_INT_EQ(50, a.write_len);
    ASSERT_INT_EQ(151, a.received);
    /* wholly inside what is held: 200, nothing written */
    a = step(pkt(MOCK_BP_FRAGMENT, id, "bytes 10-19/300", 10, 3), NULL);
    ASSERT_INT_EQ(200, a.status);
    ASSERT_INT_EQ(0, a.write_len);
    ASSERT_INT_EQ(151, a.received);
}

static void gap_is_416_with_the_offset(void)
{
    setup(NULL);
    char id[40];
    create(id);
    step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-99/300", 100, 1), NULL);
    struct mock_bits_ans a =
        step(pkt(MOCK_BP_FRAGMENT, id, "bytes 150-199/300", 50, 2), NULL);
    ASSERT_INT_EQ(416, a.status);
    ASSERT_INT_EQ(100, a.received);
    ASSERT_INT_EQ(-1, a.error); /* decision M20: no BITS-Error on 416 */
    ASSERT_INT_EQ(0, a.write_len);
}

static void bad_content_range_is_400(void)
{
    static const char *const bad[] = {
        NULL,
        "bytes 0-99",
        "items 0-99/300",
        "bytes 5-4/300",
        "bytes 0-300/300",
        "bytes 0-99/300x",
        "bytes -1-99/300",
    };
    setup(NULL);
    char id[40];
    create(id);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct mock_bits_ans a =
            step(pkt(MOCK_BP_FRAGMENT, id, bad[i], 100, 1), NULL);
        ASSERT_INT_EQ(400, a.status);
        ASSERT_INT_EQ(0x80070057, a.error);
    }
    /* body length differs from the range */
    ASSERT_INT_EQ(
        400,
        step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-99/300", 99, 1), NULL).status);
    step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-99/300", 100, 1), NULL);
    /* the total may not change within a session */
    ASSERT_INT_EQ(
        400, step(pkt(MOCK_BP_FRAGMENT, id, "bytes 100-199/400", 100, 1), NULL)
                 .status);
}

static void over_the_maximum_is_too_large(void)
{
    struct mock_bits_cfg cfg = {
        .timeout_ms = 1000, .host_fallback = -1, .max_upload = 299};
    setup(&cfg);
    char id[40];
    create(id);
    struct mock_bits_ans a =
        step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-99/300", 100, 1), NULL);
    ASSERT_INT_EQ(400, a.status);
    ASSERT_INT_EQ(0x80200020, a.error);
    ASSERT_INT_EQ(5, a.context);
}

static void unknown_session_is_500(void)
{
    static const enum mock_bits_pt types[] = {MOCK_BP_FRAGMENT, MOCK_BP_CLOSE,
                                              MOCK_BP_CANCEL};
    setup(NULL);
    for (size_t i = 0; i < 3; i++) {
        struct mock_bits_ans a =
            step(pkt(types[i], "{nope}", "bytes 0-0/1", 1, 0), NULL);
        ASSERT_INT_EQ(500, a.status);
        ASSERT_INT_EQ(0x8020001F, a.error);
        ASSERT_INT_EQ(5, a.context);
        /* no BITS-Session-Id at all: a malformed packet */
        a = step(pkt(types[i], NULL, "bytes 0-0/1", 1, 0), NULL);
        ASSERT_INT_EQ(400, a.status);
        ASSERT_INT_EQ(0x80070057, a.error);
    }
}

static void close_and_cancel_end_the_session(void)
{
    setup(NULL);
    char id[40];
    create(id);
    step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-9/10", 10, 1), NULL);
    struct mock_bits_ans a;
    struct mock_bits_pkt p = pkt(MOCK_BP_CLOSE, id, NULL, 0, 2);
    CU_ASSERT_EQUAL(0, mock_bits_step(&B, &p, NULL, &a));
    ASSERT_INT_EQ(200, a.status);
    ASSERT_STR_EQ(id, a.session);
    CU_ASSERT_PTR_NOT_NULL(a.gone);
    CU_ASSERT_TRUE(a.gone->complete);
    mock_bits_session_free(a.gone);
    ASSERT_INT_EQ(0, B.n);
    create(id);
    p = pkt(MOCK_BP_CANCEL, id, NULL, 0, 3);
    CU_ASSERT_EQUAL(0, mock_bits_step(&B, &p, NULL, &a));
    ASSERT_INT_EQ(200, a.status);
    CU_ASSERT_FALSE(a.gone->complete); /* partial: its file goes */
    mock_bits_session_free(a.gone);
    ASSERT_INT_EQ(500, step(pkt(MOCK_BP_CANCEL, id, NULL, 0, 4), NULL).status);
}

static void idle_session_times_out(void)
{
    setup(NULL); /* 60 s */
    char id[40];
    create(id); /* at 0 */
    step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-9/20", 10, 50000), NULL);
    CU_ASSERT_PTR_NULL(mock_bits_expire(&B, 109999));
    struct mock_bits_session *s = mock_bits_expire(&B, 110000);
    CU_ASSERT_PTR_NOT_NULL(s);
    mock_bits_session_free(s);
    ASSERT_INT_EQ(
        500, step(pkt(MOCK_BP_FRAGMENT, id, "bytes 10-19/20", 10, 110001), NULL)
                 .status);
}

static void fault_session_not_found_forgets(void)
{
    setup(NULL);
    char id[40];
    create(id);
    struct mock_bits_fault f = {.kind = MOCK_BF_NOT_FOUND};
    struct mock_bits_ans a =
        step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-9/20", 10, 1), &f);
    ASSERT_INT_EQ(500, a.status);
    ASSERT_INT_EQ(0x8020001F, a.error);
    ASSERT_INT_EQ(0, B.n);
}

static void fault_416_sets_the_offset(void)
{
    setup(NULL);
    char id[40];
    create(id);
    step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-99/300", 100, 1), NULL);
    struct mock_bits_fault f = {.kind = MOCK_BF_416, .n = 40};
    struct mock_bits_ans a =
        step(pkt(MOCK_BP_FRAGMENT, id, "bytes 100-199/300", 100, 2), &f);
    ASSERT_INT_EQ(416, a.status);
    ASSERT_INT_EQ(40, a.received);
    CU_ASSERT_TRUE(a.truncate);
    ASSERT_INT_EQ(40, a.s->received);
    ASSERT_INT_EQ(0, a.write_len);
    f.n = 250; /* above: the answer lies, the state stays */
    a = step(pkt(MOCK_BP_FRAGMENT, id, "bytes 40-139/300", 100, 3), &f);
    ASSERT_INT_EQ(250, a.received);
    ASSERT_INT_EQ(40, a.s->received);
    CU_ASSERT_FALSE(a.truncate);
}

static void fault_short_commits_part(void)
{
    setup(NULL);
    char id[40];
    create(id);
    struct mock_bits_fault f = {.kind = MOCK_BF_SHORT, .n = 30};
    struct mock_bits_ans a =
        step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-99/100", 100, 1), &f);
    ASSERT_INT_EQ(200, a.status);
    ASSERT_INT_EQ(70, a.received);
    ASSERT_INT_EQ(70, a.write_len);
    CU_ASSERT_FALSE(a.finish);
}

static void fault_fragment_limit_is_413(void)
{
    setup(NULL);
    char id[40];
    create(id);
    struct mock_bits_fault f = {.kind = MOCK_BF_FRAG_LIMIT, .n = 50};
    struct mock_bits_ans a =
        step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-99/100", 100, 1), &f);
    ASSERT_INT_EQ(413, a.status);
    ASSERT_INT_EQ(-1, a.received);
    a = step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-49/100", 50, 2), &f);
    ASSERT_INT_EQ(200, a.status);
    ASSERT_INT_EQ(50, a.received);
}

static void fault_challenge_until_credentials(void)
{
    setup(NULL);
    struct mock_bits_fault f = {.kind = MOCK_BF_CHALLENGE, .status = 407};
    struct mock_bits_pkt p = pkt(MOCK_BP_CREATE, NULL, NULL, 0, 0);
    struct mock_bits_ans a = step(p, &f);
    ASSERT_INT_EQ(407, a.status);
    ASSERT_STR_EQ("proxy-authenticate", a.challenge);
    ASSERT_INT_EQ(0, B.n);
    p.credentials = true;
    a = step(p, &f);
    ASSERT_INT_EQ(200, a.status);
    CU_ASSERT_PTR_NULL(a.challenge);
}

static void fault_error_leaves_the_session(void)
{
    setup(NULL);
    char id[40];
    create(id);
    struct mock_bits_fault f = {.kind = MOCK_BF_ERROR,
                                .status = 503,
                                .error = 0x801901F7,
                                .context = 5};
    struct mock_bits_ans a = step(pkt(MOCK_BP_CLOSE, id, NULL, 0, 1), &f);
    ASSERT_INT_EQ(503, a.status);
    ASSERT_INT_EQ(0x801901F7, a.error);
    ASSERT_INT_EQ(5, a.context);
    ASSERT_STR_EQ(id, a.session);
    ASSERT_INT_EQ(1, B.n);
}

static void reply_session_gets_its_url(void)
{
    setup(NULL);
    struct mock_bits_fault f = {.reply = {.on = true, .by_ref = true}};
    struct mock_bits_ans a = step(pkt(MOCK_BP_CREATE, NULL, NULL, 0, 0), &f);
    char id[40];
    snprintf(id, sizeof(id), "%s", a.session);
    CU_ASSERT_TRUE(a.s->reply.by_ref);
    a = step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-9/20", 10, 1), NULL);
    CU_ASSERT_FALSE(a.reply_url); /* only on the final Ack */
    a = step(pkt(MOCK_BP_FRAGMENT, id, "bytes 10-19/20", 10, 2), NULL);
    CU_ASSERT_TRUE(a.finish);
    CU_ASSERT_TRUE(a.reply_url);
    /* the final fragment again (its Ack was lost): notified again */
    a = step(pkt(MOCK_BP_FRAGMENT, id, "bytes 10-19/20", 10, 3), NULL);
    ASSERT_INT_EQ(200, a.status);
    ASSERT_INT_EQ(20, a.received);
    CU_ASSERT_TRUE(a.finish);
    CU_ASSERT_TRUE(a.reply_url);
    ASSERT_INT_EQ(0, a.write_len);
}

static void fault_backend_and_missing_url(void)
{
    setup(NULL);
    struct mock_bits_fault on = {.reply = {.on = true}};
    struct mock_bits_ans a = step(pkt(MOCK_BP_CREATE, NULL, NULL, 0, 0), &on);
    char id[40];
    snprintf(id, sizeof(id), "%s", a.session);
    struct mock_bits_fault be = {
        .kind = MOCK_BF_BACKEND, .status = 404, .error = 0x80190194};
    a = step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-9/10", 10, 1), &be);
    ASSERT_INT_EQ(404, a.status);
    ASSERT_INT_EQ(0x80190194, a.error);
    ASSERT_INT_EQ(7, a.context);
    CU_ASSERT_TRUE(a.finish); /* the upload is committed all the same */
    CU_ASSERT_TRUE(a.backend_fail);
    CU_ASSERT_FALSE(a.reply_url);
    struct mock_bits_fault nourl = {.no_reply_url = true};
    a = step(pkt(MOCK_BP_FRAGMENT, id, "bytes 0-9/10", 10, 2), &nourl);
    ASSERT_INT_EQ(200, a.status);
    CU_ASSERT_TRUE(a.finish);
    CU_ASSERT_FALSE(a.reply_url);
}

static void key_names_session_and_fragment(void)
{
    setup(NULL);
    char one[40], two[40];
    create(one);
    create(two);
    step(pkt(MOCK_BP_FRAGMENT, two, "bytes 0-9/20", 10, 1), NULL);
    struct mock_bits_key k;
    struct mock_bits_pkt p =
        pkt(MOCK_BP_FRAGMENT, two, "bytes 10-19/20", 10, 2);
    mock_bits_key(&B, &p, &k);
    ASSERT_INT_EQ(MOCK_BP_FRAGMENT, k.packet);
    ASSERT_INT_EQ(2, k.session);
    ASSERT_INT_EQ(2, k.fragment);
    CU_ASSERT_TRUE(k.last);
    /* rules select by them */
    struct mock_rules rs;
    mock_rules_init(&rs, 1);
    static const char text[] =
        "match packet=Fragment session=1 action=bits-416 received=0\n"
        "match packet=Fragment fragment=last action=bits-no-reply-url\n";
    char err[256];
    CU_ASSERT_EQUAL(0, mock_rules_parse(&rs, text, sizeof(text) - 1, "t", NULL,
                                        err, sizeof(err)));
    struct mock_req r = {.method = "BITS_POST", .target = "/d/f.bin"};
    struct mock_plan plan;
    mock_plan_init(&plan);
    const struct mock_rule *hit =
        mock_rules_match(&rs, &r, "/d/f.bin", -1, &k, &plan);
    CU_ASSERT_PTR_NOT_NULL(hit);
    ASSERT_STR_EQ("r2", hit ? hit->name : NULL);
    CU_ASSERT_TRUE(plan.bits.no_reply_url);
    mock_plan_free(&plan);
    /* not an upload packet: upload rules never match */
    CU_ASSERT_PTR_NULL(mock_rules_match(&rs, &r, "/d/f.bin", -1, NULL, &plan));
    mock_plan_free(&plan);
    mock_rules_clear(&rs);
    mock_bits_free(&B);
}

/* A server with an upload directory dir (made here) and, on connection
 * c (HTTP/1.1), a session for /up.bin whose id goes to sid. */
static void h1_session(struct mock_server *srv, char dir[64],
                       struct mock_conn *c, char sid[39])
{
    char err[256];
    size_t n;
    CU_ASSERT_EQUAL_FATAL(
        mock_server_init(srv, unit_root(), 1, err, sizeof(err)), 0);
    snprintf(dir, 64, "/tmp/h2mock-unit-up-%d", (int)getpid());
    mkdir(dir, 0755);
    struct mock_bits_cfg cfg = {.timeout_ms = 60000, .host_fallback = -1};
    ASSERT_INT_EQ(
        0, mock_upload_open(&srv->up, dir, &cfg, NULL, 1, err, sizeof(err)));
    mock_conn_init(c, srv, false, false);
    char *out = unit_h1_talk(c,
                             "BITS_POST /up.bin HTTP/1.1\r\nHost: h\r\n"
                             "BITS-Packet-Type: create-session\r\n"
                             "BITS-Supported-Protocols: " GUID "\r\n"
                             "Content-Length: 0\r\n\r\n",
                             1, 0, &n);
    const char *at = out ? strstr(out, "bits-session-id: ") : NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    CU_ASSERT_EQUAL(strncmp(out, "HTTP/1.1 200 OK\r\n", 17), 0);
    snprintf(sid, 39, "%.38s", at + 17);
    free(out);
}

/* One Fragment of the session over c: its range and length headers as
 * given, then the body; the response (freed by the caller). */
static char *h1_fragment(struct mock_conn *c, const char *sid,
                         const char *range, size_t length, const char *body)
{
    char req[512];
    size_t n;
    snprintf(req, sizeof(req),
             "BITS_POST /up.bin HTTP/1.1\r\nHost: h\r\n"
             "BITS-Packet-Type: Fragment\r\nBITS-Session-Id: %s\r\n"
             "Content-Range: %s\r\nContent-Length: %zu\r\n\r\n%s",
             sid, range, length, body);
    return unit_h1_talk(c, req, 3, 1, &n);
}

/* A Fragment that goes on where its session stands is written straight
 * into the partial file; one whose Content-Length or total disagrees
 * with its range is not (400), so nothing lands past the file's end:
 * the committed file is exactly the 20 bytes sent in order. */
static void direct_fragments_stay_inside_the_file(void)
{
    struct mock_server srv;
    struct mock_conn c;
    char dir[64], sid[39], path[96], got[32] = {0};
    h1_session(&srv, dir, &c, sid);
    char *out = h1_fragment(&c, sid, "bytes 0-9/20", 10, "0123456789");
    CU_ASSERT_PTR_NOT_NULL(
        out && strstr(out, "\r\nbits-received-content-range: 10\r\n"));
    free(out);
    out = h1_fragment(&c, sid, "bytes 10-19/20", 12, "abcdefghijXY");
    CU_ASSERT_EQUAL(out ? strncmp(out, "HTTP/1.1 400 ", 13) : -1, 0);
    free(out);
    out = h1_fragment(&c, sid, "bytes 10-19/30", 10, "abcdefghij");
    CU_ASSERT_EQUAL(out ? strncmp(out, "HTTP/1.1 400 ", 13) : -1, 0);
    free(out);
    out = h1_fragment(&c, sid, "bytes 10-19/20", 10, "abcdefghij");
    CU_ASSERT_PTR_NOT_NULL(
        out && strstr(out, "\r\nbits-received-content-range: 20\r\n"));
    free(out);
    snprintf(path, sizeof(path), "%s/up.bin", dir);
    FILE *f = fopen(path, "rb");
    ASSERT_INT_EQ(20, f ? fread(got, 1, sizeof(got), f) : 0);
    ASSERT_STR_EQ("0123456789abcdefghij", got);
    if (f) {
        fclose(f);
    }
    mock_conn_free(&c);
    mock_server_free(&srv);
    unlink(path);
    ASSERT_INT_EQ(0, rmdir(dir));
}

/* Packets as bytes through the I/O-free connection (HTTP/1.1, fed in
 * small pieces): the body goes to its temp file piece by piece, the file
 * lands in the upload directory, the log names the packet. */
static void http1_bytes_in_memory(void)
{
    struct mock_server srv;
    struct mock_conn c;
    char dir[64], sid[39], path[96];
    h1_session(&srv, dir, &c, sid);
    char *out = h1_fragment(&c, sid, "bytes 0-9/10", 10, "0123456789");
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\r\nbits-received-content-range: "
                                       "10\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\r\ncontent-length: 0\r\n"));
    free(out);
    snprintf(path, sizeof(path), "%s/up.bin", dir);
    FILE *f = fopen(path, "rb");
    char got[16] = {0};
    ASSERT_INT_EQ(10, f ? fread(got, 1, sizeof(got), f) : 0);
    ASSERT_STR_EQ("0123456789", got);
    if (f) {
        fclose(f);
    }
    struct mock_buf b = {0};
    ASSERT_INT_EQ(0, mock_upload_list(srv.up, 2, &b));
    mock_buf_append(&b, "", 1);
    CU_ASSERT_PTR_NOT_NULL(strstr((const char *)b.data,
                                  "\"path\":\"/up.bin\",\"size\":10,"
                                  "\"sha256\":\"84d89877f0d4041efb6bf91a16f0248"
                                  "f2fd573e6af05c19f96bedb9f882f7882\",\"via\":"
                                  "\"bits\""));
    mock_buf_free(&b);
    ASSERT_INT_EQ(2, srv.log.n);
    ASSERT_INT_EQ(0, mock_log_line(&srv.log, 1, &b));
    mock_buf_append(&b, "", 1);
    CU_ASSERT_PTR_NOT_NULL(strstr((const char *)b.data,
                                  "\"packet\":\"Fragment\",\"session\":"
                                  "\"{"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr((const char *)b.data, "\"range\":\"bytes 0-9/10\""));
    mock_buf_free(&b);
    mock_conn_free(&c);
    mock_server_free(&srv); /* removes dir/.h2mock */
    unlink(path);
    ASSERT_INT_EQ(0, rmdir(dir));
}

CU_TestInfo upload_tests[] = {
    {"a Fragment in place: nothing past the file's end",
     direct_fragments_stay_inside_the_file},
    {"Ping is acked", ping_is_acked},
    {"unknown packet type: 400", unknown_packet_is_400},
    {"no Content-Length on HTTP/1.1: 411", missing_length_is_411_on_http1},
    {"Create-Session negotiates the protocol", create_negotiates_the_protocol},
    {"no common protocol: 400", create_without_common_protocol_is_400},
    {"existing file: 409 unless overwrite", create_on_existing_file_is_409},
    {"three fragments complete the upload",
     three_fragments_complete_the_upload},
    {"overlap writes only new bytes", overlap_writes_only_new_bytes},
    {"gap: 416 with the offset", gap_is_416_with_the_offset},
    {"bad Content-Range: 400", bad_content_range_is_400},
    {"over --upload-max: BG_E_TOO_LARGE", over_the_maximum_is_too_large},
    {"unknown session: 500 BG_E_SESSION_NOT_FOUND; none: 400",
     unknown_session_is_500},
    {"Close and Cancel end the session", close_and_cancel_end_the_session},
    {"an idle session times out", idle_session_times_out},
    {"fault: session not found", fault_session_not_found_forgets},
    {"fault: 416 with an offset", fault_416_sets_the_offset},
    {"fault: short received offset", fault_short_commits_part},
    {"fault: 413 over a fragment size", fault_fragment_limit_is_413},
    {"fault: challenge until credentials", fault_challenge_until_credentials},
    {"fault: error leaves the session", fault_error_leaves_the_session},
    {"upload-reply: URL on the final Ack, again on a retry",
     reply_session_gets_its_url},
    {"fault: back end and missing reply URL", fault_backend_and_missing_url},
    {"rules select by session and fragment", key_names_session_and_fragment},
    {"HTTP/1.1 bytes in memory", http1_bytes_in_memory},
    CU_TEST_INFO_NULL,
};
