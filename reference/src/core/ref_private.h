/*
 * ref_private.h - the cross-file structures of the reference object model.
 *
 * Only what more than one file needs lives here: the job and its file
 * records (job.c owns them; file.c, error.c, enum_files.c and the queue
 * read them under the job's lock), the mode of an object and the code
 * substitution it implies, the constructors each COM class file exports
 * to the others, the queues, the scheduler and the notifier.  Each COM
 * class keeps its own struct in its file.  Layer core (docs/architecture.md
 * "Layers"): the mode, the string and validation helpers and the message
 * table are base's (ref_util.h).
 *
 * Locking: one mutex per job (job->lock) guards every field of the job and
 * of its file records except `ref` (atomic), `state`, `modified` and
 * `transfer_completed` (atomic, written only by the job's owner,
 * ref_job.c: see ref_job.h).  One mutex per queue.
 * Lock order: queue lock, then job lock.  No lock is held while calling
 * into client code (AddRef/Release/QueryInterface of a client object).
 */
#ifndef REF_PRIVATE_H
#define REF_PRIVATE_H

#include <pthread.h>
#include <stdint.h>

#include "ref_state.h"
#include "ref_util.h"

/* ---- the job and its files --------------------------------------------- */

/* One file of a job.  Owned by the job, freed with it; guarded by the
 * job's lock. */
struct file_rec {
    ULONG index;    /* position in the job, from 0 */
    WCHAR *remote;  /* NULL only for DO Job2::AddFile without URL */
    WCHAR *local;   /* NULL only for DO Job2::AddFile */
    WCHAR *file_id; /* DO files; NULL otherwise */
    enum ref_proto proto;
    BG_FILE_RANGE *ranges; /* NULL when the whole file is requested */
    DWORD nranges;
    UINT64 size;        /* remote size, BG_SIZE_UNKNOWN until known */
    UINT64 transferred; /* bytes written so far */
    BOOL done;          /* every requested byte transferred */
    BOOL completed;     /* delivered by Complete */
    BOOL validation;    /* IBackgroundCopyFile3 validation state */
    /* last HTTP response's headers as received (ISO-8859-1 bytes, I10;
     * widened to UTF-16 only when asked for), or NULL */
    char *response_headers;
    /* IDeliveryOptimizationFile2 */
    WCHAR *decryption_info;
    WCHAR *integrity_info;
    int integrity_mandatory; /* -1 never set, else 0/1 */
    struct ref_unk_box *sink;
    /* IBackgroundCopyFile6 */
    UINT64 position;
    BG_FILE_RANGE *requested;
    DWORD nrequested;
    /* Transfer state (ref_sched.c): validators of the bytes on disk. */
    char *etag;
    char *last_modified;
    /* The job store (ref_persist.c), job lock: the stored row of this
     * file is older than the record (progress or a file-level setter). */
    BOOL pst_dirty;
};

struct ref_xreq; /* ref_sched.c: the engine request of a job in flight */

struct ref_cred {
    BOOL set;
    WCHAR *user;
    WCHAR *password;
};

