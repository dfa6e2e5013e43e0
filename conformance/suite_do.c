/*
 * suite_do.c - suite (e) "do-downloads": the DO-native download objects.
 * IDOManager (CreateDownload, EnumDownloads with every category and the
 * IEnumUnknown rules), the IDODownload state machine (every cell of spec
 * behavior.md §9.2), every DODownloadProperty's type and access rule in
 * every state (table-driven: property x state), sinks (LocalPath bytes by
 * SHA-256, a recording IStream), ranges (DO_DOWNLOAD_RANGES_INFO), the
 * status callback (sequence, re-entrant calls, nothing after Abort or
 * Finalize), IDODownloadInternal and the DO-mode BITS-shaped jobs with
 * transfers.  Every item of §14.7 (DL-01..26) and §14.8 (DOJ-01..05).
 *
 * Every case that needs a server starts its own h2mock with generated
 * payloads (suite_do_util.c), so cases never share rules.  Required cases
 * check [DOC]/[WIN] behaviour and the §14 checklist; informative ones pin
 * docs/decisions.md (DO-n) or [AGENT]-only cells.  The table is at the end.
 */
#include "suite_do_util.h"

#include "netcase.h"
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ST_CREATED DODownloadState_Created
#define ST_XFERING DODownloadState_Transferring
#define ST_XFERED DODownloadState_Transferred
#define ST_FINAL DODownloadState_Finalized
#define ST_ABORTED DODownloadState_Aborted
#define ST_PAUSED DODownloadState_Paused

static const int all_states[] = {ST_CREATED, ST_XFERING, ST_PAUSED,
                                 ST_XFERED,  ST_FINAL,   ST_ABORTED};

/* ---- small helpers -------------------------------------------------------
 */

static WCHAR *get_id(conf_ctx *ctx, IDODownload *d)
{
    VARIANT v;
    VariantInit(&v);
    CONF_EXPECT_HR(ctx, IDODownload_GetProperty(d, DODownloadProperty_Id, &v),
                   S_OK);
    CONF_EXPECT_U(ctx, V_VT(&v), VT_BSTR);
    CONF_EXPECT_NONNULL(ctx, V_BSTR(&v));
    CONF_EXPECT_TRUE(ctx, V_BSTR(&v)[0] != 0, "a non-empty Id", "\"\"");
    size_t n = 0;
    while (V_BSTR(&v)[n])
        n++;
    WCHAR *copy = conf_alloc(ctx, (n + 1) * sizeof *copy);
    memcpy(copy, V_BSTR(&v), (n + 1) * sizeof *copy);
    VariantClear(&v);
    return copy;
}

static bool wsame(const WCHAR *a, const WCHAR *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    return a[i] == b[i];
}

/* EnumDownloads(CAT) expecting S_OK; the enumerator is released at the
 * end of the case. */
static IEnumUnknown *enum_dl(conf_ctx *ctx, IDOManager *m,
                             const DO_DOWNLOAD_ENUM_CATEGORY *cat)
{
    IEnumUnknown *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IDOManager_EnumDownloads(m, cat, &e), S_OK);
    CONF_EXPECT_NONNULL(ctx, e);
    conf_defer_release(ctx, (IUnknown *)e);
    return e;
}

/* Drains E; returns how many elements and whether ID was among them; each
 * element must answer IDODownload. */
static ULONG drain(conf_ctx *ctx, IEnumUnknown *e, const WCHAR *id, bool *found)
{
    ULONG n = 0;
    if (found)
        *found = false;
    for (;;) {
        IUnknown *u = NULL;
        ULONG got = 0;
        HRESULT hr = IEnumUnknown_Next(e, 1, &u, &got);
        if (hr != S_OK)
            break;
        CONF_EXPECT_U(ctx, got, 1);
        CONF_EXPECT_NONNULL(ctx, u);
        IDODownload *d = CONF_POISON_PTR;
        HRESULT qhr = IUnknown_QueryInterface(u, &IID_IDODownload, (void **)&d);
        IUnknown_Release(u);
        CONF_EXPECT_HR(ctx, qhr, S_OK);
        conf_defer_release(ctx, (IUnknown *)d);
        if (id && found && wsame(get_id(ctx, d), id))
            *found = true;
        n++;
    }
    return n;
}

static void expect_status(conf_ctx *ctx, IDODownload *d, int state)
{
    DOU_EXPECT_STATE(ctx, dou_status(ctx, d).State, state);
}

/* ---- IDOManager ---------------------------------------------------------- */

/* DL-01: a new download is Created with 0 bytes. */
static void dm_create(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    DO_DOWNLOAD_STATUS s = dou_status(ctx, d);
    DOU_EXPECT_STATE(ctx, s.State, ST_CREATED);
    CONF_EXPECT_U(ctx, s.BytesTransferred, 0);
    CONF_EXPECT_HR(ctx, s.Error, S_OK);
    if (c->arg) {
        /* two downloads are distinct objects with distinct Ids */
        IDODownload *d2 = dou_create(ctx, m);
        CONF_EXPECT_TRUE(ctx, d2 != d, "a new object", "the same pointer");
        CONF_EXPECT_TRUE(ctx, !wsame(get_id(ctx, d), get_id(ctx, d2)),
                         "different Ids", "equal Ids");
    }
}

static void dm_create_null(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = dou_manager(ctx);
    CONF_EXPECT_HR2(ctx, IDOManager_CreateDownload(m, NULL), E_POINTER,
                    E_INVALIDARG);
}

/* COM identity of a download and E_NOINTERFACE for a foreign IID. */
static void dm_qi(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    IUnknown *u1 = CONF_POISON_PTR, *u2 = CONF_POISON_PTR;
    IDODownload *d2 = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx, IDODownload_QueryInterface(d, &IID_IUnknown, (void **)&u1), S_OK);
    conf_defer_release(ctx, u1);
    CONF_EXPECT_HR(
        ctx, IDODownload_QueryInterface(d, &IID_IDODownload, (void **)&d2),
        S_OK);
    conf_defer_release(ctx, (IUnknown *)d2);
    CONF_EXPECT_HR(
        ctx, IDODownload_QueryInterface(d2, &IID_IUnknown, (void **)&u2), S_OK);
    conf_defer_release(ctx, u2);
    CONF_EXPECT_PTR(ctx, u1, u2);
    void *p = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IDODownload_QueryInterface(d, &IID_IClassFactory, &p),
                   E_NOINTERFACE);
    CONF_EXPECT_NULL(ctx, p);
    CONF_EXPECT_HR2(ctx, IDODownload_QueryInterface(d, &IID_IDODownload, NULL),
                    E_POINTER, E_INVALIDARG);
}

/* DL-22: EnumDownloads(NULL) lists new downloads; elements QI to
 * IDODownload. */
static void dm_enum_all(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = dou_manager(ctx);
    IDODownload *d1 = dou_create(ctx, m);
    IDODownload *d2 = dou_create(ctx, m);
    WCHAR *id1 = get_id(ctx, d1), *id2 = get_id(ctx, d2);
    bool f1, f2;
    ULONG n = drain(ctx, enum_dl(ctx, m, NULL), id1, &f1);
    CONF_EXPECT_U(ctx, n, 2);
    CONF_EXPECT_TRUE(ctx, f1, "the first download enumerated", "missing");
    drain(ctx, enum_dl(ctx, m, NULL), id2, &f2);
    CONF_EXPECT_TRUE(ctx, f2, "the second download enumerated", "missing");
}

/* The category value of download K (0 or 1) for PROPERTY. */
static WCHAR *cat_value(conf_ctx *ctx, DODownloadProperty p, int k, bool upper)
{
    char buf[512];
    switch (p) {
    case DODownloadProperty_Uri:
        snprintf(buf, sizeof buf, "http://127.0.0.1:9/docts/file%d.bin", k);
        break;
    case DODownloadProperty_ContentId:
        snprintf(buf, sizeof buf, "docts-content-%d", k);
        break;
    case DODownloadProperty_DisplayName:
        snprintf(buf, sizeof buf, "docts display %d", k);
        break;
    case DODownloadProperty_LocalPath:
        snprintf(buf, sizeof buf, "%s%c%s%d.bin", ctx->tmpdir, CONF_PLAT_SEP,
                 upper ? "LOCAL" : "local", k);
        return conf_w(ctx, buf);
    default:
        conf_fail(ctx, "docts: bad category property %d", (int)p);
    }
    return conf_w(ctx, buf);
}

/* §9.6 / DL-23: a category selects exactly the matching download. */
static void dm_enum_cat(conf_ctx *ctx, const conf_case *c)
{
    DODownloadProperty p = (DODownloadProperty)(c->arg & 0xff);
    bool upper = (c->arg & 0x100) != 0;
    IDOManager *m = dou_manager(ctx);
    IDODownload *d[2];
    WCHAR *ids[2];
    for (int k = 0; k < 2; k++) {
        d[k] = dou_create(ctx, m);
        ids[k] = get_id(ctx, d[k]);
        if (p != DODownloadProperty_Id)
            CONF_EXPECT_HR(
                ctx, dou_set_str(d[k], p, cat_value(ctx, p, k, false)), S_OK);
    }
    DO_DOWNLOAD_ENUM_CATEGORY cat = {
        p, p == DODownloadProperty_Id ? ids[1] : cat_value(ctx, p, 1, upper)};
    bool found;
    ULONG n = drain(ctx, enum_dl(ctx, m, &cat), ids[1], &found);
    CONF_EXPECT_U(ctx, n, 1);
    CONF_EXPECT_TRUE(ctx, found, "the matching download", "another one");
}

/* No match -> DO_E_NO_DOWNLOADS (ARG 1: also *ppEnum NULL; ARG 2: with no
 * downloads at all and a NULL category). */
static void dm_enum_nomatch(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = dou_manager(ctx);
    IEnumUnknown *e = CONF_POISON_PTR;
    if (c->arg == 2) {
        HRESULT hr = IDOManager_EnumDownloads(m, NULL, &e);
        if (SUCCEEDED(hr) && e && e != CONF_POISON_PTR)
            IEnumUnknown_Release(e);
        CONF_EXPECT_HR(ctx, hr, DO_E_NO_DOWNLOADS);
        return;
    }
    dou_create(ctx, m);
    DO_DOWNLOAD_ENUM_CATEGORY cat = {DODownloadProperty_Id,
                                     u"{00000000-0000-0000-0000-00000000DEAD}"};
    HRESULT hr = IDOManager_EnumDownloads(m, &cat, &e);
    if (SUCCEEDED(hr) && e && e != CONF_POISON_PTR)
        conf_defer_release(ctx, (IUnknown *)e);
    CONF_EXPECT_HR(ctx, hr, DO_E_NO_DOWNLOADS);
    if (c->arg == 1)
        CONF_EXPECT_NULL(ctx, e);
}

/* Bad arguments of EnumDownloads: ARG 0 NULL ppEnum, 1 a property that is
 * no category, 2 a NULL value. */
static void dm_enum_bad(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = dou_manager(ctx);
    dou_create(ctx, m);
    IEnumUnknown *e = CONF_POISON_PTR;
    if (c->arg == 0) {
        CONF_EXPECT_HR2(ctx, IDOManager_EnumDownloads(m, NULL, NULL), E_POINTER,
                        E_INVALIDARG);
        return;
    }
    DO_DOWNLOAD_ENUM_CATEGORY cat = {c->arg == 1 ? DODownloadProperty_CostPolicy
                                                 : DODownloadProperty_Uri,
                                     c->arg == 1 ? u"0" : NULL};
    HRESULT hr = IDOManager_EnumDownloads(m, &cat, &e);
    if (SUCCEEDED(hr) && e && e != CONF_POISON_PTR)
        conf_defer_release(ctx, (IUnknown *)e);
    CONF_EXPECT_HR(ctx, hr, E_INVALIDARG);
}

/* Aborted (ARG 0) downloads leave the enumeration; a download whose every
 * client pointer was released stays (ARG 1); the enumerator is a snapshot
 * (ARG 2); oldest first (ARG 3). */
static void dm_enum_life(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = dou_manager(ctx);
    if (c->arg == 0) {
        IDODownload *d = dou_create(ctx, m);
        WCHAR *id = get_id(ctx, d);
        CONF_EXPECT_HR(ctx, IDODownload_Abort(d), S_OK);
        DO_DOWNLOAD_ENUM_CATEGORY cat = {DODownloadProperty_Id, id};
        IEnumUnknown *e = CONF_POISON_PTR;
        HRESULT hr = IDOManager_EnumDownloads(m, &cat, &e);
        if (SUCCEEDED(hr) && e && e != CONF_POISON_PTR)
            conf_defer_release(ctx, (IUnknown *)e);
        CONF_EXPECT_HR(ctx, hr, DO_E_NO_DOWNLOADS);
    } else if (c->arg == 1) {
        IDODownload *d = CONF_POISON_PTR;
        CONF_EXPECT_HR(ctx, IDOManager_CreateDownload(m, &d), S_OK);
        WCHAR *id = get_id(ctx, d);
        IDODownload_Release(d);
        DO_DOWNLOAD_ENUM_CATEGORY cat = {DODownloadProperty_Id, id};
        IEnumUnknown *e = enum_dl(ctx, m, &cat);
        IUnknown *u = NULL;
        ULONG got = 0;
        CONF_EXPECT_HR(ctx, IEnumUnknown_Next(e, 1, &u, &got), S_OK);
        CONF_EXPECT_NONNULL(ctx, u);
        IDODownload *again = NULL;
        HRESULT hr =
            IUnknown_QueryInterface(u, &IID_IDODownload, (void **)&again);
        IUnknown_Release(u);
        CONF_EXPECT_HR(ctx, hr, S_OK);
        (void)IDODownload_Abort(again);
        IDODownload_Release(again);
    } else if (c->arg == 2) {
        dou_create(ctx, m);
        IEnumUnknown *e = enum_dl(ctx, m, NULL);
        dou_create(ctx, m);
        CONF_EXPECT_U(ctx, drain(ctx, e, NULL, NULL), 1);
    } else {
        IDODownload *d1 = dou_create(ctx, m);
        IDODownload *d2 = dou_create(ctx, m);
        WCHAR *id1 = get_id(ctx, d1);
        (void)d2;
        IEnumUnknown *e = enum_dl(ctx, m, NULL);
        IUnknown *u = NULL;
        ULONG got = 0;
        CONF_EXPECT_HR(ctx, IEnumUnknown_Next(e, 1, &u, &got), S_OK);
        IDODownload *first = NULL;
        HRESULT hr =
            IUnknown_QueryInterface(u, &IID_IDODownload, (void **)&first);
        IUnknown_Release(u);
        CONF_EXPECT_HR(ctx, hr, S_OK);
        conf_defer_release(ctx, (IUnknown *)first);
        CONF_EXPECT_TRUE(ctx, wsame(get_id(ctx, first), id1),
                         "the oldest download first", "another one");
    }
}

/* ---- IEnumUnknown over downloads (spec §12 rules) ------------------------ */

static IEnumUnknown *three(conf_ctx *ctx, IDOManager **mo, WCHAR *ids[3])
{
    IDOManager *m = dou_manager(ctx);
    for (int i = 0; i < 3; i++)
        ids[i] = get_id(ctx, dou_create(ctx, m));
    if (mo)
        *mo = m;
    return enum_dl(ctx, m, NULL);
}

