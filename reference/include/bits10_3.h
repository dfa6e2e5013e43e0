/*
 * bits10_3.h - BITS 10.3: in docts only the versioned coclass id
 * CLSID_BackgroundCopyManager10_3 (spec/interfaces.md 1.2).  The SDK's
 * newer HTTP-option and certificate-validation interfaces of this version
 * are not part of docts.
 */
#ifndef DOCOM_BITS10_3_H
#define DOCOM_BITS10_3_H

#include "bits10_2.h"

EXTERN_C const CLSID CLSID_BackgroundCopyManager10_3;

#endif /* DOCOM_BITS10_3_H */
