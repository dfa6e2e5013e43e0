/*
 * netcase.c - the helpers of netcase.h for cases that transfer data: a
 * private h2mock per case (started with --faults and --log in the case's
 * directory), deterministic payloads and SHA-256, the request-log reader,
 * state waiting with deadlines and the test clock, error-object checks and
 * the recording callback object.
 *
 * Runs inside one case's child process.  Failures end the case through
 * conf_fail.  The only OS surface used is platform.h (processes, threads,
 * time, files); the request log is read from the file h2mock writes, so no
 * socket code is needed here.
 */
#include "netcase.h"

#include "platform.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- payloads and SHA-256 ------------------------------------------------ */

void nc_pattern(uint8_t *buf, size_t len, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 0x9E3779B9u;
    if (!x)
        x = 1;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)(x >> 11);
    }
}

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5],
             g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
                      ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
                      ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
}

void nc_sha256_hex(const void *data, size_t len, char hex[65])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const uint8_t *p = data;
    size_t i = 0;
    for (; i + 64 <= len; i += 64)
        sha_block(h, p + i);
    uint8_t tail[128];
    size_t rest = len - i;
    memset(tail, 0, sizeof tail);
    if (rest)
        memcpy(tail, p + i, rest);
    tail[rest] = 0x80;
    size_t tl = rest + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int b = 0; b < 8; b++)
        tail[tl - 1 - b] = (uint8_t)(bits >> (8 * b));
    sha_block(h, tail);
    if (tl == 128)
        sha_block(h, tail + 64);
    for (int k = 0; k < 8; k++)
        snprintf(hex + 8 * k, 9, "%08x", (unsigned)h[k]);
}

/* ---- the private mock server --------------------------------------------- */

struct nc_mock {
    conf_ctx *ctx;
    conf_proc *proc;
    char base[96];
    char port[16];
    char root[1024];
    char log[1024];
    char rules[1024];
    char cert[1024]; /* TLS: PEM certificate and key, "" for plain */
    char key[1024];
    char updir[1024];  /* --upload-dir, "" for none */
    char host_id[256]; /* --upload-host-id, "" for none */
    unsigned gen;
};

static unsigned mock_serial;

/* The fake IUnknown that stops the server when the case ends. */
typedef struct stopper {
    IUnknown iface;
    nc_mock *m;
} stopper;

