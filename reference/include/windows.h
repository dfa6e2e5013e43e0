/*
 * windows.h - forwarding header with the Windows SDK's name.  docts keeps the
 * COM base types in docom.h; this file exists so that a client written
 * for the Windows SDK (#include <windows.h>) compiles unchanged.
 */
#ifndef DOCOM_FWD_WINDOWS_H
#define DOCOM_FWD_WINDOWS_H
#include "docom.h"
#endif
