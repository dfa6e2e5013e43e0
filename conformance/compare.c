/*
 * compare.c - `docts compare RUN_DIR... --report DIR`: the verdicts of
 * several runs side by side.  Each RUN_DIR holds the summary.json of one
 * run (one implementation); the output is compare.html (cases grouped by
 * interface and method x implementations, each cell the verdict, with the
 * totals per interface first) and compare.json with the same table.
 *
 * Owns a small JSON reader for the runner's own summary.json (objects,
 * arrays, strings, numbers, true/false/null); nothing else reads JSON.
 */
#include "runner.h"

#include "platform.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small JSON reader ------------------------------------------------- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jval jval;
struct jval {
    jtype t;
    double num;
    char *str;    /* J_STR */
    char **keys;  /* J_OBJ: keys[i] names items[i] */
    jval **items; /* J_ARR, J_OBJ */
    size_t n;
};

typedef struct {
    const char *p, *end;
    bool bad;
} jsrc;

static void jfree(jval *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        jfree(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

static void skip_ws(jsrc *s)
{
    while (s->p < s->end && isspace((unsigned char)*s->p))
        s->p++;
}

/* Appends code point CP as UTF-8. */
static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

static char *jstring(jsrc *s)
{
    s->p++; /* the opening quote */
    char *out = malloc((size_t)(s->end - s->p) + 1);
    size_t o = 0;
    while (out && s->p < s->end && *s->p != '"') {
        char ch = *s->p++;
        if (ch != '\\') {
            out[o++] = ch;
            continue;
        }
        if (s->p >= s->end)
            break;
        char e = *s->p++;
        switch (e) {
        case 'n':
            out[o++] = '\n';
            break;
        case 't':
            out[o++] = '\t';
            break;
        case 'r':
            out[o++] = '\r';
            break;
        case 'b':
            out[o++] = '\b';
            break;
        case 'f':
            out[o++] = '\f';
            break;
        case 'u': {
            unsigned cp = 0;
            for (int k = 0; k < 4 && s->p < s->end; k++) {
                char hx = *s->p++;
                cp = cp * 16 +
                     (unsigned)(isdigit((unsigned char)hx)
                                    ? hx - '0'
                                    : (tolower((unsigned char)hx) - 'a' + 10));
            }
            o += put_utf8(out + o, cp);
            break;
        }
        default:
            out[o++] = e;
            break;
        }
    }
    if (!out || s->p >= s->end) {
        free(out);
        s->bad = true;
        return NULL;
    }
    s->p++; /* the closing quote */
    out[o] = '\0';
    return out;
}

static jval *jparse(jsrc *s, int depth);

/* Adds V (and KEY) to the container C. */
static bool jadd(jval *c, char *key, jval *v)
{
    jval **ni = realloc(c->items, (c->n + 1) * sizeof *ni);
    if (!ni)
        return false;
    c->items = ni;
    if (c->t == J_OBJ) {
        char **nk = realloc(c->keys, (c->n + 1) * sizeof *nk);
        if (!nk)
            return false;
        c->keys = nk;
        c->keys[c->n] = key;
    }
    c->items[c->n++] = v;
    return true;
}

static jval *jcontainer(jsrc *s, int depth, jtype t)
{
    jval *c = calloc(1, sizeof *c);
    if (!c) {
        s->bad = true;
        return NULL;
    }
    c->t = t;
    char close = t == J_OBJ ? '}' : ']';
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return c;
    }
    while (!s->bad) {
        char *key = NULL;
        skip_ws(s);
        if (t == J_OBJ) {
            if (s->p >= s->end || *s->p != '"' || !(key = jstring(s)))
                break;
            skip_ws(s);
            if (s->p >= s->end || *s->p != ':') {
                free(key);
                break;
            }
            s->p++;
        }
        jval *v = jparse(s, depth + 1);
        if (!v || !jadd(c, key, v)) {
            free(key);
            jfree(v);
            break;
        }
        skip_ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            continue;
        }
        if (s->p < s->end && *s->p == close) {
            s->p++;
            return c;
        }
        break;
    }
    s->bad = true;
    jfree(c);
    return NULL;
}

