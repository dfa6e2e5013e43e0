/*
 * IBackgroundCopyJobHttpOptions (decisions R33; Wine's observations in
 * behavior.md 12): custom headers, security and redirect flags, client
 * certificates by id and by name, NULL out-pointers, in both modes.
 */
#include "support.h"

#include <docom.h>

static IBackgroundCopyJobHttpOptions *opts(struct fx *fx)
{
    IBackgroundCopyJob *job = fx_job(fx, 0);
    return job ? qi(job, &IID_IBackgroundCopyJobHttpOptions) : NULL;
}

static void check_headers(IBackgroundCopyJobHttpOptions *o, const WCHAR *want)
{
    LPWSTR h = POISON_PTR;
    ASSERT_HR(want ? S_OK : S_FALSE,
              IBackgroundCopyJobHttpOptions_GetCustomHeaders(o, &h));
    ASSERT_WSTR(want, h);
    if (h != POISON_PTR)
        CoTaskMemFree(h);
}

static void custom_headers(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJobHttpOptions *o = NULL;
    if (fx_open(&fx, mode) || !(o = opts(&fx)))
        goto out;
    check_headers(o, NULL);
    ASSERT_HR(S_OK, IBackgroundCopyJobHttpOptions_SetCustomHeaders(
                        o, u"Wine: test\r\n"));
    check_headers(o, u"Wine: test\r\n");
    WCHAR *max = wrepeat(NULL, u'h', 16384), *over = wrepeat(NULL, u'h', 16385);
    ASSERT_HR(S_OK, IBackgroundCopyJobHttpOptions_SetCustomHeaders(o, max));
    check_headers(o, max);
    ASSERT_HR(BG_E_STRING_TOO_LONG,
              IBackgroundCopyJobHttpOptions_SetCustomHeaders(o, over));
    check_headers(o, max);
    CoTaskMemFree(max);
    CoTaskMemFree(over);
    ASSERT_HR(S_OK, IBackgroundCopyJobHttpOptions_SetCustomHeaders(o, NULL));
    check_headers(o, NULL);
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJobHttpOptions_GetCustomHeaders(o, NULL));
out:
    release(o);
    fx_close(&fx);
}
BOTH_MODES(custom_headers)

static void security_flags(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJobHttpOptions *o = NULL;
    if (fx_open(&fx, mode) || !(o = opts(&fx)))
        goto out;
    ULONG f = POISON_U32;
    ASSERT_HR(S_OK, IBackgroundCopyJobHttpOptions_GetSecurityFlags(o, &f));
    ASSERT_U64(0, f);
    static const struct {
        ULONG flags;
        HRESULT hr;
    } rows[] = {
        {0x1F, S_OK},
        {BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT, S_OK},
        {BG_HTTP_REDIRECT_POLICY_DISALLOW, S_OK},
        {BG_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP, S_OK},
        {BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT |
             BG_HTTP_REDIRECT_POLICY_ALLOW_HTTPS_TO_HTTP | 0x1F,
         S_OK},
        {0, S_OK},
        {0x20, E_NOTIMPL},
        {0x300, E_NOTIMPL},
        {0x400, E_NOTIMPL},
        {0x1000, E_NOTIMPL},
        {0xFFFFFFFF, E_NOTIMPL},
    };
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "security 0x%x", (unsigned)rows[i].flags);
        ASSERT_HR(S_OK, IBackgroundCopyJobHttpOptions_SetSecurityFlags(o, 0x2));
        ASSERT_HR_AT(
            ctx, rows[i].hr,
            IBackgroundCopyJobHttpOptions_SetSecurityFlags(o, rows[i].flags));
        f = POISON_U32;
        ASSERT_HR(S_OK, IBackgroundCopyJobHttpOptions_GetSecurityFlags(o, &f));
        ASSERT_U64_AT(ctx, rows[i].hr == S_OK ? rows[i].flags : 0x2, f);
    }
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJobHttpOptions_GetSecurityFlags(o, NULL));
out:
    release(o);
    fx_close(&fx);
}
BOTH_MODES(security_flags)

