/*
 * test_http.c - target decoding (confinement to the root) and Range
 * parsing, as tables.
 */
#include <string.h>

#include "unit.h"

static const struct {
    const char *in;
    int rc;
    const char *out;
} paths[] = {
    {"/a.bin", 0, "/a.bin"},
    {"/a.bin?x=1#f", 0, "/a.bin"},
    {"/dir/./b//c", 0, "/dir/b/c"},
    {"/dir/", 0, "/dir/"},
    {"/", 0, "/"},
    {"/%41%62c", 0, "/Abc"},
    {"http://host:1/x/y", 0, "/x/y"},
    {"/../etc/passwd", 400, NULL},
    {"/a/../b", 400, NULL},
    {"/%2e%2e/x", 400, NULL},
    {"/%2E%2e/x", 400, NULL},
    {"/a/..%2f..%2fx", 400, NULL},
    {"/a%2f..", 400, NULL},
    {"/%00", 400, NULL},
    {"/%zz", 400, NULL},
    {"/%4", 400, NULL},
    {"relative", 400, NULL},
    {"", 400, NULL},
};

static void test_path_decode(void)
{
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        char out[256] = "";
        int rc = mock_path_decode(paths[i].in, out, sizeof(out));
        if (rc != paths[i].rc) {
            fprintf(stderr, "\n  path '%s'\n", paths[i].in);
        }
        ASSERT_INT_EQ(paths[i].rc, rc);
        if (paths[i].out) {
            ASSERT_STR_EQ(paths[i].out, out);
        }
    }
}

static const struct {
    const char *h;
    uint64_t size;
    int n;
    uint64_t f0, l0, f1, l1;
    int64_t start;
} ranges[] = {
    {"bytes=0-99", 1000, 1, 0, 99, 0, 0, 0},
    {"bytes=100-", 1000, 1, 100, 999, 0, 0, 100},
    {"bytes=-10", 1000, 1, 990, 999, 0, 0, -3},
    {"bytes=-5000", 1000, 1, 0, 999, 0, 0, -3},
    {"bytes=900-5000", 1000, 1, 900, 999, 0, 0, 900},
    {"bytes=0-0, 5-9", 1000, 2, 0, 0, 5, 9, 0},
    {"bytes=1000-", 1000, 0, 0, 0, 0, 0, 1000},
    {"bytes=-0", 1000, 0, 0, 0, 0, 0, -3},
    {"bytes=2000-3000,1000-", 1000, 0, 0, 0, 0, 0, 2000},
    {"bytes=5000-,0-1", 1000, 1, 0, 1, 0, 0, 5000},
    {"bytes=9-5", 1000, -1, 0, 0, 0, 0, 0},
    {"items=0-1", 1000, -1, 0, 0, 0, 0, 0},
    {"bytes=", 1000, -1, 0, 0, 0, 0, 0},
    {"bytes=a-b", 1000, -1, 0, 0, 0, 0, 0},
    {"bytes=0-1;", 1000, -1, 0, 0, 0, 0, 0},
    {"bytes=0-", 0, 0, 0, 0, 0, 0, 0},
};

static void test_range_parse(void)
{
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        struct mock_range r[4];
        int64_t start = 12345;
        int n = mock_range_parse(ranges[i].h, ranges[i].size, r, 4, &start);
        if (n != ranges[i].n) {
            fprintf(stderr, "\n  range '%s'\n", ranges[i].h);
        }
        ASSERT_INT_EQ(ranges[i].n, n);
        if (n >= 1) {
            ASSERT_INT_EQ(ranges[i].f0, r[0].first);
            ASSERT_INT_EQ(ranges[i].l0, r[0].last);
        }
        if (n >= 2) {
            ASSERT_INT_EQ(ranges[i].f1, r[1].first);
            ASSERT_INT_EQ(ranges[i].l1, r[1].last);
        }
        if (n >= 0) {
            ASSERT_INT_EQ(ranges[i].start, start);
        }
    }
}

static void test_too_many_ranges(void)
{
    struct mock_range r[2];
    ASSERT_INT_EQ(-1, mock_range_parse("bytes=0-0,2-2,4-4", 10, r, 2, NULL));
}

CU_TestInfo http_tests[] = {
    {"target decoding and confinement", test_path_decode},
    {"Range parsing", test_range_parse},
    {"too many ranges -> ignored", test_too_many_ranges},
    CU_TEST_INFO_NULL,
};
