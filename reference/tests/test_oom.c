/*
 * Out of memory (STYLE.md 14, decisions R32): for each operation the
 * reference's allocation seam fails the 1st, 2nd, ... allocation of the
 * call until the call succeeds; every failing run must return exactly
 * E_OUTOFMEMORY, leave the out-parameters NULL and the object unchanged,
 * and leak nothing (LeakSanitizer checks at exit).  One table of
 * operations, one loop.
 */
#include "support.h"

#include <docom.h>

#include "ref_alloc.h"

struct env {
    struct fx *fx;
    IBackgroundCopyJob *job; /* one file, f0 */
    IBackgroundCopyError *err;
    IBackgroundCopyFile *file;    /* f0 */
    IBackgroundCopyFile2 *ranged; /* the ranged second file */
    IBackgroundCopyJob2 *j2;
    IBackgroundCopyJobHttpOptions *opts;
    IEnumBackgroundCopyFiles *files;
    /* DO mode only */
    IDeliveryOptimizationJob *dj;
    IDeliveryOptimizationJob2 *dj2;
    IDeliveryOptimizationFile *df;
    IDeliveryOptimizationFile2 *df2;
    int n; /* counter for unique names */
};

#define ARM(n) ref_alloc_fail_nth(n)
#define DISARM() ref_alloc_fail_nth(0)

/* Frees a returned string, asserting NULL after a failure. */
static HRESULT str_out(HRESULT hr, LPWSTR s)
{
    if (SUCCEEDED(hr))
        CoTaskMemFree(s);
    else
        ASSERT_PTR(NULL, s);
    return hr;
}

static HRESULT o_createjob(struct env *e, long n)
{
    IEnumBackgroundCopyJobs *en = NULL;
    ULONG before = 0, after = 0;
    IBackgroundCopyManager_EnumJobs(e->fx->mgr, 0, &en);
    if (en) {
        IEnumBackgroundCopyJobs_GetCount(en, &before);
        release(en);
    }
    IBackgroundCopyJob *j = POISON_PTR;
    GUID id;
    ARM(n);
    HRESULT hr = IBackgroundCopyManager_CreateJob(
        e->fx->mgr, u"oom", BG_JOB_TYPE_DOWNLOAD, &id, &j);
    DISARM();
    if (hr == S_OK) {
        fx_track(e->fx, j);
        return hr;
    }
    ASSERT_PTR(NULL, j);
    en = NULL;
    IBackgroundCopyManager_EnumJobs(e->fx->mgr, 0, &en);
    if (en) {
        IEnumBackgroundCopyJobs_GetCount(en, &after);
        release(en);
    }
    ASSERT_U64(before, after);
    return hr;
}

static HRESULT o_addfile(struct env *e, long n)
{
    char name[16];
    snprintf(name, sizeof name, "o%d", e->n++);
    WCHAR *u = fx_url(name), *p = fx_path(e->fx, name);
    ULONG before = job_file_count(e->job);
    ARM(n);
    HRESULT hr = IBackgroundCopyJob_AddFile(e->job, u, p);
    DISARM();
    if (hr != S_OK)
        ASSERT_U64(before, job_file_count(e->job));
    CoTaskMemFree(u);
    CoTaskMemFree(p);
    return hr;
}

static HRESULT o_addfileset(struct env *e, long n)
{
    WCHAR *u[3], *p[3];
    BG_FILE_INFO fi[3];
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", e->n++);
        u[i] = fx_url(name);
        p[i] = fx_path(e->fx, name);
        fi[i].RemoteName = u[i];
        fi[i].LocalName = p[i];
    }
    ULONG before = job_file_count(e->job);
    ARM(n);
    HRESULT hr = IBackgroundCopyJob_AddFileSet(e->job, 3, fi);
    DISARM();
    if (hr != S_OK)
        ASSERT_U64(before, job_file_count(e->job));
    for (int i = 0; i < 3; i++) {
        CoTaskMemFree(u[i]);
        CoTaskMemFree(p[i]);
    }
    return hr;
}

