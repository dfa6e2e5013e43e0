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
    "  --impl IMPL        implementation: a shared object (.so, .dll)\n"
    "                     exporting DllGetClassObject, or com:local for the\n"
    "                     system's own COM server (Windows: the BITS\n"
    "                     service); default: libdoref.so next to docts,\n"
    "                     com:local on Windows\n"
    "  --profile P        bits, do or all (default all)\n"
    "  --suite GLOBS      suites to run, comma-separated globs\n"
    "  --case GLOBS       case ids to run, comma-separated globs\n"
    "  --list             list the selected cases and exit\n"
    "  --list-md          the selected case table as Markdown (docs/cases.md)\n"
    "  --mock PATH        mock server (default: h2mock next to docts); on\n"
    "                     Windows also a launcher command line\n"
    "  --mock-url URL     use this running mock server for the shared\n"
    "                     fixtures instead of starting one\n"
    "  --fixtures DIR     mock server root (default: fixtures/)\n"
    "  --report DIR       where reports go (default reports/)\n"
    "  --no-reports       write no report files\n"
    "  --known-gaps FILE  known deviations (\"CASE PROFILE REASON\")\n"
    "  --slow             run timed cases in real time when the\n"
    "                     implementation has no test clock\n"
    "  --jobs N           cases in parallel (default: processors)\n"
    "  --shard I/N        run only the I-th of N shares (1-based)\n"
    "  --timeout S        default per-case timeout in seconds (30)\n"
    "  --last GLOBS       run these cases after all others (a case known\n"
    "                     to take a shared service down)\n"
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
            "--impl",     "--profile",  "--suite",      "--case",   "--mock",
            "--fixtures", "--report",   "--known-gaps", "--jobs",   "--shard",
            "--timeout",  "--mock-url", "--run-case",   "--tmpdir", "--last",
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
        } else if (!strcmp(name, "--mock-url")) {
            opt->mock_url = val;
        } else if (!strcmp(name, "--last")) {
            opt->last_glob = val;
        } else if (!strcmp(name, "--run-case")) {
            opt->run_case = val;
        } else if (!strcmp(name, "--tmpdir")) {
            opt->tmpdir = val;
        } else if (!strcmp(name, "--probe")) {
            opt->probe = true;
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
    conf_lib *lib = NULL;
    if (!strcmp(impl, CONF_IMPL_SYSTEM)) {
        if (!conf_plat_system_com(err, sizeof err))
            snprintf(msg, sizeof msg, "%s", err);
        else
            snprintf(msg, sizeof msg, "ok");
    } else if (!(lib = conf_plat_lib_open(impl, err, sizeof err))) {
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
    const char *argv[] = {"--probe", "--impl", impl, NULL};
    conf_child *kid =
        conf_plat_child_start(probe_child, (void *)impl, argv, NULL);
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

/* ---- conf_main, in the order of a run ----------------------------------- */

/* What one run holds from the options to the exit status; each piece of
 * conf_main below fills or reads its part, run_free releases all of it. */
typedef struct run_state {
    conf_options opt;
    /* paths: the defaults next to docts, the absolute paths in use */
    char *self, *impl_default, *mock_default, *fixtures_default;
    char *impl_abs, *fixtures_abs;
    conf_gap *gaps;
    size_t ngaps;
    /* the selected instances, in run order; their results once run */
    conf_result *res;
    size_t nres, capres;
    bool need_mock, need_impl;
    /* the runner's shared h2mock (or why it is down) */
    conf_proc *mock;
    char *mock_url;
    char mock_why[600];
    uint64_t t0;
} run_state;

/* The argument vector that names instance R's work in a child started
 * again (platform.h): ARGV (>= 12 slots) points into SPEC and E. */
static void child_argv(const char **argv, char *spec, size_t speclen,
                       const conf_result *r, const conf_exec *e)
{
    snprintf(spec, speclen, "%s/%s/%s", r->suite->name, r->c->id,
             conf_profile_name(r->profile));
    size_t n = 0;
    argv[n++] = "--run-case";
    argv[n++] = spec;
    argv[n++] = "--impl";
    argv[n++] = e->impl;
    argv[n++] = "--tmpdir";
    argv[n++] = e->tmpdir;
    if (e->mock_url) {
        argv[n++] = "--mock-url";
        argv[n++] = e->mock_url;
    }
    if (e->slow)
        argv[n++] = "--slow";
    argv[n] = NULL;
}

/* In a child started again: runs the one instance (or the probe) named by
 * OPT and ends the process.  Returns 2 when the work is not found. */
static int run_child(const conf_options *opt, const conf_suite *const *suites,
                     size_t nsuites)
{
    conf_chan *chan = conf_plat_child_channel();
    if (!chan) {
        fprintf(stderr, "docts: --run-case and --probe are for docts's own "
                        "child processes\n");
        return 2;
    }
    conf_plat_child_prepare();
    if (opt->probe) {
        probe_child((void *)opt->impl, chan);
        conf_plat_child_exit(0);
    }
    char suite[64], id[64], prof[16];
    if (sscanf(opt->run_case, "%63[^/]/%63[^/]/%15s", suite, id, prof) != 3)
        return 2;
    for (size_t si = 0; si < nsuites; si++) {
        const conf_suite *s = suites[si];
        if (strcmp(s->name, suite) != 0)
            continue;
        for (size_t ci = 0; ci < s->ncases; ci++) {
            if (strcmp(s->cases[ci].id, id) != 0)
                continue;
            conf_exec e = {.suite = s,
                           .c = &s->cases[ci],
                           .profile = conf_parse_profile(prof),
                           .impl = opt->impl,
                           .tmpdir = opt->tmpdir,
                           .mock_url = opt->mock_url,
                           .slow = opt->slow};
            conf_case_execute(&e, chan);
            conf_plat_child_exit(0);
        }
    }
    return 2;
}

/* Options: parses argv over the defaults.  Returns -1 to go on, or the
 * exit status (--help, usage error). */
static int run_options(run_state *rs, int argc, char **argv)
{
    rs->opt = (conf_options){
        .profiles = CONF_P_ALL,
        .report_dir = "reports",
        .timeout_s = DEFAULT_TIMEOUT_S,
        .shard_i = 1,
        .shard_n = 1,
    };
    int rc = parse_options(argc, argv, &rs->opt);
    if (rc >= 0)
        return rc;
    if (!rs->opt.jobs)
        rs->opt.jobs = conf_plat_cpu_count();
    return -1;
}

/* Paths: the implementation, h2mock and the fixtures default to what sits
 * next to docts; the cases' children find h2mock and the fixtures through
 * the environment they inherit (netcase.c). */
static void run_paths(run_state *rs)
{
    conf_options *opt = &rs->opt;
    rs->self = conf_plat_self_dir();
#ifdef _WIN32
    /* Windows has the system's BITS service */
    rs->impl_default = strdup(CONF_IMPL_SYSTEM);
#else
    rs->impl_default = rs->self ? join(rs->self, "libdoref.so") : NULL;
#endif
    rs->mock_default = rs->self ? join(rs->self, "h2mock") : NULL;
    if (rs->self) {
        char *up = join(rs->self, "../fixtures");
        if (up && conf_plat_is_dir(up))
            rs->fixtures_default = up;
        else
            free(up);
    }
    if (!opt->impl)
        opt->impl = rs->impl_default ? rs->impl_default : "libdoref.so";
    if (!opt->mock)
        opt->mock = rs->mock_default ? rs->mock_default : "h2mock";
    if (!opt->fixtures)
        opt->fixtures =
            rs->fixtures_default ? rs->fixtures_default : "fixtures";
    rs->impl_abs = !strcmp(opt->impl, CONF_IMPL_SYSTEM)
                       ? strdup(CONF_IMPL_SYSTEM)
                       : conf_plat_abspath(opt->impl);
    rs->fixtures_abs = conf_plat_abspath(opt->fixtures);
    opt->fixtures = rs->fixtures_abs;
    /* a --mock that names no file is a launcher's command line (Windows,
     * platform.h): passed on as it is */
    char *mock_abs = conf_plat_exists(opt->mock) ? conf_plat_abspath(opt->mock)
                                                 : strdup(opt->mock);
    if (mock_abs)
        conf_plat_setenv("DOCTS_MOCK", mock_abs);
    free(mock_abs);
    conf_plat_setenv("DOCTS_FIXTURES", rs->fixtures_abs);
}

/* Appends one empty result; NULL when out of memory. */
static conf_result *add_result(run_state *rs)
{
    if (rs->nres == rs->capres) {
        size_t ncap = rs->capres ? rs->capres * 2 : 128;
        conf_result *nr = realloc(rs->res, ncap * sizeof *nr);
        if (!nr)
            return NULL;
        rs->res = nr;
        rs->capres = ncap;
    }
    conf_result *r = &rs->res[rs->nres++];
    memset(r, 0, sizeof *r);
    return r;
}

/* Selection: the instances (case x profile) that --profile, --suite,
 * --case and --shard keep, in a stable order (profile, suite, case), each
 * with its known gap; notes whether any needs the implementation or the
 * shared mock.  Returns 0, or -1 out of memory. */
/* --last: the instances it names move to the end, in their order (an
 * out-of-process service one of them takes down then fails no other). */
static int run_order_last(run_state *rs)
{
    const char *last = rs->opt.last_glob;
    if (!last || !*last || rs->nres == 0)
        return 0;
    conf_result *tmp = malloc(rs->nres * sizeof *tmp);
    if (!tmp) {
        fprintf(stderr, "docts: out of memory\n");
        return -1;
    }
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < rs->nres; i++)
            if (conf_glob_list(last, rs->res[i].c->id) == (pass == 1))
                tmp[n++] = rs->res[i];
    memcpy(rs->res, tmp, rs->nres * sizeof *tmp);
    free(tmp);
    return 0;
}

static int run_select(run_state *rs, const conf_suite *const *suites,
                      size_t nsuites)
{
    const conf_options *opt = &rs->opt;
    size_t selected = 0;
    static const unsigned order[] = {CONF_P_BITS, CONF_P_DO};
    for (size_t pi = 0; pi < 2; pi++) {
        unsigned prof = order[pi];
        if (!(opt->profiles & prof))
            continue;
        for (size_t si = 0; si < nsuites; si++) {
            const conf_suite *s = suites[si];
            if (!conf_glob_list(opt->suite_glob, s->name))
                continue;
            for (size_t ci = 0; ci < s->ncases; ci++) {
                const conf_case *c = &s->cases[ci];
                if (!(c->profiles & prof) ||
                    !conf_glob_list(opt->case_glob, c->id))
                    continue;
                size_t index = selected++;
                if (!conf_in_shard(index, opt->shard_i, opt->shard_n))
                    continue;
                conf_result *r = add_result(rs);
                if (!r) {
                    fprintf(stderr, "docts: out of memory\n");
                    return -1;
                }
                r->suite = s;
                r->c = c;
                r->profile = prof;
                snprintf(r->name, sizeof r->name, "%s[%s]", c->id,
                         conf_profile_name(prof));
                r->gap_reason =
                    conf_gaps_match(rs->gaps, rs->ngaps, c->id, prof);
                bool runs = !((c->needs & CONF_NEEDS_SLOW) && !opt->slow);
                if (runs && (c->needs & CONF_NEEDS_MOCK))
                    rs->need_mock = true;
                if (runs && c->setup != CONF_SETUP_NONE)
                    rs->need_impl = true;
            }
        }
    }
    return run_order_last(rs);
}

/* Set-up before the first case: the implementation loads (in a probe
 * child), the report directory exists, the shared h2mock runs if a case
 * needs it (its failure fails only those cases).  Returns 0 or -1. */
static int run_setup(run_state *rs)
{
    const conf_options *opt = &rs->opt;
    if (rs->need_impl && probe_impl(rs->impl_abs) != 0)
        return -1;
    if (!opt->no_reports && conf_plat_mkdirs(opt->report_dir) != 0) {
        fprintf(stderr, "docts: cannot create %s: %s\n", opt->report_dir,
                strerror(errno));
        return -1;
    }
    if (rs->need_mock && opt->mock_url) {
        rs->mock_url = strdup(opt->mock_url);
    } else if (rs->need_mock) {
        char *log =
            opt->no_reports ? NULL : join(opt->report_dir, "h2mock.log");
        rs->mock = start_mock(opt, log ? log : conf_plat_null_device(),
                              &rs->mock_url, rs->mock_why, sizeof rs->mock_why);
        free(log);
        if (!rs->mock)
            fprintf(stderr, "docts: mock server: %s\n", rs->mock_why);
    }
    return 0;
}

/* Running, one instance: decides it without a child (needs --slow, mock
 * down) or starts its child in slot S.  Returns true if a child runs. */
static bool start_instance(run_state *rs, slot *s, size_t idx)
{
    conf_result *r = &rs->res[idx];
    const conf_case *c = r->c;
    if ((c->needs & CONF_NEEDS_SLOW) && !rs->opt.slow) {
        r->outcome = CONF_O_SKIP;
        set_msg(&r->message, "needs --slow");
        return false;
    }
    if ((c->needs & CONF_NEEDS_MOCK) && !rs->mock_url) {
        r->outcome = CONF_O_FAIL;
        set_msg(&r->message, "the mock server is not running: %s",
                rs->mock_why);
        return false;
    }
    memset(s, 0, sizeof *s);
    s->tmpdir = conf_plat_mkdtemp("docts-");
    s->outfile = s->tmpdir ? join(s->tmpdir, "docts-output.log") : NULL;
    s->exec = (conf_exec){.suite = r->suite,
                          .c = c,
                          .profile = r->profile,
                          .impl = rs->impl_abs,
                          .tmpdir = s->tmpdir,
                          .mock_url = rs->mock_url,
                          .slow = rs->opt.slow};
    s->index = idx;
    s->started = conf_plat_now_ms();
    unsigned to = c->timeout_s ? c->timeout_s : rs->opt.timeout_s;
    s->deadline = s->started + (uint64_t)to * 1000u;
    const char *argv[12];
    char spec[160];
    if (s->tmpdir)
        child_argv(argv, spec, sizeof spec, r, &s->exec);
    if (s->tmpdir && s->outfile)
        s->kid = conf_plat_child_start(conf_case_execute, &s->exec, argv,
                                       s->outfile);
    if (s->kid)
        return true;
    r->outcome = CONF_O_FAIL;
    set_msg(&r->message, "docts could not start the case: %s", strerror(errno));
    if (s->tmpdir)
        conf_plat_rmtree(s->tmpdir);
    free(s->tmpdir);
    free(s->outfile);
    memset(s, 0, sizeof *s);
    return false;
}

/* Running, one finished child: its result, then its slot is free again. */
static void finish_instance(run_state *rs, slot *s)
{
    conf_result *r = &rs->res[s->index];
    unsigned to = r->c->timeout_s ? r->c->timeout_s : rs->opt.timeout_s;
    collect(s, r, to);
    conf_plat_child_free(s->kid);
    conf_plat_rmtree(s->tmpdir);
    free(s->tmpdir);
    free(s->outfile);
    memset(s, 0, sizeof *s);
}

static void count_done(progress *pg, const conf_result *r)
{
    pg->done++;
    if (conf_verdict_fails_run(conf_verdict_of(r)))
        pg->failed++;
    progress_line(pg, r);
}

/* Running: the scheduler.  Up to --jobs children at once, each killed at
 * its deadline; the progress line after each instance.  Returns 0, or -1
 * out of memory. */
static int run_instances(run_state *rs)
{
    const conf_options *opt = &rs->opt;
    progress pg = {.tty = conf_plat_stdout_is_tty(),
                   .quiet = opt->quiet,
                   .total = rs->nres};
    if (!opt->quiet)
        printf("docts: %s, profile %s, %zu case%s, %u job%s%s\n", rs->impl_abs,
               conf_profile_name(opt->profiles), rs->nres,
               rs->nres == 1 ? "" : "s", opt->jobs, opt->jobs == 1 ? "" : "s",
               rs->mock_url ? ""
                            : (rs->need_mock ? " (mock server down)" : ""));

    rs->t0 = conf_plat_now_ms();
    slot *slots = calloc(opt->jobs, sizeof *slots);
    conf_child **kids = calloc(opt->jobs, sizeof *kids);
    slot **running = calloc(opt->jobs, sizeof *running);
    if (!slots || !kids || !running) {
        free(slots);
        free(kids);
        free(running);
        fprintf(stderr, "docts: out of memory\n");
        return -1;
    }
    size_t next = 0;
    for (;;) {
        /* fill free slots */
        for (unsigned k = 0; k < opt->jobs && next < rs->nres; k++) {
            if (slots[k].kid)
                continue;
            size_t idx = next++;
            if (!start_instance(rs, &slots[k], idx))
                count_done(&pg, &rs->res[idx]);
        }
        size_t nrun = 0;
        for (unsigned k = 0; k < opt->jobs; k++)
            if (slots[k].kid) {
                running[nrun] = &slots[k];
                kids[nrun++] = slots[k].kid;
            }
        if (nrun == 0 && next >= rs->nres)
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
            size_t idx = s->index;
            finish_instance(rs, s);
            count_done(&pg, &rs->res[idx]);
        }
    }
    free(slots);
    free(kids);
    free(running);
    if (pg.tty && !opt->quiet)
        printf("\r\033[K");
    return 0;
}

