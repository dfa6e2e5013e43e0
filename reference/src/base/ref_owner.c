/*
 * ref_owner.c - the caller's identity (ref_owner.h).
 *
 * Owns the current SID string; job owners are copies taken at CreateJob
 * (and TakeOwnership) time.
 */
#include "ref_owner.h"
#include "ref_policy.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t owner_lock = PTHREAD_MUTEX_INITIALIZER;
static int owner_ready;
static WCHAR owner_sid[REF_SID_MAX];

static void owner_store_ascii_locked(const char *s)
{
    size_t i;
    for (i = 0; s[i] && i < REF_SID_MAX - 1; i++)
        owner_sid[i] = (WCHAR)(unsigned char)s[i];
    owner_sid[i] = 0;
}

static void owner_default_locked(void)
{
    char buf[REF_SID_MAX];
    const char *env = getenv("DOREF_OWNER_SID");
    if (env && *env && strlen(env) < REF_SID_MAX) {
        owner_store_ascii_locked(env);
    } else {
        snprintf(buf, sizeof buf, "S-1-5-21-0-0-0-%lu",
                 1000UL + (unsigned long)getuid());
        owner_store_ascii_locked(buf);
    }
    owner_ready = 1;
}

void ref_owner_current(WCHAR buf[REF_SID_MAX])
{
    pthread_mutex_lock(&owner_lock);
    if (!owner_ready)
        owner_default_locked();
    memcpy(buf, owner_sid, sizeof owner_sid);
    pthread_mutex_unlock(&owner_lock);
}

void ref_owner_set(const char *sid)
{
    pthread_mutex_lock(&owner_lock);
    if (!sid)
        owner_default_locked();
    else if (strlen(sid) < REF_SID_MAX)
        owner_store_ascii_locked(sid);
    owner_ready = 1;
    pthread_mutex_unlock(&owner_lock);
}

int ref_owner_is_admin(void)
{
    return ref_policy(REF_POLICY_CALLER_IS_ADMIN) != 0;
}