static HRESULT o_addfilewithranges(struct env *e, long n)
{
    IBackgroundCopyJob3 *j3 = qi(e->job, &IID_IBackgroundCopyJob3);
    if (!j3)
        return E_FAIL;
    char name[16];
    snprintf(name, sizeof name, "r%d", e->n++);
    WCHAR *u = fx_url(name), *p = fx_path(e->fx, name);
    BG_FILE_RANGE r[2] = {{0, 10}, {100, 10}};
    ULONG before = job_file_count(e->job);
    ARM(n);
    HRESULT hr = IBackgroundCopyJob3_AddFileWithRanges(j3, u, p, 2, r);
    DISARM();
    if (hr != S_OK)
        ASSERT_U64(before, job_file_count(e->job));
    CoTaskMemFree(u);
    CoTaskMemFree(p);
    release(j3);
    return hr;
}

static HRESULT o_getdisplayname(struct env *e, long n)
{
    LPWSTR s = POISON_PTR;
    ARM(n);
    HRESULT hr = IBackgroundCopyJob_GetDisplayName(e->job, &s);
    DISARM();
    return str_out(hr, s);
}

static HRESULT o_getdescription(struct env *e, long n)
{
    LPWSTR s = POISON_PTR;
    ARM(n);
    HRESULT hr = IBackgroundCopyJob_GetDescription(e->job, &s);
    DISARM();
    return str_out(hr, s);
}

static HRESULT o_getowner(struct env *e, long n)
{
    LPWSTR s = POISON_PTR;
    ARM(n);
    HRESULT hr = IBackgroundCopyJob_GetOwner(e->job, &s);
    DISARM();
    return str_out(hr, s);
}

static HRESULT o_getproxysettings(struct env *e, long n)
{
    IBackgroundCopyJob_SetProxySettings(e->job, BG_JOB_PROXY_USAGE_OVERRIDE,
                                        u"p:1", u"<local>");
    BG_JOB_PROXY_USAGE u;
    LPWSTR a = POISON_PTR, b = POISON_PTR;
    ARM(n);
    HRESULT hr = IBackgroundCopyJob_GetProxySettings(e->job, &u, &a, &b);
    DISARM();
    str_out(hr, a);
    return str_out(hr, b);
}

static HRESULT o_setdisplayname(struct env *e, long n)
{
    IBackgroundCopyJob_SetDisplayName(e->job, u"old");
    ARM(n);
    HRESULT hr = IBackgroundCopyJob_SetDisplayName(e->job, u"a new name");
    DISARM();
    LPWSTR s = NULL;
    IBackgroundCopyJob_GetDisplayName(e->job, &s);
    ASSERT_WSTR(hr == S_OK ? u"a new name" : u"old", s);
    CoTaskMemFree(s);
    return hr;
}

static HRESULT o_setdescription(struct env *e, long n)
{
    IBackgroundCopyJob_SetDescription(e->job, u"old");
    ARM(n);
    HRESULT hr = IBackgroundCopyJob_SetDescription(e->job, u"described");
    DISARM();
    LPWSTR s = NULL;
    IBackgroundCopyJob_GetDescription(e->job, &s);
    ASSERT_WSTR(hr == S_OK ? u"described" : u"old", s);
    CoTaskMemFree(s);
    return hr;
}

