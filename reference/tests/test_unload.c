/*
 * DllCanUnloadNow (decisions R9): S_OK only when no object of the library
 * exists (queued jobs included) and no LockServer lock is held.  This
 * suite runs last, after every other suite released and cancelled what
 * it made.
 */
#include "support.h"

#include <docom.h>

static void unload(enum mode mode)
{
    ASSERT_HR(S_OK, DllCanUnloadNow());
    IClassFactory *cf = NULL;
    ASSERT_HR(S_OK, DllGetClassObject(mode_clsid[mode], &IID_IClassFactory,
                                      (void **)&cf));
    ASSERT_HR(S_FALSE, DllCanUnloadNow());
    if (cf) {
        ASSERT_HR(S_OK, IClassFactory_LockServer(cf, TRUE));
        release(cf);
        ASSERT_HR(S_FALSE, DllCanUnloadNow());
        ASSERT_HR(S_OK, DllGetClassObject(mode_clsid[mode], &IID_IClassFactory,
                                          (void **)&cf));
        ASSERT_HR(S_OK, IClassFactory_LockServer(cf, FALSE));
        release(cf);
    }
    ASSERT_HR(S_OK, DllCanUnloadNow());

    IBackgroundCopyManager *m = make_manager(mode);
    ASSERT_HR(S_FALSE, DllCanUnloadNow());
    IBackgroundCopyJob *j = NULL;
    GUID id;
    if (m)
        ASSERT_HR(S_OK, IBackgroundCopyManager_CreateJob(
                            m, u"unload", BG_JOB_TYPE_DOWNLOAD, &id, &j));
    release(m);
    ASSERT_HR(S_FALSE, DllCanUnloadNow());
    /* A job only the queue holds still keeps the library. */
    IBackgroundCopyJob *keep = j;
    if (j)
        IBackgroundCopyJob_AddRef(keep);
    release(j);
    ASSERT_HR(S_FALSE, DllCanUnloadNow());
    IEnumBackgroundCopyFiles *e = NULL;
    if (keep) {
        ASSERT_HR(S_OK, IBackgroundCopyJob_EnumFiles(keep, &e));
        ASSERT_HR(S_OK, IBackgroundCopyJob_Cancel(keep));
        ASSERT_U64(0, release(keep));
    }
    /* The enumerator alone keeps it too. */
    ASSERT_HR(S_FALSE, DllCanUnloadNow());
    release(e);
    ASSERT_HR(S_OK, DllCanUnloadNow());
}
BOTH_MODES(unload)

CU_TestInfo tests_unload[] = {
    BOTH_INFO(unload),
    CU_TEST_INFO_NULL,
};
