/*
 * report.c - verdicts and the machine-readable reports: JUnit XML (for
 * Jenkins / GitLab), the JSON summary and CUnit's own XML, which CUnit
 * writes itself while replaying the recorded results (conf_cunit_replay).
 * The HTML page is in report_html.c.  Formats are described in
 * reports/README.md.
 */
#include "runner.h"

#include "platform.h"

#include <CUnit/Automated.h>
#include <CUnit/CUnit.h>
#include <CUnit/TestDB.h>
#include <CUnit/TestRun.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool conf_result_informative(const conf_result *r)
{
    return r->c->evidence == CONF_INFORMATIVE ||
           (r->c->informative_in & r->profile) != 0;
}

conf_verdict conf_verdict_of(const conf_result *r)
{
    switch (r->outcome) {
    case CONF_O_PASS:
        return r->gap_reason ? CONF_V_XPASS : CONF_V_PASS;
    case CONF_O_SKIP:
        return CONF_V_SKIP;
    default:
        break;
    }
    if (r->gap_reason)
        return CONF_V_KNOWN_GAP;
    if (conf_result_informative(r))
        return CONF_V_INFO_FAIL;
    if (r->outcome == CONF_O_CRASH)
        return CONF_V_CRASH;
    if (r->outcome == CONF_O_TIMEOUT)
        return CONF_V_TIMEOUT;
    return CONF_V_FAIL;
}

const char *conf_verdict_name(conf_verdict v)
{
    static const char *const n[CONF_V_COUNT] = {
        "PASS", "FAIL",      "CRASH",     "TIMEOUT",
        "SKIP", "INFO-FAIL", "KNOWN-GAP", "XPASS",
    };
    return v < CONF_V_COUNT ? n[v] : "?";
}

const char *conf_verdict_slug(conf_verdict v)
{
    static const char *const n[CONF_V_COUNT] = {
        "pass",      "fail",
        "crash",     "timeout",
        "skip",      "informative_fail",
        "known_gap", "unexpected_pass",
    };
    return v < CONF_V_COUNT ? n[v] : "unknown";
}

bool conf_verdict_fails_run(conf_verdict v)
{
    return v == CONF_V_FAIL || v == CONF_V_CRASH || v == CONF_V_TIMEOUT;
}

const char *conf_outcome_name(conf_outcome o)
{
    switch (o) {
    case CONF_O_PASS:
        return "pass";
    case CONF_O_FAIL:
        return "fail";
    case CONF_O_SKIP:
        return "skip";
    case CONF_O_CRASH:
        return "crash";
    case CONF_O_TIMEOUT:
        return "timeout";
    }
    return "?";
}

void conf_run_count(conf_run *run)
{
    memset(run->counts, 0, sizeof run->counts);
    for (size_t i = 0; i < run->nresults; i++)
        run->counts[conf_verdict_of(&run->results[i])]++;
}

/* ---- escaping ------------------------------------------------------------ */

void conf_xml_escape(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
         p++) {
        switch (*p) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&apos;", f);
            break;
        case '\n':
            fputs("&#10;", f);
            break;
        case '\t':
            fputs("&#9;", f);
            break;
        case '\r':
            fputs("&#13;", f);
            break;
        default:
            /* XML 1.0 forbids other control characters */
            if (*p < 0x20)
                fputc('?', f);
            else
                fputc(*p, f);
        }
    }
}

/* Element text: like attributes, but newlines stay readable. */
static void xml_text(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
         p++) {
        if (*p == '\n')
            fputc('\n', f);
        else if (*p == '<')
            fputs("&lt;", f);
        else if (*p == '>')
            fputs("&gt;", f);
        else if (*p == '&')
            fputs("&amp;", f);
        else if (*p < 0x20 && *p != '\t')
            fputc('?', f);
        else
            fputc(*p, f);
    }
}

void conf_json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

/* Writes to PATH.tmp and renames, so a reader never sees half a file. */
static FILE *open_tmp(const char *path, char *tmp, size_t len)
{
    snprintf(tmp, len, "%s.tmp", path);
    return fopen(tmp, "w");
}

