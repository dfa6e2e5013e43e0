/*
 * test_alloc.c - CoTaskMemAlloc/Realloc/Free and the fail-nth seam.
 */
#include <stdlib.h>
#include <string.h>

#include "com_test.h"

static void test_alloc_free(void)
{
    unsigned char *p = CoTaskMemAlloc(100);

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    memset(p, 0xAB, 100); /* ASan: the whole block is usable */
    CoTaskMemFree(p);
}

static void test_alloc_zero_is_unique(void)
{
    void *a = CoTaskMemAlloc(0), *b = CoTaskMemAlloc(0);

    CU_ASSERT_PTR_NOT_NULL(a);
    CU_ASSERT_PTR_NOT_NULL(b);
    CU_ASSERT_PTR_NOT_EQUAL(a, b);
    CoTaskMemFree(a);
    CoTaskMemFree(b);
}

static void test_free_null(void)
{
    CoTaskMemFree(NULL); /* must not crash */
    CU_PASS("CoTaskMemFree(NULL) returned");
}

static void test_realloc(void)
{
    char *p = CoTaskMemRealloc(NULL, 4); /* NULL = alloc */

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    memcpy(p, "abc", 4);
    p = CoTaskMemRealloc(p, 4096);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_STRING_EQUAL(p, "abc");
    CU_ASSERT_PTR_NULL(CoTaskMemRealloc(p, 0)); /* frees p */
}

static void test_fail_nth(void)
{
    void *a, *b, *c;

    ASSERT_EQ(0, docom_test_fail_alloc(2));
    a = CoTaskMemAlloc(8);
    b = CoTaskMemAlloc(8); /* the 2nd fails */
    c = CoTaskMemAlloc(8); /* seam is one-shot */
    CU_ASSERT_PTR_NOT_NULL(a);
    CU_ASSERT_PTR_NULL(b);
    CU_ASSERT_PTR_NOT_NULL(c);
    CoTaskMemFree(a);
    CoTaskMemFree(c);
}

static void test_fail_reaches_every_allocator(void)
{
    char *old = CoTaskMemAlloc(4);
    BSTR keep = SysAllocString(u"keep");

    docom_test_fail_alloc(1);
    CU_ASSERT_PTR_NULL(SysAllocString(u"x"));
    docom_test_fail_alloc(1);
    CU_ASSERT_PTR_NULL(SafeArrayCreateVector(VT_UI1, 0, 4));
    docom_test_fail_alloc(1);
    CU_ASSERT_PTR_NULL(docom_wcsdup_task(u"x"));
    docom_test_fail_alloc(1);
    CU_ASSERT_PTR_NULL(CoTaskMemRealloc(old, 64)); /* old still owned */
    docom_test_fail_alloc(1);
    CU_ASSERT_EQUAL(SysReAllocString(&keep, u"new"), FALSE);
    ASSERT_WSTR(u"keep", keep); /* unchanged on failure */
    CoTaskMemFree(old);
    SysFreeString(keep);
}

static void test_fail_cancel(void)
{
    void *p;

    docom_test_fail_alloc(1);
    ASSERT_EQ(1, docom_test_fail_alloc(0)); /* returns previous */
    p = CoTaskMemAlloc(1);
    CU_ASSERT_PTR_NOT_NULL(p);
    CoTaskMemFree(p);
    ASSERT_EQ(0, docom_test_fail_alloc(-5)); /* negative = off */
    ASSERT_EQ(0, docom_test_fail_alloc(0));
}

CU_TestInfo alloc_tests[] = {
    {"alloc and free", test_alloc_free},
    {"alloc(0) gives unique pointers", test_alloc_zero_is_unique},
    {"free(NULL) is a no-op", test_free_null},
    {"realloc from NULL, grow, to 0", test_realloc},
    {"fail-nth seam fails exactly the nth", test_fail_nth},
    {"seam reaches BSTR, SAFEARRAY, task copies",
     test_fail_reaches_every_allocator},
    {"seam cancel and previous value", test_fail_cancel},
    CU_TEST_INFO_NULL,
};
