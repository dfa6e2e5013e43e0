/*
 * suite_windows.c - what Windows does by the evidence of Wine's BITS tests
 * (issue 16): Wine runs dlls/qmgr/tests/{job,file,qmgr,enum_files,
 * enum_jobs}.c on real Windows too, so what they assert is Windows'
 * behaviour.  docs/wine-tests.md maps every assertion; this suite holds
 * the rows no other suite asserted ("Open rows" A1, B1-B6):
 * local paths and file:// URLs as remote names (AddFile, the two
 * test_CompleteLocal* transfers byte for byte, and each refusal of a
 * source), the enumerators' snapshot and walks, HttpOptions around a
 * transfer, Resume of a TRANSIENT_ERROR job and a URL whose path is "/",
 * and (A2) the caller's last Release of a job, a file, an enumerator and
 * an error object returning 0, as the caller's proxy does on Windows,
 * and (B4) a job another process made: docts starts itself again as that
 * process (conf_job_from_helper), which loads the implementation afresh.
 *
 * Sources are written with stdio into the case's directory; the file://
 * form is "file://" + the absolute path (Linux "file:///tmp/...", Windows
 * "file://C:\..." as Wine's test_CompleteLocalURL builds it).
 */
#include "conf.h"
#include "netcase.h"
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

#define WAIT_MS 30000

/* The bytes of Wine's two source files (job.c test_CompleteLocal). */
static const char wine_a[] = "This is a WINE test file for BITS\n";
static const char wine_b[] = "This is another WINE test file for BITS\n";

/* ---- helpers ------------------------------------------------------------ */

/* Writes TEXT as the case-directory file NAME; returns its UTF-8 path. */
static const char *write_source(conf_ctx *ctx, const char *name,
                                const char *text)
{
    const char *path = nc_local8(ctx, name);
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(text, 1, strlen(text), f) == strlen(text);
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        conf_fail(ctx, "cannot write the source %s", path);
    return path;
}

/* The remote name of PATH: the path itself (URL false) or file:// + it. */
static WCHAR *source_name(conf_ctx *ctx, const char *path, bool url)
{
    size_t n = strlen(path) + 8;
    char *s = conf_alloc(ctx, n);
    snprintf(s, n, "%s%s", url ? "file://" : "", path);
    return conf_w(ctx, s);
}

static void add_file(conf_ctx *ctx, IBackgroundCopyJob *job,
                     const WCHAR *remote, const char *local)
{
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJob_AddFile(job, remote, conf_tmp_path(ctx, local)),
        S_OK);
}

/* Wine's polling loop: TRANSFERRED within 30 s, never ERROR; a
 * TRANSIENT_ERROR is resumed (conditional in Wine). */
static void wait_transferred(conf_ctx *ctx, IBackgroundCopyJob *job)
{
    unsigned mask = NC_FINAL_MASK | NC_ST(BG_JOB_STATE_TRANSIENT_ERROR);
    nc_trace tr = {0};
    BG_JOB_STATE st = nc_wait(ctx, job, mask, WAIT_MS, 0, &tr);
    if (st == BG_JOB_STATE_TRANSIENT_ERROR) {
        CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
        st = nc_wait(ctx, job, NC_FINAL_MASK, WAIT_MS, 0, &tr);
    }
    CONF_EXPECT_TRUE(ctx, st == BG_JOB_STATE_TRANSFERRED,
                     "TRANSFERRED, never ERROR", nc_trace_text(ctx, &tr));
}

/* ---- A1: local paths and file:// URLs ----------------------------------- */

/* job.c test_AddFile / test_AddFileSet: existing local paths as remote
 * names, local names that exist as files. */
static void local_add(conf_ctx *ctx, const conf_case *c)
{
    const char *ra = write_source(ctx, "remoteA", wine_a);
    const char *rb = write_source(ctx, "remoteB", wine_b);
    write_source(ctx, "localA", "");
    write_source(ctx, "localB", "");
    add_file(ctx, ctx->job, source_name(ctx, ra, false), "localA");
    add_file(ctx, ctx->job, source_name(ctx, rb, false), "localB");
    GUID id;
    IBackgroundCopyJob *job =
        conf_new_job(ctx, u"docts-set", BG_JOB_TYPE_DOWNLOAD, &id);
    BG_FILE_INFO fi[2] = {
        {source_name(ctx, ra, false), conf_tmp_path(ctx, "localA")},
        {source_name(ctx, rb, false), conf_tmp_path(ctx, "localB")},
    };
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_AddFileSet(job, 2, fi), S_OK);
    BG_JOB_PROGRESS p = nc_progress(ctx, job);
    CONF_EXPECT_U(ctx, p.FilesTotal, 2);
    IBackgroundCopyJob_Release(job);
}

