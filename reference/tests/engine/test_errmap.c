/*
 * test_errmap.c - the outcome → HRESULT table (ref_errmap.c): each row of
 * the expectation table names an outcome and the HRESULT, context and
 * retry class it must map to in BITS mode and in DO mode; plus the
 * table's own invariants and its markdown rendering.
 */
#include "eng_test.h"
#include "ref_alloc.h"
#include "ref_errmap.h"
#include "ref_transfer.h"

#include <bitsmsg.h>
#include <curl/curl.h>
#include <deliveryoptimizationerrors.h>
#include <errno.h>
#include <string.h>

#define C(x) BG_ERROR_CONTEXT_##x

static const struct {
    enum ref_err_kind kind;
    int code;
    HRESULT bits;
    BG_ERROR_CONTEXT bctx;
    HRESULT dohr;
    BG_ERROR_CONTEXT dctx;
    bool transient;
} want[] = {
    {REF_ERR_HTTP, 404, BG_E_HTTP_ERROR_404, C(REMOTE_FILE),
     BG_E_HTTP_ERROR_404, C(NONE), false},
    {REF_ERR_HTTP, 403, BG_E_HTTP_ERROR_403, C(REMOTE_FILE),
     BG_E_HTTP_ERROR_403, C(REMOTE_FILE), false},
    {REF_ERR_HTTP, 401, BG_E_HTTP_ERROR_401, C(REMOTE_FILE),
     BG_E_HTTP_ERROR_401, C(NONE), false},
    {REF_ERR_HTTP, 416, BG_E_HTTP_ERROR_416, C(REMOTE_FILE),
     BG_E_HTTP_ERROR_416, C(NONE), false},
    {REF_ERR_HTTP, 408, BG_E_HTTP_ERROR_408, C(REMOTE_FILE),
     BG_E_HTTP_ERROR_408, C(NONE), true},
    {REF_ERR_HTTP, 429, (HRESULT)0x801901ADu, C(REMOTE_FILE),
     (HRESULT)0x801901ADu, C(NONE), true},
    {REF_ERR_HTTP, 500, BG_E_HTTP_ERROR_500, C(REMOTE_FILE),
     BG_E_HTTP_ERROR_500, C(NONE), true},
    {REF_ERR_HTTP, 503, BG_E_HTTP_ERROR_503, C(REMOTE_FILE),
     BG_E_HTTP_ERROR_503, C(NONE), true},
    {REF_ERR_HTTP, 504, BG_E_HTTP_ERROR_504, C(REMOTE_FILE),
     BG_E_HTTP_ERROR_504, C(NONE), true},
    {REF_ERR_HTTP, 302, (HRESULT)0x8007012Eu, C(REMOTE_FILE),
     (HRESULT)0x8007012Eu, C(NONE), false},
    {REF_ERR_HTTP, 204, BG_E_HTTP_ERROR_204, C(REMOTE_FILE),
     DO_E_UNEXPECTED_HTTP_STATUS_2XX, C(NONE), true},
    {REF_ERR_CURL, CURLE_COULDNT_CONNECT, BG_E_CONNECT_FAILURE,
     C(GENERAL_TRANSPORT), BG_E_CONNECT_FAILURE, C(NONE), true},
    {REF_ERR_CURL, CURLE_PARTIAL_FILE, BG_E_CONNECTION_CLOSED,
     C(GENERAL_TRANSPORT), BG_E_CONNECTION_CLOSED, C(NONE), true},
    {REF_ERR_CURL, CURLE_HTTP2_STREAM, BG_E_PROTOCOL_ERROR,
     C(GENERAL_TRANSPORT), BG_E_PROTOCOL_ERROR, C(NONE), true},
    {REF_ERR_CURL, CURLE_OPERATION_TIMEDOUT, BG_E_TIMEOUT, C(GENERAL_TRANSPORT),
     BG_E_TIMEOUT, C(NONE), true},
    {REF_ERR_CURL, CURLE_PEER_FAILED_VERIFICATION, BG_E_TRUST_FAILURE,
     C(REMOTE_FILE), DO_E_HTTP_CERT_VALIDATION, C(NONE), false},
    {REF_ERR_CURL, CURLE_SSH, BG_E_UNKNOWN_ERROR, C(GENERAL_TRANSPORT),
     BG_E_UNKNOWN_ERROR, C(NONE), true},
    {REF_ERR_ERRNO, EACCES, E_ACCESSDENIED, C(LOCAL_FILE), E_ACCESSDENIED,
     C(NONE), false},
    {REF_ERR_ERRNO, ENOSPC, (HRESULT)0x80070070u, C(LOCAL_FILE),
     (HRESULT)0x80070070u, C(NONE), true},
    {REF_ERR_ERRNO, EIO, (HRESULT)0x8007001Du, C(LOCAL_FILE),
     (HRESULT)0x8007001Du, C(NONE), false},
    {REF_ERR_ENGINE, REF_XE_TRUNCATED, BG_E_CONNECTION_CLOSED,
     C(GENERAL_TRANSPORT), BG_E_CONNECTION_CLOSED, C(NONE), true},
    {REF_ERR_ENGINE, REF_XE_LENGTH_MISMATCH, BG_E_INVALID_SERVER_RESPONSE,
     C(REMOTE_FILE), DO_E_HTTP_BLOCKSIZE_MISMATCH, C(NONE), false},
    {REF_ERR_ENGINE, REF_XE_BAD_CONTENT_RANGE, BG_E_INVALID_SERVER_RESPONSE,
     C(REMOTE_FILE), DO_E_HTTP_BLOCKSIZE_MISMATCH, C(NONE), false},
    {REF_ERR_ENGINE, REF_XE_NO_RANGE_SUPPORT, BG_E_INSUFFICIENT_RANGE_SUPPORT,
     C(REMOTE_FILE), DO_E_INSUFFICIENT_RANGE_SUPPORT, C(NONE), false},
    {REF_ERR_ENGINE, REF_XE_INVALID_RANGE, BG_E_INVALID_RANGE, C(REMOTE_FILE),
     DO_E_INVALID_RANGE, C(NONE), false},
    {REF_ERR_ENGINE, REF_XE_MISSING_SIZE, BG_E_MISSING_FILE_SIZE,
     C(REMOTE_FILE), DO_E_FILE_SIZE_UNKNOWN_HTTP_200, C(NONE), false},
    {REF_ERR_ENGINE, REF_XE_TOO_LARGE, BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED,
     C(REMOTE_FILE), BG_E_MAX_DOWNLOAD_SIZE_LIMIT_REACHED, C(NONE), false},
};

