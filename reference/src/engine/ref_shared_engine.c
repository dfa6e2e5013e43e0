/*
 * ref_shared_engine.c - the process's one engine (ref_shared_engine.h).
 *
 * Owns the pointer, the reference count and the configuration the engine
 * was started with.  One engine for BITS jobs and DO downloads means one
 * window of active transfers, one connection cache (HTTP/2 streams of
 * both share a connection to the same server) and one place where the
 * environment reaches libcurl (decisions E11).
 */
#include "ref_shared_engine.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_ACTIVE 100u
#define MAX_ACTIVE_LIMIT 100000ul

static pthread_mutex_t se_lock = PTHREAD_MUTEX_INITIALIZER;
static ref_engine *se_engine;
static unsigned se_refs;
static struct ref_engine_config se_cfg;

void ref_engine_config_from_env(struct ref_engine_config *cfg)
{
    const char *v = getenv("DOREF_MAX_ACTIVE");
    unsigned long n = v && *v ? strtoul(v, NULL, 0) : 0;
    memset(cfg, 0, sizeof *cfg);
    cfg->max_active =
        n > 0 && n < MAX_ACTIVE_LIMIT ? (unsigned)n : DEFAULT_MAX_ACTIVE;
    cfg->fg_reserve = cfg->max_active / 4 + 1;
    cfg->ca_file = getenv("DOREF_CA_FILE");
    cfg->verbose = getenv("DOREF_CURL_VERBOSE") != NULL;
    cfg->deny_read_prefix = getenv("DOREF_DENY_READ_PREFIX");
}

int ref_shared_engine_acquire(ref_engine **out, struct ref_engine_config *cfg)
{
    int rc = 0;
    pthread_mutex_lock(&se_lock);
    if (!se_engine) {
        ref_engine_config_from_env(&se_cfg);
        rc = ref_engine_create(&se_cfg, &se_engine);
        if (rc != 0)
            se_engine = NULL;
    }
    if (se_engine)
        se_refs++;
    *out = se_engine;
    if (cfg && se_engine)
        *cfg = se_cfg;
    pthread_mutex_unlock(&se_lock);
    return rc;
}

void ref_shared_engine_release(void)
{
    ref_engine *stop = NULL;
    pthread_mutex_lock(&se_lock);
    if (se_refs > 0 && --se_refs == 0) {
        stop = se_engine;
        se_engine = NULL;
    }
    pthread_mutex_unlock(&se_lock);
    ref_engine_destroy(stop); /* outside the lock: joins the thread */
}

unsigned ref_shared_engine_refs(void)
{
    unsigned n;
    pthread_mutex_lock(&se_lock);
    n = se_refs;
    pthread_mutex_unlock(&se_lock);
    return n;
}
