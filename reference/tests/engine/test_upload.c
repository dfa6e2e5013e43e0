/*
 * test_upload.c - the client core of the BITS Upload Protocol
 * (ref_upload.c), driven by scripted Acks: each case starts a session
 * (size, upload-reply or not, what the store kept), then walks steps: the
 * action the core asks for next ("C" Create-Session, "P" Ping,
 * "F first+length", "X" Close-Session, "K" Cancel-Session, "R" fetch the
 * reply, "D" done, "E" fail), optionally the exact headers of that packet, and
 * the Ack it gets.  Then the last action, the error and the acknowledged
 * offset. No sockets.
 */
#include "eng_test.h"
#include "ref_upload.h"

#include <bitsmsg.h>
#include <string.h>

/* Steps leave the headers and the Ack out where they do not matter. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct step {
    const char *next; /* expected action; "~" = a new attempt (retry),
                         "!" = the job is cancelled; neither gets an Ack */
    const char *hdrs; /* expected packet headers, or NULL */
    long status;
    const char *ack; /* header block, lines separated by '\n' */
};

struct ucase {
    uint64_t size;
    bool reply;
    const char *id; /* stored session, or NULL */
    uint64_t acked;
    bool reply_done;
    uint64_t fragment; /* 0 = the default */
    struct step steps[12];
    const char *end; /* action after the last step */
    HRESULT hr;      /* when end is "E" */
    BG_ERROR_CONTEXT ctx;
    bool transient;
    uint64_t acked_end;
};

#define SID "{5e53c221-f2d6-4bf2-b994-1dc43ceaca8d}"
#define SID2 "{0b0e0f00-0000-4000-8000-000000000002}"
#define ACK "\nBITS-Packet-Type: Ack\nContent-Length: 0"
#define CREATED(id)                                                            \
    "HTTP/1.1 200 OK" ACK "\nBITS-Protocol: " REF_UP_PROTOCOL                  \
    "\nBITS-Session-Id: " id "\nAccept-Encoding: Identity"
#define GOT(n)                                                                 \
    "HTTP/1.1 200 OK" ACK "\nBITS-Session-Id: " SID                            \
    "\nBITS-Received-Content-Range: " #n
#define GAP(n)                                                                 \
    "HTTP/1.1 416 Range Not Satisfiable" ACK                                   \
    "\nBITS-Received-Content-Range: " #n
#define BERR(st, code, ctx)                                                    \
    "HTTP/1.1 " #st " X" ACK "\nBITS-Error-Code: " code                        \
    "\nBITS-Error-Context: " ctx
#define NOSESSION BERR(500, "0x8020001F", "0x5")
#define OK200 "HTTP/1.1 200 OK" ACK
#define C                                                                      \
    {                                                                          \
        "C", NULL, 200, CREATED(SID)                                           \
    }
#define URL "http://127.0.0.1:1/_bits/reply/x"
/* Create-Session's Ack naming a BITS-Host-Id, and the Create-Session step
 * that gets it */
#define CREATED_HOST(id) CREATED(id) "\nBITS-Host-Id: node7"
#define CH                                                                     \
    {                                                                          \
        "C", NULL, 200, CREATED_HOST(SID)                                      \
    }

static void describe(enum ref_up_action a, const struct ref_up_packet_desc *p,
                     char *out, size_t n)
{
    static const char letter[] = {'?', 'C', 'F', 'X', 'K', 'P'};

    switch (a) {
    case REF_UP_SEND:
        if (p->type == REF_UP_FRAGMENT)
            snprintf(out, n, "F %llu+%llu", (unsigned long long)p->first,
                     (unsigned long long)p->length);
        else
            snprintf(out, n, "%c", letter[p->type]);
        return;
    case REF_UP_GET_REPLY:
        snprintf(out, n, "R");
        return;
    case REF_UP_DONE:
        snprintf(out, n, "D");
        return;
    case REF_UP_FAIL:
        snprintf(out, n, "E");
        return;
    }
}

static void run(const struct ucase *c)
{
    struct ref_up_session s;
    struct ref_up_packet_desc p = {0};
    enum ref_up_action a;
    char got[64], hdrs[512];

    ref_up_init(&s, c->size, c->reply, c->id, c->acked, c->reply_done);
    if (c->fragment)
        s.fragment = c->fragment;
    for (size_t i = 0; i < 12 && c->steps[i].next; i++) {
        const struct step *st = &c->steps[i];

        if (strcmp(st->next, "~") == 0) {
            ref_up_retry(&s);
            continue;
        }
        if (strcmp(st->next, "!") == 0) {
            ref_up_cancel(&s);
            continue;
        }
        a = ref_up_next(&s, &p);
        describe(a, &p, got, sizeof got);
        ENG_EQ_STR(got, st->next);
        if (strcmp(got, st->next) != 0)
            return;
        if (st->hdrs) {
            ENG_EQ_INT(ref_up_headers(&s, "file.bin", hdrs, sizeof hdrs) > 0,
                       true);
            ENG_EQ_STR(hdrs, st->hdrs);
        }
        if (a == REF_UP_GET_REPLY) {
            ENG_EQ_STR(s.reply_url, URL);
            ref_up_reply_done(&s);
            continue;
        }
        if (a != REF_UP_SEND)
            return;
        {
            char block[1024];

            /* libcurl hands lines with CRLF */
            size_t k = 0;
            for (const char *q = st->ack; *q && k + 3 < sizeof block; q++) {
                if (*q == '\n')
                    block[k++] = '\r';
                block[k++] = *q;
            }
            block[k++] = '\r';
            block[k++] = '\n';
            block[k] = '\0';
            ref_up_judge(&s, st->status, block);
        }
    }
    a = ref_up_next(&s, &p);
    if (s.error.hr != 0 || strcmp(c->end, "E") == 0) {
        /* a failure is reported by the judgement, not by next() */
        ENG_EQ_STR("E", c->end);
        ENG_EQ_HR(s.error.hr, c->hr);
        ENG_EQ_INT(s.error.context, c->ctx);
        ENG_EQ_INT(s.error.transient, c->transient);
    } else {
        describe(a, &p, got, sizeof got);
        ENG_EQ_STR(got, c->end);
    }
    ENG_EQ_U64(s.acked, c->acked_end);
}

