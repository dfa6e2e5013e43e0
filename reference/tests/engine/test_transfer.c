/*
 * test_transfer.c - the I/O-free protocol core (ref_transfer.c), driven
 * by scripted exchanges: each case is a plan (ranges, resume point,
 * validators) and up to four request/response steps, each checking the
 * Range and If-Range asked for and the verdicts on the headers, the body
 * and the end of the response; then the final counters.  No sockets.
 */
#include "eng_test.h"
#include "ref_transfer.h"
#include "ref_alloc.h"

#include <string.h>

/* Steps that fail on their headers leave the end verdict out. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define EOF_ REF_LENGTH_TO_EOF
#define UNK REF_SIZE_UNKNOWN

struct step {
    const char *range;        /* expected CURLOPT_RANGE; "!" = request fails,
                                 NULL = plan says DONE before asking */
    const char *if_range;     /* expected If-Range ("" = none) */
    const char *hdrs;         /* header block, lines separated by '\n' */
    size_t body;              /* body bytes fed */
    enum ref_verdict_kind hv; /* verdict on headers (or on the request) */
    int herr;                 /* err code when hv is FAIL */
    enum ref_verdict_kind ev; /* verdict on body+end (when hv ACCEPT) */
    int eerr;
};

struct tcase {
    const char *name;
    struct ref_range ranges[3];
    size_t nranges;
    uint64_t resume, known;
    const char *etag, *lastmod;
    bool dynamic;
    uint64_t max;
    struct step steps[4];
    uint64_t local, total;
    bool changed, restarted;
};

#define H200(cl) "HTTP/1.1 200 OK\nContent-Length: " #cl
#define S_OK_(r, hd, n)                                                        \
    {                                                                          \
        r, "", hd, n, REF_V_ACCEPT, 0, REF_V_DONE, 0                           \
    }