/* enum_files.c / file.c set-up: a file:// URL of a file that does not
 * exist yet is accepted; the names read back exactly; fresh progress. */
static void local_url_names(conf_ctx *ctx, const conf_case *c)
{
    WCHAR *remote = source_name(ctx, nc_local8(ctx, "remoteA"), true);
    WCHAR *local = conf_tmp_path(ctx, "localA");
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_AddFile(ctx->job, remote, local),
                   S_OK);
    IBackgroundCopyFile *f = nc_file(ctx, ctx->job, 0);
    LPWSTR name = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetRemoteName(f, &name), S_OK);
    CONF_EXPECT_WSTR(ctx, name, remote);
    CoTaskMemFree(name);
    name = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetLocalName(f, &name), S_OK);
    CONF_EXPECT_WSTR(ctx, name, local);
    CoTaskMemFree(name);
    BG_FILE_PROGRESS fp;
    memset(&fp, 0xEF, sizeof fp);
    CONF_EXPECT_HR(ctx, IBackgroundCopyFile_GetProgress(f, &fp), S_OK);
    CONF_EXPECT_HEX(ctx, fp.BytesTotal, BG_SIZE_UNKNOWN);
    CONF_EXPECT_U(ctx, fp.BytesTransferred, 0);
    CONF_EXPECT_U(ctx, fp.Completed, FALSE);
}

/* job.c test_CompleteLocal (arg 0: plain paths) / test_CompleteLocalURL
 * (arg 1: file:// URLs): two sources to TRANSFERRED, Complete exactly
 * S_OK, ACKNOWLEDGED, each local equal to its source, the sources still
 * there and removable afterwards. */
static void local_complete(conf_ctx *ctx, const conf_case *c)
{
    bool url = c->arg == 1;
    const char *ra = write_source(ctx, "qmgrA.tmp", wine_a);
    const char *rb = write_source(ctx, "qmgrB.tmp", wine_b);
    nc_expect_no_file(ctx, "localA");
    nc_expect_no_file(ctx, "localB");
    add_file(ctx, ctx->job, source_name(ctx, ra, url), "localA");
    add_file(ctx, ctx->job, source_name(ctx, rb, url), "localB");
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(ctx->job), S_OK);
    wait_transferred(ctx, ctx->job);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(ctx->job), S_OK);
    CONF_EXPECT_STATE(ctx, nc_state(ctx, ctx->job), BG_JOB_STATE_ACKNOWLEDGED);
    char ha[65], hb[65];
    nc_sha256_hex(wine_a, strlen(wine_a), ha);
    nc_sha256_hex(wine_b, strlen(wine_b), hb);
    nc_expect_file(ctx, "localA", strlen(wine_a), ha);
    nc_expect_file(ctx, "localB", strlen(wine_b), hb);
    CONF_EXPECT_TRUE(ctx, remove(ra) == 0 && remove(rb) == 0,
                     "the sources removable after Complete",
                     "a source is gone or still in use");
}

/* A source the process cannot read: DOCTS_UNREADABLE_FILE, else a
 * mode-0 file, when the runner really cannot open it (root and
 * Administrator read any file: then the case is skipped). */
static const char *unreadable_source(conf_ctx *ctx)
{
    const char *env = getenv("DOCTS_UNREADABLE_FILE");
    if (env && *env)
        return env;
    const char *path = write_source(ctx, "unreadable.bin", wine_a);
#ifndef _WIN32
    chmod(path, 0);
#endif
    FILE *f = fopen(path, "rb");
    if (!f)
        return path;
    fclose(f);
    conf_skip(ctx, "the runner reads a mode-0 file (root or Administrator); "
                   "set DOCTS_UNREADABLE_FILE");
}

/* Each refusal of a local source: ERROR (never a success) with its code,
 * context REMOTE_FILE, the file named.  arg: 0 missing, 1 a missing
 * directory on the path, 2 unreadable, 3 a directory. */
