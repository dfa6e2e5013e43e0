/*
 * test_schema.c - where the store lives (the directory rules, 0700/0600),
 * the persistent settings SQLite records (WAL, user_version,
 * application_id), and the migration path: a version-1 database made by
 * this test (the fixture: version 1's schema as it was released) is
 * migrated to the current version with its job intact; a newer version
 * and a foreign database are refused and left untouched.
 */
#include "store_test.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long long raw_int(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long v = -12345;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return v;
}

static int raw_exec(const char *db, const char *sql)
{
    sqlite3 *h;
    int rc = sqlite3_open(db, &h);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "\nraw_exec: %s\n", sqlite3_errmsg(h));
    sqlite3_close(h);
    return rc;
}

/* ---- the directory ------------------------------------------------------- */

struct dir_case {
    const char *explicit_dir, *doref, *xdg, *home, *want;
    int err;
};

static const struct dir_case dir_cases[] = {
    {"/x/explicit", "/x/env", "/x/xdg", "/x/home", "/x/explicit", 0},
    {NULL, "/x/env", "/x/xdg", "/x/home", "/x/env", 0},
    {NULL, "", "/x/xdg", "/x/home", "/x/xdg/docts", 0},
    {NULL, NULL, "/x/xdg", "/x/home", "/x/xdg/docts", 0},
    {NULL, NULL, "", "/x/home", "/x/home/.local/state/docts", 0},
    {NULL, NULL, NULL, "/x/home", "/x/home/.local/state/docts", 0},
    {"", NULL, NULL, "/x/home", "/x/home/.local/state/docts", 0},
    {NULL, NULL, NULL, NULL, NULL, REF_STORE_E_OPEN},
};

static void set_or_unset(const char *name, const char *v)
{
    if (v)
        setenv(name, v, 1);
    else
        unsetenv(name);
}

static void dir_resolution(void)
{
    char *saved[3];
    static const char *const vars[3] = {"DOREF_STATE_DIR", "XDG_STATE_HOME",
                                        "HOME"};
    for (int i = 0; i < 3; i++)
        saved[i] = getenv(vars[i]) ? strdup(getenv(vars[i])) : NULL;
    for (size_t i = 0; i < sizeof dir_cases / sizeof *dir_cases; i++) {
        const struct dir_case *c = &dir_cases[i];
        char *out = (char *)0xdeadbeef;
        set_or_unset("DOREF_STATE_DIR", c->doref);
        set_or_unset("XDG_STATE_HOME", c->xdg);
        set_or_unset("HOME", c->home);
        EXPECT_ERR(c->err, ref_store_dir(c->explicit_dir, &out));
        if (c->want) {
            EXPECT_TRUE(out && strcmp(out, c->want) == 0);
            if (out && strcmp(out, c->want))
                fprintf(stderr, "\ncase %zu: %s, want %s\n", i, out, c->want);
        } else {
            EXPECT_TRUE(out == NULL);
            EXPECT_TRUE(st_contains(ref_store_last_error(), "HOME"));
        }
        free(out == (char *)0xdeadbeef ? NULL : out);
    }
    for (int i = 0; i < 3; i++) {
        set_or_unset(vars[i], saved[i]);
        free(saved[i]);
    }
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_dir(NULL, NULL));
}

