/*
 * test_guids.c - every IID_, CLSID_, LIBID_ and GUID_NULL exported by
 * libdocom against the registry-format string of spec/interfaces.md
 * section 1 (a table written from the spec, independent of the numeric
 * form in guids.c), parsed with CLSIDFromString; plus uniqueness.
 */
#include <string.h>

#include "com_test.h"
#include "bits10_3.h"
#include "deliveryoptimization.h"
#include "docts_ext.h"

static const struct {
    const char *name;
    const GUID *value;
    const WCHAR *spec;
} guids[] = {
    {"IID_IUnknown", &IID_IUnknown, u"{00000000-0000-0000-C000-000000000046}"},
    {"IID_IEnumUnknown", &IID_IEnumUnknown,
     u"{00000100-0000-0000-C000-000000000046}"},
    {"IID_IStream", &IID_IStream, u"{0000000C-0000-0000-C000-000000000046}"},
    {"IID_IBackgroundCopyManager", &IID_IBackgroundCopyManager,
     u"{5CE34C0D-0DC9-4C1F-897C-DAA1B78CEE7C}"},
    {"IID_IBackgroundCopyJob", &IID_IBackgroundCopyJob,
     u"{37668D37-507E-4160-9316-26306D150B12}"},
    {"IID_IBackgroundCopyJob2", &IID_IBackgroundCopyJob2,
     u"{54B50739-686F-45EB-9DFF-D6A9A0FAA9AF}"},
    {"IID_IBackgroundCopyJob3", &IID_IBackgroundCopyJob3,
     u"{443C8934-90FF-48ED-BCDE-26F5C7450042}"},
    {"IID_IBackgroundCopyJob4", &IID_IBackgroundCopyJob4,
     u"{659CDEAE-489E-11D9-A9CD-000D56965251}"},
    {"IID_IBackgroundCopyJob5", &IID_IBackgroundCopyJob5,
     u"{E847030C-BBBA-4657-AF6D-484AA42BF1FE}"},
    {"IID_IBackgroundCopyFile", &IID_IBackgroundCopyFile,
     u"{01B7BD23-FB88-4A77-8490-5891D3E4653A}"},
    {"IID_IBackgroundCopyFile2", &IID_IBackgroundCopyFile2,
     u"{83E81B93-0873-474D-8A8C-F2018B1A939C}"},
    {"IID_IBackgroundCopyFile3", &IID_IBackgroundCopyFile3,
     u"{659CDEAA-489E-11D9-A9CD-000D56965251}"},
    {"IID_IBackgroundCopyFile4", &IID_IBackgroundCopyFile4,
     u"{EF7E0655-7888-4960-B0E5-730846E03492}"},
    {"IID_IBackgroundCopyFile5", &IID_IBackgroundCopyFile5,
     u"{85C1657F-DAFC-40E8-8834-DF18EA25717E}"},
    {"IID_IBackgroundCopyFile6", &IID_IBackgroundCopyFile6,
     u"{CF6784F7-D677-49FD-9368-CB47AEE9D1AD}"},
    {"IID_IEnumBackgroundCopyFiles", &IID_IEnumBackgroundCopyFiles,
     u"{CA51E165-C365-424C-8D41-24AAA4FF3C40}"},
    {"IID_IEnumBackgroundCopyJobs", &IID_IEnumBackgroundCopyJobs,
     u"{1AF4F612-3B71-466F-8F58-7B6F73AC57AD}"},
    {"IID_IBackgroundCopyError", &IID_IBackgroundCopyError,
     u"{19C613A0-FCB8-4F28-81AE-897C3D078F81}"},
    {"IID_IBackgroundCopyCallback", &IID_IBackgroundCopyCallback,
     u"{97EA99C7-0186-4AD4-8DF9-C5B4E0ED6B22}"},
    {"IID_IBackgroundCopyCallback2", &IID_IBackgroundCopyCallback2,
     u"{659CDEAC-489E-11D9-A9CD-000D56965251}"},
    {"IID_IBackgroundCopyCallback3", &IID_IBackgroundCopyCallback3,
     u"{98C97BD2-E32B-4AD8-A528-95FD8B16BD42}"},
    {"IID_IBackgroundCopyJobHttpOptions", &IID_IBackgroundCopyJobHttpOptions,
     u"{F1BD1079-9F01-4BDC-8036-F09B70095066}"},
    {"IID_IDeliveryOptimizationJob", &IID_IDeliveryOptimizationJob,
     u"{EE2584CF-A69C-4848-B633-2649962B3EF7}"},
    {"IID_IDeliveryOptimizationJob2", &IID_IDeliveryOptimizationJob2,
     u"{18995A26-BF59-4ABE-9F8B-D5092D5A2405}"},
    {"IID_IDeliveryOptimizationFile", &IID_IDeliveryOptimizationFile,
     u"{B76B9699-E99E-4101-803F-A20E325D93E2}"},
    {"IID_IDeliveryOptimizationFile2", &IID_IDeliveryOptimizationFile2,
     u"{3A87296F-6EC2-4126-AB29-E3F8DC4CC390}"},
    {"IID_IDOManager", &IID_IDOManager,
     u"{400E2D4A-1431-4C1A-A748-39CA472CFDB1}"},
    {"IID_IDODownload", &IID_IDODownload,
     u"{FBBD7FC0-C147-4727-A38D-827EF071EE77}"},
    {"IID_IDODownloadStatusCallback", &IID_IDODownloadStatusCallback,
     u"{D166E8E3-A90E-4392-8E87-05E996D3747D}"},
    {"CLSID_BackgroundCopyManager", &CLSID_BackgroundCopyManager,
     u"{4991D34B-80A1-4291-83B6-3328366B9097}"},
    {"CLSID_BackgroundCopyManager1_5", &CLSID_BackgroundCopyManager1_5,
     u"{F087771F-D74F-4C1A-BB8A-E16ACA9124EA}"},
    {"CLSID_BackgroundCopyManager2_0", &CLSID_BackgroundCopyManager2_0,
     u"{6D18AD12-BDE3-4393-B311-099C346E6DF9}"},
    {"CLSID_BackgroundCopyManager2_5", &CLSID_BackgroundCopyManager2_5,
     u"{03CA98D6-FF5D-49B8-ABC6-03DD84127020}"},
    {"CLSID_BackgroundCopyManager3_0", &CLSID_BackgroundCopyManager3_0,
     u"{659CDEA7-489E-11D9-A9CD-000D56965251}"},
    {"CLSID_BackgroundCopyManager4_0", &CLSID_BackgroundCopyManager4_0,
     u"{BB6DF56B-CACE-11DC-9992-0019B93A3A84}"},
    {"CLSID_BackgroundCopyManager5_0", &CLSID_BackgroundCopyManager5_0,
     u"{1ECCA34C-E88A-44E3-8D6A-8921BDE9E452}"},
    {"CLSID_BackgroundCopyManager10_1", &CLSID_BackgroundCopyManager10_1,
     u"{4BD3E4E1-7BD4-4A2B-9964-496400DE5193}"},
    {"CLSID_BackgroundCopyManager10_2", &CLSID_BackgroundCopyManager10_2,
     u"{4575438F-A6C8-4976-B0FE-2F26B80D959E}"},
    {"CLSID_BackgroundCopyManager10_3", &CLSID_BackgroundCopyManager10_3,
     u"{5FD42AD5-C04E-4D36-ADC7-E08FF15737AD}"},
    {"CLSID_DeliveryOptimization", &CLSID_DeliveryOptimization,
     u"{5B99FA76-721C-423C-ADAC-56D03C8A8007}"},
    {"LIBID_BackgroundCopyManager", &LIBID_BackgroundCopyManager,
     u"{1DEEB74F-7915-4560-B558-918C83F176A6}"},
    {"LIBID_BackgroundCopyManager2_0", &LIBID_BackgroundCopyManager2_0,
     u"{2289A9AF-DC96-486E-B268-89C9E3397C3D}"},
    {"LIBID_BackgroundCopyManager2_5", &LIBID_BackgroundCopyManager2_5,
     u"{4974177C-3BB6-4C37-9FF0-6B7426F0ABA9}"},
    {"LIBID_BackgroundCopyManager3_0", &LIBID_BackgroundCopyManager3_0,
     u"{659CDEA6-489E-11D9-A9CD-000D56965251}"},
    {"IID_IClassFactory", &IID_IClassFactory,
     u"{00000001-0000-0000-C000-000000000046}"},
    {"IID_ISequentialStream", &IID_ISequentialStream,
     u"{0C733A30-2A1C-11CE-ADE5-00AA0044773D}"},
    {"IID_IDODownloadInternal", &IID_IDODownloadInternal,
     u"{77BBE941-2D13-40B5-98A0-5B635729CD09}"},
    {"IID_IDoctsTestClock", &IID_IDoctsTestClock,
     u"{F745BF47-44C2-4EC7-B160-80DF33411140}"},
    {"GUID_NULL", &GUID_NULL, u"{00000000-0000-0000-0000-000000000000}"},
};

