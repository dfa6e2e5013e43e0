/*
 * ref_job_props.h - the table of a job's stored properties, one row each.
 * Data only (an X-macro list and two byte helpers): it imports nothing of
 * the reference and calls nothing.
 *
 * From these rows come the property defaults of a new job and the merge
 * of another process's change (ref_job.c), the job <-> record conversion
 * and the bounds a record read back must respect (ref_persist.c), and the
 * store's job columns (ref_store.c).  Adding a property is one row here
 * (plus its fields in struct job and struct ref_store_job, and, for a
 * database that exists, a migration adding the column: docs/store.md).
 * The identity of a job (id, mode, type, owner), its state and times,
 * its credentials and its files are not rows: the owner and the store
 * handle them on their own.
 *
 * X(column, job field, record field, kind, default, min, max, merge)
 *   kind    I32, U32, U64 (numbers), WSTR (string, NULL = never set),
 *           GUID, HASH20 (bytes); the store's column type follows it
 *   default a new job's value (numbers; strings and bytes start empty);
 *           the names are the API's (only files that know them expand
 *           the defaults and bounds: the store never does)
 *   min/max the values a record read back may hold (numbers; a value
 *           outside gets the default)
 *   merge   PROP the watch thread carries it from the store always;
 *           ENGINE only while this process does not run the job (the
 *           runner's engine changed it)
 */
#ifndef REF_JOB_PROPS_H
#define REF_JOB_PROPS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define REF_U32_MAX 0xFFFFFFFFull
#define REF_U64_MAX 0xFFFFFFFFFFFFFFFFull

/* The kinds of the rows (REF_PK_ ## kind) and their merge rule. */
enum ref_prop_kind {
    REF_PK_I32,
    REF_PK_U32,
    REF_PK_U64,
    REF_PK_WSTR,
    REF_PK_GUID,
    REF_PK_HASH20
};
enum ref_prop_merge { REF_PM_PROP, REF_PM_ENGINE };

