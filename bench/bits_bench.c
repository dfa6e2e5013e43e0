/*
 * bits_bench.c - the BITS side of bench/engine-vs-curl.sh: downloads a
 * list of URLs through the reference's public COM API (libdoref.so,
 * DllGetClassObject -> IBackgroundCopyManager) and exits when every job
 * was completed.
 *
 *   bits_bench LIST OUTDIR FILES_PER_JOB
 *
 * LIST holds one URL per line; line i goes to OUTDIR/f<i>.  The URLs are
 * cut into jobs of FILES_PER_JOB files; every job is resumed at once,
 * polled until TRANSFERRED (or ERROR: exit 1 with the error code), then
 * completed (which renames the temporary files into place).  Jobs are
 * FOREGROUND with MinimumRetryDelay 5 s.  A job's files are given in one
 * AddFileSet call (as curl gets its whole list at once); BITS_BENCH_ADD=each
 * adds them with one AddFile call each instead.  BITS_BENCH_TRACE=1 prints the
 * error of every job seen in TRANSIENT_ERROR; BITS_BENCH_PHASES=1 prints when
 * each phase ended (to stderr).  Prints "jobs N files M" on success.
 * BITS_BENCH_TYPE=upload makes upload jobs instead (bench/upload-vs-curl.sh):
 * OUTDIR/f<i> is then the source uploaded to line i's URL.
 */
#include <bits.h>
#include <docom.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The entry point libdoref.so exports. */
STDAPI DllGetClassObject(REFCLSID rclsid, REFIID riid, LPVOID *ppv);

