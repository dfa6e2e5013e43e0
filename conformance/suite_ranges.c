/*
 * suite_ranges.c - byte ranges over the wire (spec §6, §14.4): files added
 * with AddFileWithRanges (IBackgroundCopyJob3 in the BITS profile,
 * IDeliveryOptimizationJob in the DO profile) are downloaded from a
 * private h2mock; the local file must be the concatenation of the ranges in
 * the order given (checked by SHA-256 against the payload), progress must
 * count the range lengths, and the documented failures (range beyond EOF,
 * server without range support) must end in ERROR with the mode's code.
 *
 * Rows are data: a range list ("100+100,900+100"; "500+E" = to EOF), the
 * payload size, the h2mock rules and the expected end.  The network-free
 * argument checks of AddFileWithRanges are in suite_api_versions.c.  The
 * case table is at the end of the file.
 */
#include "netcase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH "/r.bin"
#define MAXR 64

enum {
    R_OK,      /* TRANSFERRED; local file = ranges concatenated */
    R_FATAL,   /* ERROR with the row's code (context not pinned) */
    R_LOG,     /* R_OK and each range asked exactly once (informative) */
    R_PROGRESS /* R_OK and progress = sum of lengths, Completed TRUE */
};

typedef struct rrow {
    const char *ranges;
    unsigned size;
    const char *rules; /* "%P" = the path */
    int kind;
    HRESULT hr_bits, hr_do; /* R_FATAL */
} rrow;

/* ROWS(X): X(sym, id, method, rule, evidence, informative_in, profiles,
 *           ranges, size, rules, kind, hr_bits, hr_do, what it checks) */
#define REQ CONF_REQUIRED
#define INF CONF_INFORMATIVE
#define B CONF_P_BITS
#define D CONF_P_DO
#define A CONF_P_ALL
#define NOR NULL

