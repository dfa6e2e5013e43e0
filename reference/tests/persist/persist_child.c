/*
 * persist_child.c - the helper process of the restart tests and of
 * bench/crash-soak.sh (issue 7): each run is a fresh process using the
 * reference through its COM interfaces, with the job store in
 * $DOREF_STATE_DIR.  It prints one result per line ("KEY value ...") for
 * the parent to check, and "M marker" lines just before and after the
 * moments the parent may aim a SIGKILL at.
 *
 *   persist-child work OUT BASE NJOBS NFILES SEED CREATE
 *       CREATE=1: makes NJOBS jobs "pjNN" of NFILES files BASE/fJ_K.bin ->
 *       OUT/jJ_K.bin and resumes them.  Then, until no job is left:
 *       completes TRANSFERRED jobs, resumes stopped ones and (seeded) now
 *       and then suspends and resumes a running one (never with SEED 0).
 *       Exits 0 when every job is completed.
 *   persist-child list
 *       prints "STORE 0xHR", "JOB name state DATA1 nfiles" and
 *       "FILE name index local transferred total completed remote" for
 *       every job, and "HDR name index first-line" for a file whose
 *       File5 HTTP_RESPONSE_HEADERS is set
 *       (run with DOREF_SCHED_HOLD=1 so nothing moves).
 *   persist-child mkjob DIR      one job "victim", description "before",
 *                                one file into DIR
 *   persist-child dbonly STATE   "DBONLY jobs N" of STATE/jobs.db read
 *                                without its WAL
 *   persist-child full DIR       store on a full disk (private tmpfs)
 *   persist-child readonly DIR   store on a read-only file system
 *   persist-child locked DIR     store locked by another process
 *       each prints "HR what 0x..." lines and then runs `list` in a new
 *       process; "SKIP reason" when the mount is not possible.
 *   persist-child addjob OUT BASE J
 *       one job "pjJJ" of BASE/fJ_0.bin -> OUT/jJ_0.bin, resumed; prints
 *       "RUNNER 0|1" (does this process run transfers?) and exits
 *   persist-child parts DIR
 *       one job "parts": AddFile a0, a1, a2 one by one, SetRemoteName of
 *       file 0 to .../renamed0, AddFile a3, SetRemoteName of file 1 to
 *       .../renamed1; prints "HR parts 0x..." (first failure or S_OK) and
 *       exits at once (S21: the last rename has no write to carry it)
 *   persist-child dostart OUT BASE
 *       a NonVolatile IDODownload of BASE/do.bin into OUT/do.bin, started;
 *       then waits to be killed
 *   persist-child dofinish
 *       "DL state transferred total" of the stored download, then Start,
 *       wait for Transferred, Finalize ("DL finalized 0xHR")
 *   persist-child upstart SRC URL
 *       one upload job "up" of SRC to URL, resumed; prints "UP n" each
 *       time the acknowledged offset changes, and waits to be killed
 *   persist-child upfinish
 *       "UP state S transferred N" of the stored upload job, then Resume,
 *       wait for TRANSFERRED ("UP done S"), Complete ("HR complete 0x...")
 *   persist-child upreply SRC URL
 *       one upload-reply job "rp" of SRC to URL, resumed, waited for
 *       (TRANSFERRED), not completed; prints "RP state S hr 0x... total T
 *       bytes B" of its GetReplyProgress and exits
 *   persist-child upreplyprog
 *       the same "RP ..." line of the stored job in a new process
 *   persist-child props
 *       walks the property table (ref_job_props.h): job "props" gets a
 *       test value in every row (one committed change through the
 *       owner); a new process reads it back ("PROP column ok|bad"); job
 *       "merge" gets them from another process (`propset merge`) and this
 *       one merges the change ("MERGE column ok|bad"); then the record of
 *       "props" gets numbers outside their bounds and a new process reads
 *       the defaults instead ("BOUND priority 2 retry_delay 600")
 */
#define COBJMACROS
#include <bits.h>
#include <bits1_5.h>
#include <bits2_0.h>
#include <bits5_0.h>
#include <bitsmsg.h>
#include <deliveryoptimization.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ref_job_props.h"
#include "ref_persist.h"

STDAPI DllGetClassObject(REFCLSID rclsid, REFIID riid, LPVOID *ppv);

static const char *self_path;

static WCHAR *wide(const char *s)
{
    size_t n = strlen(s);
    WCHAR *w = calloc(n + 1, sizeof *w);
    for (size_t i = 0; w && i < n; i++)
        w[i] = (WCHAR)(unsigned char)s[i];
    return w;
}

static void narrow(const WCHAR *w, char *out, size_t len)
{
    size_t i = 0;
    for (; w && w[i] && i + 1 < len; i++)
        out[i] = (char)w[i];
    out[i] = 0;
}

