/*
 * do_private.h - the cross-file structures of the DO-native API
 * (IDOManager, IDODownload, IDODownloadInternal; docs/do-api.md).
 *
 * do_props.c owns the property table (one static const row per
 * DODownloadProperty: VARIANT type, access, states in which SetProperty is
 * allowed, default) and the property storage of a download;
 * do_download.c owns the COM object and its state machine; do_service.c
 * owns the list of live downloads, their reference on the process's
 * engine (ref_shared_engine.h) and the one worker thread that delivers
 * OnStatusChange callbacks, writes stream sinks and runs the timers;
 * do_manager.c and do_enum.c are the manager tear-off and the
 * IEnumUnknown.  The simulated network (cost state, cellular) is
 * ref_network.h, shared with the BITS scheduler.
 *
 * Locking: d->op serialises the calls that submit or cancel engine
 * requests (Start, Pause, Abort, Finalize, SetProperty(Uri), the worker's
 * retries and timeouts); d->lock guards every field.  Order: d->op, then
 * d->lock, then the service lock.  Engine callbacks take d->lock only.  No
 * lock is held while calling client code (callbacks, streams, AddRef and
 * Release of client objects) or ref_engine_cancel().  Layer do
 * (docs/architecture.md "Layers"): imports base, model, engine, core,
 * persist and the store; the service, the download and its records reach
 * each other through the tables declared here.
 */
#ifndef DO_PRIVATE_H
#define DO_PRIVATE_H

#include "ref_private.h"

#include <DODownloadInternal.h>
#include <stdbool.h>

#include "ref_engine.h"

/* ---- the property table (do_props.c) ---------------------------------- */

#define DO_PROP_COUNT 30 /* DODownloadProperty_Id .. _HttpStatusCode */
#define DO_STATE_COUNT 6 /* DODownloadState_Created .. _Paused */

/* State masks of the table. */
#define DO_S(s) (1u << (s))
#define DO_S_CREATED DO_S(DODownloadState_Created)
#define DO_S_LIVE                                                              \
    (DO_S(DODownloadState_Created) | DO_S(DODownloadState_Transferring) |      \
     DO_S(DODownloadState_Transferred) | DO_S(DODownloadState_Paused))

enum do_access { DO_RW, DO_RO, DO_WO };
enum do_default {
    DO_DEF_NOT_SET, /* GetProperty → E_NOT_SET until set */
    DO_DEF_VALUE,   /* GetProperty → def_value until set */
    DO_DEF_LIVE,    /* computed (Id; TotalSizeBytes once the size is known;
                       Http* from the last response) */
};

struct do_prop_info {
    DODownloadProperty id;
    const char *name; /* "Uri" (DODownloadProperty_ omitted) */
    VARTYPE vt;       /* the only type SetProperty accepts/Get returns */
    enum do_access access;
    unsigned set_states; /* DO_S() mask where SetProperty may change it */
    enum do_default def;
    UINT64 def_value;   /* DO_DEF_VALUE (VARIANT_TRUE/FALSE for VT_BOOL) */
    bool enum_category; /* usable in DO_DOWNLOAD_ENUM_CATEGORY */
    const char *effect; /* one line for docs/do-api.md */
};

/* The table, indexed by id; *count receives DO_PROP_COUNT. */
const struct do_prop_info *do_prop_table(size_t *count);
/* The row of id, or NULL for an unknown id. */
const struct do_prop_info *do_prop_find(int id);
/* "Created", "Transferring", ... or "?" (static). */
const char *do_state_name(int state);

/* One stored value.  Strings are ref_alloc'd UTF-16; boxes hold a client
 * interface (release outside every lock). */
struct do_val {
    bool set;
    WCHAR *s;                /* VT_BSTR */
    UINT64 n;                /* VT_UI4, VT_UI8, VT_BOOL (0/1) */
    struct ref_unk_box *box; /* VT_UNKNOWN */
    BYTE *bytes;             /* VT_ARRAY | VT_UI1 */
    ULONG nbytes;
};

/* ---- the download ------------------------------------------------------ */

#define DO_NOTES_MAX 16
#define DO_ID_CHARS 39 /* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" + NUL */

struct do_attempt; /* do_download.c: one engine request */

