/*
 * store_test.h - shared pieces of the job store's tests (store-tests):
 * the suite list, assertion macros that print both values (error codes
 * by name with the store's message), scratch directories, and record
 * builders used by more than one test file.
 */
#ifndef STORE_TEST_H
#define STORE_TEST_H

#include "ref_store.h"

#include <CUnit/CUnit.h>
#include <inttypes.h>
#include <stdio.h>

/* X(name, tests): every suite of store-tests. */
#define STORE_SUITES(X)                                                        \
    X("store_records", st_records_tests)                                       \
    X("store_schema", st_schema_tests)                                         \
    X("store_errors", st_errors_tests)                                         \
    X("store_processes", st_proc_tests)

extern CU_TestInfo st_records_tests[];
extern CU_TestInfo st_schema_tests[];
extern CU_TestInfo st_errors_tests[];
extern CU_TestInfo st_proc_tests[];

/* Fails (and goes on) unless `expr` returns `want`; prints both codes
 * by name and the store's message. */
#define EXPECT_ERR(want, expr)                                                 \
    do {                                                                       \
        int got_ = (expr);                                                     \
        if (got_ != (want))                                                    \
            fprintf(stderr, "\n%s:%d: %s\n  got %s (%d), want %s (%d): %s\n",  \
                    __FILE__, __LINE__, #expr, ref_store_err_name(got_), got_, \
                    ref_store_err_name(want), (int)(want),                     \
                    ref_store_last_error());                                   \
        CU_ASSERT(got_ == (want));                                             \
    } while (0)

#define EXPECT_U64(want, got)                                                  \
    do {                                                                       \
        uint64_t w_ = (uint64_t)(want), g_ = (uint64_t)(got);                  \
        if (w_ != g_)                                                          \
            fprintf(stderr,                                                    \
                    "\n%s:%d: %s = 0x%" PRIx64 ", want 0x%" PRIx64 "\n",       \
                    __FILE__, __LINE__, #got, g_, w_);                         \
        CU_ASSERT(w_ == g_);                                                   \
    } while (0)

#define EXPECT_TRUE(cond)                                                      \
    do {                                                                       \
        if (!(cond))                                                           \
            fprintf(stderr, "\n%s:%d: not true: %s\n", __FILE__, __LINE__,     \
                    #cond);                                                    \
        CU_ASSERT(cond);                                                       \
    } while (0)

/* A fresh empty directory path under the run's scratch root (not yet
 * created when `create` is 0); static storage, valid until the next
 * call. */
const char *st_scratch(int create);
/* rm -rf of the whole scratch root (at exit). */
void st_scratch_cleanup(void);
/* 0/1: the string s contains sub. */
int st_contains(const char *s, const char *sub);

/* A job whose contents are derived from n: id Data1 = n, 1 + n % 4
 * files with n % 3 ranges, description of 40 + n % 200 characters,
 * state n % 5.  Storage is static per slot (slot 0 or 1). */
const struct ref_store_job *st_job_of(uint32_t n, int slot);
/* 0 when rec has exactly the contents st_job_of(n) had (state aside). */
int st_job_check(const struct ref_store_job *rec, uint32_t n);

/* Counts the jobs of a store (REF_STORE_E_* on error). */
int st_count_jobs(struct ref_store *s, unsigned *n);

#endif
