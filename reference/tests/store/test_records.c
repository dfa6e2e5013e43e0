/*
 * test_records.c - round trips of every field of a job, a file and a DO
 * download through close and reopen; owner filters; the small writes
 * (state, progress, delete) and their NOT_FOUND; all-or-nothing writes;
 * the temporary-file cleanup; purge; change detection between stores.
 *
 * The field tables below are the tests' own list of what must persist
 * (from struct job / struct file_rec in ref_private.h and spec types.md
 * §5.3), written independently of the store's column tables, so a field
 * the store forgets fails here.
 */
#include "store_test.h"

#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum ft { T_I32, T_U32, T_U64, T_WSTR, T_GUID, T_HASH };
struct field {
    const char *name;
    enum ft type;
    size_t off;
};

#define JF(f, t)                                                               \
    {                                                                          \
#f, t, offsetof(struct ref_store_job, f)                               \
    }
static const struct field job_fields[] = {
    JF(id, T_GUID),
    JF(mode, T_I32),
    JF(type, T_I32),
    JF(owner, T_WSTR),
    JF(display_name, T_WSTR),
    JF(description, T_WSTR),
    JF(priority, T_I32),
    JF(state, T_I32),
    JF(notify_flags, T_U32),
    JF(notify_clsid, T_GUID),
    JF(notify_program, T_WSTR),
    JF(notify_parameters, T_WSTR),
    JF(reply_file, T_WSTR),
    JF(retry_delay, T_U32),
    JF(no_progress_timeout, T_U32),
    JF(max_download_time, T_U32),
    JF(no_progress_set, T_I32),
    JF(proxy_usage, T_I32),
    JF(proxy_list, T_WSTR),
    JF(proxy_bypass, T_WSTR),
    JF(custom_headers, T_WSTR),
    JF(security_flags, T_U32),
    JF(cert.set, T_I32),
    JF(cert.location, T_U32),
    JF(cert.store, T_WSTR),
    JF(cert.by_id, T_I32),
    JF(cert.hash, T_HASH),
    JF(cert.subject, T_WSTR),
    JF(acl_flags, T_U32),
    JF(peer_flags, T_U32),
    JF(cost_flags, T_U32),
    JF(dynamic_content, T_I32),
    JF(high_performance, T_I32),
    JF(on_demand, T_I32),
    JF(max_download_size, T_U64),
    JF(stored_cred_target, T_U32),
    JF(min_notify_interval, T_U32),
    JF(error.set, T_I32),
    JF(error.context, T_U32),
    JF(error.code, T_U32),
    JF(error.file, T_I32),
    JF(error_count, T_U32),
    JF(resumed_once, T_I32),
    JF(created, T_U64),
    JF(modified, T_U64),
    JF(transfer_completed, T_U64),
};

#define FF(f, t)                                                               \
    {                                                                          \
#f, t, offsetof(struct ref_store_file, f)                              \
    }
static const struct field file_fields[] = {
    FF(index, T_U32),
    FF(remote, T_WSTR),
    FF(local, T_WSTR),
    FF(file_id, T_WSTR),
    FF(temp, T_WSTR),
    FF(proto, T_I32),
    FF(size, T_U64),
    FF(transferred, T_U64),
    FF(position, T_U64),
    FF(done, T_I32),
    FF(completed, T_I32),
    FF(validation, T_I32),
    FF(response_headers, T_WSTR),
    FF(decryption_info, T_WSTR),
    FF(integrity_info, T_WSTR),
    FF(integrity_mandatory, T_I32),
    FF(etag, T_WSTR),
    FF(last_modified, T_U64),
};

#define DF(f, t)                                                               \
    {                                                                          \
#f, t, offsetof(struct ref_store_download, f)                          \
    }
static const struct field dl_fields[] = {
    DF(id, T_GUID),
    DF(owner, T_WSTR),
    DF(state, T_I32),
    DF(set_mask, T_U64),
    DF(uri, T_WSTR),
    DF(content_id, T_WSTR),
    DF(display_name, T_WSTR),
    DF(local_path, T_WSTR),
    DF(http_custom_headers, T_WSTR),
    DF(correlation_vector, T_WSTR),
    DF(decryption_info, T_WSTR),
    DF(integrity_check_info, T_WSTR),
    DF(http_custom_auth_headers, T_WSTR),
    DF(cost_policy, T_U32),
    DF(security_flags, T_U32),
    DF(callback_freq_percent, T_U32),
    DF(callback_freq_seconds, T_U32),
    DF(no_progress_timeout, T_U32),
    DF(foreground, T_I32),
    DF(blocking_mode, T_I32),
    DF(integrity_check_mandatory, T_I32),
    DF(disallow_on_cellular, T_I32),
    DF(allow_https_to_http, T_I32),
    DF(non_volatile, T_I32),
    DF(total_size_bytes, T_U64),
    DF(error_code, T_U32),
    DF(extended_error, T_U32),
    DF(bytes_total, T_U64),
    DF(bytes_transferred, T_U64),
    DF(temp, T_WSTR),
    DF(etag, T_WSTR),
    DF(last_modified, T_U64),
    DF(created, T_U64),
    DF(modified, T_U64),
};

#define NF(t) (sizeof(t) / sizeof((t)[0]))

/* Strings made for filled records: freed by pool_free. */
static WCHAR *pool[512];
static size_t npool;

