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
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SUITE(name, init, clean, tests)                                        \
    {.pName = name,                                                            \
     .pInitFunc = init,                                                        \
     .pCleanupFunc = clean,                                                    \
     .pSetUpFunc = NULL,                                                       \
     .pTearDownFunc = NULL,                                                    \
     .pTests = tests},

/* The job store of these runs lives in a private temporary directory
 * (never the user's), removed at the end. */
static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int main(int argc, char **argv)
{
    char state_dir[256];
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
    snprintf(state_dir, sizeof state_dir, "%s/do-tests-state-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(state_dir)) {
        perror("mkdtemp");
        return 2;
    }
    setenv("DOREF_STATE_DIR", state_dir, 1);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (CU_initialize_registry() != CUE_SUCCESS ||
        CU_register_suites(chosen) != CUE_SUCCESS)
        return 2;
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    curl_global_cleanup();
    nftw(state_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return failed ? 1 : 0;
}