static void release_all(IUnknown **u, ULONG n)
{
    for (ULONG i = 0; i < n; i++)
        if (u[i])
            IUnknown_Release(u[i]);
}

static void de_case(conf_ctx *ctx, const conf_case *c)
{
    WCHAR *ids[3];
    IEnumUnknown *e = three(ctx, NULL, ids);
    IUnknown *u[5] = {0};
    ULONG got = CONF_POISON32;
    switch (c->arg) {
    case 0: /* Next(1) x3 S_OK, then S_FALSE with 0 */
        for (int i = 0; i < 3; i++) {
            got = CONF_POISON32;
            CONF_EXPECT_HR(ctx, IEnumUnknown_Next(e, 1, u, &got), S_OK);
            CONF_EXPECT_U(ctx, got, 1);
            CONF_EXPECT_NONNULL(ctx, u[0]);
            release_all(u, 1);
        }
        got = CONF_POISON32;
        CONF_EXPECT_HR(ctx, IEnumUnknown_Next(e, 1, u, &got), S_FALSE);
        CONF_EXPECT_U(ctx, got, 0);
        break;
    case 1: /* Next(5) on 3 -> S_FALSE, 3 */
        CONF_EXPECT_HR(ctx, IEnumUnknown_Next(e, 5, u, &got), S_FALSE);
        release_all(u, got <= 5 ? got : 0);
        CONF_EXPECT_U(ctx, got, 3);
        break;
    case 2: /* Next(2, NULL fetched) -> E_INVALIDARG */
        CONF_EXPECT_HR(ctx, IEnumUnknown_Next(e, 2, u, NULL), E_INVALIDARG);
        break;
    case 3: /* Next(1, NULL fetched) -> S_OK */
        CONF_EXPECT_HR(ctx, IEnumUnknown_Next(e, 1, u, NULL), S_OK);
        CONF_EXPECT_NONNULL(ctx, u[0]);
        release_all(u, 1);
        break;
    case 4: /* Skip(2) S_OK then the third; Skip(5) S_FALSE */
        CONF_EXPECT_HR(ctx, IEnumUnknown_Skip(e, 2), S_OK);
        CONF_EXPECT_HR(ctx, IEnumUnknown_Next(e, 1, u, &got), S_OK);
        release_all(u, 1);
        CONF_EXPECT_HR(ctx, IEnumUnknown_Skip(e, 5), S_FALSE);
        CONF_EXPECT_HR(ctx, IEnumUnknown_Next(e, 1, u, &got), S_FALSE);
        CONF_EXPECT_U(ctx, got, 0);
        break;
    case 5: /* Reset */
        CONF_EXPECT_HR(ctx, IEnumUnknown_Skip(e, 3), S_OK);
        CONF_EXPECT_HR(ctx, IEnumUnknown_Reset(e), S_OK);
        CONF_EXPECT_HR(ctx, IEnumUnknown_Next(e, 5, u, &got), S_FALSE);
        release_all(u, got <= 5 ? got : 0);
        CONF_EXPECT_U(ctx, got, 3);
        break;
    case 6: { /* Clone: same position, independent */
        CONF_EXPECT_HR(ctx, IEnumUnknown_Skip(e, 1), S_OK);
        IEnumUnknown *k = CONF_POISON_PTR;
        CONF_EXPECT_HR(ctx, IEnumUnknown_Clone(e, &k), S_OK);
        CONF_EXPECT_NONNULL(ctx, k);
        conf_defer_release(ctx, (IUnknown *)k);
        CONF_EXPECT_HR(ctx, IEnumUnknown_Next(k, 5, u, &got), S_FALSE);
        release_all(u, got <= 5 ? got : 0);
        CONF_EXPECT_U(ctx, got, 2);
        got = CONF_POISON32;
        CONF_EXPECT_HR(ctx, IEnumUnknown_Next(e, 5, u, &got), S_FALSE);
        release_all(u, got <= 5 ? got : 0);
        CONF_EXPECT_U(ctx, got, 2);
        break;
    }
    case 7: { /* the caller's only reference: Release -> 0 */
        IDOManager *m = dou_manager(ctx);
        IEnumUnknown *own = CONF_POISON_PTR;
        CONF_EXPECT_HR(ctx, IDOManager_EnumDownloads(m, NULL, &own), S_OK);
        CONF_EXPECT_U(ctx, IEnumUnknown_Release(own), 0);
        break;
    }
    case 8: /* Clone(NULL) */
        CONF_EXPECT_HR2(ctx, IEnumUnknown_Clone(e, NULL), E_POINTER,
                        E_INVALIDARG);
        break;
    }
}

/* ---- the §9.2 transition / method matrix --------------------------------- */

enum { M_START, M_PAUSE, M_FINALIZE, M_ABORT, M_START_RANGES };
#define CELL(st, m) ((st)*8 + (m))

static HRESULT call_method(IDODownload *d, int method)
{
    static DO_DOWNLOAD_RANGES_INFO r1 = {1, {{0, 100}}};
    switch (method) {
    case M_START:
        return IDODownload_Start(d, NULL);
    case M_PAUSE:
        return IDODownload_Pause(d);
    case M_FINALIZE:
        return IDODownload_Finalize(d);
    case M_ABORT:
        return IDODownload_Abort(d);
    default:
        return IDODownload_Start(d, &r1);
    }
}

/* One cell: reach the state, call the method, check HRESULT and state. */
static void ds_cell(conf_ctx *ctx, const conf_case *c)
{
    int st = (int)(c->arg / 8), method = (int)(c->arg % 8);
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_reach(ctx, m, base, st, "cell.bin");
    HRESULT hr = call_method(d, method);
    int after = (int)dou_status(ctx, d).State;
    switch (CELL(st, method)) {
    case CELL(ST_CREATED, M_START): /* -> Transferring (a stalling URL) */
        CONF_EXPECT_HR(ctx, hr, S_OK);
        DOU_EXPECT_STATE(ctx, after, ST_XFERING);
        break;
    case CELL(ST_XFERING, M_PAUSE):
    case CELL(ST_PAUSED, M_PAUSE):
        CONF_EXPECT_HR(ctx, hr, S_OK);
        DOU_EXPECT_STATE(ctx, after, ST_PAUSED);
        break;
    case CELL(ST_PAUSED, M_START): /* resume */
        CONF_EXPECT_HR(ctx, hr, S_OK);
        DOU_EXPECT_STATE(ctx, after, ST_XFERING);
        break;
    case CELL(ST_CREATED, M_PAUSE):
    case CELL(ST_XFERING, M_START):
    case CELL(ST_XFERED, M_START):
    case CELL(ST_XFERED, M_PAUSE):
    case CELL(ST_FINAL, M_FINALIZE):
    case CELL(ST_ABORTED, M_ABORT): /* no-ops */
        CONF_EXPECT_HR(ctx, hr, S_OK);
        DOU_EXPECT_STATE(ctx, after, st);
        break;
    case CELL(ST_CREATED, M_FINALIZE):
    case CELL(ST_XFERING, M_FINALIZE):
    case CELL(ST_PAUSED, M_FINALIZE):
    case CELL(ST_FINAL, M_START):
    case CELL(ST_FINAL, M_PAUSE):
    case CELL(ST_FINAL, M_ABORT):
    case CELL(ST_ABORTED, M_START):
    case CELL(ST_ABORTED, M_PAUSE):
    case CELL(ST_ABORTED, M_FINALIZE):
        CONF_EXPECT_HR(ctx, hr, DO_E_INVALID_STATE);
        DOU_EXPECT_STATE(ctx, after, st);
        break;
    case CELL(ST_CREATED, M_ABORT):
    case CELL(ST_XFERING, M_ABORT):
    case CELL(ST_PAUSED, M_ABORT):
        CONF_EXPECT_HR(ctx, hr, S_OK);
        DOU_EXPECT_STATE(ctx, after, ST_ABORTED);
        break;
    case CELL(ST_XFERED, M_FINALIZE):
        CONF_EXPECT_HR(ctx, hr, S_OK);
        DOU_EXPECT_STATE(ctx, after, ST_FINAL);
        break;
    case CELL(ST_XFERED, M_ABORT): /* Windows: either; then consistent */
        CONF_EXPECT_HR2(ctx, hr, S_OK, DO_E_INVALID_STATE);
        DOU_EXPECT_STATE(ctx, after, hr == S_OK ? ST_ABORTED : ST_XFERED);
        break;
    case CELL(ST_XFERED, M_START_RANGES): /* another portion */
        CONF_EXPECT_HR(ctx, hr, S_OK);
        CONF_EXPECT_TRUE(ctx, after == ST_XFERING || after == ST_XFERED,
                         "Transferring (or Transferred again)",
                         dou_state_name(after));
        dou_wait(ctx, d, ST_XFERED, DOU_WAIT_MS);
        break;
    default:
        conf_fail(ctx, "docts: no expectation for this cell");
    }
}

/* An [AGENT]-only check of our decision: Abort of a Transferred download
 * -> S_OK, Aborted (D15). */
static void ds_abort_transferred(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_reach(ctx, m, base, ST_XFERED, "x.bin");
    CONF_EXPECT_HR(ctx, IDODownload_Abort(d), S_OK);
    expect_status(ctx, d, ST_ABORTED);
    CONF_EXPECT_TRUE(ctx, !dou_exists(ctx, "x.bin"), "x.bin absent",
                     "x.bin exists");
}

/* ---- properties ----------------------------------------------------------
 */

typedef enum { A_RW, A_RO, A_WO } access_t;

typedef struct prop_row {
    DODownloadProperty id;
    const char *name;
    VARTYPE vt;
    access_t access;
    HRESULT never_set;   /* GetProperty before any Set (S_OK: a default) */
    unsigned set_states; /* bit per state where Set of a valid value works */
} prop_row;

#define SB(st) (1u << (st))
#define S_CP (SB(ST_CREATED) | SB(ST_PAUSED))
#define S_C SB(ST_CREATED)
#define S_LIVE (SB(ST_CREATED) | SB(ST_XFERING) | SB(ST_XFERED) | SB(ST_PAUSED))

static const prop_row props[30] = {
    {DODownloadProperty_Id, "Id", VT_BSTR, A_RO, S_OK, 0},
    {DODownloadProperty_Uri, "Uri", VT_BSTR, A_RW, E_NOT_SET, S_CP},
    {DODownloadProperty_ContentId, "ContentId", VT_BSTR, A_RW, E_NOT_SET, S_C},
    {DODownloadProperty_DisplayName, "DisplayName", VT_BSTR, A_RW, E_NOT_SET,
     S_LIVE},
    {DODownloadProperty_LocalPath, "LocalPath", VT_BSTR, A_RW, E_NOT_SET, S_C},
    {DODownloadProperty_HttpCustomHeaders, "HttpCustomHeaders", VT_BSTR, A_RW,
     E_NOT_SET, S_LIVE},
    {DODownloadProperty_CostPolicy, "CostPolicy", VT_UI4, A_RW, E_NOT_SET,
     S_LIVE},
    {DODownloadProperty_SecurityFlags, "SecurityFlags", VT_UI4, A_WO,
     DO_E_WRITE_ONLY_PROPERTY, S_LIVE},
    {DODownloadProperty_CallbackFreqPercent, "CallbackFreqPercent", VT_UI4,
     A_RW, E_NOT_SET, S_LIVE},
    {DODownloadProperty_CallbackFreqSeconds, "CallbackFreqSeconds", VT_UI4,
     A_RW, S_OK, S_LIVE},
    {DODownloadProperty_NoProgressTimeoutSeconds, "NoProgressTimeoutSeconds",
     VT_UI4, A_RW, E_NOT_SET, S_LIVE},
    {DODownloadProperty_ForegroundPriority, "ForegroundPriority", VT_BOOL, A_RW,
     S_OK, S_LIVE},
    {DODownloadProperty_BlockingMode, "BlockingMode", VT_BOOL, A_RW, S_OK,
     S_LIVE},
    {DODownloadProperty_CallbackInterface, "CallbackInterface", VT_UNKNOWN,
     A_RW, E_NOT_SET, S_LIVE},
    {DODownloadProperty_StreamInterface, "StreamInterface", VT_UNKNOWN, A_RW,
     E_NOT_SET, S_C},
    {DODownloadProperty_SecurityContext, "SecurityContext", VT_ARRAY | VT_UI1,
     A_WO, DO_E_WRITE_ONLY_PROPERTY, S_LIVE},
    {DODownloadProperty_NetworkToken, "NetworkToken", VT_BOOL, A_WO,
     DO_E_WRITE_ONLY_PROPERTY, S_LIVE},
    {DODownloadProperty_CorrelationVector, "CorrelationVector", VT_BSTR, A_RW,
     E_NOT_SET, S_LIVE},
    {DODownloadProperty_DecryptionInfo, "DecryptionInfo", VT_BSTR, A_WO,
     DO_E_WRITE_ONLY_PROPERTY, S_C},
    {DODownloadProperty_IntegrityCheckInfo, "IntegrityCheckInfo", VT_BSTR, A_WO,
     DO_E_WRITE_ONLY_PROPERTY, S_C},
    {DODownloadProperty_IntegrityCheckMandatory, "IntegrityCheckMandatory",
     VT_BOOL, A_RW, E_NOT_SET, S_C},
    {DODownloadProperty_TotalSizeBytes, "TotalSizeBytes", VT_UI8, A_RW,
     E_NOT_SET, S_C},
    {DODownloadProperty_DisallowOnCellular, "DisallowOnCellular", VT_BOOL, A_RW,
     E_NOT_SET, S_LIVE},
    {DODownloadProperty_HttpCustomAuthHeaders, "HttpCustomAuthHeaders", VT_BSTR,
     A_RW, E_NOT_SET, S_LIVE},
    {DODownloadProperty_HttpAllowSecureToNonSecureRedirect,
     "HttpAllowSecureToNonSecureRedirect", VT_BOOL, A_RW, S_OK, S_LIVE},
    {DODownloadProperty_NonVolatile, "NonVolatile", VT_BOOL, A_RW, S_OK, S_C},
    {DODownloadProperty_HttpRedirectionTarget, "HttpRedirectionTarget", VT_BSTR,
     A_RO, E_NOT_SET, 0},
    {DODownloadProperty_HttpResponseHeaders, "HttpResponseHeaders", VT_BSTR,
     A_RO, E_NOT_SET, 0},
    {DODownloadProperty_HttpServerIPAddress, "HttpServerIPAddress", VT_BSTR,
     A_RO, E_NOT_SET, 0},
    {DODownloadProperty_HttpStatusCode, "HttpStatusCode", VT_UI4, A_RO,
     E_NOT_SET, 0},
};

/* A valid value of property ROW (the caller clears it).  CB / ST are the
 * objects for the VT_UNKNOWN ones. */
