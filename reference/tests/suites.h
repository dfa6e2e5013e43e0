/*
 * The one list of the reference's unit-test suites (an X-macro): each row
 * names a test file's table (tests_<stem>, defined at the end of
 * test_<stem>.c) and the suite's name, which is the interface or area it
 * covers.  main.c turns the list into the CU_SuiteInfo array.
 */
#ifndef DOCTS_REF_TESTS_SUITES_H
#define DOCTS_REF_TESTS_SUITES_H

#include <CUnit/CUnit.h>

#define REF_SUITES(X)                                                          \
    X(factory, "IClassFactory")                                                \
    X(manager, "IBackgroundCopyManager")                                       \
    X(enum_jobs, "IEnumBackgroundCopyJobs")                                    \
    X(job, "IBackgroundCopyJob")                                               \
    X(job_state, "IBackgroundCopyJob state rules")                             \
    X(job2, "IBackgroundCopyJob2")                                             \
    X(job3, "IBackgroundCopyJob3")                                             \
    X(job4, "IBackgroundCopyJob4")                                             \
    X(job5, "IBackgroundCopyJob5")                                             \
    X(http_options, "IBackgroundCopyJobHttpOptions")                           \
    X(file, "IBackgroundCopyFile")                                             \
    X(file2, "IBackgroundCopyFile2")                                           \
    X(file3, "IBackgroundCopyFile3")                                           \
    X(file4, "IBackgroundCopyFile4")                                           \
    X(file5, "IBackgroundCopyFile5")                                           \
    X(enum_files, "IEnumBackgroundCopyFiles")                                  \
    X(error, "IBackgroundCopyError")                                           \
    X(error2, "IBackgroundCopyError context texts")                            \
    X(do_job, "IDeliveryOptimizationJob")                                      \
    X(do_job2, "IDeliveryOptimizationJob2")                                    \
    X(do_file, "IDeliveryOptimizationFile")                                    \
    X(do_file2, "IDeliveryOptimizationFile2")                                  \
    X(qi, "QueryInterface and reference counts")                               \
    X(oom, "Out of memory")                                                    \
    X(threads, "Free-threaded calls")                                          \
    X(notify, "SetNotifyInterface and the notification thread")                \
    X(internals, "Reference internals")                                        \
    X(base, "Shared base helpers")                                             \
    X(unload, "DllCanUnloadNow")

#define REF_SUITE_DECL(stem, name) extern CU_TestInfo tests_##stem[];
REF_SUITES(REF_SUITE_DECL)
#undef REF_SUITE_DECL

#endif
