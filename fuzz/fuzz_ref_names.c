/*
 * fuzz_ref_names.c - the reference's name validation (ref_util.c):
 * ref_check_remote (decisions R12) in both modes, ref_check_local and
 * ref_check_local_memo (R13) for downloads and uploads, and the UTF-8
 * conversion they use (ref_utf8).  Local checks stat and access(2) paths
 * but never create or write anything.
 *
 * Input: UTF-16 code units, little-endian, two bytes each; an odd last
 * byte is dropped.
 */
#include <stdlib.h>
#include <string.h>

#include "ref_private.h"
#include "fuzz_wcs.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    WCHAR *s = fuzz_wcs(d, n);
    if (!s) {
        return 0;
    }
    for (int mode = REF_MODE_BITS; mode <= REF_MODE_DO; mode++) {
        enum ref_proto proto = REF_PROTO_NONE;
        HRESULT hr = ref_check_remote((enum ref_mode)mode, s, &proto);
        if ((hr != S_OK && hr != E_INVALIDARG) ||
            (hr == S_OK && proto == REF_PROTO_NONE) ||
            (hr == S_OK && mode == REF_MODE_DO && proto != REF_PROTO_HTTP)) {
            abort();
        }
    }
    struct ref_local_memo memo = {0};
    for (int upload = 0; upload <= 1; upload++) {
        HRESULT hr = ref_check_local(s, upload);
        if (hr != S_OK && hr != E_INVALIDARG && hr != E_ACCESSDENIED) {
            abort();
        }
        if (!upload && ref_check_local_memo(s, 0, &memo) != hr) {
            abort(); /* the memo answers what the plain check answers */
        }
    }
    if (memo.dir &&
        ref_check_local_memo(s, 0, &memo) != ref_check_local(s, 0)) {
        abort();
    }
    ref_local_memo_free(&memo);
    char *u8 = ref_utf8(s);
    ref_free(u8);
    free(s);
    return 0;
}
