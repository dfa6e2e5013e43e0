/*
 * ref_store.h - the crash-safe job store: every BITS/DO job with its files
 * and every DO download, kept in an SQLite database in the user's state
 * directory so jobs survive the process (issue 7, docs/store.md).
 *
 * The store speaks plain C records of its own (struct ref_store_job,
 * struct ref_store_file, struct ref_store_download), never the COM
 * structs: the job code converts.  Strings are UTF-16 (WCHAR) like the
 * job's own, NUL-terminated; NULL is kept distinct from "" (a description
 * never set stays NULL).  Times are 100-ns ticks since 1601 UTC (what
 * ref_clock_now_ticks returns), so they mean the same in every process.
 *
 * Every write is one SQLite transaction: it is all on disk or none of it
 * (a failed write rolls back and leaves the previous state intact).
 * Errors are enum ref_store_err codes; the calling thread's last message
 * (naming the path and SQLite's reason) is ref_store_last_error().
 * A store may be shared by the threads of a process (one mutex inside).
 */
#ifndef REF_STORE_H
#define REF_STORE_H

#include <docom.h>
#include <stddef.h>
#include <stdint.h>

/* The schema version this library writes (PRAGMA user_version). */
#define REF_STORE_SCHEMA_VERSION 5

/* X(name, value, text): the error codes, written once. */
#define REF_STORE_ERRORS(X)                                                    \
    X(OK, 0, "success")                                                        \
    X(INVALID, -1, "invalid argument")                                         \
    X(NOMEM, -2, "out of memory")                                              \
    X(OPEN, -3, "cannot open or create the store")                             \
    X(CORRUPT, -4, "the store is damaged or not a database")                   \
    X(VERSION, -5, "the store was written by a newer version")                 \
    X(BUSY, -6, "the store is locked by another process")                      \
    X(FULL, -7, "the disk is full")                                            \
    X(READONLY, -8, "the store is on a read-only file system")                 \
    X(IO, -9, "input/output error")                                            \
    X(NOT_FOUND, -10, "no such record")

enum ref_store_err {
#define REF_STORE_ENUM_(n, v, t) REF_STORE_E_##n = v,
    REF_STORE_ERRORS(REF_STORE_ENUM_)
#undef REF_STORE_ENUM_
};

/* "REF_STORE_E_BUSY" etc.; "REF_STORE_E_?" for an unknown code. */
const char *ref_store_err_name(int err);
/* The calling thread's message for its last failed store call ("" when
 * the last call succeeded).  Valid until the thread's next store call. */
const char *ref_store_last_error(void);
/* A convenience for the COM boundary: E_OUTOFMEMORY, E_ACCESSDENIED
 * (READONLY), HRESULT_FROM_WIN32(ERROR_DISK_FULL) (FULL),
 * HRESULT_FROM_WIN32(ERROR_BUSY) (BUSY), E_INVALIDARG, BG_E_NOT_FOUND's
 * value 0x80200001 (NOT_FOUND), E_FAIL otherwise; S_OK for 0. */
HRESULT ref_store_hresult(int err);

/* ---- records ------------------------------------------------------------ */

struct ref_store_range {
    uint64_t offset;
    uint64_t length; /* UINT64_MAX = to end of file */
};

/* One file of a job (struct file_rec).  `temp` is the temporary name the
 * engine writes (ref_file_temp_name), NULL if none: the store remembers
 * every temp name it is given, for ref_store_cleanup_temps. */
struct ref_store_file {
    uint32_t index;
    const WCHAR *remote, *local, *file_id, *temp;
    int32_t proto;
    const struct ref_store_range *ranges; /* AddFileWithRanges; 0 = whole */
    uint32_t nranges;
    const struct ref_store_range *requested; /* File6 RequestFileRanges */
    uint32_t nrequested;
    uint64_t size;        /* UINT64_MAX (BG_SIZE_UNKNOWN) until known */
    uint64_t transferred; /* last recorded; the bytes on disk are truth */
    uint64_t position;    /* File6 */
    int32_t done, completed, validation;
    const WCHAR *response_headers;
    const WCHAR *decryption_info, *integrity_info;
    int32_t integrity_mandatory; /* -1 never set */
    const WCHAR *etag;           /* validator of the partial file */
    uint64_t last_modified;      /* server's Last-Modified, 0 unknown */
};

