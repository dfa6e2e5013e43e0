/*
 * test_runner.c - the runner's own tests (check-conf).
 *
 * Unit tests of the pure parts (globs, shard arithmetic, profiles, the
 * known-gaps file, JSON/XML escaping) and end-to-end runs of conf_main over
 * suite_selftest.c: a crashing, an exiting and a hanging case are reported
 * as CRASH / TIMEOUT while the run goes on, informative and known-gap
 * cases do not fail the run, the mock server is started and its URL
 * reaches the case, --shard splits exactly, a bad --impl is a set-up error,
 * and the runner started again as a helper reports what it did.
 * The end-to-end runs happen before CUnit's registry exists (the runner
 * uses CUnit itself to write CUnit-Results.xml); the CUnit tests then check
 * what they produced.  The make recipe validates the XML with xmllint and
 * the JSON with python3.
 *
 * usage: docts-selftest WORKDIR FAKE_MOCK
 */
#include "runner.h"

#include "platform.h"

#include <CUnit/Basic.h>
#include <fcntl.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const conf_suite conf_suite_selftest;
static const conf_suite *const suites[] = {&conf_suite_selftest};

static const char *workdir, *fake_mock;
static int rc_main, rc_list, rc_badimpl, rc_shard[2], rc_nolib;
static char *summary; /* summary.json of the main run */
static char *junit;   /* junit.xml of the main run */
static char *html;    /* report.html of the main run */
static size_t shard_cases[2];
static size_t full_cases;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b) {
        size_t got = fread(b, 1, (size_t)n, f);
        b[got] = '\0';
    }
    fclose(f);
    return b;
}

static char *path_in(const char *sub, const char *file)
{
    static char buf[8][4096];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 4096, "%s/%s/%s", workdir, sub, file);
    return p;
}

static int register_selftest(const conf_run *run)
{
    struct CU_TestInfo *t = conf_cunit_tests(run, &conf_suite_selftest);
    CU_SuiteInfo info[] = {
        {.pName = "selftest",
         .pInitFunc = NULL,
         .pCleanupFunc = NULL,
         .pSetUpFunc = NULL,
         .pTearDownFunc = NULL,
         .pTests = t},
        CU_SUITE_INFO_NULL,
    };
    int rc = t ? CU_register_suites(info) : CUE_NOMEMORY;
    free(t);
    return rc;
}

static int run_main(const char **args, size_t n)
{
    char *argv[32];
    argv[0] = (char *)"docts";
    for (size_t i = 0; i < n && i < 30; i++)
        argv[i + 1] = (char *)args[i];
    argv[n + 1] = NULL;
    return conf_main((int)n + 1, argv, suites, CONF_ARRAY_LEN(suites),
                     register_selftest);
}

static size_t cases_in(const char *json)
{
    const char *p = json ? strstr(json, "\"cases\": ") : NULL;
    return p ? (size_t)strtoul(p + 9, NULL, 10) : 0;
}

/* The one line of summary.json describing ID[PROFILE], or NULL. */
static char *case_line(const char *id, const char *profile)
{
    static char line[8192];
    char key[128];
    snprintf(key, sizeof key, "\"id\": \"%s\", \"profile\": \"%s\"", id,
             profile);
    const char *p = summary ? strstr(summary, key) : NULL;
    if (!p)
        return NULL;
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n >= sizeof line)
        n = sizeof line - 1;
    memcpy(line, p, n);
    line[n] = '\0';
    return line;
}

