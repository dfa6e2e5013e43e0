/*
 * The one list of the transfer tests' suites (an X-macro): each row names
 * a test file's table (xfer_tests_<stem>, defined at the end of
 * test_<stem>.c) and the area it covers.  main.c builds the CU_SuiteInfo
 * array from it.
 */
#ifndef DOCTS_XFER_SUITES_H
#define DOCTS_XFER_SUITES_H

#include <CUnit/CUnit.h>

#define XFER_SUITES(X)                                                         \
    X(download, "transfer: whole files")                                       \
    X(faults, "transfer: h2mock fault actions")                                \
    X(resume, "transfer: resume and consistency")                              \
    X(ranges, "transfer: byte ranges")                                         \
    X(timers, "transfer: timers on the test clock")                            \
    X(callbacks, "transfer: callbacks")                                        \
    X(props, "transfer: properties in effect")                                 \
    X(load, "transfer: cancel, suspend, many jobs, priorities")                \
    X(http1, "transfer: a server without HTTP/2")                              \
    X(local, "transfer: local paths and file:// sources")                      \
    X(upload, "transfer: upload and upload-reply jobs")

#define XFER_SUITE_DECL(stem, name) extern CU_TestInfo xfer_tests_##stem[];
XFER_SUITES(XFER_SUITE_DECL)
#undef XFER_SUITE_DECL

#endif
