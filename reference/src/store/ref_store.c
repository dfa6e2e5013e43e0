/*
 * ref_store.c - the crash-safe job store (ref_store.h, docs/store.md).
 *
 * Owns the state directory's database `jobs.db` and lock file
 * `runner.lock`: opening (directory 0700, file 0600, WAL, synchronous=FULL,
 * foreign keys, busy timeout, integrity_check), the schema and its
 * migration steps, the mapping of SQLite's and the kernel's errors to
 * enum ref_store_err with a message naming the path, one transaction per
 * write, loading records back, the runner lock and the temporary-file
 * registry.  Crash safety is SQLite's: we never write the file ourselves.
 * It knows nothing of COM objects; job.c and the DO download code convert
 * their structs to the plain records of ref_store.h.
 *
 * Columns are described once per table (struct col): the same table
 * builds the INSERT and SELECT statements, binds and reads the values.
 */
#include "ref_store.h"
#include "ref_job_props.h"

#include "ref_alloc.h"

#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define DB_NAME "jobs.db"
#define LOCK_NAME "runner.lock"
#define APP_ID 0x646f6374 /* "doct" */
#define DEFAULT_BUSY_MS 5000
#define STMT_CACHE 32

struct ref_store {
    pthread_mutex_t lock;
    sqlite3 *db;
    char *dir;
    char *path;
    int runner_fd; /* -1 unless this store holds runner.lock */
    int have_version;
    long long data_version;
    /* Prepared write statements, kept for the store's life (S27): keyed by
     * the address of their SQL text, reset after every use. */
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } cache[STMT_CACHE];
    int ncache;
    int group;    /* S31: commits are synced by ref_store_flush */
    int full_now; /* the connection's synchronous setting is FULL */
    int unsynced; /* a commit since the last sync is not on the disk */
};

/* ---- error messages ----------------------------------------------------- */

static _Thread_local char tls_msg[768];

static void msg_clear(void)
{
    tls_msg[0] = '\0';
}

__attribute__((format(printf, 2, 3))) static int fail(int err, const char *fmt,
                                                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tls_msg, sizeof tls_msg, fmt, ap);
    va_end(ap);
    return err;
}

const char *ref_store_last_error(void)
{
    return tls_msg;
}

const char *ref_store_err_name(int err)
{
    switch (err) {
#define NAME_(n, v, t)                                                         \
    case v:                                                                    \
        return "REF_STORE_E_" #n;
        REF_STORE_ERRORS(NAME_)
#undef NAME_
    }
    return "REF_STORE_E_?";
}

static const char *err_text(int err)
{
    switch (err) {
#define TEXT_(n, v, t)                                                         \
    case v:                                                                    \
        return t;
        REF_STORE_ERRORS(TEXT_)
#undef TEXT_
    }
    return "unknown error";
}

HRESULT ref_store_hresult(int err)
{
    switch (err) {
    case REF_STORE_E_OK:
        return S_OK;
    case REF_STORE_E_NOMEM:
        return E_OUTOFMEMORY;
    case REF_STORE_E_READONLY:
        return E_ACCESSDENIED;
    case REF_STORE_E_FULL:
        return HRESULT_FROM_WIN32(ERROR_DISK_FULL);
    case REF_STORE_E_BUSY:
        return HRESULT_FROM_WIN32(170L); /* ERROR_BUSY */
    case REF_STORE_E_INVALID:
        return E_INVALIDARG;
    case REF_STORE_E_NOT_FOUND:
        return (HRESULT)0x80200001L; /* BG_E_NOT_FOUND */
    }
    return E_FAIL;
}

/* Maps an errno from our own file-system calls. */
static int err_from_errno(int e)
{
    switch (e) {
    case ENOSPC:
    case EDQUOT:
        return REF_STORE_E_FULL;
    case EROFS:
        return REF_STORE_E_READONLY;
    case ENOMEM:
        return REF_STORE_E_NOMEM;
    case EIO:
        return REF_STORE_E_IO;
    }
    return REF_STORE_E_OPEN;
}

/* Maps an SQLite result code (and the errno behind an I/O error). */
static int err_from_sqlite(int rc, int sys)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return REF_STORE_E_BUSY;
    case SQLITE_FULL:
        return REF_STORE_E_FULL;
    case SQLITE_READONLY:
        return REF_STORE_E_READONLY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return REF_STORE_E_CORRUPT;
    case SQLITE_NOMEM:
        return REF_STORE_E_NOMEM;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
        return REF_STORE_E_INVALID;
    case SQLITE_CANTOPEN:
        return sys ? err_from_errno(sys) == REF_STORE_E_READONLY
                         ? REF_STORE_E_READONLY
                         : REF_STORE_E_OPEN
                   : REF_STORE_E_OPEN;
    case SQLITE_IOERR:
        if (sys == ENOSPC || sys == EDQUOT)
            return REF_STORE_E_FULL;
        if (sys == EROFS)
            return REF_STORE_E_READONLY;
        return REF_STORE_E_IO;
    }
    return REF_STORE_E_IO;
}

/* Records the connection's last error for `what` and returns its code. */
static int fail_sql(struct ref_store *s, int rc, const char *what)
{
    int sys = sqlite3_system_errno(s->db);
    int err = err_from_sqlite(rc, sys);
    int ext = sqlite3_extended_errcode(s->db);
    if (sys)
        return fail(err,
                    "job store %s: %s failed: %s (%s, SQLite code %d; "
                    "errno %d: %s) [%s]",
                    s->path, what, sqlite3_errmsg(s->db), err_text(err), ext,
                    sys, strerror(sys), ref_store_err_name(err));
    return fail(err, "job store %s: %s failed: %s (%s, SQLite code %d) [%s]",
                s->path, what, sqlite3_errmsg(s->db), err_text(err), ext,
                ref_store_err_name(err));
}

/* ---- small helpers ------------------------------------------------------ */

static char *str_dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = ref_alloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static char *path_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = ref_alloc(la + lb + 2);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    p[la] = '/';
    memcpy(p + la + 1, b, lb + 1);
    return p;
}

static size_t wlen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* `digits` upper-case hex digits of v at *p, which moves past them. */
static void put_hex(char **p, uint32_t v, int digits)
{
    static const char hex[] = "0123456789ABCDEF";
    for (int i = digits - 1; i >= 0; i--)
        (*p)[i] = hex[v & 15], v >>= 4;
    *p += digits;
}

/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}": every row key is bound in
 * this form, so it is written by hand rather than by snprintf. */