static IBackgroundCopyManager *manager(void)
{
    IClassFactory *cf = NULL;
    IBackgroundCopyManager *m = NULL;
    if (FAILED(DllGetClassObject(&CLSID_BackgroundCopyManager,
                                 &IID_IClassFactory, (void **)&cf)))
        return NULL;
    if (FAILED(IClassFactory_CreateInstance(
            cf, NULL, &IID_IBackgroundCopyManager, (void **)&m)))
        m = NULL;
    IClassFactory_Release(cf);
    return m;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Every job of the caller, AddRef'd, into a malloc'd array. */
static ULONG jobs_all(IBackgroundCopyManager *m, IBackgroundCopyJob ***out)
{
    IEnumBackgroundCopyJobs *e = NULL;
    ULONG n = 0, got = 0;
    *out = NULL;
    if (FAILED(IBackgroundCopyManager_EnumJobs(m, 0, &e)))
        return 0;
    IEnumBackgroundCopyJobs_GetCount(e, &n);
    *out = calloc(n ? n : 1, sizeof **out);
    if (*out && n)
        IEnumBackgroundCopyJobs_Next(e, n, *out, &got);
    IEnumBackgroundCopyJobs_Release(e);
    return got;
}

/* "HDR name index first-line" when the file has response headers. */
static void print_headers(IBackgroundCopyFile *f, const char *name,
                          unsigned long idx)
{
    IBackgroundCopyFile5 *f5 = NULL;
    BITS_FILE_PROPERTY_VALUE v = {0};
    char h[512];
    if (FAILED(IBackgroundCopyFile_QueryInterface(f, &IID_IBackgroundCopyFile5,
                                                  (void **)&f5)))
        return;
    if (SUCCEEDED(IBackgroundCopyFile5_GetProperty(
            f5, BITS_FILE_PROPERTY_ID_HTTP_RESPONSE_HEADERS, &v)) &&
        v.String) {
        narrow(v.String, h, sizeof h);
        size_t n = strcspn(h, "\r\n");
        while (n && h[n - 1] == ' ')
            n--; /* libcurl's "HTTP/2 200 " */
        h[n] = 0;
        printf("HDR %s %lu %s\n", name, idx, h);
    }
    CoTaskMemFree(v.String);
    IBackgroundCopyFile5_Release(f5);
}

static void jobs_free(IBackgroundCopyJob **jobs, ULONG n)
{
    for (ULONG i = 0; i < n; i++)
        IBackgroundCopyJob_Release(jobs[i]);
    free(jobs);
}

static void job_name(IBackgroundCopyJob *j, char *out, size_t len)
{
    LPWSTR w = NULL;
    out[0] = 0;
    if (SUCCEEDED(IBackgroundCopyJob_GetDisplayName(j, &w))) {
        narrow(w, out, len);
        CoTaskMemFree(w);
    }
}

static int work(int argc, char **argv)
{
    const char *out, *base;
    int njobs, nfiles, create;
    unsigned seed;
    IBackgroundCopyManager *m;
    if (argc < 8)
        return 2;
    out = argv[2];
    base = argv[3];
    njobs = atoi(argv[4]);
    nfiles = atoi(argv[5]);
    seed = (unsigned)strtoul(argv[6], NULL, 0);
    create = atoi(argv[7]);
    if (!(m = manager()))
        return 3;
    if (create) {
        for (int j = 0; j < njobs; j++) {
            IBackgroundCopyJob *job = NULL;
            GUID id;
            char name[32], url[512], local[512];
            WCHAR *wn, *wu, *wl;
            HRESULT hr;
            snprintf(name, sizeof name, "pj%02d", j);
            wn = wide(name);
            hr = IBackgroundCopyManager_CreateJob(m, wn, BG_JOB_TYPE_DOWNLOAD,
                                                  &id, &job);
            free(wn);
            if (FAILED(hr)) {
                printf("HR create 0x%08X\n", (unsigned)hr);
                return 4;
            }
            for (int k = 0; k < nfiles; k++) {
                snprintf(url, sizeof url, "%s/f%d_%d.bin", base, j, k);
                snprintf(local, sizeof local, "%s/j%d_%d.bin", out, j, k);
                wu = wide(url);
                wl = wide(local);
                hr = IBackgroundCopyJob_AddFile(job, wu, wl);
                free(wu);
                free(wl);
                if (FAILED(hr)) {
                    printf("HR addfile 0x%08X\n", (unsigned)hr);
                    return 4;
                }
            }
            IBackgroundCopyJob_SetMinimumRetryDelay(job, 1);
            IBackgroundCopyJob_Resume(job);
            IBackgroundCopyJob_Release(job);
        }
        printf("M created\n");
        fflush(stdout);
    }
    for (;;) {
        IBackgroundCopyJob **jobs;
        ULONG n = jobs_all(m, &jobs);
        if (n == 0) {
            jobs_free(jobs, n);
            break;
        }
        for (ULONG i = 0; i < n; i++) {
            BG_JOB_STATE s = BG_JOB_STATE_QUEUED;
            char name[64];
            job_name(jobs[i], name, sizeof name);
            IBackgroundCopyJob_GetState(jobs[i], &s);
            if (s == BG_JOB_STATE_TRANSFERRED) {
                HRESULT hr;
                printf("M complete-begin %s\n", name);
                fflush(stdout);
                hr = IBackgroundCopyJob_Complete(jobs[i]);
                printf("M complete-end %s 0x%08X\n", name, (unsigned)hr);
                fflush(stdout);
            } else if (s == BG_JOB_STATE_SUSPENDED || s == BG_JOB_STATE_ERROR) {
                IBackgroundCopyJob_Resume(jobs[i]);
            } else if ((s == BG_JOB_STATE_TRANSFERRING ||
                        s == BG_JOB_STATE_QUEUED) &&
                       seed && rand_r(&seed) % 400 == 0) {
                printf("M state-begin %s\n", name);
                fflush(stdout);
                IBackgroundCopyJob_Suspend(jobs[i]);
                IBackgroundCopyJob_Resume(jobs[i]);
                printf("M state-end %s\n", name);
                fflush(stdout);
            }
        }
        jobs_free(jobs, n);
        sleep_ms(10);
    }
    printf("M all-done\n");
    fflush(stdout);
    IBackgroundCopyManager_Release(m);
    return 0;
}

static int list(void)
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob **jobs;
    const char *msg = "";
    ULONG n;
    if (!m)
        return 3;
    printf("STORE 0x%08X %s\n", (unsigned)ref_persist_status(&msg), msg);
    n = jobs_all(m, &jobs);
    for (ULONG i = 0; i < n; i++) {
        IEnumBackgroundCopyFiles *ef = NULL;
        IBackgroundCopyFile *f = NULL;
        BG_JOB_STATE s = 0;
        GUID id;
        char name[64], desc[128] = "";
        LPWSTR d = NULL;
        ULONG nf = 0, idx = 0;
        job_name(jobs[i], name, sizeof name);
        IBackgroundCopyJob_GetState(jobs[i], &s);
        IBackgroundCopyJob_GetId(jobs[i], &id);
        if (SUCCEEDED(IBackgroundCopyJob_GetDescription(jobs[i], &d)) && d) {
            narrow(d, desc, sizeof desc);
            CoTaskMemFree(d);
        }
        IBackgroundCopyJob_EnumFiles(jobs[i], &ef);
        if (ef)
            IEnumBackgroundCopyFiles_GetCount(ef, &nf);
        printf("JOB %s %d %08X %lu %s\n", name, (int)s, (unsigned)id.Data1,
               (unsigned long)nf, desc[0] ? desc : "-");
        while (ef && IEnumBackgroundCopyFiles_Next(ef, 1, &f, NULL) == S_OK) {
            BG_FILE_PROGRESS p = {0};
            LPWSTR l = NULL, r = NULL;
            char local[512] = "", remote[512] = "";
            IBackgroundCopyFile_GetLocalName(f, &l);
            narrow(l, local, sizeof local);
            CoTaskMemFree(l);
            IBackgroundCopyFile_GetRemoteName(f, &r);
            narrow(r, remote, sizeof remote);
            CoTaskMemFree(r);
            IBackgroundCopyFile_GetProgress(f, &p);
            printf("FILE %s %lu %s %llu %lld %d %s\n", name, (unsigned long)idx,
                   local, (unsigned long long)p.BytesTransferred,
                   (long long)p.BytesTotal, p.Completed ? 1 : 0, remote);
            print_headers(f, name, idx++);
            IBackgroundCopyFile_Release(f);
        }
        if (ef)
            IEnumBackgroundCopyFiles_Release(ef);
    }
    jobs_free(jobs, n);
    printf("END %lu\n", (unsigned long)n);
    fflush(stdout);
    IBackgroundCopyManager_Release(m);
    return 0;
}