/* A number of `size` bytes at p (signed when `sgn`), widened. */
static inline int64_t ref_prop_get(const void *p, size_t size, int sgn)
{
    if (size == 8) {
        int64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    if (size == 4) {
        uint32_t v;
        memcpy(&v, p, 4);
        return sgn ? (int64_t)(int32_t)v : (int64_t)v;
    }
    if (size == 2) {
        uint16_t v;
        memcpy(&v, p, 2);
        return sgn ? (int64_t)(int16_t)v : (int64_t)v;
    }
    return sgn ? (int64_t) * (const int8_t *)p : (int64_t) * (const uint8_t *)p;
}

/* Stores v in the `size` bytes at p (narrowed). */
static inline void ref_prop_put(void *p, size_t size, int64_t v)
{
    if (size == 8) {
        memcpy(p, &v, 8);
    } else if (size == 4) {
        uint32_t n = (uint32_t)v;
        memcpy(p, &n, 4);
    } else if (size == 2) {
        uint16_t n = (uint16_t)v;
        memcpy(p, &n, 2);
    } else {
        *(uint8_t *)p = (uint8_t)v;
    }
}

#define REF_JOB_PROPS(X)                                                       \
    X("display_name", display_name, display_name, WSTR, 0, 0, 0, PROP)         \
    X("description", description, description, WSTR, 0, 0, 0, PROP)            \
    X("priority", priority, priority, I32, BG_JOB_PRIORITY_NORMAL, 0,          \
      BG_JOB_PRIORITY_LOW, PROP)                                               \
    X("notify_flags", notify_flags, notify_flags, U32,                         \
      BG_NOTIFY_JOB_TRANSFERRED | BG_NOTIFY_JOB_ERROR, 0, REF_U32_MAX, PROP)   \
    X("notify_clsid", notify_clsid, notify_clsid, GUID, 0, 0, 0, PROP)         \
    X("notify_program", cmd_program, notify_program, WSTR, 0, 0, 0, PROP)      \
    X("notify_parameters", cmd_parameters, notify_parameters, WSTR, 0, 0, 0,   \
      PROP)                                                                    \
    X("reply_file", reply_file, reply_file, WSTR, 0, 0, 0, PROP)               \
    X("retry_delay", retry_delay, retry_delay, U32, 600, 5, REF_U32_MAX, PROP) \
    X("no_progress_timeout", no_progress_timeout, no_progress_timeout, U32,    \
      1209600, 0, REF_U32_MAX, PROP)                                           \
    X("no_progress_set", no_progress_set, no_progress_set, I32, 0, 0, 1, PROP) \
    X("max_download_time", max_download_time, max_download_time, U32, 7776000, \
      0, REF_U32_MAX, PROP)                                                    \
    X("proxy_usage", proxy_usage, proxy_usage, I32,                            \
      BG_JOB_PROXY_USAGE_PRECONFIG, 0, BG_JOB_PROXY_USAGE_AUTODETECT, PROP)    \
    X("proxy_list", proxy_list, proxy_list, WSTR, 0, 0, 0, PROP)               \
    X("proxy_bypass", proxy_bypass, proxy_bypass, WSTR, 0, 0, 0, PROP)         \
    X("custom_headers", custom_headers, custom_headers, WSTR, 0, 0, 0, PROP)   \
    X("security_flags", security_flags, security_flags, U32, 0, 0,             \
      REF_U32_MAX, PROP)                                                       \
    X("cert_set", cert.set, cert.set, I32, 0, 0, 1, PROP)                      \
    X("cert_location", cert.location, cert.location, U32, 0, 0,                \
      BG_CERT_STORE_LOCATION_LOCAL_MACHINE_ENTERPRISE, PROP)                   \
    X("cert_store", cert.store, cert.store, WSTR, 0, 0, 0, PROP)               \
    X("cert_by_id", cert.by_id, cert.by_id, I32, 0, 0, 1, PROP)                \
    X("cert_hash", cert.hash, cert.hash, HASH20, 0, 0, 0, PROP)                \
    X("cert_subject", cert.subject, cert.subject, WSTR, 0, 0, 0, PROP)         \
    X("acl_flags", acl_flags, acl_flags, U32, 0, 0, REF_U32_MAX, PROP)         \
    X("peer_flags", peer_flags, peer_flags, U32, 0, 0, REF_U32_MAX, PROP)      \
    X("cost_flags", cost_flags, cost_flags, U32,                               \
      BITS_COST_STATE_TRANSFER_NOT_ROAMING /* D9 */, 0, REF_U32_MAX, PROP)     \
    X("dynamic_content", dynamic_content, dynamic_content, I32, 0, 0, 1, PROP) \
    X("high_performance", high_performance, high_performance, I32, 0, 0, 1,    \
      PROP)                                                                    \
    X("on_demand", on_demand, on_demand, I32, 0, 0, 1, PROP)                   \
    X("max_download_size", max_download_size, max_download_size, U64, 0, 0,    \
      REF_U64_MAX, PROP)                                                       \
    X("stored_cred_target", stored_cred_target, stored_cred_target, U32, 0, 0, \
      BG_AUTH_TARGET_PROXY, PROP)                                              \
    X("min_notify_interval", min_notify_interval, min_notify_interval, U32,    \
      500, 0, REF_U32_MAX, PROP)                                               \
    X("error_set", error.set, error.set, I32, 0, 0, 1, ENGINE)                 \
    X("error_context", error.context, error.context, U32, 0, 0,                \
      BG_ERROR_CONTEXT_SERVER_CERTIFICATE_CALLBACK, ENGINE)                    \
    X("error_code", error.code, error.code, U32, 0, 0, REF_U32_MAX, ENGINE)    \
    X("error_file", error.file, error.file, I32, -1, -1, 0x7FFFFFFF, ENGINE)   \
    X("error_count", error_count, error_count, U32, 0, 0, REF_U32_MAX, ENGINE) \
    X("resumed_once", resumed_once, resumed_once, I32, 0, 0, 1, PROP)          \
    X("up_session", up_session, up_session, WSTR, 0, 0, 0, ENGINE)             \
    X("up_mtime", up_mtime, up_mtime, U64, 0, 0, REF_U64_MAX, ENGINE)          \
    X("up_reply_done", up_reply_done, up_reply_done, I32, 0, 0, 1, ENGINE)     \
    X("up_host_id", up_host_id, up_host_id, WSTR, 0, 0, 0, ENGINE)             \
    X("up_host_fallback", up_host_fallback, up_host_fallback, U32,             \
      REF_U32_MAX, 0, REF_U32_MAX, ENGINE)                                     \
    X("up_host_down", up_host_down, up_host_down, U64, 0, 0, REF_U64_MAX,      \
      ENGINE)                                                                  \
    X("reply_started", reply_started, reply_started, I32, 0, 0, 1, ENGINE)     \
    X("reply_total", reply_total, reply_total, U64, REF_U64_MAX, 0,            \
      REF_U64_MAX, ENGINE)                                                     \
    X("reply_bytes", reply_bytes, reply_bytes, U64, 0, 0, REF_U64_MAX, ENGINE)

#endif
