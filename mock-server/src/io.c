/*
 * io.c - the byte side of a connection, which the protocols share.
 *
 * Owns the output queue: out's bytes with chunks of file bytes
 * (read-ahead blocks, no copy) queued between them, read as iovecs and
 * taken back to a mark when a frame fails half-built (decision M13);
 * and the two requests a protocol makes of the connection: close after
 * the output drained, and run again at a time.  conn.c owns the
 * mock_io; h1.c and h2.c write to it and know nothing else of the
 * connection.
 */
#include "mock.h"

#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

size_t mock_io_out_pending(const struct mock_io *io)
{
    return mock_buf_pending(&io->out) + io->oc_bytes;
}

int mock_io_out_iov(const struct mock_io *io, struct iovec *iov, int max)
{
    const uint8_t *mem = mock_buf_head(&io->out);
    int n = 0;
    for (size_t i = io->oc_head; i < io->oc_n && n < max; i++) {
        const struct mock_ochunk *k = &io->oc[i];
        if (k->before) {
            iov[n].iov_base = (void *)mem;
            iov[n++].iov_len = k->before;
            mem += k->before;
            if (n == max) {
                return n;
            }
        }
        iov[n].iov_base = (void *)k->p;
        iov[n++].iov_len = k->len;
    }
    size_t rest = mock_buf_pending(&io->out) - io->oc_mem;
    if (rest && n < max) {
        iov[n].iov_base = (void *)mem;
        iov[n++].iov_len = rest;
    }
    return n;
}

void mock_io_out_consume(struct mock_io *io, size_t n)
{
    while (n && io->oc_head < io->oc_n) {
        struct mock_ochunk *k = &io->oc[io->oc_head];
        size_t m = n < k->before ? n : k->before;
        mock_buf_consume(&io->out, m);
        k->before -= m;
        io->oc_mem -= m;
        n -= m;
        m = n < k->len ? n : k->len;
        k->p += m;
        k->len -= m;
        io->oc_bytes -= m;
        n -= m;
        if (k->before || k->len) {
            return; /* n is 0 */
        }
        mock_block_put(k->blk);
        if (++io->oc_head == io->oc_n) {
            io->oc_head = io->oc_n = 0;
        }
    }
    mock_buf_consume(&io->out, n);
}

int mock_io_out_take(struct mock_io *io, struct mock_buf *dst, size_t max)
{
    struct iovec iov[16];
    size_t moved = 0;
    while (moved < max && mock_io_out_pending(io)) {
        int n = mock_io_out_iov(io, iov, 16);
        size_t got = 0;
        for (int i = 0; i < n && moved + got < max; i++) {
            size_t k = iov[i].iov_len;
            if (k > max - moved - got) {
                k = max - moved - got;
            }
            if (mock_buf_append(dst, iov[i].iov_base, k) < 0) {
                mock_io_out_consume(io, got);
                return -1;
            }
            got += k;
        }
        mock_io_out_consume(io, got);
        moved += got;
    }
    return 0;
}

int mock_io_out_chunk(struct mock_io *io, const uint8_t *p, size_t n,
                      struct mock_block *blk)
{
    if (io->oc_n == io->oc_cap) {
        size_t cap = io->oc_cap ? io->oc_cap * 2 : 16;
        struct mock_ochunk *v = realloc(io->oc, cap * sizeof(*v));
        if (!v) {
            mock_block_put(blk);
            return -1;
        }
        io->oc = v;
        io->oc_cap = cap;
    }
    size_t before = mock_buf_pending(&io->out) - io->oc_mem;
    io->oc[io->oc_n++] = (struct mock_ochunk){before, p, n, blk};
    io->oc_mem += before;
    io->oc_bytes += n;
    return 0;
}

void mock_io_out_mark(const struct mock_io *io, struct mock_out_mark *m)
{
    m->len = mock_buf_pending(&io->out);
    m->oc_n = io->oc_n;
    m->oc_mem = io->oc_mem;
    m->oc_bytes = io->oc_bytes;
}

void mock_io_out_rollback(struct mock_io *io, const struct mock_out_mark *m)
{
    while (io->oc_n > m->oc_n) {
        mock_block_put(io->oc[--io->oc_n].blk);
    }
    io->out.len = io->out.off + m->len;
    io->oc_mem = m->oc_mem;
    io->oc_bytes = m->oc_bytes;
}

void mock_io_end(struct mock_io *io, enum mock_close how)
{
    io->close_after_flush = how;
    io->dead = true;
}

void mock_io_wake_at(struct mock_io *io, int64_t at)
{
    if (at && (!io->wake || at < io->wake)) {
        io->wake = at;
    }
}

void mock_io_free(struct mock_io *io)
{
    mock_io_out_consume(io, mock_io_out_pending(io));
    free(io->oc);
    io->oc = NULL;
    io->oc_cap = 0;
    mock_buf_free(&io->in);
    mock_buf_free(&io->out);
}
