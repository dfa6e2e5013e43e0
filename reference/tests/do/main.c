/*
 * main.c - the DO-native API test runner (do-tests).  The suites come from
 * DT_SUITES in do_test.h; each test file owns its table.
 *
 *   do-tests [FILTER]   runs the suites whose name contains FILTER
 *   do-tests --matrix   prints the property x state table the tests pin
 */
#include "do_test.h"

#include <CUnit/Basic.h>
#include <curl/curl.h>
#include <stdlib.h>

#define SUITE(name, init, clean, tests)                                        \
    {.pName = name,                                                            \
     .pInitFunc = init,                                                        \
     .pCleanupFunc = clean,                                                    \
     .pSetUpFunc = NULL,                                                       \
     .pTearDownFunc = NULL,                                                    \
     .pTests = tests},

int main(int argc, char **argv)
{
    CU_SuiteInfo all[] = {DT_SUITES(SUITE) CU_SUITE_INFO_NULL};
    CU_SuiteInfo chosen[sizeof all / sizeof all[0]];
    size_t k = 0;
    unsigned failed;

    if (argc > 1 && strcmp(argv[1], "--matrix") == 0) {
        dt_print_matrix();
        return 0;
    }
    for (size_t i = 0; all[i].pName; i++)
        if (argc < 2 || strstr(all[i].pName, argv[1]))
            chosen[k++] = all[i];
    chosen[k] = (CU_SuiteInfo)CU_SUITE_INFO_NULL;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (CU_initialize_registry() != CUE_SUCCESS ||
        CU_register_suites(chosen) != CUE_SUCCESS)
        return 2;
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    curl_global_cleanup();
    return failed ? 1 : 0;
}