/* Runs this program with `args` in a new process (same environment,
 * same mount namespace); its exit status. */
static int run_self(const char *a1, const char *a2)
{
    pid_t pid;
    int st = 0;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", self_path, a1, a2, (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* "DBONLY jobs N": the jobs in STATE/jobs.db read without its WAL (a copy
 * of the database file alone), or "DBONLY error ...". */
static int dbonly(const char *state)
{
    char src[600], dst[640];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int in, out, n = -1;
    char buf[8192];
    ssize_t r;
    snprintf(src, sizeof src, "%s/jobs.db", state);
    snprintf(dst, sizeof dst, "%s/dbonly-copy.db", state);
    in = open(src, O_RDONLY);
    out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    while (in >= 0 && out >= 0 && (r = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)r) != r)
            break;
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (sqlite3_open_v2(dst, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM jobs", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    if (n >= 0)
        printf("DBONLY jobs %d\n", n);
    else
        printf("DBONLY error %s\n", db ? sqlite3_errmsg(db) : "open");
    sqlite3_finalize(st);
    sqlite3_close(db);
    unlink(dst);
    return 0;
}

static int mkjob(const char *dir)
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob *job = NULL;
    GUID id;
    char local[512];
    WCHAR *wl, *wd = wide("before"), *wn = wide("victim"),
               *wu = wide("http://127.0.0.1:9/victim.bin");
    HRESULT hr;
    if (!m)
        return 3;
    snprintf(local, sizeof local, "%s/victim.bin", dir);
    wl = wide(local);
    hr = IBackgroundCopyManager_CreateJob(m, wn, BG_JOB_TYPE_DOWNLOAD, &id,
                                          &job);
    printf("HR mk-create 0x%08X\n", (unsigned)hr);
    if (SUCCEEDED(hr)) {
        printf("HR mk-desc 0x%08X\n",
               (unsigned)IBackgroundCopyJob_SetDescription(job, wd));
        printf("HR mk-addfile 0x%08X\n",
               (unsigned)IBackgroundCopyJob_AddFile(job, wu, wl));
        IBackgroundCopyJob_Release(job);
    }
    free(wl);
    free(wd);
    free(wn);
    free(wu);
    IBackgroundCopyManager_Release(m);
    fflush(stdout);
    return 0;
}