static void valid_value(conf_ctx *ctx, const prop_row *row, VARIANT *v,
                        const char *base)
{
    VariantInit(v);
    V_VT(v) = row->vt;
    static unsigned nlocal;
    char buf[4200];
    switch (row->id) {
    case DODownloadProperty_Uri:
        snprintf(buf, sizeof buf, "%s/b.bin",
                 base ? base : "http://127.0.0.1:9");
        V_BSTR(v) = SysAllocString(conf_w(ctx, buf));
        break;
    case DODownloadProperty_LocalPath:
        snprintf(buf, sizeof buf, "%s%cset%u.bin", ctx->tmpdir, '/', nlocal++);
        V_BSTR(v) = SysAllocString(conf_w(ctx, buf));
        break;
    case DODownloadProperty_HttpCustomHeaders:
        V_BSTR(v) = SysAllocString(u"X-Docts: 1\r\n");
        break;
    case DODownloadProperty_HttpCustomAuthHeaders:
        V_BSTR(v) = SysAllocString(u"Authorization: Basic ZG86dHM=\r\n");
        break;
    case DODownloadProperty_DecryptionInfo:
    case DODownloadProperty_IntegrityCheckInfo:
        V_BSTR(v) = SysAllocString(u"{}");
        break;
    case DODownloadProperty_SecurityFlags:
        V_UI4(v) = 0x1000; /* SECURITY_FLAG_IGNORE_CERT_CN_INVALID */
        break;
    case DODownloadProperty_CallbackFreqPercent:
        V_UI4(v) = 10;
        break;
    case DODownloadProperty_CallbackFreqSeconds:
        V_UI4(v) = 2;
        break;
    case DODownloadProperty_NoProgressTimeoutSeconds:
        V_UI4(v) = 600;
        break;
    case DODownloadProperty_CostPolicy:
    case DODownloadProperty_HttpStatusCode:
        V_UI4(v) = 0;
        break;
    case DODownloadProperty_TotalSizeBytes:
        V_UI8(v) = DOU_PAYLOAD_SIZE;
        break;
    case DODownloadProperty_ForegroundPriority:
    case DODownloadProperty_NetworkToken:
        V_BOOL(v) = VARIANT_TRUE;
        break;
    case DODownloadProperty_BlockingMode:
    case DODownloadProperty_IntegrityCheckMandatory:
    case DODownloadProperty_DisallowOnCellular:
    case DODownloadProperty_HttpAllowSecureToNonSecureRedirect:
    case DODownloadProperty_NonVolatile:
        V_BOOL(v) = VARIANT_FALSE;
        break;
    case DODownloadProperty_CallbackInterface:
        v->punkVal = (IUnknown *)&dou_cb_new(ctx, DOU_CB_RECORD, NULL)->iface;
        IUnknown_AddRef(v->punkVal);
        break;
    case DODownloadProperty_StreamInterface:
        v->punkVal = (IUnknown *)&dou_stream_new(ctx)->iface;
        IUnknown_AddRef(v->punkVal);
        break;
    case DODownloadProperty_SecurityContext: {
        /* one DER SEQUENCE holding a SEQUENCE: an X.509 shape */
        static const BYTE der[] = {0x30, 0x03, 0x30, 0x01, 0x00};
        SAFEARRAY *sa = SafeArrayCreateVector(VT_UI1, 0, sizeof der);
        void *data = NULL;
        if (!sa || SafeArrayAccessData(sa, &data) != S_OK)
            conf_fail(ctx, "docts: SafeArray failed");
        memcpy(data, der, sizeof der);
        SafeArrayUnaccessData(sa);
        v->parray = sa;
        break;
    }
    default: /* the other strings */
        V_BSTR(v) = SysAllocString(u"docts-value");
        break;
    }
}

/* Type and access in Created: Set of a valid value, then Get. */
static void dp_type(conf_ctx *ctx, const conf_case *c)
{
    const prop_row *row = &props[c->arg];
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    VARIANT v, out;
    valid_value(ctx, row, &v, NULL);
    HRESULT hr = IDODownload_SetProperty(d, row->id, &v);
    VariantClear(&v);
    CONF_EXPECT_HR(ctx, hr,
                   row->access == A_RO ? DO_E_READ_ONLY_PROPERTY : S_OK);
    VariantInit(&out);
    hr = IDODownload_GetProperty(d, row->id, &out);
    if (row->access == A_WO) {
        CONF_EXPECT_HR(ctx, hr, DO_E_WRITE_ONLY_PROPERTY);
        CONF_EXPECT_U(ctx, V_VT(&out), VT_EMPTY);
        return;
    }
    if (row->access == A_RO && row->id != DODownloadProperty_Id) {
        /* unknown until a response arrived */
        CONF_EXPECT_HR(ctx, hr, E_NOT_SET);
        return;
    }
    CONF_EXPECT_HR(ctx, hr, S_OK);
    CONF_EXPECT_HEX(ctx, V_VT(&out), row->vt);
    VariantClear(&out);
}

/* GetProperty of a property never set. */
static void dp_default(conf_ctx *ctx, const conf_case *c)
{
    const prop_row *row = &props[c->arg];
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    VARIANT out;
    VariantInit(&out);
    V_VT(&out) = VT_I4; /* proves the callee wrote it */
    HRESULT hr = IDODownload_GetProperty(d, row->id, &out);
    CONF_EXPECT_HR(ctx, hr, row->never_set);
    if (hr != S_OK) {
        CONF_EXPECT_U(ctx, V_VT(&out), VT_EMPTY);
        return;
    }
    CONF_EXPECT_HEX(ctx, V_VT(&out), row->vt);
    switch (row->id) {
    case DODownloadProperty_CallbackFreqSeconds:
        CONF_EXPECT_U(ctx, V_UI4(&out), 1);
        break;
    case DODownloadProperty_ForegroundPriority:
    case DODownloadProperty_BlockingMode:
    case DODownloadProperty_HttpAllowSecureToNonSecureRedirect:
    case DODownloadProperty_NonVolatile:
        CONF_EXPECT_HEX(ctx, (USHORT)V_BOOL(&out), (USHORT)VARIANT_FALSE);
        break;
    default:
        break;
    }
    VariantClear(&out);
}

/* Set of a valid value in every state (property x state). */
static void dp_states(conf_ctx *ctx, const conf_case *c)
{
    const prop_row *row = &props[c->arg];
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    char fail[1024] = "";
    size_t fo = 0;
    for (size_t i = 0; i < CONF_ARRAY_LEN(all_states); i++) {
        int st = all_states[i];
        char local[32];
        snprintf(local, sizeof local, "st%d.bin", st);
        IDODownload *d;
        if (st == ST_CREATED && row->id == DODownloadProperty_StreamInterface) {
            /* a stream needs a download without LocalPath (DO-6) */
            d = dou_create(ctx, m);
        } else {
            d = dou_reach(ctx, m, base, st, local);
        }
        VARIANT v;
        valid_value(ctx, row, &v, base);
        HRESULT hr = IDODownload_SetProperty(d, row->id, &v);
        VariantClear(&v);
        HRESULT want = row->access == A_RO          ? DO_E_READ_ONLY_PROPERTY
                       : (row->set_states & SB(st)) ? S_OK
                                                    : DO_E_INVALID_STATE;
        if (hr != want && fo < sizeof fail - 100) {
            char b1[96], b2[96];
            fo += (size_t)snprintf(fail + fo, sizeof fail - fo,
                                   "%s%s: %s (want %s)", fo ? "; " : "",
                                   dou_state_name(st),
                                   conf_hr_str(hr, b1, sizeof b1),
                                   conf_hr_str(want, b2, sizeof b2));
        }
        if (st != ST_ABORTED && st != ST_FINAL)
            (void)IDODownload_Abort(d);
    }
    CONF_EXPECT_TRUE(ctx, fo == 0, "the documented HRESULT in every state",
                     fail);
}

/* DL-02: Id is a non-empty BSTR and read-only. */
static void dp_id(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    WCHAR *id = get_id(ctx, d);
    CONF_EXPECT_HR(ctx, dou_set_str(d, DODownloadProperty_Id, u"other"),
                   DO_E_READ_ONLY_PROPERTY);
    CONF_EXPECT_TRUE(ctx, wsame(get_id(ctx, d), id), "Id unchanged",
                     "Id changed");
}

/* DL-12: LocalPath after Start (ARG 0) / Uri while Transferring (ARG 1). */
static void dp_dl12(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_reach(ctx, m, base, ST_XFERING, "s.bin");
    if (c->arg == 0)
        CONF_EXPECT_HR(ctx,
                       dou_set_str(d, DODownloadProperty_LocalPath,
                                   conf_tmp_path(ctx, "other.bin")),
                       DO_E_INVALID_STATE);
    else
        CONF_EXPECT_HR(ctx,
                       dou_set_str(d, DODownloadProperty_Uri,
                                   dou_url(ctx, base, "/a.bin")),
                       DO_E_INVALID_STATE);
}

/* DL-13 / DL-14 / DL-15. */
static void dp_misc(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    VARIANT v;
    VariantInit(&v);
    switch (c->arg) {
    case 0: /* DL-13 SecurityContext write-only */
        CONF_EXPECT_HR(
            ctx,
            IDODownload_GetProperty(d, DODownloadProperty_SecurityContext, &v),
            DO_E_WRITE_ONLY_PROPERTY);
        break;
    case 1: /* DL-14 ContentId never set */
        CONF_EXPECT_HR(
            ctx, IDODownload_GetProperty(d, DODownloadProperty_ContentId, &v),
            E_NOT_SET);
        break;
    case 2: /* DL-15 unknown id on Get and Set */
        CONF_EXPECT_HR(ctx,
                       IDODownload_GetProperty(d, (DODownloadProperty)1000, &v),
                       DO_E_UNKNOWN_PROPERTY_ID);
        CONF_EXPECT_HR(ctx, dou_set_u4(d, (DODownloadProperty)1000, 1),
                       DO_E_UNKNOWN_PROPERTY_ID);
        break;
    case 3: /* DL-25 DisplayName and ForegroundPriority round-trip */
        CONF_EXPECT_HR(ctx,
                       dou_set_str(d, DODownloadProperty_DisplayName,
                                   u"docts \u00e9t\u00e9"),
                       S_OK);
        CONF_EXPECT_HR(
            ctx, IDODownload_GetProperty(d, DODownloadProperty_DisplayName, &v),
            S_OK);
        CONF_EXPECT_U(ctx, V_VT(&v), VT_BSTR);
        CONF_EXPECT_WSTR(ctx, V_BSTR(&v), u"docts \u00e9t\u00e9");
        VariantClear(&v);
        for (int k = 0; k < 2; k++) {
            CONF_EXPECT_HR(
                ctx,
                dou_set_bool(d, DODownloadProperty_ForegroundPriority, k == 0),
                S_OK);
            CONF_EXPECT_HR(ctx,
                           IDODownload_GetProperty(
                               d, DODownloadProperty_ForegroundPriority, &v),
                           S_OK);
            CONF_EXPECT_U(ctx, V_VT(&v), VT_BOOL);
            CONF_EXPECT_HEX(ctx, (USHORT)V_BOOL(&v),
                            (USHORT)(k == 0 ? VARIANT_TRUE : VARIANT_FALSE));
            VariantClear(&v);
        }
        break;
    case 4: { /* DL-26 SecurityContext garbage -> CRYPT_E_FILE_ERROR */
        SAFEARRAY *sa = SafeArrayCreateVector(VT_UI1, 0, 8);
        void *data = NULL;
        if (!sa || SafeArrayAccessData(sa, &data) != S_OK)
            conf_fail(ctx, "docts: SafeArray failed");
        memcpy(data, "garbage!", 8);
        SafeArrayUnaccessData(sa);
        V_VT(&v) = VT_ARRAY | VT_UI1;
        v.parray = sa;
        HRESULT hr =
            IDODownload_SetProperty(d, DODownloadProperty_SecurityContext, &v);
        VariantClear(&v);
        CONF_EXPECT_HR(ctx, hr, CRYPT_E_FILE_ERROR);
        break;
    }
    case 5: /* DO-8: wrong VARIANT type */
        CONF_EXPECT_HR(ctx, dou_set_u4(d, DODownloadProperty_DisplayName, 5),
                       E_INVALIDARG);
        CONF_EXPECT_HR(ctx, dou_set_str(d, DODownloadProperty_CostPolicy, u"0"),
                       E_INVALIDARG);
        break;
    case 6: /* NULL VARIANT pointers */
        CONF_EXPECT_HR2(
            ctx,
            IDODownload_SetProperty(d, DODownloadProperty_DisplayName, NULL),
            E_INVALIDARG, E_POINTER);
        CONF_EXPECT_HR2(
            ctx,
            IDODownload_GetProperty(d, DODownloadProperty_DisplayName, NULL),
            E_INVALIDARG, E_POINTER);
        break;
    case 7: /* Uri values ([AGENT]) */
        CONF_EXPECT_HR(ctx, dou_set_str(d, DODownloadProperty_Uri, u""),
                       E_INVALIDARG);
        CONF_EXPECT_HR(ctx,
                       dou_set_str(d, DODownloadProperty_Uri, u"not a url"),
                       INET_E_INVALID_URL);
        break;
    case 8: /* LocalPath empty ([AGENT]) */
        CONF_EXPECT_HR(ctx, dou_set_str(d, DODownloadProperty_LocalPath, u""),
                       E_INVALIDARG);
        break;
    case 9: /* D11 NoProgressTimeoutSeconds < 60 */
        CONF_EXPECT_HR(
            ctx, dou_set_u4(d, DODownloadProperty_NoProgressTimeoutSeconds, 59),
            E_INVALIDARG);
        CONF_EXPECT_HR(
            ctx, dou_set_u4(d, DODownloadProperty_NoProgressTimeoutSeconds, 60),
            S_OK);
        break;
    case 10: { /* DO-6 both sinks */
        dou_stream *s = dou_stream_new(ctx);
        CONF_EXPECT_HR(ctx,
                       dou_set_str(d, DODownloadProperty_LocalPath,
                                   conf_tmp_path(ctx, "x.bin")),
                       S_OK);
        CONF_EXPECT_HR(ctx,
                       dou_set_unk(d, DODownloadProperty_StreamInterface,
                                   (IUnknown *)&s->iface),
                       DO_E_FILE_DOWNLOADSINK_ALREADY_SET);
        break;
    }
    case 11: /* D11 CallbackFreqPercent > 100, CostPolicy > 5 */
        CONF_EXPECT_HR(
            ctx, dou_set_u4(d, DODownloadProperty_CallbackFreqPercent, 101),
            E_INVALIDARG);
        CONF_EXPECT_HR(ctx, dou_set_u4(d, DODownloadProperty_CostPolicy, 6),
                       E_INVALIDARG);
        break;
    case 12: { /* CallbackInterface that is no IDODownloadStatusCallback */
        dou_stream *s = dou_stream_new(ctx);
        CONF_EXPECT_HR(ctx,
                       dou_set_unk(d, DODownloadProperty_CallbackInterface,
                                   (IUnknown *)&s->iface),
                       E_NOINTERFACE);
        break;
    }
    case 13: /* Get of an unknown id leaves VT_EMPTY; and a NULL callback */
        V_VT(&v) = VT_I4;
        CONF_EXPECT_HR(ctx,
                       IDODownload_GetProperty(d, (DODownloadProperty)30, &v),
                       DO_E_UNKNOWN_PROPERTY_ID);
        CONF_EXPECT_U(ctx, V_VT(&v), VT_EMPTY);
        break;
    }
}