static const struct tcase cases[] = {
    {"whole file, fresh",
     {{0}},
     0,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {S_OK_("", H200(20) "\nETag: \"e1\"", 20)},
     20,
     20,
     false,
     false},
    {"no Content-Length, not dynamic",
     {{0}},
     0,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"", "", "HTTP/1.1 200 OK", 0, REF_V_FAIL, REF_XE_MISSING_SIZE}},
     0,
     UNK,
     false,
     false},
    {"no Content-Length, dynamic",
     {{0}},
     0,
     5,
     UNK,
     NULL,
     NULL,
     true,
     UNK,
     {S_OK_("", "HTTP/2 200", 7)},
     7,
     7,
     false,
     false},
    {"body shorter than declared",
     {{0}},
     0,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"", "", H200(20), 10, REF_V_ACCEPT, 0, REF_V_FAIL, REF_XE_TRUNCATED}},
     10,
     20,
     false,
     false},
    {"body longer than declared",
     {{0}},
     0,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"", "", H200(20), 25, REF_V_ACCEPT, 0, REF_V_FAIL,
       REF_XE_LENGTH_MISMATCH}},
     0,
     20,
     false,
     false},
    {"two different Content-Length",
     {{0}},
     0,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"", "", H200(20) "\nContent-Length: 21", 0, REF_V_FAIL,
       REF_XE_LENGTH_MISMATCH}},
     0,
     UNK,
     false,
     false},
    {"resume with ETag",
     {{0}},
     0,
     8,
     20,
     "\"e1\"",
     NULL,
     false,
     UNK,
     {{"8-", "\"e1\"",
       "HTTP/2 206\ncontent-range: bytes 8-19/20\ncontent-length: 12\n"
       "etag: \"e1\"",
       12, REF_V_ACCEPT, 0, REF_V_DONE, 0}},
     20,
     20,
     false,
     false},
    {"resume, content changed",
     {{0}},
     0,
     8,
     20,
     "\"e1\"",
     NULL,
     false,
     UNK,
     {{"8-", "\"e1\"", H200(30) "\nETag: \"e2\"", 30, REF_V_ACCEPT, 0,
       REF_V_DONE, 0}},
     30,
     30,
     true,
     true},
    {"resume, Range ignored",
     {{0}},
     0,
     8,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"8-", "", H200(20), 20, REF_V_ACCEPT, 0, REF_V_DONE, 0}},
     20,
     20,
     false,
     true},
    {"resume, wrong Content-Range",
     {{0}},
     0,
     8,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"8-", "", "HTTP/1.1 206 P\nContent-Range: bytes 0-19/20", 0, REF_V_FAIL,
       REF_XE_BAD_CONTENT_RANGE}},
     8,
     UNK,
     false,
     false},
    {"resume, Content-Length mismatch",
     {{0}},
     0,
     8,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"8-", "",
       "HTTP/1.1 206 P\nContent-Range: bytes 8-19/20\nContent-Length: 10", 0,
       REF_V_FAIL, REF_XE_LENGTH_MISMATCH}},
     8,
     UNK,
     false,
     false},
    {"resume at the end: 416 of our size",
     {{0}},
     0,
     20,
     20,
     NULL,
     NULL,
     false,
     UNK,
     {{"20-", "", "HTTP/1.1 416 R\nContent-Range: bytes */20", 0, REF_V_DONE,
       0}},
     20,
     20,
     false,
     false},
    {"resume, file shrank: 416 restarts",
     {{0}},
     0,
     20,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"20-", "", "HTTP/1.1 416 R\nContent-Range: bytes */10", 0, REF_V_REISSUE,
       0},
      S_OK_("", H200(10), 10)},
     10,
     10,
     true,
     true},
    {"resume, 206 of another size restarts",
     {{0}},
     0,
     8,
     20,
     NULL,
     NULL,
     false,
     UNK,
     {{"8-", "", "HTTP/1.1 206 P\nContent-Range: bytes 8-29/30", 0,
       REF_V_REISSUE, 0},
      S_OK_("", H200(30), 30)},
     30,
     30,
     true,
     true},
    {"weak ETag: If-Range uses Last-Modified",
     {{0}},
     0,
     8,
     UNK,
     "W/\"w\"",
     "Mon, 01 Jan 2024 00:00:00 GMT",
     false,
     UNK,
     {{"8-", "Mon, 01 Jan 2024 00:00:00 GMT",
       "HTTP/1.1 206 P\nContent-Range: bytes 8-9/10", 2, REF_V_ACCEPT, 0,
       REF_V_DONE, 0}},
     10,
     10,
     false,
     false},
    {"ranges {2,4},{12,5}",
     {{2, 4}, {12, 5}},
     2,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"2-5", "",
       "HTTP/2 206\nContent-Range: bytes 2-5/20\nContent-Length: 4\n"
       "ETag: \"e\"",
       4, REF_V_ACCEPT, 0, REF_V_MORE, 0},
      {"12-16", "\"e\"",
       "HTTP/2 206\nContent-Range: bytes 12-16/20\nETag: \"e\"", 5,
       REF_V_ACCEPT, 0, REF_V_DONE, 0}},
     9,
     9,
     false,
     false},
    {"range to EOF",
     {{15, EOF_}},
     1,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {S_OK_("15-", "HTTP/2 206\nContent-Range: bytes 15-19/20", 5)},
     5,
     5,
     false,
     false},
    {"to EOF after the size is known: still a-",
     {{0, 2}, {15, EOF_}},
     2,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"0-1", "", "HTTP/2 206\nContent-Range: bytes 0-1/20\nETag: \"e\"", 2,
       REF_V_ACCEPT, 0, REF_V_MORE, 0},
      {"15-", "\"e\"", "HTTP/2 206\nContent-Range: bytes 15-19/20\nETag: \"e\"",
       5, REF_V_ACCEPT, 0, REF_V_DONE, 0}},
     7,
     7,
     false,
     false},
    {"range answered 200",
     {{2, 4}},
     1,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"2-5", "", H200(20), 0, REF_V_FAIL, REF_XE_NO_RANGE_SUPPORT}},
     0,
     4,
     false,
     false},
    {"range answered 416",
     {{25, 4}},
     1,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"25-28", "", "HTTP/2 416\nContent-Range: bytes */20", 0, REF_V_FAIL,
       REF_XE_INVALID_RANGE}},
     0,
     4,
     false,
     false},
    {"range past EOF, clipped by server",
     {{15, 10}},
     1,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"15-24", "", "HTTP/2 206\nContent-Range: bytes 15-19/20", 0, REF_V_FAIL,
       REF_XE_INVALID_RANGE}},
     0,
     10,
     false,
     false},
    {"range past a known size",
     {{25, 4}},
     1,
     0,
     20,
     NULL,
     NULL,
     false,
     UNK,
     {{"!", "", NULL, 0, REF_V_FAIL, REF_XE_INVALID_RANGE}},
     0,
     4,
     false,
     false},
    {"ranges resumed inside the second",
     {{2, 4}, {12, 5}},
     2,
     6,
     20,
     "\"e\"",
     NULL,
     false,
     UNK,
     {{"14-16", "\"e\"", "HTTP/2 206\nContent-Range: bytes 14-16/20", 3,
       REF_V_ACCEPT, 0, REF_V_DONE, 0}},
     9,
     9,
     false,
     false},
    {"ranges, If-Range failed: restart",
     {{2, 4}, {12, 5}},
     2,
     4,
     20,
     "\"e1\"",
     NULL,
     false,
     UNK,
     {{"12-16", "\"e1\"", H200(30) "\nETag: \"e2\"", 0, REF_V_REISSUE, 0},
      {"2-5", "\"e2\"", "HTTP/2 206\nContent-Range: bytes 2-5/30\nETag: \"e2\"",
       4, REF_V_ACCEPT, 0, REF_V_MORE, 0},
      {"12-16", "\"e2\"",
       "HTTP/2 206\nContent-Range: bytes 12-16/30\nETag: \"e2\"", 5,
       REF_V_ACCEPT, 0, REF_V_DONE, 0}},
     9,
     9,
     true,
     true},
    {"resume point already at the end of ranges",
     {{2, 4}},
     1,
     4,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{NULL, "", NULL, 0, REF_V_DONE, 0}},
     4,
     4,
     false,
     false},
    {"above max size",
     {{0}},
     0,
     0,
     UNK,
     NULL,
     NULL,
     false,
     10,
     {{"", "", H200(20), 0, REF_V_FAIL, REF_XE_TOO_LARGE}},
     0,
     20,
     false,
     false},
    {"404",
     {{0}},
     0,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"", "", "HTTP/1.1 404 Not Found\nContent-Length: 9", 0, REF_V_FAIL,
       404}},
     0,
     UNK,
     false,
     false},
    {"resume, 206 ends before the size",
     {{0}},
     0,
     8,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"8-", "", "HTTP/1.1 206 P\nContent-Range: bytes 8-15/20", 0, REF_V_FAIL,
       REF_XE_BAD_CONTENT_RANGE}},
     8,
     UNK,
     false,
     false},
    {"resume, 206 above max size",
     {{0}},
     0,
     8,
     UNK,
     NULL,
     NULL,
     false,
     10,
     {{"8-", "", "HTTP/1.1 206 P\nContent-Range: bytes 8-19/20", 0, REF_V_FAIL,
       REF_XE_TOO_LARGE}},
     8,
     20,
     false,
     false},
    {"resume point past the known size restarts",
     {{0}},
     0,
     30,
     20,
     NULL,
     NULL,
     false,
     UNK,
     {S_OK_("", H200(20), 20)},
     20,
     20,
     false,
     true},
    {"range, 206 of another size restarts",
     {{2, 4}},
     1,
     0,
     20,
     NULL,
     NULL,
     false,
     UNK,
     {{"2-5", "", "HTTP/2 206\nContent-Range: bytes 2-5/30", 0, REF_V_REISSUE,
       0},
      S_OK_("2-5", "HTTP/2 206\nContent-Range: bytes 2-5/30", 4)},
     4,
     4,
     true,
     true},
    {"range to EOF, complete length unknown",
     {{15, EOF_}},
     1,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {S_OK_("15-", "HTTP/2 206\nContent-Range: bytes 15-19/*", 5)},
     5,
     5,
     false,
     false},
    {"range answered to the end of the file",
     {{2, 4}},
     1,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"2-5", "", "HTTP/2 206\nContent-Range: bytes 2-19/20", 0, REF_V_FAIL,
       REF_XE_INVALID_RANGE}},
     0,
     4,
     false,
     false},
    {"range answered short",
     {{2, 4}},
     1,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"2-5", "", "HTTP/2 206\nContent-Range: bytes 2-4/20", 0, REF_V_FAIL,
       REF_XE_BAD_CONTENT_RANGE}},
     0,
     4,
     false,
     false},
    {"range, Content-Length mismatch",
     {{2, 4}},
     1,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"2-5", "", "HTTP/2 206\nContent-Range: bytes 2-5/20\nContent-Length: 3",
       0, REF_V_FAIL, REF_XE_LENGTH_MISMATCH}},
     0,
     4,
     false,
     false},
    {"ranges above max size",
     {{2, 4}},
     1,
     0,
     UNK,
     NULL,
     NULL,
     false,
     3,
     {{"2-5", "", "HTTP/2 206\nContent-Range: bytes 2-5/20", 0, REF_V_FAIL,
       REF_XE_TOO_LARGE}},
     0,
     4,
     false,
     false},
    {"dynamic body above max size",
     {{0}},
     0,
     0,
     UNK,
     NULL,
     NULL,
     true,
     10,
     {{"", "", "HTTP/1.1 200 OK", 11, REF_V_ACCEPT, 0, REF_V_FAIL,
       REF_XE_TOO_LARGE}},
     0,
     UNK,
     false,
     false},
    {"zero-length range skipped",
     {{2, 2}, {6, 0}, {8, 2}},
     3,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"2-3", "", "HTTP/2 206\nContent-Range: bytes 2-3/20", 2, REF_V_ACCEPT, 0,
       REF_V_MORE, 0},
      S_OK_("8-9", "HTTP/2 206\nContent-Range: bytes 8-9/20", 2)},
     4,
     4,
     false,
     false},
    {"204",
     {{0}},
     0,
     0,
     UNK,
     NULL,
     NULL,
     false,
     UNK,
     {{"", "", "HTTP/1.1 204 No Content", 0, REF_V_FAIL, 204}},
     0,
     UNK,
     false,
     false},
};

