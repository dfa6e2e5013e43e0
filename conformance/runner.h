/*
 * runner.h - the runner's own types: case instances, results, options,
 * selection helpers and the report writers.  Suites never include this
 * (they see conf.h); main.c, the report writers and the runner's unit tests
 * do.
 */
#ifndef DOCTS_CONF_RUNNER_H
#define DOCTS_CONF_RUNNER_H

#include "conf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* How an instance (case x profile) ended in its child. */
typedef enum {
    CONF_O_PASS,
    CONF_O_FAIL,
    CONF_O_SKIP,
    CONF_O_CRASH,   /* the child died on a signal or exited abnormally */
    CONF_O_TIMEOUT, /* killed after the case's timeout */
} conf_outcome;

/* What the reports show: the outcome combined with evidence and gaps. */
typedef enum {
    CONF_V_PASS,
    CONF_V_FAIL,    /* required case failed: fails the run */
    CONF_V_CRASH,   /* required case crashed: fails the run */
    CONF_V_TIMEOUT, /* required case timed out: fails the run */
    CONF_V_SKIP,
    CONF_V_INFO_FAIL, /* informative case did not pass: reported only */
    CONF_V_KNOWN_GAP, /* listed in --known-gaps and did not pass */
    CONF_V_XPASS,     /* listed in --known-gaps but passed */
    CONF_V_COUNT
} conf_verdict;

typedef struct conf_result {
    const conf_suite *suite;
    const conf_case *c;
    unsigned profile; /* CONF_P_BITS or CONF_P_DO */
    char name[64];    /* "MGR-001[bits]" */
    conf_outcome outcome;
    const char *gap_reason;  /* from --known-gaps, or NULL */
    unsigned checks;         /* assertions evaluated */
    char *expected, *actual; /* of the failing (or last) check */
    char *message;           /* failure / skip reason */
    char *where;             /* "file:line" of the failing check */
    char *check;             /* source text of the failing check */
    char *output;            /* tail of the child's stdout/stderr */
    double seconds;
} conf_result;

typedef struct conf_options {
    const char *impl;          /* --impl */
    const char *mock;          /* --mock */
    const char *fixtures;      /* --fixtures */
    const char *report_dir;    /* --report */
    const char *known_gaps;    /* --known-gaps */
    const char *suite_glob;    /* --suite (comma-separated globs) */
    const char *case_glob;     /* --case (comma-separated globs) */
    unsigned profiles;         /* --profile */
    unsigned jobs;             /* --jobs */
    unsigned shard_i, shard_n; /* --shard I/N (1-based) */
    unsigned timeout_s;        /* --timeout: default per-case timeout */
    bool slow, list, list_md, quiet, no_reports;
    const char *mock_url;  /* --mock-url: a running shared mock server */
    const char *last_glob; /* --last: cases run after all others */
    /* a child started again for one piece of work (platform.h; Windows):
     * --run-case SUITE/CASE/PROFILE with --tmpdir, or --probe */
    const char *run_case, *tmpdir;
    bool probe;
} conf_options;

/* Everything a report writer needs about one run. */
typedef struct conf_run {
    const char *impl;     /* absolute path */
    const char *profile;  /* "bits", "do" or "all" */
    char date[32];        /* UTC, ISO 8601 */
    const char *mock_url; /* or NULL */
    double seconds;
    conf_result *results;
    size_t nresults;
    unsigned counts[CONF_V_COUNT];
} conf_run;

/* Registers the CUnit suites for a finished run (main.c builds the
 * CU_SuiteInfo array from suites.h).  Returns 0 or a CUnit error code. */
typedef int (*conf_cunit_register_fn)(const conf_run *run);

/* Runs docts with ARGV over SUITES.  Returns the process exit status: 0 all
 * required cases passed, 1 a required case failed, 2 usage or set-up error.
 * REG may be NULL (no CUnit XML). */
int conf_main(int argc, char **argv, const conf_suite *const *suites,
              size_t nsuites, conf_cunit_register_fn reg);

/* `docts compare RUN_DIR... --report DIR` (compare.c): ARGV are the
 * arguments after "compare".  Returns the exit status (0, or 2). */
int conf_compare_main(int argc, char **argv);

/* What a child needs to run one instance (casectx.c). */
/* --impl value naming the system's own (out-of-process) COM server */
#define CONF_IMPL_SYSTEM "com:local"