#define ROWS(X)                                                                \
    X(UNSORTED, "RNG-101", "AddFileWithRanges", "§14.4 RNG-05", REQ, 0, A,     \
      "100+100,900+100,400+100", 1000, NOR, R_OK, 0, 0,                        \
      "ranges 100-199, 900-999, 400-499 -> 300 bytes in that order")           \
    X(TOEOF, "RNG-102", "AddFileWithRanges", "§14.4 RNG-06", REQ, 0, A,        \
      "500+E", 1000, NOR, R_PROGRESS, 0, 0,                                    \
      "{500, TO_EOF} -> bytes 500-999; BytesTotal resolves to 500")            \
    X(BEYOND, "RNG-103", "Resume", "§14.4 RNG-07", REQ, D, A, "2000+10", 1000, \
      NOR, R_FATAL, BG_E_INVALID_RANGE, 0,                                     \
      "range past EOF -> ERROR BG_E_INVALID_RANGE / DO_E_INVALID_RANGE")       \
    X(NORANGE, "RNG-104", "Resume", "§14.4 RNG-08; §14.9 HTTP-04", REQ, 0, A,  \
      "100+100", 1000, "match path=%P action=ignore-range", R_FATAL,           \
      BG_E_INSUFFICIENT_RANGE_SUPPORT, 0,                                      \
      "server ignores Range -> ERROR INSUFFICIENT_RANGE_SUPPORT (mode code)")  \
    X(NORANGE2, "RNG-105", "Resume", "§14.4 RNG-08", REQ, 0, A, "0+10,500+E",  \
      1000, "match path=%P action=ignore-range", R_FATAL,                      \
      BG_E_INSUFFICIENT_RANGE_SUPPORT, 0,                                      \
      "two ranges, Range ignored -> ERROR INSUFFICIENT_RANGE_SUPPORT")         \
    X(PARTIAL, "RNG-106", "Resume", "§6.1 (range beyond the end)", INF, 0, A,  \
      "900+200", 1000, NOR, R_FATAL, BG_E_INVALID_RANGE, 0,                    \
      "range 900+200 on 1000 bytes -> ERROR INVALID_RANGE")                    \
    X(ATEOF, "RNG-107", "Resume", "§6.1 (range beyond the end)", INF, 0, A,    \
      "1000+E", 1000, NOR, R_FATAL, BG_E_INVALID_RANGE, 0,                     \
      "{size, TO_EOF} -> ERROR INVALID_RANGE")                                 \
    X(WHOLE, "RNG-108", "AddFileWithRanges", "§6.1 (layout)", REQ, 0, A,       \
      "0+1000", 1000, NOR, R_OK, 0, 0, "one range = whole file")               \
    X(ONEBYTE, "RNG-109", "AddFileWithRanges", "§6.1 (layout)", REQ, 0, A,     \
      "0+1", 1000, NOR, R_OK, 0, 0, "{0,1} -> 1 byte")                         \
    X(LASTBYTE, "RNG-110", "AddFileWithRanges", "§6.1 (layout)", REQ, 0, A,    \
      "999+1", 1000, NOR, R_OK, 0, 0, "{999,1} -> the last byte")              \
    X(LASTEOF, "RNG-111", "AddFileWithRanges", "§14.4 RNG-06", REQ, 0, A,      \
      "999+E", 1000, NOR, R_OK, 0, 0, "{999, TO_EOF} -> the last byte")        \
    X(ADJ, "RNG-112", "AddFileWithRanges", "§6.1 (adjacent is not overlap)",   \
      REQ, 0, A, "0+10,10+10", 1000, NOR, R_OK, 0, 0,                          \
      "adjacent {0,10},{10,10} -> 20 bytes")                                   \
    X(HEADTAIL, "RNG-113", "AddFileWithRanges", "§14.4 RNG-05, RNG-06", REQ,   \
      0, A, "990+E,0+10", 1000, NOR, R_OK, 0, 0,                               \
      "{990,EOF},{0,10} -> tail then head, 20 bytes")                          \
    X(MANY, "RNG-114", "AddFileWithRanges", "§14.4 RNG-05", REQ, 0, A,         \
      "5000+100,100+100,9000+500,300+1,7000+999,2000+50,0+10,8000+1,"          \
      "6000+300,4000+4",                                                       \
      10000, NOR, R_OK, 0, 0, "10 unsorted ranges -> concatenation in order")  \
    X(BIG, "RNG-115", "AddFileWithRanges", "§14.4 RNG-05", REQ, 0, A,          \
      "200000+100000,0+50000", 400000, NOR, R_OK, 0, 0,                        \
      "large ranges (100 kB, 50 kB) of a 400 kB file")                         \
    X(LOGSEP, "RNG-116", "AddFileWithRanges",                                  \
      "decisions.md (engine.md: one "                                          \
      "request per range)",                                                    \
      INF, 0, A, "100+100,900+100,400+100", 1000, NOR, R_LOG, 0, 0,            \
      "each range asked once: bytes=100-199, 900-999, 400-499")                \
    X(PROG, "RNG-117", "GetProgress", "§6.1 (progress = sum of lengths)", REQ, \
      0, A, "100+100,900+100,400+100", 1000, NOR, R_PROGRESS, 0, 0,            \
      "TRANSFERRED: BytesTotal = BytesTransferred = 300; Completed after "     \
      "Complete")                                                              \
    X(PARTH, "RNG-118", "AddFileWithRanges", "§14.9 HTTP-11", REQ, 0, A,       \
      "100+100,400+100", 1000,                                                 \
      "match path=%P action=part-header header=\"X-Pad: 0123456789\"", R_OK,   \
      0, 0, "server adds part headers to multipart answers -> success")        \
    X(MPART, "RNG-128", "AddFileWithRanges", "§14.4 RNG-11", REQ, 0, A,        \
      "700+50,10+20,300+1", 1000, NOR, R_OK, 0, 0,                             \
      "several ranges: one request each, or one answered multipart/"           \
      "byteranges (parts with Content-Range, Content-Type) -> bytes exact")    \
    X(NOVAL, "RNG-119", "AddFileWithRanges", "§14.9 HTTP-01", REQ, 0, A,       \
      "100+100,400+E", 1000, "match path=%P action=no-validators", R_OK, 0, 0, \
      "no ETag / Last-Modified -> ranges still exact")                         \
    X(REDIR, "RNG-120", "AddFileWithRanges", "§14.9 HTTP-08", REQ, 0, A,       \
      "100+100,400+100", 1000,                                                 \
      "match path=%P action=redirect code=302 location=/real.bin", R_OK, 0, 0, \
      "302 to the same bytes -> ranges of the target")                         \
    X(THROT, "RNG-121", "AddFileWithRanges", "§14.4 RNG-05", REQ, 0, A,        \
      "50000+50000,0+20000", 100000,                                           \
      "match path=%P action=throttle "                                         \
      "rate=400000",                                                           \
      R_OK, 0, 0, "throttled server -> ranges exact")                          \
    X(T503, "RNG-122", "Resume", "§3.1; §14.4 RNG-05", REQ, 0, A,              \
      "100+100,400+100", 1000, "match path=%P nth=1 action=status code=503",   \
      R_OK, 0, 0, "first answer 503 -> retried; ranges exact")                 \
    X(CLOSE, "RNG-123", "Resume", "§3.1; §14.4 RNG-05", REQ, 0, A,             \
      "0+60000,70000+20000", 100000,                                           \
      "match path=%P nth=1 action=close after=30000", R_OK, 0, 0,              \
      "connection closed inside a range -> resumed; ranges exact")             \
    X(BADCR, "RNG-124", "Resume", "§6.1 (INVALID_SERVER_RESPONSE); E7", INF,   \
      0, A, "100+100", 1000, "match path=%P action=bad-content-range shift=7", \
      R_FATAL, BG_E_INVALID_SERVER_RESPONSE, DO_E_HTTP_BLOCKSIZE_MISMATCH,     \
      "206 for other bytes than asked -> ERROR INVALID_SERVER_RESPONSE / "     \
      "DO_E_HTTP_BLOCKSIZE_MISMATCH")                                          \
    X(R404, "RNG-125", "Resume", "§7.2; §14.9 HTTP-05", REQ, 0, A, "100+100",  \
      1000, "match path=%P action=status code=404", R_FATAL,                   \
      BG_E_HTTP_ERROR_404, BG_E_HTTP_ERROR_404,                                \
      "ranged file, 404 -> ERROR 0x80190194")                                  \
    X(CHANGE, "RNG-126", "Resume", "§7.4 (file consistency)", REQ, 0, A,       \
      "0+60000,70000+20000", 100000,                                           \
      "match path=%P nth=1 action=close after=30000", R_OK, 0, 0,              \
      "file replaced on the server after a cut: every range of the new "       \
      "version")                                                               \
    X(GZERO, "RNG-127", "GetFileRanges", "§14.4 RNG-09", REQ, 0, B,            \
      "100+100,900+E", 1000, NOR, R_OK, 0, 0,                                  \
      "after the transfer GetFileRanges still lists the ranges as added")

