/*
 * ref_owner.h - who the caller is.
 *
 * The reference runs in the client's process, so "the calling user" is the
 * process's user.  Its identity is a SID-shaped string,
 * S-1-5-21-0-0-0-<1000 + real uid>, overridable with the environment
 * variable DOREF_OWNER_SID (read at first use) or, at run time, with the
 * test setter (docs/decisions.md R6).  Whether the caller counts as an
 * administrator is the policy setting CALLER_IS_ADMIN (R5).
 */
#ifndef REF_OWNER_H
#define REF_OWNER_H

#include <docom.h>

/* Longest SID string the reference stores, in UTF-16 units (with NUL). */
#define REF_SID_MAX 192

/* Copies the caller's SID string into buf (REF_SID_MAX units). */
void ref_owner_current(WCHAR buf[REF_SID_MAX]);
/* Test setter: act as another user (ASCII SID; NULL restores the
 * default).  Strings longer than REF_SID_MAX - 1 are ignored. */
void ref_owner_set(const char *sid);
/* Non-zero when the caller is treated as an administrator. */
int ref_owner_is_admin(void);

#endif
