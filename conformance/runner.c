/*
 * runner.c - docts's driver: options, the list of case instances (case x
 * profile, filtered by --suite/--case/--profile/--shard), the known gaps,
 * the mock server, the scheduler that runs up to --jobs children at once
 * with a timeout each, the progress line and the final summary.
 *
 * Every instance runs in a child process of its own (platform.h) with its
 * own temporary directory, which is removed when the child has been reaped,
 * whatever happened to it.  A crash or a hang ends that instance only.
 * The implementation is never loaded in this (parent) process except in a
 * probe child, so the parent stays single-threaded and fork() is safe.
 */
#include "runner.h"

#include "platform.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TIMEOUT_S 30u

static const char usage_text[] =
    "usage: docts [options]\n"
    "  --impl PATH        implementation (.so exporting DllGetClassObject);\n"
    "                     default: libdoref.so next to docts\n"
    "  --profile P        bits, do or all (default all)\n"
    "  --suite GLOBS      suites to run, comma-separated globs\n"
    "  --case GLOBS       case ids to run, comma-separated globs\n"
    "  --list             list the selected cases and exit\n"
    "  --list-md          the selected case table as Markdown (docs/cases.md)\n"
    "  --mock PATH        mock server (default: h2mock next to docts)\n"
    "  --fixtures DIR     mock server root (default: fixtures/)\n"
    "  --report DIR       where reports go (default reports/)\n"
    "  --no-reports       write no report files\n"
    "  --known-gaps FILE  known deviations (\"CASE PROFILE REASON\")\n"
    "  --slow             run timed cases in real time when the\n"
    "                     implementation has no test clock\n"
    "  --jobs N           cases in parallel (default: processors)\n"
    "  --shard I/N        run only the I-th of N shares (1-based)\n"
    "  --timeout S        default per-case timeout in seconds (30)\n"
    "  --quiet            no progress, summary only\n"
    "exit status: 0 every required case passed, 1 a required case failed,\n"
    "2 usage or set-up error\n";

static int usage_error(const char *fmt, ...) CONF_PRINTF(1, 2);
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("docts: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n(docts --help lists the options)\n", stderr);
    va_end(ap);
    return 2;
}

/* Parses argv into OPT.  Returns -1 to continue, or an exit status. */
static int parse_options(int argc, char **argv, conf_options *opt)
{
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        char *val = NULL;
        if (strncmp(a, "--", 2) != 0)
            return usage_error("unexpected argument \"%s\"", a);
        char *eq = strchr(a, '=');
        char name[64];
        size_t nl = eq ? (size_t)(eq - a) : strlen(a);
        if (nl >= sizeof name)
            return usage_error("unknown option \"%s\"", a);
        memcpy(name, a, nl);
        name[nl] = '\0';
        static const char *const with_value[] = {
            "--impl", "--profile",  "--suite",   "--case",
            "--mock", "--fixtures", "--report",  "--known-gaps",
            "--jobs", "--shard",    "--timeout",
        };
        bool takes = false;
        for (size_t k = 0; k < CONF_ARRAY_LEN(with_value); k++)
            if (!strcmp(name, with_value[k]))
                takes = true;
        if (takes) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return usage_error("%s needs a value", name);
        } else if (eq) {
            return usage_error("%s takes no value", name);
        }
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(name, "--impl")) {
            opt->impl = val;
        } else if (!strcmp(name, "--profile")) {
            opt->profiles = conf_parse_profile(val);
            if (!opt->profiles)
                return usage_error("--profile must be bits, do or all");
        } else if (!strcmp(name, "--suite")) {
            opt->suite_glob = val;
        } else if (!strcmp(name, "--case")) {
            opt->case_glob = val;
        } else if (!strcmp(name, "--mock")) {
            opt->mock = val;
        } else if (!strcmp(name, "--fixtures")) {
            opt->fixtures = val;
        } else if (!strcmp(name, "--report")) {
            opt->report_dir = val;
        } else if (!strcmp(name, "--known-gaps")) {
            opt->known_gaps = val;
        } else if (!strcmp(name, "--jobs")) {
            char *end;
            unsigned long n = strtoul(val, &end, 10);
            if (*end || n < 1 || n > 256)
                return usage_error("--jobs must be 1..256");
            opt->jobs = (unsigned)n;
        } else if (!strcmp(name, "--shard")) {
            if (conf_parse_shard(val, &opt->shard_i, &opt->shard_n) != 0)
                return usage_error("--shard must be I/N with 1 <= I <= N");
        } else if (!strcmp(name, "--timeout")) {
            char *end;
            unsigned long n = strtoul(val, &end, 10);
            if (*end || n < 1 || n > 86400)
                return usage_error("--timeout must be 1..86400 seconds");
            opt->timeout_s = (unsigned)n;
        } else if (!strcmp(name, "--slow")) {
            opt->slow = true;
        } else if (!strcmp(name, "--list")) {
            opt->list = true;
        } else if (!strcmp(name, "--list-md")) {
            opt->list_md = true;
        } else if (!strcmp(name, "--quiet")) {
            opt->quiet = true;
        } else if (!strcmp(name, "--no-reports")) {
            opt->no_reports = true;
        } else {
            return usage_error("unknown option \"%s\"", a);
        }
    }
    return -1;
}