static HRESULT o_setproxysettings(struct env *e, long n)
{
    IBackgroundCopyJob_SetProxySettings(e->job, BG_JOB_PROXY_USAGE_PRECONFIG,
                                        NULL, NULL);
    ARM(n);
    HRESULT hr = IBackgroundCopyJob_SetProxySettings(
        e->job, BG_JOB_PROXY_USAGE_OVERRIDE, u"p:1", u"b");
    DISARM();
    BG_JOB_PROXY_USAGE u = (BG_JOB_PROXY_USAGE)POISON_U32;
    LPWSTR a = NULL, b = NULL;
    IBackgroundCopyJob_GetProxySettings(e->job, &u, &a, &b);
    ASSERT_U64(hr == S_OK ? BG_JOB_PROXY_USAGE_OVERRIDE
                          : BG_JOB_PROXY_USAGE_PRECONFIG,
               u);
    CoTaskMemFree(a);
    CoTaskMemFree(b);
    return hr;
}

static HRESULT o_enumfiles(struct env *e, long n)
{
    IEnumBackgroundCopyFiles *en = POISON_PTR;
    ARM(n);
    HRESULT hr = IBackgroundCopyJob_EnumFiles(e->job, &en);
    DISARM();
    if (hr == S_OK)
        release(en);
    else
        ASSERT_PTR(NULL, en);
    return hr;
}

static HRESULT o_enumjobs(struct env *e, long n)
{
    IEnumBackgroundCopyJobs *en = POISON_PTR;
    ARM(n);
    HRESULT hr = IBackgroundCopyManager_EnumJobs(e->fx->mgr, 0, &en);
    DISARM();
    if (hr == S_OK)
        release(en);
    else
        ASSERT_PTR(NULL, en);
    return hr;
}

/* One call whose [out] string must be NULL after a failure. */
#define STR_OP(fn, call)                                                       \
    static HRESULT fn(struct env *e, long n)                                   \
    {                                                                          \
        LPWSTR s = POISON_PTR;                                                 \
        ARM(n);                                                                \
        HRESULT hr = (call);                                                   \
        DISARM();                                                              \
        return str_out(hr, s);                                                 \
    }
/* One call whose [out] interface must be NULL after a failure. */
#define OBJ_OP(fn, type, call)                                                 \
    static HRESULT fn(struct env *e, long n)                                   \
    {                                                                          \
        type *o = POISON_PTR;                                                  \
        ARM(n);                                                                \
        HRESULT hr = (call);                                                   \
        DISARM();                                                              \
        if (SUCCEEDED(hr))                                                     \
            release(o);                                                        \
        else                                                                   \
            ASSERT_PTR(NULL, o);                                               \
        return hr;                                                             \
    }

static HRESULT o_enum_next(struct env *e, long n)
{
    IBackgroundCopyFile *f = POISON_PTR;
    ULONG got = POISON_U32;
    IEnumBackgroundCopyFiles_Reset(e->files);
    ARM(n);
    HRESULT hr = IEnumBackgroundCopyFiles_Next(e->files, 1, &f, &got);
    DISARM();
    if (hr == S_OK) {
        release(f);
    } else {
        ASSERT_U64(0, got);
        /* The position did not move. */
        IBackgroundCopyFile *again = NULL;
        ASSERT_HR(S_OK,
                  IEnumBackgroundCopyFiles_Next(e->files, 1, &again, NULL));
        release(again);
    }
    return hr;
}

OBJ_OP(o_enum_clone, IEnumBackgroundCopyFiles,
       IEnumBackgroundCopyFiles_Clone(e->files, &o))
OBJ_OP(o_geterror, IBackgroundCopyError,
       IBackgroundCopyJob_GetError(e->job, &o))
STR_OP(o_err_description,
       IBackgroundCopyError_GetErrorDescription(e->err, 0x409, &s))
STR_OP(o_err_context_description,
       IBackgroundCopyError_GetErrorContextDescription(e->err, 0x409, &s))
STR_OP(o_err_protocol, IBackgroundCopyError_GetProtocol(e->err, &s))
OBJ_OP(o_err_getfile, IBackgroundCopyFile,
       IBackgroundCopyError_GetFile(e->err, &o))
STR_OP(o_mgr_description, IBackgroundCopyManager_GetErrorDescription(
                              e->fx->mgr, BG_E_INVALID_STATE, 0x409, &s))