static jval *jparse(jsrc *s, int depth)
{
    skip_ws(s);
    if (s->p >= s->end || depth > 32) {
        s->bad = true;
        return NULL;
    }
    if (*s->p == '{')
        return jcontainer(s, depth, J_OBJ);
    if (*s->p == '[')
        return jcontainer(s, depth, J_ARR);
    jval *v = calloc(1, sizeof *v);
    if (!v) {
        s->bad = true;
        return NULL;
    }
    if (*s->p == '"') {
        v->t = J_STR;
        v->str = jstring(s);
        if (!v->str) {
            free(v);
            return NULL;
        }
    } else if (!strncmp(s->p, "null", 4)) {
        v->t = J_NULL;
        s->p += 4;
    } else if (!strncmp(s->p, "true", 4)) {
        v->t = J_BOOL;
        v->num = 1;
        s->p += 4;
    } else if (!strncmp(s->p, "false", 5)) {
        v->t = J_BOOL;
        s->p += 5;
    } else {
        char *end;
        v->t = J_NUM;
        v->num = strtod(s->p, &end);
        if (end == s->p) {
            free(v);
            s->bad = true;
            return NULL;
        }
        s->p = end;
    }
    return v;
}

static const jval *jget(const jval *o, const char *key)
{
    if (!o || o->t != J_OBJ)
        return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->keys[i], key))
            return o->items[i];
    return NULL;
}

static const char *jstr(const jval *o, const char *key)
{
    const jval *v = jget(o, key);
    return v && v->t == J_STR ? v->str : NULL;
}

static jval *jload(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open %s", path);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) {
        snprintf(err, errlen, "out of memory reading %s", path);
        return NULL;
    }
    jsrc s = {buf, buf + len, false};
    jval *v = jparse(&s, 0);
    free(buf);
    if (!v || s.bad || v->t != J_OBJ || !jget(v, "cases")) {
        jfree(v);
        snprintf(err, errlen, "%s is not a docts summary.json", path);
        return NULL;
    }
    return v;
}

/* ---- the comparison ---------------------------------------------------- */

typedef struct {
    char *label; /* column head: the implementation's file name */
    jval *json;
} crun;

typedef struct {
    const char *iface, *method, *id, *profile, *text;
    const jval **cells; /* per run: its case object, or NULL */
} crow;

/* Verdict slugs in the order totals are shown. */
static const char *const slugs[] = {
    "pass",      "fail",
    "crash",     "timeout",
    "skip",      "informative_fail",
    "known_gap", "unexpected_pass",
};

static const char *cell_verdict(const jval *c)
{
    const char *v = c ? jstr(c, "verdict") : NULL;
    return v ? v : "absent";
}

/* A skip whose reason says the case does not apply to the run. */
static bool cell_not_applicable(const jval *c)
{
    const char *m = c ? jstr(c, "message") : NULL;
    return m && !strncmp(m, CONF_NOT_APPLICABLE, strlen(CONF_NOT_APPLICABLE));
}

static const char *cell_text(const jval *c)
{
    const char *v = cell_verdict(c);
    if (!strcmp(v, "absent"))
        return "\xE2\x80\x94";
    if (cell_not_applicable(c))
        return "n/a";
    for (int i = 0; i < CONF_V_COUNT; i++)
        if (!strcmp(v, conf_verdict_slug((conf_verdict)i)))
            return conf_verdict_name((conf_verdict)i);
    return v;
}

static int row_cmp(const void *a, const void *b)
{
    const crow *x = a, *y = b;
    int c = strcmp(x->iface, y->iface);
    if (!c)
        c = strcmp(x->method, y->method);
    if (!c)
        c = strcmp(x->id, y->id);
    if (!c)
        c = strcmp(x->profile, y->profile);
    return c;
}

/* The rows: every (case, profile) of any run, sorted by interface, method
 * and id.  Returns the count (rows malloc'd in *OUT). */
static size_t build_rows(const crun *runs, size_t nruns, crow **out)
{
    size_t n = 0, cap = 0;
    crow *rows = NULL;
    for (size_t r = 0; r < nruns; r++) {
        const jval *cases = jget(runs[r].json, "cases");
        for (size_t i = 0; cases && i < cases->n; i++) {
            const jval *c = cases->items[i];
            const char *id = jstr(c, "id"), *prof = jstr(c, "profile");
            if (!id || !prof)
                continue;
            size_t k;
            for (k = 0; k < n; k++)
                if (!strcmp(rows[k].id, id) && !strcmp(rows[k].profile, prof))
                    break;
            if (k == n) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 256;
                    crow *nr = realloc(rows, cap * sizeof *nr);
                    if (!nr)
                        break;
                    rows = nr;
                }
                const char *iface = jstr(c, "interface");
                const char *method = jstr(c, "method");
                const char *text = jstr(c, "case");
                rows[n] = (crow){.iface = iface ? iface : "?",
                                 .method = method ? method : "?",
                                 .id = id,
                                 .profile = prof,
                                 .text = text ? text : "",
                                 .cells = calloc(nruns, sizeof(jval *))};
                if (!rows[n].cells)
                    break;
                n++;
            }
            rows[k].cells[r] = c;
        }
    }
    qsort(rows, n, sizeof *rows, row_cmp);
    *out = rows;
    return n;
}

