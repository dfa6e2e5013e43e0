/*
 * docom_private.h - what the files of libdocom share and nobody else sees:
 * the allocation seam every allocating function of the library goes
 * through, so docom_test_fail_alloc() reaches all of them, and the
 * generated HRESULT name table.
 */
#ifndef DOCOM_PRIVATE_H
#define DOCOM_PRIVATE_H

#include <stddef.h>

#include "docom.h"

/* malloc / realloc unless the fail-nth seam says this one must fail
 * (then NULL, errno ENOMEM). */
#define DOCOM_HIDDEN __attribute__((visibility("hidden")))
DOCOM_HIDDEN void *docom_priv_malloc(size_t n);
DOCOM_HIDDEN void *docom_priv_realloc(void *p, size_t n);

/* The HRESULT name table, generated from the headers
 * (gen_hresult_names.sh); first entry wins for a shared value. */
struct docom_hresult_entry {
    HRESULT hr;
    const char *name;
};
extern DOCOM_HIDDEN const struct docom_hresult_entry docom_hresult_table[];
extern DOCOM_HIDDEN const size_t docom_hresult_table_len;

#endif
