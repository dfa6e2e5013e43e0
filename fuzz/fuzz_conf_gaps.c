/*
 * fuzz_conf_gaps.c - the runner's known-gaps file parser (select.c's
 * conf_gaps_read, what conf_gaps_load runs on --known-gaps FILE), read
 * from memory through fmemopen, and conf_gaps_match (the case-id globs)
 * and conf_glob / conf_glob_list on the gaps it accepted.
 *
 * Input: the file's text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const char *const ids[] = {"API-001", "ERR-064", "DO-123",
                                  "CB-7",    "",        "RNG-010-x"};

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n == 0) {
        return 0; /* fmemopen refuses a size of 0 */
    }
    FILE *f = fmemopen((void *)d, n, "r");
    if (!f) {
        return 0;
    }
    conf_gap *gaps;
    size_t ng;
    char err[256];
    err[0] = '\0';
    int rc = conf_gaps_read(f, "fuzz", &gaps, &ng, err, sizeof err);
    fclose(f);
    if (rc != 0) {
        if (gaps || ng || !err[0]) {
            abort(); /* a failure keeps nothing and says why */
        }
        return 0;
    }
    for (size_t i = 0; i < ng; i++) {
        if (!gaps[i].glob[0] || !gaps[i].reason[0] || !gaps[i].profiles) {
            abort();
        }
        /* every gap matches at least the case id that is its own glob
         * when the glob has no wildcard */
        if (!strpbrk(gaps[i].glob, "*?[") &&
            !conf_gaps_match(&gaps[i], 1, gaps[i].glob, gaps[i].profiles)) {
            abort();
        }
        /* the reason as a subject of the glob and as a glob list */
        conf_glob(gaps[i].glob, gaps[i].reason);
        conf_glob_list(gaps[i].reason, gaps[i].glob);
    }
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        conf_gaps_match(gaps, ng, ids[i], CONF_P_BITS);
        conf_gaps_match(gaps, ng, ids[i], CONF_P_DO);
    }
    conf_gaps_free(gaps, ng);
    return 0;
}