static void pool_free(void)
{
    while (npool)
        free(pool[--npool]);
}

/* "<name>-<seed>-é😀" as UTF-16 (non-ASCII and a surrogate pair). */
static WCHAR *wmake(const char *name, unsigned seed)
{
    char buf[128];
    int n = snprintf(buf, sizeof buf, "%s-%u-", name, seed);
    WCHAR *w = calloc((size_t)n + 4, sizeof(WCHAR));
    for (int i = 0; i < n; i++)
        w[i] = (WCHAR)(unsigned char)buf[i];
    w[n] = 0x00e9;
    w[n + 1] = 0xD83D;
    w[n + 2] = 0xDE00;
    if (npool < NF(pool))
        pool[npool++] = w;
    return w;
}

/*
 * Gives every field of the table a value of its own derived from seed and
 * its position: the high bit set in 32- and 64-bit fields, negative
 * signed values, strings with non-ASCII characters.
 */
static void fill(const struct field *t, size_t n, void *base, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        char *p = (char *)base + t[i].off;
        unsigned v = seed * 100 + (unsigned)i + 1;
        switch (t[i].type) {
        case T_I32:
            *(int32_t *)p = (i % 2) ? -(int32_t)v : (int32_t)v;
            break;
        case T_U32:
            *(uint32_t *)p = 0x80000000u | v;
            break;
        case T_U64:
            *(uint64_t *)p = 0xF000000000000000ull | ((uint64_t)v << 32) | v;
            break;
        case T_WSTR:
            *(WCHAR **)p = wmake(t[i].name, seed);
            break;
        case T_GUID: {
            GUID *g = (GUID *)p;
            g->Data1 = 0xA0000000u | v;
            g->Data2 = (uint16_t)v;
            g->Data3 = (uint16_t)(v * 3);
            for (int k = 0; k < 8; k++)
                g->Data4[k] = (uint8_t)(v + (unsigned)k * 31);
            break;
        }
        case T_HASH:
            for (int k = 0; k < 20; k++)
                p[k] = (char)(v * 7 + (unsigned)k);
            break;
        }
    }
}

static int wsame(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b)
        return a == b;
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Number of fields that differ; prints each. */
static int compare(const char *what, const struct field *t, size_t n,
                   const void *want, const void *got)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const char *a = (const char *)want + t[i].off;
        const char *b = (const char *)got + t[i].off;
        int same = 1;
        switch (t[i].type) {
        case T_I32:
        case T_U32:
            same = memcmp(a, b, 4) == 0;
            break;
        case T_U64:
            same = memcmp(a, b, 8) == 0;
            break;
        case T_WSTR:
            same = wsame(*(WCHAR *const *)a, *(WCHAR *const *)b);
            break;
        case T_GUID:
            same = memcmp(a, b, sizeof(GUID)) == 0;
            break;
        case T_HASH:
            same = memcmp(a, b, 20) == 0;
            break;
        }
        if (!same) {
            fprintf(stderr, "\n%s: field %s did not round-trip\n", what,
                    t[i].name);
            bad++;
        }
    }
    return bad;
}

/* ---- the round-trip cases ------------------------------------------------ */

struct rt_case {
    const char *name;
    unsigned seed;
    int nulls;    /* optional strings NULL, nothing else */
    int empties;  /* optional strings "" */
    int extremes; /* UINT64_MAX sizes, error file -1, etc. */
    uint32_t nfiles, nranges, ncreds;
};

static const struct rt_case rt_cases[] = {
    {"every field set", 1, 0, 0, 0, 3, 2, 3},
    {"optional strings NULL", 2, 1, 0, 0, 1, 0, 0},
    {"optional strings empty", 3, 0, 1, 0, 2, 1, 1},
    {"extreme values", 4, 0, 0, 1, 1, 500, 10},
    {"no files", 5, 0, 0, 0, 0, 0, 0},
};

static const WCHAR empty[] = u"";

static void blank_optional(const struct field *t, size_t n, void *base,
                           const WCHAR *with)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].type == T_WSTR && strcmp(t[i].name, "owner") &&
            strcmp(t[i].name, "display_name"))
            *(const WCHAR **)((char *)base + t[i].off) = with;
}

struct rt_data {
    struct ref_store_job job;
    struct ref_store_file files[4];
    struct ref_store_range ranges[4][500], req[4][3];
    struct ref_store_cred creds[10];
};

