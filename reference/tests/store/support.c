/*
 * support.c - scratch directories and derived job records for the store
 * tests (store_test.h).
 */
#include "store_test.h"

#define _XOPEN_SOURCE_EXTRA
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];
static unsigned serial;
static char path[320];

const char *st_scratch(int create)
{
    if (!root[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(root, sizeof root, "%s/docts-store-tests-%ld",
                 t && *t ? t : "/tmp", (long)getpid());
        mkdir(root, 0700);
    }
    snprintf(path, sizeof path, "%s/%u", root, ++serial);
    if (create)
        mkdir(path, 0700);
    return path;
}

static int rm_one(const char *p, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(p);
    return 0;
}

void st_scratch_cleanup(void)
{
    if (root[0] && !getenv("STORE_TESTS_KEEP"))
        nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int st_contains(const char *s, const char *sub)
{
    return s && sub && strstr(s, sub) != NULL;
}

/* ---- derived jobs ------------------------------------------------------- */

#define MAXF 4
#define MAXR 3

struct slot {
    struct ref_store_job job;
    struct ref_store_file files[MAXF];
    struct ref_store_range ranges[MAXF][MAXR];
    WCHAR desc[260];
    WCHAR remote[MAXF][64];
    WCHAR local[MAXF][64];
    WCHAR temp[MAXF][64];
};
static struct slot slots[2];

static void wfmt(WCHAR *out, size_t n, const char *fmt, uint32_t a, uint32_t b)
{
    char buf[128];
    snprintf(buf, sizeof buf, fmt, a, b);
    size_t i = 0;
    for (; buf[i] && i + 1 < n; i++)
        out[i] = (WCHAR)(unsigned char)buf[i];
    out[i] = 0;
}

static const WCHAR owner_sid[] = u"S-1-5-21-0-0-0-1000";
static const WCHAR name[] = u"crash job \u00e9\U0001F600";

const struct ref_store_job *st_job_of(uint32_t n, int slot)
{
    struct slot *s = &slots[slot];
    memset(s, 0, sizeof *s);
    struct ref_store_job *j = &s->job;
    j->id.Data1 = n;
    j->id.Data2 = 0x5151;
    j->id.Data3 = 0x7e57;
    j->id.Data4[7] = (uint8_t)n;
    j->owner = owner_sid;
    j->display_name = name;
    uint32_t dl = 40 + n % 200;
    for (uint32_t i = 0; i < dl; i++)
        s->desc[i] = (WCHAR)('a' + (n + i) % 26);
    s->desc[dl] = 0;
    j->description = s->desc;
    j->state = (int32_t)(n % 5);
    j->priority = (int32_t)(n % 4);
    j->created = 132000000000000000ull + n;
    j->modified = j->created;
    j->error.file = -1;
    j->nfiles = 1 + n % MAXF;
    j->files = s->files;
    for (uint32_t f = 0; f < j->nfiles; f++) {
        struct ref_store_file *r = &s->files[f];
        r->index = f;
        wfmt(s->remote[f], 64, "http://127.0.0.1/f/%u/%u", n, f);
        wfmt(s->local[f], 64, "/tmp/none/out-%u-%u", n, f);
        wfmt(s->temp[f], 64, "/tmp/none/BIT%08X%04X.tmp", n, f);
        r->remote = s->remote[f];
        r->local = s->local[f];
        r->temp = s->temp[f];
        r->proto = 1;
        r->size = 1000ull * n + f;
        r->transferred = n + f;
        r->integrity_mandatory = -1;
        r->nranges = n % MAXR;
        r->ranges = r->nranges ? s->ranges[f] : NULL;
        for (uint32_t k = 0; k < r->nranges; k++) {
            s->ranges[f][k].offset = 100ull * k + n;
            s->ranges[f][k].length = k + 1;
        }
    }
    return j;
}

static int wequal(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b)
        return a == b;
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

int st_job_check(const struct ref_store_job *rec, uint32_t n)
{
    const struct ref_store_job *w = st_job_of(n, 1);
    if (memcmp(&rec->id, &w->id, sizeof w->id) ||
        !wequal(rec->owner, w->owner) ||
        !wequal(rec->display_name, w->display_name) ||
        !wequal(rec->description, w->description) ||
        rec->priority != w->priority || rec->created != w->created ||
        rec->nfiles != w->nfiles)
        return -1;
    for (uint32_t f = 0; f < w->nfiles; f++) {
        const struct ref_store_file *a = &rec->files[f], *b = &w->files[f];
        if (a->index != b->index || !wequal(a->remote, b->remote) ||
            !wequal(a->local, b->local) || !wequal(a->temp, b->temp) ||
            a->size != b->size || a->transferred != b->transferred ||
            a->nranges != b->nranges)
            return -2;
        for (uint32_t k = 0; k < b->nranges; k++)
            if (a->ranges[k].offset != b->ranges[k].offset ||
                a->ranges[k].length != b->ranges[k].length)
                return -3;
    }
    return 0;
}

static int count_cb(const struct ref_store_job *j, void *ctx)
{
    (void)j;
    ++*(unsigned *)ctx;
    return 0;
}

int st_count_jobs(struct ref_store *s, unsigned *n)
{
    *n = 0;
    return ref_store_load_jobs(s, NULL, count_cb, n);
}
