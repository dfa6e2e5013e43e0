/*
 * persist_tests.c - jobs survive the process (issue 7): CUnit tests that
 * run $(B)/persist-child (PERSIST_CHILD) as fresh processes against one
 * state directory and one h2mock (H2MOCK) per test on a free loopback
 * port, SIGKILL them at seeded random moments and check what a new
 * process finds: every job there in a state it can have after a restart,
 * every delivered file with the fixture's SHA-256, no local file that is
 * not complete, temporary files only for live jobs, resumed files fetched
 * with `Range: bytes=N-` (N > 0) in h2mock's log.  Also a store on a full
 * disk, a read-only file system and locked by another process: the caller
 * gets the documented HRESULT and the stored state stays as it was.  An
 * upload killed mid-way goes on in its stored session from the stored
 * acknowledged offset (h2mock runs with --upload-dir DIR/up).
 *
 *   persist-tests [FILTER]      PERSIST_TESTS_SEED=n varies the kill times
 */
#include "../mockctl.h"

#include <CUnit/Basic.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ref_job_props.h" /* the rows only: data, no code linked */

/* Assertion messages and paths are cut to their buffers on purpose. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

/* ---- small tools -------------------------------------------------------- */

static unsigned seed_base = 20261124;

#define CHECKF(ok, ...)                                                        \
    do {                                                                       \
        int ok_ = (ok);                                                        \
        char m_[600];                                                          \
        snprintf(m_, sizeof m_, __VA_ARGS__);                                  \
        CU_assertImplementation(ok_, __LINE__, m_, __FILE__, "", CU_FALSE);    \
        if (!ok_)                                                              \
            fprintf(stderr, "\n    FAILED: %s\n", m_);                         \
    } while (0)

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static unsigned char fix_byte(unsigned seed, size_t off)
{
    uint32_t x = (uint32_t)off * 2654435761u ^ (seed * 40503u + 0x9e37u);
    x ^= x >> 15;
    x *= 2246822519u;
    x ^= x >> 13;
    return (unsigned char)x;
}

static void sha_hex(const unsigned char *md, unsigned n, char *hex)
{
    for (unsigned i = 0; i < n; i++)
        sprintf(hex + 2 * i, "%02x", md[i]);
    hex[2 * n] = 0;
}

/* Writes a fixture of `size` bytes; its SHA-256 into hex. */
static int write_fixture(const char *path, size_t size, unsigned seed,
                         char *hex)
{
    unsigned char *d = malloc(size ? size : 1), md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    FILE *f;
    int ok;
    if (!d)
        return -1;
    for (size_t i = 0; i < size; i++)
        d[i] = fix_byte(seed, i);
    EVP_Digest(d, size, md, &n, EVP_sha256(), NULL);
    sha_hex(md, n, hex);
    f = fopen(path, "wb");
    ok = f && fwrite(d, 1, size, f) == size;
    if (f && fclose(f) != 0)
        ok = 0;
    free(d);
    return ok ? 0 : -1;
}

static int file_sha(const char *path, char *hex)
{
    unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    size_t r;
    FILE *f = fopen(path, "rb");
    EVP_MD_CTX *c;
    hex[0] = 0;
    if (!f)
        return -1;
    c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    while ((r = fread(buf, 1, sizeof buf, f)) > 0)
        EVP_DigestUpdate(c, buf, r);
    EVP_DigestFinal_ex(c, md, &n);
    EVP_MD_CTX_free(c);
    fclose(f);
    sha_hex(md, n, hex);
    return 0;
}

/* ---- h2mock ------------------------------------------------------------- */

/* The test's h2mock (../mockctl.h) serving DIR/root with its fault rules
 * in DIR/faults.txt and its request log in DIR/h2mock.log (log_sum). */
struct mock {
    struct mockctl srv;
    char log[300];
};

/* The next mock_start's --upload-host-id (NULL: none); one test sets it
 * around its world_open. */
static const char *mock_upload_host;

static int mock_start(struct mock *m, const char *dir, const char *rules)
{
    char root[300], faults[300];
    FILE *f;
    memset(m, 0, sizeof *m);
    snprintf(root, sizeof root, "%s/root", dir);
    snprintf(m->log, sizeof m->log, "%s/h2mock.log", dir);
    snprintf(faults, sizeof faults, "%s/faults.txt", dir);
    mkdir(root, 0700);
    f = fopen(faults, "w");
    if (!f)
        return -1;
    fputs(rules, f);
    fclose(f);
    char up[300];
    snprintf(up, sizeof up, "%s/up", dir); /* uploads land here */
    mkdir(up, 0700);
    char upreply[320];
    snprintf(upreply, sizeof upreply, "%s/reply", up); /* upload-reply */
    mkdir(upreply, 0700);
    const char *const args[] = {"--faults",
                                faults,
                                "--log",
                                m->log,
                                "--upload-dir",
                                up,
                                "--upload-reply",
                                "/reply/",
                                mock_upload_host ? "--upload-host-id" : NULL,
                                mock_upload_host,
                                NULL};
    return mockctl_start_opts(
        &m->srv, &(struct mockctl_opts){.root = root, .args = args});
}

static void mock_stop(struct mock *m)
{
    mockctl_stop(&m->srv);
}

struct logsum {
    unsigned requests;
    unsigned long long bytes; /* body bytes sent */
    unsigned resumes;         /* requests with Range: bytes=N- and N > 0 */
    unsigned long long max_resume;
    unsigned long long first_resume; /* N of the first such request */
};