struct job {
    IBackgroundCopyJob5 IBackgroundCopyJob5_iface;
    IBackgroundCopyJobHttpOptions IBackgroundCopyJobHttpOptions_iface;
    IDeliveryOptimizationJob IDeliveryOptimizationJob_iface;
    IDeliveryOptimizationJob2 IDeliveryOptimizationJob2_iface;
    /* Two counts (decisions R8): `ref` holds the memory (the queue, the
     * scheduler, the notifier, persistence, files, errors and enumerators
     * pointing at the job, and all client references together as one);
     * `com_ref` is the clients' count, the one AddRef/Release return. */
    LONG ref;
    LONG com_ref;
    pthread_mutex_t lock;
    enum ref_mode mode;
    int state;                   /* BG_JOB_STATE; ref_job.c writes it */
    uint64_t created;            /* clock ticks */
    uint64_t modified;           /* clock ticks, atomic */
    uint64_t transfer_completed; /* 0 until TRANSFERRED; atomic */
    GUID id;
    BG_JOB_TYPE type;
    WCHAR owner[REF_SID_MAX];
    WCHAR *display_name;
    WCHAR *description; /* NULL = never set */
    BG_JOB_PRIORITY priority;
    ULONG notify_flags;
    struct ref_unk_box *notify;
    ULONG retry_delay;
    ULONG no_progress_timeout;
    BOOL no_progress_set; /* DO default follows the priority until set */
    ULONG error_count;
    BG_JOB_PROXY_USAGE proxy_usage;
    WCHAR *proxy_list;
    WCHAR *proxy_bypass;
    struct file_rec **files;
    ULONG nfiles;
    struct {
        BOOL set;
        BG_ERROR_CONTEXT context;
        HRESULT code;
        long file; /* index, or -1 */
    } error;
    BOOL resumed_once;
    /* IBackgroundCopyJob2 */
    WCHAR *cmd_program;
    WCHAR *cmd_parameters;
    WCHAR *reply_file;
    /* Upload jobs (ref_upsched.c): the server's session ("" / NULL: none),
     * the local file's mtime in ns when the upload began (decision
     * UP10), and the reply fetched (upload-reply).  The acknowledged
     * offset is the file's `transferred`. */
    WCHAR *up_session;
    UINT64 up_mtime;
    BOOL up_reply_done;
    /* The session's BITS-Host-Id (NULL: none), its fallback timeout in s
     * (UINT32_MAX: none given) and when it was first unreachable (s of
     * ref_clock_now_ticks, 0: reachable), decision UP17. */
    WCHAR *up_host_id;
    uint32_t up_host_fallback;
    UINT64 up_host_down;
    /* Upload-reply: the reply's progress, valid once reply_started. */
    BOOL reply_started;
    UINT64 reply_total, reply_bytes;
    struct ref_cred creds[2][5]; /* [target - 1][scheme - 1] */
    /* IBackgroundCopyJob3 / 4 */
    DWORD acl_flags;
    DWORD peer_flags;
    ULONG max_download_time;
    /* IBackgroundCopyJob5 */
    DWORD cost_flags;
    GUID notify_clsid;
    BOOL dynamic_content;
    BOOL high_performance;
    BOOL on_demand;
    UINT64 max_download_size;
    BG_AUTH_TARGET stored_cred_target;
    DWORD min_notify_interval;
    /* IBackgroundCopyJobHttpOptions */
    WCHAR *custom_headers;
    ULONG security_flags;
    struct ref_cert {
        BOOL set;
        BG_CERT_STORE_LOCATION location;
        WCHAR *store;
        BOOL by_id;
        BYTE hash[20];
        WCHAR *subject;
    } cert;
    /* Transfer bookkeeping (ref_sched.c), guarded by the job's lock. */
    struct {
        struct ref_xreq *xreq; /* request in flight, or NULL */
        uint64_t seq;          /* FIFO order among queued jobs */
        uint64_t retry_at;     /* TRANSIENT_ERROR: mono ms of the retry */
        uint64_t np_since;     /* first transient error without progress
                                  (mono ms + 1), 0 = none */
        BOOL cost_blocked;     /* waiting for an allowed network cost */
        uint64_t active_since; /* mono ms + 1 entering CONNECTING, 0 idle */
        uint64_t active_ms;    /* CONNECTING+TRANSFERRING since Resume */
    } run;
    /* Notification bookkeeping (ref_notify.c), guarded by its lock. */
    struct {
        BOOL mod_pending;  /* a JobModification is queued */
        uint64_t mod_last; /* mono ms of the last JobModification */
    } ntf;
    /* The job store's view (ref_persist.c), guarded by the job's lock. */
    struct {
        BOOL stored;  /* the store holds a record of this job ...       */
        ULONG nfiles; /* ... with the rows of files [0, nfiles)        */
        BOOL full;    /* the next write rewrites the whole record      */
        BOOL queued;  /* dirty file rows wait for the watch thread     */
        BOOL stale;   /* something changed since the last write        */
    } pst;
};