#define N_GUIDS (sizeof(guids) / sizeof(guids[0]))

static void test_values_match_spec(void)
{
    size_t i;

    for (i = 0; i < N_GUIDS; i++) {
        GUID parsed;
        WCHAR back[39];
        char msg[160];
        ASSERT_HR(S_OK, CLSIDFromString(guids[i].spec, &parsed));
        snprintf(msg, sizeof(msg), "%s matches the spec", guids[i].name);
        CU_assertImplementation(IsEqualGUID(&parsed, guids[i].value), __LINE__,
                                msg, __FILE__, "", CU_FALSE);
        ASSERT_EQ(39, StringFromGUID2(guids[i].value, back, 39));
        ASSERT_WSTR(guids[i].spec, back);
    }
}

static void test_values_unique(void)
{
    size_t i, j;

    for (i = 0; i < N_GUIDS; i++)
        for (j = i + 1; j < N_GUIDS; j++) {
            char msg[160];
            snprintf(msg, sizeof(msg), "%s differs from %s", guids[i].name,
                     guids[j].name);
            CU_assertImplementation(
                !IsEqualGUID(guids[i].value, guids[j].value), __LINE__, msg,
                __FILE__, "", CU_FALSE);
        }
}

static void test_aliases(void)
{
    CU_ASSERT_TRUE(IsEqualGUID(&CLSID_NULL, &GUID_NULL));
    CU_ASSERT_TRUE(IsEqualGUID(&IID_NULL, &GUID_NULL));
    ASSERT_EQ(49, N_GUIDS);
}

CU_TestInfo guids_tests[] = {
    {"every GUID equals the spec's string", test_values_match_spec},
    {"no two GUIDs are equal", test_values_unique},
    {"NULL aliases and count", test_aliases},
    CU_TEST_INFO_NULL,
};