/* `parts`: the file rows a part write carries (decision S23). */
static HRESULT parts_rename(IBackgroundCopyJob *job, ULONG index,
                            const char *url)
{
    IEnumBackgroundCopyFiles *ef = NULL;
    IBackgroundCopyFile *f = NULL;
    IBackgroundCopyFile2 *f2 = NULL;
    WCHAR *w = wide(url);
    HRESULT hr = IBackgroundCopyJob_EnumFiles(job, &ef);
    if (SUCCEEDED(hr) && index)
        hr = IEnumBackgroundCopyFiles_Skip(ef, index);
    if (SUCCEEDED(hr))
        hr = IEnumBackgroundCopyFiles_Next(ef, 1, &f, NULL);
    if (hr == S_OK)
        hr = IBackgroundCopyFile_QueryInterface(f, &IID_IBackgroundCopyFile2,
                                                (void **)&f2);
    if (SUCCEEDED(hr))
        hr = IBackgroundCopyFile2_SetRemoteName(f2, w);
    if (f2)
        IBackgroundCopyFile2_Release(f2);
    if (f)
        IBackgroundCopyFile_Release(f);
    if (ef)
        IEnumBackgroundCopyFiles_Release(ef);
    free(w);
    return hr;
}

static int parts(const char *dir)
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob *job = NULL;
    WCHAR *wn = wide("parts");
    GUID id;
    HRESULT hr;
    if (!m)
        return 3;
    hr = IBackgroundCopyManager_CreateJob(m, wn, BG_JOB_TYPE_DOWNLOAD, &id,
                                          &job);
    for (int i = 0; i < 4 && SUCCEEDED(hr); i++) {
        char url[64], local[512];
        WCHAR *wu, *wl;
        if (i == 3 &&
            FAILED(hr = parts_rename(job, 0, "http://127.0.0.1:9/renamed0")))
            break;
        snprintf(url, sizeof url, "http://127.0.0.1:9/a%d", i);
        snprintf(local, sizeof local, "%s/p%d", dir, i);
        wu = wide(url);
        wl = wide(local);
        hr = IBackgroundCopyJob_AddFile(job, wu, wl);
        free(wu);
        free(wl);
    }
    if (SUCCEEDED(hr))
        hr = parts_rename(job, 1, "http://127.0.0.1:9/renamed1");
    printf("HR parts 0x%08X\n", (unsigned)hr);
    fflush(stdout);
    free(wn);
    _exit(0); /* no Release, no other write: as if the process died */
}

/* The calls a failing store must refuse, on the job "victim". */
static void failing_calls(IBackgroundCopyManager *m, const char *dir)
{
    IBackgroundCopyJob **jobs, *job = NULL, *nj = NULL;
    ULONG n = jobs_all(m, &jobs);
    WCHAR *wd = wide("after"), *wn = wide("newjob"),
          *wu = wide("http://127.0.0.1:9/second.bin");
    char local[512], desc[128] = "";
    WCHAR *wl;
    LPWSTR d = NULL;
    IEnumBackgroundCopyFiles *ef = NULL;
    ULONG nf = 0;
    BG_JOB_STATE s = 0;
    GUID id;
    snprintf(local, sizeof local, "%s/second.bin", dir);
    wl = wide(local);
    for (ULONG i = 0; i < n; i++) {
        char name[64];
        job_name(jobs[i], name, sizeof name);
        if (!strcmp(name, "victim"))
            job = jobs[i];
    }
    printf("HR create 0x%08X\n", (unsigned)IBackgroundCopyManager_CreateJob(
                                     m, wn, BG_JOB_TYPE_DOWNLOAD, &id, &nj));
    if (nj)
        IBackgroundCopyJob_Release(nj);
    if (job) {
        printf("HR setdesc 0x%08X\n",
               (unsigned)IBackgroundCopyJob_SetDescription(job, wd));
        printf("HR addfile 0x%08X\n",
               (unsigned)IBackgroundCopyJob_AddFile(job, wu, wl));
        printf("HR resume 0x%08X\n", (unsigned)IBackgroundCopyJob_Resume(job));
        IBackgroundCopyJob_GetDescription(job, &d);
        narrow(d, desc, sizeof desc);
        CoTaskMemFree(d);
        IBackgroundCopyJob_EnumFiles(job, &ef);
        if (ef) {
            IEnumBackgroundCopyFiles_GetCount(ef, &nf);
            IEnumBackgroundCopyFiles_Release(ef);
        }
        IBackgroundCopyJob_GetState(job, &s);
        printf("MEM desc %s files %lu state %d\n", desc, (unsigned long)nf,
               (int)s);
    } else {
        printf("MEM novictim\n");
    }
    jobs_free(jobs, n);
    free(wd);
    free(wn);
    free(wu);
    free(wl);
    fflush(stdout);
}

static int private_tmpfs(const char *dir, const char *opts)
{
    mkdir(dir, 0700);
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", dir, "tmpfs", 0, opts) != 0) {
        printf("SKIP cannot mount a private tmpfs at %s: %s\n", dir,
               strerror(errno));
        fflush(stdout);
        return -1;
    }
    return 0;
}

static int full(const char *dir)
{
    char state[600], filler[600];
    IBackgroundCopyManager *m;
    char *chunk;
    int fd;
    if (private_tmpfs(dir, "size=2m,mode=0700"))
        return 0;
    snprintf(state, sizeof state, "%s/state", dir);
    setenv("DOREF_STATE_DIR", state, 1);
    if (run_self("mkjob", dir) != 0)
        return 5;
    if (!(m = manager()))
        return 3;
    /* Fill the disk: the store's next commit has no room. */
    snprintf(filler, sizeof filler, "%s/filler", dir);
    fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    chunk = calloc(1, 4096);
    while (fd >= 0 && chunk && write(fd, chunk, 4096) > 0)
        ;
    while (fd >= 0 && chunk && write(fd, chunk, 1) > 0)
        ;
    printf("FILLED errno %d\n", errno);
    free(chunk);
    failing_calls(m, dir);
    if (fd >= 0)
        close(fd);
    unlink(filler);
    IBackgroundCopyManager_Release(m);
    return run_self("list", NULL);
}

