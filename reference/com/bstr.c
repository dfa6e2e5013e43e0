/*
 * bstr.c - BSTR, the length-prefixed UTF-16 string of Automation.
 *
 * Layout, as on Windows: a 4-byte prefix holding the length in BYTES
 * (terminator excluded), then the data, then a NUL WCHAR.  A BSTR points
 * at the data, so it can be read as a plain NUL-terminated LPWSTR unless
 * it holds embedded NULs.  Memory comes from the libdocom allocation seam
 * (malloc underneath), freed here with free().  NULL is a valid BSTR: the
 * empty string of length 0.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docom.h"
#include "docom_private.h"

#define PREFIX sizeof(DWORD)

/* The byte length is stored in a DWORD; leave room for prefix + NUL. */
#define MAX_BYTES (UINT32_MAX - PREFIX - sizeof(WCHAR))

/* Allocates a BSTR of nbytes bytes, copying src when not NULL (zeroes
 * otherwise).  NULL when out of memory or too long. */
static BSTR bstr_alloc(const void *src, size_t nbytes)
{
    unsigned char *base;
    DWORD len = (DWORD)nbytes;

    if (nbytes > MAX_BYTES)
        return NULL;
    base = docom_priv_malloc(PREFIX + nbytes + sizeof(WCHAR));
    if (!base)
        return NULL;
    memcpy(base, &len, PREFIX);
    if (src)
        memcpy(base + PREFIX, src, nbytes);
    else
        memset(base + PREFIX, 0, nbytes);
    base[PREFIX + nbytes] = 0;
    base[PREFIX + nbytes + 1] = 0;
    return (BSTR)(void *)(base + PREFIX);
}

/* Copies the NUL-terminated psz into a new BSTR.  Returns NULL for a NULL
 * psz or when out of memory.  The caller frees with SysFreeString. */
BSTR SysAllocString(const OLECHAR *psz)
{
    if (!psz)
        return NULL;
    return bstr_alloc(psz, docom_wcslen(psz) * sizeof(WCHAR));
}

/* New BSTR of ui characters: the first ui characters of strIn (which may
 * contain NULs), or ui zero characters when strIn is NULL.  NULL when out
 * of memory or ui is too large for the 32-bit byte length. */
BSTR SysAllocStringLen(const OLECHAR *strIn, UINT ui)
{
    if ((size_t)ui > MAX_BYTES / sizeof(WCHAR))
        return NULL;
    return bstr_alloc(strIn, (size_t)ui * sizeof(WCHAR));
}

/* New BSTR holding len raw bytes of psz (zeroes when psz is NULL); the
 * length may be odd.  NULL when out of memory or too large. */
BSTR SysAllocStringByteLen(LPCSTR psz, UINT len)
{
    return bstr_alloc(psz, len);
}

/* Replaces *pbstr by a copy of psz (NULL psz leaves *pbstr NULL) and frees
 * the old one; psz may point into the old string.  Returns TRUE, or FALSE
 * when pbstr is NULL or memory runs out (*pbstr then unchanged). */
INT SysReAllocString(BSTR *pbstr, const OLECHAR *psz)
{
    BSTR fresh;

    if (!pbstr)
        return FALSE;
    fresh = SysAllocString(psz);
    if (psz && !fresh)
        return FALSE;
    SysFreeString(*pbstr);
    *pbstr = fresh;
    return TRUE;
}

/* As SysReAllocString with the SysAllocStringLen rules for psz/len. */
INT SysReAllocStringLen(BSTR *pbstr, const OLECHAR *psz, UINT len)
{
    BSTR fresh;

    if (!pbstr)
        return FALSE;
    fresh = SysAllocStringLen(psz, len);
    if (!fresh)
        return FALSE;
    SysFreeString(*pbstr);
    *pbstr = fresh;
    return TRUE;
}

/* Frees a BSTR from the SysAlloc* family; NULL is a no-op. */
void SysFreeString(BSTR bstrString)
{
    if (bstrString)
        free((unsigned char *)(void *)bstrString - PREFIX);
}

/* Byte length from the prefix; 0 for NULL. */
UINT SysStringByteLen(BSTR bstr)
{
    DWORD len;

    if (!bstr)
        return 0;
    memcpy(&len, (unsigned char *)(void *)bstr - PREFIX, PREFIX);
    return len;
}

/* Length in characters (byte length / 2); 0 for NULL. */
UINT SysStringLen(BSTR pbstr)
{
    return SysStringByteLen(pbstr) / sizeof(WCHAR);
}
