/*
 * eng_test.h - shared pieces of the engine's unit tests.
 *
 * Assertion macros that print both values (HRESULTs in hex), the suite
 * list (one X-macro: each test file owns its CU_TestInfo table and its
 * suite hooks).  The network suites start h2mock on a free loopback port
 * and steer it through ../mockctl.h.
 */
#ifndef ENG_TEST_H
#define ENG_TEST_H

#include "../mockctl.h"

#include <CUnit/CUnit.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define ENG_EQ_INT(a, b)                                                       \
    do {                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                    \
        if (a_ != b_)                                                          \
            fprintf(stderr, "\n  %s:%d: %s = %lld, expected %s = %lld\n",      \
                    __FILE__, __LINE__, #a, a_, #b, b_);                       \
        CU_ASSERT_EQUAL(a_, b_);                                               \
    } while (0)

#define ENG_EQ_U64(a, b)                                                       \
    do {                                                                       \
        uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                       \
        if (a_ != b_)                                                          \
            fprintf(stderr,                                                    \
                    "\n  %s:%d: %s = %" PRIu64 ", expected %s = %" PRIu64      \
                    "\n",                                                      \
                    __FILE__, __LINE__, #a, a_, #b, b_);                       \
        CU_ASSERT_EQUAL(a_, b_);                                               \
    } while (0)

#define ENG_EQ_HR(a, b)                                                        \
    do {                                                                       \
        uint32_t a_ = (uint32_t)(a), b_ = (uint32_t)(b);                       \
        if (a_ != b_)                                                          \
            fprintf(stderr, "\n  %s:%d: %s = 0x%08X, expected %s = 0x%08X\n",  \
                    __FILE__, __LINE__, #a, a_, #b, b_);                       \
        CU_ASSERT_EQUAL(a_, b_);                                               \
    } while (0)

#define ENG_EQ_STR(a, b)                                                       \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        bool eq_ = a_ && b_ && strcmp(a_, b_) == 0;                            \
        if (!eq_)                                                              \
            fprintf(stderr, "\n  %s:%d: %s = \"%s\", expected \"%s\"\n",       \
                    __FILE__, __LINE__, #a, a_ ? a_ : "(null)",                \
                    b_ ? b_ : "(null)");                                       \
        CU_ASSERT_TRUE(eq_);                                                   \
    } while (0)

/* The suites: X(name, init, cleanup, tests). */
#define ENG_SUITES(X)                                                          \
    X("transfer", NULL, NULL, eng_transfer_tests)                              \
    X("errmap", NULL, NULL, eng_errmap_tests)                                  \
    X("upload", NULL, NULL, eng_upload_tests)                                  \
    X("shared", NULL, NULL, eng_shared_tests)                                  \
    X("engine", eng_net_init, eng_net_cleanup, eng_net_tests)                  \
    X("upload-net", eng_upload_net_init, eng_upload_net_cleanup,               \
      eng_upload_net_tests)

extern CU_TestInfo eng_transfer_tests[];
extern CU_TestInfo eng_errmap_tests[];
extern CU_TestInfo eng_upload_tests[];
extern CU_TestInfo eng_shared_tests[];
extern CU_TestInfo eng_net_tests[];
extern CU_TestInfo eng_upload_net_tests[];
int eng_net_init(void);
int eng_upload_net_init(void);
int eng_upload_net_cleanup(void);
int eng_net_cleanup(void);

#endif
