/*
 * QueryInterface over every chain and reference counts (STYLE.md 3;
 * decisions D5, R1, R21): for each object (manager, job, file, both
 * enumerators, error) in both modes, every IID it should answer gives
 * S_OK, the same IUnknown identity and one more reference; a foreign IID
 * (and, in BITS mode, the DO interfaces) gives E_NOINTERFACE with NULL;
 * a NULL out-pointer gives E_POINTER; the final Release returns 0.
 */
#include "support.h"

#include <docom.h>
#include <docts_ext.h>
#include <math.h>

static const GUID foreign = {
    0xfeedface, 0x1234, 0x4321, {0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 1, 2}};

struct iid_row {
    const char *name;
    const IID *iid;
    int bits, dom; /* answered in the mode */
};

static const struct iid_row manager_iids[] = {
    {"IUnknown", &IID_IUnknown, 1, 1},
    {"IBackgroundCopyManager", &IID_IBackgroundCopyManager, 1, 1},
    {"IDoctsTestClock", &IID_IDoctsTestClock, 1, 1},
    {"IBackgroundCopyJob", &IID_IBackgroundCopyJob, 0, 0},
    {"IClassFactory", &IID_IClassFactory, 0, 0},
};

static const struct iid_row job_iids[] = {
    {"IUnknown", &IID_IUnknown, 1, 1},
    {"IBackgroundCopyJob", &IID_IBackgroundCopyJob, 1, 1},
    {"IBackgroundCopyJob2", &IID_IBackgroundCopyJob2, 1, 1},
    {"IBackgroundCopyJob3", &IID_IBackgroundCopyJob3, 1, 1},
    {"IBackgroundCopyJob4", &IID_IBackgroundCopyJob4, 1, 1},
    {"IBackgroundCopyJob5", &IID_IBackgroundCopyJob5, 1, 1},
    {"IBackgroundCopyJobHttpOptions", &IID_IBackgroundCopyJobHttpOptions, 1, 1},
    {"IDeliveryOptimizationJob", &IID_IDeliveryOptimizationJob, 0, 1},
    {"IDeliveryOptimizationJob2", &IID_IDeliveryOptimizationJob2, 0, 1},
    {"IBackgroundCopyFile", &IID_IBackgroundCopyFile, 0, 0},
    {"IBackgroundCopyManager", &IID_IBackgroundCopyManager, 0, 0},
};

static const struct iid_row file_iids[] = {
    {"IUnknown", &IID_IUnknown, 1, 1},
    {"IBackgroundCopyFile", &IID_IBackgroundCopyFile, 1, 1},
    {"IBackgroundCopyFile2", &IID_IBackgroundCopyFile2, 1, 1},
    {"IBackgroundCopyFile3", &IID_IBackgroundCopyFile3, 1, 1},
    {"IBackgroundCopyFile4", &IID_IBackgroundCopyFile4, 1, 1},
    {"IBackgroundCopyFile5", &IID_IBackgroundCopyFile5, 1, 1},
    {"IBackgroundCopyFile6", &IID_IBackgroundCopyFile6, 1, 1},
    {"IDeliveryOptimizationFile", &IID_IDeliveryOptimizationFile, 0, 1},
    {"IDeliveryOptimizationFile2", &IID_IDeliveryOptimizationFile2, 0, 1},
    {"IBackgroundCopyJob", &IID_IBackgroundCopyJob, 0, 0},
};

static const struct iid_row enum_jobs_iids[] = {
    {"IUnknown", &IID_IUnknown, 1, 1},
    {"IEnumBackgroundCopyJobs", &IID_IEnumBackgroundCopyJobs, 1, 1},
    {"IEnumBackgroundCopyFiles", &IID_IEnumBackgroundCopyFiles, 0, 0},
    {"IEnumUnknown", &IID_IEnumUnknown, 0, 0},
};

static const struct iid_row enum_files_iids[] = {
    {"IUnknown", &IID_IUnknown, 1, 1},
    {"IEnumBackgroundCopyFiles", &IID_IEnumBackgroundCopyFiles, 1, 1},
    {"IEnumBackgroundCopyJobs", &IID_IEnumBackgroundCopyJobs, 0, 0},
};

static const struct iid_row error_iids[] = {
    {"IUnknown", &IID_IUnknown, 1, 1},
    {"IBackgroundCopyError", &IID_IBackgroundCopyError, 1, 1},
    {"IBackgroundCopyFile", &IID_IBackgroundCopyFile, 0, 0},
};