static HRESULT STDMETHODCALLTYPE st_qi(IUnknown *This, REFIID riid, void **ppv)
{
    (void)This;
    (void)riid;
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE st_addref(IUnknown *This)
{
    (void)This;
    return 1;
}

static ULONG STDMETHODCALLTYPE st_release(IUnknown *This)
{
    stopper *s = (stopper *)This;
    nc_mock_stop(s->m);
    return 0;
}

static const IUnknownVtbl stopper_vtbl = {st_qi, st_addref, st_release};

static void write_text(conf_ctx *ctx, const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        conf_fail(ctx, "docts: cannot write %s", path);
    if (text)
        fputs(text, f);
    fclose(f);
}

/* The h2mock executable: DOCTS_MOCK, else h2mock next to docts. */
static const char *mock_exe(char *buf, size_t len)
{
    const char *exe = getenv("DOCTS_MOCK");
    if (exe && *exe)
        return exe;
    char *self = conf_plat_self_dir();
    snprintf(buf, len, "%s%ch2mock", self ? self : ".", CONF_PLAT_SEP);
    free(self);
    return buf;
}

static void mock_launch(conf_ctx *ctx, nc_mock *m, const char *rules)
{
    char exebuf[4096];
    const char *exe = mock_exe(exebuf, sizeof exebuf);
    m->gen++;
    snprintf(m->log, sizeof m->log, "%s%ch2mock-%u-%u.log", ctx->tmpdir,
             CONF_PLAT_SEP, mock_serial, m->gen);
    snprintf(m->rules, sizeof m->rules, "%s%ch2mock-%u-%u.rules", ctx->tmpdir,
             CONF_PLAT_SEP, mock_serial, m->gen);
    write_text(ctx, m->rules, rules);
    const char *argv[] = {exe,     "--root", m->root,    "--port", m->port,
                          "--log", m->log,   "--faults", m->rules, "--grace-ms",
                          "0",     NULL,     NULL,       NULL,     NULL,
                          NULL,    NULL,     NULL,       NULL,     NULL,
                          NULL,    NULL};
    int a = 11;
    if (m->cert[0]) {
        argv[a++] = "--tls-cert";
        argv[a++] = m->cert;
        argv[a++] = "--tls-key";
        argv[a++] = m->key;
    }
    if (m->updir[0]) {
        argv[a++] = "--upload-dir";
        argv[a++] = m->updir;
        argv[a++] = "--upload-reply";
        argv[a++] = "/reply/";
    }
    if (m->host_id[0]) {
        argv[a++] = "--upload-host-id";
        argv[a++] = m->host_id;
    }
    char line[1024];
    m->proc = conf_plat_proc_start_owned(argv, "listening on ", 10000, line,
                                         sizeof line);
    if (!m->proc)
        conf_fail(ctx, "docts: private h2mock did not start: %s (rules: %s)",
                  line, rules ? rules : "none");
    char *colon = strrchr(line, ':');
    if (!colon)
        conf_fail(ctx, "docts: h2mock printed \"%s\"", line);
    snprintf(m->port, sizeof m->port, "%s", colon + 1);
    snprintf(m->base, sizeof m->base, "%s://127.0.0.1:%s",
             m->cert[0] ? "https" : "http", m->port);
}

/* Finds the test certificate for a TLS mock: DOCTS_TLS_DIR, else
 * mock/tls/ beside the h2mock executable (where the build writes it). */
static bool find_cert(nc_mock *m)
{
    char exebuf[4096], dir[960];
    const char *d = getenv("DOCTS_TLS_DIR");
    if (!d || !*d) {
        snprintf(dir, sizeof dir, "%s", mock_exe(exebuf, sizeof exebuf));
        char *slash = strrchr(dir, CONF_PLAT_SEP);
        if (slash)
            snprintf(slash, sizeof dir - (size_t)(slash - dir), "%cmock%ctls",
                     CONF_PLAT_SEP, CONF_PLAT_SEP);
        else
            snprintf(dir, sizeof dir, "mock%ctls", CONF_PLAT_SEP);
        d = dir;
    }
    snprintf(m->cert, sizeof m->cert, "%.960s%ccert.pem", d, CONF_PLAT_SEP);
    snprintf(m->key, sizeof m->key, "%.960s%ckey.pem", d, CONF_PLAT_SEP);
    return conf_plat_exists(m->cert) && conf_plat_exists(m->key);
}

static nc_mock *mock_start(conf_ctx *ctx, const char *rules, bool tls,
                           const char *root, bool uploads, const char *host_id)
{
    nc_mock *m = conf_alloc(ctx, sizeof *m);
    m->ctx = ctx;
    snprintf(m->host_id, sizeof m->host_id, "%s", host_id ? host_id : "");
    if (tls && !find_cert(m))
        conf_skip(ctx,
                  "no TLS test certificate (%s); set DOCTS_TLS_DIR to "
                  "a directory with cert.pem and key.pem",
                  m->cert);
    mock_serial++;
    snprintf(m->root, sizeof m->root, "%s%c%s", ctx->tmpdir, CONF_PLAT_SEP,
             root);
    conf_plat_mkdirs(m->root);
    snprintf(m->port, sizeof m->port, "0");
    if (uploads) { /* <tmpdir>/up, upload-reply sessions under /reply/ */
        char reply[1100];
        snprintf(m->updir, sizeof m->updir, "%s%cup", ctx->tmpdir,
                 CONF_PLAT_SEP);
        snprintf(reply, sizeof reply, "%s%creply", m->updir, CONF_PLAT_SEP);
        conf_plat_mkdirs(reply);
    }
    mock_launch(ctx, m, rules);
    stopper *s = conf_alloc(ctx, sizeof *s);
    s->iface.lpVtbl = (IUnknownVtbl *)&stopper_vtbl;
    s->m = m;
    conf_defer_release(ctx, &s->iface);
    return m;
}

nc_mock *nc_mock_start(conf_ctx *ctx, const char *rules)
{
    return mock_start(ctx, rules, false, "www", false, NULL);
}

nc_mock *nc_mock_start_tls(conf_ctx *ctx, const char *rules)
{
    return mock_start(ctx, rules, true, "www-tls", false, NULL);
}

nc_mock *nc_mock_start_uploads(conf_ctx *ctx, const char *rules)
{
    return mock_start(ctx, rules, false, "www", true, NULL);
}

nc_mock *nc_mock_start_uploads_host(conf_ctx *ctx, const char *rules,
                                    const char *host_id)
{
    return mock_start(ctx, rules, false, "www", true, host_id);
}

void nc_mock_stop(nc_mock *m)
{
    if (m && m->proc) {
        conf_plat_proc_stop(m->proc);
        m->proc = NULL;
    }
}

void nc_mock_restart(conf_ctx *ctx, nc_mock *m, const char *rules)
{
    nc_mock_stop(m);
    /* same port: h2mock binds with SO_REUSEADDR, so connections of the
     * previous run in TIME_WAIT do not stop it */
    mock_launch(ctx, m, rules);
}

const char *nc_mock_base(const nc_mock *m)
{
    return m->base;
}

WCHAR *nc_url(conf_ctx *ctx, const nc_mock *m, const char *path)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "%s%s", m->base, path);
    return conf_w(ctx, buf);
}

