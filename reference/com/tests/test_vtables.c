/*
 * test_vtables.c - vtable slot counts of every interface against
 * spec/interfaces.md section 2 (and the base COM interfaces), and the
 * slot number of the methods whose position is easy to get wrong (version
 * boundaries, Set-before-Get in Job5/File5, by-value unions).
 */
#include <stddef.h>

#include "com_test.h"
#include "bits10_3.h"
#include "deliveryoptimization.h"
#include "docts_ext.h"

#define SLOTS(i) (sizeof(i##Vtbl) / sizeof(void *))

static const struct {
    const char *name;
    size_t slots, expected;
} counts[] = {
    {"IUnknown", SLOTS(IUnknown), 3},
    {"IClassFactory", SLOTS(IClassFactory), 5},
    {"IEnumUnknown", SLOTS(IEnumUnknown), 7},
    {"ISequentialStream", SLOTS(ISequentialStream), 5},
    {"IStream", SLOTS(IStream), 14},
    {"IBackgroundCopyManager", SLOTS(IBackgroundCopyManager), 7},
    {"IEnumBackgroundCopyJobs", SLOTS(IEnumBackgroundCopyJobs), 8},
    {"IEnumBackgroundCopyFiles", SLOTS(IEnumBackgroundCopyFiles), 8},
    {"IBackgroundCopyError", SLOTS(IBackgroundCopyError), 8},
    {"IBackgroundCopyJob", SLOTS(IBackgroundCopyJob), 35},
    {"IBackgroundCopyJob2", SLOTS(IBackgroundCopyJob2), 43},
    {"IBackgroundCopyJob3", SLOTS(IBackgroundCopyJob3), 47},
    {"IBackgroundCopyJob4", SLOTS(IBackgroundCopyJob4), 53},
    {"IBackgroundCopyJob5", SLOTS(IBackgroundCopyJob5), 55},
    {"IBackgroundCopyFile", SLOTS(IBackgroundCopyFile), 6},
    {"IBackgroundCopyFile2", SLOTS(IBackgroundCopyFile2), 8},
    {"IBackgroundCopyFile3", SLOTS(IBackgroundCopyFile3), 12},
    {"IBackgroundCopyFile4", SLOTS(IBackgroundCopyFile4), 13},
    {"IBackgroundCopyFile5", SLOTS(IBackgroundCopyFile5), 15},
    {"IBackgroundCopyFile6", SLOTS(IBackgroundCopyFile6), 18},
    {"IBackgroundCopyCallback", SLOTS(IBackgroundCopyCallback), 6},
    {"IBackgroundCopyCallback2", SLOTS(IBackgroundCopyCallback2), 7},
    {"IBackgroundCopyCallback3", SLOTS(IBackgroundCopyCallback3), 8},
    {"IBackgroundCopyJobHttpOptions", SLOTS(IBackgroundCopyJobHttpOptions), 11},
    {"IDOManager", SLOTS(IDOManager), 5},
    {"IDODownload", SLOTS(IDODownload), 10},
    {"IDODownloadStatusCallback", SLOTS(IDODownloadStatusCallback), 4},
    {"IDeliveryOptimizationJob", SLOTS(IDeliveryOptimizationJob), 4},
    {"IDeliveryOptimizationJob2", SLOTS(IDeliveryOptimizationJob2), 6},
    {"IDeliveryOptimizationFile", SLOTS(IDeliveryOptimizationFile), 4},
    {"IDeliveryOptimizationFile2", SLOTS(IDeliveryOptimizationFile2), 5},
    {"IDODownloadInternal", SLOTS(IDODownloadInternal), 5},
    {"IDoctsTestClock", SLOTS(IDoctsTestClock), 7},
};

#define SLOT(i, m) (offsetof(i##Vtbl, m) / sizeof(void *))