static int readonly(const char *dir)
{
    char state[600];
    IBackgroundCopyManager *m;
    if (private_tmpfs(dir, "size=4m,mode=0700"))
        return 0;
    snprintf(state, sizeof state, "%s/state", dir);
    setenv("DOREF_STATE_DIR", state, 1);
    if (run_self("mkjob", dir) != 0)
        return 5;
    if (mount("tmpfs", dir, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL) != 0) {
        printf("SKIP cannot remount read-only: %s\n", strerror(errno));
        return 0;
    }
    if (!(m = manager()))
        return 3;
    {
        const char *msg = "";
        printf("STATUS 0x%08X %s\n", (unsigned)ref_persist_status(&msg), msg);
    }
    failing_calls(m, dir);
    IBackgroundCopyManager_Release(m);
    if (mount("tmpfs", dir, "tmpfs", MS_REMOUNT, NULL) != 0)
        return 6;
    return run_self("list", NULL);
}

static int locked(const char *dir)
{
    char state[600], db[700];
    IBackgroundCopyManager *m;
    int p[2];
    pid_t locker;
    char c;
    snprintf(state, sizeof state, "%s/state", dir);
    setenv("DOREF_STATE_DIR", state, 1);
    setenv("DOREF_STORE_BUSY_MS", "300", 1);
    if (run_self("mkjob", dir) != 0)
        return 5;
    if (!(m = manager()))
        return 3;
    snprintf(db, sizeof db, "%s/jobs.db", state);
    if (pipe(p) != 0)
        return 6;
    fflush(stdout);
    locker = fork();
    if (locker == 0) {
        sqlite3 *h = NULL;
        close(p[0]);
        if (sqlite3_open(db, &h) != SQLITE_OK ||
            sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        if (write(p[1], "L", 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    close(p[1]);
    if (locker < 0 || read(p[0], &c, 1) != 1) {
        printf("SKIP the locker process did not start\n");
        return 0;
    }
    close(p[0]);
    failing_calls(m, dir);
    kill(locker, SIGKILL);
    waitpid(locker, NULL, 0);
    IBackgroundCopyManager_Release(m);
    return run_self("list", NULL);
}

static int addjob(const char *out, const char *base, int j)
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob *job = NULL;
    GUID id;
    char name[32], url[512], local[512];
    WCHAR *wn, *wu, *wl;
    HRESULT hr;
    if (!m)
        return 3;
    snprintf(name, sizeof name, "pj%02d", j);
    snprintf(url, sizeof url, "%s/f%d_0.bin", base, j);
    snprintf(local, sizeof local, "%s/j%d_0.bin", out, j);
    wn = wide(name);
    wu = wide(url);
    wl = wide(local);
    hr = IBackgroundCopyManager_CreateJob(m, wn, BG_JOB_TYPE_DOWNLOAD, &id,
                                          &job);
    printf("HR create 0x%08X\n", (unsigned)hr);
    if (SUCCEEDED(hr)) {
        printf("HR addfile 0x%08X\n",
               (unsigned)IBackgroundCopyJob_AddFile(job, wu, wl));
        printf("HR resume 0x%08X\n", (unsigned)IBackgroundCopyJob_Resume(job));
        IBackgroundCopyJob_Release(job);
    }
    printf("RUNNER %d\n", ref_persist_is_runner());
    free(wn);
    free(wu);
    free(wl);
    IBackgroundCopyManager_Release(m);
    fflush(stdout);
    return 0;
}

/* A job `name` of `type` sending src to url, resumed ("HR addfile",
 * "HR resume" printed); NULL when it cannot be made. */
static IBackgroundCopyJob *up_resumed(IBackgroundCopyManager *m,
                                      const char *name, BG_JOB_TYPE type,
                                      const char *src, const char *url)
{
    IBackgroundCopyJob *job = NULL;
    GUID id;
    WCHAR *wn = wide(name), *wu = wide(url), *ws = wide(src);
    if (m &&
        SUCCEEDED(IBackgroundCopyManager_CreateJob(m, wn, type, &id, &job))) {
        printf("HR addfile 0x%08X\n",
               (unsigned)IBackgroundCopyJob_AddFile(job, wu, ws));
        printf("HR resume 0x%08X\n", (unsigned)IBackgroundCopyJob_Resume(job));
    }
    free(wn);
    free(wu);
    free(ws);
    return job;
}

static int upstart(const char *src, const char *url)
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob *job = up_resumed(m, "up", BG_JOB_TYPE_UPLOAD, src, url);
    BG_JOB_PROGRESS p;
    UINT64 last = 0;
    if (!job)
        return 3;
    printf("M started\n");
    fflush(stdout);
    for (;;) {
        if (SUCCEEDED(IBackgroundCopyJob_GetProgress(job, &p)) &&
            p.BytesTransferred != last) {
            last = p.BytesTransferred;
            printf("UP %llu\n", (unsigned long long)last);
            fflush(stdout);
        }
        sleep_ms(10);
    }
}

static int upfinish(void)
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob **jobs = NULL, *job;
    BG_JOB_PROGRESS p;
    BG_JOB_STATE st = BG_JOB_STATE_ERROR;
    if (!m || jobs_all(m, &jobs) != 1)
        return 3;
    job = jobs[0];
    IBackgroundCopyJob_GetState(job, &st);
    IBackgroundCopyJob_GetProgress(job, &p);
    printf("UP state %d transferred %llu\n", (int)st,
           (unsigned long long)p.BytesTransferred);
    printf("HR resume 0x%08X\n", (unsigned)IBackgroundCopyJob_Resume(job));
    for (int i = 0; i < 3000; i++) {
        IBackgroundCopyJob_GetState(job, &st);
        if (st == BG_JOB_STATE_TRANSFERRED || st == BG_JOB_STATE_ERROR)
            break;
        sleep_ms(10);
    }
    printf("UP done %d\n", (int)st);
    printf("HR complete 0x%08X\n", (unsigned)IBackgroundCopyJob_Complete(job));
    IBackgroundCopyJob_Release(job);
    free(jobs);
    IBackgroundCopyManager_Release(m);
    fflush(stdout);
    return 0;
}

/* "RP state S total T bytes B" of job's GetReplyProgress. */
static void reply_progress_line(IBackgroundCopyJob *job)
{
    IBackgroundCopyJob2 *j2 = NULL;
    BG_JOB_REPLY_PROGRESS rp = {0, 0};
    BG_JOB_STATE st = BG_JOB_STATE_ERROR;
    HRESULT hr = IBackgroundCopyJob_QueryInterface(
        job, &IID_IBackgroundCopyJob2, (void **)&j2);
    if (SUCCEEDED(hr)) {
        hr = IBackgroundCopyJob2_GetReplyProgress(j2, &rp);
        IBackgroundCopyJob2_Release(j2);
    }
    IBackgroundCopyJob_GetState(job, &st);
    printf("RP state %d hr 0x%08X total %llu bytes %llu\n", (int)st,
           (unsigned)hr, (unsigned long long)rp.BytesTotal,
           (unsigned long long)rp.BytesTransferred);
}

static int upreply(const char *src, const char *url)
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob *job =
        up_resumed(m, "rp", BG_JOB_TYPE_UPLOAD_REPLY, src, url);
    BG_JOB_STATE st = BG_JOB_STATE_ERROR;
    if (!job)
        return 3;
    for (int i = 0; i < 3000; i++) {
        IBackgroundCopyJob_GetState(job, &st);
        if (st == BG_JOB_STATE_TRANSFERRED || st == BG_JOB_STATE_ERROR)
            break;
        sleep_ms(10);
    }
    reply_progress_line(job);
    sleep_ms(600); /* the watch thread's round writes the job (S25) */
    IBackgroundCopyJob_Release(job);
    IBackgroundCopyManager_Release(m);
    return 0;
}