static void run_end_to_end(void)
{
    char gaps[4096], reports[4096];
    snprintf(gaps, sizeof gaps, "%s/gaps.txt", workdir);
    FILE *g = fopen(gaps, "w");
    if (g) {
        fputs("# known gaps of the selftest\n"
              "SELF-GAP   bits  planted failure\n"
              "SELF-XPA*  *     listed although it passes\n",
              g);
        fclose(g);
    }
    snprintf(reports, sizeof reports, "%s/reports", workdir);
    const char *a[] = {"--report", reports,  "--known-gaps",
                       gaps,       "--mock", fake_mock,
                       "--jobs",   "3",      "--profile",
                       "all",      "--case", "SELF-[!L]*,SELF-LAST",
                       "--quiet"};
    rc_main = run_main(a, CONF_ARRAY_LEN(a));
    summary = slurp(path_in("reports", "summary.json"));
    junit = slurp(path_in("reports", "junit.xml"));
    html = slurp(path_in("reports", "report.html"));
    full_cases = cases_in(summary);

    const char *l[] = {"--list", "--case", "SELF-PASS"};
    rc_list = run_main(l, CONF_ARRAY_LEN(l));

    for (int s = 0; s < 2; s++) {
        char sub[64], shard[16];
        snprintf(sub, sizeof sub, "shard%d", s + 1);
        snprintf(shard, sizeof shard, "%d/2", s + 1);
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", workdir, sub);
        const char *b[] = {"--report", dir,       "--shard",
                           shard,      "--case",  "SELF-[!L]*,SELF-LAST",
                           "--mock",   fake_mock, "--quiet"};
        rc_shard[s] = run_main(b, CONF_ARRAY_LEN(b));
        char *js = slurp(path_in(sub, "summary.json"));
        shard_cases[s] = cases_in(js);
        free(js);
    }

    const char *c[] = {"--case",       "SELF-LIB",
                       "--impl",       "/nonexistent/impl.so",
                       "--no-reports", "--quiet"};
    rc_badimpl = run_main(c, CONF_ARRAY_LEN(c));

    /* only setup-NONE cases: no implementation needed at all */
    const char *d[] = {"--case",          "SELF-PASS",    "--impl",
                       "/nonexistent.so", "--no-reports", "--quiet"};
    rc_nolib = run_main(d, CONF_ARRAY_LEN(d));
}

/* ---- unit tests --------------------------------------------------------- */

static void test_glob(void)
{
    CU_ASSERT_TRUE(conf_glob("*", ""));
    CU_ASSERT_TRUE(conf_glob("MGR-*", "MGR-001"));
    CU_ASSERT_FALSE(conf_glob("MGR-*", "JOB-001"));
    CU_ASSERT_TRUE(conf_glob("*-00?", "ST-003"));
    CU_ASSERT_FALSE(conf_glob("*-00?", "ST-0031"));
    CU_ASSERT_TRUE(conf_glob("ST-0[0-1]*", "ST-011"));
    CU_ASSERT_FALSE(conf_glob("ST-0[!0-1]*", "ST-011"));
    CU_ASSERT_TRUE(conf_glob("a*b*c", "axxbyyc"));
    CU_ASSERT_FALSE(conf_glob("a*b*c", "axxbyy"));
    CU_ASSERT_TRUE(conf_glob("[x", "[x")); /* malformed set: literal */
    CU_ASSERT_TRUE(conf_glob("**", "anything"));
    CU_ASSERT_TRUE(conf_glob_list(NULL, "x"));
    CU_ASSERT_TRUE(conf_glob_list("", "x"));
    CU_ASSERT_TRUE(conf_glob_list("MGR-*,ST-*", "ST-001"));
    CU_ASSERT_FALSE(conf_glob_list("MGR-*,ST-*", "JOB-001"));
}

static void test_shard(void)
{
    unsigned i, n;
    CU_ASSERT_EQUAL(conf_parse_shard("1/1", &i, &n), 0);
    CU_ASSERT_EQUAL(conf_parse_shard("3/4", &i, &n), 0);
    CU_ASSERT_EQUAL(i, 3);
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(conf_parse_shard("0/4", &i, &n), -1);
    CU_ASSERT_EQUAL(conf_parse_shard("5/4", &i, &n), -1);
    CU_ASSERT_EQUAL(conf_parse_shard("1/0", &i, &n), -1);
    CU_ASSERT_EQUAL(conf_parse_shard("1-4", &i, &n), -1);
    CU_ASSERT_EQUAL(conf_parse_shard("1/4x", &i, &n), -1);
    CU_ASSERT_EQUAL(conf_parse_shard("", &i, &n), -1);
    /* every index in exactly one shard; sizes differ by at most one */
    for (unsigned nn = 1; nn <= 7; nn++) {
        for (size_t total = 0; total <= 23; total++) {
            size_t size[8] = {0};
            for (size_t k = 0; k < total; k++) {
                unsigned owners = 0;
                for (unsigned ii = 1; ii <= nn; ii++)
                    if (conf_in_shard(k, ii, nn)) {
                        owners++;
                        size[ii]++;
                    }
                CU_ASSERT_EQUAL(owners, 1);
            }
            size_t mn = (size_t)-1, mx = 0;
            for (unsigned ii = 1; ii <= nn; ii++) {
                if (size[ii] < mn)
                    mn = size[ii];
                if (size[ii] > mx)
                    mx = size[ii];
            }
            CU_ASSERT_TRUE(mx - mn <= 1);
        }
    }
}