static void guid_text(const GUID *g, char out[39])
{
    char *p = out;
    *p++ = '{';
    put_hex(&p, g->Data1, 8);
    *p++ = '-';
    put_hex(&p, g->Data2, 4);
    *p++ = '-';
    put_hex(&p, g->Data3, 4);
    *p++ = '-';
    for (int i = 0; i < 8; i++) {
        if (i == 2)
            *p++ = '-';
        put_hex(&p, g->Data4[i], 2);
    }
    *p++ = '}';
    *p = '\0';
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses guid_text's form; 0 on success. */
static int guid_parse(const char *t, GUID *g)
{
    static const int pos[16] = {1,  3,  5,  7,  10, 12, 15, 17,
                                20, 22, 25, 27, 29, 31, 33, 35};
    uint8_t b[16];
    if (!t || strlen(t) != 38 || t[0] != '{' || t[37] != '}')
        return -1;
    for (int i = 0; i < 16; i++) {
        int h = hexval(t[pos[i]]), l = hexval(t[pos[i] + 1]);
        if (h < 0 || l < 0)
            return -1;
        b[i] = (uint8_t)(h << 4 | l);
    }
    g->Data1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
               (uint32_t)b[2] << 8 | b[3];
    g->Data2 = (uint16_t)(b[4] << 8 | b[5]);
    g->Data3 = (uint16_t)(b[6] << 8 | b[7]);
    memcpy(g->Data4, b + 8, 8);
    return 0;
}

/* ---- a bump allocator for loaded records -------------------------------- */

struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct arena {
    struct chunk *head;
};

static void *arena_alloc(struct arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) *
        sizeof(max_align_t);
    if (!a->head || a->head->cap - a->head->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        struct chunk *c = ref_alloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    memset(p, 0, n);
    return p;
}

static void arena_free(struct arena *a)
{
    while (a->head) {
        struct chunk *n = a->head->next;
        ref_free(a->head);
        a->head = n;
    }
}

/* ---- column tables ------------------------------------------------------ */

enum col_type { C_I32, C_U32, C_U64, C_WSTR, C_GUID, C_HASH20 };

struct col {
    const char *name;
    enum col_type type;
    size_t off;
};

#define J(n, t, f)                                                             \
    {                                                                          \
        n, t, offsetof(struct ref_store_job, f)                                \
    }
/* The job's identity, state and times, then one column per row of the
 * property table (ref_job_props.h). */
#define PROP_COL(col, jf, rf, kind, def, lo, hi, m) J(col, C_##kind, rf),
static const struct col job_cols[] = {
    J("id", C_GUID, id),
    J("mode", C_I32, mode),
    J("type", C_I32, type),
    J("owner", C_WSTR, owner),
    J("state", C_I32, state),
    J("created", C_U64, created),
    J("modified", C_U64, modified),
    J("transfer_completed", C_U64, transfer_completed),
    REF_JOB_PROPS(PROP_COL)};
#undef PROP_COL
#undef J

#define F(n, t, f)                                                             \
    {                                                                          \
        n, t, offsetof(struct ref_store_file, f)                               \
    }
static const struct col file_cols[] = {
    F("idx", C_U32, index),
    F("remote", C_WSTR, remote),
    F("local", C_WSTR, local),
    F("file_id", C_WSTR, file_id),
    F("temp_path", C_WSTR, temp),
    F("proto", C_I32, proto),
    F("size", C_U64, size),
    F("transferred", C_U64, transferred),
    F("position", C_U64, position),
    F("done", C_I32, done),
    F("completed", C_I32, completed),
    F("validation", C_I32, validation),
    F("response_headers", C_WSTR, response_headers),
    F("decryption_info", C_WSTR, decryption_info),
    F("integrity_info", C_WSTR, integrity_info),
    F("integrity_mandatory", C_I32, integrity_mandatory),
    F("etag", C_WSTR, etag),
    F("last_modified", C_U64, last_modified),
};
#undef F

#define D(n, t, f)                                                             \
    {                                                                          \
        n, t, offsetof(struct ref_store_download, f)                           \
    }
static const struct col dl_cols[] = {
    D("id", C_GUID, id),
    D("owner", C_WSTR, owner),
    D("state", C_I32, state),
    D("set_mask", C_U64, set_mask),
    D("uri", C_WSTR, uri),
    D("content_id", C_WSTR, content_id),
    D("display_name", C_WSTR, display_name),
    D("local_path", C_WSTR, local_path),
    D("http_custom_headers", C_WSTR, http_custom_headers),
    D("correlation_vector", C_WSTR, correlation_vector),
    D("decryption_info", C_WSTR, decryption_info),
    D("integrity_check_info", C_WSTR, integrity_check_info),
    D("http_custom_auth_headers", C_WSTR, http_custom_auth_headers),
    D("cost_policy", C_U32, cost_policy),
    D("security_flags", C_U32, security_flags),
    D("callback_freq_percent", C_U32, callback_freq_percent),
    D("callback_freq_seconds", C_U32, callback_freq_seconds),
    D("no_progress_timeout", C_U32, no_progress_timeout),
    D("foreground", C_I32, foreground),
    D("blocking_mode", C_I32, blocking_mode),
    D("integrity_check_mandatory", C_I32, integrity_check_mandatory),
    D("disallow_on_cellular", C_I32, disallow_on_cellular),
    D("allow_https_to_http", C_I32, allow_https_to_http),
    D("non_volatile", C_I32, non_volatile),
    D("total_size_bytes", C_U64, total_size_bytes),
    D("error_code", C_U32, error_code),
    D("extended_error", C_U32, extended_error),
    D("bytes_total", C_U64, bytes_total),
    D("bytes_transferred", C_U64, bytes_transferred),
    D("temp_path", C_WSTR, temp),
    D("etag", C_WSTR, etag),
    D("last_modified", C_U64, last_modified),
    D("created", C_U64, created),
    D("modified", C_U64, modified),
};
#undef D

#define NCOLS(t) (sizeof(t) / sizeof((t)[0]))

/* "a,b,c" of the table's names after `prefix` into buf (8 KB). */
static void col_list(char *buf, size_t n, const char *prefix,
                     const struct col *cols, size_t ncols)
{
    size_t at = (size_t)snprintf(buf, n, "%s", prefix);
    for (size_t i = 0; i < ncols && at < n; i++)
        at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? "," : "",
                               cols[i].name);
}

/* "INSERT INTO table(prefix cols) VALUES(?,...)" with nprefix + ncols
 * parameters. */
static void insert_sql(char *sql, size_t n, const char *table,
                       const char *prefix, int nprefix, const struct col *cols,
                       size_t ncols)
{
    char names[2048];
    col_list(names, sizeof names, prefix, cols, ncols);
    size_t at =
        (size_t)snprintf(sql, n, "INSERT INTO %s(%s) VALUES(", table, names);
    for (size_t i = 0; i < ncols + (size_t)nprefix && at < n; i++)
        at += (size_t)snprintf(sql + at, n - at, "%s?", i ? "," : "");
    if (at < n)
        snprintf(sql + at, n - at, ")");
}

/* "UPDATE table SET c2=?2,...,cN=?N WHERE key=?1 <and>": every column
 * bound in table order, the first one being the key, which is not set
 * (S28: no index work); `and` ("" or " AND ...") narrows the match. */
static void update_sql(char *sql, size_t n, const char *table,
                       const struct col *cols, size_t ncols, const char *and)
{
    size_t at = (size_t)snprintf(sql, n, "UPDATE %s SET ", table);
    for (size_t i = 1; i < ncols && at < n; i++)
        at += (size_t)snprintf(sql + at, n - at, "%s%s=?%zu", i > 1 ? "," : "",
                               cols[i].name, i + 1);
    if (at < n)
        snprintf(sql + at, n - at, " WHERE %s=?1%s", cols[0].name, and);
}

static int bind_wstr(sqlite3_stmt *st, int i, const WCHAR *w)
{
    if (!w)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text16(st, i, w, (int)(wlen(w) * sizeof(WCHAR)),
                               SQLITE_TRANSIENT);
}

static int bind_guid(sqlite3_stmt *st, int i, const GUID *g)
{
    char t[39];
    guid_text(g, t);
    return sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
}

