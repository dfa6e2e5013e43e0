/*
 * fuzz_mock.h - what the h2mock fuzz targets share: a scratch root with
 * known files, and a driver that talks to one I/O-free connection
 * (mock_conn_feed / mock_conn_produce, the functions main.c calls for a
 * socket) with a scripted clock.
 */
#ifndef FUZZ_MOCK_H
#define FUZZ_MOCK_H

#include <stddef.h>
#include <stdint.h>

#include "mock.h"

/* Root with hello.txt ("hello\n") and data.bin (20000 bytes); made once
 * per process, removed at exit. */
const char *fuzz_mock_root(void);

/* A fresh server on that root (rules from `rules`, or none); aborts the
 * process when the root cannot be opened (a harness fault). */
void fuzz_mock_server(struct mock_server *srv, const char *rules);

/* Feeds p[0..n) to a new connection of srv in pieces cut at the given
 * sizes (cuts[i] bytes, cycling; NULL / 0 cuts: all at once), producing
 * and discarding the output after each piece and then running its timers
 * until it has nothing more to say (bounded).  tls / alpn_h2 as
 * negotiated. */
void fuzz_mock_talk(struct mock_server *srv, bool tls, bool alpn_h2,
                    const uint8_t *p, size_t n, const uint8_t *cuts,
                    size_t ncuts);

#endif
