/*
 * test_shared_engine.c - ref_shared_engine: the environment -> engine
 * configuration table (DOREF_MAX_ACTIVE, DOREF_CA_FILE,
 * DOREF_CURL_VERBOSE; docs/engine.md "Configuration") and the reference
 * count that starts and stops the process's one engine (decisions E11).
 * Every case restores the variables it sets.
 */
#include "eng_test.h"
#include "ref_shared_engine.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    const char *max_active, *ca_file, *verbose; /* NULL = unset */
    unsigned want_max, want_fg;
    int want_verbose;
} cfg_rows[] = {
    {"nothing set", NULL, NULL, NULL, 100, 26, 0},
    {"a window of 8", "8", NULL, NULL, 8, 3, 0},
    {"hex window", "0x10", NULL, NULL, 16, 5, 0},
    {"window 1", "1", NULL, NULL, 1, 1, 0},
    {"zero: default", "0", NULL, NULL, 100, 26, 0},
    {"not a number: default", "many", NULL, NULL, 100, 26, 0},
    {"too large: default", "100000", NULL, NULL, 100, 26, 0},
    {"largest", "99999", NULL, NULL, 99999, 25000, 0},
    {"CA file and verbose", NULL, "/tmp/ca.pem", "1", 100, 26, 1},
    {"verbose when set, even empty", NULL, NULL, "", 100, 26, 1},
};

static const char *const vars[] = {"DOREF_MAX_ACTIVE", "DOREF_CA_FILE",
                                   "DOREF_CURL_VERBOSE"};

static void set_or_unset(const char *name, const char *v)
{
    if (v)
        setenv(name, v, 1);
    else
        unsetenv(name);
}

static void save_env(char *saved[3])
{
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        saved[i] = v ? strdup(v) : NULL;
    }
}

static void restore_env(char *saved[3])
{
    for (int i = 0; i < 3; i++) {
        set_or_unset(vars[i], saved[i]);
        free(saved[i]);
    }
}

static void test_config_from_env(void)
{
    char *saved[3];
    save_env(saved);
    for (size_t i = 0; i < sizeof cfg_rows / sizeof cfg_rows[0]; i++) {
        struct ref_engine_config c;
        memset(&c, 0xA5, sizeof c);
        set_or_unset(vars[0], cfg_rows[i].max_active);
        set_or_unset(vars[1], cfg_rows[i].ca_file);
        set_or_unset(vars[2], cfg_rows[i].verbose);
        ref_engine_config_from_env(&c);
        if (c.max_active != cfg_rows[i].want_max)
            fprintf(stderr, "\n  [%s]\n", cfg_rows[i].name);
        ENG_EQ_INT(c.max_active, cfg_rows[i].want_max);
        ENG_EQ_INT(c.fg_reserve, cfg_rows[i].want_fg);
        ENG_EQ_INT(c.verbose, cfg_rows[i].want_verbose);
        if (cfg_rows[i].ca_file)
            ENG_EQ_STR(c.ca_file, cfg_rows[i].ca_file);
        else
            CU_ASSERT_PTR_NULL(c.ca_file);
    }
    restore_env(saved);
}

/* Two holders share one engine; the last release stops it; the next
 * acquire starts a new one from the environment of that moment. */
static void test_reference_count(void)
{
    struct ref_engine_config c1, c2;
    ref_engine *a = NULL, *b = NULL, *n = NULL;
    size_t active = 99;
    char *saved[3];
    save_env(saved);
    set_or_unset(vars[0], "7");
    set_or_unset(vars[2], NULL);
    ENG_EQ_INT(ref_shared_engine_refs(), 0);
    ENG_EQ_INT(ref_shared_engine_acquire(&a, &c1), 0);
    set_or_unset(vars[0], "9"); /* not read while the engine runs */
    ENG_EQ_INT(ref_shared_engine_acquire(&b, &c2), 0);
    CU_ASSERT_PTR_NOT_NULL(a);
    CU_ASSERT_PTR_EQUAL(a, b);
    ENG_EQ_INT(c1.max_active, 7);
    ENG_EQ_INT(c2.max_active, 7);
    ENG_EQ_INT(ref_shared_engine_refs(), 2);
    ref_shared_engine_release();
    ENG_EQ_INT(ref_shared_engine_refs(), 1);
    ref_engine_counts(a, NULL, &active, NULL); /* still running */
    ENG_EQ_INT(active, 0);
    ref_shared_engine_release();
    ENG_EQ_INT(ref_shared_engine_refs(), 0);
    ref_shared_engine_release(); /* none held: no-op */
    ENG_EQ_INT(ref_shared_engine_refs(), 0);
    ENG_EQ_INT(ref_shared_engine_acquire(&n, &c1), 0);
    CU_ASSERT_PTR_NOT_NULL(n);
    ENG_EQ_INT(c1.max_active, 9);
    ref_shared_engine_release();
    ENG_EQ_INT(ref_shared_engine_refs(), 0);
    restore_env(saved);
}

CU_TestInfo eng_shared_tests[] = {
    {"configuration from the environment", test_config_from_env},
    {"reference count: start, share, stop", test_reference_count},
    CU_TEST_INFO_NULL,
};
