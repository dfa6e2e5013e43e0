/*
 * bits10_2.h - BITS 10.2: in docts only the versioned coclass id
 * CLSID_BackgroundCopyManager10_2 (spec/interfaces.md 1.2).  The SDK's
 * newer HTTP-option and certificate-validation interfaces of this version
 * are not part of docts.
 */
#ifndef DOCOM_BITS10_2_H
#define DOCOM_BITS10_2_H

#include "bits10_1.h"

EXTERN_C const CLSID CLSID_BackgroundCopyManager10_2;

#endif /* DOCOM_BITS10_2_H */