struct ref_store_cred {
    uint32_t target, scheme; /* BG_AUTH_TARGET, BG_AUTH_SCHEME */
    const WCHAR *user, *password;
};

struct ref_store_error {
    int32_t set;
    uint32_t context; /* BG_ERROR_CONTEXT */
    uint32_t code;    /* HRESULT bits */
    int32_t file;     /* index, or -1 */
};

/* A BITS job or DO job (struct job), with its files and credentials. */
struct ref_store_job {
    GUID id;
    int32_t mode; /* enum ref_mode: 0 BITS, 1 DO */
    int32_t type; /* BG_JOB_TYPE */
    const WCHAR *owner, *display_name, *description;
    int32_t priority, state;
    uint32_t notify_flags;
    GUID notify_clsid;
    const WCHAR *notify_program, *notify_parameters, *reply_file;
    uint32_t retry_delay, no_progress_timeout, max_download_time;
    int32_t no_progress_set;
    int32_t proxy_usage;
    const WCHAR *proxy_list, *proxy_bypass;
    const WCHAR *custom_headers;
    uint32_t security_flags;
    struct {
        int32_t set;
        uint32_t location;
        const WCHAR *store;
        int32_t by_id;
        uint8_t hash[20];
        const WCHAR *subject;
    } cert;
    uint32_t acl_flags, peer_flags, cost_flags;
    int32_t dynamic_content, high_performance, on_demand;
    uint64_t max_download_size;
    uint32_t stored_cred_target, min_notify_interval;
    struct ref_store_error error;
    uint32_t error_count;
    int32_t resumed_once;
    const WCHAR *up_session;
    uint64_t up_mtime;
    int32_t up_reply_done;
    const WCHAR *up_host_id;
    uint32_t up_host_fallback;
    uint64_t up_host_down;
    int32_t reply_started;
    uint64_t reply_total, reply_bytes;
    uint64_t created, modified, transfer_completed;
    const struct ref_store_cred *creds;
    uint32_t ncreds;
    const struct ref_store_file *files;
    uint32_t nfiles;
};

/* A DO download (IDODownload).  `set_mask` bit i says DODownloadProperty
 * i was set (E_NOT_SET otherwise); write-only values are kept too. */
struct ref_store_download {
    GUID id;
    const WCHAR *owner;
    int32_t state; /* DODownloadState */
    uint64_t set_mask;
    const WCHAR *uri, *content_id, *display_name, *local_path;
    const WCHAR *http_custom_headers, *correlation_vector;
    const WCHAR *decryption_info, *integrity_check_info;
    const WCHAR *http_custom_auth_headers;
    uint32_t cost_policy, security_flags;
    uint32_t callback_freq_percent, callback_freq_seconds;
    uint32_t no_progress_timeout;
    int32_t foreground, blocking_mode, integrity_check_mandatory;
    int32_t disallow_on_cellular, allow_https_to_http, non_volatile;
    uint64_t total_size_bytes;
    uint32_t error_code, extended_error; /* HRESULT bits */
    uint64_t bytes_total, bytes_transferred;
    const WCHAR *temp; /* file the engine writes, NULL if none */
    const WCHAR *etag;
    uint64_t last_modified;
    uint64_t created, modified;
    const struct ref_store_range *ranges; /* Start(ranges); 0 = whole */
    uint32_t nranges;
};

/* ---- opening ------------------------------------------------------------ */

struct ref_store;

/*
 * The state directory, malloc'd into *out (caller frees with free()):
 * `explicit_dir` if non-NULL, else $DOREF_STATE_DIR, else
 * $XDG_STATE_HOME/docts, else $HOME/.local/state/docts.  Empty variables
 * count as unset.  REF_STORE_E_OPEN when none applies (no HOME),
 * REF_STORE_E_NOMEM.
 */
int ref_store_dir(const char *explicit_dir, char **out);

