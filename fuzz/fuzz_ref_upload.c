/*
 * fuzz_ref_upload.c - the reference's client core of the BITS Upload
 * Protocol (ref_upload.c) judging server answers: ref_up_judge reads the
 * status and header block of each Ack (BITS-Packet-Type, BITS-Session-Id,
 * BITS-Received-Content-Range, BITS-Error-Code / -Context,
 * BITS-Reply-URL, BITS-Host-Id, BITS-Host-Id-Fallback-Timeout) and moves
 * the session on; after each step the next packet's headers and URL are
 * rendered, as the scheduler does.  No I/O, as in
 * reference/tests/engine/test_upload.c.
 *
 * Input: byte 0 = options (bit 0: upload-reply; bit 1: resume a stored
 * session; bit 2: its reply was fetched; bits 3-4: the file's size,
 * 10 / 5000 / 20000 / 4 MiB + 1; bit 5: a stored BITS-Host-Id), byte 1 =
 * the stored offset (resume only, times 1000 + byte), then records: one
 * op byte (0: retry, 1: cancel, 2: host unreachable, else an Ack), for an
 * Ack two bytes of status (big-endian, modulo 1000) and its header block
 * up to a NUL or the end.
 */
#include "ref_upload.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const uint64_t sizes[] = {10, 5000, 20000, (4u << 20) + 1};

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 2) {
        return 0;
    }
    struct ref_up_session *s = malloc(sizeof(*s));
    if (!s) {
        return 0;
    }
    uint8_t opt = d[0];
    bool resume = opt & 2;
    ref_up_init(s, sizes[(opt >> 3) & 3], opt & 1,
                resume ? "{5e53c221-f2d6-4bf2-b994-1dc43ceaca8d}" : NULL,
                resume ? (uint64_t)(d[1] & 0x0f) * 1000 + d[1] : 0, opt & 4);
    if (opt & 32) {
        ref_up_restore_host(s, "up.example", 30, 0);
    }
    size_t off = 2;
    uint64_t now = 1;
    char hdrs[1024], url[REF_UP_URL_MAX + 64];
    for (int step = 0; step < 64; step++) {
        struct ref_up_packet_desc pkt = {0};
        enum ref_up_action a = ref_up_next(s, &pkt);
        if (a == REF_UP_SEND) {
            ref_up_headers(s, "file.bin", hdrs, sizeof hdrs);
            ref_up_url(s, "https://host.example:8443/up/file.bin", url,
                       sizeof url);
        } else if (a == REF_UP_GET_REPLY) {
            ref_up_reply_done(s);
            continue;
        } else {
            break;
        }
        if (off >= n) {
            break;
        }
        uint8_t op = d[off++];
        if (op == 0) {
            ref_up_retry(s);
            continue;
        }
        if (op == 1) {
            ref_up_cancel(s);
            continue;
        }
        if (op == 2) {
            now += 20;
            ref_up_host_unreachable(s, now);
            continue;
        }
        if (n - off < 2) {
            break;
        }
        long status = ((long)d[off] << 8 | d[off + 1]) % 1000;
        off += 2;
        const uint8_t *end = memchr(d + off, 0, n - off);
        size_t len = end ? (size_t)(end - (d + off)) : n - off;
        char *block = malloc(len + 1);
        if (!block) {
            break;
        }
        memcpy(block, d + off, len);
        block[len] = '\0';
        off += len + (end != NULL);
        ref_up_judge(s, status, block);
        free(block);
    }
    free(s);
    return 0;
}