uint8_t *nc_put_file(conf_ctx *ctx, nc_mock *m, const char *path, size_t len,
                     uint32_t seed, char hex[65])
{
    char full[2048];
    /* PATH is a URL path: its '/' become the platform's separator */
    size_t rl = strlen(m->root);
    snprintf(full, sizeof full, "%s%s", m->root, path);
    for (char *q = full + rl; *q; q++)
        if (*q == '/')
            *q = CONF_PLAT_SEP;
    char *slash = strrchr(full, CONF_PLAT_SEP);
    if (slash && slash != full) {
        *slash = '\0';
        conf_plat_mkdirs(full);
        *slash = CONF_PLAT_SEP;
    }
    uint8_t *data = conf_alloc(ctx, len ? len : 1);
    nc_pattern(data, len, seed);
    FILE *f = fopen(full, "wb");
    if (!f || fwrite(data, 1, len, f) != len) {
        if (f)
            fclose(f);
        conf_fail(ctx, "docts: cannot write payload %s", full);
    }
    fclose(f);
    if (hex)
        nc_sha256_hex(data, len, hex);
    return data;
}

/* ---- the request log ----------------------------------------------------- */

/* Copies the JSON string value starting at P (just after the opening
 * quote) into DST; returns the position after the closing quote. */
static const char *json_str(const char *p, char *dst, size_t len)
{
    size_t o = 0;
    while (*p && *p != '"') {
        char c = *p++;
        if (c == '\\' && *p) {
            char e = *p++;
            switch (e) {
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            case 'r':
                c = '\r';
                break;
            case 'u':
                c = '?';
                for (int k = 0; k < 4 && *p; k++)
                    p++;
                break;
            default:
                c = e;
            }
        }
        if (o + 1 < len)
            dst[o++] = c;
    }
    if (len)
        dst[o] = '\0';
    return *p ? p + 1 : p;
}

static void field_str(const char *line, const char *key, char *dst, size_t len)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = strstr(line, pat);
    if (len)
        dst[0] = '\0';
    if (p)
        json_str(p + strlen(pat), dst, len);
}

static long long field_num(const char *line, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(line, pat);
    return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/* Header NAME (case-insensitive) of the "headers" array into DST. */
static void header_val(const char *line, const char *name, char *dst,
                       size_t len)
{
    dst[0] = '\0';
    const char *h = strstr(line, "\"headers\":[");
    if (!h)
        return;
    const char *p = h;
    size_t nl = strlen(name);
    while ((p = strstr(p, "[\"")) != NULL) {
        p += 2;
        char hn[128];
        const char *after = json_str(p, hn, sizeof hn);
        if (strlen(hn) == nl) {
            bool eq = true;
            for (size_t i = 0; i < nl; i++) {
                char a = hn[i], b = name[i];
                if (a >= 'A' && a <= 'Z')
                    a = (char)(a - 'A' + 'a');
                if (b >= 'A' && b <= 'Z')
                    b = (char)(b - 'A' + 'a');
                if (a != b)
                    eq = false;
            }
            if (eq && after[0] == ',' && after[1] == '"') {
                json_str(after + 2, dst, len);
                return;
            }
        }
        p = after;
        const char *end = strstr(line, "],\"status\"");
        if (end && p > end)
            return;
    }
}

nc_req *nc_log(conf_ctx *ctx, nc_mock *m, size_t *n)
{
    *n = 0;
    FILE *f = fopen(m->log, "rb");
    if (!f)
        return conf_alloc(ctx, sizeof(nc_req));
    size_t cap = 16, cnt = 0;
    nc_req *r = malloc(cap * sizeof *r);
    static char line[65536];
    while (r && fgets(line, sizeof line, f)) {
        if (!strchr(line, '\n'))
            break; /* a line still being written */
        if (cnt == cap) {
            cap *= 2;
            nc_req *nr = realloc(r, cap * sizeof *nr);
            if (!nr)
                break;
            r = nr;
        }
        nc_req *q = &r[cnt++];
        memset(q, 0, sizeof *q);
        q->seq = (long)field_num(line, "seq");
        field_str(line, "method", q->method, sizeof q->method);
        field_str(line, "path", q->path, sizeof q->path);
        field_str(line, "proto", q->proto, sizeof q->proto);
        field_str(line, "rule", q->rule, sizeof q->rule);
        field_str(line, "outcome", q->outcome, sizeof q->outcome);
        field_str(line, "packet", q->packet, sizeof q->packet);
        header_val(line, "host", q->host, sizeof q->host);
        header_val(line, "range", q->range, sizeof q->range);
        header_val(line, "if-range", q->if_range, sizeof q->if_range);
        q->status = (int)field_num(line, "status");
        q->bytes = field_num(line, "bytes");
        q->done = strstr(line, "\"done\":true") != NULL;
    }
    fclose(f);
    if (!r)
        conf_fail(ctx, "docts: out of memory");
    nc_req *out = conf_alloc(ctx, (cnt ? cnt : 1) * sizeof *out);
    memcpy(out, r, cnt * sizeof *out);
    free(r);
    *n = cnt;
    return out;
}

size_t nc_log_count(const nc_req *r, size_t n, const char *method,
                    const char *path)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if ((!method || !strcmp(r[i].method, method)) &&
            (!path || !strcmp(r[i].path, path)))
            c++;
    return c;
}