static void build_case(const struct rt_case *c, struct rt_data *d)
{
    memset(d, 0, sizeof *d);
    fill(job_fields, NF(job_fields), &d->job, c->seed);
    if (c->nulls)
        blank_optional(job_fields, NF(job_fields), &d->job, NULL);
    if (c->empties)
        blank_optional(job_fields, NF(job_fields), &d->job, empty);
    if (c->extremes) {
        d->job.error.file = -1;
        d->job.max_download_size = UINT64_MAX;
        d->job.error.code = 0x80200010u;
        d->job.transfer_completed = 0;
    }
    for (uint32_t f = 0; f < c->nfiles; f++) {
        struct ref_store_file *r = &d->files[f];
        fill(file_fields, NF(file_fields), r, c->seed * 10 + f);
        if (c->nulls)
            blank_optional(file_fields, NF(file_fields), r, NULL);
        if (c->empties)
            blank_optional(file_fields, NF(file_fields), r, empty);
        r->index = f;
        if (c->extremes) {
            r->size = UINT64_MAX;
            r->integrity_mandatory = -1;
        }
        r->nranges = c->nranges;
        r->ranges = c->nranges ? d->ranges[f] : NULL;
        for (uint32_t k = 0; k < c->nranges; k++) {
            d->ranges[f][k].offset = 1000ull * k + f;
            d->ranges[f][k].length =
                (c->extremes && k == c->nranges - 1) ? UINT64_MAX : k + 1;
        }
        r->nrequested = f % 3;
        r->requested = r->nrequested ? d->req[f] : NULL;
        for (uint32_t k = 0; k < r->nrequested; k++) {
            d->req[f][k].offset = 77ull * k;
            d->req[f][k].length = 5;
        }
    }
    d->job.files = c->nfiles ? d->files : NULL;
    d->job.nfiles = c->nfiles;
    for (uint32_t k = 0; k < c->ncreds; k++) {
        d->creds[k].target = 1 + k / 5;
        d->creds[k].scheme = 1 + k % 5;
        d->creds[k].user = c->nulls ? NULL : wmake("user", k);
        d->creds[k].password = wmake("password", k);
    }
    d->job.creds = c->ncreds ? d->creds : NULL;
    d->job.ncreds = c->ncreds;
}

struct found {
    const struct ref_store_job *want;
    int seen, bad;
};

static int rt_cb(const struct ref_store_job *got, void *ctx)
{
    struct found *fd = ctx;
    const struct ref_store_job *w = fd->want;
    if (memcmp(&got->id, &w->id, sizeof(GUID)))
        return 0;
    fd->seen++;
    fd->bad += compare("job", job_fields, NF(job_fields), w, got);
    if (got->nfiles != w->nfiles || got->ncreds != w->ncreds) {
        fprintf(stderr, "\nfiles %u/%u creds %u/%u\n", got->nfiles, w->nfiles,
                got->ncreds, w->ncreds);
        fd->bad++;
        return 0;
    }
    for (uint32_t f = 0; f < w->nfiles; f++) {
        const struct ref_store_file *a = &w->files[f], *b = &got->files[f];
        fd->bad += compare("file", file_fields, NF(file_fields), a, b);
        if (a->nranges != b->nranges || a->nrequested != b->nrequested ||
            (a->nranges &&
             memcmp(a->ranges, b->ranges, a->nranges * sizeof *a->ranges)) ||
            (a->nrequested && memcmp(a->requested, b->requested,
                                     a->nrequested * sizeof *a->requested))) {
            fprintf(stderr, "\nfile %u: ranges differ\n", f);
            fd->bad++;
        }
    }
    for (uint32_t k = 0; k < w->ncreds; k++)
        if (w->creds[k].target != got->creds[k].target ||
            w->creds[k].scheme != got->creds[k].scheme ||
            !wsame(w->creds[k].user, got->creds[k].user) ||
            !wsame(w->creds[k].password, got->creds[k].password)) {
            fprintf(stderr, "\ncredential %u differs\n", k);
            fd->bad++;
        }
    return 0;
}

static void roundtrip_jobs(void)
{
    const char *dir = st_scratch(0);
    static struct rt_data d[NF(rt_cases)];
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    for (size_t i = 0; i < NF(rt_cases); i++) {
        build_case(&rt_cases[i], &d[i]);
        EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, &d[i].job));
    }
    ref_store_close(s);
    s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    for (size_t i = 0; i < NF(rt_cases); i++) {
        struct found fd = {&d[i].job, 0, 0};
        EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, rt_cb, &fd));
        if (fd.seen != 1 || fd.bad)
            fprintf(stderr, "\ncase \"%s\": seen %d, %d differences\n",
                    rt_cases[i].name, fd.seen, fd.bad);
        CU_ASSERT_EQUAL(fd.seen, 1);
        CU_ASSERT_EQUAL(fd.bad, 0);
    }
    ref_store_close(s);
    pool_free();
}

struct dl_found {
    const struct ref_store_download *want;
    int seen, bad;
};

static int dl_cb(const struct ref_store_download *got, void *ctx)
{
    struct dl_found *fd = ctx;
    if (memcmp(&got->id, &fd->want->id, sizeof(GUID)))
        return 0;
    fd->seen++;
    fd->bad += compare("download", dl_fields, NF(dl_fields), fd->want, got);
    if (got->nranges != fd->want->nranges ||
        (got->nranges && memcmp(got->ranges, fd->want->ranges,
                                got->nranges * sizeof *got->ranges)))
        fd->bad++;
    return 0;
}