/* Reports: every failure on stdout, then junit.xml, summary.json,
 * report.html and CUnit's XML in --report.  Returns 0, or 1 if a report
 * could not be written. */
static int run_reports(const run_state *rs, const conf_run *run,
                       conf_cunit_register_fn reg)
{
    for (size_t i = 0; i < rs->nres; i++) {
        conf_verdict v = conf_verdict_of(&rs->res[i]);
        if (!conf_verdict_fails_run(v))
            continue;
        const conf_result *r = &rs->res[i];
        printf("%s %s %s::%s [%s]\n    %s\n", conf_verdict_name(v), r->name,
               r->c->iface, r->c->method, r->c->rule,
               r->message ? r->message : "");
        if (r->where && *r->where)
            printf("    at %s\n", r->where);
    }
    if (rs->opt.no_reports)
        return 0;
    const char *dir = rs->opt.report_dir;
    int write_err = 0;
    char *p;
    if ((p = join(dir, "junit.xml")) && conf_write_junit(run, p) != 0)
        write_err = 1;
    free(p);
    if ((p = join(dir, "summary.json")) && conf_write_json(run, p) != 0)
        write_err = 1;
    free(p);
    if ((p = join(dir, "report.html")) && conf_write_html(run, p) != 0)
        write_err = 1;
    free(p);
    if (reg && conf_write_cunit(run, dir, reg) != 0)
        write_err = 1;
    if (write_err)
        fprintf(stderr, "docts: could not write every report in %s\n", dir);
    return write_err;
}