static void test_profile(void)
{
    CU_ASSERT_EQUAL(conf_parse_profile("bits"), CONF_P_BITS);
    CU_ASSERT_EQUAL(conf_parse_profile("do"), CONF_P_DO);
    CU_ASSERT_EQUAL(conf_parse_profile("all"), CONF_P_ALL);
    CU_ASSERT_EQUAL(conf_parse_profile("BITS"), 0);
    CU_ASSERT_STRING_EQUAL(conf_profile_name(CONF_P_DO), "do");
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static void test_gaps(void)
{
    char p[4096], err[512];
    conf_gap *g;
    size_t n;
    snprintf(p, sizeof p, "%s/g1.txt", workdir);
    CU_ASSERT_EQUAL(write_file(p, "# c\n\nMGR-00?  bits  reason one  \n"
                                  "ST-*  *  reason # two\n"),
                    0);
    CU_ASSERT_EQUAL_FATAL(conf_gaps_load(p, &g, &n, err, sizeof err), 0);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_STRING_EQUAL(conf_gaps_match(g, n, "MGR-003", CONF_P_BITS),
                           "reason one");
    CU_ASSERT_PTR_NULL(conf_gaps_match(g, n, "MGR-003", CONF_P_DO));
    CU_ASSERT_STRING_EQUAL(conf_gaps_match(g, n, "ST-9", CONF_P_DO), "reason");
    CU_ASSERT_PTR_NULL(conf_gaps_match(g, n, "JOB-001", CONF_P_BITS));
    conf_gaps_free(g, n);

    CU_ASSERT_EQUAL(write_file(p, "MGR-001 bits ok\nMGR-002 windows x\n"), 0);
    CU_ASSERT_EQUAL(conf_gaps_load(p, &g, &n, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, ":2: unknown profile"));
    CU_ASSERT_EQUAL(write_file(p, "MGR-001 bits\n"), 0);
    CU_ASSERT_EQUAL(conf_gaps_load(p, &g, &n, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, ":1: a known gap needs a reason"));
    CU_ASSERT_EQUAL(
        conf_gaps_load("/nonexistent/gaps", &g, &n, err, sizeof err), -1);
}

static void test_escape(void)
{
    char buf[256] = {0};
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    conf_json_string(f, "a\"b\\c\nd\x01");
    fputc('|', f);
    conf_json_string(f, NULL);
    fputc('|', f);
    conf_xml_escape(f, "<a href='x'>&\"\n");
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, "\"a\\\"b\\\\c\\nd\\u0001\"|null|"
                                "&lt;a href=&apos;x&apos;&gt;&amp;&quot;"
                                "&#10;");
}

static void expect_verdict(const char *id, const char *profile,
                           const char *verdict)
{
    char *line = case_line(id, profile);
    CU_ASSERT_PTR_NOT_NULL(line);
    if (!line)
        return;
    char key[64];
    snprintf(key, sizeof key, "\"verdict\": \"%s\"", verdict);
    if (!strstr(line, key))
        fprintf(stderr, "\n%s[%s]: want %s in %s\n", id, profile, verdict,
                line);
    CU_ASSERT_PTR_NOT_NULL(strstr(line, key));
}

