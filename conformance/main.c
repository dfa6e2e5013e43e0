/*
 * main.c - docts's entry point: the suite list (suites.h) becomes the
 * runner's suite array and, after the run, CUnit's CU_SuiteInfo array, so
 * CUnit writes its own XML for the recorded results; `docts compare` goes
 * to compare.c.  Everything else is in runner.c.
 */
#include "runner.h"
#include "suites.h"

#include <CUnit/CUnit.h>
#include <CUnit/TestDB.h>
#include <stdlib.h>
#include <string.h>

#define DECLARE(sym, name) extern const conf_suite conf_suite_##sym;
CONF_SUITES(DECLARE)
#undef DECLARE

static const conf_suite *const suites[] = {
#define ENTRY(sym, name) &conf_suite_##sym,
    CONF_SUITES(ENTRY)
#undef ENTRY
};

/* Registers one CUnit suite per docts suite, each with the instances the
 * run executed (conf_cunit_tests); CUnit copies the names, so the tables
 * are freed right after.  Returns 0 or the CUnit error. */
static int register_cunit(const conf_run *run)
{
    CU_SuiteInfo info[] = {
#define CUNIT_SUITE(sym, name)                                                 \
    {.pName = name,                                                            \
     .pInitFunc = NULL,                                                        \
     .pCleanupFunc = NULL,                                                     \
     .pSetUpFunc = NULL,                                                       \
     .pTearDownFunc = NULL,                                                    \
     .pTests = conf_cunit_tests(run, &conf_suite_##sym)},
        CONF_SUITES(CUNIT_SUITE)
#undef CUNIT_SUITE
            CU_SUITE_INFO_NULL,
    };
    size_t n = CONF_ARRAY_LEN(info) - 1;
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (!info[i].pTests)
            rc = CUE_NOMEMORY;
    if (rc == 0)
        rc = CU_register_suites(info);
    for (size_t i = 0; i < n; i++)
        free(info[i].pTests);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "compare"))
        return conf_compare_main(argc - 2, argv + 2);
    return conf_main(argc, argv, suites, CONF_ARRAY_LEN(suites),
                     register_cunit);
}