/* Reads h2mock's --log file (one JSON object a line). */
static void log_sum(const struct mock *m, struct logsum *s)
{
    FILE *f = fopen(m->log, "r");
    char *line = NULL;
    size_t cap = 0;
    memset(s, 0, sizeof *s);
    if (!f)
        return;
    while (getline(&line, &cap, f) > 0) {
        const char *b = strstr(line, "\"bytes\":");
        const char *r = strcasestr(line, "[\"range\",\"bytes=");
        s->requests++;
        if (b)
            s->bytes += strtoull(b + 8, NULL, 10);
        if (r) {
            unsigned long long n = strtoull(r + 16, NULL, 10);
            if (n > 0) {
                if (!s->resumes++)
                    s->first_resume = n;
                if (n > s->max_resume)
                    s->max_resume = n;
            }
        }
    }
    free(line);
    fclose(f);
}

/* ---- child processes ---------------------------------------------------- */

struct child {
    pid_t pid;
    int out; /* its stdout */
    char buf[65536];
    size_t n;
};

static int child_start(struct child *c, const char *state, char *const argv[])
{
    int fds[2];
    const char *bin = getenv("PERSIST_CHILD");
    memset(c, 0, sizeof *c);
    if (!bin || pipe(fds) != 0)
        return -1;
    c->pid = fork();
    if (c->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        setenv("DOREF_STATE_DIR", state, 1);
        execv(bin, argv);
        _exit(127);
    }
    close(fds[1]);
    c->out = fds[0];
    return c->pid > 0 ? 0 : -1;
}

/* Reads what is there, waiting up to ms; 0 at end of output. */
static int child_read(struct child *c, int ms)
{
    struct pollfd p = {c->out, POLLIN, 0};
    ssize_t r;
    if (poll(&p, 1, ms) <= 0)
        return 1;
    if (c->n + 1 >= sizeof c->buf)
        c->n = 0; /* keep the tail only */
    r = read(c->out, c->buf + c->n, sizeof c->buf - 1 - c->n);
    if (r <= 0)
        return 0;
    c->n += (size_t)r;
    c->buf[c->n] = 0;
    return 1;
}

/* Waits for the child to exit (up to ms, else SIGKILL); its status as a
 * shell would (128 + signal), output in c->buf. */
static int child_wait(struct child *c, int ms)
{
    uint64_t end = mono_ms() + (uint64_t)ms;
    int st = 0;
    while (child_read(c, 50) && mono_ms() < end)
        ;
    if (mono_ms() >= end)
        kill(c->pid, SIGKILL);
    waitpid(c->pid, &st, 0);
    close(c->out);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Runs `persist-child ARGS` to the end; output into out (static). */
static int run_child(const char *state, char *out, size_t len, int ms,
                     char *const argv[])
{
    struct child c;
    int rc;
    if (child_start(&c, state, argv) != 0)
        return -1;
    rc = child_wait(&c, ms);
    snprintf(out, len, "%s", c.buf);
    return rc;
}

/* ---- what a restarted process sees -------------------------------------- */

#define MAXJ 16
#define MAXF 4

struct listing {
    int store_ok;
    int njobs;
    struct {
        char name[32];
        int state;
        unsigned data1;
        int nfiles;
        char desc[64];
        unsigned long long transferred[MAXF];
        char hdr[MAXF][64]; /* first line of the response headers, or "" */
    } j[MAXJ];
};

static void parse_list(const char *out, struct listing *l)
{
    memset(l, 0, sizeof *l);
    for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
        unsigned hr;
        if (sscanf(p, "STORE 0x%x", &hr) == 1)
            l->store_ok = hr == 0;
        if (!strncmp(p, "JOB ", 4) && l->njobs < MAXJ) {
            int k = l->njobs++;
            sscanf(p, "JOB %31s %d %x %d %63s", l->j[k].name, &l->j[k].state,
                   &l->j[k].data1, &l->j[k].nfiles, l->j[k].desc);
        }
        if (!strncmp(p, "HDR ", 4)) {
            char name[32], line[64];
            unsigned idx;
            if (sscanf(p, "HDR %31s %u %63[^\n]", name, &idx, line) == 3)
                for (int k = 0; k < l->njobs; k++)
                    if (!strcmp(l->j[k].name, name) && idx < MAXF)
                        snprintf(l->j[k].hdr[idx], sizeof l->j[k].hdr[idx],
                                 "%s", line);
        }
        if (!strncmp(p, "FILE ", 5)) {
            char name[32], local[512];
            unsigned idx;
            unsigned long long tr;
            if (sscanf(p, "FILE %31s %u %511s %llu", name, &idx, local, &tr) ==
                4)
                for (int k = 0; k < l->njobs; k++)
                    if (!strcmp(l->j[k].name, name) && idx < MAXF)
                        l->j[k].transferred[idx] = tr;
        }
    }
}

static int listed(const struct listing *l, const char *name)
{
    for (int k = 0; k < l->njobs; k++)
        if (!strcmp(l->j[k].name, name))
            return k;
    return -1;
}

struct world {
    char dir[256], state[300], out[300];
    struct mock mock;
    int njobs, nfiles;
    size_t fsize;
    char sha[MAXJ][MAXF][72];
};

/* Job j's files grow with j, so the jobs finish one after the other. */
static size_t fix_size(const struct world *w, int j, int k)
{
    return w->fsize + (size_t)j * (w->fsize * 5 / 6) + (size_t)k * 517;
}