#define UCASE(id, ...)                                                         \
    static const struct ucase id##_c = {__VA_ARGS__};                          \
    static void id(void)                                                       \
    {                                                                          \
        run(&id##_c);                                                          \
    }

/* Three fragments in order, every packet's exact headers, then Close. */
UCASE(plain_upload_in_fragments, 10, false, NULL, 0, false, 4,
      {{"C",
        "BITS-Packet-Type: Create-Session\r\n"
        "BITS-Supported-Protocols: " REF_UP_PROTOCOL,
        200, CREATED(SID)},
       {"F 0+4",
        "BITS-Packet-Type: Fragment\r\nBITS-Session-Id: " SID
        "\r\nContent-Range: bytes 0-3/10\r\nContent-Name: file.bin",
        200, GOT(4)},
       {"F 4+4",
        "BITS-Packet-Type: Fragment\r\nBITS-Session-Id: " SID
        "\r\nContent-Range: bytes 4-7/10",
        200, GOT(8)},
       {"F 8+2", NULL, 200, GOT(10)},
       {"X", "BITS-Packet-Type: Close-Session\r\nBITS-Session-Id: " SID, 200,
        OK200}},
      "D", 0, 0, false, 10)

/* 201 Created is a success too (spec U7). */
UCASE(create_201_is_success, 3, false, NULL, 0, false, 0,
      {{"C", NULL, 201, "HTTP/1.1 201 Created" ACK "\nBITS-Session-Id: " SID},
       {"F 0+3", NULL, 200, GOT(3)},
       {"X", NULL, 200, OK200}},
      "D", 0, 0, false, 3)

/* The store's session and offset: no Create-Session, no byte again. */
UCASE(resume_from_store, 10, false, SID, 6, false, 4,
      {{"F 6+4",
        "BITS-Packet-Type: Fragment\r\nBITS-Session-Id: " SID
        "\r\nContent-Range: bytes 6-9/10",
        200, GOT(10)},
       {"X", NULL, 200, OK200}},
      "D", 0, 0, false, 10)

/* A plain upload the server fully acknowledged before the restart. */
UCASE(resume_after_final_ack, 10, false, SID, 10, false, 4,
      {{"X", NULL, 200, OK200}}, "D", 0, 0, false, 10)

/* 416 names the offset the server expects: continue exactly there. */
UCASE(gap_416_moves_offset, 10, false, NULL, 0, false, 4,
      {C,
       {"F 0+4", NULL, 200, GOT(4)},
       {"F 4+4", NULL, 416, GAP(2)},
       {"F 2+4", NULL, 200, GOT(6)},
       {"F 6+4", NULL, 200, GOT(10)}},
      "X", 0, 0, false, 10)

/* 200 with a short offset: the rest of that fragment goes again. */
UCASE(short_200_resends_from_offset, 10, false, NULL, 0, false, 4,
      {C, {"F 0+4", NULL, 200, GOT(1)}, {"F 1+4", NULL, 200, GOT(5)}}, "F 5+4",
      0, 0, false, 5)

/* A 416 naming the very offset sent would loop for ever. */
UCASE(gap_416_same_offset_fails, 10, false, NULL, 0, false, 4,
      {C, {"F 0+4", NULL, 200, GOT(4)}, {"F 4+4", NULL, 416, GAP(4)}}, "E",
      BG_E_INVALID_SERVER_RESPONSE, BG_ERROR_CONTEXT_REMOTE_FILE, true, 4)

/* 413 halves the fragment down to the floor and keeps it shrunk. */
UCASE(shrink_on_413, 20000, false, NULL, 0, false, 0,
      {C,
       {"F 0+20000", NULL, 413, "HTTP/1.1 413 Too Large" ACK},
       {"F 0+10000", NULL, 413, "HTTP/1.1 413 Too Large" ACK},
       {"F 0+5000", NULL, 200, GOT(5000)},
       {"F 5000+5000", NULL, 200, GOT(10000)}},
      "F 10000+5000", 0, 0, false, 10000)

/* 413 on a fragment at the floor: the job fails with the status. */
UCASE(shrink_below_floor_fails, 20000, false, NULL, 0, false, 8000,
      {C,
       {"F 0+8000", NULL, 413, "HTTP/1.1 413 Too Large" ACK},
       {"F 0+4096", NULL, 413, "HTTP/1.1 413 Too Large" ACK}},
      "E", (HRESULT)0x8019019D, BG_ERROR_CONTEXT_REMOTE_FILE, false, 0)

/* BG_E_SESSION_NOT_FOUND on a Fragment: a new session from offset 0. */
UCASE(session_not_found_restarts, 10, false, NULL, 0, false, 4,
      {C,
       {"F 0+4", NULL, 200, GOT(4)},
       {"F 4+4", NULL, 500, NOSESSION},
       {"C", NULL, 200, CREATED(SID2)},
       {"F 0+4",
        "BITS-Packet-Type: Fragment\r\nBITS-Session-Id: " SID2
        "\r\nContent-Range: bytes 0-3/10\r\nContent-Name: file.bin",
        200, GOT(4)}},
      "F 4+4", 0, 0, false, 4)

/* A stored session the server has forgotten: same restart. */
UCASE(stored_session_not_found, 10, false, SID, 6, false, 4,
      {{"F 6+4", NULL, 500, NOSESSION}, C}, "F 0+4", 0, 0, false, 0)

/* Restarts that never get a byte acknowledged end in a transient error. */
UCASE(session_not_found_loop_fails, 10, false, NULL, 0, false, 4,
      {C,
       {"F 0+4", NULL, 500, NOSESSION},
       C,
       {"F 0+4", NULL, 500, NOSESSION},
       C,
       {"F 0+4", NULL, 500, NOSESSION},
       C,
       {"F 0+4", NULL, 500, NOSESSION}},
      "E", BG_E_SESSION_NOT_FOUND, BG_ERROR_CONTEXT_REMOTE_FILE, true, 0)

/* Close-Session: 5xx is sent again, three times in all, then the job
 * fails transiently (and the next attempt closes again). */
UCASE(close_5xx_resent, 3, false, SID, 3, false, 0,
      {{"X", NULL, 503, "HTTP/1.1 503 X" ACK},
       {"X", NULL, 503, "HTTP/1.1 503 X" ACK},
       {"X", NULL, 503, "HTTP/1.1 503 X" ACK}},
      "E", (HRESULT)0x801901F7, BG_ERROR_CONTEXT_REMOTE_FILE, true, 3)

UCASE(close_5xx_then_retry_closes, 3, false, SID, 3, false, 0,
      {{"X", NULL, 503, "HTTP/1.1 503 X" ACK},
       {"X", NULL, 503, "HTTP/1.1 503 X" ACK},
       {"X", NULL, 503, "HTTP/1.1 503 X" ACK},
       {"~"},
       {"X", NULL, 200, OK200}},
      "D", 0, 0, false, 3)

/* 1xx-4xx on Close: not sent again; the file is with the server. */
UCASE(close_4xx_not_resent, 3, false, SID, 3, false, 0,
      {{"X", NULL, 404, BERR(404, "0x80190194", "0x5")}}, "D", 0, 0, false, 3)

/* Session not found on Close after the final byte: nothing to restart. */
UCASE(close_session_not_found_done, 3, false, SID, 3, false, 0,
      {{"X", NULL, 500, NOSESSION}}, "D", 0, 0, false, 3)

/* Cancel: Cancel-Session with the session; never a new session. */
UCASE(cancel_sends_cancel_session, 10, false, SID, 4, false, 0,
      {{"!"},
       {"K", "BITS-Packet-Type: Cancel-Session\r\nBITS-Session-Id: " SID, 500,
        NOSESSION}},
      "D", 0, 0, false, 4)

UCASE(cancel_5xx_resent, 10, false, SID, 4, false, 0,
      {{"!"}, {"K", NULL, 502, "HTTP/1.1 502 X" ACK}, {"K", NULL, 200, OK200}},
      "D", 0, 0, false, 4)

UCASE(cancel_without_session, 10, false, NULL, 0, false, 0, {{"!"}}, "D", 0, 0,
      false, 0)

/* Upload-reply: the Ack of the final byte names the reply; it is fetched
 * before Close-Session. */
UCASE(reply_fetched_before_close, 10, true, NULL, 0, false, 0,
      {C,
       {"F 0+10", NULL, 200, GOT(10) "\nBITS-Reply-URL: " URL},
       {"R"},
       {"X", NULL, 200, OK200}},
      "D", 0, 0, false, 10)

/* No BITS-Reply-URL on the final Ack: an error (MC-BUP §3.1.5.2.4); the
 * next attempt sends the final byte again to learn it (decision UP8). */
UCASE(reply_url_missing, 10, true, NULL, 0, false, 0,
      {C,
       {"F 0+10", NULL, 200, GOT(10)},
       {"~"},
       {"F 9+1", NULL, 200, GOT(10) "\nBITS-Reply-URL: " URL},
       {"R"}},
      "X", 0, 0, false, 10)

UCASE(reply_url_missing_fails, 10, true, NULL, 0, false, 0,
      {C, {"F 0+10", NULL, 200, GOT(10)}}, "E", BG_E_INVALID_SERVER_RESPONSE,
      BG_ERROR_CONTEXT_REMOTE_FILE, true, 10)

UCASE(reply_url_not_http, 10, true, NULL, 0, false, 0,
      {C, {"F 0+10", NULL, 200, GOT(10) "\nBITS-Reply-URL: ftp://x/r"}}, "E",
      BG_E_INVALID_SERVER_RESPONSE, BG_ERROR_CONTEXT_REMOTE_FILE, true, 10)

/* After a restart: the store has the offset, not the reply's URL. */
UCASE(reply_resumed_after_final_ack, 10, true, SID, 10, false, 0,
      {{"F 9+1", NULL, 200, GOT(10) "\nBITS-Reply-URL: " URL}, {"R"}}, "X", 0,
      0, false, 10)

UCASE(reply_resumed_after_fetch, 10, true, SID, 10, true, 0, {{NULL}}, "X", 0,
      0, false, 10)

/* Back-end errors (context 0x7) follow the back-end table. */
UCASE(backend_503_transient, 10, true, NULL, 0, false, 0,
      {C, {"F 0+10", NULL, 503, BERR(503, "0x801901F7", "0x7")}}, "E",
      (HRESULT)0x801901F7, BG_ERROR_CONTEXT_REMOTE_APPLICATION, true, 0)

UCASE(backend_501_fatal, 10, true, NULL, 0, false, 0,
      {C, {"F 0+10", NULL, 501, BERR(501, "0x801901F5", "0x7")}}, "E",
      (HRESULT)0x801901F5, BG_ERROR_CONTEXT_REMOTE_APPLICATION, false, 0)

UCASE(backend_409_transient, 10, true, NULL, 0, false, 0,
      {C, {"F 0+10", NULL, 409, BERR(409, "0x80190199", "0x7")}}, "E",
      (HRESULT)0x80190199, BG_ERROR_CONTEXT_REMOTE_APPLICATION, true, 0)

UCASE(backend_403_fatal, 10, true, NULL, 0, false, 0,
      {C, {"F 0+10", NULL, 403, BERR(403, "0x80190193", "0x7")}}, "E",
      (HRESULT)0x80190193, BG_ERROR_CONTEXT_REMOTE_APPLICATION, false, 0)

/* Server errors (context 0x5) on Create-Session. */
UCASE(create_409_without_bits_headers, 10, false, NULL, 0, false, 0,
      {{"C", NULL, 409, "HTTP/1.1 409 Conflict" ACK}}, "E", (HRESULT)0x80190199,
      BG_ERROR_CONTEXT_REMOTE_FILE, false, 0)

UCASE(create_403_access_denied, 10, false, NULL, 0, false, 0,
      {{"C", NULL, 403, BERR(403, "0x80070005", "0x5")}}, "E", E_ACCESSDENIED,
      BG_ERROR_CONTEXT_REMOTE_FILE, false, 0)

UCASE(create_no_common_protocol, 10, false, NULL, 0, false, 0,
      {{"C", NULL, 400, BERR(400, "0x80070057", "0x5")}}, "E", E_INVALIDARG,
      BG_ERROR_CONTEXT_REMOTE_FILE, false, 0)

UCASE(create_disabled_501, 10, false, NULL, 0, false, 0,
      {{"C", NULL, 501, BERR(501, "0x80070005", "0x5")}}, "E", E_ACCESSDENIED,
      BG_ERROR_CONTEXT_REMOTE_FILE, false, 0)

UCASE(create_500_plain, 10, false, NULL, 0, false, 0,
      {{"C", NULL, 500, "HTTP/1.1 500 Oops\nContent-Length: 0"}}, "E",
      (HRESULT)0x801901F4, BG_ERROR_CONTEXT_REMOTE_FILE, true, 0)

UCASE(create_401_unanswered, 10, false, NULL, 0, false, 0,
      {{"C", NULL, 401, "HTTP/1.1 401 Unauthorized" ACK}}, "E",
      (HRESULT)0x80190191, BG_ERROR_CONTEXT_REMOTE_FILE, false, 0)

UCASE(create_other_protocol, 10, false, NULL, 0, false, 0,
      {{"C", NULL, 200,
        "HTTP/1.1 200 OK" ACK "\nBITS-Session-Id: " SID
        "\nBITS-Protocol: {00000000-0000-0000-0000-000000000000}"}},
      "E", BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH, BG_ERROR_CONTEXT_REMOTE_FILE,
      false, 0)

UCASE(create_without_session_id, 10, false, NULL, 0, false, 0,
      {{"C", NULL, 200, OK200}}, "E", BG_E_INVALID_SERVER_RESPONSE,
      BG_ERROR_CONTEXT_REMOTE_FILE, true, 0)

UCASE(create_200_not_an_ack, 10, false, NULL, 0, false, 0,
      {{"C", NULL, 200, "HTTP/1.1 200 OK\nBITS-Session-Id: " SID}}, "E",
      BG_E_INVALID_SERVER_RESPONSE, BG_ERROR_CONTEXT_REMOTE_FILE, true, 0)

/* The maximum upload size (h2mock: 400 + BG_E_TOO_LARGE). */
UCASE(fragment_too_large, 10, false, NULL, 0, false, 0,
      {C, {"F 0+10", NULL, 400, BERR(400, "0x80200020", "0x5")}}, "E",
      BG_E_TOO_LARGE, BG_ERROR_CONTEXT_REMOTE_FILE, false, 0)

UCASE(fragment_without_offset, 10, false, NULL, 0, false, 0,
      {C, {"F 0+10", NULL, 200, OK200}}, "E", BG_E_INVALID_SERVER_RESPONSE,
      BG_ERROR_CONTEXT_REMOTE_FILE, true, 0)

UCASE(fragment_offset_past_size, 10, false, NULL, 0, false, 0,
      {C, {"F 0+10", NULL, 200, GOT(11)}}, "E", BG_E_INVALID_SERVER_RESPONSE,
      BG_ERROR_CONTEXT_REMOTE_FILE, true, 0)

/* MC-BUP's header name and bare hex (spec U2, U3). */
UCASE(error_header_mc_bup_form, 10, false, NULL, 0, false, 0,
      {{"C", NULL, 403,
        "HTTP/1.1 403 X" ACK "\nBITS-Error: 80070005\nBITS-Error-Context: 5"}},
      "E", E_ACCESSDENIED, BG_ERROR_CONTEXT_REMOTE_FILE, false, 0)

/* The interim 100 Continue of a large HTTP/1.1 body comes first. */
UCASE(interim_100_ignored, 10, false, NULL, 0, false, 0,
      {C, {"F 0+10", NULL, 200, "HTTP/1.1 100 Continue\n\n" GOT(10)}}, "X", 0,
      0, false, 10)

/* An empty file has no fragment (decision UP7). */
UCASE(empty_file_fails, 0, false, NULL, 0, false, 0, {{NULL}}, "E",
      E_INVALIDARG, BG_ERROR_CONTEXT_LOCAL_FILE, false, 0)

/* ---- the Ping to the BITS-Host-Id server (decision UP18) ---- */

/* A Create-Session Ack naming a BITS-Host-Id: one Ping, with no BITS
 * header but its type (W:ping), then the Fragments (MC-BUP §3.1.5.1.2,
 * §3.1.5.1.3). */
UCASE(ping_after_host_id, 10, false, NULL, 0, false, 4,
      {CH,
       {"P", "BITS-Packet-Type: Ping", 200, OK200},
       {"F 0+4",
        "BITS-Packet-Type: Fragment\r\nBITS-Session-Id: " SID
        "\r\nContent-Range: bytes 0-3/10\r\nContent-Name: file.bin",
        200, GOT(4)},
       {"F 4+4", NULL, 200, GOT(8)},
       {"F 8+2", NULL, 200, GOT(10)},
       {"X", NULL, 200, OK200}},
      "D", 0, 0, false, 10)

/* Any 2xx Ack will do. */
UCASE(ping_204_is_success, 10, false, NULL, 0, false, 4,
      {CH, {"P", NULL, 204, "HTTP/1.1 204 No Content" ACK}}, "F 0+4", 0, 0,
      false, 0)

/* Without a BITS-Host-Id (or with one that is not followed) no Ping: the
 * first Fragment follows Create-Session. */
UCASE(no_ping_without_host_id, 10, false, NULL, 0, false, 4,
      {C, {"F 0+4", NULL, 200, GOT(4)}}, "F 4+4", 0, 0, false, 4)

UCASE(no_ping_for_unfollowed_host_id, 10, false, NULL, 0, false, 4,
      {{"C", NULL, 200, CREATED(SID) "\nBITS-Host-Id: a/b"}}, "F 0+4", 0, 0,
      false, 0)

/* An error Ack on the Ping is the job's error as any packet's (UP5): the
 * Ack's code, REMOTE_FILE, fatal or transient by the code and status. */
UCASE(ping_403_fatal, 10, false, NULL, 0, false, 4,
      {CH, {"P", NULL, 403, BERR(403, "0x80070005", "0x5")}}, "E",
      E_ACCESSDENIED, BG_ERROR_CONTEXT_REMOTE_FILE, false, 0)

UCASE(ping_404_code_fatal, 10, false, NULL, 0, false, 4,
      {CH, {"P", NULL, 404, BERR(404, "0x80190194", "0x5")}}, "E",
      (HRESULT)0x80190194, BG_ERROR_CONTEXT_REMOTE_FILE, false, 0)

UCASE(ping_503_transient, 10, false, NULL, 0, false, 4,
      {CH, {"P", NULL, 503, "HTTP/1.1 503 X" ACK}}, "E", (HRESULT)0x801901F7,
      BG_ERROR_CONTEXT_REMOTE_FILE, true, 0)

/* A 2xx that is not an Ack breaks the protocol (UP6). */
UCASE(ping_200_not_an_ack, 10, false, NULL, 0, false, 4,
      {CH, {"P", NULL, 200, "HTTP/1.1 200 OK\nContent-Length: 0"}}, "E",
      BG_E_INVALID_SERVER_RESPONSE, BG_ERROR_CONTEXT_REMOTE_FILE, true, 0)

/* Session not found on the Ping: a new Create-Session, whose Ack names
 * the host again, so a new Ping (UP3, UP18). */
UCASE(ping_session_not_found_new_ping, 10, false, NULL, 0, false, 4,
      {CH,
       {"P", NULL, 500, NOSESSION},
       {"C", NULL, 200, CREATED_HOST(SID2)},
       {"P", "BITS-Packet-Type: Ping", 200, OK200}},
      "F 0+4", 0, 0, false, 0)

/* The next attempt after a failed Ping does not ping again: the Ping
 * belongs to the step from CREATE_SESSION, as for a session restored from
 * the store (no_ping_for_restored_session); its first Fragment reaches the
 * same host. */
UCASE(no_ping_after_retry, 10, false, NULL, 0, false, 4,
      {CH, {"~"}, {"F 0+4", NULL, 200, GOT(4)}}, "F 4+4", 0, 0, false, 4)

/* Cancelled before the Ping: only Cancel-Session. */
UCASE(cancel_before_ping, 10, false, NULL, 0, false, 4,
      {CH, {"!"}, {"K", NULL, 200, OK200}}, "D", 0, 0, false, 0)

/* The back-end table (W:handling-server-application-errors). */
static void backend_table(void)
{
    static const struct {
        long status;
        bool transient;
    } rows[] = {
        {300, false}, {305, false}, {306, true}, {307, false}, {308, true},
        {400, false}, {403, false}, {408, true}, {409, true},  {410, false},
        {500, true},  {501, false}, {503, true}, {505, false}, {599, true},
        {600, true},  {99, true},
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        ENG_EQ_INT(ref_up_backend_transient(rows[i].status), rows[i].transient);
}

/* Headers that do not fit are refused, not cut. */
static void headers_buffer_too_small(void)
{
    struct ref_up_session s;
    struct ref_up_packet_desc p;
    char buf[40];

    ref_up_init(&s, 10, false, SID, 0, false);
    ENG_EQ_INT(ref_up_next(&s, &p), REF_UP_SEND);
    ENG_EQ_INT(ref_up_headers(&s, "file.bin", buf, sizeof buf), -1);
}

/* A stored offset past the file (it was changed) drops the session. */
static void stored_offset_past_size(void)
{
    struct ref_up_session s;

    ref_up_init(&s, 10, false, SID, 11, false);
    ENG_EQ_STR(s.id, "");
    ENG_EQ_U64(s.acked, 0);
}

/* BITS-Host-Id: later packets go to that host, scheme, port and path
 * kept (UP17); a new session forgets it. */
static void host_id_followed(void)
{
    struct ref_up_session s;
    struct ref_up_packet_desc p;
    char url[300];

    ref_up_init(&s, 10, false, NULL, 0, false);
    ENG_EQ_INT(ref_up_next(&s, &p), REF_UP_SEND);
    ENG_EQ_INT(
        ref_up_judge(&s, 200, CREATED(SID) "\r\nBITS-Host-Id: node7.example"),
        REF_UP_SEND);
    ENG_EQ_INT(ref_up_url(&s, "http://u:p@front.example:8080/d/f.bin?x=1", url,
                          sizeof url) > 0,
               true);
    ENG_EQ_STR(url, "http://node7.example:8080/d/f.bin?x=1");
    ENG_EQ_INT(ref_up_url(&s, "https://[::1]:443/f", url, sizeof url) > 0,
               true);
    ENG_EQ_STR(url, "https://node7.example:443/f");
    ENG_EQ_INT(ref_up_url(&s, "http://front/f", url, sizeof url) > 0, true);
    ENG_EQ_STR(url, "http://node7.example/f");
    ENG_EQ_INT(ref_up_url(&s, "http://front/f", url, 10), -1);
    /* session lost: back to the job's own host */
    ENG_EQ_INT(ref_up_next(&s, &p), REF_UP_SEND);
    ENG_EQ_INT(ref_up_judge(&s, 500, NOSESSION), REF_UP_SEND);
    ENG_EQ_INT(ref_up_url(&s, "http://front/f", url, sizeof url) > 0, true);
    ENG_EQ_STR(url, "http://front/f");
}

/* A BITS-Host-Id that is not a host name is not followed. */
static void host_id_not_a_host(void)
{
    struct ref_up_session s;
    struct ref_up_packet_desc p;
    char url[300];

    ref_up_init(&s, 10, false, NULL, 0, false);
    ENG_EQ_INT(ref_up_next(&s, &p), REF_UP_SEND);
    ref_up_judge(&s, 200, CREATED(SID) "\r\nBITS-Host-Id: evil/x@y");
    ENG_EQ_INT(ref_up_url(&s, "http://front/f", url, sizeof url) > 0, true);
    ENG_EQ_STR(url, "http://front/f");
}

/* BITS-Host-Id-Fallback-Timeout (decision UP17): the timer starts at the
 * first failure to reach the named host, an Ack resets it, and once it ran
 * the timeout the packets go to the job's own host in the same session. */
static void host_id_fallback_after_timeout(void)
{
    struct ref_up_session s;
    struct ref_up_packet_desc p;
    char url[300];

    ref_up_init(&s, 10, false, NULL, 0, false);
    ENG_EQ_INT(ref_up_next(&s, &p), REF_UP_SEND);
    ENG_EQ_INT(ref_up_judge(&s, 200,
                            CREATED(SID) "\r\nBITS-Host-Id: node7\r\n"
                                         "BITS-Host-Id-Fallback-Timeout: 60"),
               REF_UP_SEND);
    ENG_EQ_U64(s.host_fallback, 60);
    ENG_EQ_INT(ref_up_host_unreachable(&s, 1000), false); /* starts */
    ENG_EQ_U64(s.host_down_since, 1000);
    ENG_EQ_INT(ref_up_host_unreachable(&s, 1059), false);
    /* an answer resets the timer: the Ping's (UP18) ... */
    ENG_EQ_INT(ref_up_next(&s, &p), REF_UP_SEND);
    ENG_EQ_INT(p.type, REF_UP_PING);
    ENG_EQ_INT(ref_up_judge(&s, 200, "BITS-Packet-Type: Ack"), REF_UP_SEND);
    ENG_EQ_U64(s.host_down_since, 0);
    ENG_EQ_INT(ref_up_host_unreachable(&s, 1500), false);
    /* ... as a Fragment's */
    ENG_EQ_INT(ref_up_next(&s, &p), REF_UP_SEND);
    ENG_EQ_INT(p.type, REF_UP_FRAGMENT);
    ENG_EQ_INT(ref_up_judge(&s, 200,
                            "BITS-Packet-Type: Ack\r\n"
                            "BITS-Received-Content-Range: 4"),
               REF_UP_SEND);
    ENG_EQ_U64(s.host_down_since, 0);
    ENG_EQ_INT(ref_up_host_unreachable(&s, 2000), false);
    ENG_EQ_INT(ref_up_host_unreachable(&s, 2060), true);
    ENG_EQ_INT(ref_up_url(&s, "http://front:81/f", url, sizeof url) > 0, true);
    ENG_EQ_STR(url, "http://front:81/f");
    ENG_EQ_STR(s.id, SID); /* the same session, from the same offset */
    ENG_EQ_U64(s.acked, 4);
    ENG_EQ_INT(ref_up_host_unreachable(&s, 3000), false); /* none left */
}

/* Without a fallback timeout the named host is kept for good; a timeout
 * of 0 falls back at the first failure. */
static void host_id_fallback_none_or_zero(void)
{
    struct ref_up_session s;
    struct ref_up_packet_desc p;

    ref_up_init(&s, 10, false, NULL, 0, false);
    ENG_EQ_INT(ref_up_next(&s, &p), REF_UP_SEND);
    ref_up_judge(&s, 200, CREATED(SID) "\r\nBITS-Host-Id: node7");
    ENG_EQ_U64(s.host_fallback, REF_UP_NO_FALLBACK);
    ENG_EQ_INT(ref_up_host_unreachable(&s, 5), false);
    ENG_EQ_INT(ref_up_host_unreachable(&s, 5 + 86400 * 365ull), false);
    ENG_EQ_STR(s.host_id, "node7");
    ref_up_init(&s, 10, false, NULL, 0, false);
    ENG_EQ_INT(ref_up_next(&s, &p), REF_UP_SEND);
    ref_up_judge(&s, 200,
                 CREATED(SID) "\r\nBITS-Host-Id: node7\r\n"
                              "BITS-Host-Id-Fallback-Timeout: 0");
    ENG_EQ_INT(ref_up_host_unreachable(&s, 5), true);
    ENG_EQ_STR(s.host_id, "");
}

/* A restart restores the stored Host-Id, its timeout and running timer
 * with the session; without a session, or a bad name, nothing. */
static void host_id_restored(void)
{
    struct ref_up_session s;
    char url[300];

    ref_up_init(&s, 10, false, SID, 4, false);
    ref_up_restore_host(&s, "node7", 30, 100);
    ENG_EQ_INT(ref_up_url(&s, "http://front/f", url, sizeof url) > 0, true);
    ENG_EQ_STR(url, "http://node7/f");
    ENG_EQ_INT(ref_up_host_unreachable(&s, 129), false);
    ENG_EQ_INT(ref_up_host_unreachable(&s, 130), true);
    ref_up_init(&s, 10, false, SID, 4, false);
    ref_up_restore_host(&s, "a/b", 30, 0);
    ENG_EQ_STR(s.host_id, "");
    ref_up_init(&s, 10, false, NULL, 0, false);
    ref_up_restore_host(&s, "node7", 30, 0);
    ENG_EQ_STR(s.host_id, "");
}

/* A fresh session whose Create-Session Ack names BITS-Host-Id node7 (and
 * the header lines `more`): the next packet is the Ping. */
static void created_with_host(struct ref_up_session *s, const char *more)
{
    struct ref_up_packet_desc p;
    char ack[512];

    snprintf(ack, sizeof ack, "%s\r\nBITS-Host-Id: node7%s", CREATED(SID),
             more);
    ref_up_init(s, 10, false, NULL, 0, false);
    ENG_EQ_INT(ref_up_next(s, &p), REF_UP_SEND);
    ENG_EQ_INT(ref_up_judge(s, 200, ack), REF_UP_SEND);
    ENG_EQ_INT(ref_up_next(s, &p), REF_UP_SEND);
    ENG_EQ_INT(p.type, REF_UP_PING);
}

/* The next packet is the Fragment from `first`, going to `url` for the
 * remote name http://front/f. */
static void next_fragment_to(struct ref_up_session *s, uint64_t first,
                             const char *url)
{
    struct ref_up_packet_desc p;
    char got[300];

    ENG_EQ_INT(ref_up_next(s, &p), REF_UP_SEND);
    ENG_EQ_INT(p.type, REF_UP_FRAGMENT);
    ENG_EQ_U64(p.first, first);
    ENG_EQ_INT(ref_up_url(s, "http://front/f", got, sizeof got) > 0, true);
    ENG_EQ_STR(got, url);
}

/* The Ping goes to the BITS-Host-Id server, as every later packet
 * (UP17, UP18). */
static void ping_to_host_id(void)
{
    struct ref_up_session s;
    char url[300];

    created_with_host(&s, "");
    ENG_EQ_STR(ref_up_packet_name(REF_UP_PING), "Ping");
    ENG_EQ_INT(ref_up_url(&s, "http://front:8080/d/f.bin", url, sizeof url) > 0,
               true);
    ENG_EQ_STR(url, "http://node7:8080/d/f.bin");
}

/* A session restored from the store with a stored Host-Id goes on with
 * its Fragment to that host: no Ping (UP18). */
static void no_ping_for_restored_session(void)
{
    struct ref_up_session s;

    ref_up_init(&s, 10, false, SID, 4, false);
    ref_up_restore_host(&s, "node7", 30, 0);
    next_fragment_to(&s, 4, "http://node7/f");
}

/* The Ping cannot reach the Host-Id server and the fallback timeout ran
 * out: the Host-Id is dropped, and with it the Ping; the Fragments go to
 * the job's own host in the same session (UP17, UP18). */
static void no_ping_after_fallback(void)
{
    struct ref_up_session s;

    created_with_host(&s, "\r\nBITS-Host-Id-Fallback-Timeout: 0");
    ENG_EQ_INT(ref_up_host_unreachable(&s, 5), true);
    next_fragment_to(&s, 0, "http://front/f");
    ENG_EQ_STR(s.id, SID);
}

/* Unreachable before the timeout: the Host-Id stays and the Ping is still
 * due in this attempt; the caller ends it, and the next attempt goes on
 * with the Fragment to the same host. */
static void ping_unreachable_keeps_host(void)
{
    struct ref_up_session s;
    struct ref_up_packet_desc p;

    created_with_host(&s, "\r\nBITS-Host-Id-Fallback-Timeout: 60");
    ENG_EQ_INT(ref_up_host_unreachable(&s, 100), false);
    ENG_EQ_STR(s.host_id, "node7");
    ENG_EQ_U64(s.host_down_since, 100);
    ENG_EQ_INT(ref_up_next(&s, &p), REF_UP_SEND);
    ENG_EQ_INT(p.type, REF_UP_PING);
    ref_up_retry(&s);
    next_fragment_to(&s, 0, "http://node7/f");
}

#define T(id) {#id, id},
CU_TestInfo eng_upload_tests[] = {
    T(plain_upload_in_fragments) T(create_201_is_success) T(resume_from_store) T(
        resume_after_final_ack) T(gap_416_moves_offset) T(short_200_resends_from_offset)
        T(gap_416_same_offset_fails) T(shrink_on_413) T(shrink_below_floor_fails) T(
            session_not_found_restarts) T(stored_session_not_found) T(session_not_found_loop_fails)
            T(close_5xx_resent) T(close_5xx_then_retry_closes) T(close_4xx_not_resent) T(
                close_session_not_found_done) T(cancel_sends_cancel_session)
                T(cancel_5xx_resent) T(cancel_without_session) T(reply_fetched_before_close) T(
                    reply_url_missing) T(reply_url_missing_fails) T(reply_url_not_http)
                    T(reply_resumed_after_final_ack) T(reply_resumed_after_fetch) T(
                        backend_503_transient) T(backend_501_fatal) T(backend_409_transient) T(backend_403_fatal)
                        T(create_409_without_bits_headers) T(create_403_access_denied) T(
                            create_no_common_protocol) T(create_disabled_501) T(create_500_plain)
                            T(create_401_unanswered) T(create_other_protocol) T(
                                create_without_session_id) T(create_200_not_an_ack)
                                T(fragment_too_large) T(fragment_without_offset) T(
                                    fragment_offset_past_size) T(error_header_mc_bup_form)
                                    T(interim_100_ignored) T(empty_file_fails) T(
                                        backend_table) T(headers_buffer_too_small)
                                        T(stored_offset_past_size) T(host_id_followed) T(
                                            host_id_not_a_host) T(host_id_fallback_after_timeout)
                                            T(host_id_fallback_none_or_zero) T(
                                                host_id_restored) T(ping_after_host_id)
                                                T(ping_204_is_success) T(
                                                    no_ping_without_host_id) T(no_ping_for_unfollowed_host_id)
                                                    T(ping_403_fatal) T(
                                                        ping_404_code_fatal) T(ping_503_transient)
                                                        T(ping_200_not_an_ack) T(
                                                            ping_session_not_found_new_ping)
                                                            T(no_ping_after_retry) T(
                                                                cancel_before_ping)
                                                                T(ping_to_host_id) T(
                                                                    no_ping_for_restored_session)
                                                                    T(no_ping_after_fallback)
                                                                        T(ping_unreachable_keeps_host)
                                                                            CU_TEST_INFO_NULL,
};