static void test_e2e_verdicts(void)
{
    CU_ASSERT_EQUAL(rc_main, 1); /* SELF-FAIL etc. are required */
    CU_ASSERT_PTR_NOT_NULL_FATAL(summary);
    expect_verdict("SELF-PASS", "bits", "pass");
    expect_verdict("SELF-PASS", "do", "pass");
    expect_verdict("SELF-FAIL", "bits", "fail");
    expect_verdict("SELF-SKIP", "bits", "skip");
    expect_verdict("SELF-CRASH", "bits", "crash");
    expect_verdict("SELF-EXIT", "bits", "crash");
    expect_verdict("SELF-HANG", "bits", "timeout");
    expect_verdict("SELF-INFO", "bits", "informative_fail");
    expect_verdict("SELF-INFODO", "bits", "fail");
    expect_verdict("SELF-INFODO", "do", "informative_fail");
    expect_verdict("SELF-GAP", "bits", "known_gap");
    expect_verdict("SELF-XPASS", "bits", "unexpected_pass");
    expect_verdict("SELF-MOCK", "bits", "pass");
    expect_verdict("SELF-SLOW", "bits", "skip");
    expect_verdict("SELF-BITS", "bits", "pass");
    expect_verdict("SELF-DO", "do", "pass");
    expect_verdict("SELF-TMP", "bits", "pass");
    expect_verdict("SELF-WSTR", "bits", "fail");
    expect_verdict("SELF-LAST", "bits", "pass"); /* the run went on */
    CU_ASSERT_EQUAL(full_cases, 19);
}

static void test_e2e_details(void)
{
    char *l = case_line("SELF-FAIL", "bits");
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(l, "\"expected\": \"0x80200003 BG_E_EMPTY\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(l, "\"actual\": \"0x00000000 S_OK\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(l, "\"where\": \"suite_selftest.c:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(l, "\"checks\": 2"));
    l = case_line("SELF-CRASH", "bits");
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    CU_ASSERT_PTR_NOT_NULL(strstr(l, "SIGABRT"));
    l = case_line("SELF-EXIT", "bits");
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    /* 3, or 86 when LeakSanitizer reports the child's memory at exit() */
    CU_ASSERT_TRUE(strstr(l, "exit status 3") != NULL ||
                   strstr(l, "exit status 86") != NULL);
    l = case_line("SELF-HANG", "bits");
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    CU_ASSERT_PTR_NOT_NULL(strstr(l, "no result after 1 s"));
    l = case_line("SELF-WSTR", "bits");
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    CU_ASSERT_PTR_NOT_NULL(strstr(l, "\"expected\": \"\\\"aab\\\"\""));
    l = case_line("SELF-GAP", "bits");
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    CU_ASSERT_PTR_NOT_NULL(strstr(l, "\"known_gap\": \"planted failure\""));
    /* the case directory was removed */
    l = case_line("SELF-TMP", "bits");
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    const char *e = strstr(l, "\"expected\": \"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    char dir[1024];
    const char *s = e + 13;
    size_t k = 0;
    while (s[k] && s[k] != '"' && k < sizeof dir - 1) {
        dir[k] = s[k];
        k++;
    }
    dir[k] = '\0';
    CU_ASSERT_TRUE(k > 0);
    CU_ASSERT_FALSE(conf_plat_exists(dir));
    CU_ASSERT_PTR_NOT_NULL(strstr(summary, "\"mock_url\": "
                                           "\"http://127.0.0.1:4321\""));
    /* the mock got the fixture root and the log */
    char *mocklog = slurp(path_in("reports", "h2mock.log"));
    CU_ASSERT_PTR_NOT_NULL(mocklog);
    CU_ASSERT_PTR_NOT_NULL(mocklog ? strstr(mocklog, "--root ") : NULL);
    CU_ASSERT_PTR_NOT_NULL(mocklog ? strstr(mocklog, "--port 0") : NULL);
    free(mocklog);
}

static void test_e2e_reports(void)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(junit);
    CU_ASSERT_PTR_NOT_NULL(strstr(junit, "<testsuites name=\"docts\" "
                                         "tests=\"19\" failures=\"3\" "
                                         "errors=\"3\" skipped=\"5\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(junit, "<testsuite name=\"selftest.bits\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(junit, "classname=\"selftest.bits."
                                         "ISelfTest\" name=\"SELF-FAIL"));
    CU_ASSERT_PTR_NOT_NULL(strstr(junit, "<failure message=\"expected "
                                         "0x80200003 BG_E_EMPTY, actual "
                                         "0x00000000 S_OK\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(junit, "<error message=\"the case "
                                         "crashed: SIGABRT\" type=\"CRASH\""));
    CU_ASSERT_PTR_NOT_NULL_FATAL(html);
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "<!DOCTYPE html>"));
    CU_ASSERT_PTR_NULL(strstr(html, "<script"));
    CU_ASSERT_PTR_NULL(strstr(html, "<link"));
    CU_ASSERT_PTR_NULL(strstr(html, "src="));
    CU_ASSERT_PTR_NOT_NULL(strstr(html, "SELF-CRASH[bits]"));
    char *cu = slurp(path_in("reports", "CUnit-Results.xml"));
    CU_ASSERT_PTR_NOT_NULL(cu);
    CU_ASSERT_PTR_NOT_NULL(cu ? strstr(cu, "SELF-FAIL[bits]") : NULL);
    free(cu);
}