/*
 * Opens (creating if needed) the store in `dir` (NULL: ref_store_dir's
 * default): the directory is made 0700 (parents too), the database
 * `jobs.db` 0600, WAL mode, synchronous=FULL, a 512 KiB page cache,
 * foreign keys on, a busy timeout of 5 s, PRAGMA integrity_check, then
 * migration to REF_STORE_SCHEMA_VERSION in one transaction.  *out is NULL
 * on failure.  Errors: INVALID (out NULL), NOMEM, OPEN (directory or file
 * cannot be made or opened), CORRUPT (not a database, integrity_check failed),
 * VERSION (schema newer than this library), BUSY (locked past the
 * timeout), READONLY, FULL, IO.  A damaged file is left in place.
 */
int ref_store_open(const char *dir, struct ref_store **out);
/* Closes the store (releasing the runner lock); NULL is a no-op. */
void ref_store_close(struct ref_store *store);
/* Sets the busy timeout in milliseconds (>= 0).  INVALID. */
int ref_store_set_busy_timeout(struct ref_store *store, int ms);
/* Group sync (S31), off after open: every commit is synced (FULL) as it
 * is made.  On: commits are made with NORMAL, so they survive a crash of
 * the process at once and a power loss once ref_store_flush ran after
 * them.  INVALID, or the errors of a write. */
int ref_store_set_group_sync(struct ref_store *store, int on);
/* Brings every commit made so far to the disk (a checkpoint; nothing to
 * do when all are synced).  INVALID, BUSY, IO, FULL. */
int ref_store_flush(struct ref_store *store);

/* ---- jobs --------------------------------------------------------------- */

/*
 * Writes the whole job (replacing any earlier record of the same id, its
 * files, ranges and credentials) in one transaction, and records each
 * file's temp name.  Errors: INVALID (NULL store/job, NULL owner or
 * display name, a file with nranges > 0 and NULL ranges), BUSY, FULL,
 * READONLY, CORRUPT, IO, NOMEM.
 */
int ref_store_put_job(struct ref_store *store, const struct ref_store_job *job);
/*
 * Writes part of a stored job in one transaction: the job's row and its
 * credentials (replaced), and of its files only those in job->files, each
 * replacing the stored row of the same index with its ranges (the other
 * stored files stay as they are).  This is how a job with many files
 * stays O(changed files) per write (decision S23).  NOT_FOUND when the
 * store has no record of the job (nothing is written); otherwise the
 * errors of ref_store_put_job.
 */
int ref_store_put_job_part(struct ref_store *store,
                           const struct ref_store_job *job);
/*
 * As ref_store_put_job (`part` 0) or ref_store_put_job_part (`part` 1),
 * but the commit is not synced to the disk (synchronous = NORMAL for this
 * one transaction): it survives a crash of the process, and a power loss
 * may undo it (the next synced commit makes it durable too).  For what
 * the engine can rebuild from the bytes on disk (decision S25).  Errors as
 * those two.
 */
int ref_store_put_job_lazy(struct ref_store *store,
                           const struct ref_store_job *job, int part);
/* A batch: one transaction, not synced (S25), that every write this
 * thread makes until ref_store_batch_end joins, each as a savepoint of
 * its own (a failed write rolls back only itself).  The store's mutex is
 * held from begin to end, so other threads' calls wait: keep a batch
 * short, and take no lock in it that a thread writing to the store may
 * hold (S29).  Begin: INVALID (NULL store, or this thread already holds
 * a batch), or the write errors.  End: INVALID when this thread holds no
 * batch of `store`; the write errors of the commit (then nothing of the
 * batch was written). */
int ref_store_batch_begin(struct ref_store *store);
int ref_store_batch_end(struct ref_store *store);
/* Deletes a job with its files, in one transaction with forgetting its
 * recorded temporary names that no longer exist on disk (the others stay
 * known for ref_store_cleanup_temps).  NOT_FOUND when absent. */
int ref_store_delete_job(struct ref_store *store, const GUID *id);
/* As ref_store_delete_job, for a caller that knows which temporary files
 * of the job it may leave behind (S30): exactly the `nleft` names in
 * `left` (NULL entries skipped) are recorded for ref_store_cleanup_temps,
 * and the disk is not looked at.  INVALID (NULL store or id, or nleft
 * without left), NOT_FOUND when absent (nothing recorded). */
