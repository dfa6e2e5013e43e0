/*
 * fuzz_com_guid.c - libdocom's GUID strings (guid.c): CLSIDFromString and
 * IIDFromString on any UTF-16 text, and the round trip through
 * StringFromGUID2 of every GUID they accept (the same text back, upper
 * case) or of the input's first 16 bytes, with buffers of every length
 * around the 39 characters it needs.
 *
 * Input: UTF-16 code units, little-endian (an odd last byte is dropped).
 */
#include <stdlib.h>
#include <string.h>

#include "docom.h"
#include "fuzz_wcs.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static WCHAR upper(WCHAR c)
{
    return c >= u'a' && c <= u'f' ? (WCHAR)(c - 32) : c;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    WCHAR *s = fuzz_wcs(d, n);
    if (!s) {
        return 0;
    }
    CLSID c;
    IID iid;
    HRESULT hc = CLSIDFromString(s, &c), hi = IIDFromString(s, &iid);
    if ((hc == NOERROR) != (hi == S_OK) ||
        (hc != NOERROR && hc != CO_E_CLASSSTRING) ||
        (hi != S_OK && hi != CO_E_IIDSTRING)) {
        abort();
    }
    GUID g;
    if (hc == NOERROR) {
        if (!IsEqualGUID(&c, &iid) || s[38] != 0) {
            abort();
        }
        g = c;
    } else {
        static const GUID null_guid;
        if (!IsEqualGUID(&c, &null_guid) || !IsEqualGUID(&iid, &null_guid)) {
            abort(); /* a refused string leaves CLSID_NULL */
        }
        memset(&g, 0, sizeof g);
        memcpy(&g, d, n < sizeof g ? n : sizeof g);
    }
    WCHAR out[48];
    for (int cch = 36; cch <= 41; cch++) {
        for (size_t i = 0; i < 48; i++) {
            out[i] = u'#';
        }
        int w = StringFromGUID2(&g, out, cch);
        if (cch < 39 ? (w != 0 || out[0] != u'#') : w != 39) {
            abort();
        }
        if (w && (out[38] != 0 || out[39] != u'#')) {
            abort(); /* wrote exactly 39 characters */
        }
    }
    GUID back;
    if (CLSIDFromString(out, &back) != NOERROR || !IsEqualGUID(&back, &g)) {
        abort();
    }
    if (hc == NOERROR) {
        for (size_t i = 0; i < 39; i++) {
            if (upper(s[i]) != out[i]) {
                abort();
            }
        }
    }
    free(s);
    return 0;
}