static int world_open(struct world *w, int njobs, int nfiles, size_t fsize,
                      const char *rules)
{
    memset(w, 0, sizeof *w);
    snprintf(w->dir, sizeof w->dir, "%s/persist-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(w->dir))
        return -1;
    snprintf(w->state, sizeof w->state, "%s/state", w->dir);
    snprintf(w->out, sizeof w->out, "%s/out", w->dir);
    mkdir(w->out, 0700);
    w->njobs = njobs;
    w->nfiles = nfiles;
    w->fsize = fsize;
    if (mock_start(&w->mock, w->dir, rules) != 0)
        return -1;
    for (int j = 0; j < njobs; j++)
        for (int k = 0; k < nfiles; k++) {
            char p[600];
            snprintf(p, sizeof p, "%s/f%d_%d.bin", w->mock.srv.root, j, k);
            if (write_fixture(p, fix_size(w, j, k), (unsigned)(j * 16 + k + 1),
                              w->sha[j][k]))
                return -1;
        }
    return 0;
}

static void world_close(struct world *w)
{
    mock_stop(&w->mock);
    if (w->dir[0])
        rm_tree(w->dir);
}

static int work_child(struct world *w, struct child *c, unsigned seed,
                      int create)
{
    char nj[16], nf[16], sd[16], cr[4];
    char *argv[] = {"persist-child",
                    "work",
                    w->out,
                    w->mock.srv.base,
                    nj,
                    nf,
                    sd,
                    cr,
                    NULL};
    snprintf(nj, sizeof nj, "%d", w->njobs);
    snprintf(nf, sizeof nf, "%d", w->nfiles);
    snprintf(sd, sizeof sd, "%u", seed);
    snprintf(cr, sizeof cr, "%d", create);
    return child_start(c, w->state, argv);
}

struct tally {
    unsigned lost, corrupt, stray_temps, bad_states;
};

/* A new process lists the store; every job is there or delivered whole,
 * every local file is whole, every temporary file belongs to a live job. */
static void check_world(struct world *w, struct tally *t, struct listing *l)
{
    static char out[65536];
    char *argv[] = {"persist-child", "list", NULL};
    DIR *d;
    struct dirent *e;
    int rc = run_child(w->state, out, sizeof out, 20000, argv);
    CHECKF(rc == 0, "list child exit %d: %s", rc, out);
    parse_list(out, l);
    CHECKF(l->store_ok, "store open in the restarted process: %s", out);
    for (int j = 0; j < w->njobs; j++) {
        char name[32];
        int k, delivered = 1;
        snprintf(name, sizeof name, "pj%02d", j);
        k = listed(l, name);
        for (int f = 0; f < w->nfiles; f++) {
            char p[600], hex[72];
            snprintf(p, sizeof p, "%s/j%d_%d.bin", w->out, j, f);
            if (file_sha(p, hex) != 0) {
                delivered = 0;
                continue;
            }
            if (strcmp(hex, w->sha[j][f]) != 0) {
                t->corrupt++;
                CHECKF(0, "%s is not the fixture (sha %s)", p, hex);
            }
        }
        if (k < 0 && !delivered) {
            t->lost++;
            CHECKF(0, "job %s lost: not in the store, files not delivered",
                   name);
        }
        if (k >= 0) {
            int s = l->j[k].state;
            /* After a restart: QUEUED (was on its way), SUSPENDED,
             * TRANSFERRED or ERROR; never CONNECTING/TRANSFERRING. */
            if (s != 0 && s != 3 && s != 4 && s != 6) {
                t->bad_states++;
                CHECKF(0, "job %s came back in state %d", name, s);
            }
            CHECKF(l->j[k].nfiles == w->nfiles, "job %s has %d files", name,
                   l->j[k].nfiles);
        }
    }
    d = opendir(w->out);
    while (d && (e = readdir(d))) {
        unsigned d1 = 0;
        int live = 0;
        if (strncmp(e->d_name, "BIT", 3) != 0)
            continue;
        sscanf(e->d_name + 3, "%8x", &d1);
        for (int k = 0; k < l->njobs; k++)
            live |= l->j[k].data1 == d1;
        if (!live) {
            t->stray_temps++;
            CHECKF(0, "temporary file %s of no live job", e->d_name);
        }
    }
    if (d)
        closedir(d);
}

/* Runs work (not creating) until every job is completed. */
static int finish(struct world *w, unsigned seed, int ms)
{
    struct child c;
    int rc;
    if (work_child(w, &c, seed, 0) != 0)
        return -1;
    rc = child_wait(&c, ms);
    if (rc != 0)
        fprintf(stderr, "\n    finish: exit %d, output tail: %.400s\n", rc,
                c.n > 400 ? c.buf + c.n - 400 : c.buf);
    return rc;
}

static void check_all_delivered(struct world *w)
{
    struct tally t = {0, 0, 0, 0};
    struct listing l;
    check_world(w, &t, &l);
    CHECKF(l.njobs == 0, "%d jobs left in the store after finishing", l.njobs);
    for (int j = 0; j < w->njobs; j++)
        for (int f = 0; f < w->nfiles; f++) {
            char p[600], hex[72];
            snprintf(p, sizeof p, "%s/j%d_%d.bin", w->out, j, f);
            CHECKF(file_sha(p, hex) == 0 && !strcmp(hex, w->sha[j][f]),
                   "%s delivered with sha %s", p, hex);
        }
}

/* ---- tests -------------------------------------------------------------- */

static unsigned long long temp_size(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned long long n = 0;
    while (d && (e = readdir(d))) {
        char p[600];
        struct stat st;
        if (strncmp(e->d_name, "BIT", 3) != 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &st) == 0)
            n += (unsigned long long)st.st_size;
    }
    if (d)
        closedir(d);
    return n;
}

/* One file; kill when a known part is on disk; the new process resumes
 * it with one Range request from exactly the bytes on disk. */