/* DL-10: Start preconditions (ARG 0 no Uri, 1 no sink, 2 ContentId only,
 * 3 IntegrityCheckMandatory without info). */
static void dp_start_pre(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    HRESULT want = DO_E_DOWNLOAD_NO_URI;
    switch (c->arg) {
    case 0:
        CONF_EXPECT_HR(ctx,
                       dou_set_str(d, DODownloadProperty_LocalPath,
                                   conf_tmp_path(ctx, "x.bin")),
                       S_OK);
        break;
    case 1:
        CONF_EXPECT_HR(
            ctx,
            dou_set_str(d, DODownloadProperty_Uri, u"http://127.0.0.1:9/x.bin"),
            S_OK);
        want = DO_E_FILE_DOWNLOADSINK_UNSPECIFIED;
        break;
    case 2:
        CONF_EXPECT_HR(ctx,
                       dou_set_str(d, DODownloadProperty_ContentId, u"content"),
                       S_OK);
        CONF_EXPECT_HR(ctx,
                       dou_set_str(d, DODownloadProperty_LocalPath,
                                   conf_tmp_path(ctx, "x.bin")),
                       S_OK);
        break;
    case 3:
        dou_setup(ctx, d, "http://127.0.0.1:9", "/x.bin", "x.bin");
        CONF_EXPECT_HR(
            ctx,
            dou_set_bool(d, DODownloadProperty_IntegrityCheckMandatory, TRUE),
            S_OK);
        want = DO_E_INTEGRITYCHECKINFO_UNSPECIFIED;
        break;
    }
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), want);
    expect_status(ctx, d, ST_CREATED);
}

/* ---- transfers: files, pause, abort, errors ------------------------------ */

/* DL-03 / DL-04: whole file, sizes, LocalPath only after Finalize. */
static void dn_whole(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    dou_setup(ctx, d, base, "/a.bin", "whole.bin");
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    DO_DOWNLOAD_STATUS s = dou_wait(ctx, d, ST_XFERED, DOU_WAIT_MS);
    CONF_EXPECT_U(ctx, s.BytesTotal, DOU_PAYLOAD_SIZE);
    CONF_EXPECT_U(ctx, s.BytesTransferred, DOU_PAYLOAD_SIZE);
    CONF_EXPECT_HR(ctx, s.Error, S_OK);
    if (c->arg == 1)
        CONF_EXPECT_TRUE(ctx, !dou_exists(ctx, "whole.bin"),
                         "LocalPath absent before Finalize", "it exists");
    CONF_EXPECT_HR(ctx, IDODownload_Finalize(d), S_OK);
    expect_status(ctx, d, ST_FINAL);
    dou_expect_file(ctx, "whole.bin", 0, DOU_PAYLOAD_SIZE);
    if (c->arg == 2) { /* DL-05 */
        CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), DO_E_INVALID_STATE);
        CONF_EXPECT_HR(ctx, IDODownload_Abort(d), DO_E_INVALID_STATE);
        dou_expect_file(ctx, "whole.bin", 0, DOU_PAYLOAD_SIZE);
    }
    if (c->arg == 3) { /* DL-23 */
        DO_DOWNLOAD_ENUM_CATEGORY cat = {DODownloadProperty_Id, get_id(ctx, d)};
        IEnumUnknown *e = CONF_POISON_PTR;
        HRESULT hr = IDOManager_EnumDownloads(m, &cat, &e);
        if (SUCCEEDED(hr) && e && e != CONF_POISON_PTR)
            conf_defer_release(ctx, (IUnknown *)e);
        CONF_EXPECT_HR(ctx, hr, DO_E_NO_DOWNLOADS);
    }
    if (c->arg == 4) { /* TotalSizeBytes readable after transfer [WIN] */
        VARIANT v;
        VariantInit(&v);
        CONF_EXPECT_HR(
            ctx,
            IDODownload_GetProperty(d, DODownloadProperty_TotalSizeBytes, &v),
            S_OK);
        CONF_EXPECT_U(ctx, V_VT(&v), VT_UI8);
        CONF_EXPECT_U(ctx, V_UI8(&v), DOU_PAYLOAD_SIZE);
    }
}

/* DL-06: Pause -> Paused at once; Start again -> Transferred; Finalize ->
 * file complete. */
static void dn_pause_resume(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    dou_setup(ctx, d, base, "/slow.bin", "pr.bin");
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    dou_nap(200);
    CONF_EXPECT_HR(ctx, IDODownload_Pause(d), S_OK);
    DO_DOWNLOAD_STATUS s = dou_status(ctx, d);
    DOU_EXPECT_STATE(ctx, s.State, ST_PAUSED);
    CONF_EXPECT_HR(ctx, s.Error, S_OK);
    CONF_EXPECT_TRUE(ctx, s.BytesTransferred < DOU_PAYLOAD_SIZE,
                     "a partial transfer", "all bytes");
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    s = dou_wait(ctx, d, ST_XFERED, 3 * DOU_WAIT_MS);
    CONF_EXPECT_U(ctx, s.BytesTransferred, DOU_PAYLOAD_SIZE);
    CONF_EXPECT_HR(ctx, IDODownload_Finalize(d), S_OK);
    dou_expect_file(ctx, "pr.bin", 0, DOU_PAYLOAD_SIZE);
}

static size_t count_entries(conf_ctx *ctx, const char *dir)
{
    /* the directory holds nothing once the download's files are gone:
     * probe by creating and removing it (portable: no directory listing) */
    char path[4200];
    snprintf(path, sizeof path, "%s%c%s", ctx->tmpdir, '/', dir);
    return dou_path_exists(path) && remove(path) != 0 ? 1 : 0;
}

/* DL-08: Abort of a Paused download removes the partial data. */
static void dn_abort_paused(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    dou_setup(ctx, d, base, "/stall.bin", "sub/ab.bin");
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    uint64_t end = dou_now_ms() + DOU_WAIT_MS;
    while (dou_status(ctx, d).BytesTransferred < 4096 && dou_now_ms() < end)
        dou_nap(5);
    CONF_EXPECT_HR(ctx, IDODownload_Pause(d), S_OK);
    CONF_EXPECT_HR(ctx, IDODownload_Abort(d), S_OK);
    expect_status(ctx, d, ST_ABORTED);
    CONF_EXPECT_TRUE(ctx, !dou_exists(ctx, "sub/ab.bin"), "LocalPath absent",
                     "LocalPath exists");
    CONF_EXPECT_U(ctx, count_entries(ctx, "sub"), 0);
}

/* DL-09: 404 -> Paused with Error 0x80190194; Abort succeeds. */
static void dn_404(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    dou_setup(ctx, d, base, "/gone.bin", "gone.bin");
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    DO_DOWNLOAD_STATUS s = dou_wait(ctx, d, ST_PAUSED, 2 * DOU_WAIT_MS);
    CONF_EXPECT_HR(ctx, s.Error, (HRESULT)0x80190194);
    CONF_EXPECT_HR(ctx, IDODownload_Abort(d), S_OK);
    expect_status(ctx, d, ST_ABORTED);
    if (c->arg == 1) { /* DO-2: fatal -> ExtendedError S_OK */
        CONF_EXPECT_HR(ctx, s.ExtendedError, S_OK);
    }
}

/* DL-19: BlockingMode: Start returns Transferred. */
static void dn_blocking(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    dou_setup(ctx, d, base, c->arg ? "/gone.bin" : "/a.bin", "blk.bin");
    CONF_EXPECT_HR(ctx, dou_set_bool(d, DODownloadProperty_BlockingMode, TRUE),
                   S_OK);
    HRESULT hr = IDODownload_Start(d, NULL);
    DO_DOWNLOAD_STATUS s = dou_status(ctx, d);
    if (c->arg == 0) {
        CONF_EXPECT_HR(ctx, hr, S_OK);
        DOU_EXPECT_STATE(ctx, s.State, ST_XFERED);
        CONF_EXPECT_U(ctx, s.BytesTransferred, DOU_PAYLOAD_SIZE);
    } else { /* DO-14: returns the failure */
        DOU_EXPECT_STATE(ctx, s.State, ST_PAUSED);
        CONF_EXPECT_HR(ctx, hr, (HRESULT)0x80190194);
    }
}

/* The implementation's test clock (released at the end), or NULL with
 * --slow; skips the case otherwise. */
static IDoctsTestClock *test_clock(conf_ctx *ctx, IDOManager *m)
{
    IDoctsTestClock *clk = NULL;
    if (FAILED(IDOManager_QueryInterface(m, &IID_IDoctsTestClock,
                                         (void **)&clk)) ||
        !clk) {
        if (!ctx->slow)
            conf_skip(ctx, "timed case: no IDoctsTestClock and no --slow");
        return NULL;
    }
    conf_defer_release(ctx, (IUnknown *)clk);
    return clk;
}

/* DL-20: stalled server + NoProgressTimeoutSeconds 60 -> Paused with
 * DO_E_DOWNLOAD_NO_PROGRESS. */
static void dn_no_progress(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    dou_setup(ctx, d, base, "/stall.bin", "np.bin");
    CONF_EXPECT_HR(
        ctx, dou_set_u4(d, DODownloadProperty_NoProgressTimeoutSeconds, 60),
        S_OK);
    IDoctsTestClock *clk = test_clock(ctx, m);
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    uint64_t end = dou_now_ms() + DOU_WAIT_MS;
    while (dou_status(ctx, d).BytesTransferred < 4096 && dou_now_ms() < end)
        dou_nap(5);
    DO_DOWNLOAD_STATUS s = dou_status(ctx, d);
    for (int i = 0; i < 100 && s.State != ST_PAUSED; i++) {
        if (clk) {
            CONF_EXPECT_HR(ctx, IDoctsTestClock_Advance(clk, 1000), S_OK);
            dou_nap(20);
        } else {
            dou_nap(1000);
        }
        s = dou_status(ctx, d);
    }
    DOU_EXPECT_STATE(ctx, s.State, ST_PAUSED);
    CONF_EXPECT_HR(ctx, s.Error, DO_E_DOWNLOAD_NO_PROGRESS);
}

/* DL-21: unreachable server -> Paused, Error S_OK, ExtendedError set;
 * when the server comes back the service resumes by itself (ARG 0: the
 * transient status only; ARG 1: also the recovery, with the clock). */
static void dn_transient(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    struct nc_mock *mock = dou_last_mock();
    IDOManager *m = dou_manager(ctx);
    IDoctsTestClock *clk = c->arg ? test_clock(ctx, m) : NULL;
    IDODownload *d = dou_create(ctx, m);
    dou_setup(ctx, d, base, "/a.bin", "tr.bin");
    nc_mock_stop(mock);
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    DO_DOWNLOAD_STATUS s = dou_wait(ctx, d, ST_PAUSED, 2 * DOU_WAIT_MS);
    CONF_EXPECT_HR(ctx, s.Error, S_OK);
    CONF_EXPECT_TRUE(ctx, s.ExtendedError != S_OK, "ExtendedError != S_OK",
                     "S_OK");
    if (c->arg == 0)
        return;
    nc_mock_restart(ctx, mock, NULL);
    for (int i = 0; i < 200; i++) {
        s = dou_status(ctx, d);
        if (s.State == ST_XFERED)
            break;
        if (clk) {
            CONF_EXPECT_HR(ctx, IDoctsTestClock_Advance(clk, 1000), S_OK);
            dou_nap(20);
        } else {
            dou_nap(1000);
        }
    }
    DOU_EXPECT_STATE(ctx, s.State, ST_XFERED);
    CONF_EXPECT_HR(ctx, s.Error, S_OK);
    CONF_EXPECT_HR(ctx, IDODownload_Finalize(d), S_OK);
    dou_expect_file(ctx, "tr.bin", 0, DOU_PAYLOAD_SIZE);
}

/* DL-24: same LocalPath as a Paused download: first Aborted, second
 * completes. */
static void dn_same_path(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d1 = dou_reach(ctx, m, base, ST_PAUSED, "same.bin");
    IDODownload *d2 = dou_create(ctx, m);
    dou_setup(ctx, d2, base, "/a.bin", "same.bin");
    CONF_EXPECT_HR(ctx, IDODownload_Start(d2, NULL), S_OK);
    dou_wait(ctx, d2, ST_XFERED, DOU_WAIT_MS);
    dou_wait(ctx, d1, ST_ABORTED, DOU_WAIT_MS);
    CONF_EXPECT_HR(ctx, IDODownload_Finalize(d2), S_OK);
    dou_expect_file(ctx, "same.bin", 0, DOU_PAYLOAD_SIZE);
}

/* §9.8: same URL, different paths: independent. */
static void dn_same_url(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d1 = dou_create(ctx, m);
    dou_setup(ctx, d1, base, "/slow.bin", "one.bin");
    CONF_EXPECT_HR(ctx, IDODownload_Start(d1, NULL), S_OK);
    CONF_EXPECT_HR(ctx, IDODownload_Pause(d1), S_OK);
    IDODownload *d2 = dou_create(ctx, m);
    dou_setup(ctx, d2, base, "/slow.bin", "two.bin");
    CONF_EXPECT_HR(ctx, IDODownload_Start(d2, NULL), S_OK);
    dou_wait(ctx, d2, ST_XFERED, 3 * DOU_WAIT_MS);
    CONF_EXPECT_HR(ctx, IDODownload_Finalize(d2), S_OK);
    expect_status(ctx, d1, ST_PAUSED);
    CONF_EXPECT_HR(ctx, IDODownload_Start(d1, NULL), S_OK);
    dou_wait(ctx, d1, ST_XFERED, 3 * DOU_WAIT_MS);
    CONF_EXPECT_HR(ctx, IDODownload_Finalize(d1), S_OK);
    dou_expect_file(ctx, "one.bin", 0, DOU_PAYLOAD_SIZE);
    dou_expect_file(ctx, "two.bin", 0, DOU_PAYLOAD_SIZE);
}

/* HTTP response properties after a transfer (informative: 26-29). */
static void dn_http_props(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_reach(ctx, m, base, ST_XFERED, "h.bin");
    VARIANT v;
    VariantInit(&v);
    CONF_EXPECT_HR(
        ctx, IDODownload_GetProperty(d, DODownloadProperty_HttpStatusCode, &v),
        S_OK);
    CONF_EXPECT_U(ctx, V_VT(&v), VT_UI4);
    CONF_EXPECT_U(ctx, V_UI4(&v), 200);
    CONF_EXPECT_HR(
        ctx,
        IDODownload_GetProperty(d, DODownloadProperty_HttpServerIPAddress, &v),
        S_OK);
    CONF_EXPECT_U(ctx, V_VT(&v), VT_BSTR);
    CONF_EXPECT_WSTR(ctx, V_BSTR(&v), u"127.0.0.1");
    VariantClear(&v);
}

/* ---- sinks and ranges -----------------------------------------------------
 */