/* Exit status: the one-line summary; 1 if a required case failed, crashed
 * or timed out, else 2 if a report is missing, else 0. */
static int run_status(const run_state *rs, const conf_run *run, int write_err)
{
    const unsigned *n = run->counts;
    unsigned bad = n[CONF_V_FAIL] + n[CONF_V_CRASH] + n[CONF_V_TIMEOUT];
    bool nr = rs->opt.no_reports;
    printf("docts: %s: %u passed, %u failed, %u crashed, %u timed out, "
           "%u skipped, %u informative not passed, %u known gaps, "
           "%u unexpected passes (%zu cases, %.1f s)%s%s\n",
           bad ? "FAIL" : "PASS", n[CONF_V_PASS], n[CONF_V_FAIL],
           n[CONF_V_CRASH], n[CONF_V_TIMEOUT], n[CONF_V_SKIP],
           n[CONF_V_INFO_FAIL], n[CONF_V_KNOWN_GAP], n[CONF_V_XPASS], rs->nres,
           run->seconds, nr ? "" : "; reports in ",
           nr ? "" : rs->opt.report_dir);
    return bad ? 1 : (write_err ? 2 : 0);
}

/* Releases what the run holds and stops the shared h2mock. */
static void run_free(run_state *rs)
{
    if (rs->mock)
        conf_plat_proc_stop(rs->mock);
    free(rs->mock_url);
    free_results(rs->res, rs->nres);
    conf_gaps_free(rs->gaps, rs->ngaps);
    free(rs->impl_abs);
    free(rs->fixtures_abs);
    free(rs->impl_default);
    free(rs->mock_default);
    free(rs->fixtures_default);
    free(rs->self);
}