/* Checks one object against its table. */
static void check_chain(const char *what, void *obj, enum mode mode,
                        const struct iid_row *rows, size_t n)
{
    IUnknown *id = NULL;
    char ctx[96];
    ASSERT_HR(S_OK, IUnknown_QueryInterface((IUnknown *)obj, &IID_IUnknown,
                                            (void **)&id));
    /* Every answered interface answers every other (symmetry). */
    for (size_t i = 0; i < n; i++) {
        int want = mode == MODE_BITS ? rows[i].bits : rows[i].dom;
        snprintf(ctx, sizeof ctx, "%s QI %s", what, rows[i].name);
        void *out = POISON_PTR;
        ULONG before = refcount(obj);
        HRESULT hr =
            IUnknown_QueryInterface((IUnknown *)obj, rows[i].iid, &out);
        ASSERT_HR_AT(ctx, want ? S_OK : E_NOINTERFACE, hr);
        if (!want) {
            ASSERT_PTR(NULL, out);
            ASSERT_U64_AT(ctx, before, refcount(obj));
            continue;
        }
        if (hr != S_OK || !out || out == POISON_PTR)
            continue;
        ASSERT_U64_AT(ctx, before + 1, refcount(obj));
        /* AddRef and Release through this interface move the one count. */
        ASSERT_U64_AT(ctx, before + 2, IUnknown_AddRef((IUnknown *)out));
        ASSERT_U64_AT(ctx, before + 1, IUnknown_Release((IUnknown *)out));
        IUnknown *id2 = NULL;
        ASSERT_HR_AT(ctx, S_OK,
                     IUnknown_QueryInterface((IUnknown *)out, &IID_IUnknown,
                                             (void **)&id2));
        ASSERT_PTR(id, id2);
        release(id2);
        for (size_t k = 0; k < n; k++) {
            int want2 = mode == MODE_BITS ? rows[k].bits : rows[k].dom;
            void *back = POISON_PTR;
            char ctx2[160];
            snprintf(ctx2, sizeof ctx2, "%s via %s QI %s", what, rows[i].name,
                     rows[k].name);
            ASSERT_HR_AT(
                ctx2, want2 ? S_OK : E_NOINTERFACE,
                IUnknown_QueryInterface((IUnknown *)out, rows[k].iid, &back));
            if (want2 && back && back != POISON_PTR)
                release(back);
        }
        release(out);
    }
    void *out = POISON_PTR;
    snprintf(ctx, sizeof ctx, "%s QI foreign", what);
    ASSERT_HR_AT(ctx, E_NOINTERFACE,
                 IUnknown_QueryInterface((IUnknown *)obj, &foreign, &out));
    ASSERT_PTR(NULL, out);
    /* R36: a NULL riid. */
    out = POISON_PTR;
    snprintf(ctx, sizeof ctx, "%s QI NULL riid", what);
    ASSERT_HR_AT(ctx, E_INVALIDARG,
                 IUnknown_QueryInterface((IUnknown *)obj, NULL, &out));
    ASSERT_PTR(NULL, out);
    snprintf(ctx, sizeof ctx, "%s QI NULL out", what);
    ASSERT_HR_AT(ctx, E_POINTER,
                 IUnknown_QueryInterface((IUnknown *)obj, &IID_IUnknown, NULL));
    /* AddRef / Release move the count by one. */
    ULONG c = refcount(obj);
    ASSERT_U64(c + 1, IUnknown_AddRef((IUnknown *)obj));
    ASSERT_U64(c + 2, IUnknown_AddRef((IUnknown *)obj));
    ASSERT_U64(c + 1, IUnknown_Release((IUnknown *)obj));
    ASSERT_U64(c, IUnknown_Release((IUnknown *)obj));
    release(id);
}

static void manager(enum mode mode)
{
    IBackgroundCopyManager *m = make_manager(mode);
    if (!m)
        return;
    check_chain("manager", m, mode, manager_iids, ARRAY_LEN(manager_iids));
    ASSERT_U64(0, release(m));
}
BOTH_MODES(manager)

/* The job: held once by the queue until Cancel, then the client's final
 * Release returns 0. */
static void job(enum mode mode)
{
    IBackgroundCopyManager *m = make_manager(mode);
    if (!m)
        return;
    IBackgroundCopyJob *j = NULL;
    GUID id;
    ASSERT_HR(S_OK, IBackgroundCopyManager_CreateJob(
                        m, u"qi", BG_JOB_TYPE_DOWNLOAD, &id, &j));
    if (j) {
        check_chain("job", j, mode, job_iids, ARRAY_LEN(job_iids));
        ASSERT_HR(S_OK, IBackgroundCopyJob_Cancel(j));
        ASSERT_U64(0, release(j));
    }
    ASSERT_U64(0, release(m));
}
BOTH_MODES(job)

static void file(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile *f = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *j = fx_job(&fx, 1);
    if (!j || !(f = job_file(j, 0)))
        goto out;
    check_chain("file", f, mode, file_iids, ARRAY_LEN(file_iids));
    ASSERT_U64(0, release(f));
    f = NULL;
out:
    release(f);
    fx_close(&fx);
}
BOTH_MODES(file)