static void test_lookup_table(void)
{
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct ref_errmap_entry e;

        ref_errmap_lookup(want[i].kind, want[i].code, false, &e);
        ENG_EQ_HR(e.hr, want[i].bits);
        ENG_EQ_INT(e.context, want[i].bctx);
        ENG_EQ_INT(e.transient, want[i].transient);
        CU_ASSERT_PTR_NOT_NULL(e.row);
        ref_errmap_lookup(want[i].kind, want[i].code, true, &e);
        ENG_EQ_HR(e.hr, want[i].dohr);
        ENG_EQ_INT(e.context, want[i].dctx);
        ENG_EQ_INT(e.transient, want[i].transient);
    }
}

static void test_success_and_bad_kind(void)
{
    struct ref_errmap_entry e;

    memset(&e, 0xA5, sizeof e);
    ref_errmap_lookup(REF_ERR_NONE, 0, false, &e);
    ENG_EQ_HR(e.hr, S_OK);
    ENG_EQ_INT(e.context, BG_ERROR_CONTEXT_NONE);
    CU_ASSERT_PTR_NULL(e.row);
    ref_errmap_lookup((enum ref_err_kind)77, 1, false, &e);
    ENG_EQ_HR(e.hr, E_UNEXPECTED);
}

/* Every HTTP failure status maps to 0x80190000 | s in both modes. */
static void test_every_http_status(void)
{
    for (int s = 300; s < 600; s++) {
        struct ref_errmap_entry e;

        ref_errmap_lookup(REF_ERR_HTTP, s, false, &e);
        if (s < 400)
            ENG_EQ_HR(e.hr, 0x80070000u | (unsigned)s);
        else
            ENG_EQ_HR(e.hr, 0x80190000u | (unsigned)s);
        ENG_EQ_INT(e.context, BG_ERROR_CONTEXT_REMOTE_FILE);
        ENG_EQ_INT(e.transient, s >= 500 || s == 408 || s == 429);
    }
}

/* Each kind has a default row, and every row's HRESULT is a failure. */
static void test_table_invariants(void)
{
    size_t n, i;
    const struct ref_errmap_row *rows = ref_errmap_rows(&n);
    int defaults[REF_ERR_SOURCE + 1] = {0};

    CU_ASSERT_TRUE(n > 40);
    for (i = 0; i < n; i++) {
        if (rows[i].code == REF_ERRMAP_ANY)
            defaults[rows[i].kind]++;
        if (rows[i].rule_bits == REF_HR_FIXED)
            CU_ASSERT_TRUE(FAILED(rows[i].hr_bits));
        if (rows[i].rule_do == REF_HR_FIXED)
            CU_ASSERT_TRUE(FAILED(rows[i].hr_do));
        CU_ASSERT_PTR_NOT_NULL(rows[i].why);
    }
    ENG_EQ_INT(defaults[REF_ERR_CURL], 1);
    ENG_EQ_INT(defaults[REF_ERR_HTTP], 1);
    ENG_EQ_INT(defaults[REF_ERR_ERRNO], 1);
    ENG_EQ_INT(defaults[REF_ERR_ENGINE], 1);
    ENG_EQ_INT(defaults[REF_ERR_SOURCE], 1);
}

static void test_markdown(void)
{
    size_t n, lines = 0;
    char *md = ref_errmap_markdown();

    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    ref_errmap_rows(&n);
    for (const char *p = md; *p; p++)
        lines += *p == '\n';
    ENG_EQ_INT(lines, n + 2);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(md, "| HTTP | `4xx` | `BG_E_HTTP_ERROR_<s>` = 0x80190000"));
    CU_ASSERT_PTR_NOT_NULL(strstr(md, "`BG_E_INVALID_RANGE` (0x8020002B)"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(md, "`DO_E_INSUFFICIENT_RANGE_SUPPORT` (0x80D05011)"));
    ref_free(md);
}

static void test_names(void)
{
    ENG_EQ_STR(ref_errmap_kind_name(REF_ERR_CURL), "CURL");
    ENG_EQ_STR(ref_errmap_kind_name(REF_ERR_SOURCE), "source");
    ENG_EQ_STR(ref_errmap_context_name(BG_ERROR_CONTEXT_LOCAL_FILE),
               "BG_ERROR_CONTEXT_LOCAL_FILE");
    ENG_EQ_STR(ref_errmap_context_name((BG_ERROR_CONTEXT)42), "?");
}

CU_TestInfo eng_errmap_tests[] = {
    {"outcomes map per mode", test_lookup_table},
    {"success and an unknown kind", test_success_and_bad_kind},
    {"every HTTP status 300..599", test_every_http_status},
    {"table invariants", test_table_invariants},
    {"markdown rendering", test_markdown},
    {"names", test_names},
    CU_TEST_INFO_NULL,
};