static void open_creates_private_files(void)
{
    char dir[400], db[420];
    snprintf(dir, sizeof dir, "%s/a/b/state", st_scratch(1));
    snprintf(db, sizeof db, "%s/jobs.db", dir);
    struct ref_store *s = (struct ref_store *)0xdeadbeef;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    EXPECT_TRUE(s && s != (struct ref_store *)0xdeadbeef);
    EXPECT_TRUE(strcmp(ref_store_path(s), db) == 0);
    struct stat sb;
    EXPECT_TRUE(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700);
    *strrchr(dir, '/') = '\0'; /* the parents it made are 0700 too */
    EXPECT_TRUE(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700);
    EXPECT_TRUE(stat(db, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(1, 0)));
    char wal[440];
    snprintf(wal, sizeof wal, "%s-wal", db);
    EXPECT_TRUE(stat(wal, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    EXPECT_U64(REF_STORE_SCHEMA_VERSION, raw_int(db, "PRAGMA user_version"));
    EXPECT_U64(0x646f6374, raw_int(db, "PRAGMA application_id"));
    EXPECT_U64(2, raw_int(db, "SELECT (journal_mode = 'wal') + 1 FROM "
                              "pragma_journal_mode"));
    ref_store_close(s);
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_open(dir, NULL));
    EXPECT_ERR(REF_STORE_E_INVALID, ref_store_set_busy_timeout(NULL, 1));
}

/* ---- migrations ---------------------------------------------------------- */

/* Version 1 as released: the fixture this test migrates from. */
static const char v1_schema[] =
    "PRAGMA application_id = 1685021556;"
    "CREATE TABLE jobs ("
    " id TEXT PRIMARY KEY NOT NULL, mode INTEGER NOT NULL,"
    " type INTEGER NOT NULL, owner TEXT NOT NULL,"
    " display_name TEXT NOT NULL, description TEXT,"
    " priority INTEGER NOT NULL, state INTEGER NOT NULL,"
    " notify_flags INTEGER NOT NULL, notify_clsid TEXT NOT NULL,"
    " notify_program TEXT, notify_parameters TEXT, reply_file TEXT,"
    " retry_delay INTEGER NOT NULL, no_progress_timeout INTEGER NOT NULL,"
    " no_progress_set INTEGER NOT NULL, max_download_time INTEGER NOT NULL,"
    " proxy_usage INTEGER NOT NULL, proxy_list TEXT, proxy_bypass TEXT,"
    " custom_headers TEXT, security_flags INTEGER NOT NULL,"
    " cert_set INTEGER NOT NULL, cert_location INTEGER NOT NULL,"
    " cert_store TEXT, cert_by_id INTEGER NOT NULL, cert_hash BLOB,"
    " cert_subject TEXT, acl_flags INTEGER NOT NULL,"
    " peer_flags INTEGER NOT NULL, cost_flags INTEGER NOT NULL,"
    " dynamic_content INTEGER NOT NULL, high_performance INTEGER NOT NULL,"
    " on_demand INTEGER NOT NULL, max_download_size INTEGER NOT NULL,"
    " stored_cred_target INTEGER NOT NULL,"
    " min_notify_interval INTEGER NOT NULL, error_set INTEGER NOT NULL,"
    " error_context INTEGER NOT NULL, error_code INTEGER NOT NULL,"
    " error_file INTEGER NOT NULL, error_count INTEGER NOT NULL,"
    " resumed_once INTEGER NOT NULL, created INTEGER NOT NULL,"
    " modified INTEGER NOT NULL, transfer_completed INTEGER NOT NULL);"
    "CREATE INDEX jobs_owner ON jobs(owner, created);"
    "CREATE TABLE files ("
    " job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL, remote TEXT, local TEXT, file_id TEXT,"
    " proto INTEGER NOT NULL, size INTEGER NOT NULL,"
    " transferred INTEGER NOT NULL, position INTEGER NOT NULL,"
    " done INTEGER NOT NULL, completed INTEGER NOT NULL,"
    " validation INTEGER NOT NULL, response_headers TEXT,"
    " decryption_info TEXT, integrity_info TEXT,"
    " integrity_mandatory INTEGER NOT NULL,"
    " PRIMARY KEY (job_id, idx));"
    "CREATE TABLE file_ranges ("
    " job_id TEXT NOT NULL, idx INTEGER NOT NULL,"
    " list INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " offset INTEGER NOT NULL, length INTEGER NOT NULL,"
    " PRIMARY KEY (job_id, idx, list, seq),"
    " FOREIGN KEY (job_id, idx) REFERENCES files(job_id, idx)"
    "  ON DELETE CASCADE);"
    "CREATE TABLE credentials ("
    " job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
    " target INTEGER NOT NULL, scheme INTEGER NOT NULL,"
    " user TEXT, password TEXT, PRIMARY KEY (job_id, target, scheme));"
    "INSERT INTO jobs VALUES('{0000002A-0000-0000-0000-000000000000}',0,0,"
    " 'S-1-5-21-0-0-0-1000','old job',NULL,2,1,3,"
    " '{00000000-0000-0000-0000-000000000000}',NULL,NULL,NULL,600,1209600,"
    " 0,7776000,0,NULL,NULL,NULL,0,0,0,NULL,0,NULL,NULL,0,0,0,0,0,0,"
    " -1,0,0,0,0,0,-1,0,0,131000000000000000,131000000000000001,0);"
    "INSERT INTO files VALUES('{0000002A-0000-0000-0000-000000000000}',0,"
    " 'http://h/a','/tmp/a',NULL,1,2048,1024,0,0,0,0,NULL,NULL,NULL,-1);"
    "INSERT INTO file_ranges VALUES("
    " '{0000002A-0000-0000-0000-000000000000}',0,0,0,10,20);"
    "PRAGMA user_version = 1;";

struct v1_seen {
    int n;
    struct ref_store_job j;
    struct ref_store_file f;
    struct ref_store_range r;
    int etag_null, temp_null, up_null, host_null;
};

static int v1_cb(const struct ref_store_job *j, void *ctx)
{
    struct v1_seen *v = ctx;
    v->n++;
    v->j = *j;
    if (j->nfiles == 1) {
        v->f = j->files[0];
        v->etag_null = j->files[0].etag == NULL;
        v->temp_null = j->files[0].temp == NULL;
        v->up_null = j->up_session == NULL;
        v->host_null = j->up_host_id == NULL;
        if (j->files[0].nranges == 1)
            v->r = j->files[0].ranges[0];
    }
    return 0;
}

static void migrate_from_v1(void)
{
    const char *d = st_scratch(1);
    char dir[320], db[360];
    snprintf(dir, sizeof dir, "%s", d);
    snprintf(db, sizeof db, "%s/jobs.db", dir);
    CU_ASSERT_EQUAL_FATAL(raw_exec(db, v1_schema), SQLITE_OK);
    EXPECT_U64(1, raw_int(db, "PRAGMA user_version"));
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    EXPECT_U64(REF_STORE_SCHEMA_VERSION, raw_int(db, "PRAGMA user_version"));
    EXPECT_U64(1, raw_int(db, "SELECT count(*) FROM sqlite_schema WHERE "
                              "name = 'downloads'"));
    struct v1_seen v = {0};
    EXPECT_ERR(REF_STORE_E_OK, ref_store_load_jobs(s, NULL, v1_cb, &v));
    CU_ASSERT_EQUAL(v.n, 1);
    EXPECT_U64(42, v.j.id.Data1);
    EXPECT_U64(2, v.j.priority);
    EXPECT_U64(1, v.j.state);
    EXPECT_U64(3, v.j.notify_flags);
    EXPECT_U64(600, v.j.retry_delay);
    EXPECT_U64(UINT64_MAX, v.j.max_download_size);
    EXPECT_U64(131000000000000001ull, v.j.modified);
    EXPECT_U64(1, v.j.nfiles);
    EXPECT_U64(2048, v.f.size);
    EXPECT_U64(1024, v.f.transferred);
    EXPECT_U64(0, v.f.last_modified); /* the new column's default */
    EXPECT_TRUE(v.etag_null);
    EXPECT_TRUE(v.temp_null);
    EXPECT_U64(10, v.r.offset);
    EXPECT_U64(20, v.r.length);
    /* version 4's upload columns (decision UP10): no session yet */
    EXPECT_TRUE(v.up_null);
    EXPECT_U64(0, v.j.up_mtime);
    EXPECT_U64(0, v.j.up_reply_done);
    /* version 5's BITS-Host-Id columns (decision UP17): none, no fallback
     * timeout, the timer not running */
    EXPECT_TRUE(v.host_null);
    EXPECT_U64(UINT32_MAX, v.j.up_host_fallback);
    EXPECT_U64(0, v.j.up_host_down);
    /* and the reply's progress (UP15): not begun, total unknown */
    EXPECT_U64(0, v.j.reply_started);
    EXPECT_U64(UINT64_MAX, v.j.reply_total);
    EXPECT_U64(0, v.j.reply_bytes);
    /* the migrated store takes the new columns */
    /* (a part write of the job and its file 0, as the watch thread makes
     * it; the record read back points into the walk's memory, so this one
     * is built afresh) */
    struct ref_store_file f = {.index = 0,
                               .remote = u"http://h/a",
                               .local = u"/tmp/a",
                               .size = 2048,
                               .transferred = 1500,
                               .etag = u"\"e1\""};
    struct ref_store_job u = {.id = v.j.id,
                              .owner = u"S-1-5-21-1",
                              .display_name = u"v1",
                              .up_host_id = u"node7",
                              .up_host_fallback = 30,
                              .up_host_down = 77,
                              .files = &f,
                              .nfiles = 1};
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job_part(s, &u));
    ref_store_close(s);
    /* a second open is a no-op migration */
    s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    ref_store_close(s);
    EXPECT_U64(1500, raw_int(db, "SELECT transferred FROM files"));
    EXPECT_U64(1, raw_int(db, "SELECT up_host_id = 'node7' FROM jobs"));
    EXPECT_U64(30, raw_int(db, "SELECT up_host_fallback FROM jobs"));
    EXPECT_U64(77, raw_int(db, "SELECT up_host_down FROM jobs"));
}

