/*
 * xfer_server.c - what the transfer tests serve through h2mock and what
 * they read back from it.
 *
 * Owns: the seeded fixtures (deterministic bytes, SHA-256 with OpenSSL EVP)
 * and the small NDJSON field reader the cases use to prove what the engine
 * sent.  Starting h2mock and its /_mock/ control requests are
 * ../mockctl.c's; it knows nothing of COM; xfer_support.c holds the rest of
 * the tools.
 */
#include "xfer.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

int xsrv_file(struct mockctl *s, const char *name, size_t size, unsigned seed,
              char *hex)
{
    unsigned char *data = malloc(size ? size : 1);
    int rc;

    if (!data)
        return -1;
    for (size_t i = 0; i < size; i++)
        data[i] = xbyte(seed, i);
    rc = mockctl_put(s, name, data, size);
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

int xsrv_count(struct mockctl *s, const char *path)
{
    char *log = mockctl_log(s);
    int n;

    if (!log)
        return -1;
    n = xlog_requests(log, path, NULL, 0);
    free(log);
    return n;
}
