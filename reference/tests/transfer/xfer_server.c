/*
 * xfer_server.c - h2mock as a helper process of the transfer tests, the
 * fixtures it serves and the reading of its request log.
 *
 * Owns: starting $H2MOCK on port 0 of the loopback (the port comes from its
 * one "listening on ADDR:PORT" line), the fixture root (deterministic
 * bytes, SHA-256 with OpenSSL EVP), the /_mock/ control requests (libcurl,
 * always HTTP/1.1 and never through a proxy) and the small NDJSON field
 * reader the cases use to prove what the engine sent.  It knows nothing of
 * COM; xfer_support.c holds the rest of the tools.
 */
#include "xfer.h"

#include <curl/curl.h>
#include <errno.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- process ---------------------------------------------------------- */

int xsrv_start(struct xsrv *s, int tls)
{
    return xsrv_start_opt(s, tls, NULL);
}

int xsrv_start_opt(struct xsrv *s, int tls, const char *flag)
{
    const char *bin = getenv("H2MOCK");
    const char *tlsdir = getenv("H2MOCK_TLS_DIR");
    char cert[300], key[300], line[256];
    int fds[2];
    FILE *f;
    pid_t pid;

    memset(s, 0, sizeof *s);
    s->pid = -1;
    s->tls = tls;
    if (!bin || access(bin, X_OK) != 0) {
        fprintf(stderr, "transfer-tests: H2MOCK (%s) is not executable\n",
                bin ? bin : "unset");
        return -1;
    }
    if (tls && (!tlsdir || !*tlsdir)) {
        fprintf(stderr, "transfer-tests: H2MOCK_TLS_DIR is unset\n");
        return -1;
    }
    snprintf(cert, sizeof cert, "%s/cert.pem", tls ? tlsdir : "");
    snprintf(key, sizeof key, "%s/key.pem", tls ? tlsdir : "");
    snprintf(s->root, sizeof s->root, "%s/xfer-root-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(s->root)) {
        s->root[0] = '\0';
        return -1;
    }
    if (pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        /* h2mock must not outlive a test run killed by its watchdog */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        char *argv[14];
        int n = 0;
        argv[n++] = (char *)bin;
        argv[n++] = "--root";
        argv[n++] = s->root;
        argv[n++] = "--port";
        argv[n++] = "0";
        argv[n++] = "--grace-ms";
        argv[n++] = "0";
        if (tls) {
            argv[n++] = "--tls-cert";
            argv[n++] = cert;
            argv[n++] = "--tls-key";
            argv[n++] = key;
        }
        if (flag)
            argv[n++] = (char *)flag;
        argv[n] = NULL;
        execv(bin, argv);
        _exit(127);
    }
    close(fds[1]);
    s->pid = pid;
    f = fdopen(fds[0], "r");
    if (!f || !fgets(line, sizeof line, f)) {
        fprintf(stderr, "transfer-tests: h2mock printed nothing\n");
        if (f)
            fclose(f);
        else
            close(fds[0]);
        return -1;
    }
    fclose(f);
    {
        char *colon = strrchr(line, ':');
        s->port = colon ? atoi(colon + 1) : 0;
    }
    if (strncmp(line, "listening on ", 13) != 0 || s->port <= 0) {
        fprintf(stderr, "transfer-tests: unexpected h2mock line: %s", line);
        return -1;
    }
    snprintf(s->base, sizeof s->base, "%s://127.0.0.1:%d",
             tls ? "https" : "http", s->port);
    snprintf(s->control, sizeof s->control, "%s://127.0.0.1:%d/_mock",
             tls ? "https" : "http", s->port);
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void xsrv_stop(struct xsrv *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = -1;
    }
    if (s->root[0]) {
        nftw(s->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        s->root[0] = '\0';
    }
}

/* ---- control endpoint ------------------------------------------------- */

struct buf {
    char *p;
    size_t n, cap;
};

static size_t buf_write(char *data, size_t size, size_t nmemb, void *ud)
{
    struct buf *b = ud;
    size_t n = size * nmemb;

    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return 0;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
    b->p[b->n] = '\0';
    return n;
}

/* One control request; the body (malloc'd) into *out when out != NULL. */
static int control(struct xsrv *s, const char *method, const char *what,
                   const char *body, char **out)
{
    char url[256];
    struct buf b = {0};
    long status = -1;
    CURL *c = curl_easy_init();

    if (!c)
        return -1;
    snprintf(url, sizeof url, "%s/%s", s->control, what);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, buf_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    if (status != 200 && b.p)
        fprintf(stderr, "transfer-tests: %s /_mock/%s -> %ld: %s\n", method,
                what, status, b.p);
    if (out)
        *out = b.p;
    else
        free(b.p);
    return (int)status;
}

int xsrv_rules(struct xsrv *s, const char *text)
{
    return control(s, "POST", "rules", text, NULL);
}

int xsrv_clear(struct xsrv *s)
{
    return control(s, "DELETE", "rules", NULL, NULL);
}

char *xsrv_log(struct xsrv *s)
{
    char *out = NULL;

    if (control(s, "GET", "log", NULL, &out) != 200) {
        free(out);
        return NULL;
    }
    if (!out)
        out = calloc(1, 1);
    return out;
}

int xsrv_count(struct xsrv *s, const char *path)
{
    char *log = xsrv_log(s);
    int n;

    if (!log)
        return -1;
    n = xlog_requests(log, path, NULL, 0);
    free(log);
    return n;
}

/* ---- fixtures and hashes ---------------------------------------------- */

unsigned char xbyte(unsigned seed, size_t off)
{
    uint32_t x = (uint32_t)off * 2654435761u ^ (seed * 40503u + 0x9e37u);

    x ^= x >> 15;
    x *= 2246822519u;
    x ^= x >> 13;
    return (unsigned char)x;
}

void xsha_buf(const void *data, size_t len, char *hex)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;

    EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
    for (unsigned i = 0; i < mdlen; i++)
        sprintf(hex + 2 * i, "%02x", md[i]);
    hex[2 * mdlen] = '\0';
}

