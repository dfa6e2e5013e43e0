/*
 * ref_util.c - small helpers shared by the COM classes: UTF-16 strings
 * (all allocations through the seam; the conversions are here once:
 * UTF-16 -> UTF-8 through libdocom's strict converter, engine bytes ->
 * UTF-16 by ISO-8859-1 widening), GUID generation, the live-object
 * count, the client-interface box, the BITS -> DO code substitution and
 * the validation of remote names, local names and byte ranges
 * (docs/decisions.md D1, R12, R13, R15).  Layer base (ref_util.h):
 * imports nothing of the reference (docs/architecture.md "Layers").
 */
#include "ref_util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- mode codes -------------------------------------------------------- */

/* spec/errors.md §4.2, one row per substituted code. */
static const struct {
    HRESULT bits, dosvc;
} do_codes[] = {
    {BG_E_INVALID_STATE, DO_E_INVALID_STATE},
    {BG_E_EMPTY, DO_E_JOB_EMPTY},
    {BG_E_NOT_FOUND, DO_E_JOB_NOT_FOUND},
    {BG_E_ERROR_INFORMATION_UNAVAILABLE, DO_E_ERROR_INFORMATION_UNAVAILABLE},
    {BG_E_INVALID_RANGE, DO_E_INVALID_RANGE},
    {BG_E_OVERLAPPING_RANGES, DO_E_OVERLAPPING_RANGES},
    {BG_E_INSUFFICIENT_RANGE_SUPPORT, DO_E_INSUFFICIENT_RANGE_SUPPORT},
    {BG_E_FILE_NOT_AVAILABLE, DO_E_FILE_NOT_AVAILABLE},
    {BG_E_BLOCKED_BY_COST_TRANSFER_POLICY,
     DO_E_BLOCKED_BY_COST_TRANSFER_POLICY},
    {BG_E_UNKNOWN_PROPERTY_ID, DO_E_UNKNOWN_PROPERTY_ID},
    {BG_E_READ_ONLY_PROPERTY, DO_E_READ_ONLY_PROPERTY},
};

HRESULT ref_hr(enum ref_mode mode, HRESULT bits)
{
    if (mode != REF_MODE_DO)
        return bits;
    for (size_t i = 0; i < sizeof do_codes / sizeof do_codes[0]; i++)
        if (do_codes[i].bits == bits)
            return do_codes[i].dosvc;
    return bits;
}

/* ---- live objects ------------------------------------------------------ */

static long objects_alive;

void ref_object_created(void)
{
    __atomic_add_fetch(&objects_alive, 1, __ATOMIC_ACQ_REL);
}

void ref_object_destroyed(void)
{
    __atomic_sub_fetch(&objects_alive, 1, __ATOMIC_ACQ_REL);
}

long ref_objects_alive(void)
{
    return __atomic_load_n(&objects_alive, __ATOMIC_ACQUIRE);
}

/* ---- client interface box ---------------------------------------------- */

struct ref_unk_box *ref_unk_box_new(IUnknown *punk)
{
    struct ref_unk_box *box = ref_alloc(sizeof *box);
    if (!box)
        return NULL;
    box->ref = 1;
    box->punk = punk;
    if (punk)
        punk->lpVtbl->AddRef(punk);
    return box;
}

void ref_unk_box_addref(struct ref_unk_box *box)
{
    if (box)
        __atomic_add_fetch(&box->ref, 1, __ATOMIC_ACQ_REL);
}

