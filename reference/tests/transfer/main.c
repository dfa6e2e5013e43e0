/*
 * Runner of the end-to-end transfer tests: registers the suites of
 * suites.h, runs them (all, or those whose name contains argv[1]; a second
 * argument keeps only the cases whose name contains it) and exits non-zero
 * when any assertion failed.  It gives the run a private state directory
 * (XDG_STATE_HOME) and clears the DOREF_* settings so the documented
 * defaults apply (except the simulated network cost, pinned to
 * BITS_COST_STATE_UNRESTRICTED until a case changes it, the engine window
 * pinned to 8 and no proxy variables), and arms a watchdog so a hung case
 * cannot stall `make check`.  Every case asserts something: the tear-down fails
 * a case that made no assertion.
 */
#include <CUnit/Basic.h>
#include <curl/curl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"

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
#define XFER_SUITE_ROW(stem, name)                                             \
    {.pName = name,                                                            \
     .pSetUpFunc = case_setup,                                                 \
     .pTearDownFunc = case_teardown,                                           \
     .pTests = xfer_tests_##stem},
    XFER_SUITES(XFER_SUITE_ROW)
#undef XFER_SUITE_ROW
        CU_SUITE_INFO_NULL,
};

/* Case tables filtered by argv[2] (one copy per suite). */
static CU_TestInfo *filtered[sizeof suites / sizeof suites[0]];

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
    static const char msg[] = "transfer-tests: watchdog expired (170 s)\n";
    (void)sig;
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(3);
    _exit(3);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    const char *cases = argc > 2 ? argv[2] : NULL;
    unsigned total = 0, k = 0;

    snprintf(state_dir, sizeof state_dir, "%s/xfer-state-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(state_dir)) {
        perror("mkdtemp");
        return 2;
    }
    setenv("XDG_STATE_HOME", state_dir, 1);
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
    /* The simulated network cost (decisions I-series) is read by the
     * reference's scheduler thread at every decision; it exists from the
     * start so that later changes only replace its value (no growth of
     * environ while other threads read it). */
    setenv("DOREF_NETWORK_COST", "0x1", 1);
    /* A small engine window (read once, when the engine starts) so that
     * the priority cases can fill it with few jobs; FOREGROUND then has
     * 8 / 4 + 1 = 3 slots of its own. */
    setenv("DOREF_MAX_ACTIVE", "8", 1);
    /* XFER_CURL_VERBOSE=1 (ours, not cleared) turns on libcurl's trace in
     * the reference's engine when a case needs debugging. */
    if (getenv("XFER_CURL_VERBOSE"))
        setenv("DOREF_CURL_VERBOSE", "1", 1);
    /* PRECONFIG proxy settings follow libcurl's environment: the cases
     * talk to the loopback directly unless they set a proxy. */
    static const char *const proxies[] = {
        "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
        "all_proxy",  "ALL_PROXY",   "no_proxy",   "NO_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_alarm);
    alarm(170);
    curl_global_init(CURL_GLOBAL_ALL);

    CU_SuiteInfo *w = suites;
    for (CU_SuiteInfo *s = suites; s->pName; s++)
        if (!filter || !*filter || strstr(s->pName, filter))
            *w++ = *s;
    *w = (CU_SuiteInfo)CU_SUITE_INFO_NULL;

    for (CU_SuiteInfo *s = suites; s->pName; s++, k++) {
        unsigned n = 0, m = 0;
        while (s->pTests[n].pName)
            n++;
        if (cases) {
            filtered[k] = calloc(n + 1, sizeof(CU_TestInfo));
            if (!filtered[k])
                return 2;
            for (unsigned i = 0; i < n; i++)
                if (strstr(s->pTests[i].pName, cases))
                    filtered[k][m++] = s->pTests[i];
            s->pTests = filtered[k];
            n = m;
        }
        printf("suite %-52s %3u cases\n", s->pName, n);
        total += n;
    }
    printf("total %u cases\n", total);

    if (CU_initialize_registry() != CUE_SUCCESS ||
        CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    unsigned tests_failed = CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    for (unsigned i = 0; i < k; i++)
        free(filtered[i]);
    curl_global_cleanup();
    nftw(state_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    printf("transfer-tests: %u cases run, %u failed, %u failed assertions\n",
           ran, tests_failed, failed);
    return failed ? 1 : 0;
}