/* dir + "/" + name, malloc'd. */
static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%c%s", dir, CONF_PLAT_SEP, name);
    return p;
}

/* ---- probe: can the implementation be loaded at all? ------------------- */

static void probe_child(void *arg, conf_chan *chan)
{
    const char *impl = arg;
    char err[1024], msg[1200];
    conf_lib *lib = conf_plat_lib_open(impl, err, sizeof err);
    if (!lib) {
        snprintf(msg, sizeof msg, "cannot load %s: %s", impl, err);
    } else if (!conf_plat_lib_sym(lib, "DllGetClassObject")) {
        snprintf(msg, sizeof msg, "%s does not export DllGetClassObject", impl);
    } else {
        snprintf(msg, sizeof msg, "ok");
    }
    conf_plat_chan_write(chan, msg, strlen(msg));
}

static int probe_impl(const char *impl)
{
    conf_child *kid = conf_plat_child_start(probe_child, (void *)impl, NULL);
    if (!kid) {
        fprintf(stderr, "docts: cannot start a child process: %s\n",
                strerror(errno));
        return -1;
    }
    uint64_t deadline = conf_plat_now_ms() + 30000;
    while (conf_plat_child_wait(&kid, 1, 100) == 0) {
        if (conf_plat_now_ms() > deadline) {
            conf_plat_child_kill(kid);
        }
    }
    size_t len;
    const char *d = conf_plat_child_data(kid, &len);
    int detail = 0;
    conf_child_status st = conf_plat_child_status(kid, &detail);
    int rc = 0;
    if (len == 2 && !memcmp(d, "ok", 2) && st == CONF_CHILD_EXITED &&
        detail == 0) {
        rc = 0;
    } else if (len > 0 && !(len == 2 && !memcmp(d, "ok", 2))) {
        fprintf(stderr, "docts: %.*s\n", (int)len, d);
        rc = -1;
    } else {
        fprintf(stderr, "docts: loading %s %s %s\n", impl,
                st == CONF_CHILD_SIGNALED ? "crashed with" : "exited with",
                st == CONF_CHILD_SIGNALED ? conf_plat_signal_name(detail)
                                          : "a failure status");
        rc = -1;
    }
    conf_plat_child_free(kid);
    return rc;
}

/* ---- instances ---------------------------------------------------------- */

typedef struct slot {
    conf_child *kid;
    conf_exec exec;
    size_t index; /* into results */
    uint64_t started, deadline;
    bool timed_out;
    char *tmpdir, *outfile;
} slot;