static void enumerators(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *j = fx_job(&fx, 1);
    IEnumBackgroundCopyJobs *ej = NULL;
    IEnumBackgroundCopyFiles *ef = NULL;
    if (!j)
        goto out;
    ASSERT_HR(S_OK, IBackgroundCopyManager_EnumJobs(fx.mgr, 0, &ej));
    ASSERT_HR(S_OK, IBackgroundCopyJob_EnumFiles(j, &ef));
    if (ej) {
        check_chain("enum jobs", ej, mode, enum_jobs_iids,
                    ARRAY_LEN(enum_jobs_iids));
        ASSERT_U64(0, release(ej));
    }
    if (ef) {
        check_chain("enum files", ef, mode, enum_files_iids,
                    ARRAY_LEN(enum_files_iids));
        ASSERT_U64(0, release(ef));
    }
out:
    fx_close(&fx);
}
BOTH_MODES(enumerators)

static void error(enum mode mode)
{
    struct fx fx;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *j = fx_job(&fx, 1);
    if (!j ||
        plant_error(j, 0, BG_ERROR_CONTEXT_REMOTE_FILE, BG_E_HTTP_ERROR_404, 0))
        goto out;
    IBackgroundCopyError *e = NULL;
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetError(j, &e));
    if (e) {
        check_chain("error", e, mode, error_iids, ARRAY_LEN(error_iids));
        ASSERT_U64(0, release(e));
    }
out:
    fx_close(&fx);
}
BOTH_MODES(error)

/* The factory answers IUnknown and IClassFactory only. */
static void factory(enum mode mode)
{
    static const struct iid_row rows[] = {
        {"IUnknown", &IID_IUnknown, 1, 1},
        {"IClassFactory", &IID_IClassFactory, 1, 1},
        {"IBackgroundCopyManager", &IID_IBackgroundCopyManager, 0, 0},
    };
    IClassFactory *cf = NULL;
    ASSERT_HR(S_OK, DllGetClassObject(mode_clsid[mode], &IID_IClassFactory,
                                      (void **)&cf));
    if (!cf)
        return;
    check_chain("factory", cf, mode, rows, ARRAY_LEN(rows));
    release(cf);
}
BOTH_MODES(factory)

/* R34: the manager's test clock. */
static void manager_test_clock(enum mode mode)
{
    IBackgroundCopyManager *m = make_manager(mode);
    IDoctsTestClock *c = m ? qi(m, &IID_IDoctsTestClock) : NULL;
    if (!c)
        goto out;
    double f = -1;
    ASSERT_HR(S_OK, IDoctsTestClock_GetSpeedFactor(c, &f));
    ASSERT_TRUE(f >= 1.0);
    static const struct {
        double v;
        HRESULT hr;
    } rows[] = {{1.0, S_OK},
                {1000.0, S_OK},
                {0.5, E_INVALIDARG},
                {0.0, E_INVALIDARG},
                {-3.0, E_INVALIDARG},
                {NAN, E_INVALIDARG},
                {INFINITY, E_INVALIDARG}};
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "speed %g", rows[i].v);
        ASSERT_HR(S_OK, IDoctsTestClock_SetSpeedFactor(c, 2.0));
        ASSERT_HR_AT(ctx, rows[i].hr,
                     IDoctsTestClock_SetSpeedFactor(c, rows[i].v));
        f = -1;
        ASSERT_HR(S_OK, IDoctsTestClock_GetSpeedFactor(c, &f));
        t_check(f == (rows[i].hr == S_OK ? rows[i].v : 2.0), __LINE__, __FILE__,
                "[%s] speed read back %g", ctx, f);
    }
    ASSERT_HR(S_OK, IDoctsTestClock_SetSpeedFactor(c, 1.0));
    FILETIME a, b;
    POISON(a);
    POISON(b);
    ASSERT_HR(S_OK, IDoctsTestClock_GetNow(c, &a));
    ASSERT_HR(S_OK, IDoctsTestClock_Advance(c, 60000));
    ASSERT_HR(S_OK, IDoctsTestClock_GetNow(c, &b));
    uint64_t ta = ((uint64_t)a.dwHighDateTime << 32) | a.dwLowDateTime;
    uint64_t tb = ((uint64_t)b.dwHighDateTime << 32) | b.dwLowDateTime;
    ASSERT_TRUE(tb >= ta + 60000ull * 10000ull);
    /* Our own interface: COM's E_POINTER (STYLE.md 3; R1 covers only the
     * BITS/DO interfaces). */
    ASSERT_HR(E_POINTER, IDoctsTestClock_GetSpeedFactor(c, NULL));
    ASSERT_HR(E_POINTER, IDoctsTestClock_GetNow(c, NULL));
    ASSERT_U64(refcount(m), refcount(c));
out:
    release(c);
    release(m);
}
BOTH_MODES(manager_test_clock)

CU_TestInfo tests_qi[] = {
    BOTH_INFO(manager),
    BOTH_INFO(job),
    BOTH_INFO(file),
    BOTH_INFO(enumerators),
    BOTH_INFO(error),
    BOTH_INFO(factory),
    BOTH_INFO(manager_test_clock),
    CU_TEST_INFO_NULL,
};
