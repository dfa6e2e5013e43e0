/*
 * ref_shared_engine.h - the one download engine of the process, shared by
 * the BITS scheduler (ref_sched.c) and the DO downloads (do_service.c).
 *
 * Owns the engine's lifetime and its configuration from the environment,
 * read once each time the engine is created (docs/engine.md
 * "Configuration"):
 *   DOREF_MAX_ACTIVE    background transfers at once (1..99999; else 100)
 *   DOREF_CA_FILE       CURLOPT_CAINFO of every transfer (tests' CA)
 *   DOREF_CURL_VERBOSE  set: libcurl's verbose trace of every transfer
 *   DOREF_DENY_READ_PREFIX  local sources under it count as unreadable
 * FOREGROUND gets max_active / 4 + 1 slots of its own.  The engine starts
 * on the first acquire and is reference-counted: the last release stops
 * it, and the next acquire starts a new one from the environment of that
 * moment.  Imports only the engine (ref_engine.h): no job or COM object.
 */
#ifndef REF_SHARED_ENGINE_H
#define REF_SHARED_ENGINE_H

#include "ref_engine.h"

/* Fills *cfg from the environment as above.  cfg->ca_file points into the
 * environment (valid while the variable is not changed). */
void ref_engine_config_from_env(struct ref_engine_config *cfg);

/*
 * Takes one reference on the process's engine, starting it when there is
 * none.  Returns 0 with *out set and, when cfg is not NULL, *cfg = the
 * configuration the engine was started with; or -ENOMEM / -errno of
 * ref_engine_create (*out = NULL, no reference taken).  Thread-safe.
 */
int ref_shared_engine_acquire(ref_engine **out, struct ref_engine_config *cfg);

/*
 * Drops one reference; the last one stops the engine (ref_engine_destroy:
 * requests still in flight are dropped without callbacks), so the caller
 * of the last release must have none in flight and must not be on an
 * engine callback.  Without a reference held: a no-op.
 */
void ref_shared_engine_release(void);

/* References held now (for tests). */
unsigned ref_shared_engine_refs(void);

#endif