static char *dup_unescape(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            i++;
            out[o++] = s[i] == 'n' ? '\n' : s[i];
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

/* Parses the child's record into R; returns true when it was complete. */
static bool parse_record(conf_result *r, const char *d, size_t len)
{
    bool complete = false;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(d + i, '\n', len - i);
        if (!nl)
            break; /* partial line: the child died while writing */
        size_t n = (size_t)(nl - (d + i));
        if (n >= 2) {
            char key = d[i];
            char *val = dup_unescape(d + i + 2, n - 2);
            if (!val)
                break;
            switch (key) {
            case 'O':
                r->outcome = !strcmp(val, "pass")   ? CONF_O_PASS
                             : !strcmp(val, "skip") ? CONF_O_SKIP
                                                    : CONF_O_FAIL;
                free(val);
                break;
            case 'C':
                r->checks = (unsigned)strtoul(val, NULL, 10);
                free(val);
                break;
            case 'E':
                free(r->expected);
                r->expected = val;
                break;
            case 'A':
                free(r->actual);
                r->actual = val;
                break;
            case 'M':
                free(r->message);
                r->message = val;
                break;
            case 'W':
                free(r->where);
                r->where = val;
                break;
            case 'X':
                free(r->check);
                r->check = val;
                break;
            case 'Z':
                complete = true;
                free(val);
                break;
            default:
                free(val);
                break;
            }
        }
        i += n + 1;
    }
    return complete;
}

/* Last MAX bytes of PATH, malloc'd, or NULL when empty/unreadable. */
static char *tail_of(const char *path, long max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return NULL;
    }
    long size = ftell(f);
    if (size <= 0) {
        fclose(f);
        return NULL;
    }
    long from = size > max ? size - max : 0;
    fseek(f, from, SEEK_SET);
    char *buf = malloc((size_t)(size - from) + 1);
    size_t got = buf ? fread(buf, 1, (size_t)(size - from), f) : 0;
    fclose(f);
    if (!buf)
        return NULL;
    buf[got] = '\0';
    return buf;
}

static void set_msg(char **dst, const char *fmt, ...) CONF_PRINTF(2, 3);
static void set_msg(char **dst, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(*dst);
    *dst = strdup(buf);
}

/* Turns a finished child into its result. */
static void collect(slot *s, conf_result *r, unsigned timeout_s)
{
    size_t len;
    const char *d = conf_plat_child_data(s->kid, &len);
    bool complete = parse_record(r, d, len);
    int detail = 0;
    conf_child_status st = conf_plat_child_status(s->kid, &detail);
    r->seconds = (double)(conf_plat_now_ms() - s->started) / 1000.0;
    if (s->timed_out) {
        r->outcome = CONF_O_TIMEOUT;
        set_msg(&r->message, "no result after %u s: the case was killed%s%s",
                timeout_s, r->where && *r->where ? "; last check at " : "",
                r->where && *r->where ? r->where : "");
        free(r->where);
        r->where = NULL;
    } else if (st == CONF_CHILD_SIGNALED) {
        r->outcome = CONF_O_CRASH;
        set_msg(&r->message, "the case crashed: %s",
                conf_plat_signal_name(detail));
    } else if (st == CONF_CHILD_EXITED && detail != 0) {
        r->outcome = CONF_O_CRASH;
        set_msg(&r->message, "the case ended with exit status %d%s", detail,
                detail == 86 || detail == 87 ? " (sanitizer report)" : "");
    } else if (!complete) {
        r->outcome = CONF_O_CRASH;
        set_msg(&r->message, "the case ended without a result "
                             "(exit() called by the implementation?)");
    }
    if (r->outcome != CONF_O_PASS && r->outcome != CONF_O_SKIP)
        r->output = tail_of(s->outfile, 4096);
}

/* ---- progress ----------------------------------------------------------- */

typedef struct progress {
    bool tty, quiet;
    size_t total, done, failed;
} progress;

static void progress_line(progress *p, const conf_result *r)
{
    if (p->quiet)
        return;
    conf_verdict v = conf_verdict_of(r);
    if (p->tty) {
        printf("\r\033[K[%zu/%zu] %zu failed  %-5s %s %s::%s", p->done,
               p->total, p->failed, conf_verdict_name(v), r->name, r->c->iface,
               r->c->method);
        if (conf_verdict_fails_run(v))
            printf("\n"); /* keep failures on screen */
        fflush(stdout);
    } else {
        printf("[%zu/%zu] %-9s %s %s::%s (%.0f ms)\n", p->done, p->total,
               conf_verdict_name(v), r->name, r->c->iface, r->c->method,
               r->seconds * 1000.0);
    }
}