static void local_refused(conf_ctx *ctx, const conf_case *c)
{
    static const HRESULT codes[] = {HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND),
                                    HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND),
                                    E_ACCESSDENIED, E_ACCESSDENIED};
    const char *path = NULL;
    switch (c->arg) {
    case 0:
        path = nc_local8(ctx, "absent.bin");
        break;
    case 1:
        path = nc_local8(ctx, "absent-dir/absent.bin");
        break;
    case 2:
        path = unreadable_source(ctx);
        break;
    default:
        path = ctx->tmpdir;
        break;
    }
    add_file(ctx, ctx->job, source_name(ctx, path, c->arg & 1), "out.bin");
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(ctx->job), S_OK);
    nc_trace tr = {0};
    BG_JOB_STATE st = nc_wait(ctx, ctx->job, NC_FINAL_MASK, WAIT_MS, 0, &tr);
    CONF_EXPECT_TRUE(ctx, st == BG_JOB_STATE_ERROR, "ERROR",
                     nc_trace_text(ctx, &tr));
    nc_expect_error(ctx, ctx->job, BG_ERROR_CONTEXT_REMOTE_FILE, codes[c->arg],
                    0);
    nc_expect_no_file(ctx, "out.bin");
}

/* ---- B1-B3: the enumerators --------------------------------------------- */

/* enum_jobs.c test_GetCount: GetCount of an enumerator made before a
 * second job, read after it, plus one is the count of one made after. */
static void enum_jobs_snapshot(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyJobs *a = CONF_POISON_PTR, *b = CONF_POISON_PTR;
    ULONG na = CONF_POISON32, nb = CONF_POISON32;
    IBackgroundCopyJob *ja =
        conf_new_job(ctx, u"TestA", BG_JOB_TYPE_DOWNLOAD, NULL);
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &a), S_OK);
    conf_defer_release(ctx, (IUnknown *)a);
    IBackgroundCopyJob *jb =
        conf_new_job(ctx, u"TestB", BG_JOB_TYPE_DOWNLOAD, NULL);
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &b), S_OK);
    conf_defer_release(ctx, (IUnknown *)b);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_GetCount(a, &na), S_OK);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_GetCount(b, &nb), S_OK);
    CONF_EXPECT_U(ctx, na + 1, nb);
    IBackgroundCopyJob_Release(ja);
    IBackgroundCopyJob_Release(jb);
}

/* enum_jobs.c test_Next_walkListNull / test_Next_walkList_*, test_Skip_*:
 * n = GetCount (the user's other jobs count too). */
static void enum_jobs_walk(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob *j1 =
        conf_new_job(ctx, u"TestA", BG_JOB_TYPE_DOWNLOAD, NULL);
    IBackgroundCopyJob *j2 =
        conf_new_job(ctx, u"TestB", BG_JOB_TYPE_DOWNLOAD, NULL);
    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    ULONG n = CONF_POISON32, got;
    IBackgroundCopyJob *job, **jobs;

    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_GetCount(e, &n), S_OK);
    CONF_EXPECT_TRUE(ctx, n >= 2, "at least the two jobs", "fewer");
    for (ULONG i = 0; i < n; i++) {
        job = NULL;
        CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Next(e, 1, &job, NULL),
                       S_OK);
        CONF_EXPECT_NONNULL(ctx, job);
        IBackgroundCopyJob_Release(job);
    }
    job = NULL;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Next(e, 1, &job, NULL),
                   S_FALSE);
    IEnumBackgroundCopyJobs_Release(e);

    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    jobs = conf_alloc(ctx, n * sizeof *jobs);
    got = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Next(e, n, jobs, &got), S_OK);
    CONF_EXPECT_U(ctx, got, n);
    for (ULONG i = 0; i < n; i++) {
        CONF_EXPECT_NONNULL(ctx, jobs[i]);
        IBackgroundCopyJob_Release(jobs[i]);
    }
    IEnumBackgroundCopyJobs_Release(e);

    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    conf_defer_release(ctx, (IUnknown *)e);
    for (ULONG i = 0; i < n; i++)
        CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Skip(e, 1), S_OK);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Skip(e, 1), S_FALSE);
    IBackgroundCopyJob_Release(j1);
    IBackgroundCopyJob_Release(j2);
}

