/*
 * main.c - h2mock's process: command line, the listening socket, TLS
 * (OpenSSL, ALPN h2 / http/1.1), the single-threaded ppoll loop, signals
 * and graceful shutdown.  It only moves bytes between sockets and the
 * I/O-free connections of conn.c (their byte side, c.io) and closes sockets as
 * they ask (FIN, or RST through SO_LINGER 0).  One port serves everything: a
 * first byte of 0x16 means a TLS ClientHello (when a certificate was given),
 * otherwise the connection is cleartext HTTP/1.1 or h2c.  --http1-only makes it
 * a server without HTTP/2 (ALPN here, the rest in conn.c and h1.c; M14). The
 * limits of a connection's start are here too (M15): the first byte and the TLS
 * handshake within the head deadline, and the connection cap, which evicts the
 * longest-idle connection to make room.
 */
#include "mock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

enum sst { S_PEEK, S_HANDSHAKE, S_OPEN, S_DRAIN };

struct sconn {
    int fd;
    SSL *ssl;
    enum sst st;
    int64_t drain_until;
    bool tls_wants_write;
    bool more;     /* do_write stopped early: more to produce */
    int64_t since; /* accepted at (monotonic ms) */
    struct mock_conn c;
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

static const char usage[] =
    "usage: h2mock --root DIR [--port N] [--bind ADDR] [--faults FILE]\n"
    "              [--seed N] [--tls-cert FILE --tls-key FILE] [--log FILE]\n"
    "              [--log-keep N] [--grace-ms N] [--http1-only]\n"
    "              [--max-request-line N] [--max-header-bytes N]\n"
    "              [--max-headers N] [--max-streams N] [--max-conns N]\n"
    "              [--header-timeout-ms N] [--idle-timeout-ms N]\n"
    "              [--upload-dir DIR [--upload-max N] [--upload-timeout-ms N]\n"
    "               [--upload-overwrite] [--upload-reply PREFIX]\n"
    "               [--upload-host-id HOST [--upload-host-fallback S]]]\n"
    "       h2mock --list-actions [--format text|markdown]\n"
    "       h2mock --check-faults FILE\n"
    "\n"
    "A test HTTP server with fault injection: HTTP/1.1 (keep-alive), h2c\n"
    "(prior knowledge and Upgrade: h2c) and, with a certificate, TLS with\n"
    "ALPN h2 / http/1.1 - all on one port.  Serves the files under --root\n"
    "(GET, HEAD, Range, If-Range) and applies fault rules (docs/faults.md).\n"
    "\n"
    "  --root DIR         directory to serve (required); nothing outside it\n"
    "                     is reachable (.., %2e%2e, symlinks out: 400/404)\n"
    "  --port N           TCP port (default 8080); 0 picks a free port\n"
    "  --bind ADDR        IPv4 or IPv6 address (default 127.0.0.1)\n"
    "  --faults FILE      load fault rules; any error is fatal (exit 2)\n"
    "                     and names FILE:LINE and the field\n"
    "  --seed N           seed of the generator behind prob=, garbage bytes\n"
    "                     and multipart boundaries (default 1)\n"
    "  --tls-cert FILE    PEM certificate (chain); with --tls-key enables\n"
    "                     TLS on the same port (ALPN h2, http/1.1)\n"
    "  --tls-key FILE     PEM private key\n"
    "  --http1-only       be a server without HTTP/2: ignore Upgrade: h2c\n"
    "                     (answer in HTTP/1.1, no 101), refuse the h2c\n"
    "                     prior-knowledge preface with 505 and close, and\n"
    "                     offer only http/1.1 by ALPN\n"
    "  --log FILE         append every finished request as a JSON line\n"
    "  --log-keep N       requests kept for GET /_mock/log (default 100000)\n"
    "  --grace-ms N       on SIGTERM/SIGINT, time in-flight requests get to\n"
    "                     finish before connections are cut (default 2000)\n"
    "  --list-actions     print the fault actions and exit\n"
    "  --format F         with --list-actions: text (default) or markdown\n"
    "  --check-faults F   parse a fault file, report errors, exit 0 or 2\n"
    "  --help             this text\n"
    "\n"
    "Limits (docs/mock-server.md, \"Limits\"):\n"
    "  --max-request-line N   request line bytes; longer: 414 (8192)\n"
    "  --max-header-bytes N   header bytes (HTTP/2: header list size);\n"
    "                         more: 431 (65536)\n"
    "  --max-headers N        header fields; more: 431 (100)\n"
    "  --max-streams N        HTTP/2 concurrent streams advertised; one\n"
    "                         more: RST_STREAM REFUSED_STREAM (100)\n"
    "  --max-conns N          open connections; at the cap a new one\n"
    "                         evicts the longest-idle one (512)\n"
    "  --header-timeout-ms N  a request head (or TLS handshake) must\n"
    "                         arrive within N ms of its first byte: 408\n"
    "                         and close (10000)\n"
    "  --idle-timeout-ms N    close a connection idle this long; HTTP/2\n"
    "                         with GOAWAY NO_ERROR (60000)\n"
    "\n"
    "Uploads (docs/mock-server.md, \"Uploads\"):\n"
    "  --upload-dir DIR       serve the BITS Upload Protocol (BITS_POST)\n"
    "                         and PUT; a finished upload to /P lands at\n"
    "                         DIR/P (its directory must exist; state in\n"
    "                         DIR/.h2mock, removed at exit)\n"
    "  --upload-max N         largest file in bytes: BG_E_TOO_LARGE (BITS),\n"
    "                         413 (PUT); 0 = no limit (0)\n"
    "  --upload-timeout-ms N  a session without progress this long is\n"
    "                         gone (1209600000, 14 days)\n"
    "  --upload-overwrite     an existing file may be replaced (else\n"
    "                         Create-Session gets 409)\n"
    "  --upload-reply PREFIX  sessions under PREFIX are upload-reply ones:\n"
    "                         the reply is the upload's SHA-256 (hex)\n"
    "  --upload-host-id HOST  BITS-Host-Id on Create-Session Acks\n"
    "  --upload-host-fallback S  with it, BITS-Host-Id-Fallback-Timeout\n"
    "\n"
    "When ready it prints one line, \"listening on ADDR:PORT\", to stdout.\n"
    "Control endpoint: GET/POST/DELETE /_mock/rules, GET /_mock/log,\n"
    "POST /_mock/reset, GET /_mock/uploads (docs/mock-server.md).  "
    "SIGTERM/SIGINT: stop\n"
    "accepting, let in-flight requests finish, exit 0.\n"
    "Exit status: 0 normal, 1 runtime failure (bind...), 2 bad usage or\n"
    "configuration.\n";

/* ALPN: h2 when the client offers it, else http/1.1; with --http1-only
 * (arg points to true) only http/1.1.  No match: no ALPN, HTTP/1.1. */
static int alpn_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                   const unsigned char *in, unsigned int inlen, void *arg)
{
    static const unsigned char h1[] = "\x08http/1.1";
    (void)ssl;
    if (*(const bool *)arg) {
        if (SSL_select_next_proto((unsigned char **)out, outlen, h1,
                                  sizeof(h1) - 1, in,
                                  inlen) != OPENSSL_NPN_NEGOTIATED) {
            return SSL_TLSEXT_ERR_NOACK;
        }
        return SSL_TLSEXT_ERR_OK;
    }
    if (nghttp2_select_next_protocol((unsigned char **)out, outlen, in, inlen) <
        0) {
        return SSL_TLSEXT_ERR_NOACK; /* no ALPN match: HTTP/1.1 */
    }
    return SSL_TLSEXT_ERR_OK;
}