void ref_unk_box_release(struct ref_unk_box *box)
{
    if (!box || __atomic_sub_fetch(&box->ref, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    if (box->punk)
        box->punk->lpVtbl->Release(box->punk);
    ref_free(box);
}

/* ---- strings ----------------------------------------------------------- */

size_t ref_wcslen(const WCHAR *s)
{
    size_t n = 0;
    if (s)
        while (s[n])
            n++;
    return n;
}

int ref_wcscmp(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b)
        return a == b ? 0 : (a ? 1 : -1);
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (int)*a - (int)*b;
}

WCHAR *ref_wcsdup(const WCHAR *s)
{
    size_t n;
    WCHAR *d;
    if (!s)
        return NULL;
    n = ref_wcslen(s);
    d = ref_alloc((n + 1) * sizeof(WCHAR));
    if (d)
        memcpy(d, s, (n + 1) * sizeof(WCHAR));
    return d;
}

WCHAR *ref_wcscat2(const WCHAR *a, size_t alen, const WCHAR *b)
{
    size_t bl = ref_wcslen(b);
    WCHAR *d = ref_alloc((alen + bl + 1) * sizeof(WCHAR));
    if (!d)
        return NULL;
    memcpy(d, a, alen * sizeof(WCHAR));
    memcpy(d + alen, b, (bl + 1) * sizeof(WCHAR));
    return d;
}

HRESULT ref_task_wcsdup(const WCHAR *s, LPWSTR *out)
{
    size_t n;
    *out = NULL;
    if (!s)
        return S_OK;
    n = ref_wcslen(s);
    *out = ref_task_alloc((n + 1) * sizeof(WCHAR));
    if (!*out)
        return E_OUTOFMEMORY;
    memcpy(*out, s, (n + 1) * sizeof(WCHAR));
    return S_OK;
}

/* The one widening of bytes to UTF-16 (ISO-8859-1: each byte one unit),
 * into memory from alloc; NULL when out of memory. */
static WCHAR *widen_with(const char *s, void *(*alloc)(size_t))
{
    size_t n = strlen(s);
    WCHAR *w = alloc((n + 1) * sizeof *w);
    if (w)
        for (size_t i = 0; i <= n; i++)
            w[i] = (WCHAR)(unsigned char)s[i];
    return w;
}

WCHAR *ref_widen(const char *s)
{
    return s ? widen_with(s, ref_alloc) : NULL;
}

HRESULT ref_task_widen(const char *s, LPWSTR *out)
{
    *out = NULL;
    if (!s)
        return S_OK;
    *out = widen_with(s, ref_task_alloc);
    return *out ? S_OK : E_OUTOFMEMORY;
}

char *ref_utf8(const WCHAR *s)
{
    /* libdocom's strict converter is the project's one UTF-16 -> UTF-8
     * encoder; the copy moves the result into the allocation seam */
    char *u = s ? docom_utf8_from_utf16(s) : NULL, *d = NULL;
    if (u && (d = ref_alloc(strlen(u) + 1)))
        memcpy(d, u, strlen(u) + 1);
    free(u);
    return d;
}

/* ---- GUIDs ------------------------------------------------------------- */

void ref_guid_new(GUID *g)
{
    static uint64_t counter;
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        uint64_t t = ref_clock_now_ticks() ^
                     __atomic_add_fetch(&counter, 0x9E3779B97F4A7C15ULL,
                                        __ATOMIC_RELAXED);
        for (int i = 0; i < 16; i++)
            b[i] = (unsigned char)(t >> ((i % 8) * 8)) ^ (unsigned char)i;
    }
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    g->Data1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
               (uint32_t)b[2] << 8 | b[3];
    g->Data2 = (uint16_t)(b[4] << 8 | b[5]);
    g->Data3 = (uint16_t)(b[6] << 8 | b[7]);
    memcpy(g->Data4, b + 8, 8);
}

/* ---- remote names (R12) ------------------------------------------------ */