/* job.c: registers the COM faces a job and its callbacks need with core
 * (and starts core's wiring, ref_core_start); call before the first job
 * is made or restored (idempotent).  ref_job_create and the manager's
 * creation do. */
void ref_com_start(void);
/* Creates a job in SUSPENDED with the documented defaults, owned by
 * `owner`; one internal hold for the caller (ref_job_hand_out gives it
 * to a client).  E_OUTOFMEMORY. */
HRESULT ref_job_create(enum ref_mode mode, const WCHAR *display_name,
                       BG_JOB_TYPE type, const WCHAR *owner, struct job **out);
/* An internal hold on the job's memory (decisions R8): the last release
 * frees the job, its file records and releases its client interfaces
 * (hold no lock).  Clients never see this count. */
void ref_job_addref(struct job *job);
void ref_job_release(struct job *job);
/* The clients' COM count, shared by all the job's interfaces: AddRef and
 * Release return it.  While it is above 0 the clients together hold one
 * internal hold; the Release that takes it to 0 drops that hold and
 * returns 0, and the job lives on while the queue (or anything else)
 * holds it. */
ULONG ref_job_com_addref(struct job *job);
ULONG ref_job_com_release(struct job *job);
/* Hands the caller's internal hold on `job` to a client as one COM
 * reference (CreateJob, GetJob): the job's IBackgroundCopyJob. */
IBackgroundCopyJob *ref_job_hand_out(struct job *job);
/* The job's IBackgroundCopyJob pointer (no AddRef); ref_job.c. */
IBackgroundCopyJob *ref_job_iface(struct job *job);
/* The job behind an interface pointer made by this library, or NULL. */
struct job *ref_job_from_iface(IBackgroundCopyJob *iface);
/* Current state (atomic read). */
int ref_job_state(const struct job *job);

/* ---- the other COM classes' constructors ------------------------------- */

/* manager.c: a manager of `mode`, QueryInterface'd for riid.  Call
 * ref_manager_use_hooks first. */
HRESULT ref_manager_create(enum ref_mode mode, REFIID riid, void **ppv);
/* What the manager needs of the layers above it, wired by the entry layer
 * (factory.c registers its static const table before the first manager):
 * `start` wires the layers and opens the job store with its jobs and
 * downloads (every creation; once in effect), `new_job` commits a new job
 * before CreateJob returns it (S14), `sync` picks up other processes'
 * commits (GetJob, EnumJobs), `do_tearoff` makes the IDOManager tear-off
 * of a DO-mode manager.  So the COM classes import only core. */
struct ref_manager_hooks {
    void (*start)(void);
    HRESULT (*new_job)(struct job *job);
    void (*sync)(void);
    HRESULT (*do_tearoff)(IUnknown *outer, void **ppv);
};
void ref_manager_use_hooks(const struct ref_manager_hooks *hooks);
/* file.c: a file object for record `rec` of `job` (takes a job
 * reference); E_OUTOFMEMORY. */
HRESULT ref_file_create(struct job *job, struct file_rec *rec,
                        IBackgroundCopyFile **out);
/* file.c: the memory holds of files enumerators (decisions R8), apart
 * from the clients' count.  ref_file_keep turns the creation's client
 * reference into a hold; ref_file_hold takes one more; ref_file_unhold
 * drops one (the last frees the object when no client holds it). */
void ref_file_keep(IBackgroundCopyFile *file);
void ref_file_hold(IBackgroundCopyFile *file);
void ref_file_unhold(IBackgroundCopyFile *file);
/* ref_job.c: the temporary file of a record while it downloads,
 * `<directory of the local name>/BIT<job Data1 %08X><index %04X>.tmp`
 * (decisions R29), ref_alloc'd; NULL without a local name or out of
 * memory.  The engine writes there; Complete renames it, Cancel deletes
 * it. */
