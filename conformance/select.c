/*
 * select.c - which case instances a run executes: glob matching for
 * --suite/--case, the --shard arithmetic, profile names and the known-gaps
 * data file.  Pure functions in portable C, unit-tested by
 * conformance/tests/test_runner.c.
 */
#include "runner.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Matches one bracket set at P against C; returns the pointer after ']' or
 * NULL when the set is malformed (then '[' is literal). */
static const char *match_set(const char *p, char c, bool *hit)
{
    const char *q = p + 1;
    bool neg = false;
    if (*q == '!' || *q == '^') {
        neg = true;
        q++;
    }
    bool in = false;
    bool first = true;
    while (*q && (*q != ']' || first)) {
        first = false;
        if (q[1] == '-' && q[2] && q[2] != ']') {
            if ((unsigned char)c >= (unsigned char)q[0] &&
                (unsigned char)c <= (unsigned char)q[2])
                in = true;
            q += 3;
        } else {
            if (*q == c)
                in = true;
            q++;
        }
    }
    if (*q != ']')
        return NULL;
    *hit = in != neg;
    return q + 1;
}

bool conf_glob(const char *p, const char *s)
{
    const char *star_p = NULL, *star_s = NULL;
    while (*s) {
        if (*p == '*') {
            while (*p == '*')
                p++;
            if (!*p)
                return true;
            star_p = p;
            star_s = s;
            continue;
        }
        bool ok = false;
        const char *next = p + 1;
        if (*p == '?') {
            ok = true;
        } else if (*p == '[') {
            bool hit = false;
            const char *after = match_set(p, *s, &hit);
            if (after) {
                ok = hit;
                next = after;
            } else {
                ok = *s == '[';
            }
        } else if (*p) {
            ok = *p == *s;
        }
        if (ok) {
            p = next;
            s++;
        } else if (star_p) {
            p = star_p;
            s = ++star_s;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

bool conf_glob_list(const char *list, const char *s)
{
    if (!list || !*list)
        return true;
    const char *b = list;
    for (;;) {
        const char *e = strchr(b, ',');
        size_t n = e ? (size_t)(e - b) : strlen(b);
        char pat[256];
        if (n > 0 && n < sizeof pat) {
            memcpy(pat, b, n);
            pat[n] = '\0';
            if (conf_glob(pat, s))
                return true;
        }
        if (!e)
            return false;
        b = e + 1;
    }
}

int conf_parse_shard(const char *text, unsigned *i, unsigned *n)
{
    char *end;
    errno = 0;
    unsigned long a = strtoul(text, &end, 10);
    if (end == text || *end != '/' || errno)
        return -1;
    const char *t2 = end + 1;
    unsigned long b = strtoul(t2, &end, 10);
    if (end == t2 || *end != '\0' || errno)
        return -1;
    if (b < 1 || a < 1 || a > b || b > 100000)
        return -1;
    *i = (unsigned)a;
    *n = (unsigned)b;
    return 0;
}

bool conf_in_shard(size_t index, unsigned i, unsigned n)
{
    if (n <= 1)
        return true;
    return index % n == (size_t)(i - 1);
}

unsigned conf_parse_profile(const char *text)
{
    if (!strcmp(text, "bits"))
        return CONF_P_BITS;
    if (!strcmp(text, "do"))
        return CONF_P_DO;
    if (!strcmp(text, "all"))
        return CONF_P_ALL;
    return 0;
}

const char *conf_profile_name(unsigned profile)
{
    switch (profile) {
    case CONF_P_BITS:
        return "bits";
    case CONF_P_DO:
        return "do";
    case CONF_P_ALL:
        return "all";
    default:
        return "none";
    }
}

/* ---- known gaps --------------------------------------------------------- */

static char *next_field(char **cur)
{
    char *p = *cur;
    while (*p && isspace((unsigned char)*p))
        p++;
    if (!*p)
        return NULL;
    char *start = p;
    while (*p && !isspace((unsigned char)*p))
        p++;
    if (*p)
        *p++ = '\0';
    *cur = p;
    return start;
}

int conf_gaps_load(const char *path, conf_gap **gaps, size_t *n, char *err,
                   size_t errlen)
{
    *gaps = NULL;
    *n = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = conf_gaps_read(f, path, gaps, n, err, errlen);
    fclose(f);
    return rc;
}

int conf_gaps_read(FILE *f, const char *path, conf_gap **gaps, size_t *n,
                   char *err, size_t errlen)
{
    *gaps = NULL;
    *n = 0;
    char line[1024];
    unsigned lineno = 0;
    size_t cap = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            snprintf(err, errlen, "%s:%u: line too long", path, lineno);
            rc = -1;
            break;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *cur = line;
        char *glob = next_field(&cur);
        if (!glob)
            continue;
        char *prof = next_field(&cur);
        if (!prof) {
            snprintf(err, errlen, "%s:%u: expected \"CASE PROFILE REASON\"",
                     path, lineno);
            rc = -1;
            break;
        }
        unsigned p = !strcmp(prof, "*") ? CONF_P_ALL : conf_parse_profile(prof);
        if (!p) {
            snprintf(err, errlen,
                     "%s:%u: unknown profile \"%s\" (bits, do, all or *)", path,
                     lineno, prof);
            rc = -1;
            break;
        }
        while (*cur && isspace((unsigned char)*cur))
            cur++;
        char *end = cur + strlen(cur);
        while (end > cur && isspace((unsigned char)end[-1]))
            *--end = '\0';
        if (!*cur) {
            snprintf(err, errlen, "%s:%u: a known gap needs a reason", path,
                     lineno);
            rc = -1;
            break;
        }
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            conf_gap *ng = realloc(*gaps, ncap * sizeof *ng);
            if (!ng) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
                break;
            }
            *gaps = ng;
            cap = ncap;
        }
        conf_gap *g = &(*gaps)[*n];
        g->glob = strdup(glob);
        g->reason = strdup(cur);
        g->profiles = p;
        (*n)++;
        if (!g->glob || !g->reason) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
    }
    if (rc != 0) {
        conf_gaps_free(*gaps, *n);
        *gaps = NULL;
        *n = 0;
    }
    return rc;
}

void conf_gaps_free(conf_gap *gaps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(gaps[i].glob);
        free(gaps[i].reason);
    }
    free(gaps);
}

const char *conf_gaps_match(const conf_gap *gaps, size_t n, const char *id,
                            unsigned profile)
{
    for (size_t i = 0; i < n; i++)
        if ((gaps[i].profiles & profile) && conf_glob(gaps[i].glob, id))
            return gaps[i].reason;
    return NULL;
}
