/*
 * ref_persist.h - the wiring between the live job objects and the job
 * store (ref_store.h, docs/store.md "Wiring"): the first manager of the
 * process opens the store, registers as the observer of the job's owner
 * (ref_job.h) and reloads the jobs; every change of a job is committed in
 * one transaction before it takes effect, so a store write that fails is
 * reported to the caller with the job unchanged.  ref_persist.c owns it.
 * Layer persist (docs/architecture.md "Layers"): the do layer's records
 * use the store and the conversions declared at the end.
 */
#ifndef REF_PERSIST_H
#define REF_PERSIST_H

#include "ref_job.h"

/*
 * Opens the store once per process (later calls return at once): the
 * state directory of ref_store_dir, the runner lock, the jobs of every
 * owner not completed or cancelled (QUEUED/CONNECTING/TRANSFERRING come
 * back QUEUED, files resume from the bytes on disk), purge of old
 * records and, in the runner, cleanup of orphan temporary files.  A
 * store that cannot be opened is reported once on stderr (and by
 * ref_persist_status) and the process runs without persistence.  Never
 * fails; thread-safe.
 */
void ref_persist_start(void);
/*
 * S_OK when the store is open; otherwise the HRESULT of the failure to
 * open it (ref_store_hresult), or S_FALSE before ref_persist_start.  When
 * msg is not NULL it gets the message (static storage, "" when open).
 */
HRESULT ref_persist_status(const char **msg);
/* Non-zero when this process holds the runner lock (or runs without a
 * store): only then does the scheduler transfer. */
int ref_persist_is_runner(void);

/*
 * Writes the whole job (job lock held) in one transaction.  S_OK (also
 * without a store, and for a final job); on a failed write the store's
 * HRESULT (ref_store_hresult: HRESULT_FROM_WIN32(ERROR_DISK_FULL),
 * E_ACCESSDENIED for a read-only store, HRESULT_FROM_WIN32(ERROR_BUSY)
 * when another process holds the write lock, E_FAIL) and one line on
 * stderr when DOREF_LOG is set.
 */
HRESULT ref_persist_job_locked(struct job *job);
/* CreateJob: writes the new job; on failure the caller removes it from
 * the queue and returns the HRESULT. */
HRESULT ref_persist_new_job(struct job *job);
/* The observer's state hook (ref_job_observe; the owner's transition
 * function calls it, job lock held): queues the job for the watch
 * thread's unsynced write (S25; written at once only when the queue
 * cannot grow), or deletes its record at once when it became final
 * (ACKNOWLEDGED, CANCELLED). */
void ref_persist_transition(struct job *job, int from, int to);
/* The engine learnt a file's size or validators or finished it (job
 * lock held): marks that file's row and queues the job for the watch
 * thread (S9). */
void ref_persist_file_locked(struct job *job, ULONG index);
/*
 * Picks up what other processes committed (PRAGMA data_version): new
 * jobs are added to the queue, changed ones updated, deleted ones
 * dropped; a process that is not the runner retries the runner lock.
 * GetJob, EnumJobs and a 200 ms watch thread call it.  Never fails.
 */
void ref_persist_sync(void);

/*
 * For the do layer's records of NonVolatile downloads (do_persist.c):
 * the open store (NULL when persistence is off or failed), the HRESULT of
 * a store error (S14), the DOREF_LOG line of a failure, and the value
 * conversions the job records use: an HTTP date <-> ticks (the date
 * malloc'd), an ASCII header value to malloc'd UTF-16 and back to
 * ref_alloc'd bytes.
 */
struct ref_store;
struct ref_store *ref_persist_store(void);
HRESULT ref_persist_store_hr(int err);
void ref_persist_complain(const char *what);
uint64_t ref_persist_date_ticks(const char *http_date);
char *ref_persist_ticks_date(uint64_t ticks);
WCHAR *ref_persist_widen_ascii(const char *s);
char *ref_persist_narrow_ascii(const WCHAR *w);
/* malloc'd UTF-8 of a path (NULL for NULL or out of memory). */
char *ref_persist_path_utf8(const WCHAR *w);

/* The loader of stored DO downloads that ref_persist_start runs (0 on
 * success); the do layer registers its static const table before the
 * start (do_persist_attach), so persistence imports nothing of it. */
struct ref_persist_downloads {
    int (*load)(struct ref_store *s);
};
void ref_persist_use_downloads(const struct ref_persist_downloads *ops);

#endif
