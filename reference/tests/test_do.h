/*
 * Helpers shared by the four DO-interface suites: a DO-mode job with its
 * IDeliveryOptimizationJob / Job2 interfaces (D5), a file added through
 * AddFileWithRanges with a file id, and VARIANT checks.
 */
#ifndef DOCTS_REF_TESTS_TEST_DO_H
#define DOCTS_REF_TESTS_TEST_DO_H

#include "support.h"

/* A DO-mode fixture job's IDeliveryOptimizationJob (caller releases). */
static inline IDeliveryOptimizationJob *do_job(struct fx *fx,
                                               IBackgroundCopyJob **job)
{
    *job = fx_job(fx, 0);
    return *job ? qi(*job, &IID_IDeliveryOptimizationJob) : NULL;
}

/* Adds "<name>" with file id `id`, whole file, size `size`. */
static inline HRESULT do_add(struct fx *fx, IDeliveryOptimizationJob *j,
                             const WCHAR *id, const char *name, UINT64 size)
{
    WCHAR *u = fx_url(name), *p = fx_path(fx, name);
    HRESULT hr =
        IDeliveryOptimizationJob_AddFileWithRanges(j, id, u, p, 0, NULL, size);
    CoTaskMemFree(u);
    CoTaskMemFree(p);
    return hr;
}

#endif