/* Binds cols[] of base to parameters first, first + 1, ... */
static int bind_cols(sqlite3_stmt *st, int first, const struct col *cols,
                     size_t ncols, const void *base)
{
    for (size_t i = 0; i < ncols; i++) {
        const char *p = (const char *)base + cols[i].off;
        int k = first + (int)i, rc = SQLITE_OK;
        switch (cols[i].type) {
        case C_I32:
            rc = sqlite3_bind_int(st, k, *(const int32_t *)p);
            break;
        case C_U32:
            rc = sqlite3_bind_int64(st, k, *(const uint32_t *)p);
            break;
        case C_U64:
            rc = sqlite3_bind_int64(st, k,
                                    (sqlite3_int64) * (const uint64_t *)p);
            break;
        case C_WSTR:
            rc = bind_wstr(st, k, *(const WCHAR *const *)p);
            break;
        case C_GUID:
            rc = bind_guid(st, k, (const GUID *)p);
            break;
        case C_HASH20:
            rc = sqlite3_bind_blob(st, k, p, 20, SQLITE_TRANSIENT);
            break;
        }
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static const WCHAR *arena_wstr(struct arena *a, sqlite3_stmt *st, int k)
{
    if (sqlite3_column_type(st, k) == SQLITE_NULL)
        return NULL;
    const void *t = sqlite3_column_text16(st, k);
    if (!t)
        return NULL; /* out of memory in SQLite: caller checks errcode */
    size_t n = (size_t)sqlite3_column_bytes16(st, k);
    WCHAR *w = arena_alloc(a, n + sizeof(WCHAR));
    if (w)
        memcpy(w, t, n); /* arena memory is zeroed: NUL-terminated */
    return w;
}

/* Reads result columns first.. into base; REF_STORE_E_NOMEM or
 * REF_STORE_E_CORRUPT (a malformed id) on failure. */
static int read_cols(sqlite3_stmt *st, int first, const struct col *cols,
                     size_t ncols, void *base, struct arena *a)
{
    for (size_t i = 0; i < ncols; i++) {
        char *p = (char *)base + cols[i].off;
        int k = first + (int)i;
        switch (cols[i].type) {
        case C_I32:
            *(int32_t *)p = sqlite3_column_int(st, k);
            break;
        case C_U32:
            *(uint32_t *)p = (uint32_t)sqlite3_column_int64(st, k);
            break;
        case C_U64:
            *(uint64_t *)p = (uint64_t)sqlite3_column_int64(st, k);
            break;
        case C_WSTR:
            *(const WCHAR **)p = arena_wstr(a, st, k);
            if (!*(const WCHAR **)p &&
                sqlite3_column_type(st, k) != SQLITE_NULL)
                return fail(REF_STORE_E_NOMEM, "job store: out of memory "
                                               "while loading");
            break;
        case C_GUID:
            if (guid_parse((const char *)sqlite3_column_text(st, k), (GUID *)p))
                return fail(REF_STORE_E_CORRUPT,
                            "job store: column %s holds no GUID", cols[i].name);
            break;
        case C_HASH20: {
            int n = sqlite3_column_bytes(st, k);
            const void *b = sqlite3_column_blob(st, k);
            memset(p, 0, 20);
            if (b)
                memcpy(p, b, n < 20 ? (size_t)n : 20);
            break;
        }
        }
    }
    return REF_STORE_E_OK;
}

/* ---- the schema and its migrations -------------------------------------- */

/*
 * Step N takes a database at version N to N + 1, in the open's one
 * transaction.  Never edit a released step: add one.  Version 1 held the
 * BITS/DO jobs; version 2 added the validators of a partial file, the
 * temporary-file registry and the DO downloads; version 3 indexes that
 * registry by owner (a deleted job forgets its gone temporary names).
 */
static const char *const migrations[] = {
    /* 0 -> 1 */
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
    " user TEXT, password TEXT, PRIMARY KEY (job_id, target, scheme));",
    /* 1 -> 2 */
    "ALTER TABLE files ADD COLUMN temp_path TEXT;"
    "ALTER TABLE files ADD COLUMN etag TEXT;"
    "ALTER TABLE files ADD COLUMN last_modified INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE temp_files ("
    " path TEXT PRIMARY KEY NOT NULL, owner_id TEXT NOT NULL,"
    " first_seen INTEGER NOT NULL);"
    "CREATE TABLE downloads ("
    " id TEXT PRIMARY KEY NOT NULL, owner TEXT NOT NULL,"
    " state INTEGER NOT NULL, set_mask INTEGER NOT NULL, uri TEXT,"
    " content_id TEXT, display_name TEXT, local_path TEXT,"
    " http_custom_headers TEXT, correlation_vector TEXT,"
    " decryption_info TEXT, integrity_check_info TEXT,"
    " http_custom_auth_headers TEXT, cost_policy INTEGER NOT NULL,"
    " security_flags INTEGER NOT NULL,"
    " callback_freq_percent INTEGER NOT NULL,"
    " callback_freq_seconds INTEGER NOT NULL,"
    " no_progress_timeout INTEGER NOT NULL, foreground INTEGER NOT NULL,"
    " blocking_mode INTEGER NOT NULL,"
    " integrity_check_mandatory INTEGER NOT NULL,"
    " disallow_on_cellular INTEGER NOT NULL,"
    " allow_https_to_http INTEGER NOT NULL,"
    " non_volatile INTEGER NOT NULL, total_size_bytes INTEGER NOT NULL,"
    " error_code INTEGER NOT NULL, extended_error INTEGER NOT NULL,"
    " bytes_total INTEGER NOT NULL, bytes_transferred INTEGER NOT NULL,"
    " temp_path TEXT, etag TEXT, last_modified INTEGER NOT NULL,"
    " created INTEGER NOT NULL, modified INTEGER NOT NULL);"
    "CREATE INDEX downloads_owner ON downloads(owner, created);"
    "CREATE TABLE download_ranges ("
    " download_id TEXT NOT NULL REFERENCES downloads(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, offset INTEGER NOT NULL,"
    " length INTEGER NOT NULL, PRIMARY KEY (download_id, seq));",
    /* 2 -> 3 */
    "CREATE INDEX temp_files_owner ON temp_files(owner_id);",
    /* 3 -> 4: an upload's session, source mtime and reply (UP10) */
    "ALTER TABLE jobs ADD COLUMN up_session TEXT;"
    "ALTER TABLE jobs ADD COLUMN up_mtime INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE jobs ADD COLUMN up_reply_done INTEGER NOT NULL DEFAULT 0;",
    /* 4 -> 5: the session's BITS-Host-Id and its fallback timer (UP17),
     * the reply's progress (UP15) */
    "ALTER TABLE jobs ADD COLUMN up_host_id TEXT;"
    "ALTER TABLE jobs ADD COLUMN up_host_fallback INTEGER NOT NULL"
    " DEFAULT 4294967295;"
    "ALTER TABLE jobs ADD COLUMN up_host_down INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE jobs ADD COLUMN reply_started INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE jobs ADD COLUMN reply_total INTEGER NOT NULL DEFAULT -1;"
    "ALTER TABLE jobs ADD COLUMN reply_bytes INTEGER NOT NULL DEFAULT 0;",
};
_Static_assert(NCOLS(migrations) == REF_STORE_SCHEMA_VERSION,
               "one migration step per schema version");

/* ---- statements and transactions ---------------------------------------- */

static int exec(struct ref_store *s, const char *sql, const char *what)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? REF_STORE_E_OK : fail_sql(s, rc, what);
}

static int prep(struct ref_store *s, const char *sql, sqlite3_stmt **st,
                const char *what)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? REF_STORE_E_OK : fail_sql(s, rc, what);
}

/* Like prep, for a statement the write paths run again and again: `sql`
 * must be a text that lives as long as the program (a literal, or one of
 * the texts of sql_texts()); the statement is compiled once per store and
 * handed back by later calls with the same text.  Give it back with
 * unprep. */
static int prep_kept(struct ref_store *s, const char *sql, sqlite3_stmt **st,
                     const char *what)
{
    for (int i = 0; i < s->ncache; i++)
        if (s->cache[i].sql == sql) {
            *st = s->cache[i].st;
            return REF_STORE_E_OK;
        }
    int err = prep(s, sql, st, what);
    if (!err && s->ncache < STMT_CACHE) {
        s->cache[s->ncache].sql = sql;
        s->cache[s->ncache++].st = *st;
    }
    return err;
}

/* Gives back a statement of prep_kept (reset, ready for the next use) or
 * of prep (finalized).  NULL is ignored. */
static void unprep(struct ref_store *s, sqlite3_stmt *st)
{
    if (!st)
        return;
    for (int i = 0; i < s->ncache; i++)
        if (s->cache[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return;
        }
    sqlite3_finalize(st);
}

/* Runs kept statement `sql` (no parameters, no rows wanted) to its end. */
static int exec_kept(struct ref_store *s, const char *sql, const char *what)
{
    sqlite3_stmt *st;
    int err = prep_kept(s, sql, &st, what);
    if (err)
        return err;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE)
        err = fail_sql(s, rc, what);
    unprep(s, st);
    return err;
}

static const char SYNC_FULL[] = "PRAGMA synchronous = FULL";
static const char SYNC_NORMAL[] = "PRAGMA synchronous = NORMAL";

/* Switches the connection to synchronous FULL (`full`) or NORMAL, when it
 * is not there already. */
static int set_sync(struct ref_store *s, int full, const char *what)
{
    int err = REF_STORE_E_OK;
    if (s->full_now != full &&
        !(err = exec_kept(s, full ? SYNC_FULL : SYNC_NORMAL, what)))
        s->full_now = full;
    return err;
}

/* The setting between writes: FULL, or NORMAL in group mode (S31). */
static int rest_sync(struct ref_store *s)
{
    return set_sync(s, !s->group, "restoring the sync");
}