static void feed(struct ref_resp *r, const char *hdrs)
{
    const char *p = hdrs;
    char line[512];

    ref_resp_init(r);
    while (*p) {
        size_t n = strcspn(p, "\n");

        snprintf(line, sizeof line, "%.*s\r\n", (int)n, p);
        CU_ASSERT_FALSE(ref_resp_line(r, line, strlen(line)));
        p += n;
        if (*p)
            p++;
    }
    CU_ASSERT_TRUE(ref_resp_line(r, "\r\n", 2));
}

static void run_case(const struct tcase *c)
{
    struct ref_plan p;
    struct ref_verdict v;
    struct ref_resp r;
    char range[64], ifr[REF_VALIDATOR_MAX];

    fprintf(stderr, "\n    case: %s", c->name);
    CU_ASSERT_EQUAL_FATAL(
        ref_plan_init(&p, c->nranges ? c->ranges : NULL, c->nranges, c->resume,
                      c->known, c->etag, c->lastmod, c->dynamic, c->max),
        0);
    for (size_t i = 0; i < 4 && (c->steps[i].range || i == 0); i++) {
        const struct step *s = &c->steps[i];
        enum ref_verdict_kind k;

        memset(range, 'x', sizeof range);
        k = ref_plan_request(&p, range, sizeof range, ifr, sizeof ifr, &v);
        if (!s->range) {
            ENG_EQ_INT(k, REF_V_DONE);
            break;
        }
        if (strcmp(s->range, "!") == 0) {
            ENG_EQ_INT(k, REF_V_FAIL);
            ENG_EQ_INT(v.err_code, s->herr);
            break;
        }
        ENG_EQ_INT(k, REF_V_ACCEPT);
        ENG_EQ_STR(range, s->range);
        ENG_EQ_STR(ifr, s->if_range);
        feed(&r, s->hdrs);
        ref_plan_headers(&p, &r, &v);
        ENG_EQ_INT(v.kind, s->hv);
        if (s->hv == REF_V_FAIL) {
            ENG_EQ_INT(v.err_code, s->herr);
            break;
        }
        if (s->hv != REF_V_ACCEPT)
            continue;
        ref_plan_body(&p, s->body, &v);
        if (v.kind == REF_V_ACCEPT)
            ref_plan_end(&p, &v);
        ENG_EQ_INT(v.kind, s->ev);
        if (s->ev == REF_V_FAIL) {
            ENG_EQ_INT(v.err_code, s->eerr);
            break;
        }
    }
    ENG_EQ_U64(p.local, c->local);
    ENG_EQ_U64(ref_plan_total(&p), c->total);
    ENG_EQ_INT(p.content_changed, c->changed);
    ENG_EQ_INT(p.restarted, c->restarted);
    ref_plan_free(&p);
}