/* ---- the run ------------------------------------------------------------ */

static void free_results(conf_result *res, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(res[i].expected);
        free(res[i].actual);
        free(res[i].message);
        free(res[i].where);
        free(res[i].check);
        free(res[i].output);
    }
    free(res);
}

static void print_list(conf_result *res, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const conf_case *c = res[i].c;
        printf("%-12s %-14s %-4s %-11s %s::%s  [%s]  %s\n", res[i].suite->name,
               c->id, conf_profile_name(res[i].profile),
               conf_result_informative(&res[i]) ? "informative" : "required",
               c->iface, c->method, c->rule, c->expect ? c->expect : "");
    }
    printf("%zu case instance%s\n", n, n == 1 ? "" : "s");
}

static const char *profiles_text(unsigned p)
{
    return p == CONF_P_ALL ? "bits, do" : conf_profile_name(p);
}

/* The case tables (not instances) as Markdown, one table per suite. */
static void print_markdown(const conf_suite *const *suites, size_t nsuites,
                           const conf_options *opt)
{
    printf("# Conformance cases\n\n"
           "Generated by `docts --list-md` from the case tables in "
           "`conformance/suite_*.c`; do not edit by hand.\n"
           "Evidence: *required* cases check documented or "
           "Windows-observed behaviour and fail a run; *informative* cases "
           "pin a project decision (`docs/decisions.md`) and never fail a "
           "run.\n");
    for (size_t si = 0; si < nsuites; si++) {
        const conf_suite *s = suites[si];
        if (!conf_glob_list(opt->suite_glob, s->name))
            continue;
        printf("\n## %s\n\n%s\n\n"
               "| case | interface::method | profiles | evidence | rule | "
               "checks |\n| --- | --- | --- | --- | --- | --- |\n",
               s->name, s->title);
        for (size_t ci = 0; ci < s->ncases; ci++) {
            const conf_case *c = &s->cases[ci];
            if (!conf_glob_list(opt->case_glob, c->id))
                continue;
            char ev[64];
            if (c->evidence == CONF_INFORMATIVE)
                snprintf(ev, sizeof ev, "informative");
            else if (c->informative_in & c->profiles)
                snprintf(ev, sizeof ev, "required (informative in %s)",
                         conf_profile_name(c->informative_in & c->profiles));
            else
                snprintf(ev, sizeof ev, "required");
            printf("| %s | %s::%s | %s | %s | %s | ", c->id, c->iface,
                   c->method, profiles_text(c->profiles), ev, c->rule);
            for (const char *p = c->expect ? c->expect : ""; *p; p++) {
                if (*p == '|')
                    fputs("\\|", stdout);
                else
                    putchar(*p);
            }
            printf(" |\n");
        }
    }
}

/* Starts h2mock; sets *URL (malloc'd).  Returns the process or NULL. */
static conf_proc *start_mock(const conf_options *opt, const char *logfile,
                             char **url, char *why, size_t whylen)
{
    const char *argv[] = {opt->mock, "--root", opt->fixtures, "--port",
                          "0",       "--log",  logfile,       NULL};
    char line[512];
    conf_proc *p =
        conf_plat_proc_start(argv, "listening on ", 10000, line, sizeof line);
    if (!p) {
        snprintf(why, whylen, "%s", line);
        return NULL;
    }
    /* "ADDR:PORT": IPv6 addresses get brackets */
    char *colon = strrchr(line, ':');
    size_t n = strlen(line) + 16;
    *url = malloc(n);
    if (colon && memchr(line, ':', (size_t)(colon - line)) && line[0] != '[') {
        *colon = '\0';
        snprintf(*url, n, "http://[%s]:%s", line, colon + 1);
    } else {
        snprintf(*url, n, "http://%s", line);
    }
    return p;
}