typedef struct conf_exec {
    const conf_suite *suite;
    const conf_case *c;
    unsigned profile;
    const char *impl;     /* absolute path of the implementation, or
                             CONF_IMPL_SYSTEM */
    const char *tmpdir;   /* the instance's private directory */
    const char *mock_url; /* or NULL */
    bool slow;
} conf_exec;

/* Child body (a conf_child_fn): sets up, runs the case, tears down and
 * writes the result record ("O outcome", "C checks", "E expected",
 * "A actual", "M message", "W where", "X check", "Z end"; one line each, '\\'
 * and newlines escaped) to CHAN.  ARG is a const conf_exec *. */
struct conf_chan;
void conf_case_execute(void *arg, struct conf_chan *chan);

/* docts --helper ...: a case's second process (conf_job_from_helper);
 * ARGV starts after "--helper".  Returns the exit status. */
int conf_helper_main(int argc, char **argv);

/* ---- selection (select.c) ---------------------------------------------- */

/* Glob match: '*' any run, '?' one character, '[abc]' / '[a-z]' / '[!x]'
 * a set; everything else literal. Case-sensitive. */
bool conf_glob(const char *pattern, const char *s);

/* True when S matches any of the comma-separated globs in LIST (a NULL or
 * empty LIST matches everything). */
bool conf_glob_list(const char *list, const char *s);

/* Parses "I/N" (1 <= I <= N).  Returns 0 or -1. */
int conf_parse_shard(const char *text, unsigned *i, unsigned *n);

/* True when the INDEX-th (0-based) selected instance belongs to shard I of
 * N (1-based; round robin, so shards differ by at most one instance). */
bool conf_in_shard(size_t index, unsigned i, unsigned n);

/* Parses "bits", "do" or "all" into CONF_P_* bits; 0 when unknown. */
unsigned conf_parse_profile(const char *text);
const char *conf_profile_name(unsigned profile);

/* Known gaps: lines "CASE-GLOB PROFILE REASON..." (PROFILE bits|do|*),
 * '#' comments and blank lines ignored. */
typedef struct conf_gap {
    char *glob;
    unsigned profiles;
    char *reason;
} conf_gap;

/* Loads PATH into *GAPS and *N (caller frees with conf_gaps_free); 0,
 * or -1 with a message "PATH:LINE: reason" in ERR. */
int conf_gaps_load(const char *path, conf_gap **gaps, size_t *n, char *err,
                   size_t errlen);
/* The same from an open stream named PATH in messages (the fuzz target
 * reads from memory through it). */
int conf_gaps_read(FILE *f, const char *path, conf_gap **gaps, size_t *n,
                   char *err, size_t errlen);
void conf_gaps_free(conf_gap *gaps, size_t n);
/* Reason for case ID in PROFILE, or NULL when not a known gap. */
const char *conf_gaps_match(const conf_gap *gaps, size_t n, const char *id,
                            unsigned profile);

/* ---- verdicts and reports (report.c, report_html.c) --------------------- */

conf_verdict conf_verdict_of(const conf_result *r);
/* True when the instance is informative (its case, or its profile). */
bool conf_result_informative(const conf_result *r);
const char *conf_verdict_name(conf_verdict v); /* "PASS", "FAIL", ... */
const char *conf_verdict_slug(conf_verdict v); /* "pass", "fail", ... */
bool conf_verdict_fails_run(conf_verdict v);
const char *conf_outcome_name(conf_outcome o);

/* Fills RUN->counts from the results. */
void conf_run_count(conf_run *run);

/* Writers: each returns 0 or -1 (errno set, nothing half-written left
 * behind is guaranteed only for the file being written). */
int conf_write_junit(const conf_run *run, const char *path);
int conf_write_json(const conf_run *run, const char *path);
int conf_write_html(const conf_run *run, const char *path);
/* CUnit-Results.xml through CU_automated_run_tests; DIR/CUnit-Results.xml. */
int conf_write_cunit(const conf_run *run, const char *dir,
                     conf_cunit_register_fn reg);
/* NULL-terminated CUnit test table (malloc'd; free() it after
 * registration) with one entry per executed instance of S, named like the
 * instance ("MGR-001[bits]") and bound to conf_cunit_replay. */
struct CU_TestInfo;
struct CU_TestInfo *conf_cunit_tests(const conf_run *run, const conf_suite *s);

/* The test function every registered CUnit test uses: it replays the
 * recorded result of the current test (found by name). */
void conf_cunit_replay(void);

/* Escapers into a stream. */
void conf_xml_escape(FILE *f, const char *s);
void conf_json_string(FILE *f, const char *s);

#endif