/* Runs a bound write statement to its end. */
static int step_done(struct ref_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        return fail_sql(s, rc, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return REF_STORE_E_OK;
}

/* A value of one-row PRAGMA/SELECT `sql` into *v. */
static int query_int(struct ref_store *s, const char *sql, long long *v,
                     const char *what)
{
    sqlite3_stmt *st;
    int err = prep(s, sql, &st, what);
    if (err)
        return err;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int64(st, 0);
    else
        err = fail_sql(s, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, what);
    sqlite3_finalize(st);
    return err;
}

/* The store whose batch this thread holds (ref_store_batch_begin), or
 * NULL: inside it the store's mutex is already held and every write is
 * a savepoint of the batch's transaction. */
static _Thread_local struct ref_store *tls_batch;

static int tx_begin(struct ref_store *s, const char *what)
{
    return exec_kept(s, tls_batch == s ? "SAVEPOINT w" : "BEGIN IMMEDIATE",
                     what);
}

/* Commits when err is 0, else (or when COMMIT fails) rolls back; returns
 * the first error.  Inside a batch: releases or rolls back the savepoint
 * only, the batch goes on. */
static int tx_end(struct ref_store *s, int err, const char *what)
{
    if (tls_batch == s) {
        if (!err)
            err = exec_kept(s, "RELEASE w", what);
        if (err) {
            exec_kept(s, "ROLLBACK TO w", what);
            exec_kept(s, "RELEASE w", what);
        }
        return err;
    }
    if (!err && !(err = exec_kept(s, "COMMIT", what)) && !s->full_now)
        s->unsynced = 1;
    if (err && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return err;
}

static void store_lock(struct ref_store *s)
{
    if (tls_batch != s)
        pthread_mutex_lock(&s->lock);
}

static void store_unlock(struct ref_store *s)
{
    if (tls_batch != s)
        pthread_mutex_unlock(&s->lock);
}

int ref_store_batch_begin(struct ref_store *s)
{
    int err;
    msg_clear();
    if (!s)
        return fail(REF_STORE_E_INVALID, "job store: NULL store");
    if (tls_batch)
        return fail(REF_STORE_E_INVALID,
                    "job store: this thread already holds a batch");
    pthread_mutex_lock(&s->lock);
    if (!(err = set_sync(s, 0, "relaxing the sync")) &&
        !(err = exec_kept(s, "BEGIN IMMEDIATE", "starting a batch"))) {
        tls_batch = s;
        return REF_STORE_E_OK;
    }
    rest_sync(s);
    pthread_mutex_unlock(&s->lock);
    return err;
}

int ref_store_batch_end(struct ref_store *s)
{
    int err, e;
    msg_clear();
    if (!s || tls_batch != s)
        return fail(REF_STORE_E_INVALID,
                    "job store: this thread holds no batch of this store");
    tls_batch = NULL;
    err = tx_end(s, 0, "committing a batch");
    e = rest_sync(s);
    pthread_mutex_unlock(&s->lock);
    return err ? err : e;
}

int ref_store_set_group_sync(struct ref_store *s, int on)
{
    int err;
    msg_clear();
    if (!s)
        return fail(REF_STORE_E_INVALID, "job store: NULL store");
    store_lock(s);
    s->group = on ? 1 : 0;
    err = rest_sync(s);
    store_unlock(s);
    return err;
}

int ref_store_flush(struct ref_store *s)
{
    int err = REF_STORE_E_OK;
    msg_clear();
    if (!s)
        return fail(REF_STORE_E_INVALID, "job store: NULL store");
    store_lock(s);
    if (s->unsynced) {
        int log = -1, done = -1;
        /* WAL with NORMAL: a checkpoint syncs the log before it copies
         * and the database after; only a complete one proves every
         * commit reached the disk (a reader may hold frames back) */
        int rc = sqlite3_wal_checkpoint_v2(
            s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
        if (rc != SQLITE_OK)
            err = fail_sql(s, rc, "syncing the store");
        else if (log == done)
            s->unsynced = 0;
    }
    store_unlock(s);
    return err;
}

/* ---- opening ------------------------------------------------------------ */

int ref_store_dir(const char *explicit_dir, char **out)
{
    const char *e;
    char *p;
    msg_clear();
    if (!out)
        return fail(REF_STORE_E_INVALID, "job store: NULL out-pointer");
    *out = NULL;
    if (explicit_dir && *explicit_dir)
        p = strdup(explicit_dir);
    else if ((e = getenv("DOREF_STATE_DIR")) && *e)
        p = strdup(e);
    else if ((e = getenv("XDG_STATE_HOME")) && *e) {
        if (asprintf(&p, "%s/docts", e) < 0)
            p = NULL;
    } else if ((e = getenv("HOME")) && *e) {
        if (asprintf(&p, "%s/.local/state/docts", e) < 0)
            p = NULL;
    } else
        return fail(REF_STORE_E_OPEN,
                    "job store: no state directory: set DOREF_STATE_DIR, "
                    "XDG_STATE_HOME or HOME");
    if (!p)
        return fail(REF_STORE_E_NOMEM, "job store: out of memory");
    *out = p;
    return REF_STORE_E_OK;
}

/* mkdir -p with mode 0700 for each directory it makes. */
static int make_dirs(const char *dir)
{
    char *p = str_dup(dir);
    if (!p)
        return fail(REF_STORE_E_NOMEM, "job store: out of memory");
    for (char *q = p + 1;; q++) {
        if (*q && *q != '/')
            continue;
        char c = *q;
        *q = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            int e = errno;
            int err = fail(err_from_errno(e),
                           "job store: cannot create state directory %s: %s", p,
                           strerror(e));
            ref_free(p);
            return err;
        }
        *q = c;
        if (!c)
            break;
    }
    ref_free(p);
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return fail(REF_STORE_E_OPEN,
                    "job store: state directory %s is not a directory", dir);
    return REF_STORE_E_OK;
}

/* Refuses databases that are not ours, then applies the missing steps.
 * A current store needs no write lock, so opening does not wait for
 * another process's write transaction. */
/* The generated statement texts of the write paths, made once per
 * process so that prep_kept can key them by address. */
static struct {
    char job_insert[4096], job_update[4096], file_insert[4096];
    char file_update[4096];
    char dl_insert[4096];
} sql_text;
static pthread_once_t sql_text_once = PTHREAD_ONCE_INIT;

static void make_sql_texts(void)
{
    char and[32];
    insert_sql(sql_text.job_insert, sizeof sql_text.job_insert, "jobs", "", 0,
               job_cols, NCOLS(job_cols));
    update_sql(sql_text.job_update, sizeof sql_text.job_update, "jobs",
               job_cols, NCOLS(job_cols), "");
    insert_sql(sql_text.file_insert, sizeof sql_text.file_insert, "files",
               "job_id,", 1, file_cols, NCOLS(file_cols));
    snprintf(and, sizeof and, " AND job_id=?%zu", NCOLS(file_cols) + 1);
    update_sql(sql_text.file_update, sizeof sql_text.file_update, "files",
               file_cols, NCOLS(file_cols), and);
    insert_sql(sql_text.dl_insert, sizeof sql_text.dl_insert, "downloads", "",
               0, dl_cols, NCOLS(dl_cols));
}

static int migrate(struct ref_store *s)
{
    long long version, app, objects;
    int err;
    if ((err = query_int(s, "PRAGMA user_version", &version,
                         "reading the schema version")) ||
        (err = query_int(s, "PRAGMA application_id", &app,
                         "reading the application id")))
        return err;
    if (version == REF_STORE_SCHEMA_VERSION && app == APP_ID)
        return REF_STORE_E_OK;
    err = tx_begin(s, "starting the schema migration");
    if (err)
        return err;
    if ((err = query_int(s, "PRAGMA user_version", &version,
                         "reading the schema version")) ||
        (err = query_int(s, "PRAGMA application_id", &app,
                         "reading the application id")) ||
        (err = query_int(s, "SELECT count(*) FROM sqlite_schema", &objects,
                         "reading the schema")))
        return tx_end(s, err, "");
    if ((app != 0 && app != APP_ID) || (version == 0 && objects != 0)) {
        err = fail(REF_STORE_E_CORRUPT,
                   "job store %s: not a docts job store (application_id "
                   "%lld, user_version %lld, %lld schema objects) [%s]",
                   s->path, app, version, objects,
                   ref_store_err_name(REF_STORE_E_CORRUPT));
        return tx_end(s, err, "");
    }
    if (version > REF_STORE_SCHEMA_VERSION || version < 0) {
        err = fail(REF_STORE_E_VERSION,
                   "job store %s: schema version %lld is newer than this "
                   "library's %d; refusing to touch it [%s]",
                   s->path, version, REF_STORE_SCHEMA_VERSION,
                   ref_store_err_name(REF_STORE_E_VERSION));
        return tx_end(s, err, "");
    }
    for (long long v = version; v < REF_STORE_SCHEMA_VERSION && !err; v++) {
        char what[96];
        snprintf(what, sizeof what, "migrating the schema from %lld to %lld", v,
                 v + 1);
        err = exec(s, migrations[v], what);
    }
    if (!err && version != REF_STORE_SCHEMA_VERSION) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
                 REF_STORE_SCHEMA_VERSION);
        err = exec(s, sql, "writing the schema version");
    }
    return tx_end(s, err, "committing the schema migration");
}

static int integrity(struct ref_store *s)
{
    sqlite3_stmt *st;
    int err = prep(s, "PRAGMA integrity_check(5)", &st, "integrity_check");
    if (err)
        return err;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        err = fail_sql(s, rc, "integrity_check");
    } else {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (!r || strcmp(r, "ok") != 0)
            err = fail(REF_STORE_E_CORRUPT,
                       "job store %s: integrity_check failed: %s; the file "
                       "is left in place for inspection [%s]",
                       s->path, r ? r : "(null)",
                       ref_store_err_name(REF_STORE_E_CORRUPT));
    }
    sqlite3_finalize(st);
    return err;
}

static int open_db(struct ref_store *s)
{
    int fd = open(s->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        return fail(err_from_errno(e), "job store %s: cannot open: %s [%s]",
                    s->path, strerror(e),
                    ref_store_err_name(err_from_errno(e)));
    }
    close(fd);
    int rc = sqlite3_open_v2(s->path, &s->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        if (!s->db)
            return fail(REF_STORE_E_NOMEM, "job store %s: out of memory",
                        s->path);
        return fail_sql(s, rc, "opening");
    }
    sqlite3_extended_result_codes(s->db, 1);
    if (sqlite3_db_readonly(s->db, "main") == 1)
        return fail(REF_STORE_E_READONLY,
                    "job store %s: opened read-only (read-only file system "
                    "or file not writable) [%s]",
                    s->path, ref_store_err_name(REF_STORE_E_READONLY));
    sqlite3_busy_timeout(s->db, DEFAULT_BUSY_MS);
    int err;
    if ((err = exec(s, "PRAGMA foreign_keys = ON", "enabling foreign keys")) ||
        (err = integrity(s)))
        return err;
    sqlite3_stmt *st;
    if ((err = prep(s, "PRAGMA journal_mode = WAL", &st,
                    "switching to WAL mode")))
        return err;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        err = fail_sql(s, rc, "switching to WAL mode");
    else if (strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0)
        err = fail(REF_STORE_E_IO,
                   "job store %s: WAL mode refused (journal mode %s) [%s]",
                   s->path, sqlite3_column_text(st, 0),
                   ref_store_err_name(REF_STORE_E_IO));
    sqlite3_finalize(st);
    if (err || (err = set_sync(s, 1, "setting synchronous")) ||
        (err = exec(s, "PRAGMA cache_size = -512", "sizing the cache")) ||
        (err = exec(s, "PRAGMA temp_store = MEMORY",
                    "keeping savepoints in memory")))
        return err;
    return migrate(s);
}