static DO_DOWNLOAD_RANGES_INFO *ranges_info(conf_ctx *ctx, const uint64_t *r,
                                            UINT n)
{
    DO_DOWNLOAD_RANGES_INFO *ri = conf_alloc(
        ctx, sizeof *ri + (n ? n - 1 : 0) * sizeof(DO_DOWNLOAD_RANGE));
    ri->RangeCount = n;
    for (UINT i = 0; i < n; i++) {
        ri->Ranges[i].Offset = r[2 * i];
        ri->Ranges[i].Length = r[2 * i + 1];
    }
    return ri;
}

/* A stream download of RANGES (NULL: whole file, Start(NULL)). */
static void stream_case(conf_ctx *ctx, const uint64_t *r, UINT n,
                        bool null_ranges, const uint64_t *want, size_t nwant)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    dou_stream *s = dou_stream_new(ctx);
    CONF_EXPECT_HR(
        ctx,
        dou_set_str(d, DODownloadProperty_Uri, dou_url(ctx, base, "/a.bin")),
        S_OK);
    CONF_EXPECT_HR(ctx,
                   dou_set_unk(d, DODownloadProperty_StreamInterface,
                               (IUnknown *)&s->iface),
                   S_OK);
    CONF_EXPECT_HR(
        ctx, IDODownload_Start(d, null_ranges ? NULL : ranges_info(ctx, r, n)),
        S_OK);
    dou_wait(ctx, d, ST_XFERED, DOU_WAIT_MS);
    dou_expect_bytes(ctx, s->buf, s->len, want, nwant);
}

static void dk_stream(conf_ctx *ctx, const conf_case *c)
{
    static const uint64_t whole[] = {0, DOU_PAYLOAD_SIZE};
    switch (c->arg) {
    case 0: { /* DL-18 whole file by Start(NULL); TotalSizeBytes */
        const char *base = dou_mock(ctx, NULL);
        IDOManager *m = dou_manager(ctx);
        IDODownload *d = dou_create(ctx, m);
        dou_stream *s = dou_stream_new(ctx);
        CONF_EXPECT_HR(ctx,
                       dou_set_str(d, DODownloadProperty_Uri,
                                   dou_url(ctx, base, "/a.bin")),
                       S_OK);
        CONF_EXPECT_HR(ctx,
                       dou_set_unk(d, DODownloadProperty_StreamInterface,
                                   (IUnknown *)&s->iface),
                       S_OK);
        CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
        dou_wait(ctx, d, ST_XFERED, DOU_WAIT_MS);
        dou_expect_bytes(ctx, s->buf, s->len, whole, 1);
        VARIANT v;
        VariantInit(&v);
        CONF_EXPECT_HR(
            ctx,
            IDODownload_GetProperty(d, DODownloadProperty_TotalSizeBytes, &v),
            S_OK);
        CONF_EXPECT_U(ctx, V_VT(&v), VT_UI8);
        CONF_EXPECT_U(ctx, V_UI8(&v), s->len);
        break;
    }
    case 1: { /* SDK's whole file: one range {0, EOF} */
        static const uint64_t r[] = {0, DO_LENGTH_TO_EOF};
        stream_case(ctx, r, 1, false, whole, 1);
        break;
    }
    case 2: { /* [WIN] {0,100},{200,1000} -> exactly 1100 bytes in order */
        static const uint64_t r[] = {0, 100, 200, 1000};
        stream_case(ctx, r, 2, false, r, 2);
        break;
    }
    case 3: { /* ranges written in the order given */
        static const uint64_t r[] = {5000, 300, 10, 20};
        stream_case(ctx, r, 2, false, r, 2);
        break;
    }
    case 4: { /* RangeCount 0 = whole file */
        stream_case(ctx, NULL, 0, false, whole, 1);
        break;
    }
    case 6: { /* a slow sink: Transferred only after the last Write */
        const char *base = dou_mock(ctx, NULL);
        IDOManager *m = dou_manager(ctx);
        IDODownload *d = dou_create(ctx, m);
        dou_stream *s = dou_stream_new(ctx);
        s->delay_ms = 40;
        CONF_EXPECT_HR(ctx,
                       dou_set_str(d, DODownloadProperty_Uri,
                                   dou_url(ctx, base, "/a.bin")),
                       S_OK);
        CONF_EXPECT_HR(ctx,
                       dou_set_unk(d, DODownloadProperty_StreamInterface,
                                   (IUnknown *)&s->iface),
                       S_OK);
        CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
        dou_wait(ctx, d, ST_XFERED, 3 * DOU_WAIT_MS);
        size_t at_transferred = s->len;
        CONF_EXPECT_U(ctx, at_transferred, DOU_PAYLOAD_SIZE);
        dou_expect_bytes(ctx, s->buf, s->len, whole, 1);
        break;
    }
    case 5: { /* Offset + DO_LENGTH_TO_EOF = to the end */
        static const uint64_t r[] = {99000, DO_LENGTH_TO_EOF};
        static const uint64_t w[] = {99000, DOU_PAYLOAD_SIZE - 99000};
        stream_case(ctx, r, 1, false, w, 1);
        break;
    }
    }
}

/* A failing IStream::Write stops the download in Paused with that Error
 * (spec §9.4 SDK comment; DO-6). */
static void dk_stream_fail(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    dou_stream *s = dou_stream_new(ctx);
    s->fail_with = STG_E_MEDIUMFULL;
    CONF_EXPECT_HR(
        ctx,
        dou_set_str(d, DODownloadProperty_Uri, dou_url(ctx, base, "/a.bin")),
        S_OK);
    CONF_EXPECT_HR(ctx,
                   dou_set_unk(d, DODownloadProperty_StreamInterface,
                               (IUnknown *)&s->iface),
                   S_OK);
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    DO_DOWNLOAD_STATUS st = dou_wait(ctx, d, ST_PAUSED, DOU_WAIT_MS);
    CONF_EXPECT_HR(ctx, st.Error, STG_E_MEDIUMFULL);
}

/* LocalPath ranges: bytes at their offsets (DO-5) and BytesTotal = sum of
 * the lengths (§9.3 recommended). */
static void dr_local(conf_ctx *ctx, const conf_case *c)
{
    static const uint64_t r[] = {100, 50, 1000, 24};
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    dou_setup(ctx, d, base, "/a.bin", "rl.bin");
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, ranges_info(ctx, r, 2)), S_OK);
    DO_DOWNLOAD_STATUS s = dou_wait(ctx, d, ST_XFERED, DOU_WAIT_MS);
    if (c->arg == 1) {
        CONF_EXPECT_U(ctx, s.BytesTotal, 74);
        CONF_EXPECT_U(ctx, s.BytesTransferred, 74);
        return;
    }
    CONF_EXPECT_HR(ctx, IDODownload_Finalize(d), S_OK);
    char path[4200];
    snprintf(path, sizeof path, "%s%crl.bin", ctx->tmpdir, '/');
    FILE *f = fopen(path, "rb");
    CONF_EXPECT_NONNULL(ctx, f);
    unsigned char *buf = conf_alloc(ctx, DOU_PAYLOAD_SIZE + 16);
    size_t n = fread(buf, 1, DOU_PAYLOAD_SIZE + 16, f);
    fclose(f);
    CONF_EXPECT_U(ctx, n, DOU_PAYLOAD_SIZE);
    for (size_t k = 0; k < 2; k++)
        dou_expect_bytes(ctx, buf + r[2 * k], (size_t)r[2 * k + 1], r + 2 * k,
                         1);
}

/* Another portion from Transferred: Start(ranges) -> Transferred again
 * with the new bytes ([DOC]; stream sink). */
static void dr_portion(conf_ctx *ctx, const conf_case *c)
{
    static const uint64_t r1[] = {0, 100};
    static const uint64_t r2[] = {500, 200};
    static const uint64_t both[] = {0, 100, 500, 200};
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    dou_stream *s = dou_stream_new(ctx);
    CONF_EXPECT_HR(
        ctx,
        dou_set_str(d, DODownloadProperty_Uri, dou_url(ctx, base, "/a.bin")),
        S_OK);
    CONF_EXPECT_HR(ctx,
                   dou_set_unk(d, DODownloadProperty_StreamInterface,
                               (IUnknown *)&s->iface),
                   S_OK);
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, ranges_info(ctx, r1, 1)), S_OK);
    dou_wait(ctx, d, ST_XFERED, DOU_WAIT_MS);
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, ranges_info(ctx, r2, 1)), S_OK);
    uint64_t end = dou_now_ms() + DOU_WAIT_MS;
    while (s->len < 300 && dou_now_ms() < end)
        dou_nap(5);
    dou_wait(ctx, d, ST_XFERED, DOU_WAIT_MS);
    dou_expect_bytes(ctx, s->buf, s->len, both, 2);
}

/* Range validation at Start (§6.3: codes as in §6.2, UNVERIFIED for
 * IDODownload): ARG 0 Length 0, 1 overlap, 2 Offset DO_LENGTH_TO_EOF,
 * 3 past a known TotalSizeBytes. */
static void dr_invalid(conf_ctx *ctx, const conf_case *c)
{
    static const uint64_t r0[] = {10, 0};
    static const uint64_t r1[] = {0, 100, 50, 100};
    static const uint64_t r2[] = {DO_LENGTH_TO_EOF, 10};
    static const uint64_t r3[] = {DOU_PAYLOAD_SIZE, 10};
    const uint64_t *rs[] = {r0, r1, r2, r3};
    UINT ns[] = {1, 2, 1, 1};
    HRESULT want[] = {DO_E_INVALID_RANGE, DO_E_OVERLAPPING_RANGES,
                      DO_E_INVALID_RANGE, DO_E_INVALID_RANGE};
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    dou_setup(ctx, d, "http://127.0.0.1:9", "/x.bin", "x.bin");
    if (c->arg == 3)
        CONF_EXPECT_HR(
            ctx,
            dou_set_u8(d, DODownloadProperty_TotalSizeBytes, DOU_PAYLOAD_SIZE),
            S_OK);
    CONF_EXPECT_HR(
        ctx, IDODownload_Start(d, ranges_info(ctx, rs[c->arg], ns[c->arg])),
        want[c->arg]);
    expect_status(ctx, d, ST_CREATED);
}

/* ---- callbacks ------------------------------------------------------------
 */

static dou_cb *cb_download(conf_ctx *ctx, IDOManager *m, const char *base,
                           const char *path, dou_cb_mode mode,
                           IDODownload **out)
{
    IDODownload *d = dou_create(ctx, m);
    dou_setup(ctx, d, base, path, "cb.bin");
    dou_cb *cb = dou_cb_new(ctx, mode, d);
    CONF_EXPECT_HR(ctx,
                   dou_set_unk(d, DODownloadProperty_CallbackInterface,
                               (IUnknown *)&cb->iface),
                   S_OK);
    *out = d;
    return cb;
}

static int last_state(dou_cb *cb)
{
    LONG n = __atomic_load_n(&cb->calls, __ATOMIC_SEQ_CST);
    if (n <= 0)
        return -1;
    if (n > (LONG)CONF_ARRAY_LEN(cb->states))
        n = CONF_ARRAY_LEN(cb->states);
    return cb->states[n - 1];
}

/* Waits until the callback saw STATE (or the time ran out). */
static void cb_wait(conf_ctx *ctx, dou_cb *cb, int state)
{
    uint64_t end = dou_now_ms() + DOU_WAIT_MS;
    while (last_state(cb) != state && dou_now_ms() < end)
        dou_nap(5);
    char a[64];
    snprintf(a, sizeof a, "last %s after %ld calls",
             dou_state_name(last_state(cb)), (long)cb->calls);
    CONF_EXPECT_TRUE(ctx, last_state(cb) == state, dou_state_name(state), a);
}

/* §9.5: a transfer notifies Transferred with the download as argument;
 * ARG 1: the sequence (informative, DO-7): Transferring first, every
 * status ordered, nothing for Finalized. */
static void dc_sequence(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d;
    dou_cb *cb = cb_download(ctx, m, base, "/a.bin", DOU_CB_RECORD, &d);
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    dou_wait(ctx, d, ST_XFERED, DOU_WAIT_MS);
    cb_wait(ctx, cb, ST_XFERED);
    CONF_EXPECT_U(ctx, cb->bad_download, 0);
    if (c->arg == 0)
        return;
    CONF_EXPECT_TRUE(ctx, cb->states[0] == ST_XFERING,
                     "the first status Transferring",
                     dou_state_name(cb->states[0]));
    LONG n = cb->calls;
    for (LONG i = 1; i < n && i < (LONG)CONF_ARRAY_LEN(cb->states); i++)
        CONF_EXPECT_TRUE(ctx,
                         cb->states[i] == ST_XFERING ||
                             (cb->states[i] == ST_XFERED && i == n - 1),
                         "Transferring ... then Transferred last",
                         dou_state_name(cb->states[i]));
    CONF_EXPECT_HR(ctx, IDODownload_Finalize(d), S_OK);
    dou_nap(100);
    CONF_EXPECT_U(ctx, cb->calls, n);
}

/* DL-16: a second callback replaces the first. */
static void dc_replace(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d;
    dou_cb *first = cb_download(ctx, m, base, "/a.bin", DOU_CB_RECORD, &d);
    dou_cb *second = dou_cb_new(ctx, DOU_CB_RECORD, d);
    CONF_EXPECT_HR(ctx,
                   dou_set_unk(d, DODownloadProperty_CallbackInterface,
                               (IUnknown *)&second->iface),
                   S_OK);
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    dou_wait(ctx, d, ST_XFERED, DOU_WAIT_MS);
    cb_wait(ctx, second, ST_XFERED);
    CONF_EXPECT_U(ctx, first->calls, 0);
}

/* DL-17 and DO-7: calls from inside OnStatusChange. */
static void dc_reentrant(conf_ctx *ctx, const conf_case *c)
{
    dou_cb_mode mode = (dou_cb_mode)c->arg;
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d;
    const char *path = mode == DOU_CB_FINALIZE || mode == DOU_CB_GETSTATUS
                           ? "/a.bin"
                           : "/slow.bin";
    dou_cb *cb = cb_download(ctx, m, base, path, mode, &d);
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    uint64_t end = dou_now_ms() + DOU_WAIT_MS;
    while (!cb->inner_done && dou_now_ms() < end)
        dou_nap(5);
    CONF_EXPECT_TRUE(ctx, cb->inner_done != 0, "the call made in the callback",
                     "no callback came");
    CONF_EXPECT_HR(ctx, cb->inner_hr, S_OK);
    switch (mode) {
    case DOU_CB_PAUSE:
        dou_wait(ctx, d, ST_PAUSED, DOU_WAIT_MS);
        break;
    case DOU_CB_ABORT: {
        dou_wait(ctx, d, ST_ABORTED, DOU_WAIT_MS);
        LONG n = cb->calls;
        dou_nap(300);
        CONF_EXPECT_U(ctx, cb->calls, n);
        break;
    }
    case DOU_CB_FINALIZE:
        dou_wait(ctx, d, ST_FINAL, DOU_WAIT_MS);
        dou_expect_file(ctx, "cb.bin", 0, DOU_PAYLOAD_SIZE);
        break;
    default:
        dou_wait(ctx, d, ST_XFERED, DOU_WAIT_MS);
        break;
    }
}

