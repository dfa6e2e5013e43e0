/*
 * test_faults.c - the rule parser, the action table and matching.
 * Every action's documented example must load; every kind of mistake must
 * be a load error that names the line and the field; nth / every / prob /
 * times / glob / offset must fire exactly as documented.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static int parse(struct mock_rules *rs, const char *text, char *err)
{
    return mock_rules_parse(rs, text, strlen(text), "t.rules", NULL, err, 512);
}

static void test_examples_load(void)
{
    int n = 0;
    for (const struct mock_action_desc *d = mock_actions; d->name; d++) {
        struct mock_rules rs;
        char err[512] = "";
        mock_rules_init(&rs, 1);
        int rc = parse(&rs, d->example, err);
        if (rc != 0) {
            fprintf(stderr, "\n  example of %s: %s\n", d->name, err);
        }
        ASSERT_INT_EQ(0, rc);
        ASSERT_INT_EQ(1, rs.n);
        /* the example exercises its own action */
        int found = 0;
        for (size_t i = 0; i < rs.n && i < 1; i++) {
            for (size_t j = 0; j < rs.v[i].nacts; j++) {
                found |= rs.v[i].acts[j].desc == d;
            }
        }
        CU_ASSERT_TRUE(found);
        mock_rules_clear(&rs);
        n++;
    }
    ASSERT_INT_EQ(31, n);
}

static const struct {
    const char *text, *err;
} bad[] = {
    {"match path=/a action=nope", "t.rules:1: field 'action': unknown "
                                  "action 'nope' (h2mock --list-actions)"},
    {"\n# c\nmatch path=/a colour=red action=close",
     "t.rules:3: unknown field 'colour'"},
    {"match path=/a action=close when=3", "t.rules:1: action 'close': "
                                          "unknown field 'when'"},
    {"match path=/a action=status", "t.rules:1: action 'status': missing "
                                    "required field 'code'"},
    {"match path=/a action=status code=99", "t.rules:1: field 'code': bad "
                                            "value '99': expected an HTTP "
                                            "status 100-599"},
    {"match path=/a action=redirect code=200 location=/b",
     "t.rules:1: field 'code': bad value '200': expected 301, 302, 303, "
     "307 or 308"},
    {"match path=/a action=throttle rate=0", "t.rules:1: field 'rate': must "
                                             "be > 0"},
    {"match path=/a action=delay ms=5h", "t.rules:1: field 'ms': bad value "
                                         "'5h': expected a duration (250, "
                                         "250ms, 2s, 1m)"},
    {"match path=/a action=rst-stream code=OOPS",
     "t.rules:1: field 'code': bad value 'OOPS': expected an HTTP/2 error "
     "code name (NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, CANCEL, "
     "REFUSED_STREAM, ...) or number"},
    {"match path=/a action=close after=-1", "t.rules:1: field 'after': bad "
                                            "value '-1': expected a byte "
                                            "count or 'headers'"},
    {"match path=/a action=status code=500 header=\"Bad Name: x\"",
     "t.rules:1: field 'header': bad value 'Bad Name: x': expected "
     "\"Name: value\" (token name, no CR/LF)"},
    {"match path=/a", "t.rules:1: missing field 'action'"},
    {"path=/a action=close", "t.rules:1: a rule starts with 'match', not "
                             "'path' (see docs/faults.md)"},
    {"match path=a action=close", "t.rules:1: field 'path': bad value 'a': "
                                  "must start with '/'"},
    {"match path=/a prefix=/b action=close", "t.rules:1: field 'prefix': "
                                             "only one of path, prefix, "
                                             "glob"},
    {"match nth=0 action=close", "t.rules:1: field 'nth': bad value '0': "
                                 "an integer >= 1"},
    {"match nth=2 prob=0.5 action=close", "t.rules:1: only one of nth, "
                                          "prob, every"},
    {"match prob=1.5 action=close", "t.rules:1: field 'prob': bad value "
                                    "'1.5': a number 0..1"},
    {"match proto=h3 action=close", "t.rules:1: field 'proto': bad value "
                                    "'h3': h1, h2 or any"},
    {"match method=get action=close", "t.rules:1: field 'method': bad "
                                      "value 'get': an upper-case method "
                                      "such as GET"},
    {"match action=close action=close", "t.rules:1: action 'close' given "
                                        "twice"},
    {"match action=status code=500 body=\"open",
     "t.rules:1: field 'body': unterminated quoted value"},
    {"match action=bad-length delta=0", "t.rules:1: field 'delta': must not "
                                        "be 0"},
    {"match action=status code=500 code=501", "t.rules:1: field 'code' "
                                              "given twice"},
    {"match offset=x action=close", "t.rules:1: field 'offset': bad value "
                                    "'x': a byte offset, none or any"},
    /* the upload match fields and actions are as strict */
    {"\nmatch packet=Frag action=bits-416 received=1",
     "t.rules:2: field 'packet': bad value 'Frag': Ping, Create-Session, "
     "Fragment, Close-Session, Cancel-Session or any"},
    {"match session=0 action=bits-session-not-found",
     "t.rules:1: field 'session': bad value '0': an integer >= 1 (the Nth "
     "session created)"},
    {"match fragment=first action=bits-no-reply-url",
     "t.rules:1: field 'fragment': bad value 'first': an integer >= 1 or "
     "last"},
    {"match packet=Fragment action=bits-416",
     "t.rules:1: action 'bits-416': missing required field 'received'"},
    {"match action=bits-error code=503 error=80070057",
     "t.rules:1: field 'error': bad value '80070057': expected 0x followed "
     "by 1-8 hex digits, or auto"},
    {"match action=bits-error code=503 context=0x123456789",
     "t.rules:1: field 'context': bad value '0x123456789': expected 0x "
     "followed by 1-8 hex digits, or auto"},
    {"match action=bits-challenge code=403",
     "t.rules:1: field 'code': 401 or 407"},
    {"match action=bits-challenge credentials=nobody",
     "t.rules:1: field 'credentials': user:password"},
    {"match action=bits-short bytes=0", "t.rules:1: field 'bytes': must be "
                                        "> 0"},
    {"match action=bits-reply body=bytes:x",
     "t.rules:1: field 'body': bytes:N with N a byte count"},
    {"match action=bits-reply body=reply.txt",
     "t.rules:1: field 'body': sha256, empty, bytes:N, file:/PATH or "
     "static:URL"},
    {"match action=bits-reply mode=copy", "t.rules:1: field 'mode': value "
                                          "or reference"},
    {"match action=bits-backend", "t.rules:1: action 'bits-backend': "
                                  "missing required field 'status'"},
};