static void test_resume_after_kill(void)
{
    struct world w;
    struct child c;
    struct listing l;
    struct tally t = {0, 0, 0, 0};
    struct logsum s;
    unsigned long long on_disk = 0;
    uint64_t end;
    size_t size = 2u << 20;
    if (world_open(&w, 1, 1, size,
                   "match glob=/*.bin action=throttle rate=524288\n") != 0) {
        CHECKF(0, "setting up h2mock and fixtures in %s", w.dir);
        world_close(&w);
        return;
    }
    CHECKF(work_child(&w, &c, 0, 1) == 0, "work child started");
    end = mono_ms() + 15000;
    while (mono_ms() < end && (on_disk = temp_size(w.out)) < 400 * 1024)
        sleep_ms(20);
    kill(c.pid, SIGKILL);
    child_wait(&c, 5000);
    on_disk = temp_size(w.out);
    CHECKF(on_disk >= 400 * 1024 && on_disk < size,
           "killed with %llu bytes on disk", on_disk);
    check_world(&w, &t, &l);
    CHECKF(l.njobs == 1 && l.j[0].state == 0,
           "one job, QUEUED again (jobs %d, state %d)", l.njobs,
           l.njobs ? l.j[0].state : -1);
    CHECKF(l.njobs == 1 && l.j[0].transferred[0] == on_disk,
           "progress from the bytes on disk: %llu, disk %llu",
           l.njobs ? l.j[0].transferred[0] : 0ULL, on_disk);
    /* the first response's headers came back from the store (I10) */
    CHECKF(l.njobs == 1 && !strcmp(l.j[0].hdr[0], "HTTP/2 200"),
           "response headers after the restart: \"%s\"",
           l.njobs ? l.j[0].hdr[0] : "");
    CHECKF(finish(&w, 0, 30000) == 0, "restarted process finished");
    check_all_delivered(&w);
    mock_stop(&w.mock);
    log_sum(&w.mock, &s);
    CHECKF(s.resumes == 1 && s.first_resume == on_disk,
           "h2mock saw one Range: bytes=%llu- (%u resumed requests), %llu "
           "on disk",
           s.first_resume, s.resumes, on_disk);
    CHECKF(s.bytes < size + size / 10, "bytes sent %llu for a %zu-byte file",
           s.bytes, size);
    printf("\n    killed at %llu of %zu bytes; resumed with Range: bytes=%llu-;"
           " %llu bytes sent in %u requests\n",
           on_disk, size, s.first_resume, s.bytes, s.requests);
    world_close(&w);
}

/* Two processes, one state directory: the runner (a working process)
 * downloads a job another process created and resumed; that process runs
 * no transfer, and both see each other's jobs. */
static void test_two_processes(void)
{
    struct world w;
    struct child a;
    struct logsum s;
    static char out[65536];
    char *lst[] = {"persist-child", "list", NULL};
    char *add[] = {"persist-child", "addjob", NULL, NULL, "1", NULL};
    struct listing l;
    uint64_t end;
    int rc;
    if (world_open(&w, 2, 1, 1536 * 1024,
                   "match glob=/*.bin action=throttle rate=524288\n") != 0) {
        CHECKF(0, "setting up h2mock and fixtures in %s", w.dir);
        world_close(&w);
        return;
    }
    add[2] = w.out;
    add[3] = w.mock.srv.base;
    w.njobs = 1; /* the working process makes pj00 only */
    CHECKF(work_child(&w, &a, 0, 1) == 0, "runner process started");
    end = mono_ms() + 10000;
    while (!strstr(a.buf, "M created") && mono_ms() < end)
        child_read(&a, 50);
    rc = run_child(w.state, out, sizeof out, 20000, lst);
    parse_list(out, &l);
    CHECKF(rc == 0 && l.njobs == 1 && !strcmp(l.j[0].name, "pj00"),
           "a second process lists the runner's job: %s", out);
    rc = run_child(w.state, out, sizeof out, 20000, add);
    CHECKF(rc == 0 && strstr(out, "HR resume 0x00000000") &&
               strstr(out, "RUNNER 0"),
           "a third process made and resumed pj01 without being the runner: "
           "%s",
           out);
    /* The runner picks pj01 up from the store, fetches and completes both
     * and then ends by itself. */
    rc = child_wait(&a, 40000);
    CHECKF(rc == 0 && strstr(a.buf, "M complete-end pj01 0x00000000"),
           "the runner completed pj01 (exit %d): %.300s", rc, a.buf);
    w.njobs = 2;
    check_all_delivered(&w);
    mock_stop(&w.mock);
    log_sum(&w.mock, &s);
    CHECKF(s.requests == 2 && s.resumes == 0,
           "each file fetched once, by one process: %u requests, %u resumed",
           s.requests, s.resumes);
    world_close(&w);
}

/* I19: jobs whose remote names are a file:// URL (pj00) and a plain
 * local path (pj01) are made by a process that runs no transfer; a new
 * process loads them from the store, reads both sources (never h2mock)
 * and delivers them whole. */
static void test_local_sources(void)
{
    struct world w;
    struct child a;
    struct logsum s;
    struct listing l;
    static char out[65536];
    char url[400];
    char *lst[] = {"persist-child", "list", NULL};
    char *add[] = {"persist-child", "addjob", NULL, NULL, NULL, NULL};
    int rc;
    if (world_open(&w, 2, 1, 1536 * 1024, "") != 0) {
        CHECKF(0, "setting up fixtures in %s", w.dir);
        world_close(&w);
        return;
    }
    snprintf(url, sizeof url, "file://%s", w.mock.srv.root);
    add[2] = w.out;
    for (int j = 0; j < 2; j++) {
        add[3] = j == 0 ? url : w.mock.srv.root;
        add[4] = j == 0 ? "0" : "1";
        rc = run_child(w.state, out, sizeof out, 20000, add);
        CHECKF(rc == 0 && strstr(out, "HR addfile 0x00000000") &&
                   strstr(out, "HR resume 0x00000000"),
               "pj%02d made with a local source: %s", j, out);
    }
    rc = run_child(w.state, out, sizeof out, 20000, lst);
    parse_list(out, &l);
    CHECKF(rc == 0 && l.njobs == 2 && l.j[0].state == 0 && l.j[1].state == 0,
           "both jobs stored, QUEUED: %s", out);
    CHECKF(work_child(&w, &a, 0, 0) == 0, "runner process started");
    rc = child_wait(&a, 40000);
    CHECKF(rc == 0 && strstr(a.buf, "M complete-end pj00 0x00000000") &&
               strstr(a.buf, "M complete-end pj01 0x00000000"),
           "the new process completed both (exit %d): %.300s", rc, a.buf);
    check_all_delivered(&w);
    mock_stop(&w.mock);
    log_sum(&w.mock, &s);
    CHECKF(s.requests == 0, "no HTTP request for a local source: %u",
           s.requests);
    world_close(&w);
}