static void test_plan_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i]);
    fprintf(stderr, "\n");
}

/* Content-Range forms: {header value, has_range, unsat, first, last,
 * complete_known, complete, invalid}. */
static const struct {
    const char *v;
    bool has, unsat;
    uint64_t first, last;
    bool known;
    uint64_t complete;
    bool invalid;
} cr_cases[] = {
    {"bytes 0-0/1", true, false, 0, 0, true, 1, false},
    {"bytes 2-5/20", true, false, 2, 5, true, 20, false},
    {"bytes */20", true, true, 0, 0, true, 20, false},
    {"bytes 0-9/*", true, false, 0, 9, false, 0, false},
    {"BYTES 1-2/3", true, false, 1, 2, true, 3, false},
    {"bytes 5-4/10", false, false, 0, 0, false, 0, true},
    {"bytes 0-10/10", false, false, 0, 0, false, 0, true},
    {"items 0-1/2", false, false, 0, 0, false, 0, true},
    {"bytes 0-1/2x", false, false, 0, 0, false, 0, true},
    {"bytes 99999999999999999999-1/2", false, false, 0, 0, false, 0, true},
    {"bytes 0-1 / 2 ", true, false, 0, 1, true, 2, false},
    {"bytes * 20", false, false, 0, 0, false, 0, true},
    {"bytes */x", false, false, 0, 0, false, 0, true},
    {"bytes */20 x", false, false, 0, 0, false, 0, true},
    {"bytes 5", false, false, 0, 0, false, 0, true},
    {"bytes 0-1 2", false, false, 0, 0, false, 0, true},
    {"bytes x-1/2", false, false, 0, 0, false, 0, true},
};

