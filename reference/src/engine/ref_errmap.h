/*
 * ref_errmap.h - the one table from transport outcomes to HRESULTs.
 *
 * The engine (ref_engine.c) speaks CURLcode, HTTP status and errno, plus a
 * few integrity verdicts of its own (ref_transfer.h).  This module owns the
 * only place where those become HRESULTs: one static const table maps each
 * {kind, code} to the BITS-mode HRESULT, the DO-mode HRESULT, the
 * BG_ERROR_CONTEXT of each mode and whether the job goes to TRANSIENT_ERROR
 * (retried) or ERROR (fatal).  The same table renders itself as markdown for
 * docs/engine.md, so the documentation cannot drift from the code.
 * Layer engine; the kinds it maps are in ref_err_kind.h.
 */
#ifndef REF_ERRMAP_H
#define REF_ERRMAP_H

#include <bits.h>
#include <stdbool.h>
#include <stddef.h>

#include "ref_err_kind.h"

/* How a row computes its HRESULT. */
enum ref_hr_rule {
    REF_HR_FIXED,       /* the row's constant */
    REF_HR_HTTP_STATUS, /* 0x80190000 | status (BG_E_HTTP_ERROR_<s>) */
    REF_HR_WIN32_STATUS /* HRESULT_FROM_WIN32(status) (refused redirect) */
};

/* One row of the table.  code..code_hi is an inclusive range (HTTP status
 * classes); REF_ERRMAP_ANY in code makes the row the kind's default. */
struct ref_errmap_row {
    enum ref_err_kind kind;
    int code, code_hi;
    const char *code_name;
    enum ref_hr_rule rule_bits;
    HRESULT hr_bits;
    const char *hr_bits_name;
    enum ref_hr_rule rule_do;
    HRESULT hr_do;
    const char *hr_do_name;
    BG_ERROR_CONTEXT ctx_bits, ctx_do;
    bool transient;
    const char *why;
};

#define REF_ERRMAP_ANY (-1)

/* The answer for one outcome in one mode. */
struct ref_errmap_entry {
    HRESULT hr;
    BG_ERROR_CONTEXT context;
    bool transient;
    const struct ref_errmap_row *row; /* the row that matched (static) */
};

/*
 * Classifies {kind, code} for BITS mode (do_mode false) or DO mode.
 * Every kind has a default row, so every input maps somewhere; REF_ERR_NONE
 * gives {S_OK, BG_ERROR_CONTEXT_NONE, transient false, row NULL}.  out must
 * not be NULL.  Pure, thread-safe.
 */
void ref_errmap_lookup(enum ref_err_kind kind, int code, bool do_mode,
                       struct ref_errmap_entry *out);

/* The rows, for tests and docs: *count receives the number of rows. */
const struct ref_errmap_row *ref_errmap_rows(size_t *count);

/* "CURL", "HTTP", "errno", "engine" or "none". Static string. */
const char *ref_errmap_kind_name(enum ref_err_kind kind);

/* Name of a BG_ERROR_CONTEXT value ("BG_ERROR_CONTEXT_REMOTE_FILE"), or
 * "?" for a value outside the enum.  Static string. */
const char *ref_errmap_context_name(BG_ERROR_CONTEXT ctx);

/*
 * Renders the whole table as a markdown table into a new NUL-terminated
 * string from ref_alloc (the caller frees it with ref_free()).  NULL when
 * out of memory.
 */
char *ref_errmap_markdown(void);

#endif