/* The DO side: a NonVolatile IDODownload killed while transferring comes
 * back Paused with the bytes of its staging file; Start resumes it with
 * one Range request; Finalize delivers the right bytes. */
static void test_do_nonvolatile_resume(void)
{
    struct world w;
    struct child c;
    struct logsum s;
    static char out[65536];
    char *argv[] = {"persist-child", "dofinish", NULL};
    char path[600], hex[72], sha[72];
    unsigned long long on_disk = 0, loaded = 0;
    int state = -1, rc;
    const char *p;
    uint64_t end;
    size_t size = 1u << 20;
    if (world_open(&w, 0, 0, 0,
                   "match glob=/*.bin action=throttle rate=393216\n") != 0) {
        CHECKF(0, "setting up h2mock in %s", w.dir);
        world_close(&w);
        return;
    }
    snprintf(path, sizeof path, "%s/do.bin", w.mock.srv.root);
    CHECKF(write_fixture(path, size, 77, sha) == 0, "fixture %s", path);
    {
        char *sargv[] = {"persist-child", "dostart", w.out, w.mock.srv.base,
                         NULL};
        CHECKF(child_start(&c, w.state, sargv) == 0, "dostart started");
    }
    end = mono_ms() + 15000;
    while (mono_ms() < end) {
        struct stat st;
        char stage[700];
        DIR *d = opendir(w.out);
        struct dirent *e;
        on_disk = 0;
        while (d && (e = readdir(d)))
            if (e->d_name[0] == '.' && strstr(e->d_name, ".do")) {
                snprintf(stage, sizeof stage, "%s/%s", w.out, e->d_name);
                if (stat(stage, &st) == 0)
                    on_disk = (unsigned long long)st.st_size;
            }
        if (d)
            closedir(d);
        if (on_disk >= 200 * 1024)
            break;
        child_read(&c, 20);
    }
    kill(c.pid, SIGKILL);
    child_wait(&c, 5000);
    CHECKF(strstr(c.buf, "HR nonvolatile 0x00000000") &&
               strstr(c.buf, "HR start 0x00000000"),
           "NonVolatile download started: %s", c.buf);
    CHECKF(on_disk >= 200 * 1024 && on_disk < size,
           "killed with %llu bytes in the staging file", on_disk);
    rc = run_child(w.state, out, sizeof out, 40000, argv);
    CHECKF(rc == 0, "dofinish exit %d: %s", rc, out);
    if ((p = strstr(out, "DL state ")))
        sscanf(p, "DL state %d transferred %llu", &state, &loaded);
    CHECKF(state == 5 && loaded >= on_disk,
           "the new process found it Paused (5) with the bytes on disk: "
           "state %d, %llu (disk at the kill %llu)",
           state, loaded, on_disk);
    CHECKF(strstr(out, "DL finalized 0x00000000") != NULL,
           "Finalize after the resumed transfer: %s", out);
    snprintf(path, sizeof path, "%s/do.bin", w.out);
    CHECKF(file_sha(path, hex) == 0 && !strcmp(hex, sha),
           "%s delivered with sha %s", path, hex);
    mock_stop(&w.mock);
    log_sum(&w.mock, &s);
    CHECKF(s.resumes == 1 && s.first_resume == loaded,
           "h2mock saw one Range: bytes=%llu- (%u resumed requests), "
           "loaded %llu",
           s.first_resume, s.resumes, loaded);
    printf("\n    DO: killed at %llu of %zu bytes; resumed with Range: "
           "bytes=%llu-; %llu bytes sent\n",
           on_disk, size, s.first_resume, s.bytes);
    world_close(&w);
}

/* An upload killed after two acknowledged fragments (the third's Ack is
 * held back): a new process goes on in the same session from the stored
 * offset — no Create-Session, no byte below 8 MiB again (decision UP10). */
static unsigned count_in(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    unsigned n = 0;
    if (!f)
        return 0;
    while (getline(&line, &cap, f) > 0)
        for (const char *p = line; (p = strstr(p, needle)); p += strlen(needle))
            n++;
    free(line);
    fclose(f);
    return n;
}