int conf_main(int argc, char **argv, const conf_suite *const *suites,
              size_t nsuites, conf_cunit_register_fn reg)
{
    conf_options opt = {
        .profiles = CONF_P_ALL,
        .report_dir = "reports",
        .timeout_s = DEFAULT_TIMEOUT_S,
        .shard_i = 1,
        .shard_n = 1,
    };
    int rc = parse_options(argc, argv, &opt);
    if (rc >= 0)
        return rc;
    if (!opt.jobs)
        opt.jobs = conf_plat_cpu_count();

    char *self = conf_plat_self_dir();
    char *impl_default = self ? join(self, "libdoref.so") : NULL;
    char *mock_default = self ? join(self, "h2mock") : NULL;
    char *fixtures_default = NULL;
    if (self) {
        char *up = join(self, "../fixtures");
        if (up && conf_plat_is_dir(up))
            fixtures_default = up;
        else
            free(up);
    }
    if (!opt.impl)
        opt.impl = impl_default ? impl_default : "libdoref.so";
    if (!opt.mock)
        opt.mock = mock_default ? mock_default : "h2mock";
    if (!opt.fixtures)
        opt.fixtures = fixtures_default ? fixtures_default : "fixtures";
    char *impl_abs = conf_plat_abspath(opt.impl);
    char *fixtures_abs = conf_plat_abspath(opt.fixtures);
    opt.fixtures = fixtures_abs;
    /* cases that start a private mock server (netcase.c) find it and the
     * fixtures through the environment they inherit */
    char *mock_abs = conf_plat_abspath(opt.mock);
    if (mock_abs)
        conf_plat_setenv("DOCTS_MOCK", mock_abs);
    free(mock_abs);
    conf_plat_setenv("DOCTS_FIXTURES", fixtures_abs);

    conf_gap *gaps = NULL;
    size_t ngaps = 0;
    conf_result *res = NULL;
    size_t nres = 0, capres = 0;
    conf_proc *mock = NULL;
    char *mock_url = NULL;
    slot *slots = NULL;
    rc = 2;

    if (opt.known_gaps) {
        char err[512];
        if (conf_gaps_load(opt.known_gaps, &gaps, &ngaps, err, sizeof err)) {
            fprintf(stderr, "docts: known gaps: %s\n", err);
            goto out;
        }
    }

    /* instances in a stable order: profile, suite, case */
    size_t selected = 0;
    bool need_mock = false, need_impl = false;
    static const unsigned order[] = {CONF_P_BITS, CONF_P_DO};
    for (size_t pi = 0; pi < 2; pi++) {
        unsigned prof = order[pi];
        if (!(opt.profiles & prof))
            continue;
        for (size_t si = 0; si < nsuites; si++) {
            const conf_suite *s = suites[si];
            if (!conf_glob_list(opt.suite_glob, s->name))
                continue;
            for (size_t ci = 0; ci < s->ncases; ci++) {
                const conf_case *c = &s->cases[ci];
                if (!(c->profiles & prof) ||
                    !conf_glob_list(opt.case_glob, c->id))
                    continue;
                size_t index = selected++;
                if (!conf_in_shard(index, opt.shard_i, opt.shard_n))
                    continue;
                if (nres == capres) {
                    size_t ncap = capres ? capres * 2 : 128;
                    conf_result *nr = realloc(res, ncap * sizeof *nr);
                    if (!nr) {
                        fprintf(stderr, "docts: out of memory\n");
                        goto out;
                    }
                    res = nr;
                    capres = ncap;
                }
                conf_result *r = &res[nres++];
                memset(r, 0, sizeof *r);
                r->suite = s;
                r->c = c;
                r->profile = prof;
                snprintf(r->name, sizeof r->name, "%s[%s]", c->id,
                         conf_profile_name(prof));
                r->gap_reason = conf_gaps_match(gaps, ngaps, c->id, prof);
                bool runs = !((c->needs & CONF_NEEDS_SLOW) && !opt.slow);
                if (runs && (c->needs & CONF_NEEDS_MOCK))
                    need_mock = true;
                if (runs && c->setup != CONF_SETUP_NONE)
                    need_impl = true;
            }
        }
    }

    if (opt.list_md) {
        print_markdown(suites, nsuites, &opt);
        rc = 0;
        goto out;
    }
    if (opt.list) {
        print_list(res, nres);
        rc = 0;
        goto out;
    }
    if (nres == 0) {
        fprintf(stderr, "docts: no case matches the selection\n");
        goto out;
    }

    if (need_impl && probe_impl(impl_abs) != 0)
        goto out;

    if (!opt.no_reports && conf_plat_mkdirs(opt.report_dir) != 0) {
        fprintf(stderr, "docts: cannot create %s: %s\n", opt.report_dir,
                strerror(errno));
        goto out;
    }
    char mock_why[600] = "";
    if (need_mock) {
        char *log = opt.no_reports ? NULL : join(opt.report_dir, "h2mock.log");
        mock = start_mock(&opt, log ? log : "/dev/null", &mock_url, mock_why,
                          sizeof mock_why);
        free(log);
        if (!mock)
            fprintf(stderr, "docts: mock server: %s\n", mock_why);
    }

    progress pg = {
        .tty = conf_plat_stdout_is_tty(), .quiet = opt.quiet, .total = nres};
    if (!opt.quiet)
        printf("docts: %s, profile %s, %zu case%s, %u job%s%s\n", impl_abs,
               conf_profile_name(opt.profiles), nres, nres == 1 ? "" : "s",
               opt.jobs, opt.jobs == 1 ? "" : "s",
               mock_url ? "" : (need_mock ? " (mock server down)" : ""));

    uint64_t t0 = conf_plat_now_ms();
    slots = calloc(opt.jobs, sizeof *slots);
    conf_child **kids = calloc(opt.jobs, sizeof *kids);
    slot **running = calloc(opt.jobs, sizeof *running);
    if (!slots || !kids || !running) {
        free(kids);
        free(running);
        fprintf(stderr, "docts: out of memory\n");
        goto out;
    }
    size_t next = 0;
    for (;;) {
        /* fill free slots */
        for (unsigned k = 0; k < opt.jobs && next < nres; k++) {
            if (slots[k].kid)
                continue;
            conf_result *r = &res[next];
            const conf_case *c = r->c;
            size_t idx = next++;
            /* decided without a child */
            if ((c->needs & CONF_NEEDS_SLOW) && !opt.slow) {
                r->outcome = CONF_O_SKIP;
                set_msg(&r->message, "needs --slow");
            } else if ((c->needs & CONF_NEEDS_MOCK) && !mock_url) {
                r->outcome = CONF_O_FAIL;
                set_msg(&r->message, "the mock server is not running: %s",
                        mock_why);
            } else {
                slot *s = &slots[k];
                memset(s, 0, sizeof *s);
                s->tmpdir = conf_plat_mkdtemp("docts-");
                s->outfile =
                    s->tmpdir ? join(s->tmpdir, "docts-output.log") : NULL;
                s->exec = (conf_exec){.suite = r->suite,
                                      .c = c,
                                      .profile = r->profile,
                                      .impl = impl_abs,
                                      .tmpdir = s->tmpdir,
                                      .mock_url = mock_url,
                                      .slow = opt.slow};
                s->index = idx;
                s->started = conf_plat_now_ms();
                unsigned to = c->timeout_s ? c->timeout_s : opt.timeout_s;
                s->deadline = s->started + (uint64_t)to * 1000u;
                if (s->tmpdir && s->outfile)
                    s->kid = conf_plat_child_start(conf_case_execute, &s->exec,
                                                   s->outfile);
                if (!s->kid) {
                    r->outcome = CONF_O_FAIL;
                    set_msg(&r->message, "docts could not start the case: %s",
                            strerror(errno));
                    if (s->tmpdir)
                        conf_plat_rmtree(s->tmpdir);
                    free(s->tmpdir);
                    free(s->outfile);
                    memset(s, 0, sizeof *s);
                } else {
                    continue;
                }
            }
            pg.done++;
            if (conf_verdict_fails_run(conf_verdict_of(r)))
                pg.failed++;
            progress_line(&pg, r);
        }
        size_t nrun = 0;
        for (unsigned k = 0; k < opt.jobs; k++)
            if (slots[k].kid) {
                running[nrun] = &slots[k];
                kids[nrun++] = slots[k].kid;
            }
        if (nrun == 0 && next >= nres)
            break;
        if (nrun == 0)
            continue;
        conf_plat_child_wait(kids, nrun, 100);
        uint64_t now = conf_plat_now_ms();
        for (size_t k = 0; k < nrun; k++) {
            slot *s = running[k];
            int detail;
            if (conf_plat_child_status(s->kid, &detail) == CONF_CHILD_RUNNING) {
                if (now >= s->deadline && !s->timed_out) {
                    s->timed_out = true;
                    conf_plat_child_kill(s->kid);
                }
                continue;
            }
            conf_result *r = &res[s->index];
            unsigned to = r->c->timeout_s ? r->c->timeout_s : opt.timeout_s;
            collect(s, r, to);
            conf_plat_child_free(s->kid);
            conf_plat_rmtree(s->tmpdir);
            free(s->tmpdir);
            free(s->outfile);
            memset(s, 0, sizeof *s);
            pg.done++;
            if (conf_verdict_fails_run(conf_verdict_of(r)))
                pg.failed++;
            progress_line(&pg, r);
        }
    }
    free(kids);
    free(running);
    if (pg.tty && !opt.quiet)
        printf("\r\033[K");

    conf_run run = {.impl = impl_abs,
                    .profile = conf_profile_name(opt.profiles),
                    .mock_url = mock_url,
                    .seconds = (double)(conf_plat_now_ms() - t0) / 1000.0,
                    .results = res,
                    .nresults = nres};
    conf_plat_utc_now(run.date, sizeof run.date);
    conf_run_count(&run);

    /* failures, then the one-line summary */
    for (size_t i = 0; i < nres; i++) {
        conf_verdict v = conf_verdict_of(&res[i]);
        if (!conf_verdict_fails_run(v))
            continue;
        const conf_result *r = &res[i];
        printf("%s %s %s::%s [%s]\n    %s\n", conf_verdict_name(v), r->name,
               r->c->iface, r->c->method, r->c->rule,
               r->message ? r->message : "");
        if (r->where && *r->where)
            printf("    at %s\n", r->where);
    }
    int write_err = 0;
    if (!opt.no_reports) {
        char *p;
        if ((p = join(opt.report_dir, "junit.xml")) &&
            conf_write_junit(&run, p) != 0)
            write_err = 1;
        free(p);
        if ((p = join(opt.report_dir, "summary.json")) &&
            conf_write_json(&run, p) != 0)
            write_err = 1;
        free(p);
        if ((p = join(opt.report_dir, "report.html")) &&
            conf_write_html(&run, p) != 0)
            write_err = 1;
        free(p);
        if (reg && conf_write_cunit(&run, opt.report_dir, reg) != 0)
            write_err = 1;
        if (write_err)
            fprintf(stderr, "docts: could not write every report in %s\n",
                    opt.report_dir);
    }
    const unsigned *n = run.counts;
    unsigned bad = n[CONF_V_FAIL] + n[CONF_V_CRASH] + n[CONF_V_TIMEOUT];
    printf("docts: %s: %u passed, %u failed, %u crashed, %u timed out, "
           "%u skipped, %u informative not passed, %u known gaps, "
           "%u unexpected passes (%zu cases, %.1f s)%s%s\n",
           bad ? "FAIL" : "PASS", n[CONF_V_PASS], n[CONF_V_FAIL],
           n[CONF_V_CRASH], n[CONF_V_TIMEOUT], n[CONF_V_SKIP],
           n[CONF_V_INFO_FAIL], n[CONF_V_KNOWN_GAP], n[CONF_V_XPASS], nres,
           run.seconds, opt.no_reports ? "" : "; reports in ",
           opt.no_reports ? "" : opt.report_dir);
    rc = bad ? 1 : (write_err ? 2 : 0);

out:
    if (mock)
        conf_plat_proc_stop(mock);
    free(mock_url);
    free(slots);
    free_results(res, nres);
    conf_gaps_free(gaps, ngaps);
    free(impl_abs);
    free(fixtures_abs);
    free(impl_default);
    free(mock_default);
    free(fixtures_default);
    free(self);
    return rc;
}