static SSL_CTX *tls_setup(const char *cert, const char *key,
                          const bool *http1_only)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        return NULL;
    }
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION |
                                 SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
        fprintf(stderr, "h2mock: --tls-cert %s: cannot load certificate\n",
                cert);
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
        fprintf(stderr,
                "h2mock: --tls-key %s: cannot load key or it does not "
                "match the certificate\n",
                key);
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_alpn_select_cb(ctx, alpn_cb, (void *)http1_only);
    return ctx;
}

/* A graceful close: send FIN, then read and discard until the peer
 * closes too (or 1 s passes).  Closing with unread input would make the
 * kernel send an RST, and the peer could lose the end of the response. */
static void sconn_drain(struct sconn *sc, int64_t now)
{
    if (sc->ssl) {
        SSL_shutdown(sc->ssl);
        SSL_free(sc->ssl);
        sc->ssl = NULL;
    }
    mock_conn_free(&sc->c);
    shutdown(sc->fd, SHUT_WR);
    sc->st = S_DRAIN;
    sc->drain_until = now + 1000;
}

static void sconn_close(struct sconn *sc, enum mock_close how)
{
    if (how == MOCK_CLOSE_RST) {
        struct linger lg = {1, 0};
        setsockopt(sc->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    } else if (sc->ssl && sc->st == S_OPEN) {
        SSL_shutdown(sc->ssl); /* close_notify, best effort */
    }
    if (sc->st == S_OPEN) {
        mock_conn_free(&sc->c);
    }
    if (sc->ssl) {
        SSL_free(sc->ssl);
    }
    close(sc->fd);
    free(sc);
}

/* Read what is there.  Returns 0, or -1 when the peer is gone. */
static int do_read(struct sconn *sc, int64_t now)
{
    uint8_t buf[64 * 1024];
    for (int i = 0; i < 8; i++) {
        ssize_t n;
        if (sc->ssl) {
            int r = SSL_read(sc->ssl, buf, sizeof(buf));
            if (r <= 0) {
                int e = SSL_get_error(sc->ssl, r);
                if (e == SSL_ERROR_WANT_READ) {
                    return 0;
                }
                if (e == SSL_ERROR_WANT_WRITE) {
                    sc->tls_wants_write = true;
                    return 0;
                }
                return -1;
            }
            n = r;
        } else {
            n = recv(sc->fd, buf, sizeof(buf), 0);
            if (n < 0) {
                if (errno == EAGAIN || errno == EINTR) {
                    return 0;
                }
                return -1;
            }
            if (n == 0) {
                return -1;
            }
        }
        if (mock_conn_feed(&sc->c, buf, (size_t)n, now) < 0) {
            return -1;
        }
        if ((size_t)n < sizeof(buf) && !(sc->ssl && SSL_pending(sc->ssl))) {
            return 0;
        }
    }
    return 0;
}

/* Produce and write until the socket is full or nothing is left.
 * Returns 0, or -1 when the socket failed. */
static int do_write(struct sconn *sc, int64_t now)
{
    sc->more = false;
    /* The segment size grows with the peer's window, so ask once per
     * turn (about once per ten requests under h2load); 0: unknown, or
     * TLS, which writes what is there. */
    int seg = 0;
    socklen_t sl = sizeof(seg);
    size_t mss = 0;
    if (!sc->ssl &&
        getsockopt(sc->fd, IPPROTO_TCP, TCP_MAXSEG, &seg, &sl) == 0 &&
        seg > 0) {
        mss = (size_t)seg;
    }
    for (int rounds = 0;; rounds++) {
        if (rounds == 64) {
            /* fairness: let other connections run; POLLOUT brings us
             * straight back */
            sc->more = true;
            return 0;
        }
        if (mock_conn_produce(&sc->c, now) < 0) {
            return -1;
        }
        size_t n = mock_conn_out_pending(&sc->c);
        if (n == 0) {
            return 0;
        }
        /* When production stopped at the high-water mark, more follows:
         * send whole segments only and keep the tail for the next turn.
         * Sending it now would cost a packet of its own (on loopback,
         * where a segment is 64 KiB, twice the packets per 64 KiB
         * response; decision M10). */
        size_t len = n;
        if (mss && n >= sc->c.io.high_water && n > mss) {
            len = n - n % mss;
        }
        ssize_t w;
        if (sc->ssl) {
            /* no chunks on TLS (zero_copy is off): out holds it all */
            const uint8_t *p = mock_buf_head(&sc->c.io.out);
            int r = SSL_write(sc->ssl, p, (int)(n > 1 << 30 ? 1 << 30 : n));
            if (r <= 0) {
                int e = SSL_get_error(sc->ssl, r);
                if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
                    return 0;
                }
                return -1;
            }
            w = r;
            len = n;
        } else {
            struct iovec iov[64];
            int k = mock_conn_out_iov(&sc->c, iov, 64);
            size_t sum = 0;
            for (int i = 0; i < k; i++) {
                if (sum + iov[i].iov_len >= len) {
                    iov[i].iov_len = len - sum;
                    k = i + 1;
                }
                sum += iov[i].iov_len;
            }
            len = sum;
            struct msghdr mh = {.msg_iov = iov, .msg_iovlen = (size_t)k};
            w = sendmsg(sc->fd, &mh, MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EAGAIN || errno == EINTR) {
                    return 0;
                }
                return -1;
            }
        }
        mock_conn_out_consume(&sc->c, (size_t)w);
        if ((size_t)w < len) {
            return 0;
        }
    }
    return 0;
}