static HRESULT o_getjob(struct env *e, long n)
{
    GUID id;
    IBackgroundCopyJob_GetId(e->job, &id);
    IBackgroundCopyJob *j = POISON_PTR;
    ARM(n);
    HRESULT hr = IBackgroundCopyManager_GetJob(e->fx->mgr, &id, &j);
    DISARM();
    if (hr == S_OK)
        release(j);
    else
        ASSERT_PTR(NULL, j);
    return hr;
}

STR_OP(o_remote_name, IBackgroundCopyFile_GetRemoteName(e->file, &s))
STR_OP(o_local_name, IBackgroundCopyFile_GetLocalName(e->file, &s))

static HRESULT o_temporary_name(struct env *e, long n)
{
    IBackgroundCopyFile3 *f3 = qi(e->file, &IID_IBackgroundCopyFile3);
    if (!f3)
        return E_FAIL;
    LPWSTR s = POISON_PTR;
    ARM(n);
    HRESULT hr = IBackgroundCopyFile3_GetTemporaryName(f3, &s);
    DISARM();
    release(f3);
    return str_out(hr, s);
}

static HRESULT o_file_ranges(struct env *e, long n)
{
    DWORD cnt = POISON_U32;
    BG_FILE_RANGE *r = POISON_PTR;
    ARM(n);
    HRESULT hr = IBackgroundCopyFile2_GetFileRanges(e->ranged, &cnt, &r);
    DISARM();
    if (hr == S_OK) {
        ASSERT_U64(2, cnt);
        CoTaskMemFree(r);
    } else {
        ASSERT_PTR(NULL, r);
        ASSERT_U64(0, cnt);
    }
    return hr;
}

static HRESULT o_set_remote_name(struct env *e, long n)
{
    IBackgroundCopyFile2_SetRemoteName(e->ranged, u"http://127.0.0.1:9/old");
    ARM(n);
    HRESULT hr = IBackgroundCopyFile2_SetRemoteName(e->ranged,
                                                    u"http://127.0.0.1:9/new");
    DISARM();
    LPWSTR s = NULL;
    IBackgroundCopyFile2_GetRemoteName(e->ranged, &s);
    ASSERT_WSTR(
        hr == S_OK ? u"http://127.0.0.1:9/new" : u"http://127.0.0.1:9/old", s);
    CoTaskMemFree(s);
    return hr;
}

static HRESULT o_set_cmdline(struct env *e, long n)
{
    ARM(n);
    HRESULT hr = IBackgroundCopyJob2_SetNotifyCmdLine(e->j2, u"/bin/true",
                                                      u"/bin/true x");
    DISARM();
    return hr;
}

static HRESULT o_get_cmdline(struct env *e, long n)
{
    LPWSTR a = POISON_PTR, b = POISON_PTR;
    ARM(n);
    HRESULT hr = IBackgroundCopyJob2_GetNotifyCmdLine(e->j2, &a, &b);
    DISARM();
    str_out(hr, a);
    return str_out(hr, b);
}

static HRESULT o_set_headers(struct env *e, long n)
{
    ARM(n);
    HRESULT hr =
        IBackgroundCopyJobHttpOptions_SetCustomHeaders(e->opts, u"A: b\r\n");
    DISARM();
    return hr;
}

STR_OP(o_get_headers,
       IBackgroundCopyJobHttpOptions_GetCustomHeaders(e->opts, &s))

static HRESULT o_set_credentials(struct env *e, long n)
{
    BG_AUTH_CREDENTIALS c;
    memset(&c, 0, sizeof c);
    c.Target = BG_AUTH_TARGET_PROXY;
    c.Scheme = BG_AUTH_SCHEME_BASIC;
    c.Credentials.Basic.UserName = (LPWSTR)u"user";
    c.Credentials.Basic.Password = (LPWSTR)u"password";
    ARM(n);
    HRESULT hr = IBackgroundCopyJob2_SetCredentials(e->j2, &c);
    DISARM();
    return hr;
}

