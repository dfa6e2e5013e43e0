/*
 * ref_policy.h - limits and policy settings of the reference.
 *
 * One X-macro lists every numeric setting with its documented default
 * (spec/behavior.md §13) and the environment variable that overrides it.
 * The environment is read once, at first use; tests change settings at
 * run time with ref_policy_set() and restore them with ref_policy_reset().
 * docs/reference.md renders the same table.
 */
#ifndef REF_POLICY_H
#define REF_POLICY_H

#include <docom.h>
#include <stdint.h>

/* X(id, environment variable, default) */
#define REF_POLICIES(X)                                                        \
    X(MAX_JOBS_PER_USER, "DOREF_MAX_JOBS_PER_USER", 60)                        \
    X(MAX_JOBS_PER_MACHINE, "DOREF_MAX_JOBS_PER_MACHINE", 300)                 \
    X(MAX_FILES_PER_JOB, "DOREF_MAX_FILES_PER_JOB", 200)                       \
    X(MAX_RANGES_PER_FILE, "DOREF_MAX_RANGES_PER_FILE", 500)                   \
    X(MAX_DISPLAY_NAME, "DOREF_MAX_DISPLAY_NAME", 256)                         \
    X(MAX_DESCRIPTION, "DOREF_MAX_DESCRIPTION", 1024)                          \
    X(MAX_URL, "DOREF_MAX_URL", 2200)                                          \
    X(MAX_URL_SEGMENT, "DOREF_MAX_URL_SEGMENT", 260)                           \
    X(MAX_LOCAL_PATH, "DOREF_MAX_LOCAL_PATH", 259)                             \
    X(MAX_PROXY_LIST, "DOREF_MAX_PROXY_LIST", 4000)                            \
    X(MAX_USERNAME, "DOREF_MAX_USERNAME", 300)                                 \
    X(MAX_PASSWORD, "DOREF_MAX_PASSWORD", 65535)                               \
    X(MAX_CMD_PROGRAM, "DOREF_MAX_CMD_PROGRAM", 259)                           \
    X(MAX_CMD_PARAMETERS, "DOREF_MAX_CMD_PARAMETERS", 4000)                    \
    X(MAX_CUSTOM_HEADERS, "DOREF_MAX_CUSTOM_HEADERS", 16384)                   \
    X(CALLER_IS_ADMIN, "DOREF_CALLER_IS_ADMIN", 0)

enum ref_policy_id {
#define REF_POLICY_ENUM(id, env, def) REF_POLICY_##id,
    REF_POLICIES(REF_POLICY_ENUM)
#undef REF_POLICY_ENUM
        REF_POLICY_COUNT
};

/* The current value of a setting (default, or environment, or setter). */
uint64_t ref_policy(enum ref_policy_id id);
/* Test setter: overrides one setting until ref_policy_reset(). */
void ref_policy_set(enum ref_policy_id id, uint64_t value);
/* Back to defaults plus environment for every setting, including the
 * deny-write prefix. */
void ref_policy_reset(void);

/*
 * Directory prefix treated as not writable (E_ACCESSDENIED), so tests
 * running as root can provoke the error: environment
 * DOREF_DENY_WRITE_PREFIX, or the setter (NULL clears).  The getter
 * copies into buf (UTF-8) and returns 0 when no prefix is set.
 */
void ref_policy_set_deny_write_prefix(const char *prefix);
int ref_policy_deny_write_prefix(char *buf, size_t size);

#endif
