/*
 * upcore.c - the BITS Upload Protocol's server side, I/O-free.
 *
 * Owns the session table (ids from the seeded generator, ordinals for
 * rules, the no-progress timeout on the caller's clock) and the answer
 * to each packet: Ping, Create-Session (protocol negotiation, the
 * overwrite rule, BITS-Host-Id), Fragment (Content-Range, contiguous or
 * overlapping, 416 on a gap, the maximum upload size), Close-Session and
 * Cancel-Session, with the upload faults of a fired rule applied.  It
 * never touches a file: the answer says which body bytes go where and
 * when the upload is complete; upload.c carries that out.  Facts and
 * the choices where sources are silent: /work/shared/spec/
 * upload-protocol.md and docs/decisions.md (M18-M25).
 */
#include "mock.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const pt_names[] = {
    "none",          "Ping",           "Create-Session", "Fragment",
    "Close-Session", "Cancel-Session", "unknown",
};

const char *mock_bits_pt_name(enum mock_bits_pt t)
{
    return pt_names[t <= MOCK_BP_UNKNOWN ? t : MOCK_BP_UNKNOWN];
}

enum mock_bits_pt mock_bits_pt_parse(const char *s)
{
    /* every known server compares the packet type case-insensitively */
    for (int t = MOCK_BP_PING; t < MOCK_BP_UNKNOWN; t++) {
        if (!strcasecmp(s, pt_names[t])) {
            return (enum mock_bits_pt)t;
        }
    }
    return MOCK_BP_NONE;
}

void mock_bits_init(struct mock_bits *b, const struct mock_bits_cfg *cfg,
                    uint64_t seed)
{
    memset(b, 0, sizeof(*b));
    b->cfg = *cfg;
    b->rng = seed ^ 0xb175b175b175ULL;
}

void mock_bits_session_free(struct mock_bits_session *s)
{
    if (s) {
        free(s->path);
        free(s);
    }
}

void mock_bits_free(struct mock_bits *b)
{
    for (size_t i = 0; i < b->n; i++) {
        mock_bits_session_free(b->v[i]);
    }
    free(b->v);
    b->v = NULL;
    b->n = b->cap = 0;
}

static size_t find_idx(const struct mock_bits *b, const char *id)
{
    for (size_t i = 0; id && i < b->n; i++) {
        if (!strcasecmp(b->v[i]->id, id)) {
            return i;
        }
    }
    return (size_t)-1;
}

struct mock_bits_session *mock_bits_find(const struct mock_bits *b,
                                         const char *id)
{
    size_t i = find_idx(b, id);
    return i == (size_t)-1 ? NULL : b->v[i];
}

static struct mock_bits_session *take(struct mock_bits *b, size_t i)
{
    struct mock_bits_session *s = b->v[i];
    memmove(&b->v[i], &b->v[i + 1], (b->n - i - 1) * sizeof(*b->v));
    b->n--;
    return s;
}

struct mock_bits_session *mock_bits_expire(struct mock_bits *b, int64_t now)
{
    for (size_t i = 0; i < b->n; i++) {
        if (b->cfg.timeout_ms > 0 &&
            now - b->v[i]->last_ms >= b->cfg.timeout_ms) {
            return take(b, i);
        }
    }
    return NULL;
}

static bool digits(const char **pp, uint64_t *v)
{
    const char *p = *pp;
    uint64_t x = 0;
    if (*p < '0' || *p > '9') {
        return false;
    }
    while (*p >= '0' && *p <= '9') {
        if (x > (UINT64_MAX - 9) / 10) {
            return false;
        }
        x = x * 10 + (uint64_t)(*p++ - '0');
    }
    *pp = p;
    *v = x;
    return true;
}

int mock_bits_range(const char *v, uint64_t *first, uint64_t *last,
                    uint64_t *total)
{
    /* Win32 shows "Bytes", Windows-tested servers read "bytes": either */
    if (!v || strncasecmp(v, "bytes ", 6) != 0) {
        return -1;
    }
    const char *p = v + 6;
    while (*p == ' ') {
        p++;
    }
    if (!digits(&p, first) || *p++ != '-' || !digits(&p, last) || *p++ != '/' ||
        !digits(&p, total) || *p) {
        return -1;
    }
    return *first <= *last && *last < *total ? 0 : -1;
}

