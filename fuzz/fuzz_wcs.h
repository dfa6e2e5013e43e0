/*
 * fuzz_wcs.h - the UTF-16 strings of the fuzz targets that read names
 * (com_guid, ref_names).
 */
#ifndef FUZZ_WCS_H
#define FUZZ_WCS_H

#include <stddef.h>
#include <stdint.h>

#include "docom.h"

/* A malloc'd NUL-terminated string of the n / 2 little-endian code
 * units at d (an odd last byte is dropped; a zero unit ends the string
 * early), or NULL when out of memory. */
WCHAR *fuzz_wcs(const uint8_t *d, size_t n);

#endif
