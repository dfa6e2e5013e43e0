/*
 * main.c - the runner of the libdocom tests: builds the CUnit registry
 * from the COM_SUITES list of com_test.h and runs it.  Exit status 0 only
 * when every assertion passed.  An optional argument runs one suite.
 */
#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>

#include "com_test.h"

#define COM_SUITE_INFO(name)                                                   \
    {.pName = #name,                                                           \
     .pInitFunc = NULL,                                                        \
     .pCleanupFunc = NULL,                                                     \
     .pSetUpFunc = NULL,                                                       \
     .pTearDownFunc = NULL,                                                    \
     .pTests = name##_tests},

static CU_SuiteInfo suites[] = {COM_SUITES(COM_SUITE_INFO) CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    unsigned int failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "com-tests: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    if (argc > 1) {
        CU_pSuite s = CU_get_suite(argv[1]);
        if (!s) {
            fprintf(stderr, "com-tests: no suite %s\n", argv[1]);
            CU_cleanup_registry();
            return 2;
        }
        CU_basic_run_suite(s);
    } else {
        CU_basic_run_tests();
    }
    failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    if (CU_get_run_summary()->nTestsRun == 0)
        failed = 1;
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