/* Service one connection.  Returns false when it was closed and freed. */
static bool service(struct sconn *sc, short rev, struct mock_server *srv,
                    SSL_CTX *ctx, bool stopping, int64_t now)
{
    if (sc->st == S_DRAIN) {
        uint8_t junk[16384];
        ssize_t n = 1;
        while (rev && (n = recv(sc->fd, junk, sizeof(junk), 0)) > 0) {
        }
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) ||
            now >= sc->drain_until) {
            sconn_close(sc, MOCK_CLOSE_FIN);
            return false;
        }
        return true;
    }
    if (sc->st == S_PEEK) {
        if (!(rev & (POLLIN | POLLHUP | POLLERR))) {
            return true;
        }
        uint8_t b;
        ssize_t n = recv(sc->fd, &b, 1, MSG_PEEK);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            return true;
        }
        if (n <= 0) {
            sconn_close(sc, MOCK_CLOSE_FIN);
            return false;
        }
        if (b == 0x16 && ctx) {
            sc->ssl = SSL_new(ctx);
            if (!sc->ssl || SSL_set_fd(sc->ssl, sc->fd) != 1) {
                sconn_close(sc, MOCK_CLOSE_FIN);
                return false;
            }
            sc->st = S_HANDSHAKE;
        } else {
            mock_conn_init(&sc->c, srv, false, false);
            sc->st = S_OPEN;
        }
    }
    if (sc->st == S_HANDSHAKE) {
        sc->tls_wants_write = false;
        int r = SSL_accept(sc->ssl);
        if (r != 1) {
            int e = SSL_get_error(sc->ssl, r);
            if (e == SSL_ERROR_WANT_READ) {
                return true;
            }
            if (e == SSL_ERROR_WANT_WRITE) {
                sc->tls_wants_write = true;
                return true;
            }
            ERR_clear_error();
            sconn_close(sc, MOCK_CLOSE_FIN);
            return false;
        }
        const unsigned char *alpn = NULL;
        unsigned int alen = 0;
        SSL_get0_alpn_selected(sc->ssl, &alpn, &alen);
        bool h2 = alen == 2 && !memcmp(alpn, "h2", 2);
        mock_conn_init(&sc->c, srv, true, h2);
        sc->st = S_OPEN;
        if (stopping) {
            mock_conn_shutdown(&sc->c);
        }
    }
    bool readable = (rev & (POLLIN | POLLHUP | POLLERR)) ||
                    (sc->ssl && SSL_pending(sc->ssl) > 0);
    if (readable && !sc->c.io.dead) {
        if (do_read(sc, now) < 0) {
            ERR_clear_error();
            mock_conn_abort(&sc->c, "client-closed");
            sconn_close(sc, MOCK_CLOSE_FIN);
            return false;
        }
    }
    if (do_write(sc, now) < 0) {
        ERR_clear_error();
        mock_conn_abort(&sc->c, "client-closed");
        sconn_close(sc, MOCK_CLOSE_FIN);
        return false;
    }
    if (mock_conn_out_pending(&sc->c) == 0) {
        if (sc->c.io.close_after_flush == MOCK_CLOSE_RST) {
            sconn_close(sc, MOCK_CLOSE_RST);
            return false;
        }
        if (sc->c.io.close_after_flush == MOCK_CLOSE_FIN ||
            (stopping && mock_conn_idle(&sc->c) &&
             mock_conn_told_goaway(&sc->c))) {
            sconn_drain(sc, now);
            return true;
        }
    }
    return true;
}

