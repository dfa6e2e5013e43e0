/*
 * test_errors.c - a store that cannot be opened or written: bad
 * arguments, a state directory that cannot be made, a file that is not a
 * database, a damaged database (bytes overwritten in the middle and in
 * the header), a full disk and a read-only file system.  Each gives its
 * documented code, a message naming the path and SQLite's (or the
 * kernel's) reason, never a crash, and leaves the committed state intact.
 *
 * The full-disk and read-only cases run in a child process that makes a
 * private mount namespace and mounts a small tmpfs (real ENOSPC, a real
 * `remount,ro`); where that is impossible (not root) the full-disk case
 * uses RLIMIT_FSIZE with SIGXFSZ ignored and the read-only case is
 * reported as not run.
 */
#include "store_test.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void null_arguments(void)
{
    struct ref_store *s = NULL;
    GUID g = {0};
    int flag;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(st_scratch(0), &s));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_put_job(NULL, st_job_of(1, 0)));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_put_job(s, NULL));
    struct ref_store_job j = *st_job_of(1, 0);
    j.owner = NULL;
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_put_job(s, &j));
    j = *st_job_of(2, 0); /* 3 files, 2 ranges each */
    struct ref_store_file f = j.files[0];
    f.ranges = NULL;
    j.files = &f;
    j.nfiles = 1;
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_put_job(s, &j));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_put_job_part(s, NULL));
    EXPECT_ERR(REF_STORE_E_INVALID,
               ref_store_delete_job_leaving(s, &g, NULL, 1));
    EXPECT_ERR(REF_STORE_E_INVALID,
               ref_store_put_job_part(NULL, st_job_of(1, 0)));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_delete_job(s, NULL));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_load_jobs(s, NULL, NULL, NULL));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_put_download(s, NULL));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_acquire_runner(s, NULL));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_changed(NULL, &flag));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_cleanup_temps(s, NULL, 3, NULL));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_purge(NULL, 0, 0, 0, NULL));
    EXPECT_TRUE(
        strcmp(ref_store_err_name(REF_STORE_E_BUSY), "REF_STORE_E_BUSY") == 0);
    EXPECT_TRUE(strcmp(ref_store_err_name(12345), "REF_STORE_E_?") == 0);
    EXPECT_U64((uint32_t)0x80070070,
               (uint32_t)ref_store_hresult(REF_STORE_E_FULL));
    EXPECT_U64((uint32_t)0x80070005,
               (uint32_t)ref_store_hresult(REF_STORE_E_READONLY));
    EXPECT_U64((uint32_t)0x80200001,
               (uint32_t)ref_store_hresult(REF_STORE_E_NOT_FOUND));
    EXPECT_U64(0, (uint32_t)ref_store_hresult(REF_STORE_E_OK));
    ref_store_close(s);
    ref_store_close(NULL);
}

static void unusable_directory(void)
{
    char dir[480], file[400];
    snprintf(file, sizeof file, "%s/plain-file", st_scratch(1));
    int fd = open(file, O_CREAT | O_WRONLY, 0600);
    if (fd >= 0)
        close(fd);
    /* a path through a regular file cannot be made */
    snprintf(dir, sizeof dir, "%s/state", file);
    struct ref_store *s = (struct ref_store *)0xdeadbeef;
    EXPECT_ERR(REF_STORE_E_OPEN, ref_store_open(dir, &s));
    EXPECT_TRUE(s == NULL);
    EXPECT_TRUE(st_contains(ref_store_last_error(), file));
    EXPECT_TRUE(st_contains(ref_store_last_error(), "Not a directory"));
    /* the state "directory" is a file */
    EXPECT_ERR(REF_STORE_E_OPEN, ref_store_open(file, &s));
    EXPECT_TRUE(st_contains(ref_store_last_error(), file));
    /* jobs.db is a directory */
    snprintf(dir, sizeof dir, "%s", st_scratch(1));
    char db[500];
    snprintf(db, sizeof db, "%s/jobs.db", dir);
    mkdir(db, 0700);
    EXPECT_ERR(REF_STORE_E_OPEN, ref_store_open(dir, &s));
    EXPECT_TRUE(st_contains(ref_store_last_error(), db));
}

/* ---- damaged files ------------------------------------------------------- */

struct damage {
    const char *name;
    long offset; /* -1: start of the middle page */
    size_t len;
    int text; /* replace the file by text */
    const char *says;
};

static const struct damage damages[] = {
    {"text instead of a database", 0, 0, 1, "file is not a database"},
    {"header overwritten", 0, 100, 0, "file is not a database"},
    {"middle page overwritten", -1, 512, 0, ""},
    {"last bytes of middle pages", -2, 64, 0, ""},
};