size_t nc_log_packets(const nc_req *r, size_t n, const char *packet)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += strcmp(r[i].packet, packet) == 0;
    return c;
}

nc_req *nc_log_wait(conf_ctx *ctx, nc_mock *m, const char *path, size_t min,
                    unsigned ms, size_t *n)
{
    uint64_t deadline = conf_plat_now_ms() + ms;
    for (;;) {
        nc_req *r = nc_log(ctx, m, n);
        if (nc_log_count(r, *n, NULL, path) >= min ||
            conf_plat_now_ms() >= deadline)
            return r;
        conf_plat_sleep_ms(10);
    }
}

const char *nc_log_text(conf_ctx *ctx, const nc_req *r, size_t n)
{
    size_t cap = 64 + n * 200;
    char *s = conf_alloc(ctx, cap);
    size_t o = 0;
    o += (size_t)snprintf(s + o, cap - o, "%zu request(s)", n);
    for (size_t i = 0; i < n && o < cap; i++)
        o += (size_t)snprintf(
            s + o, cap - o, "; %s %s%s%s%s%s -> %d %lld B %s%s%s", r[i].method,
            r[i].path, r[i].packet[0] ? " " : "", r[i].packet,
            r[i].range[0] ? " Range=" : "", r[i].range, r[i].status, r[i].bytes,
            r[i].outcome, r[i].rule[0] ? " rule " : "", r[i].rule);
    return s;
}

/* ---- jobs ---------------------------------------------------------------- */

const char *nc_local8(conf_ctx *ctx, const char *name)
{
    size_t n = strlen(ctx->tmpdir) + strlen(name) + 2;
    char *p = conf_alloc(ctx, n);
    snprintf(p, n, "%s%c%s", ctx->tmpdir, CONF_PLAT_SEP, name);
    return p;
}

IBackgroundCopyJob *nc_job(conf_ctx *ctx, nc_mock *m, const char *const *paths,
                           size_t n, const char *const *locals)
{
    IBackgroundCopyJob *job =
        conf_new_job(ctx, u"docts-net", BG_JOB_TYPE_DOWNLOAD, NULL);
    conf_defer_release(ctx, (IUnknown *)job);
    for (size_t i = 0; i < n; i++) {
        char lname[64];
        if (locals)
            snprintf(lname, sizeof lname, "%s", locals[i]);
        else
            snprintf(lname, sizeof lname, "f%zu", i);
        CONF_EXPECT_HR(ctx,
                       IBackgroundCopyJob_AddFile(job, nc_url(ctx, m, paths[i]),
                                                  conf_tmp_path(ctx, lname)),
                       S_OK);
    }
    return job;
}

BG_JOB_STATE nc_state(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    BG_JOB_STATE st = (BG_JOB_STATE)CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetState(job, &st), S_OK);
    return st;
}

const char *nc_trace_text(conf_ctx *ctx, const nc_trace *t)
{
    char *s = conf_alloc(ctx, 64 * 18 + 8);
    size_t o = 0;
    for (size_t i = 0; i < t->n; i++)
        o += (size_t)snprintf(s + o, 64 * 18 + 8 - o, "%s%s", i ? " > " : "",
                              conf_state_name(t->states[i]));
    return s;
}

static void advance(conf_ctx *ctx, unsigned ms)
{
#ifdef DOCTS_HAVE_TEST_CLOCK
    if (ctx->clock && ms)
        (void)IDoctsTestClock_Advance(ctx->clock, ms);
#else
    (void)ctx;
    (void)ms;
#endif
}

void nc_advance(conf_ctx *ctx, unsigned ms)
{
    advance(ctx, ms);
}