struct opts {
    const char *root, *bind, *faults, *cert, *key, *log, *format;
    int port;
    uint64_t seed;
    size_t log_keep;
    int64_t grace_ms;
    bool http1_only;
    struct mock_limits lim;
    const char *up_dir, *up_reply;
    struct mock_bits_cfg up;
};

static bool num_arg(const char *s, uint64_t max, uint64_t *out)
{
    char *e;
    errno = 0;
    if (!s || *s < '0' || *s > '9') {
        return false;
    }
    unsigned long long v = strtoull(s, &e, 10);
    if (*e || errno || v > max) {
        return false;
    }
    *out = v;
    return true;
}

/* The limit flags: each sets one field of struct mock_limits. */
enum limit_type { L_SIZE, L_U32, L_MS }; /* size_t, uint32_t, int64_t */
struct limit_opt {
    const char *name;
    size_t off; /* offsetof the field */
    enum limit_type type;
    uint64_t max;
};
static const struct limit_opt limit_opts[] = {
    {"max-request-line", offsetof(struct mock_limits, max_line), L_SIZE,
     1u << 30},
    {"max-header-bytes", offsetof(struct mock_limits, max_head), L_SIZE,
     1u << 30},
    {"max-headers", offsetof(struct mock_limits, max_headers), L_SIZE,
     1u << 20},
    {"max-streams", offsetof(struct mock_limits, max_streams), L_U32,
     0x7ffffffe},
    {"max-conns", offsetof(struct mock_limits, max_conns), L_SIZE, 1u << 20},
    {"header-timeout-ms", offsetof(struct mock_limits, head_ms), L_MS,
     86400000},
    {"idle-timeout-ms", offsetof(struct mock_limits, idle_ms), L_MS, 86400000},
};