int ref_store_delete_job_leaving(struct ref_store *store, const GUID *id,
                                 const WCHAR *const *left, size_t nleft);

/*
 * Calls cb once per stored job of `owner` (NULL: every owner), in
 * creation order, with a record valid only during the call (copy what
 * you keep).  A non-zero return from cb stops the walk and is returned.
 * The walk reads one consistent snapshot.  INVALID, NOMEM, BUSY,
 * CORRUPT, IO.
 */
typedef int (*ref_store_job_cb)(const struct ref_store_job *job, void *ctx);
int ref_store_load_jobs(struct ref_store *store, const WCHAR *owner,
                        ref_store_job_cb cb, void *ctx);

/* ---- DO downloads ------------------------------------------------------- */

/* Whole record in one transaction; errors as ref_store_put_job. */
int ref_store_put_download(struct ref_store *store,
                           const struct ref_store_download *dl);
/* Deletes a download, forgetting its gone temporary names as
 * ref_store_delete_job does.  NOT_FOUND when absent. */
int ref_store_delete_download(struct ref_store *store, const GUID *id);
typedef int (*ref_store_download_cb)(const struct ref_store_download *dl,
                                     void *ctx);
/* As ref_store_load_jobs. */
int ref_store_load_downloads(struct ref_store *store, const WCHAR *owner,
                             ref_store_download_cb cb, void *ctx);

/*
 * Deletes, in one transaction, the jobs of `mode` (0/1; -1 = none) and
 * the downloads (if `downloads`) whose `modified` time is before
 * `cutoff` (JobInactivityTimeout: 90 days BITS, 30 days DO); the number
 * deleted goes to *n (may be NULL).  Write errors as above.
 */
int ref_store_purge(struct ref_store *store, int mode, int downloads,
                    uint64_t cutoff, unsigned *n);

/* ---- several processes (docs/store.md "Who runs the transfers") -------- */

/*
 * Tries, without waiting, to become the state directory's runner: an
 * exclusive flock(2) on `runner.lock` beside the database, held until
 * ref_store_release_runner / ref_store_close / process death.  Only the
 * runner transfers; *is_runner is 1 (now or already the runner) or 0
 * (another store, in this or another process, holds it).  INVALID, OPEN
 * (lock file cannot be opened), IO.
 */
int ref_store_acquire_runner(struct ref_store *store, int *is_runner);
/* Gives the runner role up (no-op when not held). */
void ref_store_release_runner(struct ref_store *store);
/*
 * *changed = 1 when another connection (another process or another store
 * object) committed since the previous call on this store (PRAGMA
 * data_version), else 0: the runner polls it to pick up jobs created or
 * resumed elsewhere.  The first call answers 0.  INVALID, BUSY, IO.
 */
int ref_store_changed(struct ref_store *store, int *changed);

/* ---- temporary files ---------------------------------------------------- */

struct ref_store_cleanup {
    unsigned removed; /* files deleted */
    unsigned missing; /* already gone (Complete/Cancel did it): forgotten */
    unsigned kept;    /* recorded but not ".tmp"-shaped: forgotten, kept */
    unsigned failed;  /* unlink failed for another reason than ENOENT */
};

/*
 * Deletes the temporary files the store has recorded (put_job,
 * put_download) that belong to no stored job or download and are not in
 * `live` (n names, may be 0/NULL: the caller's in-memory jobs), and
 * forgets them; only absolute names whose last component ends in ".tmp"
 * (the BITS form is BIT + 12 hex digits + .tmp, decisions R29) are ever
 * deleted, whatever was recorded.  Call it in the runner only.  Report
 * in *r (may be NULL).  INVALID, the write errors above.
 */
int ref_store_cleanup_temps(struct ref_store *store, const WCHAR *const *live,
                            size_t n, struct ref_store_cleanup *r);

/* ---- Test hooks (the store tests only; the library does not call them) -- */

/* The database's path (owned by the store), or NULL for NULL: the tests
 * check that messages name it. */
const char *ref_store_path(const struct ref_store *store);
/* 1 when a commit is not yet known to be on the disk, else 0 (also for
 * NULL): the tests of the group sync (S31) observe it. */
int ref_store_unsynced(struct ref_store *store);

#endif
