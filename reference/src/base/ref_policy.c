/*
 * ref_policy.c - limit and policy values (ref_policy.h).
 *
 * Owns the table of current values and its one-time initialisation from
 * the environment; every reader goes through ref_policy().
 */
#include "ref_policy.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct policy_row {
    const char *env;
    uint64_t def;
};

static const struct policy_row policy_rows[REF_POLICY_COUNT] = {
#define REF_POLICY_ROW(id, env, def) [REF_POLICY_##id] = {env, def},
    REF_POLICIES(REF_POLICY_ROW)
#undef REF_POLICY_ROW
};

static pthread_mutex_t policy_lock = PTHREAD_MUTEX_INITIALIZER;
static int policy_ready;
static uint64_t policy_values[REF_POLICY_COUNT];
static char deny_prefix[4096];

/* Called with policy_lock held. */
static void policy_load_locked(void)
{
    const char *env;
    for (int i = 0; i < REF_POLICY_COUNT; i++) {
        policy_values[i] = policy_rows[i].def;
        env = getenv(policy_rows[i].env);
        if (env && *env) {
            char *end;
            unsigned long long v = strtoull(env, &end, 0);
            if (*end == '\0')
                policy_values[i] = v;
        }
    }
    env = getenv("DOREF_DENY_WRITE_PREFIX");
    deny_prefix[0] = '\0';
    if (env && strlen(env) < sizeof deny_prefix)
        strcpy(deny_prefix, env);
    policy_ready = 1;
}

uint64_t ref_policy(enum ref_policy_id id)
{
    uint64_t v;
    if ((int)id < 0 || id >= REF_POLICY_COUNT)
        return 0;
    pthread_mutex_lock(&policy_lock);
    if (!policy_ready)
        policy_load_locked();
    v = policy_values[id];
    pthread_mutex_unlock(&policy_lock);
    return v;
}

void ref_policy_set(enum ref_policy_id id, uint64_t value)
{
    if ((int)id < 0 || id >= REF_POLICY_COUNT)
        return;
    pthread_mutex_lock(&policy_lock);
    if (!policy_ready)
        policy_load_locked();
    policy_values[id] = value;
    pthread_mutex_unlock(&policy_lock);
}

void ref_policy_reset(void)
{
    pthread_mutex_lock(&policy_lock);
    policy_load_locked();
    pthread_mutex_unlock(&policy_lock);
}

void ref_policy_set_deny_write_prefix(const char *prefix)
{
    pthread_mutex_lock(&policy_lock);
    if (!policy_ready)
        policy_load_locked();
    deny_prefix[0] = '\0';
    if (prefix && strlen(prefix) < sizeof deny_prefix)
        strcpy(deny_prefix, prefix);
    pthread_mutex_unlock(&policy_lock);
}

int ref_policy_deny_write_prefix(char *buf, size_t size)
{
    int set;
    pthread_mutex_lock(&policy_lock);
    if (!policy_ready)
        policy_load_locked();
    set = deny_prefix[0] != '\0' && strlen(deny_prefix) < size;
    if (set)
        strcpy(buf, deny_prefix);
    pthread_mutex_unlock(&policy_lock);
    return set;
}