static void roundtrip_downloads(void)
{
    const char *dir = st_scratch(0);
    struct ref_store *s = NULL;
    struct ref_store_download a, b;
    struct ref_store_range r[3] = {{0, 10}, {100, 1}, {5000, UINT64_MAX}};
    fill(dl_fields, NF(dl_fields), &a, 7);
    a.ranges = r;
    a.nranges = 3;
    fill(dl_fields, NF(dl_fields), &b, 8);
    blank_optional(dl_fields, NF(dl_fields), &b, NULL);
    b.ranges = NULL;
    b.nranges = 0;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_download(s, &a));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_download(s, &b));
    ref_store_close(s);
    s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    struct dl_found fa = {&a, 0, 0}, fb = {&b, 0, 0};
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_downloads(s, NULL, dl_cb, &fa));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_downloads(s, NULL, dl_cb, &fb));
    CU_ASSERT_EQUAL(fa.seen, 1);
    CU_ASSERT_EQUAL(fa.bad, 0);
    CU_ASSERT_EQUAL(fb.seen, 1);
    CU_ASSERT_EQUAL(fb.bad, 0);
    /* state update (the whole record, as the DO wiring writes it), then
     * delete */
    a.state = 2;
    a.error_code = 0;
    a.extended_error = 0x80070002u;
    a.bytes_total = a.bytes_transferred = 99;
    a.modified = 12345;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_download(s, &a));
    fa.seen = fa.bad = 0;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_downloads(s, NULL, dl_cb, &fa));
    CU_ASSERT_EQUAL(fa.seen, 1);
    CU_ASSERT_EQUAL(fa.bad, 0);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_delete_download(s, &a.id));
    EXPECT_ERR(REF_STORE_E_NOT_FOUND, ref_store_delete_download(s, &a.id));
    fa.seen = 0;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_downloads(s, NULL, dl_cb, &fa));
    CU_ASSERT_EQUAL(fa.seen, 0);
    ref_store_close(s);
    pool_free();
}

/* ---- owners, small writes ------------------------------------------------ */

struct ids {
    uint32_t ids[16];
    unsigned n;
    int32_t state[16];
};

static int ids_cb(const struct ref_store_job *j, void *ctx)
{
    struct ids *x = ctx;
    if (x->n < 16) {
        x->state[x->n] = j->state;
        x->ids[x->n++] = j->id.Data1;
    }
    return 0;
}

static void owner_filter_and_order(void)
{
    static const WCHAR alice[] = u"S-1-5-21-0-0-0-1001";
    static const WCHAR bob[] = u"S-1-5-21-0-0-0-1002";
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(st_scratch(0), &s));
    /* created times out of id order: loading follows creation */
    static const uint32_t id[] = {5, 3, 9, 1};
    static const uint64_t created[] = {40, 10, 30, 20};
    for (int i = 0; i < 4; i++) {
        struct ref_store_job j = *st_job_of(id[i], 0);
        j.owner = i % 2 ? bob : alice;
        j.created = created[i];
        EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, &j));
    }
    struct ids all = {0}, a = {0}, b = {0};
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, ids_cb, &all));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, alice, ids_cb, &a));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, bob, ids_cb, &b));
    CU_ASSERT_EQUAL(all.n, 4);
    EXPECT_U64(3, all.ids[0]);
    EXPECT_U64(1, all.ids[1]);
    EXPECT_U64(9, all.ids[2]);
    EXPECT_U64(5, all.ids[3]);
    CU_ASSERT_EQUAL(a.n, 2);
    EXPECT_U64(9, a.ids[0]);
    EXPECT_U64(5, a.ids[1]);
    CU_ASSERT_EQUAL(b.n, 2);
    EXPECT_U64(3, b.ids[0]);
    EXPECT_U64(1, b.ids[1]);
    ref_store_close(s);
}

static int stop_cb(const struct ref_store_job *j, void *ctx)
{
    (void)j;
    return ++*(int *)ctx == 2 ? 42 : 0;
}

static int get_cb(const struct ref_store_job *j, void *ctx)
{
    struct ref_store_job *out = ctx;
    if (j->id.Data1 != out->id.Data1)
        return 0;
    out->state = j->state;
    out->error = j->error;
    out->error_count = j->error_count;
    out->modified = j->modified;
    out->transfer_completed = j->transfer_completed;
    out->nfiles = j->nfiles;
    if (j->nfiles) {
        out->max_download_size = j->files[0].transferred;
        out->min_notify_interval = (uint32_t)j->files[0].done;
        out->cost_flags = (uint32_t)j->files[0].last_modified;
        out->acl_flags = j->files[0].etag ? j->files[0].etag[0] : 0;
    }
    return 0;
}

static void small_writes(void)
{
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(st_scratch(0), &s));
    const struct ref_store_job *j = st_job_of(77, 0);
    GUID id = j->id, other = j->id;
    other.Data1 = 78;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, j));

    /* A state change and one file's progress, as the watch thread writes
     * them: a part record (S23) of the job row and file 0. */
    struct ref_store_job u = *j;
    struct ref_store_file f0 = j->files[0];
    u.state = 4; /* ERROR */
    u.error = (struct ref_store_error){1, 5, 0x80190194u, 0};
    u.error_count = 3;
    u.modified = 999;
    u.transfer_completed = 0;
    f0.size = 500;
    f0.transferred = 250;
    f0.done = 1;
    f0.etag = u"W/\"x\"";
    f0.last_modified = 4444;
    u.files = &f0;
    u.nfiles = 1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job_part(s, &u));
    u.id = other;
    EXPECT_ERR(REF_STORE_E_NOT_FOUND, ref_store_put_job_part(s, &u));
    EXPECT_TRUE(st_contains(ref_store_last_error(), ref_store_path(s)));

    struct ref_store_job got = {.id = id};
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, get_cb, &got));
    EXPECT_U64(4, got.state);
    EXPECT_U64(1, got.error.set);
    EXPECT_U64(5, got.error.context);
    EXPECT_U64(0x80190194u, got.error.code);
    EXPECT_U64(0, got.error.file);
    EXPECT_U64(3, got.error_count);
    EXPECT_U64(999, got.modified);
    EXPECT_U64(250, got.max_download_size);
    EXPECT_U64(1, got.min_notify_interval);
    EXPECT_U64(4444, got.cost_flags);
    EXPECT_U64('W', got.acl_flags);

    /* a callback's non-zero return stops the walk and is returned */
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(78, 0)));
    int calls = 0;
    CU_ASSERT_EQUAL(ref_store_load_jobs(s, NULL, stop_cb, &calls), 42);
    CU_ASSERT_EQUAL(calls, 2);

    EXPECT_ERR(REF_STORE_E_OK, ref_store_delete_job(s, &id));
    EXPECT_ERR(REF_STORE_E_NOT_FOUND, ref_store_delete_job(s, &id));
    unsigned n;
    EXPECT_ERR(REF_STORE_E_OK, st_count_jobs(s, &n));
    CU_ASSERT_EQUAL(n, 1);
    ref_store_close(s);
}