static int upreplyprog(void)
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob **jobs = NULL;
    if (!m || jobs_all(m, &jobs) != 1)
        return 3;
    reply_progress_line(jobs[0]);
    IBackgroundCopyJob_Release(jobs[0]);
    free(jobs);
    IBackgroundCopyManager_Release(m);
    return 0;
}

static IDOManager *do_manager(void)
{
    IClassFactory *cf = NULL;
    IDOManager *m = NULL;
    if (FAILED(DllGetClassObject(&CLSID_DeliveryOptimization,
                                 &IID_IClassFactory, (void **)&cf)))
        return NULL;
    if (FAILED(IClassFactory_CreateInstance(cf, NULL, &IID_IDOManager,
                                            (void **)&m)))
        m = NULL;
    IClassFactory_Release(cf);
    return m;
}

static HRESULT do_set_str(IDODownload *d, DODownloadProperty id, const char *s)
{
    VARIANT v;
    WCHAR *w = wide(s);
    HRESULT hr;
    VariantInit(&v);
    v.vt = VT_BSTR;
    v.bstrVal = SysAllocString(w);
    free(w);
    hr = IDODownload_SetProperty(d, id, &v);
    VariantClear(&v);
    return hr;
}

static int dostart(const char *out, const char *base)
{
    IDOManager *m = do_manager();
    IDODownload *d = NULL;
    char url[512], local[512];
    VARIANT v;
    if (!m || FAILED(IDOManager_CreateDownload(m, &d)))
        return 3;
    snprintf(url, sizeof url, "%s/do.bin", base);
    snprintf(local, sizeof local, "%s/do.bin", out);
    VariantInit(&v);
    v.vt = VT_BOOL;
    v.boolVal = VARIANT_TRUE;
    printf("HR uri 0x%08X\n",
           (unsigned)do_set_str(d, DODownloadProperty_Uri, url));
    printf("HR local 0x%08X\n",
           (unsigned)do_set_str(d, DODownloadProperty_LocalPath, local));
    printf("HR nonvolatile 0x%08X\n",
           (unsigned)IDODownload_SetProperty(d, DODownloadProperty_NonVolatile,
                                             &v));
    printf("HR start 0x%08X\n", (unsigned)IDODownload_Start(d, NULL));
    printf("M started\n");
    fflush(stdout);
    for (;;)
        sleep_ms(1000);
}