/* --NAME N into its field of l: 0, or -1 with the error on stderr. */
static int limit_arg(const struct limit_opt *lo, const char *arg,
                     struct mock_limits *l)
{
    uint64_t v;
    if (!num_arg(arg, lo->max, &v) || v == 0) {
        fprintf(stderr, "h2mock: --%s %s: expected 1..%llu\n", lo->name, arg,
                (unsigned long long)lo->max);
        return -1;
    }
    char *f = (char *)l + lo->off;
    if (lo->type == L_SIZE) {
        *(size_t *)(void *)f = (size_t)v;
    } else if (lo->type == L_U32) {
        *(uint32_t *)(void *)f = (uint32_t)v;
    } else {
        *(int64_t *)(void *)f = (int64_t)v;
    }
    return 0;
}

static int listen_on(const char *addr, int port, char *shown, size_t sl)
{
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        len = sizeof(*a4);
    } else if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        len = sizeof(*a6);
    } else {
        fprintf(stderr, "h2mock: --bind %s: not an IPv4/IPv6 address\n", addr);
        return -2;
    }
    int fd =
        socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 512) < 0) {
        fprintf(stderr, "h2mock: cannot listen on %s port %d: %s\n", addr, port,
                strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    len = sizeof(ss);
    getsockname(fd, (struct sockaddr *)&ss, &len);
    int p = ntohs(ss.ss_family == AF_INET ? a4->sin_port : a6->sin6_port);
    if (ss.ss_family == AF_INET6) {
        snprintf(shown, sl, "[%s]:%d", addr, p);
    } else {
        snprintf(shown, sl, "%s:%d", addr, p);
    }
    return fd;
}

/* The connection cap (M15): with max connections open (draining ones
 * do not count), the one that has held its slot longest without
 * serving - a slow client mid-head, or an idle keep-alive one - is
 * closed to make room.  False when every slot is serving. */
static bool make_room(struct sconn **cs, size_t *n, size_t max)
{
    size_t open = 0, victim = *n;
    int64_t oldest = INT64_MAX;
    for (size_t i = 0; i < *n; i++) {
        const struct sconn *sc = cs[i];
        int64_t since = -1;
        if (sc->st == S_DRAIN) {
            continue;
        }
        open++;
        if (sc->st == S_PEEK || sc->st == S_HANDSHAKE) {
            since = sc->since;
        } else {
            since = mock_conn_idle_since(&sc->c);
        }
        if (since >= 0 && since < oldest) {
            oldest = since;
            victim = i;
        }
    }
    if (open < max) {
        return true;
    }
    if (victim == *n) {
        return false;
    }
    struct sconn *sc = cs[victim];
    if (sc->st == S_OPEN) {
        mock_conn_abort(&sc->c, "evicted");
    }
    sconn_close(sc, MOCK_CLOSE_FIN);
    cs[victim] = cs[--*n];
    return true;
}

static int run(const struct opts *o, struct mock_server *srv, SSL_CTX *ctx)
{
    char shown[128];
    int lfd = listen_on(o->bind, o->port, shown, sizeof(shown));
    if (lfd < 0) {
        return lfd == -2 ? 2 : 1;
    }
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, NULL);
    sigemptyset(&empty);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    printf("listening on %s\n", shown);
    fflush(stdout);

    struct sconn **cs = NULL;
    size_t n = 0, cap = 0;
    struct pollfd *pf = NULL;
    size_t pfcap = 0;
    bool stopping = false;
    int64_t deadline = 0;
    for (;;) {
        int64_t now = mock_now_ms();
        if (got_signal && !stopping) {
            stopping = true;
            srv->stopping = true;
            close(lfd);
            lfd = -1;
            deadline = now + o->grace_ms;
            for (size_t i = 0; i < n; i++) {
                if (cs[i]->st == S_OPEN) {
                    mock_conn_shutdown(&cs[i]->c);
                }
            }
            /* let every connection act on the shutdown at once */
            size_t j = 0;
            for (size_t i = 0; i < n; i++) {
                if (cs[i]->st == S_PEEK || cs[i]->st == S_HANDSHAKE) {
                    sconn_close(cs[i], MOCK_CLOSE_FIN);
                    continue;
                }
                if (cs[i]->st == S_DRAIN ||
                    service(cs[i], 0, srv, ctx, true, now)) {
                    cs[j++] = cs[i];
                }
            }
            n = j;
        }
        if (stopping && (n == 0 || now >= deadline)) {
            break;
        }
        if (pfcap < n + 1) {
            pfcap = (n + 1) * 2;
            struct pollfd *np = realloc(pf, pfcap * sizeof(*pf));
            if (!np) {
                break;
            }
            pf = np;
        }
        size_t k = 0;
        if (lfd >= 0) {
            pf[k].fd = lfd;
            pf[k].events = POLLIN;
            pf[k].revents = 0;
            k++;
        }
        int64_t wake = stopping ? deadline : 0;
        for (size_t i = 0; i < n; i++) {
            struct sconn *sc = cs[i];
            short ev = 0;
            if (sc->st == S_DRAIN) {
                ev = POLLIN;
                if (!wake || sc->drain_until < wake) {
                    wake = sc->drain_until;
                }
            } else if (sc->st != S_OPEN) {
                ev = POLLIN | (sc->tls_wants_write ? POLLOUT : 0);
                int64_t at = sc->since + srv->limits.head_ms;
                if (!wake || at < wake) {
                    wake = at;
                }
            } else {
                if (!sc->c.io.dead &&
                    mock_buf_pending(&sc->c.io.in) < (4u << 20)) {
                    ev |= POLLIN;
                }
                if (mock_conn_out_pending(&sc->c) || sc->tls_wants_write ||
                    sc->more) {
                    ev |= POLLOUT;
                }
                if (sc->c.io.wake && (!wake || sc->c.io.wake < wake)) {
                    wake = sc->c.io.wake;
                }
            }
            pf[k].fd = sc->fd;
            pf[k].events = ev;
            pf[k].revents = 0;
            k++;
        }
        struct timespec ts, *tp = NULL;
        if (wake) {
            int64_t d = wake - now;
            if (d < 0) {
                d = 0;
            }
            ts.tv_sec = d / 1000;
            ts.tv_nsec = (d % 1000) * 1000000;
            tp = &ts;
        }
        int pr = ppoll(pf, k, tp, &empty);
        if (pr < 0 && errno != EINTR) {
            perror("h2mock: ppoll");
            break;
        }
        now = mock_now_ms();
        size_t base = lfd >= 0 ? 1 : 0;
        /* existing connections (pf[base + i] belongs to cs[i]) */
        size_t j = 0;
        for (size_t i = 0; i < n; i++) {
            struct sconn *sc = cs[i];
            short rev = pr > 0 ? pf[base + i].revents : 0;
            bool due =
                (sc->st == S_OPEN && sc->c.io.wake && now >= sc->c.io.wake) ||
                (sc->st == S_DRAIN && now >= sc->drain_until);
            if ((sc->st == S_PEEK || sc->st == S_HANDSHAKE) &&
                now >= sc->since + srv->limits.head_ms) {
                /* no first byte or no TLS handshake in time (M15) */
                sconn_close(sc, MOCK_CLOSE_FIN);
                continue;
            }
            if ((rev || due) && !service(sc, rev, srv, ctx, stopping, now)) {
                continue;
            }
            cs[j++] = sc;
        }
        n = j;
        if (lfd >= 0 && pr > 0 && (pf[0].revents & POLLIN)) {
            for (;;) {
                int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0) {
                    break;
                }
                if (!make_room(cs, &n, srv->limits.max_conns)) {
                    close(fd); /* at the cap and every slot is busy */
                    continue;
                }
                int one = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                if (n == cap) {
                    size_t nc = cap ? cap * 2 : 64;
                    struct sconn **ncs = realloc(cs, nc * sizeof(*cs));
                    if (!ncs) {
                        close(fd);
                        continue;
                    }
                    cs = ncs;
                    cap = nc;
                }
                struct sconn *sc = calloc(1, sizeof(*sc));
                if (!sc) {
                    close(fd);
                    continue;
                }
                sc->fd = fd;
                sc->st = S_PEEK;
                sc->since = now;
                cs[n++] = sc;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (cs[i]->st == S_OPEN) {
            mock_conn_abort(&cs[i]->c, "server-stopped");
        }
        sconn_close(cs[i], MOCK_CLOSE_FIN);
    }
    free(cs);
    free(pf);
    if (lfd >= 0) {
        close(lfd);
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o = {.bind = "127.0.0.1",
                     .port = 8080,
                     .seed = 1,
                     .log_keep = 100000,
                     .grace_ms = 2000,
                     .format = "text"};
    const char *check = NULL;
    bool list = false;
    enum {
        O_ROOT = 256,
        O_PORT,
        O_BIND,
        O_FAULTS,
        O_SEED,
        O_CERT,
        O_KEY,
        O_LOG,
        O_KEEP,
        O_GRACE,
        O_LIST,
        O_FORMAT,
        O_CHECK,
        O_HELP,
        O_H1ONLY,
        O_UPDIR,
        O_UPMAX,
        O_UPTIME,
        O_UPOVER,
        O_UPREPLY,
        O_UPHOST,
        O_UPFALL,
        O_LIMIT
    };
    static const struct option lo[] = {
        {"root", required_argument, NULL, O_ROOT},
        {"port", required_argument, NULL, O_PORT},
        {"bind", required_argument, NULL, O_BIND},
        {"faults", required_argument, NULL, O_FAULTS},
        {"seed", required_argument, NULL, O_SEED},
        {"tls-cert", required_argument, NULL, O_CERT},
        {"tls-key", required_argument, NULL, O_KEY},
        {"log", required_argument, NULL, O_LOG},
        {"log-keep", required_argument, NULL, O_KEEP},
        {"grace-ms", required_argument, NULL, O_GRACE},
        {"list-actions", no_argument, NULL, O_LIST},
        {"format", required_argument, NULL, O_FORMAT},
        {"check-faults", required_argument, NULL, O_CHECK},
        {"help", no_argument, NULL, O_HELP},
        {"http1-only", no_argument, NULL, O_H1ONLY},
        {"upload-dir", required_argument, NULL, O_UPDIR},
        {"upload-max", required_argument, NULL, O_UPMAX},
        {"upload-timeout-ms", required_argument, NULL, O_UPTIME},
        {"upload-overwrite", no_argument, NULL, O_UPOVER},
        {"upload-reply", required_argument, NULL, O_UPREPLY},
        {"upload-host-id", required_argument, NULL, O_UPHOST},
        {"upload-host-fallback", required_argument, NULL, O_UPFALL},
#define LIMIT(i) {limit_opts[i].name, required_argument, NULL, O_LIMIT + i}
        LIMIT(0),
        LIMIT(1),
        LIMIT(2),
        LIMIT(3),
        LIMIT(4),
        LIMIT(5),
        LIMIT(6),
#undef LIMIT
        {NULL, 0, NULL, 0},
    };
    _Static_assert(sizeof(limit_opts) / sizeof(limit_opts[0]) == 7,
                   "one long option per limit");
    mock_limits_default(&o.lim);
    o.up.timeout_ms = 1209600000; /* IIS's BITSSessionTimeout: 14 days */
    o.up.host_fallback = -1;
    int ch;
    uint64_t v;
    while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (ch) {
        case O_ROOT:
            o.root = optarg;
            break;
        case O_PORT:
            if (!num_arg(optarg, 65535, &v)) {
                fprintf(stderr, "h2mock: --port %s: expected 0-65535\n",
                        optarg);
                return 2;
            }
            o.port = (int)v;
            break;
        case O_BIND:
            o.bind = optarg;
            break;
        case O_FAULTS:
            o.faults = optarg;
            break;
        case O_SEED:
            if (!num_arg(optarg, UINT64_MAX, &o.seed)) {
                fprintf(stderr,
                        "h2mock: --seed %s: expected an unsigned "
                        "integer\n",
                        optarg);
                return 2;
            }
            break;
        case O_CERT:
            o.cert = optarg;
            break;
        case O_KEY:
            o.key = optarg;
            break;
        case O_LOG:
            o.log = optarg;
            break;
        case O_KEEP:
            if (!num_arg(optarg, 100000000, &v) || v == 0) {
                fprintf(stderr, "h2mock: --log-keep %s: expected 1..1e8\n",
                        optarg);
                return 2;
            }
            o.log_keep = (size_t)v;
            break;
        case O_GRACE:
            if (!num_arg(optarg, 3600000, &v)) {
                fprintf(stderr, "h2mock: --grace-ms %s: expected 0..3600000\n",
                        optarg);
                return 2;
            }
            o.grace_ms = (int64_t)v;
            break;
        case O_LIST:
            list = true;
            break;
        case O_FORMAT:
            o.format = optarg;
            break;
        case O_CHECK:
            check = optarg;
            break;
        case O_H1ONLY:
            o.http1_only = true;
            break;
        case O_UPDIR:
            o.up_dir = optarg;
            break;
        case O_UPMAX:
            if (!num_arg(optarg, UINT64_MAX, &o.up.max_upload)) {
                fprintf(stderr,
                        "h2mock: --upload-max %s: expected a byte "
                        "count\n",
                        optarg);
                return 2;
            }
            break;
        case O_UPTIME:
            if (!num_arg(optarg, (uint64_t)1 << 40, &v) || v == 0) {
                fprintf(stderr,
                        "h2mock: --upload-timeout-ms %s: expected "
                        "1..2^40\n",
                        optarg);
                return 2;
            }
            o.up.timeout_ms = (int64_t)v;
            break;
        case O_UPOVER:
            o.up.overwrite = true;
            break;
        case O_UPREPLY:
            if (optarg[0] != '/') {
                fprintf(stderr,
                        "h2mock: --upload-reply %s: a path prefix "
                        "starting with /\n",
                        optarg);
                return 2;
            }
            o.up_reply = optarg;
            break;
        case O_UPHOST:
            if (!*optarg || strlen(optarg) >= sizeof(o.up.host_id) ||
                strpbrk(optarg, " \r\n\t")) {
                fprintf(stderr,
                        "h2mock: --upload-host-id %s: a host name "
                        "or address\n",
                        optarg);
                return 2;
            }
            snprintf(o.up.host_id, sizeof(o.up.host_id), "%s", optarg);
            break;
        case O_UPFALL:
            if (!num_arg(optarg, 0xffffffffu, &v)) {
                fprintf(stderr,
                        "h2mock: --upload-host-fallback %s: "
                        "expected seconds\n",
                        optarg);
                return 2;
            }
            o.up.host_fallback = (int64_t)v;
            break;
        case O_HELP:
            fputs(usage, stdout);
            return 0;
        default:
            if (ch >= O_LIMIT && ch < O_LIMIT + 7) {
                if (limit_arg(&limit_opts[ch - O_LIMIT], optarg, &o.lim) < 0) {
                    return 2;
                }
                break;
            }
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "h2mock: unexpected argument '%s' (see --help)\n",
                argv[optind]);
        return 2;
    }
    if (list) {
        bool md = !strcmp(o.format, "markdown");
        if (!md && strcmp(o.format, "text") != 0) {
            fprintf(stderr, "h2mock: --format %s: text or markdown\n",
                    o.format);
            return 2;
        }
        return mock_actions_doc(stdout, md) == 0 ? 0 : 1;
    }
    char err[1024];
    if (check) {
        struct mock_rules rs;
        mock_rules_init(&rs, o.seed);
        int rc = mock_rules_load(&rs, check, err, sizeof(err));
        if (rc < 0) {
            fprintf(stderr, "h2mock: %s\n", err);
        } else {
            printf("%s: %zu rules OK\n", check, rs.n);
        }
        mock_rules_clear(&rs);
        return rc < 0 ? 2 : 0;
    }
    if (!o.root) {
        fprintf(stderr, "h2mock: --root DIR is required (see --help)\n");
        return 2;
    }
    if (!o.up_dir &&
        (o.up_reply || o.up.host_id[0] || o.up.max_upload || o.up.overwrite)) {
        fprintf(stderr, "h2mock: the --upload-* options need --upload-dir\n");
        return 2;
    }
    if (o.up.host_fallback >= 0 && !o.up.host_id[0]) {
        fprintf(stderr, "h2mock: --upload-host-fallback needs "
                        "--upload-host-id\n");
        return 2;
    }
    if (!o.cert != !o.key) {
        fprintf(stderr, "h2mock: --tls-cert and --tls-key go together\n");
        return 2;
    }
    struct mock_server srv;
    if (mock_server_init(&srv, o.root, o.seed, err, sizeof(err)) < 0) {
        fprintf(stderr, "h2mock: %s\n", err);
        return 2;
    }
    mock_log_free(&srv.log);
    mock_log_init(&srv.log, o.log_keep);
    srv.http1_only = o.http1_only;
    srv.limits = o.lim;
    int rc = 2;
    SSL_CTX *ctx = NULL;
    if (o.up_dir && mock_upload_open(&srv.up, o.up_dir, &o.up, o.up_reply,
                                     o.seed, err, sizeof(err)) < 0) {
        fprintf(stderr, "h2mock: %s\n", err);
        goto out;
    }
    if (o.faults &&
        mock_rules_load(&srv.rules, o.faults, err, sizeof(err)) < 0) {
        fprintf(stderr, "h2mock: %s\n", err);
        goto out;
    }
    if (o.log) {
        srv.log.file = fopen(o.log, "w");
        if (!srv.log.file) {
            fprintf(stderr, "h2mock: --log %s: %s\n", o.log, strerror(errno));
            goto out;
        }
    }
    if (o.cert) {
        ctx = tls_setup(o.cert, o.key, &srv.http1_only);
        if (!ctx) {
            goto out;
        }
    }
    rc = run(&o, &srv, ctx);
out:
    if (ctx) {
        SSL_CTX_free(ctx);
    }
    mock_server_free(&srv);
    return rc;
}