static void test_errors_name_line_and_field(void)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct mock_rules rs;
        char err[512] = "";
        mock_rules_init(&rs, 1);
        /* a good rule first: a bad file must add nothing at all */
        ASSERT_INT_EQ(0, parse(&rs, "match path=/ok action=close", err));
        ASSERT_INT_EQ(-1, parse(&rs, bad[i].text, err));
        ASSERT_STR_EQ(bad[i].err, err);
        ASSERT_INT_EQ(1, rs.n);
        mock_rules_clear(&rs);
    }
}

static void req_init(struct mock_req *r, const char *method, int proto)
{
    memset(r, 0, sizeof(*r));
    r->method = mock_req_dup(r, method, strlen(method));
    r->target = mock_req_dup(r, "/x", 2);
    r->proto = proto;
}

static const struct mock_rule *hit(struct mock_rules *rs, const char *path,
                                   const char *method, int proto, int64_t off,
                                   struct mock_plan *p)
{
    struct mock_req r;
    req_init(&r, method, proto);
    mock_plan_free(p);
    const struct mock_rule *h = mock_rules_match(rs, &r, path, off, NULL, p);
    mock_req_free(&r);
    return h;
}

static void test_matching(void)
{
    struct mock_rules rs;
    struct mock_plan p;
    char err[512];
    mock_plan_init(&p);
    mock_rules_init(&rs, 42);
    ASSERT_INT_EQ(0, parse(&rs,
                           "match name=second path=/a.bin nth=2 action=status "
                           "code=503 header=\"Retry-After: 2\"\n"
                           "match glob=/*.bin method=HEAD action=no-length\n"
                           "match prefix=/d/ proto=h2 times=2 action=close "
                           "after=10\n"
                           "match path=/r offset=100 action=ignore-range\n",
                           err));
    CU_ASSERT_PTR_NULL(hit(&rs, "/a.bin", "GET", 1, -1, &p));
    const struct mock_rule *h = hit(&rs, "/a.bin", "GET", 1, -1, &p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    ASSERT_STR_EQ("second", h->name);
    ASSERT_INT_EQ(503, p.status);
    ASSERT_INT_EQ(1, p.nhdrs);
    ASSERT_STR_EQ("Retry-After: 2", p.hdrs[0]);
    CU_ASSERT_PTR_NULL(hit(&rs, "/a.bin", "GET", 1, -1, &p));
    ASSERT_INT_EQ(3, rs.v[0].seen);
    ASSERT_INT_EQ(1, rs.v[0].fired);
    /* glob: '*' crosses '/' (fnmatch without FNM_PATHNAME) */
    h = hit(&rs, "/x/y.bin", "HEAD", 2, -1, &p);
    CU_ASSERT_PTR_NOT_NULL(h);
    CU_ASSERT_TRUE(p.no_length);
    CU_ASSERT_PTR_NULL(hit(&rs, "/x/y.bin", "GET", 2, -1, &p));
    /* proto and times */
    CU_ASSERT_PTR_NULL(hit(&rs, "/d/f", "GET", 1, -1, &p));
    CU_ASSERT_PTR_NOT_NULL(hit(&rs, "/d/f", "GET", 2, -1, &p));
    ASSERT_INT_EQ(10, p.close_after);
    CU_ASSERT_PTR_NOT_NULL(hit(&rs, "/d/g", "GET", 2, -1, &p));
    CU_ASSERT_PTR_NULL(hit(&rs, "/d/h", "GET", 2, -1, &p));
    /* offset */
    CU_ASSERT_PTR_NULL(hit(&rs, "/r", "GET", 1, -1, &p));
    CU_ASSERT_PTR_NULL(hit(&rs, "/r", "GET", 1, 0, &p));
    CU_ASSERT_PTR_NOT_NULL(hit(&rs, "/r", "GET", 1, 100, &p));
    CU_ASSERT_TRUE(p.ignore_range);
    /* reset: counters back to zero, nth fires again */
    mock_rules_reset(&rs);
    CU_ASSERT_PTR_NULL(hit(&rs, "/a.bin", "GET", 1, -1, &p));
    CU_ASSERT_PTR_NOT_NULL(hit(&rs, "/a.bin", "GET", 1, -1, &p));
    mock_plan_free(&p);
    mock_rules_clear(&rs);
}

static void test_prob_is_seeded(void)
{
    char seq[2][201];
    for (int run = 0; run < 2; run++) {
        struct mock_rules rs;
        struct mock_plan p;
        char err[512];
        mock_plan_init(&p);
        mock_rules_init(&rs, 7);
        ASSERT_INT_EQ(0, parse(&rs, "match prob=0.25 action=no-length", err));
        int fired = 0;
        for (int i = 0; i < 200; i++) {
            bool h = hit(&rs, "/x", "GET", 1, -1, &p) != NULL;
            seq[run][i] = h ? '1' : '0';
            fired += h;
        }
        seq[run][200] = 0;
        /* 200 draws at p = 0.25: 50 expected; seeded, so always the same */
        CU_ASSERT_TRUE(fired > 30 && fired < 70);
        mock_plan_free(&p);
        mock_rules_clear(&rs);
    }
    ASSERT_STR_EQ(seq[0], seq[1]);
}

static void test_multi_action_and_format(void)
{
    struct mock_rules rs;
    char err[512];
    mock_rules_init(&rs, 1);
    const char *line = "match prefix=/slow/ action=delay ms=2s "
                       "action=throttle rate=1000 # trailing comment";
    ASSERT_INT_EQ(0, parse(&rs, line, err));
    ASSERT_INT_EQ(2, rs.v[0].nacts);
    ASSERT_INT_EQ(2000, rs.v[0].acts[0].num[0]);
    struct mock_buf b = {0};
    ASSERT_INT_EQ(0, mock_rules_format(&rs, &b));
    mock_buf_append(&b, "", 1);
    char expect[256];
    snprintf(expect, sizeof(expect), "# r1 seen=0 fired=0\n%s\n", line);
    ASSERT_STR_EQ(expect, (const char *)b.data);
    /* the listing loads again */
    struct mock_rules again;
    mock_rules_init(&again, 1);
    ASSERT_INT_EQ(0, mock_rules_parse(&again, (const char *)b.data,
                                      strlen((const char *)b.data), "x", NULL,
                                      err, sizeof(err)));
    ASSERT_INT_EQ(1, again.n);
    mock_rules_clear(&again);
    mock_buf_free(&b);
    mock_rules_clear(&rs);
}

static void test_h2codes(void)
{
    ASSERT_INT_EQ(0, mock_h2code("NO_ERROR"));
    ASSERT_INT_EQ(8, mock_h2code("cancel"));
    ASSERT_INT_EQ(13, mock_h2code("HTTP_1_1_REQUIRED"));
    ASSERT_INT_EQ(255, mock_h2code("0xff"));
    ASSERT_INT_EQ(-1, mock_h2code("NOPE"));
}

static void test_doc_lists_every_action(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    ASSERT_INT_EQ(0, mock_actions_doc(f, true));
    fclose(f);
    for (const struct mock_action_desc *d = mock_actions; d->name; d++) {
        char h[64];
        snprintf(h, sizeof(h), "\n### `%s`\n", d->name);
        CU_ASSERT_PTR_NOT_NULL(strstr(text, h));
        CU_ASSERT_PTR_NOT_NULL(strstr(text, d->example));
    }
    free(text);
}

CU_TestInfo faults_tests[] = {
    {"every example loads", test_examples_load},
    {"errors name line and field", test_errors_name_line_and_field},
    {"matching nth glob proto times offset", test_matching},
    {"prob is seeded", test_prob_is_seeded},
    {"several actions, listing reloads", test_multi_action_and_format},
    {"h2 error codes", test_h2codes},
    {"docs list every action", test_doc_lists_every_action},
    CU_TEST_INFO_NULL,
};