static int dofinish(void)
{
    IDOManager *m = do_manager();
    IEnumUnknown *e = NULL;
    IUnknown *u = NULL;
    IDODownload *d = NULL;
    DO_DOWNLOAD_STATUS st;
    HRESULT hr;
    if (!m)
        return 3;
    hr = IDOManager_EnumDownloads(m, NULL, &e);
    printf("HR enum 0x%08X\n", (unsigned)hr);
    if (FAILED(hr) || IEnumUnknown_Next(e, 1, &u, NULL) != S_OK)
        return 4;
    IEnumUnknown_Release(e);
    IUnknown_QueryInterface(u, &IID_IDODownload, (void **)&d);
    IUnknown_Release(u);
    if (!d)
        return 5;
    memset(&st, 0, sizeof st);
    IDODownload_GetStatus(d, &st);
    printf("DL state %d transferred %llu total %llu\n", (int)st.State,
           (unsigned long long)st.BytesTransferred,
           (unsigned long long)st.BytesTotal);
    printf("HR start 0x%08X\n", (unsigned)IDODownload_Start(d, NULL));
    for (int i = 0; i < 3000; i++) {
        IDODownload_GetStatus(d, &st);
        if (st.State == DODownloadState_Transferred ||
            (st.State == DODownloadState_Paused && FAILED(st.Error)))
            break;
        sleep_ms(10);
    }
    printf("DL state %d transferred %llu\n", (int)st.State,
           (unsigned long long)st.BytesTransferred);
    printf("DL finalized 0x%08X\n", (unsigned)IDODownload_Finalize(d));
    IDODownload_Release(d);
    IDOManager_Release(m);
    fflush(stdout);
    return 0;
}

/* ---- the property table round trip (ref_job_props.h) ------------------- */

/* One row as this test sees it: where it lives in the job, its bounds. */
struct prow {
    const char *column;
    enum ref_prop_kind kind;
    size_t off, size;
    int64_t def, lo;
    uint64_t hi;
};
#define PROW(col, jf, rf, kind, d, l, h, m)                                    \
    {col,                                                                      \
     REF_PK_##kind,                                                            \
     offsetof(struct job, jf),                                                 \
     sizeof(((struct job *)0)->jf),                                            \
     (int64_t)(d),                                                             \
     (int64_t)(l),                                                             \
     (uint64_t)(h)},
static const struct prow prows[] = {REF_JOB_PROPS(PROW)};
#undef PROW
#define NPROWS (sizeof prows / sizeof prows[0])

/* The value row i takes in this test: not its default, within bounds
 * (the upper bound, or the lower one when the upper is the default). */
static int64_t prow_number(size_t i)
{
    const struct prow *p = &prows[i];
    return (int64_t)p->hi != p->def ? (int64_t)p->hi : p->lo;
}

/* The test value of row i, written into buf (p->size bytes; a string
 * row gets a ref_alloc'd "prop-<column>"). */
static void prow_value(size_t i, void *buf)
{
    const struct prow *p = &prows[i];
    switch (p->kind) {
    case REF_PK_WSTR: {
        char text[64];
        WCHAR *w;
        snprintf(text, sizeof text, "prop-%s", p->column);
        w = ref_alloc((strlen(text) + 1) * sizeof *w);
        for (size_t k = 0; w && k <= strlen(text); k++)
            w[k] = (WCHAR)(unsigned char)text[k];
        memcpy(buf, &w, sizeof w);
        break;
    }
    case REF_PK_GUID:
    case REF_PK_HASH20:
        for (size_t k = 0; k < p->size; k++)
            ((unsigned char *)buf)[k] = (unsigned char)(i * 7 + k + 1);
        break;
    default:
        ref_prop_put(buf, p->size, prow_number(i));
    }
}

/* "<tag> column ok" or "<tag> column bad" for every row of the job. */
static void prows_check(struct job *j, const char *tag)
{
    pthread_mutex_lock(&j->lock);
    for (size_t i = 0; i < NPROWS; i++) {
        const struct prow *p = &prows[i];
        const char *have = (const char *)j + p->off;
        unsigned char want[32];
        int ok;
        prow_value(i, want);
        if (p->kind == REF_PK_WSTR) {
            const WCHAR *a, *b;
            memcpy(&a, have, sizeof a);
            memcpy(&b, want, sizeof b);
            ok = a && b && !ref_wcscmp(a, b);
            ref_free((void *)b);
        } else {
            ok = !memcmp(have, want, p->size);
        }
        printf("%s %s %s\n", tag, p->column, ok ? "ok" : "bad");
    }
    pthread_mutex_unlock(&j->lock);
}

/* Every row of the job gets its test value through the owner (one
 * committed change, as a method makes it).  The commit's HRESULT. */
static HRESULT prows_set(struct job *j)
{
    struct ref_job_edit e[NPROWS];
    unsigned char vals[NPROWS][32];
    HRESULT hr;
    for (size_t i = 0; i < NPROWS; i++) {
        prow_value(i, vals[i]);
        e[i].field = (char *)j + prows[i].off;
        e[i].value = vals[i];
        e[i].size = prows[i].size;
        e[i].drop = prows[i].kind == REF_PK_WSTR ? ref_job_drop_str : NULL;
    }
    pthread_mutex_lock(&j->lock);
    hr = ref_job_change_locked(j, e, NPROWS);
    pthread_mutex_unlock(&j->lock);
    return hr;
}

/* The caller's job named `name` (a reference), or NULL. */
static struct job *job_named(IBackgroundCopyManager *m, const char *name,
                             IBackgroundCopyJob **iface)
{
    IBackgroundCopyJob **jobs;
    ULONG n = jobs_all(m, &jobs);
    struct job *found = NULL;
    *iface = NULL;
    for (ULONG i = 0; i < n; i++) {
        char have[64];
        job_name(jobs[i], have, sizeof have);
        if (!found && !strcmp(have, name)) {
            found = ref_job_from_iface(jobs[i]);
            *iface = jobs[i];
            IBackgroundCopyJob_AddRef(jobs[i]);
        }
    }
    jobs_free(jobs, n);
    return found;
}