static int check_cb(const struct ref_store_job *j, void *ctx)
{
    *(int *)ctx = st_job_check(j, j->id.Data1);
    return 0;
}

/* The three files a part write is checked by: count, file 0's and file
 * 1's recorded bytes. */
struct part_seen {
    uint32_t id, nfiles;
    uint64_t t0, t1;
    int same; /* st_job_check's verdict */
};

static int part_cb(const struct ref_store_job *j, void *ctx)
{
    struct part_seen *p = ctx;
    if (j->id.Data1 != p->id)
        return 0;
    p->nfiles = j->nfiles;
    p->t0 = j->nfiles > 0 ? j->files[0].transferred : 0;
    p->t1 = j->nfiles > 1 ? j->files[1].transferred : 0;
    p->same = st_job_check(j, p->id);
    return 0;
}

/* ref_store_put_job_part (S23): the row and the listed files replace
 * what is stored, the other files stay, and a job without a record is
 * NOT_FOUND with nothing written. */
static void part_writes(void)
{
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(st_scratch(0), &s));
    const struct ref_store_job *j = st_job_of(83, 0); /* 4 files */
    CU_ASSERT_EQUAL_FATAL(j->nfiles, 4);
    struct ref_store_job head = *j, tail = *j;
    head.nfiles = 3;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, &head));
    /* the fourth file alone: the record becomes the whole job */
    tail.files = &j->files[3];
    tail.nfiles = 1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job_part(s, &tail));
    struct part_seen seen = {.id = 83};
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, part_cb, &seen));
    EXPECT_U64(4, seen.nfiles);
    CU_ASSERT_EQUAL(seen.same, 0);
    /* file 0 rewritten with new progress; file 1 keeps its row */
    struct ref_store_file f0 = j->files[0];
    f0.transferred = 777;
    tail.files = &f0;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job_part(s, &tail));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, part_cb, &seen));
    EXPECT_U64(4, seen.nfiles);
    EXPECT_U64(777, seen.t0);
    EXPECT_U64(j->files[1].transferred, seen.t1);
    /* no record: NOT_FOUND, and no job appears */
    struct ref_store_job ghost = tail;
    ghost.id.Data1 = 84;
    EXPECT_ERR(REF_STORE_E_NOT_FOUND, ref_store_put_job_part(s, &ghost));
    EXPECT_TRUE(st_contains(ref_store_last_error(), "no record"));
    unsigned n;
    EXPECT_ERR(REF_STORE_E_OK, st_count_jobs(s, &n));
    CU_ASSERT_EQUAL(n, 1);
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_put_job_part(NULL, &tail));
    /* the unsynced write (S25) stores the same; file 0 back to its bytes */
    tail.files = &j->files[0];
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job_lazy(s, &tail, 1));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, part_cb, &seen));
    EXPECT_U64(j->files[0].transferred, seen.t0);
    CU_ASSERT_EQUAL(seen.same, 0);
    EXPECT_ERR(REF_STORE_E_NOT_FOUND, ref_store_put_job_lazy(s, &ghost, 1));
    ref_store_close(s);
}

/* ---- batches (S29) ------------------------------------------------------ */

struct other_writer {
    struct ref_store *s;
    const struct ref_store_job *job;
    int err;
    int done; /* atomic */
};