static void h(FILE *f, const char *s)
{
    conf_xml_escape(f, s);
}

static const char compare_css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "margin:24px 32px;color:#1d2330;background:#fafbfc}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:26px 0 8px;"
    "border-bottom:1px solid #d8dde6;padding-bottom:4px}"
    ".meta{color:#4a5568;margin-bottom:12px}"
    "table{border-collapse:collapse;background:#fff;margin:4px 0 12px}"
    "th,td{border:1px solid #d8dde6;padding:3px 8px;text-align:left;"
    "vertical-align:top}th{background:#eef1f5;font-weight:600}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "td.v{text-align:center;font-weight:600;font-size:12px;white-space:"
    "nowrap}"
    ".pass{background:#e6f4ea;color:#1f8a4c}"
    ".fail,.crash,.timeout{background:#fde8e8;color:#c53030}"
    ".skip{background:#f1f2f4;color:#6b7280}"
    ".na{background:#f7f7f8;color:#9aa1ad}"
    ".informative_fail{background:#fdf3dc;color:#b7791f}"
    ".known_gap{background:#efe9fb;color:#6b46c1}"
    ".unexpected_pass{background:#e3eefb;color:#2b6cb0}"
    ".absent{color:#b8bec9}"
    "tr.iface td{background:#f5f7fa;font-weight:600}"
    "td.id{font-family:ui-monospace,'DejaVu Sans Mono',monospace;"
    "font-size:12px;white-space:nowrap}"
    "td.t{font-size:12.5px;color:#4a5568}";

static const char *cell_class(const jval *c)
{
    if (cell_not_applicable(c))
        return "na";
    return cell_verdict(c);
}

/* Cells of run RUN among the rows of interface IFACE (NULL: all) whose
 * verdict is SLUG; SLUG NULL: every case the run has, SLUG "n/a": the
 * cases that do not apply to it. */
static unsigned count(const crow *rows, size_t n, size_t run, const char *iface,
                      const char *slug)
{
    unsigned k = 0;
    for (size_t i = 0; i < n; i++) {
        const jval *c = rows[i].cells[run];
        if (!c || (iface && strcmp(rows[i].iface, iface)))
            continue;
        if (!slug || (!strcmp(slug, "n/a") ? cell_not_applicable(c)
                                           : !strcmp(cell_verdict(c), slug)))
            k++;
    }
    return k;
}

/* "12 / 30 pass, 3 gaps" for one interface and run. */
static void totals_cell(FILE *f, const crow *rows, size_t n, size_t run,
                        const char *iface)
{
    unsigned total = count(rows, n, run, iface, NULL);
    if (!total) {
        fputs("<td class=\"n absent\">\xE2\x80\x94</td>", f);
        return;
    }
    unsigned pass = count(rows, n, run, iface, "pass");
    unsigned bad = count(rows, n, run, iface, "fail") +
                   count(rows, n, run, iface, "crash") +
                   count(rows, n, run, iface, "timeout");
    unsigned gap = count(rows, n, run, iface, "known_gap");
    unsigned na = count(rows, n, run, iface, "n/a");
    fprintf(f, "<td class=\"n\">%u / %u pass", pass, total);
    if (gap)
        fprintf(f, ", %u known gap%s", gap, gap == 1 ? "" : "s");
    if (na)
        fprintf(f, ", %u n/a", na);
    unsigned skip = count(rows, n, run, iface, "skip") - na;
    if (skip)
        fprintf(f, ", %u skipped", skip);
    if (bad)
        fprintf(f, ", <span class=\"fail\">%u failed</span>", bad);
    fputs("</td>", f);
}

/* The runs' column heads and the end of the head row. */
static void head_cells(FILE *f, const crun *runs, size_t nruns)
{
    for (size_t r = 0; r < nruns; r++) {
        fputs("<th>", f);
        h(f, runs[r].label);
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
}

static int write_html(const crun *runs, size_t nruns, const crow *rows,
                      size_t n, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
          "<title>docts: implementations side by side</title><style>",
          f);
    fputs(compare_css, f);
    fputs("</style></head><body>\n<h1>docts: implementations side by "
          "side</h1>\n<div class=\"meta\">",
          f);
    for (size_t r = 0; r < nruns; r++) {
        fputs(r ? "<br/>" : "", f);
        fputs("<b>", f);
        h(f, runs[r].label);
        fputs("</b>: ", f);
        h(f, jstr(runs[r].json, "implementation"));
        fputs(", profile ", f);
        h(f, jstr(runs[r].json, "profile"));
        fputs(", ", f);
        h(f, jstr(runs[r].json, "date"));
    }
    fputs("</div>\n<h2>Totals per interface</h2>\n<table><tr><th>interface"
          "</th>",
          f);
    head_cells(f, runs, nruns);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !strcmp(rows[i].iface, rows[i - 1].iface))
            continue;
        fputs("<tr><td>", f);
        h(f, rows[i].iface);
        fputs("</td>", f);
        for (size_t r = 0; r < nruns; r++)
            totals_cell(f, rows, n, r, rows[i].iface);
        fputs("</tr>\n", f);
    }
    fputs("<tr class=\"iface\"><td>all</td>", f);
    for (size_t r = 0; r < nruns; r++)
        totals_cell(f, rows, n, r, NULL);
    fputs("</tr></table>\n<h2>Cases</h2>\n<table><tr><th>case</th>"
          "<th>method</th><th>what it checks</th>",
          f);
    head_cells(f, runs, nruns);
    for (size_t i = 0; i < n; i++) {
        const crow *w = &rows[i];
        if (i == 0 || strcmp(w->iface, rows[i - 1].iface)) {
            fputs("<tr class=\"iface\"><td colspan=\"3\">", f);
            h(f, w->iface);
            fputs("</td>", f);
            for (size_t r = 0; r < nruns; r++)
                totals_cell(f, rows, n, r, w->iface);
            fputs("</tr>\n", f);
        }
        fputs("<tr><td class=\"id\">", f);
        h(f, w->id);
        fputs("[", f);
        h(f, w->profile);
        fputs("]</td><td>", f);
        h(f, w->method);
        fputs("</td><td class=\"t\">", f);
        h(f, w->text);
        fputs("</td>", f);
        for (size_t r = 0; r < nruns; r++) {
            const jval *c = w->cells[r];
            const char *why = c ? jstr(c, "known_gap") : NULL;
            if (!why && c)
                why = jstr(c, "message");
            fputs("<td class=\"v ", f);
            fputs(cell_class(c), f);
            fputs("\"", f);
            if (why) {
                fputs(" title=\"", f);
                h(f, why);
                fputs("\"", f);
            }
            fputs(">", f);
            h(f, cell_text(c));
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n<p class=\"meta\">A cell's tooltip gives the known gap's "
          "reason or the failure message; n/a: the case does not apply to an "
          "out-of-process implementation.</p>\n</body></html>\n",
          f);
    return fclose(f) == 0 ? 0 : -1;
}