int ref_store_open(const char *dir, struct ref_store **out)
{
    struct ref_store *s;
    char *d = NULL;
    int err;
    msg_clear();
    if (!out)
        return fail(REF_STORE_E_INVALID, "job store: NULL out-pointer");
    *out = NULL;
    if ((err = ref_store_dir(dir, &d)))
        return err;
    s = ref_calloc(1, sizeof *s);
    if (!s) {
        free(d);
        return fail(REF_STORE_E_NOMEM, "job store: out of memory");
    }
    s->runner_fd = -1;
    pthread_mutex_init(&s->lock, NULL);
    pthread_once(&sql_text_once, make_sql_texts);
    s->dir = str_dup(d);
    free(d);
    if (!s->dir || !(s->path = path_join(s->dir, DB_NAME))) {
        ref_store_close(s);
        return fail(REF_STORE_E_NOMEM, "job store: out of memory");
    }
    if ((err = make_dirs(s->dir)) || (err = open_db(s))) {
        ref_store_close(s);
        return err;
    }
    *out = s;
    return REF_STORE_E_OK;
}

void ref_store_close(struct ref_store *s)
{
    if (!s)
        return;
    ref_store_release_runner(s);
    for (int i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].st);
    if (s->db)
        sqlite3_close_v2(s->db);
    pthread_mutex_destroy(&s->lock);
    ref_free(s->dir);
    ref_free(s->path);
    ref_free(s);
}

int ref_store_set_busy_timeout(struct ref_store *s, int ms)
{
    msg_clear();
    if (!s || ms < 0)
        return fail(REF_STORE_E_INVALID, "job store: bad busy timeout");
    store_lock(s);
    sqlite3_busy_timeout(s->db, ms);
    store_unlock(s);
    return REF_STORE_E_OK;
}

/* ---- writing jobs ------------------------------------------------------- */

/* Records a temporary name (S8): a name seen before keeps its row and its
 * first_seen, and changes only when another job or download now owns it,
 * so writing a record again dirties no page for it. */
static const char TEMP_UPSERT[] =
    "INSERT INTO temp_files(path, owner_id, first_seen) VALUES(?1,?2,?3)"
    " ON CONFLICT(path) DO UPDATE SET owner_id = excluded.owner_id"
    " WHERE owner_id <> excluded.owner_id";

static int put_ranges(struct ref_store *s, sqlite3_stmt *st, const GUID *id,
                      uint32_t idx, int list, const struct ref_store_range *r,
                      uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        bind_guid(st, 1, id);
        sqlite3_bind_int64(st, 2, idx);
        sqlite3_bind_int(st, 3, list);
        sqlite3_bind_int64(st, 4, i);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)r[i].offset);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)r[i].length);
        int err = step_done(s, st, "writing a file range");
        if (err)
            return err;
    }
    return REF_STORE_E_OK;
}

static int put_temp(struct ref_store *s, sqlite3_stmt *st, const WCHAR *temp,
                    const GUID *owner_id, uint64_t now)
{
    if (!temp)
        return REF_STORE_E_OK;
    bind_wstr(st, 1, temp);
    bind_guid(st, 2, owner_id);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
    return step_done(s, st, "recording a temporary file");
}

static int check_job(const struct ref_store_job *j)
{
    if (!j->owner || !j->display_name || (j->nfiles && !j->files) ||
        (j->ncreds && !j->creds))
        return fail(REF_STORE_E_INVALID,
                    "job store: job record without owner, display name, "
                    "files or credentials array");
    for (uint32_t i = 0; i < j->nfiles; i++)
        if ((j->files[i].nranges && !j->files[i].ranges) ||
            (j->files[i].nrequested && !j->files[i].requested))
            return fail(REF_STORE_E_INVALID,
                        "job store: file %u has a range count without ranges",
                        i);
    return REF_STORE_E_OK;
}

/* Runs one statement binding only the job id (and idx when >= 0). */
static int exec_id(struct ref_store *s, const char *sql, const GUID *id,
                   long long idx, const char *what)
{
    sqlite3_stmt *st;
    int err = prep_kept(s, sql, &st, what);
    if (err)
        return err;
    bind_guid(st, 1, id);
    if (idx >= 0)
        sqlite3_bind_int64(st, 2, idx);
    err = step_done(s, st, what);
    unprep(s, st);
    return err;
}

/* The job's row: replaced whole (with every child row, `part` 0), or
 * updated in place (`part` 1: NOT_FOUND when there is no record). */
static int put_job_row(struct ref_store *s, const struct ref_store_job *j,
                       int part)
{
    const char *sql = part ? sql_text.job_update : sql_text.job_insert;
    sqlite3_stmt *st = NULL;
    int err;
    if (!part && (err = exec_id(s, "DELETE FROM jobs WHERE id = ?1", &j->id, -1,
                                "replacing the job")))
        return err;
    if ((err = prep_kept(s, sql, &st, "writing the job")))
        return err;
    if (bind_cols(st, 1, job_cols, NCOLS(job_cols), j) != SQLITE_OK)
        err = fail_sql(s, sqlite3_errcode(s->db), "binding the job");
    else if (!(err = step_done(s, st, "writing the job")) && part &&
             sqlite3_changes(s->db) == 0) {
        char t[39];
        guid_text(&j->id, t);
        err = fail(REF_STORE_E_NOT_FOUND, "job store %s: no record %s", s->path,
                   t);
    }
    unprep(s, st);
    if (!err && part)
        err = exec_id(s, "DELETE FROM credentials WHERE job_id = ?1", &j->id,
                      -1, "replacing credentials");
    return err;
}

/* Writes job j inside an open transaction: the whole record (`part` 0),
 * or the row, the credentials and the listed files only (`part` 1). */
static int put_job_tx(struct ref_store *s, const struct ref_store_job *j,
                      int part)
{
    sqlite3_stmt *fst = NULL, *rst = NULL, *cst = NULL, *ust = NULL;
    int err;
    if ((err = put_job_row(s, j, part)))
        return err;
    if ((err = prep_kept(s, sql_text.file_insert, &fst, "writing a file")) ||
        (err =
             prep_kept(s,
                       "INSERT INTO file_ranges(job_id, idx, list, seq, offset,"
                       " length) VALUES(?,?,?,?,?,?)",
                       &rst, "writing a file range")) ||
        (err = prep_kept(s,
                         "INSERT INTO credentials(job_id, target, scheme, user,"
                         " password) VALUES(?,?,?,?,?)",
                         &cst, "writing credentials")) ||
        (part &&
         (err = prep_kept(s, sql_text.file_update, &ust, "updating a file"))))
        goto out;
    for (uint32_t i = 0; i < j->nfiles && !err; i++) {
        const struct ref_store_file *f = &j->files[i];
        int updated = 0;
        /* S28: a part write updates the row it finds in place (no index
         * or child-table work) and inserts only a file that is new */
        if (part) {
            bind_cols(ust, 1, file_cols, NCOLS(file_cols), f);
            bind_guid(ust, (int)NCOLS(file_cols) + 1, &j->id);
            if ((err = step_done(s, ust, "updating a file")))
                break;
            updated = sqlite3_changes(s->db) > 0;
            if (updated &&
                (err = exec_id(s,
                               "DELETE FROM file_ranges WHERE"
                               " job_id = ?1 AND idx = ?2",
                               &j->id, f->index, "replacing file ranges")))
                break;
        }
        if (!updated) {
            bind_guid(fst, 1, &j->id);
            bind_cols(fst, 2, file_cols, NCOLS(file_cols), f);
            err = step_done(s, fst, "writing a file");
        }
        if (err ||
            (err = put_ranges(s, rst, &j->id, f->index, 0, f->ranges,
                              f->nranges)) ||
            (err = put_ranges(s, rst, &j->id, f->index, 1, f->requested,
                              f->nrequested)))
            break;
    }
    for (uint32_t i = 0; i < j->ncreds && !err; i++) {
        const struct ref_store_cred *c = &j->creds[i];
        bind_guid(cst, 1, &j->id);
        sqlite3_bind_int64(cst, 2, c->target);
        sqlite3_bind_int64(cst, 3, c->scheme);
        bind_wstr(cst, 4, c->user);
        bind_wstr(cst, 5, c->password);
        err = step_done(s, cst, "writing credentials");
    }
out:
    unprep(s, fst);
    unprep(s, rst);
    unprep(s, cst);
    unprep(s, ust);
    return err;
}

static int put_job_common(struct ref_store *s, const struct ref_store_job *j,
                          int part, int durable)
{
    int err;
    msg_clear();
    if (!s || !j)
        return fail(REF_STORE_E_INVALID, "job store: NULL store or job");
    if ((err = check_job(j)))
        return err;
    store_lock(s);
    /* S25: a commit the engine can rebuild from the disk is not synced;
     * the next synced commit carries it to the disk with its own.  In a
     * batch the batch decides. */
    if (tls_batch != s && !durable)
        err = set_sync(s, 0, "relaxing the sync");
    if (!err && !(err = tx_begin(s, "starting to write a job")))
        err = tx_end(s, put_job_tx(s, j, part), "committing a job");
    if (tls_batch != s && !durable) {
        int e = rest_sync(s);
        if (!err)
            err = e;
    }
    store_unlock(s);
    return err;
}

int ref_store_put_job(struct ref_store *s, const struct ref_store_job *j)
{
    return put_job_common(s, j, 0, 1);
}

int ref_store_put_job_part(struct ref_store *s, const struct ref_store_job *j)
{
    return put_job_common(s, j, 1, 1);
}

int ref_store_put_job_lazy(struct ref_store *s, const struct ref_store_job *j,
                           int part)
{
    return put_job_common(s, j, part ? 1 : 0, 0);
}