static void *write_from_other_thread(void *arg)
{
    struct other_writer *w = arg;
    w->err = ref_store_put_job(w->s, w->job);
    __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* One transaction for every write of the thread that holds the batch;
 * a failed write inside rolls back only itself; another thread's write
 * waits for the end; begin and end check who holds what.  Job 95 has 4
 * files with 2 ranges each. */
static void batch_writes(void)
{
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(st_scratch(0), &s));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(95, 0)));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_batch_begin(NULL));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_batch_end(s));
    EXPECT_TRUE(st_contains(ref_store_last_error(), "holds no batch"));

    EXPECT_ERR(REF_STORE_E_OK, ref_store_batch_begin(s));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_batch_begin(s));
    EXPECT_TRUE(st_contains(ref_store_last_error(), "already holds a batch"));
    /* slot 1 belongs to the other thread until it is joined */
    struct other_writer w = {.s = s, .job = st_job_of(97, 1)};
    pthread_t t;
    CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, write_from_other_thread, &w),
                          0);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(96, 0)));
    /* file 0 of job 95 gets new bytes and loses its ranges (an UPDATE,
     * S28) */
    const struct ref_store_job *j = st_job_of(95, 0);
    CU_ASSERT_EQUAL_FATAL(j->files[0].nranges, 2);
    struct ref_store_job part = *j;
    struct ref_store_file f0 = j->files[0];
    f0.transferred = 555;
    f0.nranges = 0;
    f0.ranges = NULL;
    part.files = &f0;
    part.nfiles = 1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job_lazy(s, &part, 1));
    struct ref_store_job ghost = part;
    ghost.id.Data1 = 9090;
    EXPECT_ERR(REF_STORE_E_NOT_FOUND, ref_store_put_job_part(s, &ghost));
    EXPECT_ERR(REF_STORE_E_NOT_FOUND, ref_store_delete_job(s, &ghost.id));
    usleep(100 * 1000);
    /* the other thread waits for the store's mutex until the end */
    CU_ASSERT_EQUAL(__atomic_load_n(&w.done, __ATOMIC_ACQUIRE), 0);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_batch_end(s));
    pthread_join(t, NULL);
    EXPECT_ERR(REF_STORE_E_OK, w.err);
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_batch_end(s));

    unsigned n = 0;
    EXPECT_ERR(REF_STORE_E_OK, st_count_jobs(s, &n));
    CU_ASSERT_EQUAL(n, 3); /* 95, 96, 97; no ghost */
    struct part_seen seen = {.id = 95};
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, part_cb, &seen));
    EXPECT_U64(4, seen.nfiles);
    EXPECT_U64(555, seen.t0);
    EXPECT_U64(95 + 1, seen.t1);       /* file 1 untouched */
    CU_ASSERT_NOT_EQUAL(seen.same, 0); /* file 0 differs from job 95 */
    for (uint32_t id = 96; id <= 97; id++) {
        seen.id = id;
        seen.same = -1;
        EXPECT_ERR(REF_STORE_E_OK,
                   ref_store_load_jobs(s, NULL, part_cb, &seen));
        CU_ASSERT_EQUAL(seen.same, 0);
    }
    /* file 0 back with its ranges: the record equals job 95 again */
    j = st_job_of(95, 0);
    part = *j;
    part.files = &j->files[0];
    part.nfiles = 1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_batch_begin(s));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job_part(s, &part));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_batch_end(s));
    seen.id = 95;
    seen.same = -1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, part_cb, &seen));
    CU_ASSERT_EQUAL(seen.same, 0);
    ref_store_close(s);
}

/* Group sync (S31): off after open (every commit synced); on, a commit
 * waits for ref_store_flush, whose checkpoint brings it to the disk; the
 * records are the same either way. */
static void group_sync(void)
{
    struct ref_store *s = NULL;
    char dir[320];
    snprintf(dir, sizeof dir, "%s", st_scratch(0));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    CU_ASSERT_EQUAL(ref_store_unsynced(s), 0);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(110, 0)));
    CU_ASSERT_EQUAL(ref_store_unsynced(s), 0); /* FULL: synced at commit */
    EXPECT_ERR(REF_STORE_E_OK, ref_store_set_group_sync(s, 1));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(111, 0)));
    CU_ASSERT_EQUAL(ref_store_unsynced(s), 1);
    GUID id = st_job_of(110, 0)->id;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_delete_job_leaving(s, &id, NULL, 0));
    CU_ASSERT_EQUAL(ref_store_unsynced(s), 1);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_flush(s));
    CU_ASSERT_EQUAL(ref_store_unsynced(s), 0);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_flush(s)); /* nothing to do */
    /* a batch commits unsynced in either mode */
    EXPECT_ERR(REF_STORE_E_OK, ref_store_set_group_sync(s, 0));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_batch_begin(s));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(112, 0)));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_batch_end(s));
    CU_ASSERT_EQUAL(ref_store_unsynced(s), 1);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(113, 0)));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_flush(s));
    CU_ASSERT_EQUAL(ref_store_unsynced(s), 0);
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_flush(NULL));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_set_group_sync(NULL, 1));
    CU_ASSERT_EQUAL(ref_store_unsynced(NULL), 0);
    ref_store_close(s);
    /* what was written is what a new connection reads */
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    unsigned n = 0;
    EXPECT_ERR(REF_STORE_E_OK, st_count_jobs(s, &n));
    CU_ASSERT_EQUAL(n, 3); /* 111, 112, 113 */
    for (uint32_t k = 111; k <= 113; k++) {
        struct part_seen seen = {.id = k, .same = -1};
        EXPECT_ERR(REF_STORE_E_OK,
                   ref_store_load_jobs(s, NULL, part_cb, &seen));
        CU_ASSERT_EQUAL(seen.same, 0);
    }
    ref_store_close(s);
}

/* A write that fails half-way leaves the previous record as it was. */
static void failed_write_is_rolled_back(void)
{
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(st_scratch(0), &s));
    struct ref_store_job j = *st_job_of(3, 0); /* 4 files */
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, &j));
    /* the same job again, description changed and two files with index 1:
     * the fourth INSERT fails after the job row and three files went in */
    struct ref_store_file files[4];
    memcpy(files, j.files, sizeof files);
    files[2].index = 1;
    j.files = files;
    j.description = u"changed";
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_put_job(s, &j));
    EXPECT_TRUE(st_contains(ref_store_last_error(), "UNIQUE"));
    /* still one job, with the old description and its four files */
    unsigned n = 0;
    EXPECT_ERR(REF_STORE_E_OK, st_count_jobs(s, &n));
    CU_ASSERT_EQUAL(n, 1);
    int rc = -99;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, check_cb, &rc));
    CU_ASSERT_EQUAL(rc, 0);
    ref_store_close(s);
}