static void upload_resume_run(const char *host_id)
{
    struct world w;
    struct child c;
    static char out[65536];
    char *argv[] = {"persist-child", "upfinish", NULL};
    char src[600], url[600], sha[72], hex[72], dst[600];
    size_t size = 9u << 20;
    uint64_t end;
    int rc, opened;
    mock_upload_host = host_id;
    opened = world_open(&w, 0, 0, 0,
                        "match packet=Fragment fragment=3 times=1 "
                        "action=delay ms=20s\n");
    mock_upload_host = NULL;
    if (opened != 0) {
        CHECKF(0, "setting up h2mock in %s", w.dir);
        world_close(&w);
        return;
    }
    snprintf(src, sizeof src, "%s/src.bin", w.dir);
    snprintf(url, sizeof url, "%s/u.bin", w.mock.srv.base);
    CHECKF(write_fixture(src, size, 91, sha) == 0, "fixture %s", src);
    {
        char *sargv[] = {"persist-child", "upstart", src, url, NULL};
        CHECKF(child_start(&c, w.state, sargv) == 0, "upstart started");
    }
    end = mono_ms() + 20000;
    while (mono_ms() < end && !strstr(c.buf, "UP 8388608"))
        child_read(&c, 20);
    CHECKF(strstr(c.buf, "UP 8388608") != NULL,
           "two fragments acknowledged: %s", c.buf);
    sleep_ms(600); /* the watch thread's round writes the offset */
    kill(c.pid, SIGKILL);
    child_wait(&c, 5000);
    rc = run_child(w.state, out, sizeof out, 40000, argv);
    CHECKF(rc == 0 && strstr(out, "transferred 8388608"),
           "the new process found the acknowledged offset (exit %d): %s", rc,
           out);
    CHECKF(strstr(out, "UP done 6") && strstr(out, "HR complete 0x00000000"),
           "TRANSFERRED and completed: %s", out);
    snprintf(dst, sizeof dst, "%s/up/u.bin", w.dir);
    CHECKF(file_sha(dst, hex) == 0 && !strcmp(hex, sha),
           "the server holds the source's bytes (%s)", hex);
    mock_stop(&w.mock);
    CHECKF(count_in(w.mock.log, "\"packet\":\"Create-Session\"") == 1,
           "one Create-Session (%u)",
           count_in(w.mock.log, "\"packet\":\"Create-Session\""));
    {
        const char *r0 = "\"range\":\"bytes 0-4194303/",
                   *r1 = "\"range\":\"bytes 4194304-8388607/",
                   *r2 = "\"range\":\"bytes 8388608-9437183/";
        unsigned n0 = count_in(w.mock.log, r0), n1 = count_in(w.mock.log, r1),
                 n2 = count_in(w.mock.log, r2);
        CHECKF(n0 == 1 && n1 == 1 && n2 == 2,
               "fragments 0 and 4 MiB once, the unacknowledged last one "
               "twice (%u, %u, %u)",
               n0, n1, n2);
    }
    if (host_id) {
        char host[80];
        snprintf(host, sizeof host, "[\"Host\",\"%s:", host_id);
        CHECKF(count_in(w.mock.log, host) == 6,
               "the Ping, 4 Fragments and Close-Session to the BITS-Host-Id, "
               "before and after the restart (%u)",
               count_in(w.mock.log, host));
        CHECKF(count_in(w.mock.log, "\"packet\":\"Ping\"") == 1,
               "one Ping, after Create-Session: the restored session goes on "
               "with its Fragment (UP18) (%u)",
               count_in(w.mock.log, "\"packet\":\"Ping\""));
    } else {
        CHECKF(count_in(w.mock.log, "\"packet\":\"Ping\"") == 0,
               "no Ping without a BITS-Host-Id (%u)",
               count_in(w.mock.log, "\"packet\":\"Ping\""));
    }
    world_close(&w);
}

static void test_upload_resume_after_kill(void)
{
    upload_resume_run(NULL);
}

/* The same with h2mock naming a BITS-Host-Id ("localhost", the same
 * server by another name): the restarted process sends its packets to
 * that host too, the Host-Id being stored with the session (UP17), and
 * does not ping it again (UP18). */
static void test_upload_host_id_after_kill(void)
{
    upload_resume_run("localhost");
}

/* An upload-reply job TRANSFERRED in one process: a new process reads
 * the same GetReplyProgress (the reply's 64 bytes, the SHA-256 in hex
 * h2mock answers), not {BG_SIZE_UNKNOWN, 0} (UP15: stored). */
static void test_upload_reply_progress_after_restart(void)
{
    struct world w;
    static char out[8192];
    char *pargv[] = {"persist-child", "upreplyprog", NULL};
    char src[600], url[600], sha[72];
    const char *want = "RP state 6 hr 0x00000000 total 64 bytes 64";
    int rc;
    if (world_open(&w, 0, 0, 0, "") != 0) {
        CHECKF(0, "setting up h2mock in %s", w.dir);
        world_close(&w);
        return;
    }
    snprintf(src, sizeof src, "%s/src.bin", w.dir);
    snprintf(url, sizeof url, "%s/reply/r.bin", w.mock.srv.base);
    CHECKF(write_fixture(src, 1u << 20, 17, sha) == 0, "fixture %s", src);
    {
        char *argv[] = {"persist-child", "upreply", src, url, NULL};
        rc = run_child(w.state, out, sizeof out, 40000, argv);
    }
    CHECKF(rc == 0 && strstr(out, want),
           "TRANSFERRED, reply read (exit %d): %s", rc, out);
    rc = run_child(w.state, out, sizeof out, 20000, pargv);
    CHECKF(rc == 0 && strstr(out, want),
           "the new process reports the stored reply progress (exit %d): %s",
           rc, out);
    world_close(&w);
}

/* Several jobs; SIGKILL at random moments, at a Complete and at a state
 * change; after each kill a new process checks the store and the disk. */