struct do_download {
    IDODownload IDODownload_iface;
    IDODownloadInternal IDODownloadInternal_iface;
    /* Two counts, as a BITS job's (decisions R8): `ref` holds the memory
     * (the service list, engine attempts, snapshots and enumerators, and
     * all client references together as one); `com_ref` is the clients'
     * count, the one AddRef/Release of both interfaces return. */
    LONG ref;
    LONG com_ref;
    pthread_mutex_t op;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* state changes, callback returned */
    GUID guid;
    WCHAR id[DO_ID_CHARS];
    WCHAR owner[REF_SID_MAX];
    bool listed; /* in the service list (holds one reference) */
    struct do_download *next;

    /* status */
    DODownloadState state;
    HRESULT error, ext_error;
    UINT64 bytes_total, bytes_done;
    bool transient_pause; /* Paused by the service; retried by itself */
    int blocked;          /* 0, or the DO_E_BLOCKED_* code holding it */

    /* properties, indexed by DODownloadProperty */
    struct do_val props[DO_PROP_COUNT];
    bool auth_sent; /* HttpCustomAuthHeaders added after a 401 */

    /* transfer */
    struct do_attempt *att;   /* engine request in flight, or NULL */
    uint64_t gen;             /* bumped by every submit and cancel */
    struct ref_range *ranges; /* current request; NULL = whole file */
    size_t nranges;
    char *temp_path;      /* engine output (whole file: the staging file) */
    char *stage_path;     /* LocalPath sink: becomes LocalPath at Finalize */
    bool ranged_stage;    /* stage holds pieces at their offsets */
    uint64_t resume;      /* valid bytes at the head of temp_path */
    uint64_t remote_size; /* REF_SIZE_UNKNOWN until known */
    char *etag, *last_modified;
    bool have_result; /* an on_done is waiting for the worker */
    struct {
        enum ref_err_kind kind;
        int code;
        uint64_t bytes, total, remote_size;
        bool content_changed;
        long http_status;
    } result;
    uint64_t retry_at; /* mono ms; 0 = no retry pending */
    unsigned retries;
    uint64_t progress_ms;       /* mono ms of the last progress (no-progress) */
    uint64_t streamed;          /* stream sink: bytes written to the stream */
    struct ref_unk_box *stream; /* the IStream/ISequentialStream to write */

    /* notifications */
    DO_DOWNLOAD_STATUS notes[DO_NOTES_MAX];
    unsigned nnotes;
    uint64_t cb_last_ms;         /* mono ms of the last progress callback */
    UINT64 cb_last_bytes;        /* bytes in the last callback */
    bool in_callback;            /* the worker is in OnStatusChange for it */
    struct ref_unk_box *calling; /* the callback it is calling, or NULL */

    /* the job store (ref_persist.c; NonVolatile downloads only) */
    bool stored;      /* a record of it is in the store */
    uint64_t created; /* clock ticks of the first write, 0 before */
};

/* do_download.c: the legal state changes (spec §9.2), for docs/tests. */
struct do_transition {
    DODownloadState from, to;
    const char *why;
};
const struct do_transition *do_transitions(size_t *count);

/* do_download.c: a new download in Created owned by `owner` (one
 * reference for the caller), listed in the service.  E_OUTOFMEMORY. */
HRESULT do_download_create(const WCHAR *owner, IDODownload **out);
/* The download behind an interface pointer made by this library, or
 * NULL (no reference added). */
struct do_download *do_download_from_iface(IUnknown *unk);
void do_download_addref(struct do_download *d);
void do_download_release(struct do_download *d);
/* Worker: one pass over the download (stream writes, the engine's
 * result, policy blocks, retries, timeouts, callbacks).  Hold no lock.
 * Returns when the download must be looked at again without an event
 * (ref_clock ms, UINT64_MAX = never) and sets *poll while it depends on
 * the simulated network (ref_network.h); leaves *poll alone otherwise. */
uint64_t do_download_pump(struct do_download *d, bool *poll);
/* The BITS_COST_STATE_TRANSFER_* mask of the same meaning
 * as a DODownloadCostPolicy (0 for an unknown policy; DO-9): the download
 * may transfer while the network's cost state (ref_network_cost) has a
 * bit in it. */
DWORD do_cost_policy_mask(ULONG policy);

