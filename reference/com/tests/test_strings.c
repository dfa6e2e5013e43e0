/*
 * test_strings.c - docom_wcslen/wcscmp/wcsdup(_task) and the strict UTF-8
 * <-> UTF-16 conversions, including non-BMP characters, every malformed
 * form (errno EILSEQ) and NULL (EINVAL).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "com_test.h"

static void test_wcslen_cmp(void)
{
    ASSERT_EQ(0, docom_wcslen(NULL));
    ASSERT_EQ(0, docom_wcslen(u""));
    ASSERT_EQ(3, docom_wcslen(u"abc"));
    ASSERT_EQ(2, docom_wcslen(u"\U00010348")); /* one pair */
    ASSERT_EQ(0, docom_wcscmp(u"abc", u"abc"));
    CU_ASSERT(docom_wcscmp(u"abc", u"abd") < 0);
    CU_ASSERT(docom_wcscmp(u"abcd", u"abc") > 0);
    CU_ASSERT(docom_wcscmp(NULL, u"") < 0);
    CU_ASSERT(docom_wcscmp(u"", NULL) > 0);
    ASSERT_EQ(0, docom_wcscmp(NULL, NULL));
}

static void test_wcsdup(void)
{
    LPWSTR t = docom_wcsdup_task(u"task copy");
    WCHAR *m = docom_wcsdup(u"malloc copy");

    ASSERT_WSTR(u"task copy", t);
    ASSERT_WSTR(u"malloc copy", m);
    CU_ASSERT_PTR_NULL(docom_wcsdup_task(NULL));
    CU_ASSERT_PTR_NULL(docom_wcsdup(NULL));
    CoTaskMemFree(t);
    free(m);
}

static const struct {
    const char *utf8;
    const WCHAR *utf16;
} pairs[] = {
    {"", u""},
    {"plain ascii", u"plain ascii"},
    {"caf\xC3\xA9", u"caf\u00E9"},       /* 2-byte */
    {"\xE2\x82\xAC 100", u"\u20AC 100"}, /* 3-byte */
    {"\xF0\x9F\x98\x80", u"\U0001F600"}, /* 4-byte, pair */
    {"\xF4\x8F\xBF\xBF", u"\U0010FFFF"}, /* last code point */
    {"\xEF\xBF\xBF", u"\uFFFF"},         /* last BMP */
    {"C:\\x\\\xE6\x97\xA5\xF0\x90\x8D\x88.bin", u"C:\\x\\\u65E5\U00010348.bin"},
};

static void test_round_trips(void)
{
    size_t i;

    for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        WCHAR *w = docom_utf16_from_utf8(pairs[i].utf8);
        char *u = docom_utf8_from_utf16(pairs[i].utf16);
        LPWSTR t = docom_task_utf16_from_utf8(pairs[i].utf8);
        BSTR b = docom_bstr_from_utf8(pairs[i].utf8);
        ASSERT_WSTR(pairs[i].utf16, w);
        ASSERT_WSTR(pairs[i].utf16, t);
        ASSERT_WSTR(pairs[i].utf16, b);
        ASSERT_EQ(docom_wcslen(pairs[i].utf16), SysStringLen(b));
        CU_ASSERT_PTR_NOT_NULL_FATAL(u);
        CU_ASSERT_STRING_EQUAL(u, pairs[i].utf8);
        free(w);
        free(u);
        CoTaskMemFree(t);
        SysFreeString(b);
    }
}

static void test_bad_utf8(void)
{
    static const char *const bad[] = {
        "\x80",             /* stray continuation */
        "\xC3",             /* truncated */
        "\xC3x",            /* bad continuation */
        "\xC0\x80",         /* overlong NUL */
        "\xC1\xBF",         /* overlong */
        "\xE0\x80\xAF",     /* overlong 3-byte */
        "\xF0\x80\x80\xAF", /* overlong 4-byte */
        "\xED\xA0\x80",     /* surrogate D800 */
        "\xF4\x90\x80\x80", /* > U+10FFFF */
        "\xF5\x80\x80\x80", /* bad lead */
        "\xFF",             /* bad lead */
        "ok\xE2\x82",       /* truncated at end */
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        errno = 0;
        CU_ASSERT_PTR_NULL(docom_utf16_from_utf8(bad[i]));
        ASSERT_EQ(EILSEQ, errno);
        CU_ASSERT_PTR_NULL(docom_bstr_from_utf8(bad[i]));
    }
}

static void test_bad_utf16(void)
{
    static const WCHAR lone_high[] = {u'a', 0xD800, u'b', 0};
    static const WCHAR lone_low[] = {0xDC00, 0};
    static const WCHAR high_at_end[] = {u'a', 0xDBFF, 0};
    static const WCHAR reversed[] = {0xDC00, 0xD800, 0};

    errno = 0;
    CU_ASSERT_PTR_NULL(docom_utf8_from_utf16(lone_high));
    ASSERT_EQ(EILSEQ, errno);
    CU_ASSERT_PTR_NULL(docom_utf8_from_utf16(lone_low));
    CU_ASSERT_PTR_NULL(docom_utf8_from_utf16(high_at_end));
    CU_ASSERT_PTR_NULL(docom_utf8_from_utf16(reversed));
}

static void test_null_inputs(void)
{
    errno = 0;
    CU_ASSERT_PTR_NULL(docom_utf8_from_utf16(NULL));
    ASSERT_EQ(EINVAL, errno);
    errno = 0;
    CU_ASSERT_PTR_NULL(docom_utf16_from_utf8(NULL));
    ASSERT_EQ(EINVAL, errno);
    CU_ASSERT_PTR_NULL(docom_utf8_from_utf16n(NULL, 0));
    CU_ASSERT_PTR_NULL(docom_task_utf16_from_utf8(NULL));
    CU_ASSERT_PTR_NULL(docom_bstr_from_utf8(NULL));
}

static void test_counted_with_nul(void)
{
    static const WCHAR s[] = {u'a', 0, 0xD83D, 0xDE00};
    char *u = docom_utf8_from_utf16n(s, 4);

    CU_ASSERT_PTR_NOT_NULL_FATAL(u);
    CU_ASSERT(memcmp(u, "a\0\xF0\x9F\x98\x80", 7) == 0);
    free(u);
    u = docom_utf8_from_utf16n(s, 3); /* cuts a pair in half */
    CU_ASSERT_PTR_NULL(u);
}

static void test_out_of_memory(void)
{
    docom_test_fail_alloc(1);
    errno = 0;
    CU_ASSERT_PTR_NULL(docom_utf16_from_utf8("abc"));
    ASSERT_EQ(ENOMEM, errno);
    docom_test_fail_alloc(1);
    CU_ASSERT_PTR_NULL(docom_utf8_from_utf16(u"abc"));
}

CU_TestInfo strings_tests[] = {
    {"docom_wcslen and docom_wcscmp", test_wcslen_cmp},
    {"docom_wcsdup_task and docom_wcsdup", test_wcsdup},
    {"UTF-8 <-> UTF-16 round trips (non-BMP)", test_round_trips},
    {"malformed UTF-8 is EILSEQ", test_bad_utf8},
    {"unpaired surrogates are EILSEQ", test_bad_utf16},
    {"NULL inputs are EINVAL", test_null_inputs},
    {"counted conversion keeps NULs", test_counted_with_nul},
    {"out of memory is ENOMEM", test_out_of_memory},
    CU_TEST_INFO_NULL,
};
