/*
 * alloc.c - the COM task allocator (CoTaskMemAlloc/Realloc/Free) and the
 * one allocation seam of libdocom.
 *
 * The task allocator is plain malloc underneath, so AddressSanitizer's
 * leak checker sees every string or array a method hands out and the
 * caller forgets to CoTaskMemFree.  The seam (docom_test_fail_alloc) lets
 * a test fail the Nth allocation of the library - task memory, BSTRs and
 * SAFEARRAYs alike - to check that E_OUTOFMEMORY reaches the caller.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "docom.h"
#include "docom_private.h"

/* Allocations left before the one that fails; 0 = seam off. */
static atomic_long fail_countdown;

/* Contract: see docom.h.  Returns the previous setting. */
long docom_test_fail_alloc(long nth)
{
    return atomic_exchange(&fail_countdown, nth < 0 ? 0 : nth);
}

/* True when this allocation is the one the seam must fail. */
static int seam_fails(void)
{
    long cur = atomic_load(&fail_countdown);
    while (cur > 0) {
        if (atomic_compare_exchange_weak(&fail_countdown, &cur, cur - 1))
            return cur == 1;
    }
    return 0;
}

void *docom_priv_malloc(size_t n)
{
    if (seam_fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return malloc(n ? n : 1);
}

void *docom_priv_realloc(void *p, size_t n)
{
    if (seam_fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, n ? n : 1);
}

/* Allocates cb bytes (a unique pointer even for 0).  Returns NULL when out
 * of memory.  The caller frees with CoTaskMemFree. */
LPVOID CoTaskMemAlloc(SIZE_T cb)
{
    return docom_priv_malloc(cb);
}

/* Resizes pv (NULL pv = CoTaskMemAlloc).  cb == 0 with a non-NULL pv frees
 * it and returns NULL, as on Windows.  On failure returns NULL and pv is
 * untouched (still owned by the caller). */
LPVOID CoTaskMemRealloc(LPVOID pv, SIZE_T cb)
{
    if (pv && cb == 0) {
        free(pv);
        return NULL;
    }
    return docom_priv_realloc(pv, cb);
}

/* Frees memory from CoTaskMemAlloc/Realloc; NULL is a no-op. */
void CoTaskMemFree(LPVOID pv)
{
    free(pv);
}
