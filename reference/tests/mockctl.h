/*
 * mockctl.h - h2mock as a helper process of the reference's test binaries
 * (reference-, transfer-, do-, engine- and persist-tests): start it on a
 * loopback port, put fixture files in the directory it serves, talk to its
 * /_mock/ control endpoint, stop it.  One launcher and one control client
 * for all of them, so each binary's support file keeps only what is its
 * own (seeded fixtures, log readers, suite set-up).
 *
 * The environment, set by the check-* targets of the module.mk files:
 *   H2MOCK          the h2mock executable (required)
 *   H2MOCK_TLS_DIR  directory holding cert.pem and key.pem, the mock's
 *                   self-signed test certificate (only for TLS servers)
 *   TMPDIR          where fresh fixture roots go (default /tmp)
 */
#ifndef MOCKCTL_H
#define MOCKCTL_H

#include <stdbool.h>
#include <stddef.h>

struct mockctl {
    int pid;        /* h2mock's process, 0 when none runs */
    int port;       /* its loopback port */
    bool tls;       /* it serves TLS too (same port) */
    bool own_root;  /* root is a fresh directory mockctl_stop removes */
    char root[256]; /* the directory it serves */
    char base[64];  /* "http://127.0.0.1:PORT" ("https" with tls) */
};

/* What mockctl_start_opts may change; zero is the default of each. */
struct mockctl_opts {
    int port;                /* 0: any free port */
    const char *root;        /* directory to serve; NULL: a fresh one */
    bool tls;                /* certificate and key from $H2MOCK_TLS_DIR */
    const char *const *args; /* more h2mock arguments, NULL-terminated */
};

/* Starts $H2MOCK --root ROOT --port PORT --grace-ms 0 [TLS] [ARGS] on the
 * loopback and waits for its "listening on ADDR:PORT" line.  The child
 * gets SIGTERM if this process dies first.  Returns 0, or -1 with a
 * message on stderr and nothing left running or created. */
int mockctl_start_opts(struct mockctl *m, const struct mockctl_opts *o);
/* The same with every default and, when TLS is set, TLS. */
int mockctl_start(struct mockctl *m, bool tls);
/* Stops h2mock (SIGTERM, then waits) and removes a fresh root.  Safe on a
 * server that never started or was stopped already. */
void mockctl_stop(struct mockctl *m);

/* Writes the fixture NAME (may contain '/': the directories are created)
 * under the root.  0 or -1. */
int mockctl_put(struct mockctl *m, const char *name, const void *data,
                size_t len);

/* One control request, METHOD on /_mock/WHAT with BODY (NULL: none), over
 * HTTP/1.1, never through a proxy, certificate unchecked.  The response
 * body (malloc'd, NUL-terminated, "" when empty) goes to *OUT when OUT is
 * not NULL.  Returns the HTTP status, or -1 when no answer came; a status
 * other than 200 is also reported on stderr with the body. */
int mockctl_control(struct mockctl *m, const char *method, const char *what,
                    const char *body, char **out);
/* POST /_mock/rules (rule lines in h2mock's fault syntax); the status. */
int mockctl_rules(struct mockctl *m, const char *text);
/* DELETE /_mock/rules; the status. */
int mockctl_clear(struct mockctl *m);
/* GET /_mock/log: the request log (NDJSON, malloc'd) or NULL. */
char *mockctl_log(struct mockctl *m);

#endif
