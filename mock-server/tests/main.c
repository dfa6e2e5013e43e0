/*
 * main.c - runs the mock server's CUnit suites (the suites are listed once
 * in SUITES; each test file owns its table).  Exit status: the number of
 * failures, capped at 1.
 */
#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

static char root[64];

unsigned char unit_data_byte(size_t i)
{
    return (unsigned char)((i * 7 + 3) & 0xff);
}

const char *unit_root(void)
{
    if (root[0]) {
        return root;
    }
    snprintf(root, sizeof(root), "/tmp/h2mock-unit-%d", (int)getpid());
    mkdir(root, 0755);
    char p[128];
    snprintf(p, sizeof(p), "%s/data.bin", root);
    FILE *f = fopen(p, "wb");
    for (size_t i = 0; f && i < 100000; i++) {
        fputc(unit_data_byte(i), f);
    }
    if (f) {
        fclose(f);
    }
    snprintf(p, sizeof(p), "%s/hello.txt", root);
    f = fopen(p, "wb");
    if (f) {
        fputs("hello\n", f);
        fclose(f);
    }
    return root;
}

void unit_root_cleanup(void)
{
    if (!root[0]) {
        return;
    }
    char p[128];
    snprintf(p, sizeof(p), "%s/data.bin", root);
    unlink(p);
    snprintf(p, sizeof(p), "%s/hello.txt", root);
    unlink(p);
    rmdir(root);
}

#define SUITES(X) X(faults) X(http) X(core) X(upload)

int main(void)
{
#define SUITE(n)                                                               \
    {.pName = #n,                                                              \
     .pInitFunc = NULL,                                                        \
     .pCleanupFunc = NULL,                                                     \
     .pSetUpFunc = NULL,                                                       \
     .pTearDownFunc = NULL,                                                    \
     .pTests = n##_tests},
    CU_SuiteInfo suites[] = {SUITES(SUITE) CU_SUITE_INFO_NULL};
#undef SUITE
    if (CU_initialize_registry() != CUE_SUCCESS ||
        CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "mock-unit: CUnit setup failed\n");
        return 1;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    unsigned tests_failed = CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    unit_root_cleanup();
    printf("mock-unit: %u failed assertions, %u failed tests\n", failed,
           tests_failed);
    return failed ? 1 : 0;
}