static void client_certificate(enum mode mode)
{
    struct fx fx;
    IBackgroundCopyJobHttpOptions *o = NULL;
    if (fx_open(&fx, mode) || !(o = opts(&fx)))
        goto out;
    BG_CERT_STORE_LOCATION loc = (BG_CERT_STORE_LOCATION)POISON_U32;
    LPWSTR store = POISON_PTR, subject = POISON_PTR;
    BYTE *blob = POISON_PTR;
    /* None set: E_NOT_SET and NULL outs. */
    ASSERT_HR(E_NOT_SET, IBackgroundCopyJobHttpOptions_GetClientCertificate(
                             o, &loc, &store, &blob, &subject));
    ASSERT_PTR(NULL, store);
    ASSERT_PTR(NULL, blob);
    ASSERT_PTR(NULL, subject);
    ASSERT_HR(S_FALSE,
              IBackgroundCopyJobHttpOptions_RemoveClientCertificate(o));

    BYTE hash[20];
    for (int i = 0; i < 20; i++)
        hash[i] = (BYTE)(i * 7 + 1);
    ASSERT_HR(S_OK, IBackgroundCopyJobHttpOptions_SetClientCertificateByID(
                        o, BG_CERT_STORE_LOCATION_LOCAL_MACHINE, u"MY", hash));
    store = subject = POISON_PTR;
    blob = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyJobHttpOptions_GetClientCertificate(
                        o, &loc, &store, &blob, &subject));
    ASSERT_U64(BG_CERT_STORE_LOCATION_LOCAL_MACHINE, loc);
    ASSERT_WSTR(u"MY", store);
    ASSERT_NONNULL(blob);
    if (blob && blob != POISON_PTR) {
        ASSERT_TRUE(!memcmp(blob, hash, 20));
        CoTaskMemFree(blob);
    }
    if (store != POISON_PTR)
        CoTaskMemFree(store);
    if (subject != POISON_PTR)
        CoTaskMemFree(subject);

    ASSERT_HR(S_OK,
              IBackgroundCopyJobHttpOptions_SetClientCertificateByName(
                  o, BG_CERT_STORE_LOCATION_CURRENT_USER, u"MY", u"CN=docts"));
    store = subject = POISON_PTR;
    blob = POISON_PTR;
    ASSERT_HR(S_OK, IBackgroundCopyJobHttpOptions_GetClientCertificate(
                        o, &loc, &store, &blob, &subject));
    ASSERT_U64(BG_CERT_STORE_LOCATION_CURRENT_USER, loc);
    ASSERT_WSTR(u"MY", store);
    ASSERT_WSTR(u"CN=docts", subject);
    if (store != POISON_PTR)
        CoTaskMemFree(store);
    if (subject != POISON_PTR)
        CoTaskMemFree(subject);
    if (blob != POISON_PTR)
        CoTaskMemFree(blob);

    /* Invalid arguments change nothing. */
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJobHttpOptions_SetClientCertificateByName(
                  o, (BG_CERT_STORE_LOCATION)8, u"MY", u"CN=x"));
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJobHttpOptions_SetClientCertificateByName(
                  o, BG_CERT_STORE_LOCATION_CURRENT_USER, NULL, u"CN=x"));
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJobHttpOptions_SetClientCertificateByName(
                  o, BG_CERT_STORE_LOCATION_CURRENT_USER, u"MY", NULL));
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJobHttpOptions_SetClientCertificateByID(
                  o, BG_CERT_STORE_LOCATION_CURRENT_USER, u"MY", NULL));
    ASSERT_HR(E_INVALIDARG,
              IBackgroundCopyJobHttpOptions_SetClientCertificateByID(
                  o, (BG_CERT_STORE_LOCATION)-1, u"MY", hash));
    ASSERT_HR(E_INVALIDARG, IBackgroundCopyJobHttpOptions_GetClientCertificate(
                                o, NULL, &store, &blob, &subject));
    ASSERT_HR(S_OK, IBackgroundCopyJobHttpOptions_RemoveClientCertificate(o));
    ASSERT_HR(S_FALSE,
              IBackgroundCopyJobHttpOptions_RemoveClientCertificate(o));
out:
    release(o);
    fx_close(&fx);
}
BOTH_MODES(client_certificate)

CU_TestInfo tests_http_options[] = {
    BOTH_INFO(custom_headers),
    BOTH_INFO(security_flags),
    BOTH_INFO(client_certificate),
    CU_TEST_INFO_NULL,
};
