/*
 * test_guid.c - IsEqualGUID (macro and exported function),
 * StringFromGUID2, CLSIDFromString and IIDFromString.
 */
#include <string.h>

#include "com_test.h"
#include "bits.h"
#include "deliveryoptimization.h"

static const GUID sample = {0x01b7bd23,
                            0xfb88,
                            0x4a77,
                            {0x84, 0x90, 0x58, 0x91, 0xd3, 0xe4, 0x65, 0x3a}};

static void test_is_equal(void)
{
    GUID g = sample;

    CU_ASSERT_TRUE(IsEqualGUID(&g, &sample));
    CU_ASSERT_TRUE((IsEqualGUID)(&g, &sample)); /* the export */
    CU_ASSERT_TRUE((IsEqualIID)(&g, &sample));
    CU_ASSERT_TRUE((IsEqualCLSID)(&g, &sample));
    CU_ASSERT_TRUE(IsEqualIID(&IID_IUnknown, &IID_IUnknown));
    g.Data4[7] ^= 1;
    CU_ASSERT_FALSE(IsEqualGUID(&g, &sample));
    CU_ASSERT_FALSE((IsEqualGUID)(&g, &sample));
    CU_ASSERT_FALSE(IsEqualCLSID(&CLSID_BackgroundCopyManager,
                                 &CLSID_DeliveryOptimization));
}

static void test_string_from_guid(void)
{
    WCHAR buf[39];
    int n;

    memset(buf, 0xFF, sizeof(buf));
    n = StringFromGUID2(&sample, buf, 39);
    ASSERT_EQ(39, n);
    ASSERT_WSTR(u"{01B7BD23-FB88-4A77-8490-5891D3E4653A}", buf);
    n = StringFromGUID2(&GUID_NULL, buf, 39);
    ASSERT_EQ(39, n);
    ASSERT_WSTR(u"{00000000-0000-0000-0000-000000000000}", buf);
}

static void test_string_from_guid_small_buffer(void)
{
    WCHAR buf[64];

    buf[0] = u'Q';
    ASSERT_EQ(0, StringFromGUID2(&sample, buf, 38));
    ASSERT_EQ(u'Q', buf[0]); /* nothing written */
    ASSERT_EQ(0, StringFromGUID2(&sample, buf, 0));
    ASSERT_EQ(0, StringFromGUID2(&sample, NULL, 39));
    ASSERT_EQ(0, StringFromGUID2(NULL, buf, 39));
    ASSERT_EQ(39, StringFromGUID2(&sample, buf, 64)); /* larger is fine */
}

static void test_clsid_from_string(void)
{
    CLSID c;

    memset(&c, 0xEE, sizeof(c));
    ASSERT_HR(NOERROR,
              CLSIDFromString(u"{01B7BD23-FB88-4A77-8490-5891D3E4653A}", &c));
    CU_ASSERT_TRUE(IsEqualGUID(&c, &sample));
    memset(&c, 0xEE, sizeof(c));
    ASSERT_HR(S_OK,
              CLSIDFromString(u"{01b7bd23-fb88-4a77-8490-5891d3e4653a}", &c));
    CU_ASSERT_TRUE(IsEqualGUID(&c, &sample)); /* lower case too */
}

static void test_clsid_from_bad_strings(void)
{
    static const WCHAR *const bad[] = {
        u"",
        u"01B7BD23-FB88-4A77-8490-5891D3E4653A",    /* no braces */
        u"{01B7BD23-FB88-4A77-8490-5891D3E4653A",   /* no closing brace */
        u"{01B7BD23-FB88-4A77-8490-5891D3E4653A}x", /* trailing text */
        u"{01B7BD23FB88-4A77-8490-5891D3E4653A0}",  /* dash misplaced */
        u"{01B7BD23-FB88-4A77-8490-5891D3E4653G}",  /* not hex */
        u"{01B7BD23-FB88-4A77-8490_5891D3E4653A}",  /* wrong separator */
        u"{ 1B7BD23-FB88-4A77-8490-5891D3E4653A}",  /* space */
        u"BackgroundCopyManager",                   /* ProgID */
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CLSID c;
        memset(&c, 0xEE, sizeof(c));
        ASSERT_HR(CO_E_CLASSSTRING, CLSIDFromString(bad[i], &c));
        CU_ASSERT_TRUE(IsEqualGUID(&c, &GUID_NULL)); /* cleared */
    }
    ASSERT_EQ(0x800401F3u, (uint32_t)CO_E_CLSSTRING);
}

static void test_clsid_from_string_null(void)
{
    CLSID c;

    ASSERT_HR(E_INVALIDARG, CLSIDFromString(NULL, &c));
    ASSERT_HR(E_INVALIDARG,
              CLSIDFromString(u"{01B7BD23-FB88-4A77-8490-5891D3E4653A}", NULL));
}

static void test_iid_from_string(void)
{
    IID i;

    ASSERT_HR(S_OK,
              IIDFromString(u"{00000000-0000-0000-C000-000000000046}", &i));
    CU_ASSERT_TRUE(IsEqualIID(&i, &IID_IUnknown));
    ASSERT_HR(CO_E_IIDSTRING, IIDFromString(u"{junk}", &i));
    ASSERT_HR(E_INVALIDARG, IIDFromString(NULL, &i));
}

static void test_round_trip(void)
{
    GUID g, back;
    WCHAR buf[39];
    int k;

    for (k = 0; k < 16; k++)
        ((unsigned char *)&g)[k] = (unsigned char)(k * 37 + 11);
    ASSERT_EQ(39, StringFromGUID2(&g, buf, 39));
    ASSERT_HR(S_OK, CLSIDFromString(buf, &back));
    CU_ASSERT_TRUE(IsEqualGUID(&g, &back));
}

CU_TestInfo guid_tests[] = {
    {"IsEqualGUID/IID/CLSID macro and export", test_is_equal},
    {"StringFromGUID2 upper-case braced", test_string_from_guid},
    {"StringFromGUID2 small buffer and NULL",
     test_string_from_guid_small_buffer},
    {"CLSIDFromString braced, either case", test_clsid_from_string},
    {"CLSIDFromString bad strings", test_clsid_from_bad_strings},
    {"CLSIDFromString NULL arguments", test_clsid_from_string_null},
    {"IIDFromString", test_iid_from_string},
    {"GUID -> string -> GUID", test_round_trip},
    CU_TEST_INFO_NULL,
};