static HRESULT o_factory(struct env *e, long n)
{
    IClassFactory *cf = POISON_PTR;
    ARM(n);
    HRESULT hr = DllGetClassObject(mode_clsid[e->fx->mode], &IID_IClassFactory,
                                   (void **)&cf);
    DISARM();
    if (hr == S_OK)
        release(cf);
    else
        ASSERT_PTR(NULL, cf);
    return hr;
}

static HRESULT o_create_instance(struct env *e, long n)
{
    IClassFactory *cf = NULL;
    if (DllGetClassObject(mode_clsid[e->fx->mode], &IID_IClassFactory,
                          (void **)&cf) != S_OK)
        return E_FAIL;
    IBackgroundCopyManager *m = POISON_PTR;
    ARM(n);
    HRESULT hr = IClassFactory_CreateInstance(
        cf, NULL, &IID_IBackgroundCopyManager, (void **)&m);
    DISARM();
    if (hr == S_OK)
        release(m);
    else
        ASSERT_PTR(NULL, m);
    release(cf);
    return hr;
}

static HRESULT o_do_addfilewithranges(struct env *e, long n)
{
    char name[16];
    snprintf(name, sizeof name, "d%d", e->n++);
    WCHAR *u = fx_url(name), *p = fx_path(e->fx, name), *id = wfrom(name);
    BG_FILE_RANGE r = {0, 1};
    ULONG before = job_file_count(e->job);
    ARM(n);
    HRESULT hr =
        IDeliveryOptimizationJob_AddFileWithRanges(e->dj, id, u, p, 1, &r, 5);
    DISARM();
    if (hr != S_OK)
        ASSERT_U64(before, job_file_count(e->job));
    CoTaskMemFree(u);
    CoTaskMemFree(p);
    CoTaskMemFree(id);
    return hr;
}

static HRESULT o_do_job2_addfile(struct env *e, long n)
{
    char name[16];
    snprintf(name, sizeof name, "x%d", e->n++);
    WCHAR *id = wfrom(name);
    void *obj = POISON_PTR;
    ULONG before = job_file_count(e->job);
    ARM(n);
    HRESULT hr = IDeliveryOptimizationJob2_AddFile(
        e->dj2, id, NULL, 0, NULL, &IID_IDeliveryOptimizationFile, &obj);
    DISARM();
    CoTaskMemFree(id);
    if (hr == S_OK) {
        release(obj);
    } else {
        ASSERT_PTR(NULL, obj);
        ASSERT_U64(before, job_file_count(e->job));
    }
    return hr;
}

static HRESULT o_do_getstats(struct env *e, long n)
{
    DOSwarmStats s;
    POISON(s);
    ARM(n);
    HRESULT hr = IDeliveryOptimizationFile_GetStats(e->df, &s);
    DISARM();
    if (hr == S_OK) {
        CoTaskMemFree(s.fileId);
        CoTaskMemFree(s.sourceURL);
    } else {
        ASSERT_PTR(NULL, s.fileId);
        ASSERT_PTR(NULL, s.sourceURL);
    }
    return hr;
}

static HRESULT o_do_job_property(struct env *e, long n)
{
    VARIANT v;
    memset(&v, 0xCD, sizeof v);
    ARM(n);
    HRESULT hr = IDeliveryOptimizationJob2_GetProperty(
        e->dj2, DOJobPropertyId_ExtendedErrorInfo, &v);
    DISARM();
    if (hr == S_OK)
        VariantClear(&v);
    else
        ASSERT_U64(VT_EMPTY, V_VT(&v));
    return hr;
}

