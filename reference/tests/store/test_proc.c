/*
 * test_proc.c - the store across processes: SIGKILL of a writer at
 * seeded random moments (every committed record intact, the one in
 * flight whole or absent), a store locked by another process (BUSY with
 * the path, previous state readable and intact), the runner rule (one
 * runner per state directory, released by death), and two processes
 * writing at once.  Children never call CUnit: they report through
 * shared memory or their exit status and end with _exit.
 */
#include "store_test.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void *shared(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    memset(p, 0, n);
    return p;
}

static int wait_ok(pid_t pid)
{
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

/* ---- SIGKILL in the middle of writes ------------------------------------- */

struct progress {
    volatile long put;   /* last job whose put_job returned OK, -1 none */
    volatile long state; /* last job whose put_state returned OK, -1 none */
    volatile long err;   /* a write error in the child */
    volatile int ready;  /* the child has opened its store */
};

#define UPDATED(j) (100 + (int32_t)(j))

static void writer_child(struct progress *p, const char *dir)
{
    struct ref_store *s = NULL;
    if (ref_store_open(dir, &s))
        _exit(3);
    p->ready = 1;
    for (uint32_t i = 0;; i++) {
        int err = ref_store_put_job(s, st_job_of(i, 0));
        if (err) {
            p->err = err;
            _exit(4);
        }
        p->put = i;
        if (i > 0) {
            /* the state change of the previous job, as a part write of
             * its row alone (S23) */
            struct ref_store_job u = *st_job_of(i - 1, 1);
            u.state = UPDATED(i - 1);
            u.error = (struct ref_store_error){1, 5, 0x80190194u, 0};
            u.error_count = i;
            u.modified = i;
            u.files = NULL;
            u.nfiles = 0;
            if ((err = ref_store_put_job_part(s, &u))) {
                p->err = err;
                _exit(5);
            }
            p->state = i - 1;
        }
    }
}

struct seen {
    long max_id;
    unsigned n;
    unsigned char present[4096];
    int content_bad, state_bad;
    long cs;
};

static int seen_cb(const struct ref_store_job *j, void *ctx)
{
    struct seen *x = ctx;
    long id = (long)j->id.Data1;
    x->n++;
    if (id > x->max_id)
        x->max_id = id;
    if (id < 4096)
        x->present[id] = 1;
    if (st_job_check(j, j->id.Data1))
        x->content_bad++;
    /* a state update is whole or absent too */
    int updated = j->state == UPDATED(id) && j->error.set == 1 &&
                  j->error.code == 0x80190194u &&
                  j->error_count == (uint32_t)id + 1;
    int initial = j->state == (int32_t)(id % 5) && j->error.set == 0 &&
                  j->error_count == 0;
    if (id <= x->cs       ? !updated
        : id == x->cs + 1 ? !(updated || initial)
                          : !initial)
        x->state_bad++;
    return 0;
}

static void kill9_during_writes(void)
{
    const unsigned rounds = 18;
    unsigned seed = 20240607, committed = 0, inflight_there = 0,
             inflight_absent = 0;
    if (getenv("STORE_TESTS_SEED"))
        seed = (unsigned)strtoul(getenv("STORE_TESTS_SEED"), NULL, 0);
    srand(seed);
    struct progress *p = shared(sizeof *p);
    CU_ASSERT_FATAL(p != NULL);
    for (unsigned r = 0; r < rounds; r++) {
        char dir[320];
        snprintf(dir, sizeof dir, "%s", st_scratch(0));
        p->put = p->state = -1;
        p->err = 0;
        p->ready = 0;
        /* every sixth round kills while the child opens (creation,
         * migration); the others once it writes, after a random delay */
        unsigned delay_us =
            r % 6 ? (unsigned)rand() % 30000 : (unsigned)rand() % 3000;
        pid_t pid = fork();
        if (pid == 0)
            writer_child(p, dir);
        for (int w = 0; r % 6 && !p->ready && w < 5000; w++)
            usleep(1000);
        usleep(delay_us);
        kill(pid, SIGKILL);
        int st = wait_ok(pid);
        CU_ASSERT_EQUAL(st, 200 + SIGKILL);
        CU_ASSERT_EQUAL(p->err, 0);
        struct ref_store *s = NULL;
        /* opening runs integrity_check: a torn store would fail here */
        EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
        if (!s)
            continue;
        static struct seen x;
        memset(&x, 0, sizeof x);
        x.max_id = -1;
        x.cs = p->state;
        EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, seen_cb, &x));
        ref_store_close(s);
        long cp = p->put;
        int all = 1;
        for (long j = 0; j <= cp && j < 4096; j++)
            all &= x.present[j];
        if (!all || x.max_id > cp + 1 || x.content_bad || x.state_bad)
            fprintf(stderr,
                    "\nround %u (seed %u, %u us): committed %ld, seen %u "
                    "(max %ld), bad content %d, bad state %d\n",
                    r, seed, delay_us, cp, x.n, x.max_id, x.content_bad,
                    x.state_bad);
        EXPECT_TRUE(all);
        EXPECT_TRUE(x.max_id <= cp + 1);
        EXPECT_U64(0, x.content_bad);
        EXPECT_U64(0, x.state_bad);
        committed += (unsigned)(cp + 1);
        if (x.max_id == cp + 1)
            inflight_there++;
        else
            inflight_absent++;
    }
    printf("\n    kill -9: %u rounds (seed %u), %u committed jobs all "
           "intact; job in flight present %u, absent %u\n",
           rounds, seed, committed, inflight_there, inflight_absent);
    munmap(p, sizeof *p);
}

