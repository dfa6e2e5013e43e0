/*
 * server.c - the state all connections share: the root directory (kept
 * open as a directory fd so every file is opened beneath it), the rules,
 * the log, the exchanges in flight and the seeded generator for garbage
 * bytes and multipart boundaries; the upload directory's state when
 * there is one (upload.c).
 */
#include "mock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void mock_limits_default(struct mock_limits *l)
{
    *l = (struct mock_limits){
        .max_line = 8192,
        .max_head = 65536,
        .max_headers = 100,
        .max_streams = 100,
        .head_ms = 10000,
        .idle_ms = 60000,
        .max_conns = 512,
    };
}

int mock_server_init(struct mock_server *s, const char *root, uint64_t seed,
                     char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    s->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->rootfd < 0) {
        snprintf(err, errlen, "--root %s: %s", root, strerror(errno));
        return -1;
    }
    s->root = strdup(root);
    mock_rules_init(&s->rules, seed);
    mock_log_init(&s->log, 100000);
    s->garbage_rng = seed ^ 0x5deece66dULL;
    mock_limits_default(&s->limits);
    return 0;
}

void mock_server_free(struct mock_server *s)
{
    mock_upload_close(s->up);
    s->up = NULL;
    mock_fcache_clear(s);
    mock_body_pool_free();
    mock_rules_clear(&s->rules);
    mock_log_free(&s->log);
    if (s->rootfd >= 0) {
        close(s->rootfd);
    }
    free(s->root);
    memset(s, 0, sizeof(*s));
    s->rootfd = -1;
}