/* enum_files.c with two files: Next one by one, Next(2), Skip, Reset. */
static void enum_files_walk(conf_ctx *ctx, const conf_case *c)
{
    add_file(ctx, ctx->job, source_name(ctx, nc_local8(ctx, "remoteA"), true),
             "localA");
    add_file(ctx, ctx->job, source_name(ctx, nc_local8(ctx, "remoteB"), true),
             "localB");
    IEnumBackgroundCopyFiles *e = CONF_POISON_PTR;
    IBackgroundCopyFile *f, *files[2];
    ULONG got;

    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_EnumFiles(ctx->job, &e), S_OK);
    for (int i = 0; i < 2; i++) {
        f = NULL;
        CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, &f, NULL),
                       S_OK);
        CONF_EXPECT_NONNULL(ctx, f);
        IBackgroundCopyFile_Release(f);
    }
    f = NULL;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, &f, NULL), S_FALSE);
    IEnumBackgroundCopyFiles_Release(e);

    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_EnumFiles(ctx->job, &e), S_OK);
    got = CONF_POISON32;
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 2, files, &got), S_OK);
    CONF_EXPECT_U(ctx, got, 2);
    CONF_EXPECT_NONNULL(ctx, files[0]);
    CONF_EXPECT_NONNULL(ctx, files[1]);
    IBackgroundCopyFile_Release(files[0]);
    IBackgroundCopyFile_Release(files[1]);
    IEnumBackgroundCopyFiles_Release(e);

    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_EnumFiles(ctx->job, &e), S_OK);
    conf_defer_release(ctx, (IUnknown *)e);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Skip(e, 1), S_OK);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Skip(e, 1), S_OK);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Skip(e, 1), S_FALSE);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Reset(e), S_OK);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Skip(e, 2), S_OK);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Reset(e), S_OK);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Skip(e, 2), S_OK);
}

/* ---- B5, B6: around a transfer ------------------------------------------ */

/* job.c test_HttpOptions (Wine fetched test.winehq.org; here h2mock). */
static void http_options_transfer(conf_ctx *ctx, const conf_case *c)
{
    nc_mock *m = nc_mock_start(ctx, NULL);
    char hex[65];
    nc_put_file(ctx, m, "/p.bin", 5000, 77, hex);
    nc_cb *cb = nc_cb_new(ctx, 2);
    IBackgroundCopyJob *job = ctx->job;
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJob_SetNotifyInterface(job, (IUnknown *)&cb->iface),
        S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetNotifyFlags(job, 0x1F), S_OK);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_AddFile(job, nc_url(ctx, m, "/p.bin"),
                                              conf_tmp_path(ctx, "p.bin")),
                   S_OK);
    IBackgroundCopyJobHttpOptions *ho = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_QueryInterface(
                       job, &IID_IBackgroundCopyJobHttpOptions, (void **)&ho),
                   S_OK);
    conf_defer_release(ctx, (IUnknown *)ho);
    ULONG flags = CONF_POISON32;
    LPWSTR headers = CONF_POISON_PTR;
    CONF_EXPECT_HR(
        ctx,
        IBackgroundCopyJobHttpOptions_SetCustomHeaders(ho, u"Wine: test\r\n"),
        S_OK);
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJobHttpOptions_SetCustomHeaders(ho, NULL), S_OK);
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJobHttpOptions_GetSecurityFlags(ho, &flags), S_OK);
    CONF_EXPECT_U(ctx, flags, 0);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJobHttpOptions_SetSecurityFlags(ho, 0),
                   S_OK);
    flags = CONF_POISON32;
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJobHttpOptions_GetSecurityFlags(ho, &flags), S_OK);
    CONF_EXPECT_U(ctx, flags, 0);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
    wait_transferred(ctx, job);
    IBackgroundCopyError *err = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetError(job, &err),
                   BG_E_ERROR_INFORMATION_UNAVAILABLE);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJobHttpOptions_GetCustomHeaders(ho, &headers),
                   S_FALSE);
    CONF_EXPECT_NULL(ctx, headers);
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJobHttpOptions_SetCustomHeaders(ho, NULL), S_OK);
    headers = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJobHttpOptions_GetCustomHeaders(ho, &headers),
                   S_FALSE);
    CONF_EXPECT_NULL(ctx, headers);
    flags = CONF_POISON32;
    CONF_EXPECT_HR(
        ctx, IBackgroundCopyJobHttpOptions_GetSecurityFlags(ho, &flags), S_OK);
    CONF_EXPECT_U(ctx, flags, 0);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJobHttpOptions_SetSecurityFlags(ho, 0),
                   S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
    CONF_EXPECT_STATE(ctx, nc_state(ctx, job), BG_JOB_STATE_ACKNOWLEDGED);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), BG_E_INVALID_STATE);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_SetNotifyInterface(job, NULL),
                   BG_E_INVALID_STATE);
    nc_expect_file(ctx, "p.bin", 5000, hex);
}