/* ---- locked by another process ------------------------------------------- */

static void locker_child(const char *db, int ready_w, int go_r)
{
    sqlite3 *h;
    char c = 'x';
    if (sqlite3_open(db, &h) != SQLITE_OK ||
        sqlite3_exec(h, "BEGIN EXCLUSIVE; DELETE FROM jobs;", NULL, NULL,
                     NULL) != SQLITE_OK)
        _exit(3);
    if (write(ready_w, &c, 1) != 1 || read(go_r, &c, 1) != 1)
        _exit(4);
    sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
    _exit(0);
}

static void locked_by_other_process(void)
{
    char dir[320], db[360];
    snprintf(dir, sizeof dir, "%s", st_scratch(0));
    snprintf(db, sizeof db, "%s/jobs.db", dir);
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    CU_ASSERT_FATAL(s != NULL);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(1, 0)));
    int ready[2], go[2];
    CU_ASSERT_FATAL(pipe(ready) == 0 && pipe(go) == 0);
    pid_t pid = fork();
    if (pid == 0)
        locker_child(db, ready[1], go[0]);
    char c;
    CU_ASSERT_FATAL(read(ready[0], &c, 1) == 1);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_set_busy_timeout(s, 150));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    EXPECT_ERR(REF_STORE_E_BUSY, ref_store_put_job(s, st_job_of(2, 0)));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const char *m = ref_store_last_error();
    EXPECT_TRUE(st_contains(m, db));
    EXPECT_TRUE(st_contains(m, "database is locked"));
    double waited = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    EXPECT_TRUE(waited >= 100);
    struct ref_store_job u = *st_job_of(1, 0);
    u.state = 3;
    EXPECT_ERR(REF_STORE_E_BUSY, ref_store_put_job_part(s, &u));
    /* WAL: readers go on while another process writes; they see the
     * committed state (job 1), not the other's uncommitted delete */
    unsigned n = 0;
    EXPECT_ERR(REF_STORE_E_OK, st_count_jobs(s, &n));
    EXPECT_U64(1, n);
    /* a second opener is not blocked either */
    struct ref_store *s2 = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s2));
    ref_store_close(s2);
    CU_ASSERT(write(go[1], "g", 1) == 1);
    CU_ASSERT_EQUAL(wait_ok(pid), 0);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(2, 0)));
    EXPECT_ERR(REF_STORE_E_OK, st_count_jobs(s, &n));
    EXPECT_U64(2, n);
    printf("\n    locked: BUSY after %.0f ms (timeout 150 ms)\n", waited);
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
    ref_store_close(s);
}

/* ---- the runner rule ----------------------------------------------------- */

/* Opens its own store, tries to become runner, reports through a pipe,
 * holds until the parent writes (or kills it). */
