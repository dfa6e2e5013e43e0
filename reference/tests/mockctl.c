/*
 * mockctl.c - the tools of mockctl.h: h2mock as a child process of a
 * reference test binary, its fixture directory and its /_mock/ control
 * endpoint (libcurl).  The environment names are listed in mockctl.h.
 * What a binary does with the server (seeded fixtures, reading the request
 * log, suite set-up) stays in that binary's own support file.
 */
#include "mockctl.h"

#include <curl/curl.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Messages start with the test binary's name ("do-tests: ..."). */
#define WHO program_invocation_short_name

/* ---- process --------------------------------------------------------------
 */

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

/* The child: stdout into the pipe, h2mock with its arguments. */
static void exec_mock(const char *bin, int fds[2], char *const argv[])
{
    /* h2mock must not outlive a test run killed by its watchdog */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execv(bin, argv);
    _exit(127);
}

/* Reads the "listening on ADDR:PORT" line; the port or -1. */
static int read_port(int fd)
{
    char line[256];
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        return -1;
    }
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        fprintf(stderr, "%s: h2mock printed nothing\n", WHO);
        return -1;
    }
    fclose(f);
    char *colon = strrchr(line, ':');
    int port = colon ? atoi(colon + 1) : 0;
    if (strncmp(line, "listening on ", 13) != 0 || port <= 0) {
        fprintf(stderr, "%s: unexpected h2mock line: %s", WHO, line);
        return -1;
    }
    return port;
}

int mockctl_start_opts(struct mockctl *m, const struct mockctl_opts *o)
{
    static const struct mockctl_opts defaults = {0};
    const char *bin = getenv("H2MOCK");
    const char *tlsdir = getenv("H2MOCK_TLS_DIR");
    const char *tmp = getenv("TMPDIR");
    char port_arg[16], cert[300], key[300];
    char *argv[32];
    int n = 0, fds[2];

    if (!o)
        o = &defaults;
    memset(m, 0, sizeof *m);
    m->tls = o->tls;
    if (!bin || access(bin, X_OK) != 0) {
        fprintf(stderr, "%s: H2MOCK (%s) is not an executable h2mock\n", WHO,
                bin ? bin : "unset");
        return -1;
    }
    if (o->tls) {
        snprintf(cert, sizeof cert, "%s/cert.pem", tlsdir ? tlsdir : "");
        snprintf(key, sizeof key, "%s/key.pem", tlsdir ? tlsdir : "");
        if (!tlsdir || !*tlsdir || access(cert, R_OK) != 0) {
            fprintf(stderr, "%s: H2MOCK_TLS_DIR (%s) has no cert.pem\n", WHO,
                    tlsdir ? tlsdir : "unset");
            return -1;
        }
    }
    if (o->root) {
        snprintf(m->root, sizeof m->root, "%s", o->root);
    } else {
        snprintf(m->root, sizeof m->root, "%s/h2mock-root-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(m->root)) {
            fprintf(stderr, "%s: mkdtemp %s: %s\n", WHO, m->root,
                    strerror(errno));
            m->root[0] = '\0';
            return -1;
        }
        m->own_root = true;
    }
    snprintf(port_arg, sizeof port_arg, "%d", o->port);
    argv[n++] = (char *)bin;
    argv[n++] = "--root";
    argv[n++] = m->root;
    argv[n++] = "--port";
    argv[n++] = port_arg;
    argv[n++] = "--grace-ms";
    argv[n++] = "0";
    if (o->tls) {
        argv[n++] = "--tls-cert";
        argv[n++] = cert;
        argv[n++] = "--tls-key";
        argv[n++] = key;
    }
    for (size_t i = 0; o->args && o->args[i] && n + 1 < 32; i++)
        argv[n++] = (char *)o->args[i];
    argv[n] = NULL;

    if (pipe(fds) != 0) {
        mockctl_stop(m);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0)
        exec_mock(bin, fds, argv);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        mockctl_stop(m);
        return -1;
    }
    m->pid = pid;
    m->port = read_port(fds[0]);
    if (m->port <= 0) {
        mockctl_stop(m);
        return -1;
    }
    snprintf(m->base, sizeof m->base, "%s://127.0.0.1:%d",
             o->tls ? "https" : "http", m->port);
    return 0;
}

int mockctl_start(struct mockctl *m, bool tls)
{
    return mockctl_start_opts(m, &(struct mockctl_opts){.tls = tls});
}

void mockctl_stop(struct mockctl *m)
{
    if (m->pid > 0) {
        kill(m->pid, SIGTERM);
        waitpid(m->pid, NULL, 0);
    }
    m->pid = 0;
    m->port = 0;
    if (m->own_root && m->root[0])
        nftw(m->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    m->own_root = false;
    m->root[0] = '\0';
}

/* ---- fixtures -------------------------------------------------------------
 */

int mockctl_put(struct mockctl *m, const char *name, const void *data,
                size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", m->root, name);
    /* the directories of NAME */
    for (char *slash = path + strlen(m->root) + 1;
         (slash = strchr(slash, '/')) != NULL; *slash++ = '/') {
        *slash = '\0';
        mkdir(path, 0755);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* ---- control endpoint -----------------------------------------------------
 */

struct buf {
    char *p;
    size_t n, cap;
};

static size_t buf_write(char *data, size_t size, size_t nmemb, void *ud)
{
    struct buf *b = ud;
    size_t n = size * nmemb;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return 0;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
    b->p[b->n] = '\0';
    return n;
}

int mockctl_control(struct mockctl *m, const char *method, const char *what,
                    const char *body, char **out)
{
    char url[256];
    struct buf b = {0};
    long status = -1;
    CURL *c = curl_easy_init();

    if (out)
        *out = NULL;
    if (!c)
        return -1;
    snprintf(url, sizeof url, "%s/_mock/%s", m->base, what);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, buf_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    if (status != 200)
        fprintf(stderr, "%s: %s /_mock/%s -> %ld: %s\n", WHO, method, what,
                status, b.p ? b.p : "");
    if (out)
        *out = b.p ? b.p : strdup("");
    else
        free(b.p);
    return (int)status;
}

int mockctl_rules(struct mockctl *m, const char *text)
{
    return mockctl_control(m, "POST", "rules", text, NULL);
}

int mockctl_clear(struct mockctl *m)
{
    return mockctl_control(m, "DELETE", "rules", NULL, NULL);
}

char *mockctl_log(struct mockctl *m)
{
    char *out = NULL;
    if (mockctl_control(m, "GET", "log", NULL, &out) != 200) {
        free(out);
        return NULL;
    }
    return out;
}