static void test_kill_at_random_moments(void)
{
    struct world w;
    struct tally t = {0, 0, 0, 0};
    struct logsum s;
    unsigned seed = seed_base, kinds[3] = {0, 0, 0}, rounds = 0;
    int njobs = 6, nfiles = 2, done = 0;
    size_t total = 0;
    uint64_t t0 = mono_ms();
    if (world_open(&w, njobs, nfiles, 192 * 1024,
                   "match glob=/*.bin action=throttle rate=98304\n") != 0) {
        CHECKF(0, "setting up h2mock and fixtures in %s", w.dir);
        world_close(&w);
        return;
    }
    for (int j = 0; j < njobs; j++)
        for (int k = 0; k < nfiles; k++)
            total += fix_size(&w, j, k);
    for (int cycle = 0; cycle < 16 && !done && mono_ms() - t0 < 45000;
         cycle++) {
        struct child c;
        struct listing l;
        int kind = cycle % 3, st;
        const char *marker = kind == 1   ? "M complete-begin"
                             : kind == 2 ? "M state-begin"
                                         : NULL;
        uint64_t end;
        if (work_child(&w, &c, seed + (unsigned)cycle, cycle == 0) != 0)
            break;
        if (cycle == 0) {
            /* Kill only once the jobs are made. */
            end = mono_ms() + 10000;
            while (!strstr(c.buf, "M created") && mono_ms() < end)
                child_read(&c, 50);
            c.n = 0;
            c.buf[0] = 0;
        }
        if (marker) {
            size_t from = c.n;
            end = mono_ms() + 2500;
            while (!strstr(c.buf + from, marker) && mono_ms() < end)
                if (!child_read(&c, 20))
                    break;
            if (!strstr(c.buf + from, marker))
                kind = 0; /* none came: a plain random moment */
            if (kind)
                usleep((useconds_t)(rand_r(&seed) % 2500));
        } else {
            sleep_ms(40 + (long)(rand_r(&seed) % 900));
        }
        kill(c.pid, SIGKILL);
        st = child_wait(&c, 5000);
        if (st == 0 && strstr(c.buf, "M all-done"))
            done = 1; /* finished before the kill */
        else
            kinds[kind]++;
        rounds++;
        check_world(&w, &t, &l);
        if (getenv("PERSIST_TESTS_VERBOSE"))
            printf("\n    round %d: kind %d exit %d, %d jobs left", cycle, kind,
                   st, l.njobs);
    }
    CHECKF(finish(&w, seed, 60000) == 0, "a last process finished the jobs");
    check_all_delivered(&w);
    mock_stop(&w.mock);
    log_sum(&w.mock, &s);
    CHECKF(t.lost == 0 && t.corrupt == 0 && t.stray_temps == 0 &&
               t.bad_states == 0,
           "lost %u corrupt %u stray temps %u bad states %u", t.lost, t.corrupt,
           t.stray_temps, t.bad_states);
    CHECKF(s.resumes >= 1, "h2mock saw %u requests with Range: bytes=N- N>0",
           s.resumes);
    printf("\n    seed %u: %u rounds (random %u, at Complete %u, at a state "
           "change %u); lost %u, corrupt %u; %u resumed requests; %llu "
           "bytes sent for %zu (%.1f %% again)\n",
           seed_base, rounds, kinds[0], kinds[1], kinds[2], t.lost, t.corrupt,
           s.resumes, s.bytes, total,
           total ? 100.0 * ((double)s.bytes - (double)total) / (double)total
                 : 0.0);
    world_close(&w);
}

/* A fresh "$TMPDIR/persist-<name>-XXXXXX" in dir and its "state" below;
 * -1 (the failure checked) when it cannot be made. */
static int case_dirs(const char *name, char *dir, size_t dlen, char *state,
                     size_t slen)
{
    snprintf(dir, dlen, "%s/persist-%s-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
    if (!mkdtemp(dir)) {
        CHECKF(0, "mkdtemp %s", dir);
        return -1;
    }
    snprintf(state, slen, "%s/state", dir);
    return 0;
}

/* The store cannot write: each call answers the store's HRESULT and the
 * job keeps what it had, in memory and (seen by a new process) on disk. */
static void store_error_case(const char *mode, unsigned expect, int loaded)
{
    char dir[256], state[300];
    static char out[65536];
    char *argv[] = {"persist-child", (char *)mode, dir, NULL};
    struct listing l;
    unsigned hr;
    const char *p;
    int rc;
    if (case_dirs(mode, dir, sizeof dir, state, sizeof state))
        return;
    rc = run_child(state, out, sizeof out, 30000, argv);
    if ((p = strstr(out, "SKIP "))) {
        printf("\n    SKIP %s: %.200s", mode, p + 5);
        rm_tree(dir);
        return;
    }
    CHECKF(rc == 0, "%s child exit %d: %s", mode, rc, out);
    {
        static const char *const calls[] = {"create", "setdesc", "addfile",
                                            "resume"};
        for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
            char key[32];
            if (!loaded && i > 0)
                break;
            snprintf(key, sizeof key, "HR %s 0x", calls[i]);
            p = strstr(out, key);
            hr = p ? (unsigned)strtoul(p + strlen(key), NULL, 16) : 0;
            CHECKF(p && hr == expect, "%s: %s answered 0x%08X, expected 0x%08X",
                   mode, calls[i], hr, expect);
        }
    }
    if (loaded)
        CHECKF(strstr(out, "MEM desc before files 1 state 3") != NULL,
               "%s: in memory the job kept its description, one file and "
               "SUSPENDED: %s",
               mode, out);
    else
        CHECKF(strstr(out, "MEM novictim") != NULL,
               "%s: without a store no job is loaded: %s", mode, out);
    parse_list(strstr(out, "STORE ") ? strstr(out, "STORE ") : out, &l);
    CHECKF(l.njobs == 1 && !strcmp(l.j[0].name, "victim") &&
               !strcmp(l.j[0].desc, "before") && l.j[0].nfiles == 1 &&
               l.j[0].state == 3,
           "%s: a new process finds the job as it was (jobs %d, %s %s "
           "files %d state %d)",
           mode, l.njobs, l.njobs ? l.j[0].name : "-",
           l.njobs ? l.j[0].desc : "-", l.njobs ? l.j[0].nfiles : -1,
           l.njobs ? l.j[0].state : -1);
    printf("\n    %s: every call 0x%08X, stored job unchanged\n", mode, expect);
    rm_tree(dir);
}

/* Part writes (S23): AddFile one at a time writes only the new file's
 * row plus any row a file-level setter changed (S21), so a new process
 * finds all four files, file 0 renamed (carried by the fourth AddFile)
 * and file 1 with its stored name (its rename had no write after it). */