static void runner_child(const char *dir, int report_w, int go_r, int hold)
{
    struct ref_store *s = NULL;
    int is = -1;
    char c;
    if (ref_store_open(dir, &s) || ref_store_acquire_runner(s, &is))
        _exit(3);
    c = (char)('0' + is);
    if (write(report_w, &c, 1) != 1)
        _exit(4);
    if (hold && read(go_r, &c, 1) < 0)
        _exit(5);
    ref_store_close(s);
    _exit(0);
}

static void runner_rule(void)
{
    char dir[320];
    snprintf(dir, sizeof dir, "%s", st_scratch(0));
    struct ref_store *a = NULL, *b = NULL;
    int is = -1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &a));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &b));
    int rep[2], go[2];
    CU_ASSERT_FATAL(pipe(rep) == 0 && pipe(go) == 0);
    char c = 0;

    /* a child takes the role; this process cannot, then can after the
     * child is killed (the kernel drops a dead holder's flock) */
    pid_t pid = fork();
    if (pid == 0)
        runner_child(dir, rep[1], go[0], 1);
    CU_ASSERT_FATAL(read(rep[0], &c, 1) == 1);
    CU_ASSERT_EQUAL(c, '1');
    EXPECT_ERR(REF_STORE_E_OK, ref_store_acquire_runner(a, &is));
    CU_ASSERT_EQUAL(is, 0);
    kill(pid, SIGKILL);
    CU_ASSERT_EQUAL(wait_ok(pid), 200 + SIGKILL);
    is = -1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_acquire_runner(a, &is));
    CU_ASSERT_EQUAL(is, 1);
    is = -1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_acquire_runner(a, &is));
    CU_ASSERT_EQUAL(is, 1); /* again: still ours */
    /* another store object, even in this process, is not the runner */
    is = -1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_acquire_runner(b, &is));
    CU_ASSERT_EQUAL(is, 0);
    /* nor a child, until we release */
    pid = fork();
    if (pid == 0)
        runner_child(dir, rep[1], go[0], 0);
    CU_ASSERT_FATAL(read(rep[0], &c, 1) == 1);
    CU_ASSERT_EQUAL(c, '0');
    CU_ASSERT_EQUAL(wait_ok(pid), 0);
    ref_store_release_runner(a);
    is = -1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_acquire_runner(b, &is));
    CU_ASSERT_EQUAL(is, 1);
    ref_store_close(b); /* close releases too */
    ref_store_close(a);

    /* four processes race for it: exactly one wins */
    pid_t kids[4];
    int ones = 0;
    for (int k = 0; k < 4; k++) {
        kids[k] = fork();
        if (kids[k] == 0)
            runner_child(dir, rep[1], go[0], 1);
    }
    for (int k = 0; k < 4; k++) {
        CU_ASSERT_FATAL(read(rep[0], &c, 1) == 1);
        ones += c == '1';
    }
    CU_ASSERT(write(go[1], "gggg", 4) == 4);
    for (int k = 0; k < 4; k++)
        CU_ASSERT_EQUAL(wait_ok(kids[k]), 0);
    CU_ASSERT_EQUAL(ones, 1);
    close(rep[0]);
    close(rep[1]);
    close(go[0]);
    close(go[1]);
}

/* ---- two writers at once ------------------------------------------------- */

static void concurrent_writers(void)
{
    char dir[320];
    snprintf(dir, sizeof dir, "%s", st_scratch(0));
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    ref_store_close(s);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            struct ref_store *c = NULL;
            if (ref_store_open(dir, &c))
                _exit(3);
            for (uint32_t i = 0; i < 40; i++)
                if (ref_store_put_job(c, st_job_of((uint32_t)k * 1000 + i, 0)))
                    _exit(4);
            ref_store_close(c);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++)
        CU_ASSERT_EQUAL(wait_ok(kids[k]), 0);
    s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    static struct seen x;
    memset(&x, 0, sizeof x);
    x.cs = -2; /* states are the initial ones */
    x.max_id = -1;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, seen_cb, &x));
    EXPECT_U64(80, x.n);
    EXPECT_U64(0, x.content_bad);
    ref_store_close(s);
}

CU_TestInfo st_proc_tests[] = {
    {"kill9_during_writes", kill9_during_writes},
    {"locked_by_other_process", locked_by_other_process},
    {"runner_rule", runner_rule},
    {"concurrent_writers", concurrent_writers},
    CU_TEST_INFO_NULL,
};