/* The run's pieces, in order; any set-up error ends it with status 2. */
static int run_all(run_state *rs, const conf_suite *const *suites,
                   size_t nsuites, conf_cunit_register_fn reg)
{
    const conf_options *opt = &rs->opt;
    if (opt->known_gaps) {
        char err[512];
        if (conf_gaps_load(opt->known_gaps, &rs->gaps, &rs->ngaps, err,
                           sizeof err)) {
            fprintf(stderr, "docts: known gaps: %s\n", err);
            return 2;
        }
    }
    if (run_select(rs, suites, nsuites) != 0)
        return 2;
    if (opt->list_md) {
        print_markdown(suites, nsuites, opt);
        return 0;
    }
    if (opt->list) {
        print_list(rs->res, rs->nres);
        return 0;
    }
    if (rs->nres == 0) {
        fprintf(stderr, "docts: no case matches the selection\n");
        return 2;
    }
    if (run_setup(rs) != 0 || run_instances(rs) != 0)
        return 2;

    conf_run run = {.impl = rs->impl_abs,
                    .profile = conf_profile_name(opt->profiles),
                    .mock_url = rs->mock_url,
                    .seconds = (double)(conf_plat_now_ms() - rs->t0) / 1000.0,
                    .results = rs->res,
                    .nresults = rs->nres};
    conf_plat_utc_now(run.date, sizeof run.date);
    conf_run_count(&run);
    int write_err = run_reports(rs, &run, reg);
    return run_status(rs, &run, write_err);
}

int conf_main(int argc, char **argv, const conf_suite *const *suites,
              size_t nsuites, conf_cunit_register_fn reg)
{
    if (argc > 1 && !strcmp(argv[1], "--helper"))
        return conf_helper_main(argc - 2, argv + 2);
    run_state rs = {0};
    int rc = run_options(&rs, argc, argv);
    if (rc >= 0)
        return rc;
    if (rs.opt.run_case || rs.opt.probe)
        return run_child(&rs.opt, suites, nsuites);
    run_paths(&rs);
    rc = run_all(&rs, suites, nsuites, reg);
    run_free(&rs);
    return rc;
}