static void test_part_writes(void)
{
    char dir[256], state[300];
    static char out[65536];
    char *mk[] = {"persist-child", "parts", dir, NULL};
    char *lst[] = {"persist-child", "list", NULL};
    static const char *const want[] = {
        "FILE parts 0 %s/p0 0 -1 0 http://127.0.0.1:9/renamed0\n",
        "FILE parts 1 %s/p1 0 -1 0 http://127.0.0.1:9/a1\n",
        "FILE parts 2 %s/p2 0 -1 0 http://127.0.0.1:9/a2\n",
        "FILE parts 3 %s/p3 0 -1 0 http://127.0.0.1:9/a3\n",
    };
    struct listing l;
    int rc;
    snprintf(dir, sizeof dir, "%s/persist-parts-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        CHECKF(0, "mkdtemp");
        return;
    }
    snprintf(state, sizeof state, "%s/state", dir);
    rc = run_child(state, out, sizeof out, 20000, mk);
    CHECKF(rc == 0 && strstr(out, "HR parts 0x00000000") != NULL,
           "parts child exit %d: %s", rc, out);
    rc = run_child(state, out, sizeof out, 20000, lst);
    CHECKF(rc == 0, "list child exit %d: %s", rc, out);
    parse_list(out, &l);
    CHECKF(l.njobs == 1 && !strcmp(l.j[0].name, "parts") && l.j[0].nfiles == 4,
           "one job of four files: %s", out);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char line[700];
        snprintf(line, sizeof line, want[i], dir);
        CHECKF(strstr(out, line) != NULL, "expected \"%.*s\" in: %s",
               (int)strlen(line) - 1, line, out);
    }
    rm_tree(dir);
}

/* The property table (ref_job_props.h): every row goes through the
 * store and comes back in a new process, and comes over from another
 * process through the watch thread's merge.  Adding a row adds it to
 * this test. */
#define ROW_NAME(col, jf, rf, kind, d, l, h, m) col,
static const char *const prop_columns[] = {REF_JOB_PROPS(ROW_NAME)};
#undef ROW_NAME

static void test_property_table(void)
{
    char dir[256], state[300];
    static char out[65536];
    char *argv[] = {"persist-child", "props", NULL};
    int rc;
    if (case_dirs("props", dir, sizeof dir, state, sizeof state))
        return;
    rc = run_child(state, out, sizeof out, 30000, argv);
    CHECKF(rc == 0 && strstr(out, "HR props 0x00000000") &&
               strstr(out, "HR propset merge 0x00000000"),
           "props child exit %d: %s", rc, out);
    for (size_t i = 0; i < sizeof prop_columns / sizeof prop_columns[0]; i++) {
        char line[128];
        snprintf(line, sizeof line, "PROP %s ok\n", prop_columns[i]);
        CHECKF(strstr(out, line) != NULL, "read back by a new process: %s",
               line);
        snprintf(line, sizeof line, "MERGE %s ok\n", prop_columns[i]);
        CHECKF(strstr(out, line) != NULL, "merged from another process: %s",
               line);
    }
    CHECKF(strstr(out, " bad\n") == NULL, "no row differs: %s", out);
    /* A record read back with numbers outside their rows' bounds: the
     * defaults (priority NORMAL, MinimumRetryDelay 600). */
    CHECKF(strstr(out, "BOUND priority 2 retry_delay 600\n") != NULL,
           "out-of-bounds numbers read back as defaults: %s", out);
    rm_tree(dir);
}

/* S31: a process that exits normally has synced its commits: the
 * database file alone, without the WAL, holds the job it made. */
static void test_exit_syncs(void)
{
    char dir[256], state[300];
    static char out[4096];
    char *mk[] = {"persist-child", "mkjob", dir, NULL};
    char *db[] = {"persist-child", "dbonly", state, NULL};
    int rc;
    if (case_dirs("exit", dir, sizeof dir, state, sizeof state))
        return;
    rc = run_child(state, out, sizeof out, 20000, mk);
    CHECKF(rc == 0, "mkjob child exit %d: %s", rc, out);
    rc = run_child(state, out, sizeof out, 20000, db);
    CHECKF(rc == 0 && strstr(out, "DBONLY jobs 1\n") != NULL,
           "the database file without its WAL: %s", out);
    rm_tree(dir);
}

static void test_store_full_disk(void)
{
    store_error_case("full", 0x80070070u, 1); /* ERROR_DISK_FULL */
}

static void test_store_read_only(void)
{
    store_error_case("readonly", 0x80070005u, 0); /* E_ACCESSDENIED */
}

static void test_store_locked(void)
{
    store_error_case("locked", 0x800700AAu, 1); /* ERROR_BUSY */
}

static void on_alarm(int sig)
{
    static const char msg[] = "persist-tests: watchdog expired (170 s)\n";
    (void)sig;
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(3);
    _exit(3);
}

int main(int argc, char **argv)
{
    CU_TestInfo tests[] = {
        {"resume_after_kill", test_resume_after_kill},
        {"kill_at_random_moments", test_kill_at_random_moments},
        {"part_writes", test_part_writes},
        {"two_processes", test_two_processes},
        {"local_sources", test_local_sources},
        {"do_nonvolatile_resume", test_do_nonvolatile_resume},
        {"upload_resume_after_kill", test_upload_resume_after_kill},
        {"upload_host_id_after_kill", test_upload_host_id_after_kill},
        {"upload_reply_progress_after_restart",
         test_upload_reply_progress_after_restart},
        {"exit_syncs", test_exit_syncs},
        {"store_full_disk", test_store_full_disk},
        {"store_read_only", test_store_read_only},
        {"store_locked", test_store_locked},
        {"property_table", test_property_table},
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {
        {"persist", NULL, NULL, NULL, NULL, tests},
        CU_SUITE_INFO_NULL,
    };
    unsigned failed;
    const char *v = getenv("PERSIST_TESTS_SEED");
    if (v && *v)
        seed_base = (unsigned)strtoul(v, NULL, 0);
    signal(SIGALRM, on_alarm);
    alarm(170);
    signal(SIGPIPE, SIG_IGN);
    if (argc > 1) {
        CU_TestInfo *o = tests;
        for (CU_TestInfo *i = tests; i->pName; i++)
            if (strstr(i->pName, argv[1]))
                *o++ = *i;
        *o = (CU_TestInfo)CU_TEST_INFO_NULL;
    }
    if (CU_initialize_registry() != CUE_SUCCESS ||
        CU_register_suites(suites) != CUE_SUCCESS)
        return 2;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
