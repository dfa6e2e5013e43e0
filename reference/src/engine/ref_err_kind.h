/*
 * ref_err_kind.h - what the code of a transport outcome means: the kinds
 * the engine and the transfer core report (ref_engine.h, ref_transfer.h)
 * and the error table maps (ref_errmap.h).  A header of its own so the
 * transfer core names the kinds without importing the table, which imports
 * the transfer core's verdicts: no include circle (docs/architecture.md
 * "Layers").
 */
#ifndef REF_ERR_KIND_H
#define REF_ERR_KIND_H

/* What the code of an outcome means. */
enum ref_err_kind {
    REF_ERR_NONE = 0, /* success; code is 0 */
    REF_ERR_CURL,     /* code is the CURLcode libcurl returned */
    REF_ERR_HTTP,     /* code is the final HTTP status (not 200/206) */
    REF_ERR_ERRNO,    /* code is errno of a local file operation */
    REF_ERR_ENGINE,   /* code is an enum ref_xfer_err (ref_transfer.h) */
    REF_ERR_SOURCE,   /* code is errno of opening or reading a local
                         source (a local path or file:// remote name) */
};

#endif