static int write_json(const crun *runs, size_t nruns, const crow *rows,
                      size_t n, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs("{\n  \"tool\": \"docts compare\",\n  \"format\": 1,\n"
          "  \"implementations\": [",
          f);
    for (size_t r = 0; r < nruns; r++) {
        fputs(r ? ",\n    {\"label\": " : "\n    {\"label\": ", f);
        conf_json_string(f, runs[r].label);
        fputs(", \"implementation\": ", f);
        conf_json_string(f, jstr(runs[r].json, "implementation"));
        fputs(", \"date\": ", f);
        conf_json_string(f, jstr(runs[r].json, "date"));
        fputs("}", f);
    }
    fputs("\n  ],\n  \"interfaces\": [", f);
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && !strcmp(rows[i].iface, rows[i - 1].iface))
            continue;
        fputs(first ? "\n    {\"interface\": " : ",\n    {\"interface\": ", f);
        first = false;
        conf_json_string(f, rows[i].iface);
        fputs(", \"totals\": {", f);
        for (size_t r = 0; r < nruns; r++) {
            fputs(r ? ", " : "", f);
            conf_json_string(f, runs[r].label);
            fprintf(f, ": {\"cases\": %u",
                    count(rows, n, r, rows[i].iface, NULL));
            for (size_t s = 0; s < CONF_ARRAY_LEN(slugs); s++)
                fprintf(f, ", \"%s\": %u", slugs[s],
                        count(rows, n, r, rows[i].iface, slugs[s]));
            fputs("}", f);
        }
        fputs("}}", f);
    }
    fputs("\n  ],\n  \"cases\": [", f);
    for (size_t i = 0; i < n; i++) {
        const crow *w = &rows[i];
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", f);
        conf_json_string(f, w->id);
        fputs(", \"profile\": ", f);
        conf_json_string(f, w->profile);
        fputs(", \"interface\": ", f);
        conf_json_string(f, w->iface);
        fputs(", \"method\": ", f);
        conf_json_string(f, w->method);
        fputs(", \"verdicts\": {", f);
        for (size_t r = 0; r < nruns; r++) {
            fputs(r ? ", " : "", f);
            conf_json_string(f, runs[r].label);
            fputs(": ", f);
            const jval *c = w->cells[r];
            conf_json_string(f, c ? (cell_not_applicable(c) ? "not_applicable"
                                                            : cell_verdict(c))
                                  : NULL);
        }
        fputs("}}", f);
    }
    fputs("\n  ]\n}\n", f);
    return fclose(f) == 0 ? 0 : -1;
}