/* DO-7: once Abort returns, no callback runs or will run. */
static void dc_none_after_abort(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d;
    dou_cb *cb = cb_download(ctx, m, base, "/slow.bin", DOU_CB_RECORD, &d);
    CONF_EXPECT_HR(
        ctx, dou_set_u4(d, DODownloadProperty_CallbackFreqPercent, 1), S_OK);
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    uint64_t end = dou_now_ms() + DOU_WAIT_MS;
    while (cb->calls < 2 && dou_now_ms() < end)
        dou_nap(5);
    CONF_EXPECT_HR(ctx, IDODownload_Abort(d), S_OK);
    LONG n = cb->calls;
    dou_nap(400);
    CONF_EXPECT_U(ctx, cb->calls, n);
    for (LONG i = 0; i < n && i < (LONG)CONF_ARRAY_LEN(cb->states); i++)
        CONF_EXPECT_TRUE(ctx, cb->states[i] != ST_ABORTED,
                         "Aborted never notified", "an Aborted status");
}

/* §9.2 service transitions in callbacks: a Pause by the caller is
 * notified (informative, DO-7). */
static void dc_pause_notified(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IDOManager *m = dou_manager(ctx);
    IDODownload *d;
    dou_cb *cb = cb_download(ctx, m, base, "/stall.bin", DOU_CB_RECORD, &d);
    CONF_EXPECT_HR(ctx, IDODownload_Start(d, NULL), S_OK);
    cb_wait(ctx, cb, ST_XFERING);
    CONF_EXPECT_HR(ctx, IDODownload_Pause(d), S_OK);
    cb_wait(ctx, cb, ST_PAUSED);
}

/* ---- IDODownloadInternal (our IID; decisions DO-15) -----------------------
 */

static void di_case(conf_ctx *ctx, const conf_case *c)
{
    IDOManager *m = dou_manager(ctx);
    IDODownload *d = dou_create(ctx, m);
    IDODownloadInternal *in = CONF_POISON_PTR;
    HRESULT hr =
        IDODownload_QueryInterface(d, &IID_IDODownloadInternal, (void **)&in);
    if (hr == E_NOINTERFACE)
        conf_skip(ctx, "IDODownloadInternal not answered (its IID is "
                       "unpublished; docts uses its own)");
    CONF_EXPECT_HR(ctx, hr, S_OK);
    conf_defer_release(ctx, (IUnknown *)in);
    VARIANT v;
    VariantInit(&v);
    switch (c->arg) {
    case 0: { /* CorrelationVector shared with DODownloadProperty 17 */
        V_VT(&v) = VT_BSTR;
        V_BSTR(&v) = SysAllocString(u"cv.docts.1");
        hr = IDODownloadInternal_SetPropertyEx(
            in, DODownloadPropertyEx_CorrelationVector, &v);
        VariantClear(&v);
        CONF_EXPECT_HR(ctx, hr, S_OK);
        CONF_EXPECT_HR(ctx,
                       IDODownload_GetProperty(
                           d, DODownloadProperty_CorrelationVector, &v),
                       S_OK);
        CONF_EXPECT_WSTR(ctx, V_BSTR(&v), u"cv.docts.1");
        VariantClear(&v);
        CONF_EXPECT_HR(ctx,
                       IDODownloadInternal_GetPropertyEx(
                           in, DODownloadPropertyEx_CorrelationVector, &v),
                       S_OK);
        CONF_EXPECT_WSTR(ctx, V_BSTR(&v), u"cv.docts.1");
        VariantClear(&v);
        break;
    }
    case 1: /* IntegrityCheckInfo write-only */
        V_VT(&v) = VT_BSTR;
        V_BSTR(&v) = SysAllocString(u"{}");
        hr = IDODownloadInternal_SetPropertyEx(
            in, DODownloadPropertyEx_IntegrityCheckInfo, &v);
        VariantClear(&v);
        CONF_EXPECT_HR(ctx, hr, S_OK);
        CONF_EXPECT_HR(ctx,
                       IDODownloadInternal_GetPropertyEx(
                           in, DODownloadPropertyEx_IntegrityCheckInfo, &v),
                       DO_E_WRITE_ONLY_PROPERTY);
        break;
    case 2: /* reserved ids */
        CONF_EXPECT_HR(ctx,
                       IDODownloadInternal_GetPropertyEx(
                           in, DODownloadPropertyEx_UpdateId, &v),
                       DO_E_UNKNOWN_PROPERTY_ID);
        CONF_EXPECT_HR(ctx,
                       IDODownloadInternal_GetPropertyEx(
                           in, DODownloadPropertyEx_TempLocalFileUsage, &v),
                       DO_E_UNKNOWN_PROPERTY_ID);
        break;
    case 3: { /* identity: QI back to IDODownload */
        IDODownload *back = CONF_POISON_PTR;
        CONF_EXPECT_HR(ctx,
                       IDODownloadInternal_QueryInterface(in, &IID_IDODownload,
                                                          (void **)&back),
                       S_OK);
        conf_defer_release(ctx, (IUnknown *)back);
        CONF_EXPECT_PTR(ctx, back, d);
        break;
    }
    case 4: /* IntegrityCheckMandatory read/write */
        V_VT(&v) = VT_BOOL;
        V_BOOL(&v) = VARIANT_TRUE;
        CONF_EXPECT_HR(
            ctx,
            IDODownloadInternal_SetPropertyEx(
                in, DODownloadPropertyEx_IntegrityCheckMandatory, &v),
            S_OK);
        VariantInit(&v);
        CONF_EXPECT_HR(ctx,
                       IDODownload_GetProperty(
                           d, DODownloadProperty_IntegrityCheckMandatory, &v),
                       S_OK);
        CONF_EXPECT_HEX(ctx, (USHORT)V_BOOL(&v), (USHORT)VARIANT_TRUE);
        break;
    }
}

/* ---- DO-mode BITS-shaped jobs with transfers (§10, §14.8) ---------------- */

static IBackgroundCopyJob *do_job(conf_ctx *ctx)
{
    IBackgroundCopyManager *mgr = CONF_POISON_PTR;
    HRESULT hr = conf_create(ctx, &CLSID_DeliveryOptimization,
                             &IID_IBackgroundCopyManager, (void **)&mgr);
    if (hr == E_NOINTERFACE)
        conf_skip(ctx, "the DO coclass has no IBackgroundCopyManager");
    CONF_EXPECT_HR(ctx, hr, S_OK);
    conf_defer_release(ctx, (IUnknown *)mgr);
    IBackgroundCopyJob *job = CONF_POISON_PTR;
    GUID id;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_CreateJob(
                       mgr, u"docts-do", BG_JOB_TYPE_DOWNLOAD, &id, &job),
                   S_OK);
    conf_track_job(ctx, job);
    IBackgroundCopyJob_Release(job); /* the tracker keeps one */
    return job;
}

static void *qi_or_skip(conf_ctx *ctx, IUnknown *u, REFIID iid,
                        const char *name)
{
    void *p = CONF_POISON_PTR;
    HRESULT hr = IUnknown_QueryInterface(u, iid, &p);
    if (hr == E_NOINTERFACE)
        conf_skip(ctx, "%s not answered", name);
    CONF_EXPECT_HR(ctx, hr, S_OK);
    conf_defer_release(ctx, (IUnknown *)p);
    return p;
}

static BG_JOB_STATE job_wait(conf_ctx *ctx, IBackgroundCopyJob *job,
                             BG_JOB_STATE want)
{
    BG_JOB_STATE st = BG_JOB_STATE_QUEUED;
    uint64_t end = dou_now_ms() + DOU_WAIT_MS;
    for (;;) {
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetState(job, &st), S_OK);
        if (st == want || st == BG_JOB_STATE_ERROR || dou_now_ms() >= end)
            break;
        dou_nap(10);
    }
    CONF_EXPECT_STATE(ctx, st, want);
    return st;
}

static IBackgroundCopyFile *job_first_file(conf_ctx *ctx,
                                           IBackgroundCopyJob *job)
{
    IEnumBackgroundCopyFiles *e = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_EnumFiles(job, &e), S_OK);
    conf_defer_release(ctx, (IUnknown *)e);
    IBackgroundCopyFile *f = CONF_POISON_PTR;
    ULONG got = 0;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, &f, &got), S_OK);
    conf_defer_release(ctx, (IUnknown *)f);
    return f;
}

static void dj_case(conf_ctx *ctx, const conf_case *c)
{
    const char *base = dou_mock(ctx, NULL);
    IBackgroundCopyJob *job = do_job(ctx);
    IDeliveryOptimizationJob *dj =
        qi_or_skip(ctx, (IUnknown *)job, &IID_IDeliveryOptimizationJob,
                   "IDeliveryOptimizationJob");
    if (c->arg == 5) { /* Job2::AddFile + File2 sink path */
        IDeliveryOptimizationJob2 *j2 =
            qi_or_skip(ctx, (IUnknown *)job, &IID_IDeliveryOptimizationJob2,
                       "IDeliveryOptimizationJob2");
        IDeliveryOptimizationFile *f = CONF_POISON_PTR;
        CONF_EXPECT_HR(ctx,
                       IDeliveryOptimizationJob2_AddFile(
                           j2, u"file-1", dou_url(ctx, base, "/a.bin"), 0, NULL,
                           &IID_IDeliveryOptimizationFile, (void **)&f),
                       S_OK);
        conf_defer_release(ctx, (IUnknown *)f);
        IDeliveryOptimizationFile2 *f2 =
            qi_or_skip(ctx, (IUnknown *)f, &IID_IDeliveryOptimizationFile2,
                       "IDeliveryOptimizationFile2");
        VARIANT v;
        VariantInit(&v);
        V_VT(&v) = VT_BSTR;
        V_BSTR(&v) = SysAllocString(conf_tmp_path(ctx, "j2.bin"));
        HRESULT hr = IDeliveryOptimizationFile2_SetProperty(
            f2, DOFilePropertyId_DownloadSinkFilePath, &v);
        VariantClear(&v);
        CONF_EXPECT_HR(ctx, hr, S_OK);
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
        job_wait(ctx, job, BG_JOB_STATE_TRANSFERRED);
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
        dou_expect_file(ctx, "j2.bin", 0, DOU_PAYLOAD_SIZE);
        return;
    }
    if (c->arg == 6) { /* Job2::AddFile with no sink -> Resume fails */
        IDeliveryOptimizationJob2 *j2 =
            qi_or_skip(ctx, (IUnknown *)job, &IID_IDeliveryOptimizationJob2,
                       "IDeliveryOptimizationJob2");
        IDeliveryOptimizationFile *f = CONF_POISON_PTR;
        CONF_EXPECT_HR(ctx,
                       IDeliveryOptimizationJob2_AddFile(
                           j2, u"file-1", dou_url(ctx, base, "/a.bin"), 0, NULL,
                           &IID_IDeliveryOptimizationFile, (void **)&f),
                       S_OK);
        conf_defer_release(ctx, (IUnknown *)f);
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job),
                       DO_E_FILE_DOWNLOADSINK_UNSPECIFIED);
        return;
    }
    CONF_EXPECT_HR(ctx,
                   IDeliveryOptimizationJob_AddFileWithRanges(
                       dj, u"file-1", dou_url(ctx, base, "/a.bin"),
                       conf_tmp_path(ctx, "dj.bin"), 0, NULL,
                       DO_UNKNOWN_FILE_SIZE),
                   S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
    job_wait(ctx, job, BG_JOB_STATE_TRANSFERRED);
    BG_JOB_PROGRESS p;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetProgress(job, &p), S_OK);
    CONF_EXPECT_U(ctx, p.BytesTransferred, DOU_PAYLOAD_SIZE);
    CONF_EXPECT_U(ctx, p.FilesTransferred, 1);
    switch (c->arg) {
    case 0: /* whole file, Complete -> bytes */
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
        dou_expect_file(ctx, "dj.bin", 0, DOU_PAYLOAD_SIZE);
        break;
    case 1: { /* DOJ-04 GetStats after the transfer */
        IBackgroundCopyFile *f = job_first_file(ctx, job);
        IDeliveryOptimizationFile *df =
            qi_or_skip(ctx, (IUnknown *)f, &IID_IDeliveryOptimizationFile,
                       "IDeliveryOptimizationFile");
        DOSwarmStats s;
        memset(&s, 0, sizeof s);
        CONF_EXPECT_HR(ctx, IDeliveryOptimizationFile_GetStats(df, &s), S_OK);
        if (s.fileId)
            CoTaskMemFree(s.fileId);
        if (s.sourceURL)
            CoTaskMemFree(s.sourceURL);
        break;
    }
    case 2: { /* GetStats: bytesFromHttp = the bytes (§10 recommended) */
        IBackgroundCopyFile *f = job_first_file(ctx, job);
        IDeliveryOptimizationFile *df =
            qi_or_skip(ctx, (IUnknown *)f, &IID_IDeliveryOptimizationFile,
                       "IDeliveryOptimizationFile");
        DOSwarmStats s;
        memset(&s, 0, sizeof s);
        CONF_EXPECT_HR(ctx, IDeliveryOptimizationFile_GetStats(df, &s), S_OK);
        uint64_t http = s.bytesFromHttp, peers = s.bytesFromLanPeers;
        if (s.fileId)
            CoTaskMemFree(s.fileId);
        if (s.sourceURL)
            CoTaskMemFree(s.sourceURL);
        CONF_EXPECT_U(ctx, http, DOU_PAYLOAD_SIZE);
        CONF_EXPECT_U(ctx, peers, 0);
        break;
    }
    case 3: { /* DOJ-05 ExtendedErrorInfo after a transfer */
        IDeliveryOptimizationJob2 *j2 =
            qi_or_skip(ctx, (IUnknown *)job, &IID_IDeliveryOptimizationJob2,
                       "IDeliveryOptimizationJob2");
        VARIANT v;
        VariantInit(&v);
        CONF_EXPECT_HR(ctx,
                       IDeliveryOptimizationJob2_GetProperty(
                           j2, DOJobPropertyId_ExtendedErrorInfo, &v),
                       S_OK);
        CONF_EXPECT_U(ctx, V_VT(&v), VT_BSTR);
        VariantClear(&v);
        break;
    }
    case 4: /* DOJ-03 AddFileWithRanges after Complete */
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
        CONF_EXPECT_HR(ctx,
                       IDeliveryOptimizationJob_AddFileWithRanges(
                           dj, u"file-2", dou_url(ctx, base, "/b.bin"),
                           conf_tmp_path(ctx, "dj2.bin"), 0, NULL,
                           DO_UNKNOWN_FILE_SIZE),
                       DO_E_INVALID_STATE);
        break;
    }
}

/* ---- the table ------------------------------------------------------------
 */

#define D CONF_P_DO
#define REQ CONF_REQUIRED
#define INF CONF_INFORMATIVE
#define S_LIB CONF_SETUP_LIB

#define T(id_, if_, m_, rule_, ev_, run_, arg_, x_)                            \
    {                                                                          \
        .id = id_, .iface = if_, .method = m_, .rule = rule_, .profiles = D,   \
        .evidence = ev_, .setup = S_LIB, .run = run_, .arg = arg_,             \
        .expect = x_                                                           \
    }