void mock_bits_key(const struct mock_bits *b, const struct mock_bits_pkt *p,
                   struct mock_bits_key *k)
{
    memset(k, 0, sizeof(*k));
    k->packet = p->type;
    const struct mock_bits_session *s = mock_bits_find(b, p->session);
    if (!s) {
        return;
    }
    k->session = s->ordinal;
    uint64_t first, last, total;
    if (p->type == MOCK_BP_FRAGMENT) {
        k->fragment = s->fragments + 1;
        k->last = mock_bits_range(p->range, &first, &last, &total) == 0 &&
                  last + 1 == total;
    }
}

static void answer(struct mock_bits_ans *a, int status, int64_t error,
                   const char *why)
{
    a->status = status;
    a->error = error;
    a->context = error >= 0 ? 5 : 0;
    a->why = why;
}

static int create(struct mock_bits *b, const struct mock_bits_pkt *p,
                  const struct mock_bits_fault *f, struct mock_bits_ans *a)
{
    const char *pr = p->protocols;
    bool ours = false;
    /* space- or comma-separated GUIDs, most preferred first (MC-BUP) */
    while (pr && *pr) {
        size_t n = strcspn(pr, " ,\t");
        if (n == strlen(MOCK_BITS_PROTOCOL) &&
            !strncasecmp(pr, MOCK_BITS_PROTOCOL, n)) {
            ours = true;
        }
        pr += n;
        pr += strspn(pr, " ,\t");
    }
    if (!p->protocols) {
        answer(a, 400, MOCK_E_INVALIDARG, "no BITS-Supported-Protocols");
        return 0;
    }
    if (!ours) {
        answer(a, 400, MOCK_E_INVALIDARG, "no common protocol");
        return 0;
    }
    if (p->dest_exists && !b->cfg.overwrite) {
        answer(a, 409, -1, "the file exists and may not be overwritten");
        return 0;
    }
    struct mock_bits_session *s = calloc(1, sizeof(*s));
    if (!s || !(s->path = strdup(p->path))) {
        free(s);
        return -1;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        struct mock_bits_session **v = realloc(b->v, cap * sizeof(*v));
        if (!v) {
            mock_bits_session_free(s);
            return -1;
        }
        b->v = v;
        b->cap = cap;
    }
    uint64_t hi = mock_rand(&b->rng), lo = mock_rand(&b->rng);
    /* a version-4 GUID in braces, lower case (MS-DTYP §2.3.4.3 form) */
    snprintf(s->id, sizeof(s->id), "{%08x-%04x-4%03x-%04x-%012llx}",
             (unsigned)(hi >> 32), (unsigned)(hi >> 16) & 0xffffu,
             (unsigned)hi & 0xfffu, (unsigned)((lo >> 48) & 0x3fffu) | 0x8000u,
             (unsigned long long)(lo & 0xffffffffffffULL));
    s->ordinal = ++b->ordinals;
    s->last_ms = p->now;
    if (f && f->reply.on) {
        s->reply = f->reply;
    }
    b->v[b->n++] = s;
    answer(a, 200, -1, "session created");
    a->session = s->id;
    a->protocol = true;
    a->host_id = b->cfg.host_id[0] != 0;
    a->s = s;
    a->create = true;
    return 0;
}

static void fragment(struct mock_bits *b, const struct mock_bits_pkt *p,
                     const struct mock_bits_fault *f,
                     struct mock_bits_session *s, struct mock_bits_ans *a)
{
    uint64_t first, last, total;
    a->session = s->id;
    a->s = s;
    s->fragments++; /* every Fragment counts (the rules' fragment=N) */
    if (mock_bits_range(p->range, &first, &last, &total) < 0 ||
        last - first + 1 != p->body_len ||
        (s->total_known && total != s->total)) {
        answer(a, 400, MOCK_E_INVALIDARG, "bad Content-Range");
        return;
    }
    if (b->cfg.max_upload && total > b->cfg.max_upload) {
        answer(a, 400, MOCK_BG_E_TOO_LARGE, "over the maximum upload size");
        return;
    }
    enum mock_bits_fk fk = f ? f->kind : MOCK_BF_NONE;
    if (fk == MOCK_BF_FRAG_LIMIT && p->body_len > (uint64_t)f->n) {
        answer(a, 413, -1, "fragment too large");
        return;
    }
    s->total = total;
    s->total_known = true;
    if (fk == MOCK_BF_416) {
        /* the server "lost" what lies beyond n (when it had more) */
        if ((uint64_t)f->n < s->received && !s->complete) {
            s->received = (uint64_t)f->n;
            a->truncate = true;
        }
        answer(a, 416, -1, "fault: range not satisfiable");
        a->received = f->n;
        return;
    }
    if (s->complete) {
        /* a retried final fragment after a lost Ack: the back end is
         * notified again (MC-BUP §3.2.5.1.2); others just learn where
         * the server stands */
        answer(a, 200, -1, "already complete");
        a->received = (int64_t)s->total;
        a->finish = last + 1 == total;
        a->reply_url = a->finish && s->reply.on;
        return;
    }
    if (first > s->received) {
        answer(a, 416, -1, "not contiguous");
        a->received = (int64_t)s->received;
        return;
    }
    uint64_t end = last + 1; /* new bytes: [received, end) */
    if (fk == MOCK_BF_SHORT) {
        uint64_t k = (uint64_t)f->n;
        end = end > k ? end - k : 0;
    }
    if (end > s->received) {
        a->skip = s->received - first;
        a->write_off = s->received;
        a->write_len = end - s->received;
        s->received = end;
        s->last_ms = p->now;
    }
    answer(a, 200, -1, "fragment received");
    a->received = (int64_t)s->received;
    if (s->received == total) {
        s->complete = true;
        a->finish = true;
        a->reply_url = s->reply.on;
    }
}