/* do_props.c: GetProperty / SetProperty on the table and storage.  The
 * caller holds no lock; these take d->lock (and d->op for the properties
 * whose change restarts the transfer). */
HRESULT do_props_get(struct do_download *d, int id, VARIANT *out);
HRESULT do_props_set(struct do_download *d, int id, const VARIANT *val);
/* d->lock held: frees the value (client boxes are moved to *boxes, up to
 * two, for release after unlocking). */
void do_val_clear(struct do_val *v, struct ref_unk_box **box_out);
/* d->lock held: stores a string property (RO ones from the worker). */
HRESULT do_val_set_str(struct do_val *v, const WCHAR *s);
/* d->lock held: the UTF-8 copy of a string property, or NULL. */
char *do_prop_utf8(struct do_download *d, int id);
/* d->lock held: a numeric property, or def when never set. */
UINT64 do_prop_num(struct do_download *d, int id, UINT64 def);
/* d->lock held: pushes a status snapshot for OnStatusChange. */
void do_note_push(struct do_download *d);

/* ---- the download's observer (do_download.c) ------------------------- */

/* Told of every state change and successful SetProperty, d->lock held:
 * S_OK or the HRESULT SetProperty returns (S14).  Persistence's writer of
 * NonVolatile downloads registers it (do_persist.c), so the download
 * imports nothing of its records; none registered: nothing is written,
 * as when the job store is off. */
struct do_download_observer {
    HRESULT (*changed_locked)(struct do_download *d);
};
void do_download_observe(const struct do_download_observer *ops);

/* ---- the service (do_service.c) --------------------------------------- */

/* What the worker does with a listed download: take and drop its
 * reference, run its pass (do_download_pump).  do_download.c registers
 * its static const table before it lists the first download
 * (do_service_use), so the service does not call into the download's
 * file and the two are no circle. */
struct do_service_items {
    void (*addref)(struct do_download *d);
    void (*release)(struct do_download *d);
    uint64_t (*pump)(struct do_download *d, bool *poll);
};
void do_service_use(const struct do_service_items *items);

/* Adds a new download (the list takes a reference). */
void do_service_add(struct do_download *d);
/* Removes it (no-op if absent) and drops the list's reference; hold no
 * lock. */
void do_service_remove(struct do_download *d);
/* A snapshot of the listed downloads owned by `owner`, each AddRef'd, in
 * a ref_alloc'd array.  E_OUTOFMEMORY. */
HRESULT do_service_snapshot(const WCHAR *owner, struct do_download ***out,
                            ULONG *n);
/* The engine the downloads use, started on first call: S_OK with *out
 * set, or E_OUTOFMEMORY / E_FAIL (thread or libcurl setup failed) with
 * *out NULL. */
HRESULT do_service_engine(ref_engine **out);
/* Wakes the worker (any lock may be held). */
void do_service_kick(void);
/* Non-zero on the worker thread (callbacks run there). */
int do_service_on_worker(void);
/* Test hook: aborts and drops every download, stops the worker and
 * drops the service's engine reference (the shared engine stops when no
 * BITS scheduler holds one; both start again on next use). */
void do_service_reset(void);
/* Test hook: fn (NULL = none) is called on the worker thread, service
 * lock held, each time the worker wakes up (test_net counts them). */
void do_service_set_wake_hook(void (*fn)(void));

/* ---- persistence of NonVolatile downloads (do_persist.c) -------------- */

/* Registers the loader of stored downloads with persistence and the
 * writer of NonVolatile downloads with the download (do_download_observe);
 * call before ref_persist_start (the BITS manager's creation does). */
void do_persist_attach(void);

/* ---- the manager (do_manager.c) and enumerator (do_enum.c) ------------ */

/* The IDOManager tear-off of a DO-mode manager: forwards QueryInterface to
 * `outer` (so IUnknown identity is the manager's) and keeps a reference
 * on it.  S_OK with *ppv = the IDOManager, E_OUTOFMEMORY. */
HRESULT do_manager_tearoff(IUnknown *outer, void **ppv);
/* An IEnumUnknown over `items` (takes over the array and one reference
 * per item; frees them on failure).  E_OUTOFMEMORY. */
HRESULT do_enum_create(IUnknown **items, ULONG n, IEnumUnknown **out);

#endif