enum {
#define ENUM_ROW(sym, ...) sym,
    ROWS(ENUM_ROW)
#undef ENUM_ROW
        NROWS
};

static const rrow rows[] = {
#define RROW(sym, id, m, rule, ev, ii, prof, ranges_, size_, rules_, kind_,    \
             hb, hd, x)                                                        \
    [sym] = {.ranges = ranges_,                                                \
             .size = size_,                                                    \
             .rules = rules_,                                                  \
             .kind = kind_,                                                    \
             .hr_bits = hb,                                                    \
             .hr_do = hd},
    ROWS(RROW)
#undef RROW
};

/* "100+100,500+E" into R; returns the count. */
static size_t parse_ranges(const char *s, BG_FILE_RANGE *r)
{
    size_t n = 0;
    while (*s && n < MAXR) {
        char *end;
        r[n].InitialOffset = strtoull(s, &end, 10);
        s = end + 1; /* '+' */
        if (*s == 'E') {
            r[n].Length = BG_LENGTH_TO_EOF;
            s++;
        } else {
            r[n].Length = strtoull(s, &end, 10);
            s = end;
        }
        n++;
        if (*s == ',')
            s++;
    }
    return n;
}

static char *subst(conf_ctx *ctx, const char *rules, const char *path)
{
    if (!rules)
        return NULL;
    size_t n = strlen(rules) * (strlen(path) + 1) + 64;
    char *out = conf_alloc(ctx, n);
    size_t o = 0;
    for (const char *p = rules; *p; p++) {
        if (p[0] == '%' && p[1] == 'P') {
            o += (size_t)snprintf(out + o, n - o, "%s", path);
            p++;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return out;
}

/* AddFileWithRanges through the profile's interface. */
static HRESULT add_ranged(conf_ctx *ctx, IBackgroundCopyJob *job,
                          const WCHAR *url, const WCHAR *local,
                          BG_FILE_RANGE *r, size_t n)
{
    HRESULT hr;
    if (ctx->profile == CONF_P_DO) {
        IDeliveryOptimizationJob *dj = NULL;
        hr = IBackgroundCopyJob_QueryInterface(
            job, &IID_IDeliveryOptimizationJob, (void **)&dj);
        if (hr == E_NOINTERFACE)
            conf_skip(ctx, "DO job without IDeliveryOptimizationJob");
        CONF_EXPECT_HR(ctx, hr, S_OK);
        conf_defer_release(ctx, (IUnknown *)dj);
        return IDeliveryOptimizationJob_AddFileWithRanges(
            dj, u"docts-file", url, local, (DWORD)n, r, DO_UNKNOWN_FILE_SIZE);
    }
    IBackgroundCopyJob3 *j3 = NULL;
    hr = IBackgroundCopyJob_QueryInterface(job, &IID_IBackgroundCopyJob3,
                                           (void **)&j3);
    if (hr == E_NOINTERFACE)
        conf_skip(ctx, "job without IBackgroundCopyJob3");
    CONF_EXPECT_HR(ctx, hr, S_OK);
    conf_defer_release(ctx, (IUnknown *)j3);
    return IBackgroundCopyJob3_AddFileWithRanges(j3, url, local, (DWORD)n, r);
}

static void range_case(conf_ctx *ctx, const conf_case *c)
{
    const rrow *row = &rows[c->arg];
    nc_need_time(ctx);
    nc_mock *m = nc_mock_start(ctx, subst(ctx, row->rules, PATH));
    uint8_t *data =
        nc_put_file(ctx, m, PATH, row->size, 100u + (uint32_t)c->arg, NULL);
    nc_put_file(ctx, m, "/real.bin", row->size, 100u + (uint32_t)c->arg, NULL);
    BG_FILE_RANGE r[MAXR];
    size_t n = parse_ranges(row->ranges, r);
    IBackgroundCopyJob *job =
        conf_new_job(ctx, u"docts-ranges", BG_JOB_TYPE_DOWNLOAD, NULL);
    conf_defer_release(ctx, (IUnknown *)job);
    CONF_EXPECT_HR(ctx,
                   add_ranged(ctx, job, nc_url(ctx, m, PATH),
                              conf_tmp_path(ctx, "f0"), r, n),
                   S_OK);
    nc_retry(ctx, job, 5, 3600);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
    nc_trace tr;
    if (c->arg == CHANGE) {
        /* the cut leaves the job waiting for a retry; the server's file
         * then changes (new bytes, size kept, new validators) */
        nc_wait(ctx, job,
                NC_ST(BG_JOB_STATE_TRANSIENT_ERROR) |
                    NC_ST(BG_JOB_STATE_ERROR) | NC_ST(BG_JOB_STATE_TRANSFERRED),
                20000, 0, &tr);
        data = nc_put_file(ctx, m, PATH, row->size, 7777u, NULL);
    }
    BG_JOB_STATE st = nc_wait(
        ctx, job, NC_ST(BG_JOB_STATE_TRANSFERRED) | NC_ST(BG_JOB_STATE_ERROR),
        20000, 1000, &tr);
    if (row->kind == R_FATAL) {
        CONF_EXPECT_STATE(ctx, st, BG_JOB_STATE_ERROR);
        IBackgroundCopyError *err = CONF_POISON_PTR;
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetError(job, &err), S_OK);
        conf_defer_release(ctx, (IUnknown *)err);
        BG_ERROR_CONTEXT ec;
        HRESULT code = (HRESULT)CONF_POISON32;
        CONF_EXPECT_HR(ctx, IBackgroundCopyError_GetError(err, &ec, &code),
                       S_OK);
        HRESULT want = ctx->profile == CONF_P_DO && row->hr_do
                           ? row->hr_do
                           : conf_hr(ctx, row->hr_bits);
        CONF_EXPECT_HEX(ctx, (unsigned)code, (unsigned)want);
        nc_expect_no_file(ctx, "f0");
        return;
    }
    if (st != BG_JOB_STATE_TRANSFERRED) {
        size_t ln;
        nc_req *lr = nc_log(ctx, m, &ln);
        CONF_EXPECT_TRUE(ctx, false, "TRANSFERRED", nc_log_text(ctx, lr, ln));
    }
    /* expected bytes: the ranges in the order given (TO_EOF resolved);
     * change-content rows expect version 1 (every byte XOR 1) */
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += r[i].Length == BG_LENGTH_TO_EOF
                     ? row->size - (size_t)r[i].InitialOffset
                     : (size_t)r[i].Length;
    uint8_t *want = conf_alloc(ctx, total ? total : 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = r[i].Length == BG_LENGTH_TO_EOF
                         ? row->size - (size_t)r[i].InitialOffset
                         : (size_t)r[i].Length;
        memcpy(want + o, data + r[i].InitialOffset, len);
        o += len;
    }
    if (row->kind == R_PROGRESS) {
        IBackgroundCopyFile *f = nc_file(ctx, job, 0);
        BG_FILE_PROGRESS fp;
        memset(&fp, 0xEE, sizeof fp);
        CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetProgress(f, &fp), S_OK);
        CONF_EXPECT_U(ctx, fp.BytesTotal, total);
        CONF_EXPECT_U(ctx, fp.BytesTransferred, total);
        CONF_EXPECT_U(ctx, fp.Completed, FALSE);
        BG_JOB_PROGRESS jp = nc_progress(ctx, job);
        CONF_EXPECT_U(ctx, jp.BytesTotal, total);
        CONF_EXPECT_U(ctx, jp.BytesTransferred, total);
    }
    if (c->arg == GZERO) {
        IBackgroundCopyFile2 *f2 = NULL;
        CONF_EXPECT_HR(
            ctx,
            IBackgroundCopyFile_QueryInterface(
                nc_file(ctx, job, 0), &IID_IBackgroundCopyFile2, (void **)&f2),
            S_OK);
        conf_defer_release(ctx, (IUnknown *)f2);
        DWORD cnt = CONF_POISON32;
        BG_FILE_RANGE *got = CONF_POISON_PTR;
        CONF_EXPECT_HR(ctx, IBackgroundCopyFile2_GetFileRanges(f2, &cnt, &got),
                       S_OK);
        CONF_EXPECT_U(ctx, cnt, n);
        for (size_t i = 0; i < n && i < cnt; i++) {
            CONF_EXPECT_U(ctx, got[i].InitialOffset, r[i].InitialOffset);
            CONF_EXPECT_HEX(ctx, got[i].Length, r[i].Length);
        }
        CoTaskMemFree(got);
    }
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
    char hex[65];
    nc_sha256_hex(want, total, hex);
    nc_expect_file(ctx, "f0", total, hex);
    if (row->kind == R_PROGRESS) {
        IBackgroundCopyFile *f = nc_file(ctx, job, 0);
        BG_FILE_PROGRESS fp;
        CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetProgress(f, &fp), S_OK);
        CONF_EXPECT_U(ctx, fp.Completed, TRUE);
    }
    if (row->kind == R_LOG) {
        size_t ln;
        nc_req *lr = nc_log_wait(ctx, m, PATH, n, 3000, &ln);
        for (size_t i = 0; i < n; i++) {
            char h[64];
            if (r[i].Length == BG_LENGTH_TO_EOF)
                snprintf(h, sizeof h, "bytes=%llu-",
                         (unsigned long long)r[i].InitialOffset);
            else
                snprintf(
                    h, sizeof h, "bytes=%llu-%llu",
                    (unsigned long long)r[i].InitialOffset,
                    (unsigned long long)(r[i].InitialOffset + r[i].Length - 1));
            size_t hits = 0;
            for (size_t k = 0; k < ln; k++)
                if (!strcmp(lr[k].range, h))
                    hits++;
            CONF_EXPECT_TRUE(ctx, hits == 1, h, nc_log_text(ctx, lr, ln));
        }
    }
}

/* ---- the case table ----------------------------------------------------- */

static const conf_case cases[] = {
#define CASE_ROW(sym, id_, m_, rule_, ev_, ii_, prof_, ranges_, size_, rules_, \
                 kind_, hb, hd, x_)                                            \
    {.id = id_,                                                                \
     .iface = "IBackgroundCopyJob3",                                           \
     .method = m_,                                                             \
     .rule = rule_,                                                            \
     .profiles = prof_,                                                        \
     .evidence = ev_,                                                          \
     .informative_in = ii_,                                                    \
     .setup = CONF_SETUP_MANAGER,                                              \
     .expect = x_,                                                             \
     .run = range_case,                                                        \
     .arg = sym,                                                               \
     .timeout_s = 40},
    ROWS(CASE_ROW)
#undef CASE_ROW
};

const conf_suite conf_suite_ranges = {
    .name = "ranges",
    .title = "byte ranges over the wire: layout, TO_EOF, progress, range "
             "errors after Resume, servers without range support",
    .cases = cases,
    .ncases = CONF_ARRAY_LEN(cases),
};