static void newer_version_refused(void)
{
    const char *d = st_scratch(1);
    char dir[320], db[360];
    snprintf(dir, sizeof dir, "%s", d);
    snprintf(db, sizeof db, "%s/jobs.db", dir);
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_OK, ref_store_open(dir, &s));
    EXPECT_ERR(REF_STORE_E_OK, ref_store_put_job(s, st_job_of(5, 0)));
    ref_store_close(s);
    CU_ASSERT_EQUAL(raw_exec(db, "PRAGMA user_version = 99"), SQLITE_OK);
    s = (struct ref_store *)0xdeadbeef;
    EXPECT_ERR(REF_STORE_E_VERSION, ref_store_open(dir, &s));
    EXPECT_TRUE(s == NULL);
    const char *m = ref_store_last_error();
    EXPECT_TRUE(st_contains(m, db));
    EXPECT_TRUE(st_contains(m, "schema version 99 is newer than this "
                               "library's 5"));
    EXPECT_U64(99, raw_int(db, "PRAGMA user_version"));
    EXPECT_U64(1, raw_int(db, "SELECT count(*) FROM jobs"));
}

static void foreign_database_refused(void)
{
    const char *d = st_scratch(1);
    char dir[320], db[360];
    snprintf(dir, sizeof dir, "%s", d);
    snprintf(db, sizeof db, "%s/jobs.db", dir);
    CU_ASSERT_EQUAL(raw_exec(db, "CREATE TABLE notes(x)"), SQLITE_OK);
    struct ref_store *s = NULL;
    EXPECT_ERR(REF_STORE_E_CORRUPT, ref_store_open(dir, &s));
    EXPECT_TRUE(st_contains(ref_store_last_error(), "not a docts job store"));
    EXPECT_U64(1, raw_int(db, "SELECT count(*) FROM sqlite_schema"));
    /* another application's id */
    snprintf(dir, sizeof dir, "%s", st_scratch(1));
    snprintf(db, sizeof db, "%s/jobs.db", dir);
    CU_ASSERT_EQUAL(raw_exec(db, "PRAGMA application_id = 7"), SQLITE_OK);
    EXPECT_ERR(REF_STORE_E_CORRUPT, ref_store_open(dir, &s));
    EXPECT_TRUE(st_contains(ref_store_last_error(), "application_id 7"));
}

CU_TestInfo st_schema_tests[] = {
    {"dir_resolution", dir_resolution},
    {"open_creates_private_files", open_creates_private_files},
    {"migrate_from_v1", migrate_from_v1},
    {"newer_version_refused", newer_version_refused},
    {"foreign_database_refused", foreign_database_refused},
    CU_TEST_INFO_NULL,
};
