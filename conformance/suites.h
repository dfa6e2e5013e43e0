/*
 * suites.h - the one list of conformance suites, as an X-macro.
 *
 * X(symbol, "name"): each suite file defines `const conf_suite
 * conf_suite_<symbol>` at the end of its case table.  main.c expands this
 * list into the suite array the runner walks and into the CU_SuiteInfo
 * array CUnit registers.  A new suite is one new file and one line here
 * (and its object in conformance/module.mk).
 */
#ifndef DOCTS_CONF_SUITES_H
#define DOCTS_CONF_SUITES_H

#define CONF_SUITES(X)                                                         \
    X(api_basics, "api-basics")                                                \
    X(api_versions, "api-versions")                                            \
    X(errors, "errors")                                                        \
    X(ranges, "ranges")                                                        \
    X(callbacks, "callbacks")                                                  \
    X(concurrency, "concurrency")                                              \
    X(do, "do-downloads")                                                      \
    X(windows, "windows")

#endif