/* Runs a bound UPDATE/DELETE in its own transaction; NOT_FOUND when it
 * changed no row.  `then` (or NULL) runs in the same transaction after a
 * change. */
static int write_one_then(struct ref_store *s, sqlite3_stmt *st,
                          const char *what, const GUID *id,
                          int (*then)(struct ref_store *, const GUID *))
{
    int err = tx_begin(s, what);
    if (!err) {
        err = step_done(s, st, what);
        if (!err && sqlite3_changes(s->db) == 0) {
            char t[39];
            guid_text(id, t);
            err = fail(REF_STORE_E_NOT_FOUND, "job store %s: %s: no record %s",
                       s->path, what, t);
        }
        if (!err && then)
            err = then(s, id);
        err = tx_end(s, err, what);
    }
    return err;
}

static int delete_by_id(struct ref_store *s, const char *sql, const GUID *id,
                        const char *what,
                        int (*then)(struct ref_store *, const GUID *))
{
    sqlite3_stmt *st;
    int err;
    msg_clear();
    if (!s || !id)
        return fail(REF_STORE_E_INVALID, "job store: NULL argument");
    store_lock(s);
    err = prep_kept(s, sql, &st, what);
    if (!err) {
        bind_guid(st, 1, id);
        err = write_one_then(s, st, what, id, then);
        unprep(s, st);
    }
    store_unlock(s);
    return err;
}

/* Inside a transaction: for each row (path, a number) that `select`
 * gives for owner `id`, runs `write` with ?1 the path, ?2 the owner and
 * ?3 the number when the path's presence on disk is `on_disk` (another
 * error than ENOENT/ENOTDIR counts as present: never forget a name we
 * cannot see). */
static int temps_by_disk(struct ref_store *s, const char *select,
                         const char *write, const GUID *id, int on_disk,
                         const char *what)
{
    sqlite3_stmt *sel = NULL, *wr = NULL;
    int rc, err;
    if ((err = prep_kept(s, select, &sel, "listing a job's temporary files")) ||
        (err = prep_kept(s, write, &wr, what)))
        goto out;
    bind_guid(sel, 1, id);
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(sel, 0);
        int present = p && (access(p, F_OK) == 0 ||
                            (errno != ENOENT && errno != ENOTDIR));
        if (!p || present != on_disk)
            continue;
        sqlite3_bind_text(wr, 1, p, -1, SQLITE_TRANSIENT);
        if (sqlite3_bind_parameter_count(wr) >= 3) {
            bind_guid(wr, 2, id);
            sqlite3_bind_int64(wr, 3, sqlite3_column_int64(sel, 1));
        }
        if ((err = step_done(s, wr, what)))
            goto out;
    }
    if (rc != SQLITE_DONE)
        err = fail_sql(s, rc, "listing a job's temporary files");
out:
    unprep(s, sel);
    unprep(s, wr);
    return err;
}

/* Inside a transaction: forgets the temporary names recorded for owner
 * `id` that no longer exist (renamed by Complete, deleted by Cancel);
 * a name still on disk stays recorded for ref_store_cleanup_temps (S8). */
static int forget_gone_temps(struct ref_store *s, const GUID *id)
{
    return temps_by_disk(s,
                         "SELECT path, 0 FROM temp_files WHERE owner_id = ?1",
                         "DELETE FROM temp_files WHERE path = ?1", id, 0,
                         "forgetting a temporary file");
}

/* Inside a transaction, before job `id`'s rows go: records the temporary
 * names of its files that are still on disk (a Cancel that could not
 * remove one, a Complete that could not rename one) for
 * ref_store_cleanup_temps (S30).  A live job's names are in its file
 * rows, so nothing is recorded while it lives. */
static int keep_left_temps(struct ref_store *s, const GUID *id)
{
    return temps_by_disk(s,
                         "SELECT f.temp_path, j.modified FROM files f"
                         " JOIN jobs j ON j.id = f.job_id WHERE f.job_id = ?1"
                         " AND f.temp_path IS NOT NULL",
                         TEMP_UPSERT, id, 1, "recording a temporary file");
}

/* Inside a transaction: records the names the caller may leave behind
 * (S30), owned by job `id`, first seen when the job was last modified. */
static int record_left(struct ref_store *s, const GUID *id,
                       const WCHAR *const *left, size_t nleft)
{
    sqlite3_stmt *ins;
    int err = prep_kept(s,
                        "INSERT INTO temp_files(path, owner_id, first_seen)"
                        " VALUES(?1, ?2, COALESCE((SELECT modified FROM jobs"
                        " WHERE id = ?2), 0)) ON CONFLICT(path) DO UPDATE"
                        " SET owner_id = excluded.owner_id"
                        " WHERE owner_id <> excluded.owner_id",
                        &ins, "recording a temporary file");
    for (size_t i = 0; i < nleft && !err; i++) {
        if (!left[i])
            continue;
        bind_wstr(ins, 1, left[i]);
        bind_guid(ins, 2, id);
        err = step_done(s, ins, "recording a temporary file");
    }
    unprep(s, ins);
    return err;
}

/* ref_store_delete_job (check_disk) or ref_store_delete_job_leaving. */
static int delete_job(struct ref_store *s, const GUID *id, int check_disk,
                      const WCHAR *const *left, size_t nleft)
{
    sqlite3_stmt *st = NULL;
    int err;
    msg_clear();
    if (!s || !id || (nleft && !left))
        return fail(REF_STORE_E_INVALID, "job store: NULL argument");
    store_lock(s);
    if ((err = tx_begin(s, "deleting a job")))
        goto unlock;
    /* names recorded by earlier versions (S26) first: what this call
     * records is not looked at again */
    if (!(err = forget_gone_temps(s, id)) &&
        !(err = check_disk ? keep_left_temps(s, id)
                           : record_left(s, id, left, nleft)) &&
        !(err = prep_kept(s, "DELETE FROM jobs WHERE id = ?1", &st,
                          "deleting a job"))) {
        bind_guid(st, 1, id);
        if (!(err = step_done(s, st, "deleting a job")) &&
            sqlite3_changes(s->db) == 0) {
            char t[39];
            guid_text(id, t);
            err =
                fail(REF_STORE_E_NOT_FOUND,
                     "job store %s: deleting a job: no record %s", s->path, t);
        }
        unprep(s, st);
    }
    err = tx_end(s, err, "deleting a job");
unlock:
    store_unlock(s);
    return err;
}

int ref_store_delete_job(struct ref_store *s, const GUID *id)
{
    return delete_job(s, id, 1, NULL, 0);
}

int ref_store_delete_job_leaving(struct ref_store *s, const GUID *id,
                                 const WCHAR *const *left, size_t nleft)
{
    return delete_job(s, id, 0, left, nleft);
}

/* ---- loading jobs ------------------------------------------------------- */

struct loaded {
    void *rec;
    struct loaded *next;
};

static int load_ranges(struct ref_store *s, sqlite3_stmt *st, const char *id,
                       uint32_t idx, int list, struct arena *a,
                       const struct ref_store_range **out, uint32_t *n)
{
    struct ref_store_range *r = NULL;
    uint32_t cap = 0, k = 0;
    int rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, idx);
    sqlite3_bind_int(st, 3, list);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (k == cap) {
            uint32_t ncap = cap ? cap * 2 : 8;
            struct ref_store_range *nr = arena_alloc(a, ncap * sizeof *nr);
            if (!nr) {
                sqlite3_reset(st);
                return fail(REF_STORE_E_NOMEM, "job store: out of memory");
            }
            if (k)
                memcpy(nr, r, k * sizeof *nr);
            r = nr;
            cap = ncap;
        }
        r[k].offset = (uint64_t)sqlite3_column_int64(st, 0);
        r[k].length = (uint64_t)sqlite3_column_int64(st, 1);
        k++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return fail_sql(s, rc, "reading file ranges");
    *out = r;
    *n = k;
    return REF_STORE_E_OK;
}

/* Reads the files and credentials of job j (id text `id`). */
static int load_job_children(struct ref_store *s, sqlite3_stmt *fst,
                             sqlite3_stmt *rst, sqlite3_stmt *cst,
                             const char *id, struct ref_store_job *j,
                             struct arena *a)
{
    int rc, err = REF_STORE_E_OK;
    uint32_t cap = 0;
    struct ref_store_file *files = NULL;
    sqlite3_bind_text(fst, 1, id, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(fst)) == SQLITE_ROW) {
        if (j->nfiles == cap) {
            uint32_t ncap = cap ? cap * 2 : 4;
            struct ref_store_file *nf = arena_alloc(a, ncap * sizeof *nf);
            if (!nf) {
                err = fail(REF_STORE_E_NOMEM, "job store: out of memory");
                break;
            }
            if (j->nfiles)
                memcpy(nf, files, j->nfiles * sizeof *nf);
            files = nf;
            cap = ncap;
        }
        struct ref_store_file *f = &files[j->nfiles];
        if ((err = read_cols(fst, 0, file_cols, NCOLS(file_cols), f, a)))
            break;
        j->nfiles++;
    }
    sqlite3_reset(fst);
    if (!err && rc != SQLITE_DONE)
        err = fail_sql(s, rc, "reading files");
    j->files = files;
    for (uint32_t i = 0; i < j->nfiles && !err; i++) {
        if ((err = load_ranges(s, rst, id, files[i].index, 0, a,
                               &files[i].ranges, &files[i].nranges)))
            break;
        err = load_ranges(s, rst, id, files[i].index, 1, a, &files[i].requested,
                          &files[i].nrequested);
    }
    if (err)
        return err;
    struct ref_store_cred *creds = arena_alloc(a, 10 * sizeof *creds);
    if (!creds)
        return fail(REF_STORE_E_NOMEM, "job store: out of memory");
    sqlite3_bind_text(cst, 1, id, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(cst)) == SQLITE_ROW && j->ncreds < 10) {
        struct ref_store_cred *c = &creds[j->ncreds++];
        c->target = (uint32_t)sqlite3_column_int64(cst, 0);
        c->scheme = (uint32_t)sqlite3_column_int64(cst, 1);
        c->user = arena_wstr(a, cst, 2);
        c->password = arena_wstr(a, cst, 3);
    }
    sqlite3_reset(cst);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return fail_sql(s, rc, "reading credentials");
    j->creds = creds;
    return REF_STORE_E_OK;
}

