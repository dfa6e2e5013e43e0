/*
 * fuzz_wcs.c - input bytes as a UTF-16 string (fuzz_wcs.h).
 */
#include "fuzz_wcs.h"

#include <stdlib.h>

WCHAR *fuzz_wcs(const uint8_t *d, size_t n)
{
    WCHAR *s = malloc((n / 2 + 1) * sizeof *s);
    if (!s) {
        return NULL;
    }
    for (size_t i = 0; i < n / 2; i++) {
        s[i] = (WCHAR)(d[2 * i] | d[2 * i + 1] << 8);
    }
    s[n / 2] = 0;
    return s;
}