static void test_content_range_parse(void)
{
    for (size_t i = 0; i < sizeof cr_cases / sizeof cr_cases[0]; i++) {
        struct ref_resp r;
        char line[128];

        ref_resp_init(&r);
        snprintf(line, sizeof line, "Content-Range: %s\r\n", cr_cases[i].v);
        ref_resp_line(&r, line, strlen(line));
        ENG_EQ_INT(r.has_range, cr_cases[i].has);
        ENG_EQ_INT(r.range_invalid, cr_cases[i].invalid);
        if (!cr_cases[i].has)
            continue;
        ENG_EQ_INT(r.range_unsat, cr_cases[i].unsat);
        ENG_EQ_INT(r.complete_known, cr_cases[i].known);
        if (cr_cases[i].known)
            ENG_EQ_U64(r.complete, cr_cases[i].complete);
        if (!cr_cases[i].unsat) {
            ENG_EQ_U64(r.first, cr_cases[i].first);
            ENG_EQ_U64(r.last, cr_cases[i].last);
        }
    }
}

static void test_status_line_resets(void)
{
    struct ref_resp r;

    ref_resp_init(&r);
    ref_resp_line(&r, "HTTP/1.1 101 Switching Protocols\r\n", 34);
    ref_resp_line(&r, "ETag: \"old\"\r\n", 13);
    ENG_EQ_INT(r.status, 101);
    ENG_EQ_INT(ref_resp_line(&r, "\r\n", 2), true);
    ref_resp_line(&r, "HTTP/2 200\r\n", 12);
    ENG_EQ_INT(r.status, 200);
    ENG_EQ_STR(r.etag, "");
    ref_resp_line(&r, "location: /x\r\n", 14);
    ENG_EQ_INT(r.has_location, true);
}

/* Header values: blanks around a validator are not part of it, a
 * validator too long to keep is dropped (never cut), and a line without
 * a colon changes nothing. */
static bool line_in(struct ref_resp *r, const char *line)
{
    return ref_resp_line(r, line, strlen(line));
}