/* Seconds since the first call (BITS_BENCH_PHASES). */
static double since_start(void)
{
    static struct timespec t0;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (!t0.tv_sec && !t0.tv_nsec)
        t0 = t;
    return (double)(t.tv_sec - t0.tv_sec) +
           (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
}

/* ASCII to UTF-16; caller frees. */
static WCHAR *wide(const char *s)
{
    size_t n = strlen(s);
    WCHAR *w = malloc((n + 1) * sizeof *w);
    if (!w)
        exit(2);
    for (size_t i = 0; i <= n; i++)
        w[i] = (WCHAR)(unsigned char)s[i];
    return w;
}

static void check(HRESULT hr, const char *what)
{
    if (FAILED(hr)) {
        fprintf(stderr, "bits_bench: %s failed: 0x%08X\n", what, (unsigned)hr);
        exit(1);
    }
}

/* Hands the files gathered for a job to it: one AddFileSet call, or one
 * AddFile per file when `one_by_one`.  Frees the names. */
static void add_files(IBackgroundCopyJob *job, BG_FILE_INFO *set, ULONG n,
                      int one_by_one)
{
    if (one_by_one)
        for (ULONG i = 0; i < n; i++)
            check(
                job->lpVtbl->AddFile(job, set[i].RemoteName, set[i].LocalName),
                "AddFile");
    else if (n)
        check(job->lpVtbl->AddFileSet(job, n, set), "AddFileSet");
    for (ULONG i = 0; i < n; i++) {
        free(set[i].RemoteName);
        free(set[i].LocalName);
    }
}

int main(int argc, char **argv)
{
    IClassFactory *cf;
    IBackgroundCopyManager *mgr;
    IBackgroundCopyJob **jobs;
    BG_FILE_INFO *set;
    char line[4096];
    FILE *f;
    size_t njobs = 0, nfiles = 0, per;
    ULONG nset = 0;
    const char *mode = getenv("BITS_BENCH_ADD");
    int one_by_one = mode && strcmp(mode, "each") == 0;
    int phases = getenv("BITS_BENCH_PHASES") != NULL;
    const char *type = getenv("BITS_BENCH_TYPE");
    BG_JOB_TYPE jtype = type && strcmp(type, "upload") == 0
                            ? BG_JOB_TYPE_UPLOAD
                            : BG_JOB_TYPE_DOWNLOAD;
    double first_done = -1, last_done = 0;
    int left;

    if (argc != 4 || (per = strtoul(argv[3], NULL, 10)) == 0) {
        fprintf(stderr, "usage: bits_bench LIST OUTDIR FILES_PER_JOB\n");
        return 2;
    }
    since_start();
    check(DllGetClassObject(&CLSID_BackgroundCopyManager, &IID_IClassFactory,
                            (void **)&cf),
          "DllGetClassObject");
    check(cf->lpVtbl->CreateInstance(cf, NULL, &IID_IBackgroundCopyManager,
                                     (void **)&mgr),
          "CreateInstance");
    cf->lpVtbl->Release(cf);
    if (!(f = fopen(argv[1], "r"))) {
        perror(argv[1]);
        return 2;
    }
    jobs = calloc(1, sizeof *jobs);
    set = calloc(per, sizeof *set);
    if (!jobs || !set)
        return 2;
    while (fgets(line, sizeof line, f)) {
        char local[4096];
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0])
            continue;
        if (nfiles % per == 0) {
            GUID id;
            if (njobs)
                add_files(jobs[njobs - 1], set, nset, one_by_one);
            nset = 0;
            jobs = realloc(jobs, (njobs + 1) * sizeof *jobs);
            if (!jobs)
                return 2;
            check(
                mgr->lpVtbl->CreateJob(mgr, u"bench", jtype, &id, &jobs[njobs]),
                "CreateJob");
            jobs[njobs]->lpVtbl->SetPriority(jobs[njobs],
                                             BG_JOB_PRIORITY_FOREGROUND);
            /* A transient failure (h2mock has been seen to GOAWAY under
             * this load) costs the minimum 5 s, not the default 600 s. */
            jobs[njobs]->lpVtbl->SetMinimumRetryDelay(jobs[njobs], 5);
            njobs++;
        }
        snprintf(local, sizeof local, "%s/f%zu", argv[2], nfiles);
        set[nset].RemoteName = wide(line);
        set[nset].LocalName = wide(local);
        nset++;
        nfiles++;
    }
    fclose(f);
    if (njobs)
        add_files(jobs[njobs - 1], set, nset, one_by_one);
    free(set);
    if (phases)
        fprintf(stderr, "bits_bench: %.3f s jobs made, files added\n",
                since_start());
    for (size_t i = 0; i < njobs; i++)
        check(jobs[i]->lpVtbl->Resume(jobs[i]), "Resume");
    if (phases)
        fprintf(stderr, "bits_bench: %.3f s jobs resumed\n", since_start());
    do {
        struct timespec ts = {0, 2000000};
        left = 0;
        for (size_t i = 0; i < njobs; i++) {
            BG_JOB_STATE s;
            if (!jobs[i])
                continue;
            jobs[i]->lpVtbl->GetState(jobs[i], &s);
            if (s == BG_JOB_STATE_TRANSIENT_ERROR &&
                getenv("BITS_BENCH_TRACE")) {
                IBackgroundCopyError *e;
                BG_ERROR_CONTEXT c = 0;
                HRESULT code = 0;
                if (SUCCEEDED(jobs[i]->lpVtbl->GetError(jobs[i], &e))) {
                    e->lpVtbl->GetError(e, &c, &code);
                    e->lpVtbl->Release(e);
                }
                fprintf(stderr, "bits_bench: job %zu TRANSIENT ctx %d 0x%08X\n",
                        i, (int)c, (unsigned)code);
            }
            if (s == BG_JOB_STATE_ERROR) {
                IBackgroundCopyError *e;
                BG_ERROR_CONTEXT c = 0;
                HRESULT code = 0;
                if (SUCCEEDED(jobs[i]->lpVtbl->GetError(jobs[i], &e))) {
                    e->lpVtbl->GetError(e, &c, &code);
                    e->lpVtbl->Release(e);
                }
                fprintf(stderr, "bits_bench: job %zu ERROR ctx %d 0x%08X\n", i,
                        (int)c, (unsigned)code);
                return 1;
            }
            if (s == BG_JOB_STATE_TRANSFERRED) {
                if (phases && first_done < 0)
                    first_done = since_start();
                check(jobs[i]->lpVtbl->Complete(jobs[i]), "Complete");
                if (phases)
                    last_done = since_start();
                jobs[i]->lpVtbl->Release(jobs[i]);
                jobs[i] = NULL;
                continue;
            }
            left++;
        }
        if (left)
            nanosleep(&ts, NULL);
    } while (left);
    free(jobs);
    mgr->lpVtbl->Release(mgr);
    if (phases)
        fprintf(stderr,
                "bits_bench: %.3f s first job seen TRANSFERRED, %.3f s last "
                "Complete returned, %.3f s manager released\n",
                first_done, last_done, since_start());
    printf("jobs %zu files %zu\n", njobs, nfiles);
    return 0;
}
