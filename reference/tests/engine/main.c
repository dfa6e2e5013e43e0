/*
 * main.c - the engine test runner: registers the suites of ENG_SUITES and
 * runs them with CUnit's basic interface; exit status 0 when everything
 * passed, 1 on any failure.  `engine-tests --errmap-markdown` prints the
 * error table (ref_errmap_markdown) that docs/engine.md quotes.
 * `engine-tests SUITE [TEST]` runs one suite, or one test of it, by its
 * exact name (e.g. `engine-tests engine "failures and their mapping"`);
 * an unknown name exits 2.
 */
#include "eng_test.h"
#include "ref_alloc.h"
#include "ref_errmap.h"

#include <CUnit/Basic.h>
#include <string.h>

#define ENG_SUITE_INFO(name, init, cleanup, tests)                             \
    {name, init, cleanup, NULL, NULL, tests},

static CU_SuiteInfo suites[] = {
    ENG_SUITES(ENG_SUITE_INFO) CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    unsigned failed;

    if (argc == 2 && strcmp(argv[1], "--errmap-markdown") == 0) {
        char *md = ref_errmap_markdown();

        if (!md)
            return 2;
        fputs(md, stdout);
        ref_free(md);
        return 0;
    }

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "engine-tests: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (argc >= 2) {
        CU_pSuite suite = CU_get_suite(argv[1]);
        CU_pTest test = suite && argc >= 3 ? CU_get_test(suite, argv[2]) : NULL;

        if (!suite || (argc >= 3 && !test) || argc > 3) {
            fprintf(stderr, "engine-tests: no suite/test named %s%s%s\n",
                    argv[1], argc >= 3 ? " / " : "", argc >= 3 ? argv[2] : "");
            CU_cleanup_registry();
            return 2;
        }
        if (test)
            CU_basic_run_test(suite, test);
        else
            CU_basic_run_suite(suite);
    } else {
        CU_basic_run_tests();
    }
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed() +
             CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
