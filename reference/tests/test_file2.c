/*
 * IBackgroundCopyFile2: GetFileRanges (RNG-09: S_FALSE/0/NULL without
 * ranges, the list in the order given otherwise) and SetRemoteName
 * (R12 rules, FILE-11: no protocol switch, E_NOTIMPL for uploads).
 */
#include "support.h"

#include <docom.h>

static IBackgroundCopyFile2 *file2(IBackgroundCopyJob *job, ULONG i)
{
    IBackgroundCopyFile *f = job_file(job, i);
    if (!f)
        return NULL;
    IBackgroundCopyFile2 *f2 = qi(f, &IID_IBackgroundCopyFile2);
    release(f);
    return f2;
}

static void get_file_ranges(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile2 *plain = NULL, *ranged = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    IBackgroundCopyJob3 *j3 = job ? qi(job, &IID_IBackgroundCopyJob3) : NULL;
    if (!j3)
        goto out;
    BG_FILE_RANGE given[3] = {{900, 100}, {100, 100}, {2000, BG_LENGTH_TO_EOF}};
    WCHAR *u = fx_url("r"), *p = fx_path(&fx, "r");
    ASSERT_HR(S_OK, IBackgroundCopyJob3_AddFileWithRanges(j3, u, p, 3, given));
    CoTaskMemFree(u);
    CoTaskMemFree(p);
    release(j3);
    if (!(plain = file2(job, 0)) || !(ranged = file2(job, 1)))
        goto out;
    DWORD n = POISON_U32;
    BG_FILE_RANGE *r = POISON_PTR;
    ASSERT_HR(S_FALSE, IBackgroundCopyFile2_GetFileRanges(plain, &n, &r));
    ASSERT_U64(0, n);
    ASSERT_PTR(NULL, r);
    n = POISON_U32;
    r = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyFile2_GetFileRanges(ranged, &n, &r));
    ASSERT_U64(3, n);
    if (r && r != POISON_PTR) {
        for (DWORD i = 0; i < 3 && i < n; i++) {
            ASSERT_U64(given[i].InitialOffset, r[i].InitialOffset);
            ASSERT_U64(given[i].Length, r[i].Length);
        }
        CoTaskMemFree(r);
    }
    r = POISON_PTR;
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyFile2_GetFileRanges(ranged, NULL, &r));
    ASSERT_PTR(NULL, r);
    n = POISON_U32;
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyFile2_GetFileRanges(ranged, &n, NULL));
out:
    release(plain);
    release(ranged);
    fx_close(&fx);
}
BOTH_MODES(get_file_ranges)

static void set_remote_name(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyFile2 *f = NULL;
    if (fx_open(&fx, mode))
        goto out;
    IBackgroundCopyJob *job = fx_job(&fx, 1);
    if (!job || !(f = file2(job, 0)))
        goto out;
    WCHAR *seg260 = wrepeat(u"http://h/", u's', 260);
    WCHAR *seg261 = wrepeat(u"http://h/", u's', 261);
    WCHAR *longu = wrepeat(u"http://h", u'a', 2193);
    for (size_t k = 8; k < 2201; k += 200)
        longu[k] = u'/';
    const struct {
        const char *name;
        const WCHAR *url;
        HRESULT hr;
    } rows[] = {
        {"https", u"https://mirror.example/f0", S_OK},
        {"http other port", u"http://127.0.0.1:10/f0", S_OK},
        {"NULL", NULL, E_INVALIDARG},
        {"empty", u"", E_INVALIDARG},
        {"ftp", u"ftp://h/f0", E_INVALIDARG},
        {"relative", u"f0", E_INVALIDARG},
        {"space", u"http://h/a b", E_INVALIDARG},
        {"2201 units", longu, E_INVALIDARG},
        {"segment 261", seg261, E_INVALIDARG},
        {"segment 260", seg260, S_OK},
        {"switch to file URL", u"file:///tmp/f0", E_INVALIDARG},
        {"switch to local path", u"/tmp/f0", E_INVALIDARG},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        ASSERT_HR(S_OK, IBackgroundCopyFile2_SetRemoteName(f, u"http://a/b"));
        ASSERT_HR_AT(rows[i].name, rows[i].hr,
                     IBackgroundCopyFile2_SetRemoteName(f, rows[i].url));
        LPWSTR r = POISON_PTR;
        ASSERT_HR(S_OK, IBackgroundCopyFile2_GetRemoteName(f, &r));
        ASSERT_WSTR(rows[i].hr == S_OK ? rows[i].url : u"http://a/b", r);
        if (r != POISON_PTR)
            CoTaskMemFree(r);
    }
    CoTaskMemFree(longu);
    CoTaskMemFree(seg260);
    CoTaskMemFree(seg261);
out:
    release(f);
    fx_close(&fx);
}
BOTH_MODES(set_remote_name)

/* R2: SetRemoteName of an upload job's file -> E_NOTIMPL. */
static void set_remote_name_upload(void)
{
    struct fx fx;
    IBackgroundCopyFile2 *f = NULL;
    if (fx_open(&fx, MODE_BITS))
        goto out;
    IBackgroundCopyJob *job = fx_job_typed(&fx, BG_JOB_TYPE_UPLOAD, 0);
    char p[300];
    snprintf(p, sizeof p, "%s/up", fx.dir);
    FILE *fp = fopen(p, "w");
    if (fp)
        fclose(fp);
    if (!job || fx_add(&fx, job, "up") != S_OK || !(f = file2(job, 0)))
        goto out;
    ASSERT_HR(E_NOTIMPL,
              IBackgroundCopyFile2_SetRemoteName(f, u"http://h/other"));
out:
    release(f);
    fx_close(&fx);
}

CU_TestInfo tests_file2[] = {
    BOTH_INFO(get_file_ranges),
    BOTH_INFO(set_remote_name),
    {"set_remote_name_upload [bits]", set_remote_name_upload},
    CU_TEST_INFO_NULL,
};