#define TC(id_, if_, m_, rule_, ev_, run_, arg_, x_)                           \
    {                                                                          \
        .id = id_, .iface = if_, .method = m_, .rule = rule_, .profiles = D,   \
        .evidence = ev_, .setup = S_LIB, .run = run_, .arg = arg_,             \
        .expect = x_, .needs = CONF_NEEDS_CLOCK, .timeout_s = 120              \
    }

#define IM "IDOManager"
#define ID "IDODownload"
#define IE "IEnumUnknown"
#define IC "IDODownloadStatusCallback"
#define II "IDODownloadInternal"

/* §9.2 cells */
#define CELLROW(id_, st_, m_, mname_, rule_, ev_, x_)                          \
    T(id_, ID, mname_, rule_, ev_, ds_cell, CELL(st_, m_), x_)

/* property x state rows */
#define PROW(n_, name_, ev_)                                                   \
    T("DP-1" #n_, ID, "SetProperty", "types.md §5.3; docs/do-api.md", ev_,     \
      dp_type, 1##n_ - 100,                                                    \
      name_ ": Set a valid value in Created, Get returns the table's type "    \
            "(WO: WRITE_ONLY, RO: READ_ONLY)"),                                \
        T("DP-2" #n_, ID, "GetProperty", "§9.4 (never set: E_NOT_SET)", ev_,   \
          dp_default, 1##n_ - 100,                                             \
          name_ ": Get before any Set -> E_NOT_SET / WRITE_ONLY / default"),   \
        T("DP-3" #n_, ID, "SetProperty",                                       \
          "§9.4; decisions.md DO-1 (property x state)", INF, dp_states,        \
          1##n_ - 100,                                                         \
          name_ ": Set a valid value in Created, Transferring, Paused, "       \
                "Transferred, Finalized, Aborted -> S_OK / INVALID_STATE")