static const struct {
    const char *name;
    size_t slot, expected;
} positions[] = {
    {"Job::AddFileSet", SLOT(IBackgroundCopyJob, AddFileSet), 3},
    {"Job::GetState", SLOT(IBackgroundCopyJob, GetState), 14},
    {"Job::TakeOwnership", SLOT(IBackgroundCopyJob, TakeOwnership), 34},
    {"Job2::SetNotifyCmdLine", SLOT(IBackgroundCopyJob2, SetNotifyCmdLine), 35},
    {"Job2::RemoveCredentials", SLOT(IBackgroundCopyJob2, RemoveCredentials),
     42},
    {"Job3::ReplaceRemotePrefix",
     SLOT(IBackgroundCopyJob3, ReplaceRemotePrefix), 43},
    {"Job3::AddFileWithRanges", SLOT(IBackgroundCopyJob3, AddFileWithRanges),
     44},
    {"Job4::SetPeerCachingFlags",
     SLOT(IBackgroundCopyJob4, SetPeerCachingFlags), 47},
    {"Job4::GetMaximumDownloadTime",
     SLOT(IBackgroundCopyJob4, GetMaximumDownloadTime), 52},
    {"Job5::SetProperty", SLOT(IBackgroundCopyJob5, SetProperty), 53},
    {"Job5::GetProperty", SLOT(IBackgroundCopyJob5, GetProperty), 54},
    {"File2::GetFileRanges", SLOT(IBackgroundCopyFile2, GetFileRanges), 6},
    {"File3::GetTemporaryName", SLOT(IBackgroundCopyFile3, GetTemporaryName),
     8},
    {"File4::GetPeerDownloadStats",
     SLOT(IBackgroundCopyFile4, GetPeerDownloadStats), 12},
    {"File5::SetProperty", SLOT(IBackgroundCopyFile5, SetProperty), 13},
    {"File5::GetProperty", SLOT(IBackgroundCopyFile5, GetProperty), 14},
    {"File6::UpdateDownloadPosition",
     SLOT(IBackgroundCopyFile6, UpdateDownloadPosition), 15},
    {"File6::GetFilledFileRanges",
     SLOT(IBackgroundCopyFile6, GetFilledFileRanges), 17},
    {"Callback2::FileTransferred",
     SLOT(IBackgroundCopyCallback2, FileTransferred), 6},
    {"Callback3::FileRangesTransferred",
     SLOT(IBackgroundCopyCallback3, FileRangesTransferred), 7},
    {"Manager::GetErrorDescription",
     SLOT(IBackgroundCopyManager, GetErrorDescription), 6},
    {"EnumJobs::GetCount", SLOT(IEnumBackgroundCopyJobs, GetCount), 7},
    {"Error::GetProtocol", SLOT(IBackgroundCopyError, GetProtocol), 7},
    {"HttpOptions::GetSecurityFlags",
     SLOT(IBackgroundCopyJobHttpOptions, GetSecurityFlags), 10},
    {"IDOManager::EnumDownloads", SLOT(IDOManager, EnumDownloads), 4},
    {"IDODownload::Start", SLOT(IDODownload, Start), 3},
    {"IDODownload::GetStatus", SLOT(IDODownload, GetStatus), 7},
    {"IDODownload::SetProperty", SLOT(IDODownload, SetProperty), 9},
    {"IDODownloadStatusCallback::OnStatusChange",
     SLOT(IDODownloadStatusCallback, OnStatusChange), 3},
    {"IDeliveryOptimizationJob2::SetProperty",
     SLOT(IDeliveryOptimizationJob2, SetProperty), 5},
    {"IDeliveryOptimizationFile::GetStats",
     SLOT(IDeliveryOptimizationFile, GetStats), 3},
    {"IDODownloadInternal::GetPropertyEx",
     SLOT(IDODownloadInternal, GetPropertyEx), 3},
    {"IDODownloadInternal::SetPropertyEx",
     SLOT(IDODownloadInternal, SetPropertyEx), 4},
    {"IDoctsTestClock::GetNow", SLOT(IDoctsTestClock, GetNow), 6},
    {"IStream::Clone", SLOT(IStream, Clone), 13},
};

static void test_slot_counts(void)
{
    size_t i;

    for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        char msg[160];
        snprintf(msg, sizeof(msg), "%s: %zu slots, spec says %zu",
                 counts[i].name, counts[i].slots, counts[i].expected);
        CU_assertImplementation(counts[i].slots == counts[i].expected, __LINE__,
                                msg, __FILE__, "", CU_FALSE);
    }
}

static void test_slot_positions(void)
{
    size_t i;

    for (i = 0; i < sizeof(positions) / sizeof(positions[0]); i++) {
        char msg[160];
        snprintf(msg, sizeof(msg), "%s at slot %zu, spec says %zu",
                 positions[i].name, positions[i].slot, positions[i].expected);
        CU_assertImplementation(positions[i].slot == positions[i].expected,
                                __LINE__, msg, __FILE__, "", CU_FALSE);
    }
}

static void test_interface_is_one_pointer(void)
{
    ASSERT_EQ(sizeof(void *), sizeof(IBackgroundCopyJob5));
    ASSERT_EQ(0, offsetof(IDODownload, lpVtbl));
}

CU_TestInfo vtables_tests[] = {
    {"slot counts equal spec section 2", test_slot_counts},
    {"slot positions at version boundaries", test_slot_positions},
    {"interface struct is one vtable pointer", test_interface_is_one_pointer},
    CU_TEST_INFO_NULL,
};
