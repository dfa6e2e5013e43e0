/*
 * ref_alloc.h - the one allocation seam of the reference.
 *
 * Every allocation the reference makes goes through these functions: its
 * own heap blocks (ref_alloc/ref_calloc/ref_realloc/ref_free), the strings
 * and arrays it hands to callers with the COM task allocator
 * (ref_task_alloc, freed by the caller with CoTaskMemFree) and the BSTRs it
 * returns in VARIANTs (ref_bstr_alloc).  A test can make the Nth allocation
 * from now fail (ref_alloc_fail_nth) and check that E_OUTOFMEMORY reaches
 * the caller with nothing leaked (docs/decisions.md R32).
 */
#ifndef REF_ALLOC_H
#define REF_ALLOC_H

#include <docom.h>
#include <stddef.h>

/* malloc-like; NULL when out of memory or when the seam says fail. */
void *ref_alloc(size_t size);
/* calloc-like (n * size, overflow-checked); NULL on failure. */
void *ref_calloc(size_t n, size_t size);
/* realloc-like; on failure returns NULL and leaves p untouched. */
void *ref_realloc(void *p, size_t size);
/* Frees a block from ref_alloc/ref_calloc/ref_realloc; NULL is a no-op. */
void ref_free(void *p);

/* CoTaskMemAlloc through the seam; the caller of the COM method frees the
 * result with CoTaskMemFree.  NULL on failure. */
void *ref_task_alloc(size_t size);
/* SysAllocStringLen through the seam (NULL s gives an empty BSTR of
 * length 0); NULL on failure.  Freed with SysFreeString. */
BSTR ref_bstr_alloc(const WCHAR *s);

/*
 * Test hook: make the nth allocation from now (1 = the next one) fail,
 * once; 0 turns the hook off.  Process-wide and thread-safe.
 */
void ref_alloc_fail_nth(long n);

#endif