static void test_header_values(void)
{
    struct ref_resp r;
    char line[REF_VALIDATOR_MAX + 32];

    ref_resp_init(&r);
    line_in(&r, "HTTP/1.1 200 OK\r\n");
    line_in(&r, "ETag:  \"e1\" \t\r\n");
    ENG_EQ_STR(r.etag, "\"e1\"");
    line_in(&r, "Last-Modified: Mon, 01 Jan 2024 00:00:00 GMT  \r\n");
    ENG_EQ_STR(r.last_modified, "Mon, 01 Jan 2024 00:00:00 GMT");
    ENG_EQ_INT(line_in(&r, "no colon here\r\n"), false);
    ENG_EQ_INT(r.status, 200);
    ENG_EQ_STR(r.etag, "\"e1\"");
    snprintf(line, sizeof line, "ETag: \"%0*d\"\r\n", REF_VALIDATOR_MAX, 7);
    line_in(&r, line);
    ENG_EQ_STR(r.etag, "");
}

/* A stored validator too long to keep is not sent as If-Range. */
static void test_long_validator(void)
{
    struct ref_plan p;
    struct ref_verdict v;
    char etag[REF_VALIDATOR_MAX + 8], range[64], ifr[REF_VALIDATOR_MAX];

    memset(etag, 'e', sizeof etag - 1);
    etag[sizeof etag - 1] = '\0';
    CU_ASSERT_EQUAL_FATAL(
        ref_plan_init(&p, NULL, 0, 8, 20, etag, "Mon", false, UNK), 0);
    ENG_EQ_INT(ref_plan_request(&p, range, sizeof range, ifr, sizeof ifr, &v),
               REF_V_ACCEPT);
    ENG_EQ_STR(range, "8-");
    ENG_EQ_STR(ifr, "Mon"); /* the ETag was dropped: Last-Modified */
    ref_plan_free(&p);
}

/* Which names are local sources and the file each reads; the file:// URL
 * libcurl gets decodes back to the same path. */