static int close_tmp(FILE *f, const char *tmp, const char *path)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        remove(tmp);
        return -1;
    }
    if (conf_plat_replace(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

/* ---- JUnit -------------------------------------------------------------- */

/* The text a failure carries: expected/actual, rule, where, output. */
static void failure_body(FILE *f, const conf_result *r)
{
    fputs("case: ", f);
    xml_text(f, r->c->expect);
    fputs("\nrule: ", f);
    xml_text(f, r->c->rule);
    fputs("\nevidence: ", f);
    fputs(!conf_result_informative(r) ? "required" : "informative", f);
    if (r->message && *r->message) {
        fputs("\n", f);
        xml_text(f, r->message);
    }
    if (r->expected && *r->expected) {
        fputs("\nexpected: ", f);
        xml_text(f, r->expected);
        fputs("\nactual:   ", f);
        xml_text(f, r->actual);
    }
    if (r->where && *r->where) {
        fputs("\nat ", f);
        xml_text(f, r->where);
        if (r->check && *r->check) {
            fputs(": ", f);
            xml_text(f, r->check);
        }
    }
    if (r->output && *r->output) {
        fputs("\n--- output of the case (tail) ---\n", f);
        xml_text(f, r->output);
    }
}

static void short_message(char *buf, size_t len, const conf_result *r)
{
    if (r->outcome == CONF_O_FAIL && r->expected && *r->expected && r->where &&
        *r->where)
        snprintf(buf, len, "expected %s, actual %s", r->expected,
                 r->actual ? r->actual : "");
    else
        snprintf(buf, len, "%s", r->message ? r->message : "");
}

int conf_write_junit(const conf_run *run, const char *path)
{
    char tmp[4096];
    FILE *f = open_tmp(path, tmp, sizeof tmp);
    if (!f)
        return -1;
    unsigned tot[4] = {0}; /* tests, failures, errors, skipped */
    for (size_t i = 0; i < run->nresults; i++) {
        conf_verdict v = conf_verdict_of(&run->results[i]);
        tot[0]++;
        if (v == CONF_V_FAIL)
            tot[1]++;
        else if (v == CONF_V_CRASH || v == CONF_V_TIMEOUT)
            tot[2]++;
        else if (v == CONF_V_SKIP || v == CONF_V_INFO_FAIL ||
                 v == CONF_V_KNOWN_GAP)
            tot[3]++;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f,
            "<testsuites name=\"docts\" tests=\"%u\" failures=\"%u\" "
            "errors=\"%u\" skipped=\"%u\" time=\"%.3f\" timestamp=\"",
            tot[0], tot[1], tot[2], tot[3], run->seconds);
    conf_xml_escape(f, run->date);
    fputs("\">\n", f);
    /* one <testsuite> per (suite, profile), in the order results come */
    size_t i = 0;
    while (i < run->nresults) {
        const conf_suite *s = run->results[i].suite;
        unsigned prof = run->results[i].profile;
        size_t j = i;
        unsigned st[4] = {0};
        double secs = 0;
        while (j < run->nresults && run->results[j].suite == s &&
               run->results[j].profile == prof) {
            conf_verdict v = conf_verdict_of(&run->results[j]);
            st[0]++;
            if (v == CONF_V_FAIL)
                st[1]++;
            else if (v == CONF_V_CRASH || v == CONF_V_TIMEOUT)
                st[2]++;
            else if (v == CONF_V_SKIP || v == CONF_V_INFO_FAIL ||
                     v == CONF_V_KNOWN_GAP)
                st[3]++;
            secs += run->results[j].seconds;
            j++;
        }
        fputs("  <testsuite name=\"", f);
        conf_xml_escape(f, s->name);
        fprintf(f,
                ".%s\" tests=\"%u\" failures=\"%u\" errors=\"%u\" "
                "skipped=\"%u\" time=\"%.3f\" timestamp=\"",
                conf_profile_name(prof), st[0], st[1], st[2], st[3], secs);
        conf_xml_escape(f, run->date);
        fputs("\" hostname=\"localhost\">\n    <properties>\n"
              "      <property name=\"implementation\" value=\"",
              f);
        conf_xml_escape(f, run->impl);
        fprintf(f,
                "\"/>\n      <property name=\"profile\" value=\"%s\"/>\n"
                "    </properties>\n",
                conf_profile_name(prof));
        for (size_t k = i; k < j; k++) {
            const conf_result *r = &run->results[k];
            conf_verdict v = conf_verdict_of(r);
            fprintf(f, "    <testcase classname=\"");
            conf_xml_escape(f, s->name);
            fprintf(f, ".%s.", conf_profile_name(prof));
            conf_xml_escape(f, r->c->iface);
            fputs("\" name=\"", f);
            conf_xml_escape(f, r->c->id);
            fputs(" ", f);
            conf_xml_escape(f, r->c->method);
            fputs(": ", f);
            conf_xml_escape(f, r->c->expect);
            fprintf(f, "\" time=\"%.3f\"", r->seconds);
            char msg[2048];
            short_message(msg, sizeof msg, r);
            switch (v) {
            case CONF_V_PASS:
                fputs("/>\n", f);
                break;
            case CONF_V_XPASS:
                fputs(">\n      <system-out>unexpected pass: listed as a "
                      "known gap (",
                      f);
                xml_text(f, r->gap_reason);
                fputs(")</system-out>\n    </testcase>\n", f);
                break;
            case CONF_V_FAIL:
            case CONF_V_CRASH:
            case CONF_V_TIMEOUT:
                fprintf(f, ">\n      <%s message=\"",
                        v == CONF_V_FAIL ? "failure" : "error");
                conf_xml_escape(f, msg);
                fprintf(f, "\" type=\"%s\">", conf_verdict_name(v));
                failure_body(f, r);
                fprintf(f, "</%s>\n    </testcase>\n",
                        v == CONF_V_FAIL ? "failure" : "error");
                break;
            case CONF_V_SKIP:
                fputs(">\n      <skipped message=\"", f);
                conf_xml_escape(f, r->message);
                fputs("\"/>\n    </testcase>\n", f);
                break;
            case CONF_V_INFO_FAIL:
            case CONF_V_KNOWN_GAP: {
                char m2[2300];
                snprintf(m2, sizeof m2, "%s: %s",
                         v == CONF_V_KNOWN_GAP
                             ? "known gap"
                             : "informative case did not pass",
                         v == CONF_V_KNOWN_GAP ? r->gap_reason : msg);
                fputs(">\n      <skipped message=\"", f);
                conf_xml_escape(f, m2);
                fputs("\"/>\n      <system-out>", f);
                failure_body(f, r);
                fputs("</system-out>\n    </testcase>\n", f);
                break;
            }
            default:
                fputs("/>\n", f);
            }
        }
        fputs("  </testsuite>\n", f);
        i = j;
    }
    fputs("</testsuites>\n", f);
    return close_tmp(f, tmp, path);
}

/* ---- JSON --------------------------------------------------------------- */

int conf_write_json(const conf_run *run, const char *path)
{
    char tmp[4096];
    FILE *f = open_tmp(path, tmp, sizeof tmp);
    if (!f)
        return -1;
    const unsigned *n = run->counts;
    bool bad = n[CONF_V_FAIL] + n[CONF_V_CRASH] + n[CONF_V_TIMEOUT] > 0;
    fputs("{\n  \"tool\": \"docts\",\n  \"format\": 1,\n"
          "  \"implementation\": ",
          f);
    conf_json_string(f, run->impl);
    fputs(",\n  \"profile\": ", f);
    conf_json_string(f, run->profile);
    fputs(",\n  \"date\": ", f);
    conf_json_string(f, run->date);
    fputs(",\n  \"mock_url\": ", f);
    conf_json_string(f, run->mock_url);
    fprintf(f, ",\n  \"seconds\": %.3f,\n  \"result\": \"%s\",\n", run->seconds,
            bad ? "fail" : "pass");
    fprintf(f, "  \"totals\": {\n    \"cases\": %zu", run->nresults);
    for (int v = 0; v < CONF_V_COUNT; v++)
        fprintf(f, ",\n    \"%s\": %u", conf_verdict_slug((conf_verdict)v),
                n[v]);
    fputs("\n  },\n  \"cases\": [", f);
    for (size_t i = 0; i < run->nresults; i++) {
        const conf_result *r = &run->results[i];
        fputs(i ? ",\n    {" : "\n    {", f);
        fputs("\"suite\": ", f);
        conf_json_string(f, r->suite->name);
        fputs(", \"id\": ", f);
        conf_json_string(f, r->c->id);
        fputs(", \"profile\": ", f);
        conf_json_string(f, conf_profile_name(r->profile));
        fputs(", \"interface\": ", f);
        conf_json_string(f, r->c->iface);
        fputs(", \"method\": ", f);
        conf_json_string(f, r->c->method);
        fputs(", \"rule\": ", f);
        conf_json_string(f, r->c->rule);
        fputs(", \"evidence\": ", f);
        conf_json_string(f, conf_result_informative(r) ? "informative"
                                                       : "required");
        fputs(", \"case\": ", f);
        conf_json_string(f, r->c->expect);
        fputs(", \"outcome\": ", f);
        conf_json_string(f, conf_outcome_name(r->outcome));
        fputs(", \"verdict\": ", f);
        conf_json_string(f, conf_verdict_slug(conf_verdict_of(r)));
        fputs(", \"expected\": ", f);
        conf_json_string(f, r->expected && *r->expected ? r->expected : NULL);
        fputs(", \"actual\": ", f);
        conf_json_string(f, r->actual && *r->actual ? r->actual : NULL);
        fputs(", \"message\": ", f);
        conf_json_string(f, r->message && *r->message ? r->message : NULL);
        fputs(", \"where\": ", f);
        conf_json_string(f, r->where && *r->where ? r->where : NULL);
        fputs(", \"check\": ", f);
        conf_json_string(f, r->check && *r->check ? r->check : NULL);
        fputs(", \"known_gap\": ", f);
        conf_json_string(f, r->gap_reason);
        fprintf(f, ", \"checks\": %u, \"duration_ms\": %.1f}", r->checks,
                r->seconds * 1000.0);
    }
    fputs("\n  ]\n}\n", f);
    return close_tmp(f, tmp, path);
}

/* ---- CUnit -------------------------------------------------------------- */

static const conf_run *replay_run;

struct CU_TestInfo *conf_cunit_tests(const conf_run *run, const conf_suite *s)
{
    size_t n = 0;
    for (size_t i = 0; i < run->nresults; i++)
        if (run->results[i].suite == s)
            n++;
    CU_TestInfo *t = calloc(n + 1, sizeof *t);
    if (!t)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < run->nresults; i++)
        if (run->results[i].suite == s)
            t[k++] = (CU_TestInfo){.pName = run->results[i].name,
                                   .pTestFunc = conf_cunit_replay};
    t[k] = (CU_TestInfo)CU_TEST_INFO_NULL;
    return t;
}

static const conf_result *find_result(const char *suite, const char *test)
{
    if (!replay_run)
        return NULL;
    for (size_t i = 0; i < replay_run->nresults; i++) {
        const conf_result *r = &replay_run->results[i];
        if (!strcmp(r->name, test) && !strcmp(r->suite->name, suite))
            return r;
    }
    return NULL;
}

void conf_cunit_replay(void)
{
    CU_pSuite s = CU_get_current_suite();
    CU_pTest t = CU_get_current_test();
    const conf_result *r = s && t ? find_result(s->pName, t->pName) : NULL;
    if (!r) {
        CU_assertImplementation(CU_FALSE, 0, "docts: no recorded result",
                                __FILE__, "", CU_FALSE);
        return;
    }
    conf_verdict v = conf_verdict_of(r);
    if (!conf_verdict_fails_run(v)) {
        CU_assertImplementation(CU_TRUE, 0, conf_verdict_name(v), "", "",
                                CU_FALSE);
        return;
    }
    char msg[2048];
    char where[256] = "";
    unsigned line = 0;
    if (r->where && *r->where) {
        snprintf(where, sizeof where, "%s", r->where);
        char *colon = strrchr(where, ':');
        if (colon) {
            *colon = '\0';
            line = (unsigned)strtoul(colon + 1, NULL, 10);
        }
    }
    char sm[1500];
    short_message(sm, sizeof sm, r);
    snprintf(msg, sizeof msg, "%s %s::%s [%s]: %s", conf_verdict_name(v),
             r->c->iface, r->c->method, r->c->rule, sm);
    CU_assertImplementation(CU_FALSE, line, msg, where, "", CU_FALSE);
}

int conf_write_cunit(const conf_run *run, const char *dir,
                     conf_cunit_register_fn reg)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return -1;
    int rc = -1;
    replay_run = run;
    if (reg(run) != 0)
        goto out;
    CU_set_fail_on_inactive(CU_FALSE);
    for (size_t i = 0; i < run->nresults; i++) {
        if (conf_verdict_of(&run->results[i]) != CONF_V_SKIP)
            continue;
        CU_pSuite s = CU_get_suite(run->results[i].suite->name);
        CU_pTest t = s ? CU_get_test(s, run->results[i].name) : NULL;
        if (t)
            CU_set_test_active(t, CU_FALSE);
    }
    char prefix[4096];
    snprintf(prefix, sizeof prefix, "%s/CUnit", dir);
    CU_set_output_filename(prefix);
    CU_automated_run_tests();
    rc = CU_get_error() == CUE_SUCCESS ? 0 : -1;
out:
    CU_cleanup_registry();
    replay_run = NULL;
    return rc;
}
