/*
 * sdk_client.c - a BITS and DO client written as for the Windows SDK:
 * COBJMACROS, <windows.h>, the SDK header names, the IFoo_Method call
 * macros, L-free u"" literals, VARIANTs through the V_* accessors and a
 * BITS_JOB_PROPERTY_VALUE passed by value.  It is compiled with the
 * project's -Wall -Wextra -Werror (and more) as part of check-com, which
 * proves an SDK client builds against our headers unchanged;
 * test_sdk_client.c also runs it against fake objects to prove the macros
 * reach the right slots with the right arguments.
 */
#define COBJMACROS
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
#include <bits.h>
#include <bits5_0.h>
#include <bits10_1.h>
#include <bitsmsg.h>
#include <deliveryoptimization.h>
#include <deliveryoptimizationerrors.h>

#include "sdk_client.h"

HRESULT sdk_client_bits(IBackgroundCopyManager *mgr)
{
    IBackgroundCopyJob *job = NULL;
    IBackgroundCopyJob5 *job5 = NULL;
    BITS_JOB_PROPERTY_VALUE value;
    GUID id;
    HRESULT hr;

    hr = IBackgroundCopyManager_CreateJob(mgr, u"sdk client",
                                          BG_JOB_TYPE_DOWNLOAD, &id, &job);
    if (FAILED(hr))
        return hr;
    hr = IBackgroundCopyJob_AddFile(job, u"http://127.0.0.1/a.bin",
                                    u"/tmp/a.bin");
    if (SUCCEEDED(hr))
        hr = IBackgroundCopyJob_QueryInterface(job, &IID_IBackgroundCopyJob5,
                                               (void **)&job5);
    if (SUCCEEDED(hr)) {
        value.Dword = BITS_COST_STATE_TRANSFER_ALWAYS;
        hr = IBackgroundCopyJob5_SetProperty(
            job5, BITS_JOB_PROPERTY_ID_COST_FLAGS, value);
        IBackgroundCopyJob5_Release(job5);
    }
    if (SUCCEEDED(hr))
        hr = IBackgroundCopyJob_Resume(job);
    IBackgroundCopyJob_Release(job);
    return hr;
}

HRESULT sdk_client_do(IDOManager *mgr, DO_DOWNLOAD_STATUS *status)
{
    IDODownload *dl = NULL;
    VARIANT var;
    HRESULT hr;

    hr = IDOManager_CreateDownload(mgr, &dl);
    if (FAILED(hr))
        return hr;
    VariantInit(&var);
    V_VT(&var) = VT_BSTR;
    V_BSTR(&var) = SysAllocString(u"http://127.0.0.1/b.bin");
    hr = IDODownload_SetProperty(dl, DODownloadProperty_Uri, &var);
    VariantClear(&var);
    if (SUCCEEDED(hr)) {
        V_VT(&var) = VT_BOOL;
        V_BOOL(&var) = VARIANT_TRUE;
        hr = IDODownload_SetProperty(dl, DODownloadProperty_ForegroundPriority,
                                     &var);
    }
    if (SUCCEEDED(hr))
        hr = IDODownload_Start(dl, NULL);
    if (SUCCEEDED(hr))
        hr = IDODownload_GetStatus(dl, status);
    IDODownload_Release(dl);
    return hr;
}