static void failed_write_keeps_old_contents(void)
{
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(st_scratch(0), &s));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(7, 0)));
    struct ref_store_job j = *st_job_of(7, 0);
    struct ref_store_file files[4];
    memcpy(files, j.files, j.nfiles * sizeof *files);
    files[j.nfiles - 1].index = 0;
    files[0].size = 1;
    j.files = files;
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_put_job(s, &j));
    int rc = -99;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, check_cb, &rc));
    CU_ASSERT_EQUAL(rc, 0);
    ref_store_close(s);
}

/* ---- temporary files ----------------------------------------------------- */

static void touch(const char *p)
{
    int fd = open(p, O_CREAT | O_WRONLY, 0600);
    if (fd >= 0)
        close(fd);
}

static WCHAR *wpath(const char *p)
{
    size_t n = strlen(p);
    WCHAR *w = calloc(n + 1, sizeof(WCHAR));
    for (size_t i = 0; i < n; i++)
        w[i] = (WCHAR)(unsigned char)p[i];
    if (npool < NF(pool))
        pool[npool++] = w;
    return w;
}

static void cleanup_temps(void)
{
    const char *d0 = st_scratch(1);
    char dir[320], p[9][400];
    snprintf(dir, sizeof dir, "%s", d0);
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    /* job A (kept), job B (deleted: its temp is an orphan), job C
     * (deleted, temp gone after the deletion), job D (deleted, but its
     * temp is in the live list), a download E (deleted), an unrelated
     * file that merely looks like ours, a recorded name that is not .tmp,
     * job F whose temp was gone when it was deleted (not recorded by
     * ref_store_delete_job, so a file made there later is not touched),
     * and job G purged as too old (S30: its names are recorded then) */
    static const char *const names[] = {
        "BITAAAAAAAA0000.tmp", "BITBBBBBBBB0000.tmp", "BITCCCCCCCC0000.tmp",
        "BITDDDDDDDD0000.tmp", "download-e.tmp",      "BIT000000000000.tmp",
        "precious.dat",        "BITFFFFFFFF0000.tmp", "BIT99999999000.tmp"};
    for (int i = 0; i < 9; i++)
        snprintf(p[i], sizeof p[i], "%s/%s", dir, names[i]);
    for (int i = 0; i < 7; i++)
        touch(p[i]);
    for (uint32_t k = 0; k < 4; k++) {
        struct ref_store_job j = *st_job_of(100 + k, 0);
        struct ref_store_file f = j.files[0];
        f.temp = wpath(p[k]);
        j.files = &f;
        j.nfiles = 1;
        EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, &j));
    }
    struct ref_store_download dl = {0};
    dl.id.Data1 = 555;
    dl.owner = u"S-1-5-21-0-0-0-1000";
    dl.temp = wpath(p[4]);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_download(s, &dl));
    struct ref_store_job odd = *st_job_of(200, 0);
    struct ref_store_file of = odd.files[0];
    of.temp = wpath(p[6]);
    odd.files = &of;
    odd.nfiles = 1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, &odd));
    for (uint32_t k = 1; k < 4; k++) {
        GUID g = st_job_of(100 + k, 0)->id;
        EXPECT_ERR(REF_STORE_E_OK, ref_store_delete_job(s, &g));
    }
    GUID og = odd.id;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_delete_job(s, &og));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_delete_download(s, &dl.id));
    struct ref_store_job fj = *st_job_of(104, 0);
    struct ref_store_file ff = fj.files[0];
    ff.temp = wpath(p[7]);
    fj.files = &ff;
    fj.nfiles = 1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, &fj));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_delete_job(s, &fj.id));
    touch(p[7]);  /* after F's deletion: not recorded any more */
    unlink(p[2]); /* C's temp goes after its deletion */
    struct ref_store_job gj = *st_job_of(105, 0);
    struct ref_store_file gf = gj.files[0];
    gf.temp = wpath(p[8]);
    gj.files = &gf;
    gj.nfiles = 1;
    gj.mode = 1;
    gj.modified = 5;
    touch(p[8]);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, &gj));
    unsigned purged = 0;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_purge(s, 1, 0, 10, &purged));
    EXPECT_U64(1, purged);                /* G only */
    EXPECT_TRUE(access(p[8], F_OK) == 0); /* a purge deletes no file */

    const WCHAR *live[] = {wpath(p[3])};
    struct ref_store_cleanup r;
    memset(&r, 0xCD, sizeof r);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_cleanup_temps(s, live, 1, &r));
    EXPECT_U64(3, r.removed); /* B, E, G */
    EXPECT_U64(1, r.missing); /* C */
    EXPECT_U64(1, r.kept);    /* precious.dat: recorded, not .tmp */
    EXPECT_U64(0, r.failed);
    EXPECT_TRUE(access(p[0], F_OK) == 0);
    EXPECT_TRUE(access(p[1], F_OK) != 0);
    EXPECT_TRUE(access(p[3], F_OK) == 0);
    EXPECT_TRUE(access(p[4], F_OK) != 0);
    EXPECT_TRUE(access(p[5], F_OK) == 0); /* never recorded */
    EXPECT_TRUE(access(p[6], F_OK) == 0);
    EXPECT_TRUE(access(p[7], F_OK) == 0); /* forgotten with job F */
    EXPECT_TRUE(access(p[8], F_OK) != 0); /* purged job G */
    /* a second run finds only D (live list now empty) */
    memset(&r, 0xCD, sizeof r);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_cleanup_temps(s, NULL, 0, &r));
    EXPECT_U64(1, r.removed);
    EXPECT_U64(0, r.missing);
    EXPECT_U64(0, r.kept);
    EXPECT_TRUE(access(p[3], F_OK) != 0);
    EXPECT_TRUE(access(p[0], F_OK) == 0); /* A still a job */
    ref_store_close(s);
    pool_free();
}

