/*
 * fuzz_mock_upload.c - h2mock's side of the BITS Upload Protocol: whole
 * BITS_POST requests (and PUTs, reply downloads) on a cleartext
 * connection with an upload directory, through mock_conn_feed /
 * mock_conn_produce, so the packet heads (BITS-Packet-Type,
 * BITS-Session-Id, BITS-Supported-Protocols, Content-Range,
 * Content-Length), upcore.c's answers and upload.c's files are the real
 * ones.  Session ids come from a generator seeded with 1, so every input
 * sees the same ids (the seeds use the first).
 *
 * Input: byte 0 = options (bit 0: overwrite; bit 1: max_upload 299 and a
 * BITS-Host-Id; bits 2-7: the size of the pieces the rest is fed in,
 * 0 = all at once), then the client's bytes.  Each input gets a fresh
 * upload directory, removed after, so no file outlives it.
 */
#define _XOPEN_SOURCE 700
#include "fuzz_mock.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 1) {
        return 0;
    }
    char dir[64], err[256];
    snprintf(dir, sizeof dir, "/tmp/docts-fuzz-up-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    struct mock_bits_cfg cfg = {
        .timeout_ms = 60000, .host_fallback = -1, .overwrite = d[0] & 1};
    if (d[0] & 2) {
        cfg.max_upload = 299;
        cfg.host_fallback = 30;
        snprintf(cfg.host_id, sizeof cfg.host_id, "up.example");
    }
    struct mock_server srv;
    fuzz_mock_server(&srv, NULL);
    if (mock_upload_open(&srv.up, dir, &cfg, NULL, 1, err, sizeof err) < 0) {
        fprintf(stderr, "mock_upload_open: %s\n", err);
        abort();
    }
    uint8_t cut = d[0] >> 2;
    fuzz_mock_talk(&srv, false, false, d + 1, n - 1, &cut, 1);
    mock_server_free(&srv); /* removes dir/.h2mock */
    nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}