/* job.c (conditional there): Resume of a TRANSIENT_ERROR job -> S_OK, and
 * the job goes on to TRANSFERRED. */
static void resume_transient(conf_ctx *ctx, const conf_case *c)
{
    nc_mock *m =
        nc_mock_start(ctx, "match path=/t.bin nth=1 action=status code=503");
    char hex[65];
    nc_put_file(ctx, m, "/t.bin", 3000, 78, hex);
    const char *paths[] = {"/t.bin"};
    IBackgroundCopyJob *job = nc_job(ctx, m, paths, 1, NULL);
    nc_retry(ctx, job, 600, 1200);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
    nc_trace tr = {0};
    BG_JOB_STATE st =
        nc_wait(ctx, job, NC_FINAL_MASK | NC_ST(BG_JOB_STATE_TRANSIENT_ERROR),
                WAIT_MS, 0, &tr);
    CONF_EXPECT_STATE(ctx, st, BG_JOB_STATE_TRANSIENT_ERROR);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(job), S_OK);
    st = nc_wait(ctx, job, NC_FINAL_MASK, WAIT_MS, 0, &tr);
    CONF_EXPECT_STATE(ctx, st, BG_JOB_STATE_TRANSFERRED);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(job), S_OK);
    nc_expect_file(ctx, "f0", 3000, hex);
}

/* job.c test_HttpOptions's URL "http://test.winehq.org/": a path of only
 * "/" is accepted and transfers (h2mock answers "/" by a rule). */
static void root_path_url(conf_ctx *ctx, const conf_case *c)
{
    static const char page[] = "wine-root-page";
    nc_mock *m = nc_mock_start(ctx, "match path=/ action=status code=200 "
                                    "body=wine-root-page");
    char hex[65];
    nc_sha256_hex(page, strlen(page), hex);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyJob_AddFile(ctx->job, nc_url(ctx, m, "/"),
                                              conf_tmp_path(ctx, "root")),
                   S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(ctx->job), S_OK);
    wait_transferred(ctx, ctx->job);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Complete(ctx->job), S_OK);
    nc_expect_file(ctx, "root", strlen(page), hex);
}

/* ---- A2: the caller's last Release returns 0 ---------------------------- */

/* qmgr.c test_CreateJob: BITS runs in its own process, so the caller holds
 * a proxy that counts the caller's references only.  The job's Release
 * of the only reference returns 0 and the job stays (GetJob finds it,
 * SUSPENDED; MGR-018). */
static void release_job(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyJob *job = CONF_POISON_PTR;
    GUID id;
    memset(&id, 0, sizeof id);
    CONF_EXPECT_HR(ctx,
                   IBackgroundCopyManager_CreateJob(
                       ctx->mgr, u"Test", BG_JOB_TYPE_DOWNLOAD, &id, &job),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, job);
    CONF_EXPECT_U(ctx, IBackgroundCopyJob_Release(job), 0);
    job = CONF_POISON_PTR;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_GetJob(ctx->mgr, &id, &job),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, job);
    conf_track_job(ctx, job); /* cancelled at the end of the case */
    CONF_EXPECT_U(ctx, IBackgroundCopyJob_Release(job), 1);
    BG_JOB_STATE st = (BG_JOB_STATE)CONF_POISON32;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetState(job, &st), S_OK);
    CONF_EXPECT_STATE(ctx, st, BG_JOB_STATE_SUSPENDED);
}

/* One file, EnumFiles, Next: the file's only reference is the caller's
 * (arg 0: the file's Release returns 0 while the enumerator lives; arg 1:
 * the enumerators' Release, files and jobs, returns 0 as job.c
 * test_EnumFiles asserts for the files one). */