static void test_e2e_other_runs(void)
{
    CU_ASSERT_EQUAL(rc_list, 0);
    CU_ASSERT_EQUAL(rc_shard[0], 1);
    CU_ASSERT_EQUAL(shard_cases[0] + shard_cases[1], full_cases);
    CU_ASSERT_TRUE(shard_cases[0] >= shard_cases[1] &&
                   shard_cases[0] - shard_cases[1] <= 1);
    CU_ASSERT_EQUAL(rc_badimpl, 2);
    CU_ASSERT_EQUAL(rc_nolib, 0);
}

/* conf_plat_self_run starts this program again: docts-selftest answers
 * --helper as docts does (main below).  A helper that cannot load its
 * implementation prints its HRESULT and exits 1; one that never prints the
 * line is reported with the reason. */
static void test_self_run(void)
{
    const char *bad[] = {"--helper", "create-job", "/nonexistent/libx.so",
                         "bits",     "job",        NULL};
    char line[600] = "";
    int status = -1;
    CU_ASSERT_EQUAL(conf_plat_self_run(bad, "docts-helper: ", 30000, line,
                                       sizeof line, &status),
                    0);
    CU_ASSERT_EQUAL(status, 1);
    CU_ASSERT_EQUAL(strncmp(line, "0x80004005 cannot load ", 23), 0);
    const char *usage[] = {"--helper", "no-such-work", NULL};
    status = -1;
    CU_ASSERT_EQUAL(conf_plat_self_run(usage, "docts-helper: ", 30000, line,
                                       sizeof line, &status),
                    -1);
    CU_ASSERT_EQUAL(status, -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(line, "ended before it was ready"));
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--helper"))
        return conf_helper_main(argc - 2, argv + 2);
    if (argc != 3) {
        fprintf(stderr, "usage: docts-selftest WORKDIR FAKE_MOCK\n");
        return 2;
    }
    workdir = argv[1];
    fake_mock = argv[2];
    /* the end-to-end runs print failures on purpose: keep them in a log */
    char log[4096];
    snprintf(log, sizeof log, "%s/e2e.log", workdir);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
    }
    run_end_to_end();
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    printf("docts-selftest: end-to-end runs done (their output: %s)\n", log);

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_TestInfo unit[] = {
        {"glob", test_glob},       {"shard", test_shard},
        {"profile", test_profile}, {"known gaps", test_gaps},
        {"escaping", test_escape}, {"self run", test_self_run},
        CU_TEST_INFO_NULL,
    };
    CU_TestInfo e2e[] = {
        {"verdicts", test_e2e_verdicts},
        {"details", test_e2e_details},
        {"reports", test_e2e_reports},
        {"list, shards, bad impl", test_e2e_other_runs},
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites_info[] = {
        {.pName = "runner-unit",
         .pInitFunc = NULL,
         .pCleanupFunc = NULL,
         .pSetUpFunc = NULL,
         .pTearDownFunc = NULL,
         .pTests = unit},
        {.pName = "runner-e2e",
         .pInitFunc = NULL,
         .pCleanupFunc = NULL,
         .pSetUpFunc = NULL,
         .pTearDownFunc = NULL,
         .pTests = e2e},
        CU_SUITE_INFO_NULL,
    };
    if (CU_register_suites(suites_info) != CUE_SUCCESS)
        return 2;
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    unsigned asserts = CU_get_number_of_asserts();
    CU_cleanup_registry();
    free(summary);
    free(junit);
    free(html);
    printf("docts-selftest: %u assertions, %u failures\n", asserts, failed);
    return failed ? 1 : 0;
}