static HRESULT o_do_file_property(struct env *e, long n)
{
    VARIANT v;
    memset(&v, 0xCD, sizeof v);
    ARM(n);
    HRESULT hr = IDeliveryOptimizationFile2_GetProperty(
        e->df2, DOFilePropertyId_DownloadSinkFilePath, &v);
    DISARM();
    if (hr == S_OK)
        VariantClear(&v);
    else
        ASSERT_U64(VT_EMPTY, V_VT(&v));
    return hr;
}

static HRESULT o_do_set_file_property(struct env *e, long n)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(u"{\"PiecesHashFileUrl\":\"http://h/p\"}");
    ARM(n);
    HRESULT hr = IDeliveryOptimizationFile2_SetProperty(
        e->df2, DOFilePropertyId_IntegrityCheckInfo, &v);
    DISARM();
    VariantClear(&v);
    return hr;
}

struct oom_row {
    const char *name;
    HRESULT (*op)(struct env *, long);
    int do_only;
    int may_not_allocate; /* success at the first run is fine */
};

static const struct oom_row rows[] = {
    {"CreateJob", o_createjob, 0, 0},
    {"AddFile", o_addfile, 0, 0},
    {"AddFileSet", o_addfileset, 0, 0},
    {"AddFileWithRanges", o_addfilewithranges, 0, 0},
    {"GetDisplayName", o_getdisplayname, 0, 0},
    {"GetDescription", o_getdescription, 0, 0},
    {"GetOwner", o_getowner, 0, 0},
    {"GetProxySettings", o_getproxysettings, 0, 0},
    {"SetDisplayName", o_setdisplayname, 0, 0},
    {"SetDescription", o_setdescription, 0, 0},
    {"SetProxySettings", o_setproxysettings, 0, 0},
    {"EnumFiles", o_enumfiles, 0, 0},
    {"EnumJobs", o_enumjobs, 0, 0},
    {"IEnumBackgroundCopyFiles::Next", o_enum_next, 0, 1},
    {"IEnumBackgroundCopyFiles::Clone", o_enum_clone, 0, 0},
    {"GetError", o_geterror, 0, 0},
    {"Error::GetErrorDescription", o_err_description, 0, 0},
    {"Error::GetErrorContextDescription", o_err_context_description, 0, 0},
    {"Error::GetProtocol", o_err_protocol, 0, 0},
    {"Error::GetFile", o_err_getfile, 0, 0},
    {"Manager::GetErrorDescription", o_mgr_description, 0, 0},
    {"Manager::GetJob", o_getjob, 0, 1},
    {"File::GetRemoteName", o_remote_name, 0, 0},
    {"File::GetLocalName", o_local_name, 0, 0},
    {"File3::GetTemporaryName", o_temporary_name, 0, 0},
    {"File2::GetFileRanges", o_file_ranges, 0, 0},
    {"File2::SetRemoteName", o_set_remote_name, 0, 0},
    {"Job2::SetNotifyCmdLine", o_set_cmdline, 0, 0},
    {"Job2::GetNotifyCmdLine", o_get_cmdline, 0, 0},
    {"Job2::SetCredentials", o_set_credentials, 0, 0},
    {"HttpOptions::SetCustomHeaders", o_set_headers, 0, 0},
    {"HttpOptions::GetCustomHeaders", o_get_headers, 0, 0},
    {"DllGetClassObject", o_factory, 0, 1},
    {"IClassFactory::CreateInstance", o_create_instance, 0, 0},
    {"IDeliveryOptimizationJob::AddFileWithRanges", o_do_addfilewithranges, 1,
     0},
    {"IDeliveryOptimizationJob2::AddFile", o_do_job2_addfile, 1, 0},
    {"IDeliveryOptimizationFile::GetStats", o_do_getstats, 1, 0},
    {"IDeliveryOptimizationJob2::GetProperty", o_do_job_property, 1, 0},
    {"IDeliveryOptimizationFile2::GetProperty", o_do_file_property, 1, 0},
    {"IDeliveryOptimizationFile2::SetProperty", o_do_set_file_property, 1, 0},
};