static void release_file_enum(conf_ctx *ctx, const conf_case *c)
{
    IEnumBackgroundCopyFiles *e = CONF_POISON_PTR;
    IEnumBackgroundCopyJobs *ej = CONF_POISON_PTR;
    IBackgroundCopyFile *f = CONF_POISON_PTR;
    add_file(ctx, ctx->job, conf_w(ctx, "http://127.0.0.1:9/a.bin"), "a.bin");
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_EnumFiles(ctx->job, &e), S_OK);
    CONF_EXPECT_NONNULL(ctx, e);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyFiles_Next(e, 1, &f, NULL), S_OK);
    CONF_EXPECT_NONNULL(ctx, f);
    if (c->arg == 0) {
        CONF_EXPECT_U(ctx, IBackgroundCopyFile_Release(f), 0);
        conf_defer_release(ctx, (IUnknown *)e);
        return;
    }
    IBackgroundCopyFile_Release(f);
    CONF_EXPECT_U(ctx, IEnumBackgroundCopyFiles_Release(e), 0);
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &ej),
                   S_OK);
    CONF_EXPECT_NONNULL(ctx, ej);
    CONF_EXPECT_U(ctx, IEnumBackgroundCopyJobs_Release(ej), 0);
}

/* A job in ERROR (a missing local source, as WIN-005): the error object's
 * and its file's only references are the caller's; each Release returns
 * 0. */
static void release_error(conf_ctx *ctx, const conf_case *c)
{
    IBackgroundCopyError *err = CONF_POISON_PTR;
    IBackgroundCopyFile *f = CONF_POISON_PTR;
    add_file(ctx, ctx->job,
             source_name(ctx, nc_local8(ctx, "absent.bin"), false), "out.bin");
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Resume(ctx->job), S_OK);
    nc_trace tr = {0};
    BG_JOB_STATE st = nc_wait(ctx, ctx->job, NC_FINAL_MASK, WAIT_MS, 0, &tr);
    CONF_EXPECT_TRUE(ctx, st == BG_JOB_STATE_ERROR, "ERROR",
                     nc_trace_text(ctx, &tr));
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetError(ctx->job, &err), S_OK);
    CONF_EXPECT_NONNULL(ctx, err);
    CONF_EXPECT_HR(ctx, IBackgroundCopyError_GetFile(err, &f), S_OK);
    CONF_EXPECT_NONNULL(ctx, f);
    CONF_EXPECT_U(ctx, IBackgroundCopyFile_Release(f), 0);
    CONF_EXPECT_U(ctx, IBackgroundCopyError_Release(err), 0);
}

/* qmgr.c test_globalness / do_child: this process holds a manager; a
 * second process (docts started again, loading the implementation itself)
 * creates a manager and a job with a name no other case uses, releases
 * both and exits; this process's EnumJobs then holds a job of that display
 * name.  The job is found by id first, so teardown cancels it even when
 * the walk misses it. */
static void other_process_job(conf_ctx *ctx, const conf_case *c)
{
    (void)c;
    const char *base = strrchr(ctx->tmpdir, CONF_PLAT_SEP);
    size_t n = strlen(ctx->tmpdir) + 32;
    char *name = conf_alloc(ctx, n);
    snprintf(name, n, "docts-other-process-%s", base ? base + 1 : ctx->tmpdir);
    GUID id;
    CONF_EXPECT_HR(ctx, conf_job_from_helper(ctx, name, &id), S_OK);

    IBackgroundCopyJob *byid = CONF_POISON_PTR;
    HRESULT got_byid = IBackgroundCopyManager_GetJob(ctx->mgr, &id, &byid);
    if (got_byid == S_OK)
        conf_track_job(ctx, byid);

    IEnumBackgroundCopyJobs *e = CONF_POISON_PTR;
    ULONG count = CONF_POISON32;
    IBackgroundCopyJob *found = NULL;
    CONF_EXPECT_HR(ctx, IBackgroundCopyManager_EnumJobs(ctx->mgr, 0, &e), S_OK);
    conf_defer_release(ctx, (IUnknown *)e);
    CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_GetCount(e, &count), S_OK);
    for (ULONG i = 0; i < count && !found; i++) {
        IBackgroundCopyJob *job = NULL;
        WCHAR *dn = NULL;
        CONF_EXPECT_HR(ctx, IEnumBackgroundCopyJobs_Next(e, 1, &job, NULL),
                       S_OK);
        CONF_EXPECT_NONNULL(ctx, job);
        HRESULT hr = IBackgroundCopyJob_GetDisplayName(job, &dn);
        bool match = hr == S_OK && dn && !strcmp(conf_u8(ctx, dn), name);
        CoTaskMemFree(dn);
        if (match && got_byid != S_OK)
            conf_track_job(ctx, job);
        else if (match)
            conf_defer_release(ctx, (IUnknown *)job);
        else
            IBackgroundCopyJob_Release(job);
        if (match)
            found = job;
    }
    CONF_EXPECT_TRUE(ctx, found != NULL,
                     "a job named by the other process among EnumJobs",
                     "none of that display name");
    GUID fid;
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_GetId(found, &fid), S_OK);
    CONF_EXPECT_GUID(ctx, &fid, &id);
    CONF_EXPECT_HR(ctx, got_byid, S_OK);
    CONF_EXPECT_HR(ctx, IBackgroundCopyJob_Cancel(byid), S_OK);
}

