/*
 * test_bstr.c - SysAllocString* / SysReAllocString* / SysFreeString /
 * SysStringLen / SysStringByteLen, including the memory layout (4-byte
 * byte-length prefix, NUL terminator) that Windows clients rely on.
 */
#include <stdlib.h>
#include <string.h>

#include "com_test.h"

static DWORD prefix_of(BSTR b)
{
    DWORD n;

    memcpy(&n, (char *)b - 4, 4);
    return n;
}

static void test_alloc_string(void)
{
    BSTR b = SysAllocString(u"hello");

    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    ASSERT_WSTR(u"hello", b);
    ASSERT_EQ(5, SysStringLen(b));
    ASSERT_EQ(10, SysStringByteLen(b));
    ASSERT_EQ(10, prefix_of(b));
    ASSERT_EQ(0, b[5]);
    SysFreeString(b);
}

static void test_alloc_string_null_and_empty(void)
{
    BSTR e = SysAllocString(u"");

    CU_ASSERT_PTR_NULL(SysAllocString(NULL));
    CU_ASSERT_PTR_NOT_NULL_FATAL(e); /* empty is not NULL */
    ASSERT_EQ(0, SysStringLen(e));
    ASSERT_EQ(0, prefix_of(e));
    ASSERT_EQ(0, e[0]);
    SysFreeString(e);
}

static void test_null_bstr_lengths(void)
{
    ASSERT_EQ(0, SysStringLen(NULL));
    ASSERT_EQ(0, SysStringByteLen(NULL));
    SysFreeString(NULL);
}

static void test_alloc_len_embedded_nul(void)
{
    static const WCHAR src[] = {u'a', 0, u'b', u'c'};
    BSTR b = SysAllocStringLen(src, 4);

    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    ASSERT_EQ(4, SysStringLen(b));
    ASSERT_EQ(8, SysStringByteLen(b));
    CU_ASSERT(memcmp(b, src, sizeof(src)) == 0);
    ASSERT_EQ(0, b[4]);
    SysFreeString(b);
}

static void test_alloc_len_null_source(void)
{
    BSTR b = SysAllocStringLen(NULL, 3);

    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    ASSERT_EQ(3, SysStringLen(b));
    ASSERT_EQ(0, b[0]); /* zero-filled here (Windows leaves garbage) */
    ASSERT_EQ(0, b[3]);
    SysFreeString(b);
}

static void test_alloc_len_zero_and_huge(void)
{
    BSTR z = SysAllocStringLen(u"abc", 0);

    CU_ASSERT_PTR_NOT_NULL_FATAL(z);
    ASSERT_EQ(0, SysStringLen(z));
    SysFreeString(z);
    CU_ASSERT_PTR_NULL(SysAllocStringLen(NULL, 0x80000000u));
    CU_ASSERT_PTR_NULL(SysAllocStringByteLen(NULL, 0xFFFFFFFFu));
}

static void test_byte_len_odd(void)
{
    BSTR b = SysAllocStringByteLen("abc", 3);
    const char *raw = (const char *)b;

    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    ASSERT_EQ(3, SysStringByteLen(b));
    ASSERT_EQ(1, SysStringLen(b)); /* 3 / 2 */
    CU_ASSERT(memcmp(raw, "abc\0\0", 5) == 0);
    SysFreeString(b);
    b = SysAllocStringByteLen(NULL, 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    ASSERT_EQ(5, SysStringByteLen(b));
    SysFreeString(b);
}

static void test_realloc_string(void)
{
    BSTR b = SysAllocString(u"one");

    CU_ASSERT_EQUAL(SysReAllocString(&b, u"three"), TRUE);
    ASSERT_WSTR(u"three", b);
    /* source inside the old string */
    CU_ASSERT_EQUAL(SysReAllocString(&b, b + 2), TRUE);
    ASSERT_WSTR(u"ree", b);
    CU_ASSERT_EQUAL(SysReAllocString(&b, NULL), TRUE);
    CU_ASSERT_PTR_NULL(b);
    CU_ASSERT_EQUAL(SysReAllocString(NULL, u"x"), FALSE);
}

static void test_realloc_string_len(void)
{
    BSTR b = NULL;

    CU_ASSERT_EQUAL(SysReAllocStringLen(&b, u"abcdef", 3), TRUE);
    ASSERT_EQ(3, SysStringLen(b));
    ASSERT_WSTR(u"abc", b);
    CU_ASSERT_EQUAL(SysReAllocStringLen(&b, b + 1, 2), TRUE);
    ASSERT_WSTR(u"bc", b);
    CU_ASSERT_EQUAL(SysReAllocStringLen(NULL, u"x", 1), FALSE);
    SysFreeString(b);
}

static void test_non_bmp(void)
{
    BSTR b = SysAllocString(u"a\U0001F600");

    ASSERT_EQ(3, SysStringLen(b)); /* surrogate pair = 2 units */
    SysFreeString(b);
}

CU_TestInfo bstr_tests[] = {
    {"SysAllocString layout", test_alloc_string},
    {"SysAllocString NULL and empty", test_alloc_string_null_and_empty},
    {"NULL BSTR lengths and free", test_null_bstr_lengths},
    {"SysAllocStringLen embedded NUL", test_alloc_len_embedded_nul},
    {"SysAllocStringLen NULL source", test_alloc_len_null_source},
    {"SysAllocStringLen zero and too long", test_alloc_len_zero_and_huge},
    {"SysAllocStringByteLen odd length", test_byte_len_odd},
    {"SysReAllocString", test_realloc_string},
    {"SysReAllocStringLen", test_realloc_string_len},
    {"non-BMP length in code units", test_non_bmp},
    CU_TEST_INFO_NULL,
};