int xsha_file(const char *path, char *hex)
{
    unsigned char md[EVP_MAX_MD_SIZE], chunk[65536];
    unsigned mdlen = 0;
    size_t n;
    FILE *f = fopen(path, "rb");
    EVP_MD_CTX *ctx;

    hex[0] = '\0';
    if (!f)
        return -1;
    ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        EVP_DigestUpdate(ctx, chunk, n);
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    fclose(f);
    for (unsigned i = 0; i < mdlen; i++)
        sprintf(hex + 2 * i, "%02x", md[i]);
    hex[2 * mdlen] = '\0';
    return 0;
}

int xsrv_file_data(struct xsrv *s, const char *name, const void *data,
                   size_t len)
{
    char path[512];
    FILE *f;
    int ok;

    snprintf(path, sizeof path, "%s/%s", s->root, name);
    {
        /* create intermediate directories of name */
        char *slash = path + strlen(s->root) + 1;
        while ((slash = strchr(slash, '/')) != NULL) {
            *slash = '\0';
            mkdir(path, 0755);
            *slash++ = '/';
        }
    }
    f = fopen(path, "wb");
    if (!f)
        return -1;
    ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

int xsrv_file(struct xsrv *s, const char *name, size_t size, unsigned seed,
              char *hex)
{
    unsigned char *data = malloc(size ? size : 1);
    int rc;

    if (!data)
        return -1;
    for (size_t i = 0; i < size; i++)
        data[i] = xbyte(seed, i);
    rc = xsrv_file_data(s, name, data, size);
    if (hex)
        xsha_buf(data, size, hex);
    free(data);
    return rc;
}

/* ---- the request log -------------------------------------------------- */

/* Copies a JSON string value starting after its opening quote. */
static void json_str(const char *p, char *out, size_t len)
{
    size_t n = 0;

    while (*p && *p != '"' && *p != '\n') {
        char c = *p++;
        if (c == '\\' && *p) {
            c = *p++;
            if (c == 'n')
                c = '\n';
            else if (c == 'r')
                c = '\r';
            else if (c == 't')
                c = '\t';
            else if (c == 'u') {
                /* \u00XX only (h2mock escapes control bytes) */
                unsigned v = 0;
                if (sscanf(p, "%4x", &v) == 1)
                    p += 4;
                c = (char)v;
            }
        }
        if (n + 1 < len)
            out[n++] = c;
    }
    if (len)
        out[n] = '\0';
}

/* Finds "key": on the line (before its end); NULL if absent. */
static const char *json_key(const char *line, const char *end, const char *key)
{
    char pat[64];
    size_t pl;

    snprintf(pat, sizeof pat, "\"%s\":", key);
    pl = strlen(pat);
    for (const char *p = line; p + pl <= end; p++)
        if (memcmp(p, pat, pl) == 0)
            return p + pl;
    return NULL;
}

int xlog_header(const char *line, const char *name, char *buf, size_t len)
{
    const char *end = strchr(line, '\n');
    size_t nl = strlen(name);

    if (!end)
        end = line + strlen(line);
    if (len)
        buf[0] = '\0';
    for (const char *p = line; p + nl + 5 <= end; p++) {
        if (p[0] == '[' && p[1] == '"' && strncasecmp(p + 2, name, nl) == 0 &&
            p[2 + nl] == '"' && p[3 + nl] == ',' && p[4 + nl] == '"') {
            json_str(p + 5 + nl, buf, len);
            return 1;
        }
    }
    return 0;
}

int xlog_requests(const char *log, const char *path, struct xreq *out, int max)
{
    int n = 0;

    for (const char *line = log; line && *line;) {
        const char *end = strchr(line, '\n');
        const char *v;
        char p[128] = "";

        if (!end)
            end = line + strlen(line);
        v = json_key(line, end, "path");
        if (v && *v == '"')
            json_str(v + 1, p, sizeof p);
        if (v && (!path || strcmp(p, path) == 0)) {
            if (out && n < max) {
                struct xreq *r = &out[n];
                memset(r, 0, sizeof *r);
                r->line = line;
                snprintf(r->path, sizeof r->path, "%s", p);
                if ((v = json_key(line, end, "seq")))
                    r->seq = atoi(v);
                if ((v = json_key(line, end, "conn")))
                    r->conn = atoi(v);
                if ((v = json_key(line, end, "status")))
                    r->status = atoi(v);
                if ((v = json_key(line, end, "bytes")))
                    r->bytes = atoll(v);
                if ((v = json_key(line, end, "proto")) && *v == '"')
                    json_str(v + 1, r->proto, sizeof r->proto);
                if ((v = json_key(line, end, "outcome")) && *v == '"')
                    json_str(v + 1, r->outcome, sizeof r->outcome);
                xlog_header(line, "range", r->range, sizeof r->range);
                xlog_header(line, "if-range", r->if_range, sizeof r->if_range);
            }
            n++;
        }
        line = *end ? end + 1 : end;
    }
    return n;
}