/* ---- the case table ----------------------------------------------------- */

#define REQ CONF_REQUIRED
#define INF CONF_INFORMATIVE
#define B CONF_P_BITS
#define S_MGR CONF_SETUP_MANAGER
#define S_JOB CONF_SETUP_JOB
#define IFJ "IBackgroundCopyJob"
#define WINE(file) "Windows (Wine's tests run there): " file
#define T(id_, if_, m_, rule_, ev_, setup_, run_, arg_, x_)                    \
    {                                                                          \
        .id = id_, .iface = if_, .method = m_, .rule = rule_, .profiles = B,   \
        .evidence = ev_, .setup = setup_, .run = run_, .arg = arg_,            \
        .expect = x_, .timeout_s = 60                                          \
    }

static const conf_case cases[] = {
    T("WIN-001", IFJ, "AddFile",
      WINE("job.c test_AddFile, test_AddFileSet") "; §4.1", REQ, S_JOB,
      local_add, 0,
      "existing local paths as remote names, existing local files as "
      "local names: AddFile x2 and AddFileSet(2) -> S_OK"),
    T("WIN-002", "IBackgroundCopyFile", "GetRemoteName",
      WINE("enum_files.c, file.c set-up") "; §4.1", REQ, S_JOB, local_url_names,
      0,
      "AddFile(file:// URL of a file not there yet) -> S_OK; remote and "
      "local names read back exactly; BytesTotal BG_SIZE_UNKNOWN, 0, "
      "FALSE"),
    T("WIN-003", IFJ, "Complete",
      WINE("job.c test_CompleteLocal") "; §4.1; decisions.md I19", REQ, S_JOB,
      local_complete, 0,
      "two plain local paths -> TRANSFERRED (never ERROR), Complete S_OK, "
      "ACKNOWLEDGED, locals equal the sources by SHA-256, sources "
      "removable"),
    T("WIN-004", IFJ, "Complete",
      WINE("job.c test_CompleteLocalURL") "; §4.1; decisions.md I19", REQ,
      S_JOB, local_complete, 1,
      "two file:// URLs -> TRANSFERRED, Complete S_OK, ACKNOWLEDGED, "
      "locals "
      "equal the sources by SHA-256, sources removable"),
    T("WIN-005", IFJ, "Resume",
      "errors.md (SMB remote file missing); decisions.md I19", REQ, S_JOB,
      local_refused, 0,
      "missing local source -> ERROR 0x80070002, REMOTE_FILE, file 0, no "
      "local file"),
    T("WIN-006", IFJ, "Resume",
      "errors.md (SMB directory missing); decisions.md I19", REQ, S_JOB,
      local_refused, 1,
      "file:// source in a missing directory -> ERROR 0x80070003, "
      "REMOTE_FILE, file 0"),
    T("WIN-007", IFJ, "Resume",
      "errors.md (SMB access denied); decisions.md I19", REQ, S_JOB,
      local_refused, 2,
      "unreadable local source -> ERROR E_ACCESSDENIED, REMOTE_FILE, file "
      "0 "
      "(skipped when the runner reads any file)"),
    T("WIN-008", IFJ, "Resume", "decisions.md I19", INF, S_JOB, local_refused,
      3,
      "file:// source that is a directory -> ERROR E_ACCESSDENIED, "
      "REMOTE_FILE, file 0"),
    T("WIN-009", "IEnumBackgroundCopyJobs", "GetCount",
      WINE("enum_jobs.c test_GetCount") "; §12", REQ, S_MGR, enum_jobs_snapshot,
      0,
      "GetCount of an enumerator made before TestB, read after, + 1 = "
      "GetCount of one made after"),
    T("WIN-010", "IEnumBackgroundCopyJobs", "Next",
      WINE("enum_jobs.c test_Next_*, test_Skip_*") "; §12", REQ, S_MGR,
      enum_jobs_walk, 0,
      "n = GetCount: Next(1) S_OK n times then S_FALSE; Next(n) S_OK, got "
      "n, all non-NULL; Skip(1) S_OK n times then S_FALSE"),
    T("WIN-011", "IEnumBackgroundCopyFiles", "Next",
      WINE("enum_files.c test_Next_*, test_Skip_*, test_Reset") "; §12", REQ,
      S_JOB, enum_files_walk, 0,
      "two files: Next(1) S_OK x2 then S_FALSE; Next(2) got 2; Skip(1) x2 "
      "then S_FALSE; Reset, Skip(2) S_OK"),
    T("WIN-012", "IBackgroundCopyJobHttpOptions", "GetCustomHeaders",
      WINE("job.c test_HttpOptions") "; §7.6", REQ, S_JOB,
      http_options_transfer, 0,
      "Callback2, flags 0x1F, SecurityFlags 0 -> TRANSFERRED; GetError "
      "UNAVAILABLE; GetCustomHeaders S_FALSE NULL; flags 0; Complete S_OK; "
      "SetNotifyInterface(NULL) on ACKNOWLEDGED -> BG_E_INVALID_STATE"),
    T("WIN-013", IFJ, "Resume", WINE("job.c (conditional)") "; §2.2", REQ,
      S_MGR, resume_transient, 0,
      "503 once, retry delay 600 s -> TRANSIENT_ERROR; Resume -> S_OK, "
      "then "
      "TRANSFERRED, bytes exact"),
    T("WIN-014", IFJ, "AddFile", WINE("job.c test_HttpOptions") "; §4.1", REQ,
      S_JOB, root_path_url, 0,
      "AddFile(http://host:port/) -> S_OK, TRANSFERRED, Complete S_OK"),
    T("WIN-015", IFJ, "Release",
      WINE("qmgr.c test_CreateJob") "; decisions.md R8", REQ, S_MGR,
      release_job, 0,
      "CreateJob(Test), Release of the only reference -> 0; GetJob -> "
      "S_OK, "
      "SUSPENDED"),
    T("WIN-016", "IBackgroundCopyFile", "Release",
      WINE("qmgr.c test_CreateJob: a proxy counts the caller's "
           "references") "; decisions.md R8",
      REQ, S_JOB, release_file_enum, 0,
      "one file, EnumFiles, Next -> Release of the file -> 0 (the "
      "enumerator still alive)"),
    T("WIN-017", "IEnumBackgroundCopyFiles", "Release",
      WINE("job.c test_EnumFiles") "; decisions.md R8", REQ, S_JOB,
      release_file_enum, 1,
      "EnumFiles after Next and the file's Release -> Release 0; "
      "EnumJobs -> Release 0"),
    T("WIN-018", "IBackgroundCopyError", "Release",
      WINE("qmgr.c test_CreateJob: a proxy counts the caller's "
           "references") "; decisions.md R8",
      REQ, S_JOB, release_error, 0,
      "missing local source -> ERROR; GetError, GetFile -> the file's "
      "Release 0, the error's Release 0"),
    T("WIN-019", "IBackgroundCopyManager", "EnumJobs",
      WINE("qmgr.c test_globalness") "; §12", REQ, S_MGR, other_process_job, 0,
      "a second docts process: manager S_OK, CreateJob(unique name) S_OK, "
      "exits; here EnumJobs S_OK, GetCount S_OK, a job of that display "
      "name with the helper's id; GetJob(id) S_OK; Cancel S_OK"),
};

const conf_suite conf_suite_windows = {
    .name = "windows",
    .title = "what Windows does by Wine's BITS tests (run on Windows): local "
             "and file:// sources, enumerator walks, HttpOptions around a "
             "transfer, a job another process made",
    .cases = cases,
    .ncases = CONF_ARRAY_LEN(cases),
};