static int lower(WCHAR c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Non-zero when s starts with the ASCII prefix p, ignoring case. */
static int has_prefix_ci(const WCHAR *s, const char *p)
{
    for (; *p; p++, s++)
        if (!*s || lower(*s) != *p)
            return 0;
    return 1;
}

/* Characters a URL may carry unescaped (RFC 3986 reserved + unreserved
 * + '%'); anything else means the caller forgot to escape. */
static int url_char_ok(WCHAR c)
{
    if (c <= 0x20 || c >= 0x7F)
        return 0;
    return !strchr("<>\"{}|\\^`*", (int)c);
}

/* Each '/'-separated segment of s[from..] at most `max` units. */
static int segments_ok(const WCHAR *s, size_t from, size_t len, uint64_t max)
{
    size_t seg = 0;
    for (size_t i = from; i < len; i++) {
        if (s[i] == '/') {
            seg = 0;
        } else if (++seg > max) {
            return 0;
        }
    }
    return 1;
}

HRESULT ref_check_remote(enum ref_mode mode, const WCHAR *url,
                         enum ref_proto *proto)
{
    size_t len = ref_wcslen(url), rest;
    uint64_t seg_max = ref_policy(REF_POLICY_MAX_URL_SEGMENT);
    if (!url || len == 0 || len > ref_policy(REF_POLICY_MAX_URL))
        return E_INVALIDARG;
    if (has_prefix_ci(url, "http://") || has_prefix_ci(url, "https://")) {
        rest = has_prefix_ci(url, "https://") ? 8 : 7;
        if (rest >= len || url[rest] == '/' || url[rest] == '?' ||
            url[rest] == '#')
            return E_INVALIDARG; /* no host */
        for (size_t i = 0; i < len; i++)
            if (!url_char_ok(url[i]))
                return E_INVALIDARG;
        if (!segments_ok(url, rest, len, seg_max))
            return E_INVALIDARG;
        *proto = REF_PROTO_HTTP;
        return S_OK;
    }
    if (mode == REF_MODE_DO)
        return E_INVALIDARG; /* DO serves HTTP(S) only (R12) */
    if (has_prefix_ci(url, "file://")) {
        if (len < 8 || url[7] != '/')
            return E_INVALIDARG; /* file:///absolute only: no host (UNC) */
        rest = 7;
    } else if (url[0] == '/') {
        rest = 0;
    } else {
        return E_INVALIDARG; /* relative name, UNC or unsupported scheme */
    }
    /* After file:// the local-path rules apply, not the URL ones: Windows
     * takes file://C:\... and unescaped names (Wine's file.c), so a space
     * or a backslash is a file name character here (I19).  An escape of
     * NUL would name a different file than the one written. */
    for (size_t i = rest; i < len; i++)
        if (url[i] < 0x20 || url[i] == '*' || url[i] == '?' ||
            (rest && url[i] == '%' && i + 2 < len && url[i + 1] == '0' &&
             url[i + 2] == '0'))
            return E_INVALIDARG;
    if (!segments_ok(url, 0, len, seg_max))
        return E_INVALIDARG;
    *proto = REF_PROTO_FILE;
    return S_OK;
}

/* ---- local names (R13) ------------------------------------------------- */

/* Non-zero when dir (UTF-8) is under the test's deny-write prefix. */
static int denied_by_policy(const char *dir)
{
    char prefix[4096];
    size_t n;
    if (!ref_policy_deny_write_prefix(prefix, sizeof prefix))
        return 0;
    n = strlen(prefix);
    while (n > 1 && prefix[n - 1] == '/')
        prefix[--n] = '\0';
    return strncmp(dir, prefix, n) == 0 &&
           (dir[n] == '\0' || dir[n] == '/' || prefix[n - 1] == '/');
}

HRESULT ref_check_local_memo(const WCHAR *path, int upload,
                             struct ref_local_memo *memo)
{
    size_t len = ref_wcslen(path);
    char *u8, *slash;
    struct stat st;
    HRESULT hr = S_OK;
    if (!path || len == 0 || path[0] != '/' || path[len - 1] == '/' ||
        len > ref_policy(REF_POLICY_MAX_LOCAL_PATH))
        return E_INVALIDARG;
    for (size_t i = 0; i < len; i++)
        if (path[i] < 0x20 || path[i] == '*' || path[i] == '?')
            return E_INVALIDARG;
    u8 = ref_utf8(path);
    if (!u8) {
        /* An unpaired surrogate is a bad name; otherwise memory ran out. */
        for (size_t i = 0; i < len; i++)
            if (path[i] >= 0xD800 && path[i] <= 0xDFFF)
                return E_INVALIDARG;
        return E_OUTOFMEMORY;
    }
    if (upload) {
        if (stat(u8, &st) != 0 || !S_ISREG(st.st_mode))
            hr = E_INVALIDARG;
        else if (access(u8, R_OK) != 0 || denied_by_policy(u8))
            hr = E_ACCESSDENIED;
        ref_free(u8);
        return hr;
    }
    slash = strrchr(u8, '/');
    if (slash == u8)
        slash[1] = '\0'; /* the root directory */
    else
        *slash = '\0';
    if (memo && memo->dir && strcmp(memo->dir, u8) == 0) {
        ref_free(u8);
        return memo->hr;
    }
    if (stat(u8, &st) != 0 || !S_ISDIR(st.st_mode))
        hr = E_INVALIDARG;
    else if (access(u8, W_OK | X_OK) != 0 || denied_by_policy(u8))
        hr = E_ACCESSDENIED;
    if (memo) {
        ref_free(memo->dir);
        memo->dir = u8;
        memo->hr = hr;
    } else {
        ref_free(u8);
    }
    return hr;
}

HRESULT ref_check_local(const WCHAR *path, int upload)
{
    return ref_check_local_memo(path, upload, NULL);
}

void ref_local_memo_free(struct ref_local_memo *memo)
{
    ref_free(memo->dir);
    memo->dir = NULL;
}

/* ---- ranges (R15) ------------------------------------------------------ */

/* End (exclusive) of a range; a range "to end of file" reaches every
 * later offset (decisions R15). */
static UINT64 range_end(const BG_FILE_RANGE *r)
{
    if (r->Length == BG_LENGTH_TO_EOF)
        return UINT64_MAX;
    return r->InitialOffset + r->Length;
}

HRESULT ref_check_ranges(enum ref_mode mode, const BG_FILE_RANGE *ranges,
                         DWORD n, UINT64 known_size)
{
    uint64_t max = ref_policy(REF_POLICY_MAX_RANGES_PER_FILE);
    if (n > max && !ref_owner_is_admin())
        return BG_E_TOO_MANY_RANGES_IN_FILE;
    /* Two ranges starting at one offset overlap whatever their lengths,
     * zero included: {100,5},{100,0} is OVERLAPPING (spec §6.1, RNG-04). */
    for (DWORD i = 0; i < n; i++)
        for (DWORD j = i + 1; j < n; j++)
            if (ranges[i].InitialOffset == ranges[j].InitialOffset)
                return ref_hr(mode, BG_E_OVERLAPPING_RANGES);
    for (DWORD i = 0; i < n; i++) {
        const BG_FILE_RANGE *r = &ranges[i];
        if (r->InitialOffset == BG_LENGTH_TO_EOF || r->Length == 0)
            return ref_hr(mode, BG_E_INVALID_RANGE);
        if (r->Length != BG_LENGTH_TO_EOF &&
            r->InitialOffset > UINT64_MAX - r->Length)
            return ref_hr(mode, BG_E_INVALID_RANGE);
        if (known_size != BG_SIZE_UNKNOWN && r->InitialOffset >= known_size)
            return ref_hr(mode, BG_E_INVALID_RANGE);
    }
    for (DWORD i = 0; i < n; i++)
        for (DWORD j = i + 1; j < n; j++) {
            const BG_FILE_RANGE *a = &ranges[i], *b = &ranges[j];
            if (a->InitialOffset < range_end(b) &&
                b->InitialOffset < range_end(a))
                return ref_hr(mode, BG_E_OVERLAPPING_RANGES);
        }
    return S_OK;
}

static pthread_once_t log_once = PTHREAD_ONCE_INIT;
static int log_flag;

static void log_read(void)
{
    const char *v = getenv("DOREF_LOG");
    log_flag = v && *v;
}

int ref_log_on(void)
{
    pthread_once(&log_once, log_read);
    return log_flag;
}