/* Reads every job of owner (NULL all) into a list in arena a. */
static int load_jobs_locked(struct ref_store *s, const WCHAR *owner,
                            struct arena *a, struct loaded **head)
{
    char cols[2048], sql[4096];
    sqlite3_stmt *st = NULL, *fst = NULL, *rst = NULL, *cst = NULL;
    struct loaded **tail = head;
    int err, rc;
    col_list(cols, sizeof cols, "", job_cols, NCOLS(job_cols));
    snprintf(sql, sizeof sql,
             "SELECT %s FROM jobs WHERE ?1 IS NULL OR owner = ?1"
             " ORDER BY created, rowid",
             cols);
    if ((err = prep(s, sql, &st, "reading jobs")))
        return err;
    col_list(cols, sizeof cols, "", file_cols, NCOLS(file_cols));
    snprintf(sql, sizeof sql,
             "SELECT %s FROM files WHERE job_id = ?1 ORDER BY idx", cols);
    if ((err = prep(s, sql, &fst, "reading files")) ||
        (err = prep(s,
                    "SELECT offset, length FROM file_ranges WHERE job_id=?1"
                    " AND idx=?2 AND list=?3 ORDER BY seq",
                    &rst, "reading file ranges")) ||
        (err = prep(s,
                    "SELECT target, scheme, user, password FROM credentials"
                    " WHERE job_id=?1 ORDER BY target, scheme",
                    &cst, "reading credentials")))
        goto out;
    bind_wstr(st, 1, owner);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct ref_store_job *j = arena_alloc(a, sizeof *j);
        struct loaded *l = arena_alloc(a, sizeof *l);
        if (!j || !l) {
            err = fail(REF_STORE_E_NOMEM, "job store: out of memory");
            goto out;
        }
        if ((err = read_cols(st, 0, job_cols, NCOLS(job_cols), j, a)) ||
            (err = load_job_children(s, fst, rst, cst,
                                     (const char *)sqlite3_column_text(st, 0),
                                     j, a)))
            goto out;
        l->rec = j;
        *tail = l;
        tail = &l->next;
    }
    if (rc != SQLITE_DONE)
        err = fail_sql(s, rc, "reading jobs");
out:
    sqlite3_finalize(st);
    sqlite3_finalize(fst);
    sqlite3_finalize(rst);
    sqlite3_finalize(cst);
    return err;
}

typedef int (*load_locked_fn)(struct ref_store *, const WCHAR *, struct arena *,
                              struct loaded **);
/* Calls one kind's public callback with one loaded record. */
typedef int (*deliver_fn)(void *cb, const void *rec, void *ctx);

/* Loads under one read transaction, then calls back with no lock held
 * (a callback may call into the store).  Shared by jobs and downloads. */
static int load_and_deliver(struct ref_store *s, const WCHAR *owner,
                            const char *what, load_locked_fn load,
                            deliver_fn deliver, void *cb, void *ctx)
{
    struct arena a = {0};
    struct loaded *head = NULL;
    int err;
    msg_clear();
    if (!s || !cb)
        return fail(REF_STORE_E_INVALID, "job store: NULL store or callback");
    store_lock(s);
    err = exec(s, "BEGIN", what);
    if (!err) {
        err = load(s, owner, &a, &head);
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    }
    store_unlock(s);
    for (struct loaded *l = head; l && !err; l = l->next)
        err = deliver(cb, l->rec, ctx);
    arena_free(&a);
    return err;
}

struct job_cb_box {
    ref_store_job_cb fn;
};

static int deliver_job(void *cb, const void *rec, void *ctx)
{
    return ((struct job_cb_box *)cb)->fn(rec, ctx);
}

int ref_store_load_jobs(struct ref_store *s, const WCHAR *owner,
                        ref_store_job_cb cb, void *ctx)
{
    struct job_cb_box box = {cb};
    return load_and_deliver(s, owner, "starting to read jobs", load_jobs_locked,
                            deliver_job, cb ? &box : NULL, ctx);
}

/* ---- DO downloads ------------------------------------------------------- */

int ref_store_put_download(struct ref_store *s,
                           const struct ref_store_download *d)
{
    sqlite3_stmt *st = NULL, *rst = NULL, *tst = NULL;
    int err;
    msg_clear();
    if (!s || !d || !d->owner || (d->nranges && !d->ranges))
        return fail(REF_STORE_E_INVALID,
                    "job store: NULL store, download, owner or ranges");
    store_lock(s);
    if ((err = tx_begin(s, "starting to write a download")))
        goto unlock;
    if ((err = prep_kept(s, "DELETE FROM downloads WHERE id = ?1", &st,
                         "replacing the download")))
        goto out;
    bind_guid(st, 1, &d->id);
    err = step_done(s, st, "replacing the download");
    unprep(s, st);
    st = NULL;
    if (err)
        goto out;
    if ((err = prep_kept(s, sql_text.dl_insert, &st, "writing the download")))
        goto out;
    bind_cols(st, 1, dl_cols, NCOLS(dl_cols), d);
    if ((err = step_done(s, st, "writing the download")) ||
        (err = prep_kept(s,
                         "INSERT INTO download_ranges(download_id, seq, offset,"
                         " length) VALUES(?,?,?,?)",
                         &rst, "writing a download range")) ||
        (err = prep_kept(s, TEMP_UPSERT, &tst, "recording a temporary file")))
        goto out;
    for (uint32_t i = 0; i < d->nranges && !err; i++) {
        bind_guid(rst, 1, &d->id);
        sqlite3_bind_int64(rst, 2, i);
        sqlite3_bind_int64(rst, 3, (sqlite3_int64)d->ranges[i].offset);
        sqlite3_bind_int64(rst, 4, (sqlite3_int64)d->ranges[i].length);
        err = step_done(s, rst, "writing a download range");
    }
    if (!err)
        err = put_temp(s, tst, d->temp, &d->id, d->modified);
out:
    unprep(s, st);
    unprep(s, rst);
    unprep(s, tst);
    err = tx_end(s, err, "committing a download");
unlock:
    store_unlock(s);
    return err;
}

int ref_store_delete_download(struct ref_store *s, const GUID *id)
{
    return delete_by_id(s, "DELETE FROM downloads WHERE id = ?1", id,
                        "deleting a download", forget_gone_temps);
}

static int load_downloads_locked(struct ref_store *s, const WCHAR *owner,
                                 struct arena *a, struct loaded **head)
{
    char cols[2048], sql[4096];
    sqlite3_stmt *st = NULL, *rst = NULL;
    struct loaded **tail = head;
    int err, rc;
    col_list(cols, sizeof cols, "", dl_cols, NCOLS(dl_cols));
    snprintf(sql, sizeof sql,
             "SELECT %s FROM downloads WHERE ?1 IS NULL OR owner = ?1"
             " ORDER BY created, rowid",
             cols);
    if ((err = prep(s, sql, &st, "reading downloads")) ||
        (err = prep(s,
                    "SELECT offset, length FROM download_ranges WHERE"
                    " download_id=?1 ORDER BY seq",
                    &rst, "reading download ranges")))
        goto out;
    bind_wstr(st, 1, owner);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct ref_store_download *d = arena_alloc(a, sizeof *d);
        struct loaded *l = arena_alloc(a, sizeof *l);
        if (!d || !l) {
            err = fail(REF_STORE_E_NOMEM, "job store: out of memory");
            goto out;
        }
        if ((err = read_cols(st, 0, dl_cols, NCOLS(dl_cols), d, a)))
            goto out;
        struct ref_store_range *r = NULL;
        uint32_t cap = 0;
        sqlite3_bind_text(rst, 1, (const char *)sqlite3_column_text(st, 0), -1,
                          SQLITE_TRANSIENT);
        while ((rc = sqlite3_step(rst)) == SQLITE_ROW) {
            if (d->nranges == cap) {
                uint32_t ncap = cap ? cap * 2 : 8;
                struct ref_store_range *nr = arena_alloc(a, ncap * sizeof *nr);
                if (!nr) {
                    sqlite3_reset(rst);
                    err = fail(REF_STORE_E_NOMEM, "job store: out of memory");
                    goto out;
                }
                if (d->nranges)
                    memcpy(nr, r, d->nranges * sizeof *nr);
                r = nr;
                cap = ncap;
            }
            r[d->nranges].offset = (uint64_t)sqlite3_column_int64(rst, 0);
            r[d->nranges].length = (uint64_t)sqlite3_column_int64(rst, 1);
            d->nranges++;
        }
        sqlite3_reset(rst);
        if (rc != SQLITE_DONE) {
            err = fail_sql(s, rc, "reading download ranges");
            goto out;
        }
        d->ranges = r;
        l->rec = d;
        *tail = l;
        tail = &l->next;
    }
    if (rc != SQLITE_DONE)
        err = fail_sql(s, rc, "reading downloads");