WCHAR *ref_file_temp_name(const struct job *job, const struct file_rec *rec);
/* The same name from `alloc` (the job store's buffers use malloc). */
WCHAR *ref_file_temp_name_with(const struct job *job,
                               const struct file_rec *rec,
                               void *(*alloc)(size_t));
/* error.c: an error object for the stored error; E_OUTOFMEMORY. */
HRESULT ref_error_create(struct job *job, BG_ERROR_CONTEXT context,
                         HRESULT code, long file, IBackgroundCopyError **out);
/* enum_jobs.c: an enumerator over `jobs` (takes over the array and one
 * reference per job; frees them on failure); E_OUTOFMEMORY. */
HRESULT ref_enum_jobs_create(struct job **jobs, ULONG n,
                             IEnumBackgroundCopyJobs **out);
/* enum_files.c: an enumerator over the job's files now; E_OUTOFMEMORY. */
HRESULT ref_enum_files_create(struct job *job, IEnumBackgroundCopyFiles **out);

/* ---- the queues (ref_queue.c; decisions R7, R8) ------------------------ */

/* Adds a new job to its mode's queue (the queue takes a reference),
 * enforcing the per-user and per-machine limits for non-administrators:
 * BG_E_TOO_MANY_JOBS_PER_MACHINE, BG_E_TOO_MANY_JOBS_PER_USER,
 * E_OUTOFMEMORY. */
HRESULT ref_queue_add(struct job *job);
/* Removes a job (no-op when absent) and drops the queue's reference. */
void ref_queue_remove(struct job *job);
/* Finds a non-final job by id, AddRef'd: S_OK, BG_E_NOT_FOUND (mode
 * code), E_ACCESSDENIED (another user's job, caller not admin). */
HRESULT ref_queue_find(enum ref_mode mode, const GUID *id, struct job **out);
/* A snapshot of the caller's (or, all_users, everybody's) non-final jobs,
 * each AddRef'd, in a ref_alloc'd array.  E_OUTOFMEMORY. */
HRESULT ref_queue_snapshot(enum ref_mode mode, int all_users, struct job ***out,
                           ULONG *n);

/* ---- transfers (ref_sched.c; docs/decisions.md I-series) -------------- */

/* Wakes the scheduler (starting it and the engine on first use): a job
 * became QUEUED, a slot or a property changed.  Never fails; hold any
 * lock. */
void ref_sched_kick(void);
/* Wakes the scheduler if it runs (a property it reads changed); never
 * starts it.  Hold any lock. */
void ref_sched_poke(void);
/* Job lock held: takes the job's request in flight away from it (NULL
 * when none) and stops the clock of MaxDownloadTime.  The caller must pass
 * the result to ref_sched_cancel() after releasing the lock. */
struct ref_xreq *ref_sched_detach_locked(struct job *job);
/* No lock held: stops a detached request (waits until the engine no
 * longer writes its file), records the valid bytes kept as the file's
 * progress (Suspend resumes from them) and frees it.  NULL is a no-op. */
void ref_sched_cancel(struct job *job, struct ref_xreq *x);
/* The scheduler starts jobs only while `on` (default 1): persistence
 * turns it off in a process that is not the runner. */
void ref_sched_set_runner(int on);
/* Job lock held: a Resume moved the job to QUEUED: reset the per-run
 * timers (MaxDownloadTime restarts, spec §3.4) and order it last among
 * the queued jobs. */
void ref_sched_resumed_locked(struct job *job);
/* Job lock held: when every range File6::RequestFileRanges asked for an
 * on-demand file is on disk, queues FileRangesTransferred with them and
 * forgets the request (I20). */