BG_JOB_STATE nc_wait(conf_ctx *ctx, IBackgroundCopyJob *job, unsigned mask,
                     unsigned ms, unsigned advance_ms, nc_trace *trace)
{
    nc_trace local;
    if (!trace)
        trace = &local;
    trace->n = 0;
    uint64_t deadline = conf_plat_now_ms() + ms;
    for (;;) {
        BG_JOB_STATE st = (BG_JOB_STATE)CONF_POISON32;
        HRESULT hr = IBackgroundCopyJob_GetState(job, &st);
        if (hr != S_OK) {
            char b[96];
            conf_fail(ctx, "GetState while waiting returned %s",
                      conf_hr_str(hr, b, sizeof b));
        }
        if (trace->n == 0 || trace->states[trace->n - 1] != (int)st) {
            if (trace->n < CONF_ARRAY_LEN(trace->states))
                trace->states[trace->n++] = (int)st;
        }
        if ((unsigned)st < 32 && (mask & NC_ST(st)))
            return st;
        if (conf_plat_now_ms() >= deadline) {
            char want[256] = "";
            size_t o = 0;
            for (int s = 0; s < 9; s++)
                if (mask & NC_ST(s))
                    o += (size_t)snprintf(want + o, sizeof want - o, "%s%s",
                                          o ? "|" : "", conf_state_name(s));
            CONF_EXPECT_TRUE(ctx, false, want, nc_trace_text(ctx, trace));
        }
        advance(ctx, advance_ms);
        conf_plat_sleep_ms(5);
    }
}

static IBackgroundCopyError *get_error(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    IBackgroundCopyError *err = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetError(job, &err), S_OK);
    CONF_EXPECT_NONNULL(ctx, err);
    conf_defer_release(ctx, (IUnknown *)err);
    return err;
}

IBackgroundCopyFile *nc_file(conf_ctx *ctx, IBackgroundCopyJob *job, unsigned i)
{
    IEnumBackgroundCopyFiles *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_EnumFiles(job, &e), S_OK);
    CONF_EXPECT_NONNULL(ctx, e);
    conf_defer_release(ctx, (IUnknown *)e);
    if (i)
        CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Skip(e, i), S_OK);
    IBackgroundCopyFile *f = CONF_POISON_PTR;
    ULONG got = 0;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, &f, &got), S_OK);
    CONF_EXPECT_NONNULL(ctx, f);
    conf_defer_release(ctx, (IUnknown *)f);
    return f;
}

static const char *local_name_of(conf_ctx *ctx, IBackgroundCopyFile *f)
{
    LPWSTR name = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetLocalName(f, &name), S_OK);
    const char *u = conf_u8(ctx, name);
    CoTaskMemFree(name);
    return u;
}

void nc_expect_error(conf_ctx *ctx, IBackgroundCopyJob *job,
                     BG_ERROR_CONTEXT ctxv, HRESULT hr, int file_index)
{
    IBackgroundCopyError *err = get_error(ctx, job);
    BG_ERROR_CONTEXT ec = (BG_ERROR_CONTEXT)CONF_POISON32;
    HRESULT code = (HRESULT)CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyError_GetError(err, &ec, &code), S_OK);
    CONF_EXPECT_HEX(ctx, (unsigned)code, (unsigned)hr);
    CONF_EXPECT_U(ctx, ec, ctxv);
    nc_expect_error_file(ctx, job, file_index);
}

void nc_expect_error_file(conf_ctx *ctx, IBackgroundCopyJob *job,
                          int file_index)
{
    IBackgroundCopyError *err = get_error(ctx, job);
    IBackgroundCopyFile *f = CONF_POISON_PTR;
    HRESULT fhr = IBackgroundCopyError_GetFile(err, &f);
    if (file_index >= 0) {
        CONF_EXPECT_HR(ctx, fhr, S_OK);
        CONF_EXPECT_NONNULL(ctx, f);
        conf_defer_release(ctx, (IUnknown *)f);
        const char *got = local_name_of(ctx, f);
        const char *want =
            local_name_of(ctx, nc_file(ctx, job, (unsigned)file_index));
        CONF_EXPECT_TRUE(ctx, !strcmp(got, want), want, got);
    } else {
        CONF_EXPECT_HR(ctx, fhr, conf_hr(ctx, BG_E_FILE_NOT_AVAILABLE));
        CONF_EXPECT_NULL(ctx, f);
    }
}

void nc_expect_no_error(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    IBackgroundCopyError *err = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetError(job, &err),
                   conf_hr(ctx, BG_E_ERROR_INFORMATION_UNAVAILABLE));
    if (err && err != CONF_POISON_PTR)
        IBackgroundCopyError_Release(err);
}