/* ref_store_delete_job_leaving (S30): exactly the names the caller says
 * it may leave are recorded; the disk is not looked at. */
static void delete_leaving(void)
{
    const char *d0 = st_scratch(1);
    char dir[320], p[3][400];
    snprintf(dir, sizeof dir, "%s", d0);
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    for (int i = 0; i < 3; i++) {
        snprintf(p[i], sizeof p[i], "%s/BIT7777777700%02d.tmp", dir, i);
        touch(p[i]);
    }
    struct ref_store_job j = *st_job_of(107, 0); /* 4 files */
    struct ref_store_file f[3];
    for (int i = 0; i < 3; i++) {
        f[i] = j.files[i];
        f[i].temp = wpath(p[i]);
    }
    j.files = f;
    j.nfiles = 3;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, &j));
    EXPECT_ERR(REF_STORE_E_INVALID,
               ref_store_delete_job_leaving(s, &j.id, NULL, 1));
    EXPECT_ERR(REF_STORE_E_INVALID,
               ref_store_delete_job_leaving(NULL, &j.id, NULL, 0));
    /* file 0 "renamed" (not listed though on disk), file 1 left, a NULL
     * entry skipped, file 2 left but already gone */
    unlink(p[2]);
    const WCHAR *left[] = {f[1].temp, NULL, f[2].temp};
    EXPECT_ERR(REF_STORE_E_OK, ref_store_delete_job_leaving(s, &j.id, left, 3));
    EXPECT_ERR(REF_STORE_E_NOT_FOUND,
               ref_store_delete_job_leaving(s, &j.id, left, 3));
    unsigned n = 9;
    EXPECT_ERR(REF_STORE_E_OK, st_count_jobs(s, &n));
    CU_ASSERT_EQUAL(n, 0);
    struct ref_store_cleanup r;
    memset(&r, 0xCD, sizeof r);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_cleanup_temps(s, NULL, 0, &r));
    EXPECT_U64(1, r.removed); /* file 1 */
    EXPECT_U64(1, r.missing); /* file 2 */
    EXPECT_U64(0, r.kept);
    EXPECT_U64(0, r.failed);
    EXPECT_TRUE(access(p[0], F_OK) == 0); /* never recorded */
    EXPECT_TRUE(access(p[1], F_OK) != 0);
    ref_store_close(s);
    pool_free();
}

static void purge_old_records(void)
{
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(st_scratch(0), &s));
    for (uint32_t k = 0; k < 4; k++) {
        struct ref_store_job j = *st_job_of(k, 0);
        j.mode = (int32_t)(k % 2);
        j.modified = 100 + k;
        EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, &j));
    }
    struct ref_store_download dl = {0};
    dl.owner = u"x";
    dl.modified = 50;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_download(s, &dl));
    unsigned n = 99;
    /* DO jobs (mode 1: ids 1, 3) older than 102, plus downloads */
    EXPECT_ERR(REF_STORE_E_OK, ref_store_purge(s, 1, 1, 102, &n));
    EXPECT_U64(2, n); /* job 1 (101) and the download (50) */
    struct ids x = {0};
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, ids_cb, &x));
    EXPECT_U64(3, x.n);
    n = 99;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_purge(s, 0, 0, 1000, &n));
    EXPECT_U64(2, n);
    ref_store_close(s);
}

static void change_detection(void)
{
    const char *d = st_scratch(0);
    char dir[320];
    snprintf(dir, sizeof dir, "%s", d);
    struct ref_store *a = NULL, *b = NULL;
    int ch = -1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &a));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &b));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_changed(a, &ch));
    CU_ASSERT_EQUAL(ch, 0); /* first call */
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(a, st_job_of(1, 0)));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_changed(a, &ch));
    CU_ASSERT_EQUAL(ch, 0); /* its own commit */
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(b, st_job_of(2, 0)));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_changed(a, &ch));
    CU_ASSERT_EQUAL(ch, 1);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_changed(a, &ch));
    CU_ASSERT_EQUAL(ch, 0);
    ref_store_close(a);
    ref_store_close(b);
}

CU_TestInfo st_records_tests[] = {
    {"roundtrip_jobs", roundtrip_jobs},
    {"roundtrip_downloads", roundtrip_downloads},
    {"owner_filter_and_order", owner_filter_and_order},
    {"small_writes", small_writes},
    {"part_writes", part_writes},
    {"batch_writes", batch_writes},
    {"group_sync", group_sync},
    {"failed_write_is_rolled_back", failed_write_is_rolled_back},
    {"failed_write_keeps_old_contents", failed_write_keeps_old_contents},
    {"cleanup_temps", cleanup_temps},
    {"delete_leaving", delete_leaving},
    {"purge_old_records", purge_old_records},
    {"change_detection", change_detection},
    CU_TEST_INFO_NULL,
};