void ref_sched_ranges_check_locked(struct job *job, struct file_rec *rec);
/* Frees a file record's transfer fields. */
void ref_sched_rec_free(struct file_rec *rec);
/* No lock held, the job CANCELLED: an upload job's session gets its
 * Cancel-Session in the background (ref_upsched.c, decision UP12). */
void ref_upsched_cancel_session(struct job *job);
/* GetReplyData's limit (decision UP15): 1 MB read as 2^20 bytes. */
#define REF_REPLY_DATA_MAX 1048576u
/* Job lock held, upload-reply job: Complete moves the reply into the
 * reply file (an empty one when there was no reply).  0 or errno. */
int ref_upsched_deliver_reply_locked(struct job *job);
/* Job lock held, upload-reply job TRANSFERRED or ACKNOWLEDGED: the reply
 * in a CoTaskMemAlloc'd buffer (NULL when empty) and its length; over
 * REF_REPLY_DATA_MAX: BG_E_TOO_LARGE with *len the real size. */
HRESULT ref_upsched_reply_data_locked(const struct job *job, BYTE **buf,
                                      UINT64 *len);

/* ---- notifications (ref_notify.c; docs/decisions.md I-series) --------- */

enum ref_notify_kind {
    REF_NOTIFY_TRANSFERRED,  /* JobTransferred */
    REF_NOTIFY_ERROR,        /* JobError */
    REF_NOTIFY_MODIFICATION, /* JobModification (coalesced) */
    REF_NOTIFY_FILE,         /* Callback2::FileTransferred */
    REF_NOTIFY_RANGES,       /* Callback3::FileRangesTransferred */
};
/* Queues an event for the job (file: index for REF_NOTIFY_FILE, else
 * -1).  Delivery happens later on the notification thread with no lock
 * of the library held.  Hold any job lock; never fails visibly (an event
 * that cannot be allocated is dropped). */
void ref_notify_post(struct job *job, enum ref_notify_kind kind, long file);
/* REF_NOTIFY_RANGES for file `file` with a copy of ranges[0..n-1]. */
void ref_notify_post_ranges(struct job *job, long file,
                            const BG_FILE_RANGE *ranges, DWORD n);
/* Called by the job owner's transition function for every state change
 * (ref_job.c). */
void ref_notify_state(struct job *job, int from, int to);
/* The job became final: drops its queued events and, unless the caller
 * is the notification thread itself, waits for a callback of this job
 * that is running.  Hold no lock. */
void ref_notify_quiesce(struct job *job);
/* Job lock held, after SetNotifyInterface changed the registration
 * (I27): drops the job's queued events; a delivery that has not read
 * the registration yet calls nobody.  Returns a ticket for
 * ref_notify_wait_call: non-zero when a call of this job already started
 * on the notification thread (0 when the caller is that thread). */
uint64_t ref_notify_forget_locked(struct job *job);
/* No lock held: waits until the call of `ticket` returned (0: none). */
void ref_notify_wait_call(uint64_t ticket);
/* Non-zero on the notification thread. */
int ref_notify_on_thread(void);

/* The COM objects a callback hands the client: an IBackgroundCopyError
 * for JobError, an IBackgroundCopyFile for FileTransferred and
 * FileRangesTransferred.  The COM layer registers its constructors
 * (ref_job_create, before any job exists); the notifier calls through
 * them, so core does not import com (docs/architecture.md "Layers"). */
struct ref_notify_faces {
    HRESULT(*error)
    (struct job *job, BG_ERROR_CONTEXT context, HRESULT code, long file,
     IBackgroundCopyError **out);
    HRESULT(*file)
    (struct job *job, struct file_rec *rec, IBackgroundCopyFile **out);
};
void ref_notify_use_faces(const struct ref_notify_faces *faces);

/* ---- the core layer's wiring (ref_core.c) ----------------------------- */

/* Registers the job owner's table of the scheduler, the notifier and the
 * queue; call before the first job is made or restored (idempotent). */
void ref_core_start(void);

#endif
