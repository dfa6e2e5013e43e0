/*
 * sdk_client.h - the two functions of sdk_client.c, a file written the way
 * a Windows SDK client is written; test_sdk_client.c runs them on fakes.
 */
#ifndef SDK_CLIENT_H
#define SDK_CLIENT_H

#include "bits5_0.h"
#include "deliveryoptimization.h"

HRESULT sdk_client_bits(IBackgroundCopyManager *mgr);
HRESULT sdk_client_do(IDOManager *mgr, DO_DOWNLOAD_STATUS *status);

#endif
