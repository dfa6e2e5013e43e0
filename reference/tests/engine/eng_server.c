/*
 * eng_server.c - h2mock as a helper process for the engine tests.
 *
 * Starts $H2MOCK (the binary built by mock-server/module.mk) on port 0 of
 * the loopback with a fresh fixture directory, reads its "listening on
 * ADDR:PORT" line, talks to its /_mock/ control endpoint with libcurl,
 * and stops it (SIGTERM to its pid, then waitpid).
 */
#include "eng_test.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int eng_server_start(struct eng_server *s)
{
    const char *bin = getenv("H2MOCK");
    char port_arg[] = "0", line[256];
    int fds[2];
    FILE *f;
    pid_t pid;

    memset(s, 0, sizeof *s);
    if (!bin || access(bin, X_OK) != 0) {
        fprintf(stderr, "engine-tests: H2MOCK (%s) is not an executable "
                        "h2mock; build it with the mock-server fragment\n",
                bin ? bin : "unset");
        return -1;
    }
    snprintf(s->root, sizeof s->root, "/tmp/eng-fixtures-XXXXXX");
    if (!mkdtemp(s->root) || pipe(fds) != 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(bin, bin, "--root", s->root, "--port", port_arg,
              "--grace-ms", "0", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    s->pid = pid;
    f = fdopen(fds[0], "r");
    if (!f || !fgets(line, sizeof line, f)) {
        fprintf(stderr, "engine-tests: h2mock did not start\n");
        if (f)
            fclose(f);
        eng_server_stop(s);
        return -1;
    }
    fclose(f);
    {
        char *colon = strrchr(line, ':');

        s->port = colon ? atoi(colon + 1) : 0;
    }
    if (strncmp(line, "listening on ", 13) != 0 || s->port <= 0) {
        fprintf(stderr, "engine-tests: unexpected h2mock line: %s", line);
        eng_server_stop(s);
        return -1;
    }
    return 0;
}

void eng_server_stop(struct eng_server *s)
{
    char cmd[300];

    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
    if (s->root[0]) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->root);
        if (system(cmd) != 0)
            fprintf(stderr, "engine-tests: could not remove %s\n", s->root);
        s->root[0] = '\0';
    }
}

int eng_server_put(struct eng_server *s, const char *name, const void *data,
                   size_t len)
{
    char path[512];
    int fd;
    ssize_t w;

    snprintf(path, sizeof path, "%s/%s", s->root, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    w = write(fd, data, len);
    close(fd);
    return w == (ssize_t)len ? 0 : -1;
}

struct sink {
    char *p;
    size_t len;
};

static size_t sink_cb(char *b, size_t sz, size_t n, void *ud)
{
    struct sink *k = ud;
    char *np = realloc(k->p, k->len + sz * n + 1);

    if (!np)
        return 0;
    memcpy(np + k->len, b, sz * n);
    k->len += sz * n;
    np[k->len] = '\0';
    k->p = np;
    return sz * n;
}

int eng_server_control(struct eng_server *s, const char *method,
                       const char *path, const char *body, char **out)
{
    CURL *h = curl_easy_init();
    struct sink k = {0};
    char url[256];
    long status = -1;

    if (!h)
        return -1;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/_mock/%s", s->port, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (body)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &k);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    if (out)
        *out = k.p ? k.p : strdup("");
    else
        free(k.p);
    return (int)status;
}