static void damaged_files(void)
{
    for (size_t i = 0; i < sizeof damages / sizeof *damages; i++) {
        const struct damage *d = &damages[i];
        char dir[320], db[360];
        snprintf(dir, sizeof dir, "%s", st_scratch(1));
        snprintf(db, sizeof db, "%s/jobs.db", dir);
        struct ref_store *s = NULL;
        EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
        for (uint32_t k = 0; k < 80; k++)
            EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(k, 0)));
        ref_store_close(s); /* last connection: checkpoint, WAL removed */
        struct stat sb;
        stat(db, &sb);
        int fd = open(db, O_WRONLY | (d->text ? O_TRUNC : 0));
        CU_ASSERT_FATAL(fd >= 0);
        if (d->text) {
            static const char t[] = "this is a note, not a database\n";
            CU_ASSERT(write(fd, t, sizeof t - 1) == (ssize_t)sizeof t - 1);
        } else {
            unsigned char junk[512];
            memset(junk, 0xA5, sizeof junk);
            long pages = (long)sb.st_size / 4096;
            long off = d->offset == -1   ? pages / 2 * 4096
                       : d->offset == -2 ? pages / 2 * 4096 + 4096 - 64
                                         : d->offset;
            /* -2: the tails of four pages from the middle on, so at least
             * one holds cells whatever the layout (an index page may end
             * in free space) */
            for (int k = 0; k < (d->offset == -2 ? 4 : 1); k++)
                CU_ASSERT(pwrite(fd, junk, d->len, off + 4096L * k) ==
                          (ssize_t)d->len);
        }
        close(fd);
        s = (struct ref_store *)0xdeadbeef;
        int err = ref_store_open(dir, &s);
        const char *m = ref_store_last_error();
        if (err != REF_STORE_E_CORRUPT)
            fprintf(stderr, "\ndamage \"%s\" (%lld bytes): %s: %s\n", d->name,
                    (long long)sb.st_size, ref_store_err_name(err), m);
        EXPECT_ERR(REF_STORE_E_CORRUPT, err);
        EXPECT_TRUE(s == NULL);
        EXPECT_TRUE(st_contains(m, db));
        EXPECT_TRUE(st_contains(m, d->says));
        EXPECT_TRUE(st_contains(m, "REF_STORE_E_CORRUPT"));
        /* the file is left for inspection */
        struct stat after;
        EXPECT_TRUE(stat(db, &after) == 0 && after.st_size > 0);
    }
}

/* ---- full disk and read-only, in a private tmpfs ------------------------- */

struct fs_result {
    int how; /* 1 tmpfs, 2 RLIMIT_FSIZE, 3 not possible */
    int setup_err;
    uint32_t n_ok;
    int fail_err;
    char msg[700];
    unsigned count_after;
    int bad_after;
    int put_after_free;
    unsigned count_final;
    int reopen_err;
    int ro_open_err;
    char ro_msg[700];
    int ro_new_err;
    char ro_new_msg[700];
    unsigned ro_count;
};

/* In the child: a private mount namespace with a tmpfs of `size` on dir;
 * 1 on success. */
static int private_tmpfs(const char *dir, const char *size)
{
    char opts[64];
    snprintf(opts, sizeof opts, "size=%s,mode=0700", size);
    return unshare(CLONE_NEWNS) == 0 &&
           mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
           mount("tmpfs", dir, "tmpfs", 0, opts) == 0;
}

static int check_all(const struct ref_store_job *j, void *ctx)
{
    if (st_job_check(j, j->id.Data1))
        ++*(int *)ctx;
    return 0;
}

static void full_disk_child(struct fs_result *r, const char *dir)
{
    char state[400], filler[400];
    struct ref_store *s = NULL;
    snprintf(state, sizeof state, "%s/state", dir);
    snprintf(filler, sizeof filler, "%s/filler", dir);
    r->how = private_tmpfs(dir, "1m") ? 1 : 2;
    if ((r->setup_err = ref_store_open(state, &s)))
        _exit(0);
    if (r->how == 1) {
        static char block[64 * 1024];
        int fd = open(filler, O_CREAT | O_WRONLY, 0600);
        if (fd < 0 || write(fd, block, sizeof block) != sizeof block)
            r->setup_err = -100;
        close(fd);
    } else {
        struct rlimit rl = {256 * 1024, 256 * 1024};
        signal(SIGXFSZ, SIG_IGN);
        setrlimit(RLIMIT_FSIZE, &rl);
    }
    uint32_t i = 0;
    int err = 0;
    for (; i < 20000 && !err; i++)
        err = ref_store_put_job(s, st_job_of(i, 0));
    r->n_ok = i - 1;
    r->fail_err = err;
    snprintf(r->msg, sizeof r->msg, "%s", ref_store_last_error());
    st_count_jobs(s, &r->count_after);
    ref_store_load_jobs(s, NULL, check_all, &r->bad_after);
    if (r->how == 1) {
        unlink(filler);
    } else {
        struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
        setrlimit(RLIMIT_FSIZE, &rl);
    }
    r->put_after_free = ref_store_put_job(s, st_job_of(r->n_ok, 0));
    st_count_jobs(s, &r->count_final);
    ref_store_close(s);
    s = NULL;
    r->reopen_err = ref_store_open(state, &s);
    ref_store_close(s);
    _exit(0);
}

static struct fs_result *run_child(void (*fn)(struct fs_result *, const char *),
                                   const char *dir)
{
    struct fs_result *r = mmap(NULL, sizeof *r, PROT_READ | PROT_WRITE,
                               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED)
        return NULL;
    memset(r, 0, sizeof *r);
    pid_t pid = fork();
    if (pid == 0)
        fn(r, dir);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fprintf(stderr, "\nchild ended with status 0x%x\n", status);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return r;
}