uint8_t *nc_read_local(conf_ctx *ctx, const char *name, size_t *len)
{
    *len = 0;
    FILE *f = fopen(nc_local8(ctx, name), "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    uint8_t *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            cap *= 2;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    if (!buf)
        conf_fail(ctx, "docts: out of memory");
    uint8_t *out = conf_alloc(ctx, n ? n : 1);
    memcpy(out, buf, n);
    free(buf);
    *len = n;
    return out;
}

void nc_expect_file(conf_ctx *ctx, const char *name, size_t len,
                    const char *hex)
{
    size_t got = 0;
    uint8_t *data = nc_read_local(ctx, name, &got);
    char want[160], actual[160];
    snprintf(want, sizeof want, "%s: %zu bytes, sha256 %s", name, len, hex);
    if (!data) {
        snprintf(actual, sizeof actual, "%s does not exist", name);
        CONF_EXPECT_TRUE(ctx, false, want, actual);
    }
    char h[65];
    nc_sha256_hex(data, got, h);
    snprintf(actual, sizeof actual, "%s: %zu bytes, sha256 %s", name, got, h);
    CONF_EXPECT_TRUE(ctx, got == len && !strcmp(h, hex), want, actual);
}

void nc_expect_no_file(conf_ctx *ctx, const char *name)
{
    CONF_EXPECT_TRUE(ctx, !conf_plat_exists(nc_local8(ctx, name)),
                     "no local file", "the local file exists");
}

BG_AUTH_CREDENTIALS nc_basic_cred(conf_ctx *ctx, const char *user,
                                  const char *password)
{
    BG_AUTH_CREDENTIALS cred;
    memset(&cred, 0, sizeof cred);
    cred.Target = BG_AUTH_TARGET_SERVER;
    cred.Scheme = BG_AUTH_SCHEME_BASIC;
    cred.Credentials.Basic.UserName = conf_w(ctx, user);
    cred.Credentials.Basic.Password = conf_w(ctx, password);
    return cred;
}

BG_JOB_PROGRESS nc_progress(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    BG_JOB_PROGRESS p;
    memset(&p, 0xEE, sizeof p);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetProgress(job, &p), S_OK);
    return p;
}

void nc_retry(conf_ctx *ctx, IBackgroundCopyJob *job, ULONG retry_s,
              ULONG noprogress_s)
{
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetMinimumRetryDelay(job, retry_s),
                   S_OK);
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJob_SetNoProgressTimeout(job, noprogress_s), S_OK);
}

const char *nc_unwritable_dir(conf_ctx *ctx)
{
    const char *env = getenv("DOCTS_UNWRITABLE_DIR");
    const char *cand[] = {env && *env ? env : NULL, conf_plat_unwritable_dir()};
    for (size_t i = 0; i < CONF_ARRAY_LEN(cand); i++) {
        if (!cand[i] || !conf_plat_is_dir(cand[i]))
            continue;
        char probe[2048];
        snprintf(probe, sizeof probe, "%s%cdocts-probe-%u", cand[i],
                 CONF_PLAT_SEP, mock_serial);
        FILE *f = fopen(probe, "wb");
        if (f) {
            fclose(f);
            remove(probe);
            continue;
        }
        size_t n = strlen(cand[i]) + 1;
        char *out = conf_alloc(ctx, n);
        memcpy(out, cand[i], n);
        return out;
    }
    conf_skip(ctx, "no unwritable directory found; set DOCTS_UNWRITABLE_DIR");
}

void nc_nap(unsigned ms)
{
    conf_plat_sleep_ms(ms);
}

void nc_need_time(conf_ctx *ctx)
{
#ifdef DOCTS_HAVE_TEST_CLOCK
    if (ctx->clock)
        return;
    if (ctx->mgr) {
        void *clk = NULL;
        if (SUCCEEDED(IUnknown_QueryInterface((IUnknown *)ctx->mgr,
                                              &IID_IDoctsTestClock, &clk)) &&
            clk) {
            ctx->clock = clk;
            conf_defer_release(ctx, (IUnknown *)clk);
            return;
        }
    }
#endif
    if (!ctx->slow)
        conf_skip(ctx, "timed case: no IDoctsTestClock and no --slow");
}

/* ---- the recording callback object ----------------------------------------
 */

#define AT(p) (p)

static nc_cb *cb_of(IBackgroundCopyCallback3 *This)
{
    return (nc_cb *)This;
}

