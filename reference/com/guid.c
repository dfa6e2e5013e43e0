/*
 * guid.c - GUID comparison and the registry string form
 * "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (StringFromGUID2,
 * CLSIDFromString, IIDFromString), used by logs, reports and tests.
 * The GUID values themselves are in guids.c.
 */
#include <string.h>

#include "docom.h"

/* The header's macros of the same names compare inline; these are the
 * exported functions behind them. */
#undef IsEqualGUID
#undef IsEqualIID
#undef IsEqualCLSID

/* TRUE when both GUIDs hold the same 16 bytes.  Neither may be NULL. */
BOOL IsEqualGUID(REFGUID rguid1, REFGUID rguid2)
{
    return !memcmp(rguid1, rguid2, sizeof(GUID));
}

/* Same as IsEqualGUID, for IIDs. */
BOOL IsEqualIID(REFIID riid1, REFIID riid2)
{
    return IsEqualGUID(riid1, riid2);
}

/* Same as IsEqualGUID, for CLSIDs. */
BOOL IsEqualCLSID(REFCLSID rclsid1, REFCLSID rclsid2)
{
    return IsEqualGUID(rclsid1, rclsid2);
}

#define GUID_CHARS 39 /* braces, 32 digits, 4 dashes, NUL */

/* Writes rguid in upper-case registry form into lpsz.  Returns the number
 * of characters written including the NUL (39), or 0 when cchMax < 39 or
 * an argument is NULL (then nothing is written). */
int StringFromGUID2(REFGUID rguid, LPOLESTR lpsz, int cchMax)
{
    static const char hex[] = "0123456789ABCDEF";
    unsigned char bytes[16];
    int i, o = 0;

    if (!rguid || !lpsz || cchMax < GUID_CHARS)
        return 0;
    /* Registry order: Data1..Data3 big-endian, then Data4 as stored. */
    for (i = 0; i < 4; i++)
        bytes[i] = (unsigned char)(rguid->Data1 >> (24 - 8 * i));
    bytes[4] = (unsigned char)(rguid->Data2 >> 8);
    bytes[5] = (unsigned char)rguid->Data2;
    bytes[6] = (unsigned char)(rguid->Data3 >> 8);
    bytes[7] = (unsigned char)rguid->Data3;
    memcpy(bytes + 8, rguid->Data4, 8);
    lpsz[o++] = u'{';
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            lpsz[o++] = u'-';
        lpsz[o++] = (WCHAR)hex[bytes[i] >> 4];
        lpsz[o++] = (WCHAR)hex[bytes[i] & 0xF];
    }
    lpsz[o++] = u'}';
    lpsz[o++] = 0;
    return o;
}

static int hexval(WCHAR c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

/* Parses exactly the braced form (either case).  0 on success. */
static int parse_guid(LPCOLESTR s, GUID *out)
{
    unsigned char bytes[16];
    int i, p = 1;

    if (docom_wcslen(s) != GUID_CHARS - 1 || s[0] != u'{' || s[37] != u'}')
        return -1;
    for (i = 0; i < 16; i++) {
        int hi, lo;
        if (p == 9 || p == 14 || p == 19 || p == 24) {
            if (s[p] != u'-')
                return -1;
            p++;
        }
        hi = hexval(s[p]);
        lo = hexval(s[p + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        bytes[i] = (unsigned char)(hi << 4 | lo);
        p += 2;
    }
    out->Data1 = (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 |
                 (uint32_t)bytes[2] << 8 | bytes[3];
    out->Data2 = (uint16_t)(bytes[4] << 8 | bytes[5]);
    out->Data3 = (uint16_t)(bytes[6] << 8 | bytes[7]);
    memcpy(out->Data4, bytes + 8, 8);
    return 0;
}

/* Parses "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (hex digits in either
 * case; ProgIDs are not supported).  Returns NOERROR; E_INVALIDARG when an
 * argument is NULL; CO_E_CLASSSTRING for any other string (then *pclsid is
 * set to CLSID_NULL). */
HRESULT CLSIDFromString(LPCOLESTR lpsz, LPCLSID pclsid)
{
    if (!lpsz || !pclsid)
        return E_INVALIDARG;
    if (parse_guid(lpsz, pclsid)) {
        memset(pclsid, 0, sizeof(*pclsid));
        return CO_E_CLASSSTRING;
    }
    return NOERROR;
}

/* As CLSIDFromString, for IIDs; a bad string gives CO_E_IIDSTRING. */
HRESULT IIDFromString(LPCOLESTR lpsz, LPIID lpiid)
{
    if (!lpsz || !lpiid)
        return E_INVALIDARG;
    if (parse_guid(lpsz, lpiid)) {
        memset(lpiid, 0, sizeof(*lpiid));
        return CO_E_IIDSTRING;
    }
    return S_OK;
}
