/*
 * hresult.c - HRESULTs as text: docom_hresult_name() looks a value up in
 * the table generated from the public headers (gen_hresult_names.sh), and
 * docom_hresult_format() renders "0x80200001 (BG_E_NOT_FOUND)" for test
 * messages, logs and reports, decoding FACILITY_HTTP and FACILITY_WIN32
 * values that have no name of their own.
 */
#include <stdio.h>

#include "docom.h"
#include "docom_private.h"

/* Contract: see docom.h.  The table is small (a few hundred entries) and
 * read-only, so a linear search is fast enough and thread-safe. */
const char *docom_hresult_name(HRESULT hr)
{
    size_t i;

    for (i = 0; i < docom_hresult_table_len; i++)
        if (docom_hresult_table[i].hr == hr)
            return docom_hresult_table[i].name;
    return NULL;
}

/* Contract: see docom.h. */
const char *docom_hresult_format(HRESULT hr, char *buf, size_t size)
{
    const char *name = docom_hresult_name(hr);
    unsigned int v = (unsigned int)hr;

    if (!buf || size == 0)
        return buf;
    if (name)
        snprintf(buf, size, "0x%08X (%s)", v, name);
    else if ((v & 0xFFFF0000u) == 0x80190000u)
        snprintf(buf, size, "0x%08X (HTTP %u)", v, v & 0xFFFFu);
    else if ((v & 0xFFFF0000u) == 0x80070000u)
        snprintf(buf, size, "0x%08X (HRESULT_FROM_WIN32(%u))", v, v & 0xFFFFu);
    else
        snprintf(buf, size, "0x%08X", v);
    return buf;
}
