/*
 * docom.h (Windows) - what reference/include's headers expect from docom.h
 * when docts.exe is built with MinGW-w64: the SDK's own COM base types
 * (windows.h, objbase.h) and the few names of ours those headers use on
 * top of them.  conformance/win/sdk_gaps.py copies this file into the
 * generated include directory; libdocom's functions do not exist here.
 */
#ifndef DOCTS_WIN_DOCOM_H
#define DOCTS_WIN_DOCOM_H

#ifndef COBJMACROS
#define COBJMACROS
#endif
#include <windows.h>
#include <objbase.h>
#include <stddef.h>
#include <stdint.h>
#include <uchar.h>

#define DOCOM_STATIC_ASSERT(e, msg) _Static_assert(e, msg)
#define DOCOM_ALIGN8
#define DOCOM_API

/* the Windows SDK's winerror.h has it; MinGW 10's does not */
#ifndef E_NOT_SET
#define E_NOT_SET ((HRESULT)0x80070490L)
#endif

#endif