/* What a `prop*` command does with the job it found. */
static void prop_set(struct job *j, const char *name)
{
    printf("HR propset %s 0x%08X\n", name, (unsigned)prows_set(j));
}

static void prop_check(struct job *j, const char *name)
{
    (void)name;
    prows_check(j, "PROP");
}

static void prop_bounds(struct job *j, const char *name)
{
    (void)name;
    pthread_mutex_lock(&j->lock);
    printf("BOUND priority %d retry_delay %u\n", (int)j->priority,
           (unsigned)j->retry_delay);
    pthread_mutex_unlock(&j->lock);
}

/* `propset NAME` (a second process sets every row of job NAME),
 * `propcheck NAME` (a new process reads it back: "PROP" lines),
 * `propbounds NAME` (a new process reads it back after its record was
 * given numbers outside the rows' bounds: "BOUND" line). */
static int prop_command(const char *name,
                        void (*act)(struct job *, const char *))
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob *iface;
    struct job *j;
    if (!m)
        return 3;
    if ((j = job_named(m, name, &iface))) {
        act(j, name);
        IBackgroundCopyJob_Release(iface);
    } else {
        printf("PROP nojob %s\n", name);
    }
    IBackgroundCopyManager_Release(m);
    return 0;
}

/* Numbers outside the bounds of their rows, written into the record of
 * job NAME behind the reference's back (a damaged or foreign record). */
static void spoil(const char *name)
{
    char db[600], sql[256];
    sqlite3 *h = NULL;
    snprintf(db, sizeof db, "%s/jobs.db", getenv("DOREF_STATE_DIR"));
    snprintf(sql, sizeof sql,
             "UPDATE jobs SET priority=9, retry_delay=1 "
             "WHERE display_name='%s'",
             name);
    if (sqlite3_open(db, &h) != SQLITE_OK ||
        sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
        printf("SPOIL failed\n");
    sqlite3_close(h);
}

/* `props`: every row through the store (set here, read back by a new
 * process: "PROP" lines) and through another process's change (a second
 * process sets them, this one merges it: "MERGE" lines). */
static int props(void)
{
    IBackgroundCopyManager *m = manager();
    IBackgroundCopyJob *a = NULL, *b = NULL;
    WCHAR *na = wide("props"), *nb = wide("merge");
    GUID id;
    HRESULT hr;
    if (!m)
        return 3;
    hr = IBackgroundCopyManager_CreateJob(m, na, BG_JOB_TYPE_DOWNLOAD, &id, &a);
    if (SUCCEEDED(hr))
        hr = prows_set(ref_job_from_iface(a));
    printf("HR props 0x%08X\n", (unsigned)hr);
    if (SUCCEEDED(hr)) { /* display_name is a row: the job's new name */
        run_self("propcheck", "prop-display_name");
        spoil("prop-display_name");
        run_self("propbounds", "prop-display_name");
    }
    hr = IBackgroundCopyManager_CreateJob(m, nb, BG_JOB_TYPE_DOWNLOAD, &id, &b);
    printf("HR merge-create 0x%08X\n", (unsigned)hr);
    if (SUCCEEDED(hr) && run_self("propset", "merge") == 0) {
        ref_persist_sync(); /* the watch thread's round, now */
        prows_check(ref_job_from_iface(b), "MERGE");
    }
    if (a)
        IBackgroundCopyJob_Release(a);
    if (b)
        IBackgroundCopyJob_Release(b);
    free(na);
    free(nb);
    IBackgroundCopyManager_Release(m);
    return 0;
}

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc >= 2 && strcmp(argv[1], "work") != 0 &&
        strncmp(argv[1], "do", 2) != 0 && strncmp(argv[1], "up", 2) != 0)
        setenv("DOREF_SCHED_HOLD", "1", 1); /* nothing transfers */
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2 && !strcmp(argv[1], "work"))
        return work(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "list"))
        return list();
    if (argc >= 3 && !strcmp(argv[1], "mkjob"))
        return mkjob(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "dbonly"))
        return dbonly(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "full"))
        return full(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "readonly"))
        return readonly(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "locked"))
        return locked(argv[2]);
    if (argc >= 5 && !strcmp(argv[1], "addjob"))
        return addjob(argv[2], argv[3], atoi(argv[4]));
    if (argc >= 3 && !strcmp(argv[1], "parts"))
        return parts(argv[2]);
    if (argc >= 4 && !strcmp(argv[1], "dostart"))
        return dostart(argv[2], argv[3]);
    if (argc >= 4 && !strcmp(argv[1], "upstart"))
        return upstart(argv[2], argv[3]);
    if (argc >= 2 && !strcmp(argv[1], "upfinish"))
        return upfinish();
    if (argc >= 4 && !strcmp(argv[1], "upreply"))
        return upreply(argv[2], argv[3]);
    if (argc >= 2 && !strcmp(argv[1], "upreplyprog"))
        return upreplyprog();
    if (argc >= 2 && !strcmp(argv[1], "dofinish"))
        return dofinish();
    if (argc >= 2 && !strcmp(argv[1], "props"))
        return props();
    if (argc >= 3 && !strcmp(argv[1], "propset"))
        return prop_command(argv[2], prop_set);
    if (argc >= 3 && !strcmp(argv[1], "propcheck"))
        return prop_command(argv[2], prop_check);
    if (argc >= 3 && !strcmp(argv[1], "propbounds"))
        return prop_command(argv[2], prop_bounds);
    fprintf(stderr, "usage: persist-child work|list|mkjob|full|readonly|"
                    "locked ...\n");
    return 2;
}
