/*
 * main.c - the job store's test runner: registers STORE_SUITES and runs
 * them with CUnit's basic interface; exit status 0 when everything
 * passed, 1 on any failure.  A suite name as argument runs that suite.
 */
#include "store_test.h"

#include <CUnit/Basic.h>
#include <string.h>

#define SUITE_INFO(name, tests) {name, NULL, NULL, NULL, NULL, tests},

static CU_SuiteInfo suites[] = {
    STORE_SUITES(SUITE_INFO) CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    unsigned failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "store-tests: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (argc == 2) {
        CU_pSuite s = CU_get_suite(argv[1]);
        if (!s) {
            fprintf(stderr, "store-tests: no suite %s\n", argv[1]);
            CU_cleanup_registry();
            return 2;
        }
        CU_basic_run_suite(s);
    } else {
        CU_basic_run_tests();
    }
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed() +
             CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    st_scratch_cleanup();
    return failed ? 1 : 0;
}
