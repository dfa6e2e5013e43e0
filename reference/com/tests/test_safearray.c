/*
 * test_safearray.c - the one-dimensional SAFEARRAY subset.
 */
#include <string.h>

#include "com_test.h"

static void test_create_vector(void)
{
    SAFEARRAY *sa = SafeArrayCreateVector(VT_UI1, 0, 16);
    LONG lb = (LONG)POISON_U32, ub = (LONG)POISON_U32;
    VARTYPE vt = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(sa);
    ASSERT_EQ(1, SafeArrayGetDim(sa));
    ASSERT_EQ(1, SafeArrayGetElemsize(sa));
    ASSERT_HR(S_OK, SafeArrayGetLBound(sa, 1, &lb));
    ASSERT_HR(S_OK, SafeArrayGetUBound(sa, 1, &ub));
    ASSERT_EQ(0, lb);
    ASSERT_EQ(15, ub);
    ASSERT_HR(S_OK, SafeArrayGetVartype(sa, &vt));
    ASSERT_EQ(VT_UI1, vt);
    ASSERT_EQ(FADF_HAVEVARTYPE, sa->fFeatures & FADF_HAVEVARTYPE);
    ASSERT_HR(S_OK, SafeArrayDestroy(sa));
}

static void test_element_sizes(void)
{
    static const struct {
        VARTYPE vt;
        UINT size;
    } cases[] = {{VT_I1, 1}, {VT_UI2, 2}, {VT_BOOL, 2}, {VT_I4, 4},
                 {VT_R4, 4}, {VT_UI8, 8}, {VT_R8, 8},   {VT_DATE, 8}};
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SAFEARRAY *sa = SafeArrayCreateVector(cases[i].vt, 1, 2);
        CU_ASSERT_PTR_NOT_NULL_FATAL(sa);
        ASSERT_EQ(cases[i].size, SafeArrayGetElemsize(sa));
        SafeArrayDestroy(sa);
    }
}

static void test_unsupported_types(void)
{
    CU_ASSERT_PTR_NULL(SafeArrayCreateVector(VT_BSTR, 0, 1));
    CU_ASSERT_PTR_NULL(SafeArrayCreateVector(VT_UNKNOWN, 0, 1));
    CU_ASSERT_PTR_NULL(SafeArrayCreateVector(VT_VARIANT, 0, 1));
    CU_ASSERT_PTR_NULL(SafeArrayCreateVector(VT_EMPTY, 0, 1));
}

static void test_empty_vector_and_bounds(void)
{
    SAFEARRAY *sa = SafeArrayCreateVector(VT_UI1, 5, 0);
    LONG lb, ub;

    CU_ASSERT_PTR_NOT_NULL_FATAL(sa);
    ASSERT_HR(S_OK, SafeArrayGetLBound(sa, 1, &lb));
    ASSERT_HR(S_OK, SafeArrayGetUBound(sa, 1, &ub));
    ASSERT_EQ(5, lb);
    ASSERT_EQ(4, ub); /* empty: upper = lower - 1 */
    ASSERT_HR(DISP_E_BADINDEX, SafeArrayGetLBound(sa, 0, &lb));
    ASSERT_HR(DISP_E_BADINDEX, SafeArrayGetUBound(sa, 2, &ub));
    ASSERT_HR(E_INVALIDARG, SafeArrayGetLBound(sa, 1, NULL));
    SafeArrayDestroy(sa);
}

static void test_lock_rules(void)
{
    SAFEARRAY *sa = SafeArrayCreateVector(VT_UI4, 0, 2);
    void *p1 = POISON_PTR, *p2 = POISON_PTR;

    ASSERT_HR(S_OK, SafeArrayAccessData(sa, &p1));
    ASSERT_HR(S_OK, SafeArrayAccessData(sa, &p2)); /* nests */
    CU_ASSERT_PTR_EQUAL(p1, p2);
    CU_ASSERT_PTR_EQUAL(p1, sa->pvData);
    ASSERT_HR(DISP_E_ARRAYISLOCKED, SafeArrayDestroy(sa));
    ASSERT_HR(S_OK, SafeArrayUnaccessData(sa));
    ASSERT_HR(S_OK, SafeArrayUnaccessData(sa));
    ASSERT_HR(E_UNEXPECTED, SafeArrayUnaccessData(sa));
    ASSERT_HR(S_OK, SafeArrayDestroy(sa));
}

static void test_null_args(void)
{
    void *p;
    SAFEARRAY *out = POISON_PTR;
    VARTYPE vt;

    ASSERT_HR(S_OK, SafeArrayDestroy(NULL));
    ASSERT_HR(E_INVALIDARG, SafeArrayAccessData(NULL, &p));
    ASSERT_HR(E_INVALIDARG, SafeArrayUnaccessData(NULL));
    ASSERT_HR(E_INVALIDARG, SafeArrayGetVartype(NULL, &vt));
    ASSERT_EQ(0, SafeArrayGetDim(NULL));
    ASSERT_EQ(0, SafeArrayGetElemsize(NULL));
    ASSERT_HR(S_OK, SafeArrayCopy(NULL, &out));
    CU_ASSERT_PTR_NULL(out);
    ASSERT_HR(E_INVALIDARG, SafeArrayCopy(NULL, NULL));
}

static void test_copy(void)
{
    SAFEARRAY *sa = SafeArrayCreateVector(VT_I2, -1, 3), *cp = NULL;
    SHORT *d;
    LONG lb;

    SafeArrayAccessData(sa, (void **)&d);
    d[0] = 1;
    d[1] = -2;
    d[2] = 3;
    SafeArrayUnaccessData(sa);
    ASSERT_HR(S_OK, SafeArrayCopy(sa, &cp));
    CU_ASSERT_PTR_NOT_NULL_FATAL(cp);
    ASSERT_HR(S_OK, SafeArrayGetLBound(cp, 1, &lb));
    ASSERT_EQ(-1, lb);
    CU_ASSERT(memcmp(cp->pvData, sa->pvData, 6) == 0);
    SafeArrayDestroy(sa);
    SafeArrayDestroy(cp);
}

CU_TestInfo safearray_tests[] = {
    {"SafeArrayCreateVector and queries", test_create_vector},
    {"element sizes per VARTYPE", test_element_sizes},
    {"unsupported element types", test_unsupported_types},
    {"empty vector, bounds, bad dimension", test_empty_vector_and_bounds},
    {"Access/Unaccess nesting and destroy lock", test_lock_rules},
    {"NULL arguments", test_null_args},
    {"SafeArrayCopy", test_copy},
    CU_TEST_INFO_NULL,
};
