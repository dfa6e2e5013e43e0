/*
 * suite_selftest.c - a suite of deliberately misbehaving cases for the
 * runner's own tests: passes, failures, a skip, a crash, an exit(), a hang,
 * informative and known-gap cases, a mock-server case, per-profile cases.
 * None loads an implementation (setup NONE) except SELF-LIB, which is only
 * selected to test a bad --impl.  Not part of docts.
 */
#include "conf.h"
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void self_pass(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_U(ctx, 2 + 2, 4);
    CONF_EXPECT_HR(ctx, S_OK, S_OK);
}

static void self_fail(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_U(ctx, 1, 1);
    CONF_EXPECT_HR(ctx, S_OK, BG_E_EMPTY);
    conf_fail(ctx, "not reached");
}

static void self_skip(conf_ctx *ctx, const conf_case *c)
{
    conf_skip(ctx, "selftest skip");
}

static void self_crash(conf_ctx *ctx, const conf_case *c)
{
    abort();
}

static void self_exit(conf_ctx *ctx, const conf_case *c)
{
    exit(3);
}

static void self_hang(conf_ctx *ctx, const conf_case *c)
{
    for (;;)
        conf_plat_sleep_ms(100);
}

static void self_mock(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_NONNULL(ctx, ctx->mock_url);
    CONF_EXPECT_TRUE(ctx, !strcmp(ctx->mock_url, "http://127.0.0.1:4321"),
                     "http://127.0.0.1:4321", ctx->mock_url);
}

static void self_profile(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_U(ctx, ctx->profile, (unsigned)c->arg);
    CONF_EXPECT_HR(ctx, conf_hr(ctx, BG_E_INVALID_STATE),
                   c->arg == CONF_P_DO ? DO_E_INVALID_STATE
                                       : BG_E_INVALID_STATE);
}

static void self_tmpdir(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_TRUE(ctx, conf_plat_is_dir(ctx->tmpdir), "a directory",
                     ctx->tmpdir);
    const char *home = getenv("HOME");
    CONF_EXPECT_TRUE(ctx,
                     home && !strncmp(home, ctx->tmpdir, strlen(ctx->tmpdir)),
                     "HOME inside the case directory", home ? home : "unset");
    char path[4096];
    snprintf(path, sizeof path, "%s/left-behind", ctx->tmpdir);
    FILE *f = fopen(path, "w");
    CONF_EXPECT_NONNULL(ctx, f);
    fclose(f);
    /* tell the test where it was, through the output file is not
       possible (removed); print it on the result's expected text */
    CONF_EXPECT_TRUE(ctx, true, ctx->tmpdir, ctx->tmpdir);
}

static void self_wstr(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_WSTR(ctx, conf_w(ctx, "h\xc3\xa9llo"), u"h\u00e9llo");
    CONF_EXPECT_WSTR(ctx, conf_wrepeat(ctx, u'a', 3), u"aab");
}

static void self_nothing(conf_ctx *ctx, const conf_case *c)
{
    CONF_EXPECT_NONNULL(ctx, (void *)ctx->get_class_object);
}

#define X(id_, run_, prof_, ev_, extra...)                                     \
    {                                                                          \
        .id = id_, .iface = "ISelfTest", .method = #run_,                      \
        .rule = "runner self-test", .profiles = prof_, .evidence = ev_,        \
        .setup = CONF_SETUP_NONE, .run = run_, .expect = id_, extra            \
    }

static const conf_case cases[] = {
    X("SELF-PASS", self_pass, CONF_P_ALL, CONF_REQUIRED),
    X("SELF-FAIL", self_fail, CONF_P_BITS, CONF_REQUIRED),
    X("SELF-SKIP", self_skip, CONF_P_BITS, CONF_REQUIRED),
    X("SELF-CRASH", self_crash, CONF_P_BITS, CONF_REQUIRED),
    X("SELF-EXIT", self_exit, CONF_P_BITS, CONF_REQUIRED),
    X("SELF-HANG", self_hang, CONF_P_BITS, CONF_REQUIRED, .timeout_s = 1),
    X("SELF-INFO", self_fail, CONF_P_BITS, CONF_INFORMATIVE),
    X("SELF-INFODO", self_fail, CONF_P_ALL, CONF_REQUIRED,
      .informative_in = CONF_P_DO),
    X("SELF-GAP", self_fail, CONF_P_BITS, CONF_REQUIRED),
    X("SELF-XPASS", self_pass, CONF_P_BITS, CONF_REQUIRED),
    X("SELF-MOCK", self_mock, CONF_P_BITS, CONF_REQUIRED,
      .needs = CONF_NEEDS_MOCK),
    X("SELF-SLOW", self_pass, CONF_P_BITS, CONF_REQUIRED,
      .needs = CONF_NEEDS_SLOW),
    X("SELF-BITS", self_profile, CONF_P_BITS, CONF_REQUIRED,
      .arg = CONF_P_BITS),
    X("SELF-DO", self_profile, CONF_P_DO, CONF_REQUIRED, .arg = CONF_P_DO),
    X("SELF-TMP", self_tmpdir, CONF_P_BITS, CONF_REQUIRED),
    X("SELF-WSTR", self_wstr, CONF_P_BITS, CONF_REQUIRED),
    X("SELF-LAST", self_pass, CONF_P_BITS, CONF_REQUIRED),
    {.id = "SELF-LIB",
     .iface = "ISelfTest",
     .method = "lib",
     .rule = "runner self-test",
     .profiles = CONF_P_BITS,
     .evidence = CONF_REQUIRED,
     .setup = CONF_SETUP_LIB,
     .run = self_nothing,
     .expect = "SELF-LIB"},
};

const conf_suite conf_suite_selftest = {
    .name = "selftest",
    .title = "runner self-test",
    .cases = cases,
    .ncases = CONF_ARRAY_LEN(cases),
};
