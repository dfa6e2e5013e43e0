/*
 * ref_util.h - the base layer's helpers that every other layer of the
 * reference shares (docs/architecture.md "Layers": base imports nothing
 * of the reference): the object's mode and the code substitution it
 * implies, the live-object count, the client-interface box, UTF-16 and
 * GUID helpers, the validation of remote names, local names and ranges
 * (ref_util.c) and the message table (ref_msg.c).  No job, no COM class:
 * those are core's (ref_private.h) and com's.
 */
#ifndef REF_UTIL_H
#define REF_UTIL_H

#include <bits.h>
#include <bits1_5.h>
#include <bits2_0.h>
#include <bits2_5.h>
#include <bits3_0.h>
#include <bits4_0.h>
#include <bits5_0.h>
#include <bits10_1.h>
#include <bitsmsg.h>
#include <deliveryoptimization.h>
#include <deliveryoptimizationerrors.h>

#include <stdint.h>

#include "ref_alloc.h"
#include "ref_clock.h"
#include "ref_owner.h"
#include "ref_policy.h"

/* The impl struct that embeds the interface `ptr` points at (Wine's
 * CONTAINING_RECORD). */
#define REF_CONTAINER(ptr, type, field)                                        \
    ((type *)((char *)(ptr)-offsetof(type, field)))

/* ---- modes (docs/decisions.md D1) -------------------------------------- */

enum ref_mode { REF_MODE_BITS = 0, REF_MODE_DO = 1 };
#define REF_MODE_COUNT 2

/* The code for a condition whose BITS code is `bits`: the spec/errors.md
 * §4.2 substitute in DO mode, `bits` otherwise. */
HRESULT ref_hr(enum ref_mode mode, HRESULT bits);

/* ---- live objects (DllCanUnloadNow, decisions R9) ---------------------- */

/* Every COM object of the library calls created() once when made and
 * destroyed() once when freed; alive() is the difference. */
void ref_object_created(void);
void ref_object_destroyed(void);
long ref_objects_alive(void);

/* ---- a client's IUnknown, shared without holding locks ----------------- */

/*
 * A reference-counted holder of one client interface pointer, so a job
 * can hand the pointer out (GetNotifyInterface) or drop it without calling
 * client code under its lock: take the box under the lock, then AddRef or
 * release the client object after unlocking.
 */
struct ref_unk_box {
    LONG ref;
    IUnknown *punk;
};
/* AddRefs punk (a call into client code: hold no lock).  NULL when out of
 * memory (punk untouched). */
struct ref_unk_box *ref_unk_box_new(IUnknown *punk);
/* Adds a reference to the box (not to the client object); NULL ok. */
void ref_unk_box_addref(struct ref_unk_box *box);
/* Last release Releases the client object: hold no lock.  NULL ok. */
void ref_unk_box_release(struct ref_unk_box *box);

/* ---- remote names ------------------------------------------------------ */

enum ref_proto {
    REF_PROTO_NONE = 0, /* no remote name (DO Job2::AddFile) */
    REF_PROTO_HTTP,     /* http:// or https:// */
    REF_PROTO_FILE      /* file:// URL or absolute local path */
};

/* ---- messages (ref_msg.c; decisions R23) ------------------------------- */

/* English text of an HRESULT from the message table, or NULL. */
const WCHAR *ref_msg_text(HRESULT hr);
/* CoTaskMemAlloc'd description of hr for LanguageId `lang` (see R23):
 * S_OK, E_INVALIDARG (lang 0 when !zero_ok),
 * HRESULT_FROM_WIN32(ERROR_RESOURCE_LANG_NOT_FOUND), E_OUTOFMEMORY. */
HRESULT ref_msg_describe(HRESULT hr, DWORD lang, int zero_ok, LPWSTR *out);
/* Same for an error context. */
HRESULT ref_msg_describe_context(BG_ERROR_CONTEXT ctx, DWORD lang, LPWSTR *out);

/* ---- helpers (ref_util.c) ---------------------------------------------- */

/* Length in UTF-16 units (0 for NULL); code-unit comparison (NULL sorts
 * first). */
size_t ref_wcslen(const WCHAR *s);
int ref_wcscmp(const WCHAR *a, const WCHAR *b);
/* ref_alloc'd copy (NULL for NULL input or out of memory). */
WCHAR *ref_wcsdup(const WCHAR *s);
/* ref_alloc'd concatenation a + b (NULL out of memory). */
WCHAR *ref_wcscat2(const WCHAR *a, size_t alen, const WCHAR *b);
/* CoTaskMemAlloc'd copy through the seam (NULL input gives NULL with
 * S_OK): S_OK or E_OUTOFMEMORY. */
HRESULT ref_task_wcsdup(const WCHAR *s, LPWSTR *out);
/* A CoTaskMemAlloc'd UTF-16 copy of ISO-8859-1 bytes s (NULL stays NULL):
 * S_OK or E_OUTOFMEMORY. */
HRESULT ref_task_widen(const char *s, LPWSTR *out);
/* The same copy made with ref_alloc; NULL for NULL or out of memory.
 * Header values, URLs and validators travel as bytes inside the engine;
 * these two are the reference's only way back to UTF-16 for them. */
WCHAR *ref_widen(const char *s);
/* ref_alloc'd UTF-8 copy, or NULL (out of memory or bad UTF-16). */
char *ref_utf8(const WCHAR *s);
/* A new random (version 4) GUID. */
void ref_guid_new(GUID *g);

/* Validates a remote name for `mode` (decisions R12): S_OK and its
 * protocol, or E_INVALIDARG. */
HRESULT ref_check_remote(enum ref_mode mode, const WCHAR *url,
                         enum ref_proto *proto);
/* Validates a local name (R13) for a download (`upload` 0: directory
 * must exist and be writable) or an upload (file must exist and be
 * readable): S_OK, E_INVALIDARG, E_ACCESSDENIED, E_OUTOFMEMORY. */
HRESULT ref_check_local(const WCHAR *path, int upload);
/* The answer of the last download directory checked, so a call adding
 * many files to one directory checks it once (I26).  Zero it before the
 * first use; ref_local_memo_free after the last. */
struct ref_local_memo {
    char *dir; /* UTF-8, ref_alloc'd; NULL: nothing yet */
    HRESULT hr;
};
/* ref_check_local, remembering the directory's answer in `memo`. */
HRESULT ref_check_local_memo(const WCHAR *path, int upload,
                             struct ref_local_memo *memo);
void ref_local_memo_free(struct ref_local_memo *memo);
/* Validates a range list (R15) in `mode`: S_OK, BG_E_INVALID_RANGE,
 * BG_E_OVERLAPPING_RANGES (mode codes), BG_E_TOO_MANY_RANGES_IN_FILE.
 * known_size bounds offsets unless BG_SIZE_UNKNOWN. */
HRESULT ref_check_ranges(enum ref_mode mode, const BG_FILE_RANGE *ranges,
                         DWORD n, UINT64 known_size);

/* Non-zero when DOREF_LOG is set and not empty.  Read once: the engine,
 * scheduler, notifier and DO worker threads ask, and a getenv on them
 * would race a setenv of the embedding program (decisions E12). */
int ref_log_on(void);

#endif
