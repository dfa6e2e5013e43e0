/*
 * strings.c - UTF-16 string helpers of docts (docom_* names; not Windows
 * APIs): length, compare, duplicate into task or malloc memory, and strict
 * UTF-8 <-> UTF-16 conversion.  The engine speaks UTF-8 (libcurl, paths,
 * SQLite); the COM boundary speaks UTF-16; these functions are the bridge.
 * Conversions are strict: malformed input is an error (EILSEQ), never
 * silently replaced, so a bad name is reported instead of mangled.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "docom.h"
#include "docom_private.h"

/* Contract: see docom.h. */
size_t docom_wcslen(const WCHAR *s)
{
    size_t n = 0;

    if (!s)
        return 0;
    while (s[n])
        n++;
    return n;
}

/* Contract: see docom.h. */
int docom_wcscmp(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b)
        return a ? 1 : (b ? -1 : 0);
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (*a > *b) - (*a < *b);
}

/* Contract: see docom.h. */
LPWSTR docom_wcsdup_task(const WCHAR *s)
{
    size_t bytes;
    LPWSTR out;

    if (!s)
        return NULL;
    bytes = (docom_wcslen(s) + 1) * sizeof(WCHAR);
    out = CoTaskMemAlloc(bytes);
    if (out)
        memcpy(out, s, bytes);
    return out;
}

/* Contract: see docom.h. */
WCHAR *docom_wcsdup(const WCHAR *s)
{
    size_t bytes;
    WCHAR *out;

    if (!s)
        return NULL;
    bytes = (docom_wcslen(s) + 1) * sizeof(WCHAR);
    out = docom_priv_malloc(bytes);
    if (out)
        memcpy(out, s, bytes);
    return out;
}

/* Decodes one code point from s[*i..n); -1 on an unpaired surrogate. */
static long utf16_next(const WCHAR *s, size_t n, size_t *i)
{
    uint32_t c = s[(*i)++];

    if (c >= 0xD800 && c <= 0xDBFF) {
        uint32_t d;
        if (*i >= n)
            return -1;
        d = s[*i];
        if (d < 0xDC00 || d > 0xDFFF)
            return -1;
        (*i)++;
        return 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
    }
    if (c >= 0xDC00 && c <= 0xDFFF)
        return -1;
    return (long)c;
}

/* Contract: see docom.h. */
char *docom_utf8_from_utf16n(const WCHAR *s, size_t n)
{
    size_t i = 0, len = 0, o = 0;
    char *out;

    if (!s) {
        errno = EINVAL;
        return NULL;
    }
    while (i < n) { /* size pass */
        long c = utf16_next(s, n, &i);
        if (c < 0) {
            errno = EILSEQ;
            return NULL;
        }
        len += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    out = docom_priv_malloc(len + 1);
    if (!out)
        return NULL;
    for (i = 0; i < n;) {
        uint32_t c = (uint32_t)utf16_next(s, n, &i);
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xC0 | c >> 6);
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (char)(0xE0 | c >> 12);
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | c >> 18);
            out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = 0;
    return out;
}

/* Contract: see docom.h. */
char *docom_utf8_from_utf16(const WCHAR *s)
{
    if (!s) {
        errno = EINVAL;
        return NULL;
    }
    return docom_utf8_from_utf16n(s, docom_wcslen(s));
}

/* Decodes one code point of NUL-terminated UTF-8; -1 when malformed
 * (bad lead or continuation byte, truncation, overlong form, surrogate,
 * or beyond U+10FFFF). */
static long utf8_next(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0], min;
    int extra, k;

    if (c < 0x80) {
        *p = s + 1;
        return (long)c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        extra = 1;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        extra = 2;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        extra = 3;
        c &= 0x07;
        min = 0x10000;
    } else {
        return -1;
    }
    for (k = 1; k <= extra; k++) {
        if ((s[k] & 0xC0) != 0x80) /* also stops at the NUL */
            return -1;
        c = c << 6 | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return -1;
    *p = s + 1 + extra;
    return (long)c;
}

/* Converts into memory from alloc; shared by the two public forms. */
static WCHAR *to_utf16(const char *s, void *(*alloc)(size_t))
{
    const unsigned char *p;
    size_t units = 0, o = 0;
    WCHAR *out;

    if (!s) {
        errno = EINVAL;
        return NULL;
    }
    for (p = (const unsigned char *)s; *p;) {
        long c = utf8_next(&p);
        if (c < 0) {
            errno = EILSEQ;
            return NULL;
        }
        units += c >= 0x10000 ? 2 : 1;
    }
    out = alloc((units + 1) * sizeof(WCHAR));
    if (!out) {
        errno = ENOMEM;
        return NULL;
    }
    for (p = (const unsigned char *)s; *p;) {
        uint32_t c = (uint32_t)utf8_next(&p);
        if (c >= 0x10000) {
            c -= 0x10000;
            out[o++] = (WCHAR)(0xD800 + (c >> 10));
            out[o++] = (WCHAR)(0xDC00 + (c & 0x3FF));
        } else {
            out[o++] = (WCHAR)c;
        }
    }
    out[o] = 0;
    return out;
}

/* Contract: see docom.h. */
WCHAR *docom_utf16_from_utf8(const char *s)
{
    return to_utf16(s, docom_priv_malloc);
}

/* Contract: see docom.h. */
LPWSTR docom_task_utf16_from_utf8(const char *s)
{
    return to_utf16(s, CoTaskMemAlloc);
}

/* Contract: see docom.h.  NULL for NULL, malformed input or no memory. */
BSTR docom_bstr_from_utf8(const char *s)
{
    WCHAR *w = docom_utf16_from_utf8(s);
    BSTR b;

    if (!w)
        return NULL;
    b = SysAllocString(w);
    free(w);
    return b;
}