static void full_disk(void)
{
    char dir[320];
    snprintf(dir, sizeof dir, "%s", st_scratch(1));
    struct fs_result *r = run_child(full_disk_child, dir);
    CU_ASSERT_FATAL(r != NULL);
    printf("\n    full disk via %s: %u jobs committed, then %s\n",
           r->how == 1 ? "a 1 MiB tmpfs" : "RLIMIT_FSIZE", r->n_ok,
           ref_store_err_name(r->fail_err));
    printf("    message: %s\n", r->msg);
    EXPECT_ERR(REF_STORE_E_OK, r->setup_err);
    if (r->how == 1)
        EXPECT_ERR(REF_STORE_E_FULL, r->fail_err);
    else
        EXPECT_TRUE(r->fail_err == REF_STORE_E_FULL ||
                    r->fail_err == REF_STORE_E_IO);
    EXPECT_TRUE(r->n_ok > 10);
    EXPECT_TRUE(st_contains(r->msg, "/state/jobs.db"));
    if (r->how == 1)
        EXPECT_TRUE(st_contains(r->msg, "database or disk is full"));
    /* the failed job is absent, the committed ones intact */
    EXPECT_U64(r->n_ok, r->count_after);
    EXPECT_U64(0, r->bad_after);
    /* with room again, the same write succeeds */
    EXPECT_ERR(REF_STORE_E_OK, r->put_after_free);
    EXPECT_U64(r->n_ok + 1, r->count_final);
    EXPECT_ERR(REF_STORE_E_OK, r->reopen_err);
    munmap(r, sizeof *r);
}

static void read_only_child(struct fs_result *r, const char *dir)
{
    char state[400], fresh[400];
    struct ref_store *s = NULL;
    snprintf(state, sizeof state, "%s/state", dir);
    snprintf(fresh, sizeof fresh, "%s/fresh", dir);
    if (!private_tmpfs(dir, "1m")) {
        r->how = 3;
        _exit(0);
    }
    r->how = 1;
    if ((r->setup_err = ref_store_open(state, &s)))
        _exit(0);
    for (uint32_t i = 0; i < 3; i++)
        ref_store_put_job(s, st_job_of(i, 0));
    ref_store_close(s);
    s = NULL;
    if (mount("tmpfs", dir, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL) != 0) {
        r->setup_err = -errno;
        _exit(0);
    }
    r->ro_open_err = ref_store_open(state, &s);
    snprintf(r->ro_msg, sizeof r->ro_msg, "%s", ref_store_last_error());
    ref_store_close(s);
    s = NULL;
    r->ro_new_err = ref_store_open(fresh, &s);
    snprintf(r->ro_new_msg, sizeof r->ro_new_msg, "%s", ref_store_last_error());
    ref_store_close(s);
    s = NULL;
    mount("tmpfs", dir, "tmpfs", MS_REMOUNT, NULL);
    r->reopen_err = ref_store_open(state, &s);
    st_count_jobs(s, &r->ro_count);
    ref_store_load_jobs(s, NULL, check_all, &r->bad_after);
    ref_store_close(s);
    _exit(0);
}

static void read_only_file_system(void)
{
    char dir[320];
    snprintf(dir, sizeof dir, "%s", st_scratch(1));
    struct fs_result *r = run_child(read_only_child, dir);
    CU_ASSERT_FATAL(r != NULL);
    if (r->how == 3) {
        printf("\n    read-only: NOT RUN (no private mount namespace; "
               "needs root)\n");
        munmap(r, sizeof *r);
        return;
    }
    printf("\n    read-only via tmpfs remount,ro: existing store %s, new "
           "store %s\n",
           ref_store_err_name(r->ro_open_err),
           ref_store_err_name(r->ro_new_err));
    printf("    message: %s\n    message: %s\n", r->ro_msg, r->ro_new_msg);
    EXPECT_ERR(REF_STORE_E_OK, r->setup_err);
    EXPECT_ERR(REF_STORE_E_READONLY, r->ro_open_err);
    EXPECT_TRUE(st_contains(r->ro_msg, "/state/jobs.db"));
    EXPECT_ERR(REF_STORE_E_READONLY, r->ro_new_err);
    EXPECT_TRUE(st_contains(r->ro_new_msg, "/fresh"));
    EXPECT_TRUE(st_contains(r->ro_new_msg, "Read-only file system"));
    /* writable again: everything as it was */
    EXPECT_ERR(REF_STORE_E_OK, r->reopen_err);
    EXPECT_U64(3, r->ro_count);
    EXPECT_U64(0, r->bad_after);
    munmap(r, sizeof *r);
}

CU_TestInfo st_errors_tests[] = {
    {"null_arguments", null_arguments},
    {"unusable_directory", unusable_directory},
    {"damaged_files", damaged_files},
    {"full_disk", full_disk},
    {"read_only_file_system", read_only_file_system},
    CU_TEST_INFO_NULL,
};
