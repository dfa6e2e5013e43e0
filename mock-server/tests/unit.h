/*
 * unit.h - shared helpers of the mock server's CUnit tests: a scratch
 * root directory with known files, and assertion macros that print both
 * values.
 */
#ifndef MOCK_UNIT_H
#define MOCK_UNIT_H

#include <CUnit/CUnit.h>
#include <stdio.h>

#include "mock.h"

#define ASSERT_INT_EQ(exp, act)                                                \
    do {                                                                       \
        long long e_ = (long long)(exp), a_ = (long long)(act);                \
        if (e_ != a_) {                                                        \
            fprintf(stderr, "\n  %s:%d: %s: expected %lld, got %lld\n",        \
                    __FILE__, __LINE__, #act, e_, a_);                         \
        }                                                                      \
        CU_ASSERT_EQUAL(e_, a_);                                               \
    } while (0)

#define ASSERT_STR_EQ(exp, act)                                                \
    do {                                                                       \
        const char *e_ = (exp), *a_ = (act);                                   \
        int same_ = e_ && a_ && strcmp(e_, a_) == 0;                           \
        if (!same_) {                                                          \
            fprintf(stderr, "\n  %s:%d: %s: expected '%s', got '%s'\n",        \
                    __FILE__, __LINE__, #act, e_ ? e_ : "(null)",              \
                    a_ ? a_ : "(null)");                                       \
        }                                                                      \
        CU_ASSERT_TRUE(same_);                                                 \
    } while (0)

/* Scratch root: /tmp/h2mock-unit-PID with data.bin (100000 bytes, byte i
 * = (i * 7 + 3) & 0xff) and hello.txt ("hello\n").  Returns its path. */
const char *unit_root(void);
/* The expected byte at offset i of data.bin. */
unsigned char unit_data_byte(size_t i);
void unit_root_cleanup(void);
/* Feed an HTTP/1.1 request text to c in pieces of chunk bytes, producing
 * after each; all output, NUL-terminated and malloc'd (test_core.c). */
char *unit_h1_talk(struct mock_conn *c, const char *req, size_t chunk,
                   int64_t now, size_t *outlen);

extern CU_TestInfo faults_tests[];
extern CU_TestInfo http_tests[];
extern CU_TestInfo core_tests[];
extern CU_TestInfo upload_tests[];

#endif
