/*
 * com_test.h - what the libdocom tests share: the suite list (an X-macro
 * that main.c turns into the CUnit registry) and assertion macros that
 * print both values, HRESULTs as hex and symbolic name.
 */
#ifndef COM_TEST_H
#define COM_TEST_H

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>

#include "docom.h"

/* Each test file defines CU_TestInfo <name>_tests[] (its last item). */
#define COM_SUITES(X)                                                          \
    X(alloc)                                                                   \
    X(bstr)                                                                    \
    X(variant)                                                                 \
    X(safearray)                                                               \
    X(guid)                                                                    \
    X(guids)                                                                   \
    X(vtables)                                                                 \
    X(constants)                                                               \
    X(strings)                                                                 \
    X(hresult)                                                                 \
    X(cocreate)                                                                \
    X(regcls)                                                                  \
    X(sdk_client)

#define COM_DECLARE_SUITE(name) extern CU_TestInfo name##_tests[];
COM_SUITES(COM_DECLARE_SUITE)

/* Poison for out-parameters: proves the callee wrote or cleared them. */
#define POISON_PTR ((void *)(uintptr_t)0xdeadbeefu)
#define POISON_U32 0xdeadbeefu

/* expected == actual, both printed as "0x80070057 (E_INVALIDARG)". */
#define ASSERT_HR(expected, actual)                                            \
    do {                                                                       \
        HRESULT e_ = (expected), a_ = (actual);                                \
        char m_[256], eb_[96], ab_[96];                                        \
        snprintf(m_, sizeof(m_), "%s: expected %s, got %s", #actual,           \
                 docom_hresult_format(e_, eb_, sizeof(eb_)),                   \
                 docom_hresult_format(a_, ab_, sizeof(ab_)));                  \
        CU_assertImplementation(e_ == a_, __LINE__, m_, __FILE__, "",          \
                                CU_FALSE);                                     \
    } while (0)

/* Integer equality (any integer type up to 64 bits), both printed. */
#define ASSERT_EQ(expected, actual)                                            \
    do {                                                                       \
        long long e_ = (long long)(expected), a_ = (long long)(actual);        \
        char m_[256];                                                          \
        snprintf(m_, sizeof(m_),                                               \
                 "%s: expected %lld (0x%llx), got %lld "                       \
                 "(0x%llx)",                                                   \
                 #actual, e_, (unsigned long long)e_, a_,                      \
                 (unsigned long long)a_);                                      \
        CU_assertImplementation(e_ == a_, __LINE__, m_, __FILE__, "",          \
                                CU_FALSE);                                     \
    } while (0)

/* UTF-16 string equality; a NULL actual fails unless expected is NULL. */
#define ASSERT_WSTR(expected, actual)                                          \
    do {                                                                       \
        const WCHAR *e_ = (expected), *a_ = (actual);                          \
        char m_[512], *eu_ = e_ ? docom_utf8_from_utf16(e_) : NULL;            \
        char *au_ = a_ ? docom_utf8_from_utf16(a_) : NULL;                     \
        snprintf(m_, sizeof(m_), "%s: expected \"%s\", got \"%s\"", #actual,   \
                 eu_ ? eu_ : "(null)", au_ ? au_ : "(null)");                  \
        CU_assertImplementation(docom_wcscmp(e_, a_) == 0, __LINE__, m_,       \
                                __FILE__, "", CU_FALSE);                       \
        free(eu_);                                                             \
        free(au_);                                                             \
    } while (0)

/* The fake in-process server the cocreate suite loads (built beside the
 * test binary by module.mk). */
#define COM_FAKE_SERVER "libdocom-fake-server.so"

#endif