static HRESULT STDMETHODCALLTYPE cb_qi(IBackgroundCopyCallback3 *This,
                                       REFIID riid, void **ppv)
{
    nc_cb *cb = cb_of(This);
    if (!ppv)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) ||
        IsEqualGUID(riid, &IID_IBackgroundCopyCallback) ||
        (cb->level >= 2 && IsEqualGUID(riid, &IID_IBackgroundCopyCallback2)) ||
        (cb->level >= 3 && IsEqualGUID(riid, &IID_IBackgroundCopyCallback3))) {
        *ppv = This;
        atomic_fetch_add(AT(&cb->refs), 1);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE cb_addref(IBackgroundCopyCallback3 *This)
{
    return (ULONG)(atomic_fetch_add(AT(&cb_of(This)->refs), 1) + 1);
}

static ULONG STDMETHODCALLTYPE cb_release(IBackgroundCopyCallback3 *This)
{
    /* the memory belongs to the case (conf_alloc); never freed here */
    return (ULONG)(atomic_fetch_sub(AT(&cb_of(This)->refs), 1) - 1);
}

/* Records the start of a call; returns the event slot (or NULL). */
static nc_event *cb_enter(nc_cb *cb, int kind, long *nth)
{
    long in = atomic_fetch_add(AT(&cb->inflight), 1) + 1;
    long mx = atomic_load(AT(&cb->max_inflight));
    while (in > mx &&
           !atomic_compare_exchange_weak(AT(&cb->max_inflight), &mx, in))
        ;
    *nth = atomic_fetch_add(AT(&cb->calls[kind]), 1) + 1;
    long i = atomic_fetch_add(AT(&cb->nev), 1);
    if (i >= NC_CB_MAX_EVENTS)
        return NULL;
    nc_event *e = &cb->ev[i];
    e->kind = kind;
    e->state = -1;
    e->t_ms = conf_plat_now_ms();
    return e;
}

static HRESULT cb_leave(nc_cb *cb, long nth)
{
    atomic_fetch_sub(AT(&cb->inflight), 1);
    if (nth <= cb->fail_first)
        return cb->fail_hr ? cb->fail_hr : E_FAIL;
    return S_OK;
}

static void cb_state(nc_cb *cb, nc_event *e, IBackgroundCopyJob *job)
{
    if (e && (cb->action == NC_ACT_GETSTATE)) {
        BG_JOB_STATE st;
        BG_JOB_PROGRESS p;
        if (IBackgroundCopyJob_GetState(job, &st) == S_OK)
            e->state = (int)st;
        (void)IBackgroundCopyJob_GetProgress(job, &p);
    }
}

static HRESULT STDMETHODCALLTYPE cb_transferred(IBackgroundCopyCallback3 *This,
                                                IBackgroundCopyJob *job)
{
    nc_cb *cb = cb_of(This);
    long nth;
    nc_event *e = cb_enter(cb, NC_EV_TRANSFERRED, &nth);
    cb_state(cb, e, job);
    if (cb->action == NC_ACT_COMPLETE_IN_TRANSFERRED && nth > cb->fail_first) {
        HRESULT hr = IBackgroundCopyJob_Complete(job);
        if (e)
            e->hr = hr;
    }
    return cb_leave(cb, nth);
}

static HRESULT STDMETHODCALLTYPE cb_error(IBackgroundCopyCallback3 *This,
                                          IBackgroundCopyJob *job,
                                          IBackgroundCopyError *err)
{
    nc_cb *cb = cb_of(This);
    long nth;
    nc_event *e = cb_enter(cb, NC_EV_ERROR, &nth);
    cb_state(cb, e, job);
    if (e && err) {
        BG_ERROR_CONTEXT c = BG_ERROR_CONTEXT_NONE;
        HRESULT code = S_OK;
        if (IBackgroundCopyError_GetError(err, &c, &code) == S_OK) {
            e->hr = code;
            e->err_ctx = (int)c;
        }
    }
    if (cb->action == NC_ACT_CANCEL_IN_ERROR && nth > cb->fail_first)
        (void)IBackgroundCopyJob_Cancel(job);
    return cb_leave(cb, nth);
}

static HRESULT STDMETHODCALLTYPE cb_modification(IBackgroundCopyCallback3 *This,
                                                 IBackgroundCopyJob *job,
                                                 DWORD reserved)
{
    (void)reserved;
    nc_cb *cb = cb_of(This);
    long nth;
    nc_event *e = cb_enter(cb, NC_EV_MODIFICATION, &nth);
    cb_state(cb, e, job);
    if (cb->action == NC_ACT_SUSPEND_IN_MODIFICATION && e &&
        !atomic_load(AT(&cb->acted))) {
        BG_JOB_STATE st = BG_JOB_STATE_SUSPENDED;
        (void)IBackgroundCopyJob_GetState(job, &st);
        e->state = (int)st;
        if (st == BG_JOB_STATE_QUEUED || st == BG_JOB_STATE_CONNECTING ||
            st == BG_JOB_STATE_TRANSFERRING) {
            e->hr = IBackgroundCopyJob_Suspend(job);
            atomic_store(AT(&cb->acted), (e - cb->ev) + 1);
        }
    }
    atomic_fetch_sub(AT(&cb->inflight), 1);
    return S_OK; /* JobModification's result is ignored anyway */
}

static HRESULT STDMETHODCALLTYPE cb_file(IBackgroundCopyCallback3 *This,
                                         IBackgroundCopyJob *job,
                                         IBackgroundCopyFile *file)
{
    nc_cb *cb = cb_of(This);
    long nth;
    nc_event *e = cb_enter(cb, NC_EV_FILE, &nth);
    cb_state(cb, e, job);
    if (e && file) {
        LPWSTR name = NULL;
        if (IBackgroundCopyFile_GetLocalName(file, &name) == S_OK && name) {
            const WCHAR *base = name;
            for (const WCHAR *p = name; *p; p++)
                if (*p == '/' || *p == '\\')
                    base = p + 1;
            size_t o = 0;
            for (; base[o] && o + 1 < sizeof e->file; o++)
                e->file[o] = base[o] < 128 ? (char)base[o] : '?';
            e->file[o] = '\0';
            CoTaskMemFree(name);
        }
    }
    if (cb->action == NC_ACT_SLEEP)
        conf_plat_sleep_ms(200);
    return cb_leave(cb, nth);
}

static HRESULT STDMETHODCALLTYPE cb_ranges(IBackgroundCopyCallback3 *This,
                                           IBackgroundCopyJob *job,
                                           IBackgroundCopyFile *file,
                                           DWORD count, const BG_FILE_RANGE *r)
{
    (void)job;
    (void)file;
    (void)count;
    (void)r;
    nc_cb *cb = cb_of(This);
    long nth;
    (void)cb_enter(cb, NC_EV_RANGES, &nth);
    atomic_fetch_sub(AT(&cb->inflight), 1);
    return S_OK;
}

static const IBackgroundCopyCallback3Vtbl cb_vtbl = {
    cb_qi,    cb_addref,       cb_release, cb_transferred,
    cb_error, cb_modification, cb_file,    cb_ranges,
};

nc_cb *nc_cb_new(conf_ctx *ctx, unsigned level)
{
    nc_cb *cb = conf_alloc(ctx, sizeof *cb);
    cb->iface.lpVtbl = (IBackgroundCopyCallback3Vtbl *)&cb_vtbl;
    atomic_store(&cb->refs, 1);
    cb->level = level ? level : 1;
    conf_defer_release(ctx, (IUnknown *)&cb->iface);
    return cb;
}

long nc_cb_count(const nc_cb *cb, int kind)
{
    return atomic_load(&((nc_cb *)cb)->calls[kind]);
}

bool nc_cb_wait(conf_ctx *ctx, nc_cb *cb, int kind, long n, unsigned ms,
                unsigned advance_ms)
{
    uint64_t deadline = conf_plat_now_ms() + ms;
    for (;;) {
        if (nc_cb_count(cb, kind) >= n)
            return true;
        if (conf_plat_now_ms() >= deadline)
            return false;
        advance(ctx, advance_ms);
        conf_plat_sleep_ms(5);
    }
}

const char *nc_cb_text(conf_ctx *ctx, const nc_cb *cb)
{
    long n = atomic_load(&((nc_cb *)cb)->nev);
    if (n > NC_CB_MAX_EVENTS)
        n = NC_CB_MAX_EVENTS;
    size_t cap = 32 + (size_t)n * 72;
    char *s = conf_alloc(ctx, cap);
    size_t o = 0;
    static const char *const names[] = {"?", "T", "E", "M", "F", "R"};
    o += (size_t)snprintf(s, cap, "%ld call(s):", n);
    for (long i = 0; i < n && o < cap; i++) {
        const nc_event *e = &cb->ev[i];
        int k = e->kind >= 1 && e->kind <= 5 ? e->kind : 0;
        o += (size_t)snprintf(s + o, cap - o, " %s", names[k]);
        if (e->kind == NC_EV_FILE)
            o += (size_t)snprintf(s + o, cap - o, "(%s)", e->file);
    }
    return s;
}

/* ---- threads and the shared mock ----------------------------------------- */

typedef struct thr_arg {
    void (*fn)(void *arg, unsigned i);
    void *arg;
    unsigned i;
} thr_arg;

static void thr_main(void *p)
{
    thr_arg *a = p;
    a->fn(a->arg, a->i);
}

void nc_threads(conf_ctx *ctx, unsigned n, void (*fn)(void *arg, unsigned i),
                void *arg)
{
    conf_thread *t[64];
    thr_arg a[64];
    if (n > 64)
        conf_fail(ctx, "docts: nc_threads: at most 64 threads");
    for (unsigned i = 0; i < n; i++) {
        a[i] = (thr_arg){fn, arg, i};
        t[i] = conf_plat_thread_start(thr_main, &a[i]);
        if (!t[i]) {
            for (unsigned k = 0; k < i; k++)
                conf_plat_thread_join(t[k]);
            conf_fail(ctx, "docts: cannot start thread %u", i);
        }
    }
    for (unsigned i = 0; i < n; i++)
        conf_plat_thread_join(t[i]);
}

const char *nc_fixture_path(conf_ctx *ctx, const char *name)
{
    const char *dir = getenv("DOCTS_FIXTURES");
    if (!dir || !*dir)
        dir = "fixtures";
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = conf_alloc(ctx, n);
    snprintf(p, n, "%s%c%s", dir, CONF_PLAT_SEP, name);
    return p;
}