/* Column head of a run: the implementation's file name. */
static char *run_label(const jval *j)
{
    const char *impl = jstr(j, "implementation");
    if (!impl)
        impl = "?";
    const char *base = impl;
    for (const char *p = impl; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t n = strlen(base) + 16;
    char *l = malloc(n);
    if (l)
        snprintf(l, n, "%s", base);
    return l;
}

static const char compare_usage[] =
    "usage: docts compare RUN_DIR[=LABEL]... --report DIR\n";

int conf_compare_main(int argc, char **argv)
{
    const char *report = NULL;
    crun *runs = calloc((size_t)argc, sizeof *runs);
    size_t nruns = 0;
    int rc = 2;
    if (!runs)
        return 2;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--report") && i + 1 < argc) {
            report = argv[++i];
            continue;
        }
        if (!strncmp(argv[i], "--", 2)) {
            fputs(compare_usage, stderr);
            goto out;
        }
        /* RUN_DIR=LABEL names the column */
        char dir[4096], path[4200], err[4400];
        snprintf(dir, sizeof dir, "%s", argv[i]);
        char *eq = strchr(dir, '=');
        if (eq)
            *eq++ = '\0';
        snprintf(path, sizeof path, "%s/summary.json", dir);
        jval *j = jload(path, err, sizeof err);
        if (!j) {
            fprintf(stderr, "docts compare: %s\n", err);
            goto out;
        }
        runs[nruns].json = j;
        runs[nruns].label = eq && *eq ? strdup(eq) : run_label(j);
        nruns++;
    }
    if (!report || nruns == 0) {
        fputs(compare_usage, stderr);
        goto out;
    }
    /* the same implementation twice gets its run's number */
    for (size_t a = 0; a < nruns; a++)
        for (size_t b = a + 1; b < nruns; b++)
            if (!strcmp(runs[a].label, runs[b].label)) {
                size_t n = strlen(runs[b].label) + 16;
                char *l = malloc(n);
                if (l) {
                    snprintf(l, n, "%s #%zu", runs[b].label, b + 1);
                    free(runs[b].label);
                    runs[b].label = l;
                }
            }
    crow *rows = NULL;
    size_t n = build_rows(runs, nruns, &rows);
    char html[4096], json[4096];
    snprintf(html, sizeof html, "%s/compare.html", report);
    snprintf(json, sizeof json, "%s/compare.json", report);
    if (conf_plat_mkdirs(report) != 0 ||
        write_html(runs, nruns, rows, n, html) != 0 ||
        write_json(runs, nruns, rows, n, json) != 0) {
        fprintf(stderr, "docts compare: cannot write %s\n", report);
    } else {
        printf("docts compare: %zu cases x %zu implementations -> %s, %s\n", n,
               nruns, html, json);
        rc = 0;
    }
    for (size_t i = 0; i < n; i++)
        free((void *)rows[i].cells);
    free(rows);
out:
    for (size_t r = 0; r < nruns; r++) {
        jfree(runs[r].json);
        free(runs[r].label);
    }
    free(runs);
    return rc;
}
