/*
 * report_html.c - the one-page HTML report: what was tested, the totals,
 * the interface x method matrix with counts per verdict, every failure
 * with expected/actual and the spec rule, and the full case list.
 * Self-contained: inline CSS, no scripts, no external resources, so the
 * page can be archived as a CI artifact and opened anywhere.  The markup is
 * also well-formed XML (numeric entities, closed empty elements), so
 * check-conf validates it with xmllint like the other reports.
 */
#include "runner.h"

#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void h(FILE *f, const char *s)
{
    conf_xml_escape(f, s);
}

static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "margin:24px 32px;color:#1d2330;background:#fafbfc}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;"
    "border-bottom:1px solid #d8dde6;padding-bottom:4px}"
    ".meta{color:#4a5568;margin-bottom:14px}.meta code{background:#eef1f5;"
    "padding:1px 5px;border-radius:3px}"
    ".banner{display:inline-block;font-weight:700;padding:6px 14px;"
    "border-radius:4px;color:#fff;margin:6px 0 12px}"
    ".banner.pass{background:#1f8a4c;color:#fff}"
    ".banner.fail{background:#c53030;color:#fff}"
    ".tot{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 10px}"
    ".tot div{background:#fff;border:1px solid #d8dde6;border-radius:6px;"
    "padding:8px 14px;min-width:90px}.tot b{display:block;font-size:20px}"
    "table{border-collapse:collapse;background:#fff;margin:4px 0 12px}"
    "th,td{border:1px solid #d8dde6;padding:4px 9px;text-align:left;"
    "vertical-align:top}th{background:#eef1f5;font-weight:600}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "td.z{color:#b8bec9}"
    ".pass{color:#1f8a4c}.fail,.crash,.timeout{color:#c53030;"
    "font-weight:600}.skip{color:#6b7280}.informative_fail{color:#b7791f}"
    ".known_gap{color:#6b46c1}.unexpected_pass{color:#2b6cb0}"
    "td.cpass{background:#e6f4ea}td.cfail{background:#fde8e8}"
    "td.cskip{background:#f1f2f4}td.cinfo{background:#fdf3dc}"
    "td.cgap{background:#efe9fb}"
    "tr.iface td{background:#f5f7fa;font-weight:600}"
    ".fl{background:#fff;border:1px solid #e2b4b4;border-left:5px solid "
    "#c53030;border-radius:4px;padding:8px 12px;margin:8px 0}"
    ".fl.info{border-color:#eed9a8;border-left-color:#b7791f}"
    ".fl.gap{border-color:#d6c9f0;border-left-color:#6b46c1}"
    ".fl h3{font-size:14px;margin:0 0 4px}.fl dl{display:grid;"
    "grid-template-columns:90px 1fr;margin:0;gap:2px 10px}"
    ".fl dt{color:#4a5568}.fl dd{margin:0;font-family:ui-monospace,"
    "'DejaVu Sans Mono',monospace;font-size:12.5px;white-space:pre-wrap;"
    "word-break:break-word}"
    "pre{background:#f3f4f6;padding:6px;font-size:12px;max-height:220px;"
    "overflow:auto;white-space:pre-wrap}"
    "td.mono{font-family:ui-monospace,'DejaVu Sans Mono',monospace;"
    "font-size:12px}.small{font-size:12px;color:#4a5568}";

/* Matrix columns. */
enum { M_CASES, M_PASS, M_FAIL, M_SKIP, M_INFO, M_GAP, M_N };

static int matrix_col(conf_verdict v)
{
    switch (v) {
    case CONF_V_PASS:
        return M_PASS;
    case CONF_V_FAIL:
    case CONF_V_CRASH:
    case CONF_V_TIMEOUT:
        return M_FAIL;
    case CONF_V_SKIP:
        return M_SKIP;
    case CONF_V_INFO_FAIL:
        return M_INFO;
    case CONF_V_KNOWN_GAP:
    case CONF_V_XPASS:
        return M_GAP;
    default:
        return M_SKIP;
    }
}

typedef struct row {
    const char *iface, *method;
    unsigned n[M_N];
    unsigned informative; /* informative cases among them */
} row;

static int row_cmp(const void *a, const void *b)
{
    const row *x = a, *y = b;
    int c = strcmp(x->iface, y->iface);
    return c ? c : strcmp(x->method, y->method);
}

static void cell(FILE *f, unsigned v, const char *cls)
{
    if (v == 0)
        fputs("<td class=\"n z\">0</td>", f);
    else
        fprintf(f, "<td class=\"n %s\">%u</td>", cls, v);
}

static void failure_block(FILE *f, const conf_result *r, conf_verdict v)
{
    const char *cls = v == CONF_V_INFO_FAIL   ? "fl info"
                      : v == CONF_V_KNOWN_GAP ? "fl gap"
                                              : "fl";
    fprintf(f, "<div class=\"%s\"><h3><span class=\"%s\">%s</span> ", cls,
            conf_verdict_slug(v), conf_verdict_name(v));
    h(f, r->name);
    fputs(" &#8212; ", f);
    h(f, r->c->iface);
    fputs("::", f);
    h(f, r->c->method);
    fputs("</h3><dl><dt>case</dt><dd>", f);
    h(f, r->c->expect);
    fputs("</dd><dt>rule</dt><dd>", f);
    h(f, r->c->rule);
    fprintf(f, " (%s)</dd>",
            !conf_result_informative(r) ? "required" : "informative");
    if (r->check && *r->check) {
        fputs("<dt>check</dt><dd>", f);
        h(f, r->check);
        fputs("</dd>", f);
    }
    if (r->expected && *r->expected && r->outcome == CONF_O_FAIL) {
        fputs("<dt>expected</dt><dd>", f);
        h(f, r->expected);
        fputs("</dd><dt>actual</dt><dd>", f);
        h(f, r->actual);
        fputs("</dd>", f);
    }
    if (r->message && *r->message && !(r->check && *r->check)) {
        fputs("<dt>detail</dt><dd>", f);
        h(f, r->message);
        fputs("</dd>", f);
    }
    if (r->where && *r->where) {
        fputs("<dt>at</dt><dd>", f);
        h(f, r->where);
        fputs("</dd>", f);
    }
    if (r->gap_reason) {
        fputs("<dt>known gap</dt><dd>", f);
        h(f, r->gap_reason);
        fputs("</dd>", f);
    }
    fputs("</dl>", f);
    if (r->output && *r->output) {
        fputs("<details><summary class=\"small\">output of the case "
              "(tail)</summary><pre>",
              f);
        h(f, r->output);
        fputs("</pre></details>", f);
    }
    fputs("</div>\n", f);
}

int conf_write_html(const conf_run *run, const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    const unsigned *n = run->counts;
    bool bad = n[CONF_V_FAIL] + n[CONF_V_CRASH] + n[CONF_V_TIMEOUT] > 0;

    fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
          "lang=\"en\"><head><meta charset=\"utf-8\"/>"
          "<title>docts conformance report</title><style>",
          f);
    fputs(css, f);
    fputs("</style></head><body>\n<h1>docts conformance report</h1>\n"
          "<div class=\"meta\">implementation <code>",
          f);
    h(f, run->impl);
    fputs("</code> &#183; profile <code>", f);
    h(f, run->profile);
    fputs("</code> &#183; ", f);
    h(f, run->date);
    fprintf(f, " &#183; %.1f s", run->seconds);
    if (run->mock_url) {
        fputs(" &#183; mock server <code>", f);
        h(f, run->mock_url);
        fputs("</code>", f);
    }
    fputs("</div>\n", f);
    fprintf(f,
            "<div class=\"banner %s\">%s: %u required case%s did not pass"
            "</div>\n",
            bad ? "fail" : "pass", bad ? "FAIL" : "PASS",
            n[CONF_V_FAIL] + n[CONF_V_CRASH] + n[CONF_V_TIMEOUT],
            n[CONF_V_FAIL] + n[CONF_V_CRASH] + n[CONF_V_TIMEOUT] == 1 ? ""
                                                                      : "s");
    fputs("<div class=\"tot\">", f);
    fprintf(f, "<div>cases<b>%zu</b></div>", run->nresults);
    static const conf_verdict shown[] = {
        CONF_V_PASS, CONF_V_FAIL,      CONF_V_CRASH,     CONF_V_TIMEOUT,
        CONF_V_SKIP, CONF_V_INFO_FAIL, CONF_V_KNOWN_GAP, CONF_V_XPASS,
    };
    static const char *const labels[] = {
        "passed",     "failed",
        "crashed",    "timed out",
        "skipped",    "informative not passed",
        "known gaps", "unexpected passes",
    };
    for (size_t i = 0; i < CONF_ARRAY_LEN(shown); i++)
        fprintf(f, "<div class=\"%s\">%s<b>%u</b></div>",
                conf_verdict_slug(shown[i]), labels[i], n[shown[i]]);
    fputs("</div>\n", f);

    /* matrix */
    row *rows = calloc(run->nresults + 1, sizeof *rows);
    size_t nrows = 0;
    for (size_t i = 0; rows && i < run->nresults; i++) {
        const conf_result *r = &run->results[i];
        size_t k;
        for (k = 0; k < nrows; k++)
            if (!strcmp(rows[k].iface, r->c->iface) &&
                !strcmp(rows[k].method, r->c->method))
                break;
        if (k == nrows) {
            rows[nrows].iface = r->c->iface;
            rows[nrows].method = r->c->method;
            nrows++;
        }
        rows[k].n[M_CASES]++;
        rows[k].n[matrix_col(conf_verdict_of(r))]++;
        if (conf_result_informative(r))
            rows[k].informative++;
    }
    if (rows)
        qsort(rows, nrows, sizeof *rows, row_cmp);
    fputs("<h2>Interface &#215; method</h2>\n<table><tr><th>interface / "
          "method</th><th>cases</th><th>pass</th><th>fail</th><th>skip</th>"
          "<th>informative<br/>not passed</th><th>known gap /<br/>unexpected "
          "pass</th><th>of which<br/>informative</th></tr>\n",
          f);
    const char *cur = NULL;
    for (size_t k = 0; k < nrows; k++) {
        if (!cur || strcmp(cur, rows[k].iface)) {
            cur = rows[k].iface;
            unsigned t[M_N] = {0}, ti = 0;
            for (size_t j = k; j < nrows && !strcmp(rows[j].iface, cur); j++) {
                for (int c = 0; c < M_N; c++)
                    t[c] += rows[j].n[c];
                ti += rows[j].informative;
            }
            fputs("<tr class=\"iface\"><td>", f);
            h(f, cur);
            fprintf(f,
                    "</td><td class=\"n\">%u</td><td class=\"n\">%u</td>"
                    "<td class=\"n\">%u</td><td class=\"n\">%u</td>"
                    "<td class=\"n\">%u</td><td class=\"n\">%u</td>"
                    "<td class=\"n\">%u</td></tr>\n",
                    t[M_CASES], t[M_PASS], t[M_FAIL], t[M_SKIP], t[M_INFO],
                    t[M_GAP], ti);
        }
        fputs("<tr><td>&#160;&#160;", f);
        h(f, rows[k].method);
        fprintf(f, "</td><td class=\"n\">%u</td>", rows[k].n[M_CASES]);
        cell(f, rows[k].n[M_PASS], "cpass");
        cell(f, rows[k].n[M_FAIL], "cfail");
        cell(f, rows[k].n[M_SKIP], "cskip");
        cell(f, rows[k].n[M_INFO], "cinfo");
        cell(f, rows[k].n[M_GAP], "cgap");
        fprintf(f, "<td class=\"n\">%u</td></tr>\n", rows[k].informative);
    }
    fputs("</table>\n", f);
    free(rows);

    /* failures: required first, then informative and known gaps */
    fputs("<h2>Failures</h2>\n", f);
    unsigned shown_fail = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < run->nresults; i++) {
            const conf_result *r = &run->results[i];
            conf_verdict v = conf_verdict_of(r);
            bool req = conf_verdict_fails_run(v);
            bool other = v == CONF_V_INFO_FAIL || v == CONF_V_KNOWN_GAP;
            if ((pass == 0 && req) || (pass == 1 && other)) {
                failure_block(f, r, v);
                shown_fail++;
            }
        }
    }
    if (!shown_fail)
        fputs("<p class=\"pass\">No case failed.</p>\n", f);

    /* every case */
    fputs("<h2>All cases</h2>\n<details><summary>show the "
          "table</summary>\n<table><tr><th>case</th><th>verdict</th>"
          "<th>interface::method</th><th>rule</th><th>evidence</th>"
          "<th>what it checks</th><th>ms</th></tr>\n",
          f);
    for (size_t i = 0; i < run->nresults; i++) {
        const conf_result *r = &run->results[i];
        conf_verdict v = conf_verdict_of(r);
        fputs("<tr><td class=\"mono\">", f);
        h(f, r->name);
        fprintf(f, "</td><td class=\"%s\">%s</td><td>", conf_verdict_slug(v),
                conf_verdict_name(v));
        h(f, r->c->iface);
        fputs("::", f);
        h(f, r->c->method);
        fputs("</td><td>", f);
        h(f, r->c->rule);
        fprintf(f, "</td><td>%s</td><td>",
                !conf_result_informative(r) ? "required" : "informative");
        h(f, r->c->expect);
        if (v == CONF_V_SKIP && r->message) {
            fputs("<br/><span class=\"small\">skipped: ", f);
            h(f, r->message);
            fputs("</span>", f);
        }
        fprintf(f, "</td><td class=\"n\">%.0f</td></tr>\n",
                r->seconds * 1000.0);
    }
    fputs("</table></details>\n<p class=\"small\">Generated by docts. "
          "Required cases check documented or Windows-observed behaviour; "
          "informative cases pin the project's own decisions and never "
          "fail a run.</p>\n</body></html>\n",
          f);
    int bad_io = ferror(f);
    if (fclose(f) != 0 || bad_io || conf_plat_replace(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}