static const conf_case cases[] = {
    /* IDOManager */
    T("DM-001", IM, "CreateDownload", "§14.7 DL-01 [WIN]", REQ, dm_create, 0,
      "CreateDownload -> S_OK; GetStatus Created, 0 bytes, Error S_OK"),
    T("DM-002", IM, "CreateDownload", "§9.1; interfaces.md §8", REQ, dm_create,
      1, "two downloads: distinct objects with distinct Ids"),
    T("DM-003", IM, "CreateDownload", "interfaces.md §3 (NULL out)", REQ,
      dm_create_null, 0, "CreateDownload(NULL) -> E_POINTER or E_INVALIDARG"),
    T("DM-004", ID, "QueryInterface", "interfaces.md §3 (identity)", REQ, dm_qi,
      0,
      "IUnknown identity; foreign IID -> E_NOINTERFACE, NULL; NULL out fails"),
    T("DM-005", IM, "EnumDownloads", "§14.7 DL-22 [WIN]", REQ, dm_enum_all, 0,
      "EnumDownloads(NULL) lists both new downloads; each QIs to IDODownload"),
    T("DM-006", IM, "EnumDownloads", "§14.7 DL-23; §9.6 [WIN]", REQ,
      dm_enum_cat, DODownloadProperty_Id,
      "category Id of a Created download -> exactly that download"),
    T("DM-007", IM, "EnumDownloads", "§9.6 [DOC] (category Uri)", REQ,
      dm_enum_cat, DODownloadProperty_Uri,
      "category Uri -> exactly the matching download"),
    T("DM-008", IM, "EnumDownloads", "§9.6 [DOC] (category ContentId)", REQ,
      dm_enum_cat, DODownloadProperty_ContentId,
      "category ContentId -> exactly the matching download"),
    T("DM-009", IM, "EnumDownloads", "§9.6 [DOC] (category DisplayName)", REQ,
      dm_enum_cat, DODownloadProperty_DisplayName,
      "category DisplayName -> exactly the matching download"),
    T("DM-010", IM, "EnumDownloads", "§9.6 [DOC] (category LocalPath)", REQ,
      dm_enum_cat, DODownloadProperty_LocalPath,
      "category LocalPath -> exactly the matching download"),
    T("DM-011", IM, "EnumDownloads", "decisions.md DO-16 (LocalPath case)", INF,
      dm_enum_cat, DODownloadProperty_LocalPath | 0x100,
      "category LocalPath in other letter case still matches"),
    T("DM-012", IM, "EnumDownloads", "§9.6 [WIN] DO_E_NO_DOWNLOADS", REQ,
      dm_enum_nomatch, 0, "no match -> DO_E_NO_DOWNLOADS"),
    T("DM-013", IM, "EnumDownloads", "decisions.md DO-16", INF, dm_enum_nomatch,
      1, "no match -> no enumerator (*ppEnum NULL)"),
    T("DM-014", IM, "EnumDownloads", "decisions.md DO-16", INF, dm_enum_nomatch,
      2, "no downloads, NULL category -> DO_E_NO_DOWNLOADS"),
    T("DM-015", IM, "EnumDownloads", "interfaces.md §3 (NULL out)", REQ,
      dm_enum_bad, 0, "EnumDownloads(NULL ppEnum) -> E_POINTER/E_INVALIDARG"),
    T("DM-016", IM, "EnumDownloads", "interfaces.md §8; decisions.md DO-16",
      INF, dm_enum_bad, 1, "category CostPolicy -> E_INVALIDARG"),
    T("DM-017", IM, "EnumDownloads", "decisions.md DO-16", INF, dm_enum_bad, 2,
      "category value NULL -> E_INVALIDARG"),
    T("DM-018", IM, "EnumDownloads", "§9.6 (Aborted: recommended removed)", INF,
      dm_enum_life, 0, "an Aborted download is no longer enumerated"),
    T("DM-019", IM, "EnumDownloads", "decisions.md DO-16", INF, dm_enum_life, 1,
      "all client pointers released: still enumerable by Id"),
    T("DM-020", IM, "EnumDownloads", "§12 (snapshot, recommended); R22", INF,
      dm_enum_life, 2, "a download created after EnumDownloads is not seen"),
    T("DM-021", IM, "EnumDownloads", "decisions.md DO-16 (oldest first)", INF,
      dm_enum_life, 3, "the oldest download comes first"),

    /* IEnumUnknown over downloads */
    T("DE-001", IE, "Next", "§12 [DOC] (Next S_OK / S_FALSE)", REQ, de_case, 0,
      "3 downloads: Next(1) x3 S_OK, then S_FALSE with 0"),
    T("DE-002", IE, "Next", "§12 [DOC]", REQ, de_case, 1,
      "Next(5) on 3 -> S_FALSE, fetched 3"),
    T("DE-003", IE, "Next", "§12 [DOC] (NULL fetched only for 1)", REQ, de_case,
      2, "Next(2, NULL fetched) -> E_INVALIDARG"),
    T("DE-004", IE, "Next", "§12 [DOC]", REQ, de_case, 3,
      "Next(1, NULL fetched) -> S_OK"),
    T("DE-005", IE, "Skip", "§12 [DOC] (Skip past end S_FALSE)", REQ, de_case,
      4, "Skip(2) S_OK, Next the third; Skip(5) -> S_FALSE"),
    T("DE-006", IE, "Reset", "§12 [DOC] (Reset)", REQ, de_case, 5,
      "Skip(3); Reset -> S_OK; Next(5) gives 3 again"),
    T("DE-007", IE, "Clone", "§12 [DOC] (Clone same position)", REQ, de_case, 6,
      "Clone after Skip(1): both give the remaining 2 independently"),
    T("DE-008", IE, "Release", "§12 [WIN] (Release -> 0)", REQ, de_case, 7,
      "releasing the only reference returns 0"),
    T("DE-009", IE, "Clone", "interfaces.md §3 (NULL out)", REQ, de_case, 8,
      "Clone(NULL) -> E_POINTER or E_INVALIDARG"),

    /* §9.2: every cell of the transition / method matrix */
    CELLROW("DS-001", ST_CREATED, M_START, "Start", "§9.2 Created/Start", REQ,
            "Created: Start -> S_OK, Transferring"),
    CELLROW("DS-002", ST_CREATED, M_PAUSE, "Pause",
            "§9.2 Created/Pause [AGENT]", INF,
            "Created: Pause -> S_OK, still Created"),
    CELLROW("DS-003", ST_CREATED, M_FINALIZE, "Finalize", "§14.7 DL-11", REQ,
            "Created: Finalize -> DO_E_INVALID_STATE"),
    CELLROW("DS-004", ST_CREATED, M_ABORT, "Abort", "§14.7 DL-07 [WIN]", REQ,
            "Created: Abort -> S_OK, Aborted"),
    CELLROW("DS-005", ST_XFERING, M_START, "Start",
            "§9.2 Transferring/Start [AGENT]", INF,
            "Transferring: Start -> S_OK, still Transferring"),
    CELLROW("DS-006", ST_XFERING, M_PAUSE, "Pause", "§14.7 DL-06 [WIN]", REQ,
            "Transferring: Pause -> S_OK, Paused at once"),
    CELLROW("DS-007", ST_XFERING, M_FINALIZE, "Finalize", "§14.7 DL-11", REQ,
            "Transferring: Finalize -> DO_E_INVALID_STATE"),
    CELLROW("DS-008", ST_XFERING, M_ABORT, "Abort",
            "§9.2 Transferring/Abort; §9.1 [DOC]", REQ,
            "Transferring: Abort -> S_OK, Aborted"),
    CELLROW("DS-009", ST_PAUSED, M_START, "Start", "§9.2 Paused/Start [WIN]",
            REQ, "Paused: Start -> S_OK, Transferring (resume)"),
    CELLROW("DS-010", ST_PAUSED, M_PAUSE, "Pause", "§9.2 Paused/Pause [AGENT]",
            INF, "Paused: Pause -> S_OK, still Paused"),
    CELLROW("DS-011", ST_PAUSED, M_FINALIZE, "Finalize", "§14.7 DL-11", REQ,
            "Paused: Finalize -> DO_E_INVALID_STATE"),
    CELLROW("DS-012", ST_PAUSED, M_ABORT, "Abort", "§14.7 DL-08 [WIN]", REQ,
            "Paused: Abort -> S_OK, Aborted"),
    CELLROW("DS-013", ST_XFERED, M_START, "Start",
            "§9.2 Transferred/Start(NULL) [AGENT]", INF,
            "Transferred: Start(NULL) -> S_OK, still Transferred"),
    CELLROW("DS-014", ST_XFERED, M_START_RANGES, "Start",
            "§9.2 Transferred/Start(ranges) [DOC]", REQ,
            "Transferred: Start({0,100}) -> S_OK, Transferring, Transferred"),
    CELLROW("DS-015", ST_XFERED, M_PAUSE, "Pause",
            "§9.2 Transferred/Pause [AGENT]", INF,
            "Transferred: Pause -> S_OK, still Transferred"),
    CELLROW("DS-016", ST_XFERED, M_FINALIZE, "Finalize",
            "§9.2 Transferred/Finalize [WIN]", REQ,
            "Transferred: Finalize -> S_OK, Finalized"),
    CELLROW("DS-017", ST_XFERED, M_ABORT, "Abort",
            "§9.2 Transferred/Abort [WIN] (either)", REQ,
            "Transferred: Abort -> S_OK (Aborted) or INVALID_STATE (stays)"),
    CELLROW("DS-018", ST_FINAL, M_START, "Start", "§14.7 DL-05 [WIN]", REQ,
            "Finalized: Start -> DO_E_INVALID_STATE"),
    CELLROW("DS-019", ST_FINAL, M_PAUSE, "Pause",
            "§9.2 Finalized/Pause [AGENT]", INF,
            "Finalized: Pause -> DO_E_INVALID_STATE"),
    CELLROW("DS-020", ST_FINAL, M_FINALIZE, "Finalize",
            "§9.2 Finalized/Finalize [AGENT]", INF,
            "Finalized: Finalize -> S_OK, still Finalized"),
    CELLROW("DS-021", ST_FINAL, M_ABORT, "Abort", "§14.7 DL-05 [WIN]", REQ,
            "Finalized: Abort -> DO_E_INVALID_STATE"),
    CELLROW("DS-022", ST_ABORTED, M_START, "Start",
            "§9.2 Aborted/Start [AGENT]", INF,
            "Aborted: Start -> DO_E_INVALID_STATE"),
    CELLROW("DS-023", ST_ABORTED, M_PAUSE, "Pause",
            "§9.2 Aborted/Pause [AGENT]", INF,
            "Aborted: Pause -> DO_E_INVALID_STATE"),
    CELLROW("DS-024", ST_ABORTED, M_FINALIZE, "Finalize",
            "§9.2 Aborted/Finalize [AGENT]", INF,
            "Aborted: Finalize -> DO_E_INVALID_STATE"),
    CELLROW("DS-025", ST_ABORTED, M_ABORT, "Abort",
            "§9.2 Aborted/Abort [AGENT]", INF,
            "Aborted: Abort -> S_OK, still Aborted"),
    T("DS-026", ID, "Abort", "decisions.md DO-1 (D15)", INF,
      ds_abort_transferred, 0,
      "Transferred: Abort -> S_OK, Aborted, nothing at LocalPath"),

    /* properties: checklist items */
    T("DP-001", ID, "SetProperty", "§14.7 DL-02 [DOC]", REQ, dp_id, 0,
      "Id: non-empty VT_BSTR; Set -> DO_E_READ_ONLY_PROPERTY, unchanged"),
    T("DP-002", ID, "SetProperty", "§14.7 DL-12", REQ, dp_dl12, 0,
      "Transferring: Set LocalPath -> DO_E_INVALID_STATE"),
    T("DP-003", ID, "SetProperty", "§14.7 DL-12", REQ, dp_dl12, 1,
      "Transferring: Set Uri -> DO_E_INVALID_STATE"),
    T("DP-004", ID, "GetProperty", "§14.7 DL-13 [DOC]", REQ, dp_misc, 0,
      "Get SecurityContext -> DO_E_WRITE_ONLY_PROPERTY"),
    T("DP-005", ID, "GetProperty", "§14.7 DL-14 [DOC]", REQ, dp_misc, 1,
      "Get ContentId never set -> E_NOT_SET"),
    T("DP-006", ID, "GetProperty", "§14.7 DL-15 [DOC]", REQ, dp_misc, 2,
      "property id 1000 -> DO_E_UNKNOWN_PROPERTY_ID on Get and Set"),
    T("DP-007", ID, "SetProperty", "§14.7 DL-25 [WIN]", REQ, dp_misc, 3,
      "DisplayName and ForegroundPriority (TRUE, FALSE) round-trip"),
    T("DP-008", ID, "SetProperty", "§14.7 DL-26 [WIN]", REQ, dp_misc, 4,
      "SecurityContext of garbage bytes -> 0x80092003 CRYPT_E_FILE_ERROR"),
    T("DP-009", ID, "SetProperty", "§9.4; decisions.md DO-8", INF, dp_misc, 5,
      "wrong VARIANT type -> E_INVALIDARG"),
    T("DP-010", ID, "SetProperty", "interfaces.md §3 (NULL pointers)", INF,
      dp_misc, 6, "NULL VARIANT on Set and Get -> E_INVALIDARG/E_POINTER"),
    T("DP-011", ID, "SetProperty", "§9.4 Uri values [AGENT]", INF, dp_misc, 7,
      "Uri \"\" -> E_INVALIDARG; \"not a url\" -> INET_E_INVALID_URL"),
    T("DP-012", ID, "SetProperty", "§9.4 LocalPath values [AGENT]", INF,
      dp_misc, 8, "LocalPath \"\" -> E_INVALIDARG"),
    T("DP-013", ID, "SetProperty", "§9.4; decisions.md DO-1 (D11)", INF,
      dp_misc, 9, "NoProgressTimeoutSeconds 59 -> E_INVALIDARG; 60 -> S_OK"),
    T("DP-014", ID, "SetProperty", "decisions.md DO-6", INF, dp_misc, 10,
      "StreamInterface with LocalPath set -> SINK_ALREADY_SET"),
    T("DP-015", ID, "SetProperty", "docs/do-api.md (value rules)", INF, dp_misc,
      11, "CallbackFreqPercent 101, CostPolicy 6 -> E_INVALIDARG"),
    T("DP-016", ID, "SetProperty", "§9.4 CallbackInterface type", INF, dp_misc,
      12,
      "CallbackInterface not an IDODownloadStatusCallback -> E_NOINTERFACE"),
    T("DP-017", ID, "GetProperty", "§9.4 (unknown id); do-api.md", INF, dp_misc,
      13, "Get id 30 -> UNKNOWN_PROPERTY_ID and VT_EMPTY"),
    T("DP-018", ID, "Start", "§14.7 DL-10 [AGENT]", REQ, dp_start_pre, 0,
      "no Uri/ContentId: Start -> DO_E_DOWNLOAD_NO_URI, still Created"),
    T("DP-019", ID, "Start", "§14.7 DL-10 [AGENT]", REQ, dp_start_pre, 1,
      "no sink: Start -> DO_E_FILE_DOWNLOADSINK_UNSPECIFIED, still Created"),
    T("DP-020", ID, "Start", "decisions.md DO-3", INF, dp_start_pre, 2,
      "ContentId only: Start -> DO_E_DOWNLOAD_NO_URI"),
    T("DP-021", ID, "Start", "decisions.md DO-10", INF, dp_start_pre, 3,
      "IntegrityCheckMandatory without info -> INTEGRITYCHECKINFO_UNSPECIFIED"),

    /* properties: type and access, default, every state */
    PROW(00, "Id", REQ),
    PROW(01, "Uri", REQ),
    PROW(02, "ContentId", REQ),
    PROW(03, "DisplayName", REQ),
    PROW(04, "LocalPath", REQ),
    PROW(05, "HttpCustomHeaders", REQ),
    PROW(06, "CostPolicy", REQ),
    PROW(07, "SecurityFlags", REQ),
    PROW(08, "CallbackFreqPercent", REQ),
    PROW(09, "CallbackFreqSeconds", INF),
    PROW(10, "NoProgressTimeoutSeconds", INF),
    PROW(11, "ForegroundPriority", INF),
    PROW(12, "BlockingMode", INF),
    PROW(13, "CallbackInterface", REQ),
    PROW(14, "StreamInterface", REQ),
    PROW(15, "SecurityContext", INF),
    PROW(16, "NetworkToken", REQ),
    PROW(17, "CorrelationVector", REQ),
    PROW(18, "DecryptionInfo", REQ),
    PROW(19, "IntegrityCheckInfo", REQ),
    PROW(20, "IntegrityCheckMandatory", REQ),
    PROW(21, "TotalSizeBytes", REQ),
    PROW(22, "DisallowOnCellular", INF),
    PROW(23, "HttpCustomAuthHeaders", INF),
    PROW(24, "HttpAllowSecureToNonSecureRedirect", INF),
    PROW(25, "NonVolatile", INF),
    PROW(26, "HttpRedirectionTarget", INF),
    PROW(27, "HttpResponseHeaders", INF),
    PROW(28, "HttpServerIPAddress", INF),
    PROW(29, "HttpStatusCode", INF),

    /* transfers */
    T("DN-001", ID, "Start", "§14.7 DL-03 [WIN]", REQ, dn_whole, 0,
      "Uri+LocalPath, Start -> Transferred, BytesTotal = BytesTransferred = "
      "size; Finalize -> file by SHA-256"),
    T("DN-002", ID, "Finalize", "§14.7 DL-04 [WIN]", REQ, dn_whole, 1,
      "LocalPath absent before Finalize; after it the exact bytes"),
    T("DN-003", ID, "Finalize", "§14.7 DL-05 [WIN]", REQ, dn_whole, 2,
      "after Finalize: Start and Abort -> DO_E_INVALID_STATE, file kept"),
    T("DN-004", IM, "EnumDownloads", "§14.7 DL-23 [WIN]", REQ, dn_whole, 3,
      "after Finalize: EnumDownloads(Id) -> DO_E_NO_DOWNLOADS"),
    T("DN-005", ID, "GetProperty", "§9.4 TotalSizeBytes [WIN]", REQ, dn_whole,
      4, "TotalSizeBytes after the transfer = the size (VT_UI8)"),
    T("DN-006", ID, "Pause", "§14.7 DL-06 [WIN]", REQ, dn_pause_resume, 0,
      "Pause -> Paused at once, Start -> Transferred, Finalize -> bytes"),
    T("DN-007", ID, "Abort", "§14.7 DL-08 [WIN/AGENT]", REQ, dn_abort_paused, 0,
      "Abort of a Paused download: Aborted; no partial file left"),
    T("DN-008", ID, "Start", "§14.7 DL-09 [WIN]", REQ, dn_404, 0,
      "404 -> Paused with Error 0x80190194; Abort -> S_OK"),
    T("DN-009", ID, "GetStatus", "decisions.md DO-2 (fatal)", INF, dn_404, 1,
      "404: ExtendedError S_OK"),
    T("DN-010", ID, "Start", "§14.7 DL-19 [DOC]", REQ, dn_blocking, 0,
      "BlockingMode TRUE: Start returns with the download Transferred"),
    T("DN-011", ID, "Start", "decisions.md DO-14", INF, dn_blocking, 1,
      "BlockingMode TRUE on a 404: Start returns 0x80190194, Paused"),
    TC("DN-012", ID, "GetStatus", "§14.7 DL-20 [DOC/AGENT]", REQ,
       dn_no_progress, 0,
       "stalled server, NoProgressTimeoutSeconds 60 -> Paused, "
       "DO_E_DOWNLOAD_NO_PROGRESS"),
    T("DN-013", ID, "GetStatus", "§14.7 DL-21 [DOC/AGENT]", REQ, dn_transient,
      0, "unreachable server -> Paused, Error S_OK, ExtendedError set"),
    TC("DN-017", ID, "GetStatus", "§14.7 DL-21 [DOC/AGENT] (recovers)", REQ,
       dn_transient, 1,
       "server back: the service resumes by itself -> Transferred, bytes"),
    T("DN-014", ID, "Start", "§14.7 DL-24 [WIN]", REQ, dn_same_path, 0,
      "second download to a Paused one's LocalPath: first Aborted, second "
      "completes"),
    T("DN-015", ID, "Start", "§9.8 [WIN] (same URL)", REQ, dn_same_url, 0,
      "same URL, two paths: independent; both finalize with the bytes"),
    T("DN-016", ID, "GetProperty", "decisions.md DO-1 (D13); do-api.md", INF,
      dn_http_props, 0, "HttpStatusCode 200, HttpServerIPAddress 127.0.0.1"),

    /* sinks and ranges */
    T("DK-001", ID, "SetProperty", "§14.7 DL-18 [WIN]", REQ, dk_stream, 0,
      "stream sink: Write gets exactly the file; TotalSizeBytes = total"),
    T("DK-002", ID, "Start", "§6.3 [DOC] (stream: {0, DO_LENGTH_TO_EOF})", REQ,
      dk_stream, 1, "stream, ranges {0,EOF} -> the whole file"),
    T("DK-003", ID, "Start", "§14.4 RNG-12; §6.3 [WIN]", REQ, dk_stream, 2,
      "stream, ranges {0,100},{200,1000} -> exactly 1100 bytes"),
    T("DK-004", ID, "Start", "§6.3 [WIN] (range after range)", REQ, dk_stream,
      3, "stream, ranges {5000,300},{10,20} -> in the order given"),
    T("DK-005", ID, "Start", "§6.3 [DOC] (RangeCount 0 = whole file)", REQ,
      dk_stream, 4, "stream, RangeCount 0 -> the whole file"),
    T("DK-006", ID, "Start", "§6.3 [DOC] (DO_LENGTH_TO_EOF)", REQ, dk_stream, 5,
      "stream, {99000, EOF} -> the last 1000 bytes"),
    T("DK-008", ID, "SetProperty", "§14.7 DL-18 [WIN] (slow sink)", REQ,
      dk_stream, 6,
      "a slow IStream (40 ms a Write): every byte written before Transferred"),
    T("DK-007", ID, "Start", "§9.4 StreamInterface (SDK); DO-6", INF,
      dk_stream_fail, 0, "Write fails -> Paused with Error = that HRESULT"),
    T("DR-001", ID, "Start", "decisions.md DO-5 (ranges at offsets)", INF,
      dr_local, 0, "LocalPath, ranges -> after Finalize bytes at offsets"),
    T("DR-002", ID, "GetStatus", "§9.3 (recommended sum of lengths)", INF,
      dr_local, 1, "ranges {100,50},{1000,24} -> BytesTotal 74"),
    T("DR-003", ID, "Start", "§6.3 [DOC] (another portion)", REQ, dr_portion, 0,
      "Transferred, Start({500,200}) -> the new bytes after the first"),
    T("DR-004", ID, "Start", "§6.3 (codes of §6.2, UNVERIFIED)", INF,
      dr_invalid, 0, "range Length 0 -> DO_E_INVALID_RANGE, still Created"),
    T("DR-005", ID, "Start", "§6.3 (codes of §6.2, UNVERIFIED)", INF,
      dr_invalid, 1, "overlapping ranges -> DO_E_OVERLAPPING_RANGES"),
    T("DR-006", ID, "Start", "§6.3 (codes of §6.2, UNVERIFIED)", INF,
      dr_invalid, 2, "Offset DO_LENGTH_TO_EOF -> DO_E_INVALID_RANGE"),
    T("DR-007", ID, "Start", "docs/do-api.md (TotalSizeBytes)", INF, dr_invalid,
      3, "range past TotalSizeBytes -> DO_E_INVALID_RANGE"),

    /* callbacks */
    T("DC-001", IC, "OnStatusChange", "§9.5 [DOC]", REQ, dc_sequence, 0,
      "a transfer notifies Transferred; the download argument is ours"),
    T("DC-002", IC, "OnStatusChange", "decisions.md DO-7 (sequence)", INF,
      dc_sequence, 1,
      "Transferring first, Transferred last; nothing after Finalize"),
    T("DC-003", IC, "OnStatusChange", "§14.7 DL-16 [WIN]", REQ, dc_replace, 0,
      "callback set twice: only the second is called"),
    T("DC-004", IC, "OnStatusChange", "§14.7 DL-17 [WIN]", REQ, dc_reentrant,
      DOU_CB_GETSTATUS, "GetStatus from inside OnStatusChange -> S_OK"),
    T("DC-005", IC, "OnStatusChange", "§14.7 DL-17 [WIN]", REQ, dc_reentrant,
      DOU_CB_PAUSE, "Pause from inside OnStatusChange -> S_OK, Paused"),
    T("DC-006", IC, "OnStatusChange", "decisions.md DO-7", INF, dc_reentrant,
      DOU_CB_ABORT,
      "Abort from inside -> S_OK, Aborted, no callback afterwards"),
    T("DC-007", IC, "OnStatusChange", "decisions.md DO-7", INF, dc_reentrant,
      DOU_CB_FINALIZE, "Finalize from inside at Transferred -> Finalized"),
    T("DC-008", IC, "OnStatusChange", "decisions.md DO-7", INF,
      dc_none_after_abort, 0,
      "once Abort returns no callback runs; Aborted never notified"),
    T("DC-009", IC, "OnStatusChange", "§9.5 (on status change)", REQ,
      dc_pause_notified, 0, "Transferring notified; Pause notified as Paused"),

    /* IDODownloadInternal */
    T("DI-001", II, "SetPropertyEx", "§10; decisions.md DO-15", INF, di_case, 0,
      "CorrelationVector by SetPropertyEx reads back through both"),
    T("DI-002", II, "GetPropertyEx", "§10; decisions.md DO-15", INF, di_case, 1,
      "IntegrityCheckInfo write-only through GetPropertyEx"),
    T("DI-003", II, "GetPropertyEx", "§10; decisions.md DO-15", INF, di_case, 2,
      "reserved ids 0 and 6 -> DO_E_UNKNOWN_PROPERTY_ID"),
    T("DI-004", II, "QueryInterface", "interfaces.md §3 (identity)", INF,
      di_case, 3, "QI back to IDODownload gives the same object"),
    T("DI-005", II, "SetPropertyEx", "§10; decisions.md DO-15", INF, di_case, 4,
      "IntegrityCheckMandatory through SetPropertyEx, read via Get"),

    /* DO-mode BITS-shaped jobs */
    T("DJ-001", "IDeliveryOptimizationJob", "AddFileWithRanges",
      "§10; §14.8 DOJ-01", REQ, dj_case, 0,
      "AddFileWithRanges(no ranges), Resume -> TRANSFERRED, Complete -> "
      "bytes"),
    T("DJ-002", "IDeliveryOptimizationFile", "GetStats", "§14.8 DOJ-04 [DOC]",
      REQ, dj_case, 1, "GetStats after a transfer -> S_OK"),
    T("DJ-003", "IDeliveryOptimizationFile", "GetStats",
      "§10 (recommended values)", INF, dj_case, 2,
      "GetStats: bytesFromHttp = size, bytesFromPeers 0"),
    T("DJ-004", "IDeliveryOptimizationJob2", "GetProperty",
      "§14.8 DOJ-05 [DOC]", REQ, dj_case, 3,
      "ExtendedErrorInfo after a transfer -> S_OK VT_BSTR"),
    T("DJ-005", "IDeliveryOptimizationJob", "AddFileWithRanges",
      "§14.8 DOJ-03 [DOC]", REQ, dj_case, 4,
      "after Complete (ACKNOWLEDGED) -> DO_E_INVALID_STATE"),
    T("DJ-006", "IDeliveryOptimizationJob2", "AddFile",
      "§10 (File2 sink, UNVERIFIED)", INF, dj_case, 5,
      "Job2::AddFile + DownloadSinkFilePath, Resume, Complete -> bytes"),
    T("DJ-007", "IDeliveryOptimizationJob2", "AddFile",
      "§10 (no sink, UNVERIFIED)", INF, dj_case, 6,
      "Job2::AddFile without a sink: Resume -> SINK_UNSPECIFIED"),
};

const conf_suite conf_suite_do = {
    .name = "do-downloads",
    .title = "DO downloads: IDOManager, IDODownload state machine, properties "
             "x states, sinks, ranges, callbacks, IDODownloadInternal, DO jobs",
    .cases = cases,
    .ncases = CONF_ARRAY_LEN(cases),
};