static void test_source_names(void)
{
    static const struct {
        const char *name;
        int rc;
        const char *path, *url;
    } names_[] = {
        {"/tmp/a b#c%41.bin", 1, "/tmp/a b#c%41.bin",
         "file:///tmp/a%20b%23c%2541.bin"},
        {"file:///tmp/a%20b%41", 1, "/tmp/a bA", "file:///tmp/a%20bA"},
        {"FILE:///x/y\\z", 1, "/x/y\\z", "file:///x/y%5Cz"},
        {"file:///x%00y%4", 1, "/x%00y%4", "file:///x%2500y%254"},
        {"file:///x%zz", 1, "/x%zz", "file:///x%25zz"},
        {"http://h/x", 0, NULL, NULL},
        {"file://host/x", 0, NULL, NULL},
        {"relative", 0, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof names_ / sizeof names_[0]; i++) {
        char *path = (char *)1, *url;

        ENG_EQ_INT(ref_source_path(names_[i].name, &path), names_[i].rc);
        if (!names_[i].rc) {
            CU_ASSERT_PTR_NULL(path);
            continue;
        }
        ENG_EQ_STR(path, names_[i].path);
        url = ref_file_url(path);
        ENG_EQ_STR(url, names_[i].url);
        ref_free(url);
        ref_free(path);
    }
}

/* ref_plan_local answers as a range-honouring server: 200 for the whole
 * file, 206 from a resume point, DONE at the end, INVALID_RANGE for a
 * range past the end; ref_plan_source_check restarts on another
 * validator or size, then gives up with SOURCE_CHANGED. */
static void test_local_answers(void)
{
    struct ref_plan p;
    struct ref_resp r;
    struct ref_verdict v;
    char range[64], ifr[300], text[256];
    const struct ref_range past = {15, 10};

    CU_ASSERT_EQUAL_FATAL(ref_plan_init(&p, NULL, 0, 0, REF_SIZE_UNKNOWN, NULL,
                                        NULL, false, REF_SIZE_UNKNOWN),
                          0);
    ENG_EQ_INT(ref_plan_request(&p, range, sizeof range, ifr, sizeof ifr, &v),
               REF_V_ACCEPT);
    ref_plan_local(&p, 20, "\"v1\"", &r, &v);
    ENG_EQ_INT(v.kind, REF_V_ACCEPT);
    ENG_EQ_INT(r.status, 200);
    ENG_EQ_U64(p.size, 20);
    ref_resp_render(&r, text, sizeof text);
    ENG_EQ_STR(text, "Content-Length: 20\r\nETag: \"v1\"\r\n");
    ref_plan_free(&p);

    ref_plan_init(&p, NULL, 0, 8, 20, "\"v1\"", NULL, false, REF_SIZE_UNKNOWN);
    ref_plan_source_check(&p, 20, "\"v1\"", &v);
    ENG_EQ_INT(v.kind, REF_V_ACCEPT);
    ref_plan_request(&p, range, sizeof range, ifr, sizeof ifr, &v);
    ENG_EQ_STR(range, "8-");
    ref_plan_local(&p, 20, "\"v1\"", &r, &v);
    ENG_EQ_INT(v.kind, REF_V_ACCEPT);
    ENG_EQ_INT(r.status, 206);
    ref_resp_render(&r, text, sizeof text);
    ENG_EQ_STR(text, "Content-Length: 12\r\nContent-Range: bytes 8-19/20\r\n"
                     "ETag: \"v1\"\r\n");
    ref_plan_free(&p);

    ref_plan_init(&p, NULL, 0, 20, 20, "\"v1\"", NULL, false, REF_SIZE_UNKNOWN);
    ref_plan_request(&p, range, sizeof range, ifr, sizeof ifr, &v);
    ref_plan_local(&p, 20, "\"v1\"", &r, &v);
    ENG_EQ_INT(v.kind, REF_V_DONE);
    ref_plan_free(&p);

    ref_plan_init(&p, &past, 1, 0, REF_SIZE_UNKNOWN, NULL, NULL, false,
                  REF_SIZE_UNKNOWN);
    ref_plan_request(&p, range, sizeof range, ifr, sizeof ifr, &v);
    ref_plan_local(&p, 20, "\"v1\"", &r, &v);
    ENG_EQ_INT(v.kind, REF_V_FAIL);
    ENG_EQ_INT(v.err_code, REF_XE_INVALID_RANGE);
    ref_plan_free(&p);

    ref_plan_init(&p, NULL, 0, 8, 20, "\"v1\"", NULL, false, REF_SIZE_UNKNOWN);
    ref_plan_source_check(&p, 20, "\"v2\"", &v);
    ENG_EQ_INT(v.kind, REF_V_REISSUE);
    CU_ASSERT_TRUE(v.truncate);
    ENG_EQ_U64(p.local, 0);
    ref_plan_source_check(&p, 21, "\"v2\"", &v); /* size alone */
    ENG_EQ_INT(v.kind, REF_V_REISSUE);
    ref_plan_source_check(&p, 21, "\"v3\"", &v);
    ENG_EQ_INT(v.kind, REF_V_REISSUE);
    ref_plan_source_check(&p, 21, "\"v4\"", &v);
    ENG_EQ_INT(v.kind, REF_V_FAIL);
    ENG_EQ_INT(v.err_code, REF_XE_SOURCE_CHANGED);
    ref_plan_free(&p);
}

static void test_err_names(void)
{
    static const struct {
        int code;
        const char *name;
    } names[] = {
        {REF_XE_TRUNCATED, "TRUNCATED"},
        {REF_XE_LENGTH_MISMATCH, "LENGTH_MISMATCH"},
        {REF_XE_BAD_CONTENT_RANGE, "BAD_CONTENT_RANGE"},
        {REF_XE_NO_RANGE_SUPPORT, "NO_RANGE_SUPPORT"},
        {REF_XE_INVALID_RANGE, "INVALID_RANGE"},
        {REF_XE_MISSING_SIZE, "MISSING_SIZE"},
        {REF_XE_TOO_LARGE, "TOO_LARGE"},
        {REF_XE_NO_MEMORY, "NO_MEMORY"},
        {REF_XE_SOURCE_CHANGED, "SOURCE_CHANGED"},
        {0, "?"},
        {99, "?"},
    };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ENG_EQ_STR(ref_xfer_err_name(names[i].code), names[i].name);
}

CU_TestInfo eng_transfer_tests[] = {
    {"plan: scripted exchanges", test_plan_cases},
    {"Content-Range parsing", test_content_range_parse},
    {"a status line starts a new block", test_status_line_resets},
    {"header values", test_header_values},
    {"an oversized validator is not sent", test_long_validator},
    {"verdict names", test_err_names},
    {"local source names: path, decoded URL, libcurl URL", test_source_names},
    {"local source: the answer a server would give", test_local_answers},
    CU_TEST_INFO_NULL,
};
