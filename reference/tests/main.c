/*
 * Runner of the reference's unit tests: registers the suites of suites.h
 * with CUnit, runs them (all, or those whose name contains argv[1]) and
 * exits non-zero when any assertion failed.  It also points the
 * user's state directory (XDG_STATE_HOME) at a fresh temporary directory,
 * so a run neither reads nor leaves jobs in the user's real store, clears
 * the DOREF_* settings so the documented defaults apply, and arms a
 * watchdog so a hung case cannot stall `make check`.
 */
#include <CUnit/Basic.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ref_private.h"
#include "ref_job.h"
#include "ref_test_hooks.h"
#include "suites.h"

/* Every case must assert something: the set-up notes the assertion count
 * and the tear-down fails a case that made no assertion. */
static unsigned asserts_before;

static void case_setup(void)
{
    asserts_before = CU_get_number_of_asserts();
}

static void case_teardown(void)
{
    CU_assertImplementation(CU_get_number_of_asserts() > asserts_before,
                            __LINE__, "the case asserted nothing", __FILE__, "",
                            CU_FALSE);
}

static CU_SuiteInfo suites[] = {
#define REF_SUITE_ROW(stem, name)                                              \
    {.pName = name,                                                            \
     .pSetUpFunc = case_setup,                                                 \
     .pTearDownFunc = case_teardown,                                           \
     .pTests = tests_##stem},
    REF_SUITES(REF_SUITE_ROW)
#undef REF_SUITE_ROW
        CU_SUITE_INFO_NULL,
};

static char state_dir[256];

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void on_alarm(int sig)
{
    static const char msg[] = "reference-tests: watchdog expired (120 s)\n";
    (void)sig;
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(3);
    _exit(3);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    unsigned total = 0;

    snprintf(state_dir, sizeof state_dir, "%s/docts-state-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(state_dir)) {
        perror("mkdtemp");
        return 2;
    }
    setenv("XDG_STATE_HOME", state_dir, 1);
    /* The reference reads DOREF_* settings (limits, owner, admin, clock)
     * from the environment; the expected values here are the defaults. */
    for (;;) {
        char **e = environ;
        while (*e && strncmp(*e, "DOREF_", 6) != 0)
            e++;
        if (!*e)
            break;
        char name[128];
        size_t n = strcspn(*e, "=");
        snprintf(name, sizeof name, "%.*s", (int)n, *e);
        unsetenv(name);
    }
    /* These tests check the object model's rules without the network: the
     * scheduler starts nothing, so a Resume'd job stays QUEUED and states
     * planted by hand are not raced by a real transfer (transfers are
     * tested in reference/tests/transfer/). */
    ref_sched_hold(1);
    signal(SIGALRM, on_alarm);
    alarm(120);

    /* Keep only the suites the filter names (by substring). */
    CU_SuiteInfo *w = suites;
    for (CU_SuiteInfo *s = suites; s->pName; s++)
        if (!filter || strstr(s->pName, filter))
            *w++ = *s;
    *w = (CU_SuiteInfo)CU_SUITE_INFO_NULL;

    for (CU_SuiteInfo *s = suites; s->pName; s++) {
        unsigned n = 0;
        while (s->pTests[n].pName)
            n++;
        printf("suite %-40s %3u cases\n", s->pName, n);
        total += n;
    }
    printf("total %u cases\n", total);

    if (CU_initialize_registry() != CUE_SUCCESS ||
        CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
        return 2;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    unsigned tests_failed = CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    nftw(state_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    printf("reference-tests: %u cases run, %u failed, %u failed assertions\n",
           ran, tests_failed, failed);
    return failed ? 1 : 0;
}
