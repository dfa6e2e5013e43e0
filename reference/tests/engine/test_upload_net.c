/*
 * test_upload_net.c - BITS upload packets through the engine against
 * h2mock --upload-dir: the client core (ref_upload.c) says what to send,
 * the engine carries each packet (BITS_POST, a Fragment's body read from
 * the file at its offset), the core judges the Ack.  Each case checks the
 * packets sent, the end and, through /_mock/uploads, the SHA-256 of what
 * the server committed.
 */
#include "eng_test.h"
#include "ref_engine.h"
#include "ref_upload.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define UP_SIZE 300000u
#define UP_WAIT_S 20

static struct mockctl up_srv;
static ref_engine *up_eng;
static char up_dir[128], up_file[160];
static unsigned char *up_data;

struct ack_rec {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
    enum ref_err_kind kind;
    long status, version;
    char headers[4096];
};

static void ack_done(void *ctx, const struct ref_xfer_result *res)
{
    struct ack_rec *r = ctx;

    pthread_mutex_lock(&r->mu);
    r->kind = res->kind;
    r->status = res->http_status;
    r->version = res->http_version;
    snprintf(r->headers, sizeof r->headers, "%s", res->headers);
    r->done = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

static const struct ref_xfer_ops ack_ops = {NULL, NULL, ack_done};

/* Sends one packet and waits for its Ack; false when none came. */
static bool send_packet(const struct ref_up_session *s, enum ref_http_pref http,
                        struct ack_rec *r)
{
    struct ref_request q;
    char url[256], hdrs[512];
    struct timespec ts;
    uint64_t id = 0;
    bool ok = true;

    memset(r, 0, sizeof *r);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    memset(&q, 0, sizeof q);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/up.bin", up_srv.port);
    ENG_EQ_INT(ref_up_headers(s, "up.bin", hdrs, sizeof hdrs) > 0, true);
    q.url = url;
    q.headers = hdrs;
    q.method = "BITS_POST";
    q.prio = REF_PRIO_NORMAL;
    q.http = http;
    q.ops = &ack_ops;
    q.ctx = r;
    if (s->sent.type == REF_UP_FRAGMENT) {
        q.body_path = up_file;
        q.body_offset = s->sent.first;
        q.body_length = s->sent.length;
    }
    ENG_EQ_INT(ref_engine_submit(up_eng, &q, &id), 0);
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += UP_WAIT_S;
    pthread_mutex_lock(&r->mu);
    while (!r->done && ok)
        ok = pthread_cond_timedwait(&r->cv, &r->mu, &ts) == 0;
    ok = r->done;
    pthread_mutex_unlock(&r->mu);
    if (!ok)
        ref_engine_cancel(up_eng, id, NULL);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    return ok;
}

/* Runs a whole upload; returns the last action, the packets in *log
 * ("C F0 F65536 ... X"). */
static enum ref_up_action run_upload(struct ref_up_session *s,
                                     enum ref_http_pref http, char *log,
                                     size_t logn, long *version)
{
    struct ref_up_packet_desc p;
    enum ref_up_action a;
    struct ack_rec r;
    size_t used = 0;

    log[0] = '\0';
    for (int guard = 0; guard < 64; guard++) {
        a = ref_up_next(s, &p);
        if (a != REF_UP_SEND)
            return a;
        if (p.type == REF_UP_FRAGMENT)
            used +=
                (size_t)snprintf(log + used, logn - used, "%sF%llu",
                                 used ? " " : "", (unsigned long long)p.first);
        else
            used += (size_t)snprintf(log + used, logn - used, "%s%c",
                                     used ? " " : "",
                                     p.type == REF_UP_CREATE  ? 'C'
                                     : p.type == REF_UP_CLOSE ? 'X'
                                     : p.type == REF_UP_PING  ? 'P'
                                                              : 'K');
        if (!send_packet(s, http, &r) || r.kind != REF_ERR_NONE)
            return REF_UP_FAIL;
        *version = r.version;
        if (ref_up_judge(s, r.status, r.headers) == REF_UP_FAIL)
            return REF_UP_FAIL;
    }
    return REF_UP_FAIL;
}

/* The server's committed upload of /up.bin: size and SHA-256 hex. */
static void check_committed(void)
{
    unsigned char md[32];
    unsigned int len = 32;
    char hex[65], want[160], *json = NULL;

    EVP_Digest(up_data, UP_SIZE, md, &len, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    snprintf(want, sizeof want, "\"size\":%u,\"sha256\":\"%s\"", UP_SIZE, hex);
    ENG_EQ_INT(mockctl_control(&up_srv, "GET", "uploads", NULL, &json), 200);
    if (!json || !strstr(json, want))
        fprintf(stderr, "\n  uploads: %s\n  wanted %s\n", json ? json : "",
                want);
    CU_ASSERT_TRUE(json && strstr(json, want));
    free(json);
}

static void reset_server(void)
{
    char path[200];

    ENG_EQ_INT(mockctl_clear(&up_srv), 200);
    snprintf(path, sizeof path, "%s/up.bin", up_dir);
    unlink(path);
}

int eng_upload_net_init(void)
{
    struct ref_engine_config cfg = {.max_active = 4};
    const char *args[] = {"--upload-dir", up_dir, NULL};
    struct mockctl_opts o = {.args = args};
    uint32_t x = 777;
    int fd;

    snprintf(up_dir, sizeof up_dir, "/tmp/eng-up-XXXXXX");
    if (!mkdtemp(up_dir))
        return -1;
    snprintf(up_file, sizeof up_file, "%s.src", up_dir);
    up_data = malloc(UP_SIZE);
    if (!up_data)
        return -1;
    for (size_t i = 0; i < UP_SIZE; i++) {
        x = x * 1103515245u + 12345u;
        up_data[i] = (unsigned char)(x >> 16);
    }
    fd = open(up_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, up_data, UP_SIZE) != (ssize_t)UP_SIZE)
        return -1;
    close(fd);
    if (mockctl_start_opts(&up_srv, &o) != 0)
        return -1;
    return ref_engine_create(&cfg, &up_eng) == 0 ? 0 : -1;
}

int eng_upload_net_cleanup(void)
{
    char cmd[300];

    ref_engine_destroy(up_eng);
    up_eng = NULL;
    mockctl_stop(&up_srv);
    free(up_data);
    unlink(up_file);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", up_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Five fragments in order over each HTTP version, then Close-Session. */
static void upload_case(enum ref_http_pref http, long want_version)
{
    struct ref_up_session s;
    char log[512];
    long version = 0;

    reset_server();
    ref_up_init(&s, UP_SIZE, false, NULL, 0, false);
    s.fragment = 65536;
    ENG_EQ_INT(run_upload(&s, http, log, sizeof log, &version), REF_UP_DONE);
    ENG_EQ_STR(log, "C F0 F65536 F131072 F196608 F262144 X");
    ENG_EQ_INT(version, want_version);
    check_committed();
}

static void upload_h2(void)
{
    upload_case(REF_HTTP_AUTO, 2);
}

static void upload_http1(void)
{
    upload_case(REF_HTTP_1_1, 1);
}

/* The server takes at most 65536 bytes a fragment (413 above): the
 * default 4 MiB shrinks by halves to 37500, and stays there. */
static void upload_shrinks_on_413(void)
{
    struct ref_up_session s;
    char log[512];
    long version = 0;

    reset_server();
    ENG_EQ_INT(mockctl_rules(&up_srv, "match packet=Fragment "
                                      "action=bits-fragment-limit max=65536"),
               200);
    ref_up_init(&s, UP_SIZE, false, NULL, 0, false);
    ENG_EQ_INT(run_upload(&s, REF_HTTP_1_1, log, sizeof log, &version),
               REF_UP_DONE);
    ENG_EQ_STR(log, "C F0 F0 F0 F0 F37500 F75000 F112500 F150000 F187500 "
                    "F225000 F262500 X");
    check_committed();
}

/* The server forgets the session at the second fragment: a new session
 * from byte 0, and the committed file is still the whole source. */
static void upload_session_lost(void)
{
    struct ref_up_session s;
    char log[512];
    long version = 0;

    reset_server();
    ENG_EQ_INT(mockctl_rules(&up_srv, "match packet=Fragment fragment=2 "
                                      "times=1 action=bits-session-not-found"),
               200);
    ref_up_init(&s, UP_SIZE, false, NULL, 0, false);
    s.fragment = 131072;
    ENG_EQ_INT(run_upload(&s, REF_HTTP_1_1, log, sizeof log, &version),
               REF_UP_DONE);
    ENG_EQ_STR(log, "C F0 F131072 C F0 F131072 F262144 X");
    check_committed();
}

CU_TestInfo eng_upload_net_tests[] = {
    {"upload over HTTP/2", upload_h2},
    {"upload over HTTP/1.1", upload_http1},
    {"413 shrinks the fragments", upload_shrinks_on_413},
    {"session not found: a new session", upload_session_lost},
    CU_TEST_INFO_NULL,
};