out:
    sqlite3_finalize(st);
    sqlite3_finalize(rst);
    return err;
}

struct download_cb_box {
    ref_store_download_cb fn;
};

static int deliver_download(void *cb, const void *rec, void *ctx)
{
    return ((struct download_cb_box *)cb)->fn(rec, ctx);
}

int ref_store_load_downloads(struct ref_store *s, const WCHAR *owner,
                             ref_store_download_cb cb, void *ctx)
{
    struct download_cb_box box = {cb};
    return load_and_deliver(s, owner, "starting to read downloads",
                            load_downloads_locked, deliver_download,
                            cb ? &box : NULL, ctx);
}

int ref_store_purge(struct ref_store *s, int mode, int downloads,
                    uint64_t cutoff, unsigned *n)
{
    sqlite3_stmt *st = NULL;
    unsigned count = 0;
    int err;
    msg_clear();
    if (!s)
        return fail(REF_STORE_E_INVALID, "job store: NULL store");
    store_lock(s);
    if ((err = tx_begin(s, "starting a purge")))
        goto unlock;
    if (mode >= 0) {
        /* S30: the purged jobs' temporary names go to the registry (not
         * checked on disk: the cleanup counts a gone one as missing) */
        if ((err = prep(s,
                        "INSERT OR IGNORE INTO temp_files(path, owner_id,"
                        " first_seen) SELECT f.temp_path, j.id, j.modified"
                        " FROM files f JOIN jobs j ON j.id = f.job_id"
                        " WHERE j.mode=?1 AND j.modified<?2"
                        " AND f.temp_path IS NOT NULL",
                        &st, "recording purged temporary files")))
            goto out;
        sqlite3_bind_int(st, 1, mode);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)cutoff);
        if ((err = step_done(s, st, "recording purged temporary files")))
            goto out;
        sqlite3_finalize(st);
        st = NULL;
        if ((err = prep(s, "DELETE FROM jobs WHERE mode=?1 AND modified<?2",
                        &st, "purging jobs")))
            goto out;
        sqlite3_bind_int(st, 1, mode);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)cutoff);
        if ((err = step_done(s, st, "purging jobs")))
            goto out;
        count += (unsigned)sqlite3_changes(s->db);
        sqlite3_finalize(st);
        st = NULL;
    }
    if (downloads) {
        if ((err = prep(s, "DELETE FROM downloads WHERE modified < ?1", &st,
                        "purging downloads")))
            goto out;
        sqlite3_bind_int64(st, 1, (sqlite3_int64)cutoff);
        if ((err = step_done(s, st, "purging downloads")))
            goto out;
        count += (unsigned)sqlite3_changes(s->db);
    }
out:
    sqlite3_finalize(st);
    err = tx_end(s, err, "committing a purge");
unlock:
    store_unlock(s);
    if (!err && n)
        *n = count;
    return err;
}

/* ---- the runner lock and change detection ------------------------------- */

int ref_store_acquire_runner(struct ref_store *s, int *is_runner)
{
    msg_clear();
    if (!s || !is_runner)
        return fail(REF_STORE_E_INVALID, "job store: NULL argument");
    *is_runner = 0;
    store_lock(s);
    if (s->runner_fd >= 0) {
        *is_runner = 1;
        store_unlock(s);
        return REF_STORE_E_OK;
    }
    char *lp = path_join(s->dir, LOCK_NAME);
    int err = REF_STORE_E_OK;
    if (!lp) {
        store_unlock(s);
        return fail(REF_STORE_E_NOMEM, "job store: out of memory");
    }
    int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        err =
            fail(err_from_errno(e) == REF_STORE_E_OPEN ? REF_STORE_E_OPEN
                                                       : err_from_errno(e),
                 "job store: cannot open runner lock %s: %s", lp, strerror(e));
    } else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e != EWOULDBLOCK)
            err = fail(REF_STORE_E_IO, "job store: flock %s: %s", lp,
                       strerror(e));
    } else {
        /* The holder's pid, for people inspecting the directory. */
        char pid[32];
        int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
        if (ftruncate(fd, 0) == 0 && write(fd, pid, (size_t)len) < 0) {
            /* informational only */
        }
        s->runner_fd = fd;
        *is_runner = 1;
    }
    ref_free(lp);
    store_unlock(s);
    return err;
}

void ref_store_release_runner(struct ref_store *s)
{
    if (!s)
        return;
    store_lock(s);
    if (s->runner_fd >= 0) {
        flock(s->runner_fd, LOCK_UN);
        close(s->runner_fd);
        s->runner_fd = -1;
    }
    store_unlock(s);
}

int ref_store_changed(struct ref_store *s, int *changed)
{
    long long v;
    int err;
    msg_clear();
    if (!s || !changed)
        return fail(REF_STORE_E_INVALID, "job store: NULL argument");
    *changed = 0;
    store_lock(s);
    err = query_int(s, "PRAGMA data_version", &v, "reading data_version");
    if (!err) {
        *changed = s->have_version && v != s->data_version;
        s->data_version = v;
        s->have_version = 1;
    }
    store_unlock(s);
    return err;
}

/* ---- temporary files ---------------------------------------------------- */

/* An absolute path whose last component ends in ".tmp". */
static int temp_shaped(const char *p)
{
    const char *base = strrchr(p, '/');
    size_t n;
    if (!base || p[0] != '/')
        return 0;
    base++;
    n = strlen(base);
    return n > 4 && strcmp(base + n - 4, ".tmp") == 0;
}

int ref_store_cleanup_temps(struct ref_store *s, const WCHAR *const *live,
                            size_t n, struct ref_store_cleanup *r)
{
    struct ref_store_cleanup rep = {0};
    sqlite3_stmt *ins = NULL, *sel = NULL, *del = NULL;
    int err, rc;
    msg_clear();
    if (!s || (n && !live))
        return fail(REF_STORE_E_INVALID, "job store: NULL argument");
    store_lock(s);
    if ((err = exec(s,
                    "CREATE TEMP TABLE IF NOT EXISTS live_temps"
                    "(path TEXT PRIMARY KEY)",
                    "preparing the cleanup")) ||
        (err = tx_begin(s, "starting the cleanup")))
        goto unlock;
    if ((err = exec(s, "DELETE FROM live_temps", "preparing the cleanup")) ||
        (err = prep(s, "INSERT OR IGNORE INTO live_temps(path) VALUES(?1)",
                    &ins, "listing live temporary files")))
        goto out;
    for (size_t i = 0; i < n && !err; i++) {
        if (!live[i])
            continue;
        bind_wstr(ins, 1, live[i]);
        err = step_done(s, ins, "listing live temporary files");
    }
    if (err ||
        (err = prep(s,
                    "SELECT path FROM temp_files WHERE"
                    " path NOT IN (SELECT path FROM live_temps) AND"
                    " owner_id NOT IN (SELECT id FROM jobs) AND"
                    " owner_id NOT IN (SELECT id FROM downloads)",
                    &sel, "finding orphaned temporary files")) ||
        (err = prep(s, "DELETE FROM temp_files WHERE path = ?1", &del,
                    "forgetting a temporary file")))
        goto out;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(sel, 0);
        int forget = 1;
        if (!p)
            continue;
        if (!temp_shaped(p)) {
            rep.kept++; /* never delete what does not look like ours */
        } else if (unlink(p) == 0) {
            rep.removed++;
        } else if (errno == ENOENT || errno == ENOTDIR) {
            rep.missing++;
        } else {
            rep.failed++;
            forget = 0; /* try again next time */
        }
        if (forget) {
            sqlite3_bind_text(del, 1, p, -1, SQLITE_TRANSIENT);
            if ((err = step_done(s, del, "forgetting a temporary file")))
                break;
        }
    }
    if (!err && rc != SQLITE_DONE)
        err = fail_sql(s, rc, "finding orphaned temporary files");
out:
    sqlite3_finalize(ins);
    sqlite3_finalize(sel);
    sqlite3_finalize(del);
    err = tx_end(s, err, "committing the cleanup");
unlock:
    store_unlock(s);
    if (r)
        *r = rep;
    return err;
}

/* ---- Test hooks (ref_store.h, last section) ----------------------------- */

const char *ref_store_path(const struct ref_store *s)
{
    return s ? s->path : NULL;
}

int ref_store_unsynced(struct ref_store *s)
{
    int u;
    if (!s)
        return 0;
    store_lock(s);
    u = s->unsynced;
    store_unlock(s);
    return u;
}
