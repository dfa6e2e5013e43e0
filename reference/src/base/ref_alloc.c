/*
 * ref_alloc.c - the one allocation seam (ref_alloc.h).
 *
 * Owns the countdown of the fail-the-Nth-allocation test hook and nothing
 * else: the blocks themselves come from malloc (so the sanitizers see every
 * leak), the COM task allocator and the BSTR allocator of libdocom.
 */
#include "ref_alloc.h"

#include <stdint.h>
#include <stdlib.h>

static long fail_countdown; /* 0 = off; accessed atomically */

/* True when the seam decides that this allocation fails. */
static int seam_fails(void)
{
    long cur = __atomic_load_n(&fail_countdown, __ATOMIC_ACQUIRE);
    while (cur > 0) {
        if (__atomic_compare_exchange_n(&fail_countdown, &cur, cur - 1, 0,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return cur == 1;
    }
    return 0;
}

void ref_alloc_fail_nth(long n)
{
    __atomic_store_n(&fail_countdown, n > 0 ? n : 0, __ATOMIC_RELEASE);
}

void *ref_alloc(size_t size)
{
    if (seam_fails())
        return NULL;
    return malloc(size ? size : 1);
}

void *ref_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    if (seam_fails())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *ref_realloc(void *p, size_t size)
{
    if (seam_fails())
        return NULL;
    return realloc(p, size ? size : 1);
}

void ref_free(void *p)
{
    free(p);
}

void *ref_task_alloc(size_t size)
{
    if (seam_fails())
        return NULL;
    return CoTaskMemAlloc(size ? size : 1);
}

BSTR ref_bstr_alloc(const WCHAR *s)
{
    size_t n = 0;
    if (seam_fails())
        return NULL;
    if (s)
        while (s[n])
            n++;
    return SysAllocStringLen(s ? s : u"", (UINT)n);
}