int mock_bits_step(struct mock_bits *b, const struct mock_bits_pkt *p,
                   const struct mock_bits_fault *f, struct mock_bits_ans *a)
{
    memset(a, 0, sizeof(*a));
    a->received = -1;
    answer(a, 200, -1, "ok");
    enum mock_bits_fk fk = f ? f->kind : MOCK_BF_NONE;
    if (p->type == MOCK_BP_NONE || p->type == MOCK_BP_UNKNOWN) {
        answer(a, 400, MOCK_E_INVALIDARG, "unknown BITS-Packet-Type");
        return 0;
    }
    if (p->need_length && !p->has_length) {
        answer(a, 411, MOCK_E_INVALIDARG, "Content-Length required");
        return 0;
    }
    if (fk == MOCK_BF_CHALLENGE && !p->credentials) {
        answer(a, f->status, -1, "authentication required");
        a->challenge =
            f->status == 407 ? "proxy-authenticate" : "www-authenticate";
        return 0;
    }
    if (fk == MOCK_BF_ERROR) {
        answer(a, f->status, f->error, "fault: error");
        a->context = f->context;
        a->session = mock_bits_find(b, p->session)
                         ? mock_bits_find(b, p->session)->id
                         : NULL;
        return 0;
    }
    if (p->type == MOCK_BP_PING) {
        answer(a, 200, -1, "pong");
        return 0;
    }
    if (p->type == MOCK_BP_CREATE) {
        return create(b, p, f, a);
    }
    if (!p->session) {
        /* no id at all breaks the message rules (MC-BUP §3.2.5.2.3) */
        answer(a, 400, MOCK_E_INVALIDARG, "no BITS-Session-Id");
        return 0;
    }
    size_t i = find_idx(b, p->session);
    if (i == (size_t)-1 || fk == MOCK_BF_NOT_FOUND) {
        if (i != (size_t)-1) {
            a->gone = take(b, i); /* the fault forgets the session */
        }
        answer(a, 500, MOCK_BG_E_SESSION_NOT_FOUND, "session not found");
        return 0;
    }
    struct mock_bits_session *s = b->v[i];
    if (p->type == MOCK_BP_FRAGMENT) {
        fragment(b, p, f, s, a);
        if (a->finish && f && f->reply.on) {
            s->reply = f->reply; /* a rule on the final fragment decides */
            a->reply_url = true;
        }
        if (a->finish && fk == MOCK_BF_BACKEND) {
            answer(a, f->status, f->error, "fault: back end failed");
            a->context = 7;
            a->backend_fail = true;
            a->reply_url = false;
        }
        if (a->reply_url && f && f->no_reply_url) {
            a->reply_url = false;
        }
        return 0;
    }
    /* Close-Session and Cancel-Session end the session either way; a
     * Close before the last byte drops the partial file (W:close-session)
     * and a Cancel after it leaves the committed upload in place (U23). */
    a->gone = take(b, i);
    answer(a, 200, -1,
           p->type == MOCK_BP_CLOSE ? (s->complete ? "closed"
                                                   : "closed, partial "
                                                     "upload dropped")
                                    : "cancelled");
    a->session = s->id;
    return 0;
}
