/*
 * fuzz_ref_errmsg.c - the reference's error-message lookups: the message
 * table (ref_msg_text, ref_msg_describe with its LanguageId rules,
 * ref_msg_describe_context; decisions R23) and the engine's error table
 * (ref_errmap_lookup for {kind, code} in both modes, its name helpers).
 *
 * Input: records of 12 bytes: HRESULT, LanguageId, error code (big
 * endian); the low bits of the first byte also pick the error kind, the
 * context and zero_ok.
 */
#include <stdlib.h>
#include <string.h>

#include "ref_errmap.h"
#include "ref_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    for (; n >= 12; d += 12, n -= 12) {
        HRESULT hr = (HRESULT)be32(d);
        DWORD lang = be32(d + 4);
        int code = (int)be32(d + 8);
        LPWSTR out = NULL;
        const WCHAR *text = ref_msg_text(hr);
        HRESULT got = ref_msg_describe(hr, lang, d[0] & 1, &out);
        if (got == S_OK) {
            if (!out || (text && memcmp(out, text, 2) != 0)) {
                abort();
            }
        } else if (out) {
            abort(); /* a failed call hands out nothing */
        }
        CoTaskMemFree(out);
        out = NULL;
        BG_ERROR_CONTEXT ctx = (BG_ERROR_CONTEXT)(int)(code % 16);
        got = ref_msg_describe_context(ctx, lang, &out);
        if ((got == S_OK) != (out != NULL)) {
            abort();
        }
        CoTaskMemFree(out);
        ref_errmap_context_name(ctx);

        enum ref_err_kind kind = (enum ref_err_kind)(d[1] % 5);
        struct ref_errmap_entry e;
        for (int mode = 0; mode <= 1; mode++) {
            ref_errmap_lookup(kind, code, mode, &e);
            if (kind == REF_ERR_NONE && e.hr != S_OK) {
                abort();
            }
            if (kind != REF_ERR_NONE && SUCCEEDED(e.hr)) {
                abort(); /* every error maps to a failure */
            }
        }
        ref_errmap_kind_name(kind);
    }
    return 0;
}