static void fail_nth_allocation(enum mode mode)
{
    struct fx fx;
    struct env e;
    memset(&e, 0, sizeof e);
    e.fx = &fx;
    if (fx_open(&fx, mode) || !(e.job = fx_job(&fx, 1)))
        goto out;
    /* A ranged second file and a planted error for the getters. */
    IBackgroundCopyJob3 *j3 = qi(e.job, &IID_IBackgroundCopyJob3);
    if (j3) {
        WCHAR *u = fx_url("ranged"), *p = fx_path(&fx, "ranged");
        BG_FILE_RANGE r[2] = {{0, 10}, {100, 10}};
        ASSERT_HR(S_OK, IBackgroundCopyJob3_AddFileWithRanges(j3, u, p, 2, r));
        CoTaskMemFree(u);
        CoTaskMemFree(p);
        release(j3);
    }
    if (plant_error(e.job, 0, BG_ERROR_CONTEXT_REMOTE_FILE, BG_E_HTTP_ERROR_404,
                    0))
        t_check(0, __LINE__, __FILE__, "could not plant an error");
    ASSERT_HR(S_OK, IBackgroundCopyJob_GetError(e.job, &e.err));
    e.file = job_file(e.job, 0);
    IBackgroundCopyFile *second = job_file(e.job, 1);
    e.ranged = second ? qi(second, &IID_IBackgroundCopyFile2) : NULL;
    release(second);
    e.j2 = qi(e.job, &IID_IBackgroundCopyJob2);
    e.opts = qi(e.job, &IID_IBackgroundCopyJobHttpOptions);
    ASSERT_HR(S_OK, IBackgroundCopyJob_EnumFiles(e.job, &e.files));
    ASSERT_HR(S_OK, IBackgroundCopyJobHttpOptions_SetCustomHeaders(
                        e.opts, u"X: y\r\n"));
    ASSERT_HR(S_OK, IBackgroundCopyJob2_SetNotifyCmdLine(e.j2, u"/bin/a",
                                                         u"/bin/a b"));
    if (mode == MODE_DO) {
        e.dj = qi(e.job, &IID_IDeliveryOptimizationJob);
        e.dj2 = qi(e.job, &IID_IDeliveryOptimizationJob2);
        e.df = qi(e.file, &IID_IDeliveryOptimizationFile);
        e.df2 = qi(e.file, &IID_IDeliveryOptimizationFile2);
        if (!e.dj || !e.dj2 || !e.df || !e.df2)
            goto out;
    }
    if (!e.err || !e.file || !e.ranged || !e.j2 || !e.opts || !e.files)
        goto out;
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        if (rows[i].do_only && mode != MODE_DO)
            continue;
        long n;
        int failures = 0;
        HRESULT hr = E_FAIL;
        for (n = 1; n <= 200; n++) {
            hr = rows[i].op(&e, n);
            if (SUCCEEDED(hr))
                break;
            char ctx[96];
            snprintf(ctx, sizeof ctx, "%s, allocation %ld fails", rows[i].name,
                     n);
            ASSERT_HR_AT(ctx, E_OUTOFMEMORY, hr);
            if (hr != E_OUTOFMEMORY)
                break;
            failures++;
        }
        t_check(SUCCEEDED(hr) && (failures > 0 || rows[i].may_not_allocate),
                __LINE__, __FILE__, "%s: %d failing runs then 0x%08X",
                rows[i].name, failures, (unsigned)hr);
    }
out:
    ref_alloc_fail_nth(0);
    release(e.err);
    release(e.file);
    release(e.ranged);
    release(e.j2);
    release(e.opts);
    release(e.files);
    release(e.dj);
    release(e.dj2);
    release(e.df);
    release(e.df2);
    fx_close(&fx);
}
BOTH_MODES(fail_nth_allocation)

CU_TestInfo tests_oom[] = {
    BOTH_INFO(fail_nth_allocation),
    CU_TEST_INFO_NULL,
};
