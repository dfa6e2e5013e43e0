#!/usr/bin/env python3
"""Writes the hand-made seeds of fixtures/fuzz/<target>/ (seed-*) and the
dictionaries fixtures/fuzz/*.dict.  Run from the top of the tree after
changing it; the regression inputs of found bugs (crash-*, leak-*, ...)
sit beside the seeds and are never touched here."""
import os
import struct

OUT = 'fixtures/fuzz'


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)


def crlf(s):
    return s.replace('\n', '\r\n')


# ---- h2mock HTTP/1.1 (byte 0: options) ----------------------------------
H1 = {
    'get': 'GET /hello.txt HTTP/1.1\nHost: a\n\n',
    'head': 'HEAD /data.bin HTTP/1.1\nHost: a\n\n',
    'range': 'GET /data.bin HTTP/1.1\nHost: a\nRange: bytes=0-9,20-29\n\n',
    'ifrange': 'GET /data.bin HTTP/1.1\nHost: a\nRange: bytes=5-\n'
               'If-Range: "x"\n\n',
    'suffix': 'GET /data.bin HTTP/1.1\nHost: a\nRange: bytes=-100\n\n',
    'pipeline': 'GET /hello.txt HTTP/1.1\nHost: a\n\n'
                'GET /data.bin HTTP/1.1\nHost: a\nRange: bytes=11-20\n\n'
                'GET /nope HTTP/1.1\nHost: a\nConnection: close\n\n',
    'http10': 'GET /hello.txt HTTP/1.0\n\n',
    'post': 'POST /_mock/rules HTTP/1.1\nHost: a\nContent-Length: 42\n\n'
            'match path=/hello.txt action=status code=500',
    'chunked': 'POST /_mock/rules HTTP/1.1\nHost: a\n'
               'Transfer-Encoding: chunked\n\n5\nmatch\n0\n\n',
    'upgrade': 'GET /hello.txt HTTP/1.1\nHost: a\nConnection: Upgrade, '
               'HTTP2-Settings\nUpgrade: h2c\nHTTP2-Settings: AAMAAABkAAQAAP__\n\n',
    'faults': ''.join('GET /data.bin HTTP/1.1\nHost: a\nRange: bytes=%d-99\n\n'
                      % o for o in range(11, 28)),
    'methods': ''.join('%s /data.bin HTTP/1.1\nHost: a\n\n' % m
                       for m in ('PATCH', 'MOVE', 'COPY', 'DELETE')),
    'encoded': 'GET /%68ello%2etxt?q=1 HTTP/1.1\nHost: a\n\n',
    'climb': 'GET /../etc/passwd HTTP/1.1\nHost: a\n\n',
    'bad': 'GET\n\n',
}
for name, text in H1.items():
    for opt, suffix in ((0, ''), (1 | 4 << 1, '-cut4')):
        if suffix and name not in ('get', 'pipeline', 'upgrade', 'faults'):
            continue
        put('mock_h1', name + suffix, bytes([opt]) + crlf(text).encode())


# ---- h2mock HTTP/2 (byte 0: options; the harness sends the preface) -----
def frame(ftype, flags, sid, payload):
    return struct.pack('>I', len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack('>I', sid) + payload


def lit(name, value):
    """HPACK literal header field without indexing, new name, no Huffman."""
    n, v = name.encode(), value.encode()
    return b'\x00' + bytes([len(n)]) + n + bytes([len(v)]) + v


def headers(sid, path, method='GET', extra=(), end_stream=True):
    block = lit(':method', method) + lit(':scheme', 'http') + \
        lit(':authority', 'a') + lit(':path', path)
    for k, v in extra:
        block += lit(k, v)
    return frame(1, 0x4 | (0x1 if end_stream else 0), sid, block)


SETTINGS = frame(4, 0, 0, struct.pack('>HI', 3, 100) + struct.pack('>HI', 4, 65535))
SETACK = frame(4, 1, 0, b'')
H2 = {
    'get': SETTINGS + headers(1, '/hello.txt'),
    'two': SETTINGS + SETACK + headers(1, '/data.bin') +
    headers(3, '/data.bin', extra=[('range', 'bytes=0-99,200-299')]),
    'indexed': SETTINGS + frame(1, 0x5, 1, b'\x82\x86\x84\x01\x01a'),
    'window': SETTINGS + frame(8, 0, 0, struct.pack('>I', 1 << 20)) +
    headers(1, '/data.bin') + frame(8, 0, 1, struct.pack('>I', 65535)),
    'rst': SETTINGS + headers(1, '/data.bin') + frame(3, 0, 1, struct.pack('>I', 8)),
    'ping': SETTINGS + frame(6, 0, 0, b'12345678') + headers(1, '/hello.txt'),
    'goaway': SETTINGS + headers(1, '/hello.txt') +
    frame(7, 0, 0, struct.pack('>II', 1, 0)),
    'post': SETTINGS + headers(1, '/_mock/rules', 'POST', end_stream=False) +
    frame(0, 1, 1, b'match path=/hello.txt action=status code=500\n') +
    headers(3, '/hello.txt'),
    'faults': SETTINGS + b''.join(
        headers(1 + 2 * i, '/data.bin', extra=[('range', 'bytes=%d-999' % (11 + i))])
        for i in range(17)),
    'cont': SETTINGS + frame(1, 0x1, 1, lit(':method', 'GET') + lit(':scheme', 'http')) +
    frame(9, 0x4, 1, lit(':authority', 'a') + lit(':path', '/hello.txt')),
    'priority': SETTINGS + frame(2, 0, 1, struct.pack('>IB', 0, 15)) +
    headers(1, '/hello.txt'),
    'badpad': SETTINGS + frame(0, 0x8, 1, b'\x05ab'),
}
for name, data in H2.items():
    put('mock_h2', name, b'\x00' + data)
    if name in ('get', 'two', 'faults'):
        put('mock_h2', name + '-tls-cut7', bytes([1 | 7 << 1]) + data)

# ---- fault rules ---------------------------------------------------------
with open('fixtures/faults/example.rules') as f:
    put('mock_faults', 'example', f.read())
RULES = [
    'match path=/a.bin nth=1 action=status code=503 header="Retry-After: 2"',
    'match path=/old.bin action=redirect code=307 location=/a.bin',
    'match prefix=/slow/ action=delay ms=1500 action=throttle rate=65536',
    'match glob=/*.bin action=chunk-delay ms=100 size=4096',
    'match path=/a.bin action=stall after=1024',
    'match path=/a.bin nth=1 action=close after=65536',
    'match path=/a.bin action=reset after=4096',
    'match path=/a.bin proto=h2 action=rst-stream code=CANCEL after=16384',
    'match path=/a.bin proto=h2 action=goaway code=PROTOCOL_ERROR after=0',
    'match path=/a.bin action=bad-length delta=-100',
    'match path=/a.bin action=no-length',
    'match path=/a.bin offset=none action=ignore-range',
    'match path=/a.bin action=bad-content-range shift=100',
    'match path=/a.bin action=change-content',
    'match path=/a.bin action=no-validators',
    'match path=/a.bin action=garbage size=32 at=headers',
    'match path=/a.bin proto=h1 tls=no action=http10',
    'match path=/a.bin action=part-header header="X-Pad: abc"',
    'match name="q \\"x\\"" method=GET every times=2 prob=0.25 action=status code=204 body="a b"',
    'match offset=any tls=any proto=any action=goaway code=7 after=10',
]
for i, r in enumerate(RULES):
    put('mock_faults', 'rule%02d' % i, r + '\n')
put('mock_faults', 'all', '\n'.join(RULES) + '\n# end\n')

# ---- control endpoint (byte 0: method GET POST DELETE PUT HEAD) ----------
CTL = {
    'get-rules': (0, 'rules', ''),
    'post-rules': (1, 'rules', 'match path=/data.bin action=close after=10\n'),
    'post-many': (1, 'rules', '\n'.join(RULES[:6]) + '\n'),
    'post-bad': (1, 'rules', 'match nonsense\n'),
    'delete-rules': (2, 'rules', ''),
    'log': (0, 'log?since=0', ''),
    'reset': (1, 'reset', ''),
    'put': (3, 'rules', 'x'),
    'head': (4, 'log', ''),
    'unknown': (0, 'nothing', ''),
}
for name, (m, path, body) in CTL.items():
    put('mock_control', name, bytes([m]) + (path + '\n' + body).encode())

# ---- Range / If-Range / target (byte 0: options) --------------------------
RANGES = [
    (0, 'bytes=0-99', '', ''), (0, 'bytes=0-9,20-29,-5', '', ''),
    (0, 'bytes=-100', '', ''), (0, 'bytes=19990-', '', ''),
    (0, 'bytes=20000-', '', ''), (0, 'bytes=5-1', '', ''),
    (1, 'bytes=0-0,2-2,4-4', '', ''), (0, 'bytes = 1-2 , 3-4', '', ''),
    (0, 'bytes=0-18446744073709551615', '', ''), (0, 'items=0-1', '', ''),
    (0, 'bytes=0-9', '"abc"', ''), (0, 'bytes=0-9', 'W/"abc"', ''),
    (0, 'bytes=0-9', 'Wed, 01 Jan 2025 00:00:00 GMT', ''),
    (4, 'bytes=0-9', '"abc"', ''), (8, 'bytes=0-9,100-109', '', ''),
    (16, 'bytes=0-9', '', ''), (2, 'bytes=0-9', '', ''),
    (0, '', '', '/%64ata.bin'), (0, '', '', '/a/../data.bin'),
    (0, '', '', '/../x'), (0, '', '', '/data.bin?x=1#f'),
    (0, 'bytes=' + ','.join('%d-%d' % (i, i) for i in range(0, 300, 3)), '', ''),
]
for i, (opt, rng, ifr, target) in enumerate(RANGES):
    text = rng + '\n' + ifr + ('\n' + target if target else '')
    put('mock_range', '%02d' % i, bytes([opt]) + text.encode())


# ---- the reference's names (UTF-16LE) ------------------------------------
def u16(s):
    return s.encode('utf-16-le')


NAMES = ['http://example.com/a.bin', 'https://h/a%20b?q=1#f', 'HTTP://H/',
         'http:///x', 'file:///tmp/x', 'file://host/x', '/tmp/x', '/tmp/',
         '/', '/tmp/a*b', 'relative', 'ftp://h/x', '/nonexistent/dir/f',
         '/etc/passwd', '/proc/self/status', 'http://h/' + 'a' * 300,
         'http://h/<x>', '/tmp/\u00e9t\u00e9']
for i, s in enumerate(NAMES):
    put('ref_names', '%02d' % i, u16(s))
put('ref_names', 'surrogate', u16('/tmp/a') + b'\x00\xd8' + u16('b'))



# ---- h2mock uploads (byte 0: options; the upload directory is fresh) -----
# The first session id h2mock's generator gives with seed 1 (upcore.c,
# mock_rand), as every input of mock_upload sees it.
UP_PROTO = '{7df0354d-249b-430f-820d-3d2a9bef4931}'
UP_SID = '{e0516e59-9596-45b5-9e6f-a3a97979f918}'


def bits(pt, extra='', body='', path='/up.bin', sid=UP_SID):
    head = 'BITS_POST %s HTTP/1.1\nHost: h\nBITS-Packet-Type: %s\n' % (path, pt)
    if sid and pt.lower() not in ('ping', 'create-session'):
        head += 'BITS-Session-Id: %s\n' % sid
    return crlf(head + extra + 'Content-Length: %d\n\n' % len(body)) + body


CREATE = bits('Create-Session', 'BITS-Supported-Protocols: %s\n' % UP_PROTO)
UPLOAD = {
    'ping': bits('Ping'),
    'create': CREATE,
    'whole': CREATE + bits('Fragment', 'Content-Range: bytes 0-9/10\n',
                           '0123456789') + bits('Close-Session'),
    'two': CREATE + bits('Fragment', 'Content-Range: bytes 0-3/10\n', '0123') +
    bits('Fragment', 'Content-Range: bytes 2-9/10\n', '23456789') +
    bits('Close-Session'),
    'gap': CREATE + bits('Fragment', 'Content-Range: bytes 4-9/10\n', '456789'),
    'cancel': CREATE + bits('Cancel-Session'),
    'unknown': CREATE + bits('Fragment', 'Content-Range: bytes 0-1/2\n', 'ab',
                             sid='{00000000-0000-4000-8000-000000000000}'),
    'noproto': bits('Create-Session', 'BITS-Supported-Protocols: {x}\n'),
    'badrange': CREATE + bits('Fragment', 'Content-Range: bytes 9-0/*\n', 'x'),
    'large': CREATE + bits('Fragment', 'Content-Range: bytes 0-299/300\n',
                           'z' * 300),
    'climb': bits('Create-Session', 'BITS-Supported-Protocols: %s\n' % UP_PROTO,
                  path='/../up.bin'),
    'put': crlf('PUT /p.bin HTTP/1.1\nHost: h\nContent-Length: 3\n\n') + 'abc',
    'reply': CREATE + crlf('GET /_bits/reply/x HTTP/1.1\nHost: h\n\n'),
}
for name, text in UPLOAD.items():
    put('mock_upload', name, bytes([0]) + text.encode())
put('mock_upload', 'whole-cut5', bytes([5 << 2]) + UPLOAD['whole'].encode())
put('mock_upload', 'large-limit', bytes([3]) + UPLOAD['large'].encode())


# ---- the reference's upload Acks (byte 0: options, byte 1: offset) -------
def acks(*recs):
    """Records: 0 / 1 / 2 (retry, cancel, host down) or (status, lines)."""
    b = b''
    for r in recs:
        if isinstance(r, int):
            b += bytes([r])
        else:
            b += b'\x03' + struct.pack('>H', r[0]) + crlf(r[1]).encode() + b'\0'
    return b


REF_SID = '{5e53c221-f2d6-4bf2-b994-1dc43ceaca8d}'
ACK = 'BITS-Packet-Type: Ack\nContent-Length: 0\n'
CREATED = (200, 'HTTP/1.1 200 OK\n' + ACK + 'BITS-Protocol: %s\n'
           'BITS-Session-Id: %s\n' % (UP_PROTO, REF_SID))


def got(n, more=''):
    return (200, 'HTTP/1.1 200 OK\n' + ACK + 'BITS-Session-Id: %s\n'
            'BITS-Received-Content-Range: %d\n%s' % (REF_SID, n, more))


REF_UPLOAD = {
    'plain': b'\x00\x00' + acks(CREATED, got(10), (200, 'HTTP/1.1 200 OK\n' + ACK)),
    'reply': b'\x01\x00' + acks(CREATED, got(10, 'BITS-Reply-URL: '
                                          'http://127.0.0.1:1/_bits/reply/x\n'),
                                (200, 'HTTP/1.1 200 OK\n' + ACK)),
    'gap': b'\x08\x00' + acks(CREATED, (416, 'HTTP/1.1 416 R\n' + ACK +
                                        'BITS-Received-Content-Range: 100\n')),
    'error': b'\x00\x00' + acks((500, 'HTTP/1.1 500 X\n' + ACK +
                                 'BITS-Error-Code: 0x8020001f\n'
                                 'BITS-Error-Context: 0x5\n'), 0, CREATED),
    'toolarge': b'\x10\x00' + acks(CREATED, (413, 'HTTP/1.1 413 T\n' + ACK),
                                   (413, 'HTTP/1.1 413 T\n' + ACK)),
    'busy': b'\x02\x0a' + acks((503, 'HTTP/1.1 503 X\n' + ACK),
                               (503, 'HTTP/1.1 503 X\n' + ACK), 0),
    'host': b'\x08\x00' + acks((200, CREATED[1] + 'BITS-Host-Id: up.example\n'
                                'BITS-Host-Id-Fallback-Timeout: 30\n'),
                               2, 2, got(5000)),
    'restored': b'\x22\x01' + acks(2, 2, got(1001)),
    'cancel': b'\x08\x00' + acks(CREATED, 1, (200, 'HTTP/1.1 200 OK\n' + ACK)),
    'notack': b'\x00\x00' + acks((200, 'HTTP/1.1 200 OK\nBITS-Packet-Type: '
                                  'Fragment\n')),
}
for name, data in REF_UPLOAD.items():
    put('ref_upload', name, data)

# ---- the response judge ---------------------------------------------------
def judge(flags, resume, known, mx, ranges, text):
    b = bytes([flags | len(ranges) << 4]) + struct.pack('>HHH', resume, known, mx)
    for off, ln in ranges:
        b += struct.pack('>HH', off, ln)
    return b + crlf(text).encode()


UNK = 0xffff
JUDGE = {
    'whole': judge(0, 0, UNK, UNK, [], 'HTTP/1.1 200 OK\nContent-Length: 100\n'
                   'ETag: "v1"\n\n100\n'),
    'resume': judge(4, 50, 100, UNK, [], 'HTTP/1.1 206 Partial\n'
                    'Content-Range: bytes 50-99/100\nContent-Length: 50\n'
                    'ETag: "v1"\n\n50\n'),
    'changed': judge(4, 50, 100, UNK, [], 'HTTP/1.1 200 OK\nContent-Length: 120\n'
                     'ETag: "v2"\n\n120\n'),
    'ranges': judge(0, 0, UNK, UNK, [(0, 10), (20, UNK)],
                    'HTTP/1.1 206 P\nContent-Range: bytes 0-9/100\n\n10\n'
                    'HTTP/1.1 206 P\nContent-Range: bytes 20-99/100\n'
                    'Content-Length: 80\n\n80\n'),
    'continue': judge(0, 0, UNK, UNK, [], 'HTTP/1.1 100 Continue\n\n'
                      'HTTP/1.1 200 OK\nContent-Length: 5\n\n5\n'),
    'short': judge(0, 0, UNK, UNK, [], 'HTTP/1.1 200 OK\nContent-Length: 100\n\n60\n'),
    'unsat': judge(0, 0, UNK, UNK, [(200, 10)], 'HTTP/1.1 416 R\n'
                   'Content-Range: bytes */100\n\n0\n'),
    'conflict': judge(0, 0, UNK, UNK, [], 'HTTP/1.1 200 OK\nContent-Length: 5\n'
                      'Content-Length: 6\n\n5\n'),
    'multipart': judge(0, 0, UNK, UNK, [(0, 10)], 'HTTP/1.1 206 P\n'
                       'Content-Type: multipart/byteranges; boundary=XX\n'
                       'Content-Length: 200\n\n200\n'),
    'dynamic': judge(1, 0, UNK, UNK, [], 'HTTP/2 200\n\n5000\n'),
    'toolarge': judge(8, 0, UNK, 10, [], 'HTTP/1.1 200 OK\nContent-Length: 100\n'
                      'Last-Modified: Wed, 01 Jan 2025 00:00:00 GMT\n\n100\n'),
    'error': judge(0, 0, UNK, UNK, [], 'HTTP/1.1 503 Busy\nRetry-After: 2\n\n0\n'),
    'badrange': judge(0, 0, UNK, UNK, [(10, 10)], 'HTTP/1.1 206 P\n'
                      'Content-Range: bytes 11-20/100\n\n10\n'),
    'norange': judge(0, 0, UNK, UNK, [(10, 10)], 'HTTP/1.1 200 OK\n'
                     'Content-Length: 100\n\n100\n'),
    'star': judge(0, 0, UNK, UNK, [(0, UNK)], 'HTTP/1.1 206 P\n'
                  'Content-Range: bytes 0-9/*\n\n10\n'),
}
for name, data in JUDGE.items():
    put('ref_judge', name, data)

# ---- error messages (12-byte records) -------------------------------------
ERR = [(0x80200010, 0, 2), (0x80070005, 0x409, 1), (0x80190194, 0x809, 404),
       (0, 0x40c, 0), (0x80004001, 0x409, 6), (0x80d02002, 0x409, 28),
       (0x00000001, 0x400, 3), (0x80190000 | 503, 0, 503), (0x8007000e, 0x409, 12)]
put('ref_errmsg', 'all', b''.join(struct.pack('>III', h, l, c) for h, l, c in ERR))
for i, rec in enumerate(ERR):
    put('ref_errmsg', '%02d' % i, struct.pack('>III', *rec))

# ---- GUID strings (UTF-16LE) -----------------------------------------------
GUIDS = ['{4991D34B-80A1-4291-83B6-3328366B9097}',
         '{4991d34b-80a1-4291-83b6-3328366b9097}',
         '{00000000-0000-0000-0000-000000000000}',
         '4991D34B-80A1-4291-83B6-3328366B9097', '{4991D34B-80A1-4291-83B6-3328366B909}',
         '{4991D34B+80A1-4291-83B6-3328366B9097}', '{4991D34B-80A1-4291-83B6-3328366B9097',
         '{GGGGGGGG-80A1-4291-83B6-3328366B9097}', '']
for i, g in enumerate(GUIDS):
    put('com_guid', '%02d' % i, u16(g))

# ---- BSTR / VARIANT scripts (4-byte ops) -----------------------------------
def ops(*o):
    return b''.join(bytes(x) for x in o)


BSTR = {
    'alloc': ops([0, 0, 0, 10], [0, 1, 0, 7], [1, 2, 0, 0], [1, 3, 1, 5],
                 [2, 0, 0, 3], [3, 2, 0, 1], [4, 1, 0, 0]),
    'variants': ops(*[[5, i % 4, t << 2, 9] for i, t in enumerate(range(26))]),
    'copy': ops([5, 0, 5 << 2, 8], [5, 1, 6 << 2, 2], [5, 2, 15 << 2, 4],
                [6, 3, 0, 0], [6, 3, 1, 0], [6, 3, 2, 0], [6, 0, 0, 0],
                [8, 1, 0, 0], [11, 0, 0, 0]),
    'locked': ops([5, 0, 15 << 2, 4], [9, 0, 0, 0], [6, 0, 1, 0],
                  [8, 0, 0, 0], [5, 0, 5 << 2, 3], [10, 0, 0, 0], [8, 0, 0, 0]),
    'byref': ops([5, 0, 18 << 2, 1], [5, 1, 20 << 2, 1], [5, 2, 22 << 2, 1],
                 [6, 3, 0, 0], [6, 3, 1, 0], [6, 3, 2, 0], [5, 0, 13 << 2, 0],
                 [6, 1, 0, 0]),
}
for name, data in BSTR.items():
    put('com_bstr', name, data)

# ---- known gaps ------------------------------------------------------------
with open('conformance/known-gaps-ref.txt') as f:
    put('conf_gaps', 'ref', f.read())
with open('conformance/known-gaps.example') as f:
    put('conf_gaps', 'example', f.read())
GAPS = {
    'simple': 'API-001 bits the reason\n',
    'globs': 'ERR-0[6-9]? * reason one\nDO-* do two words  \n*-7 all x # c\n',
    'errors': 'API-001\n', 'badprof': 'API-001 win reason\n',
    'noreason': 'API-001 bits   # only a comment\n',
    'set': '[!A-C]* bits r\n[]x] do r\n[ bits r\n',
}
for name, text in GAPS.items():
    put('conf_gaps', name, text)


# ---- dictionaries ----------------------------------------------------------
def dictfile(name, words):
    with open(os.path.join(OUT, name), 'w') as f:
        f.write('# fuzz/gen_seeds.py writes this file\n')
        for w in words:
            f.write('"%s"\n' % w.replace('\\', '\\\\').replace('"', '\\"')
                    .replace('\r', '\\x0d').replace('\n', '\\x0a'))


HTTP_WORDS = [
    'GET ', 'HEAD ', 'POST ', 'PUT ', 'DELETE ', 'PATCH ', 'MOVE ', 'COPY ',
    ' HTTP/1.1\r\n', ' HTTP/1.0\r\n', 'HTTP/1.1 ', 'HTTP/2 ', '\r\n', '\r\n\r\n',
    'Host: ', 'Range: ', 'If-Range: ', 'Content-Length: ', 'Content-Range: ',
    'Transfer-Encoding: chunked', 'Connection: close', 'Connection: keep-alive',
    'Connection: Upgrade, HTTP2-Settings', 'Upgrade: h2c', 'HTTP2-Settings: ',
    'Expect: 100-continue', 'ETag: ', 'Last-Modified: ', 'Location: ',
    'Content-Type: multipart/byteranges; boundary=', 'bytes=', 'bytes ',
    'bytes */', '-', ',', '/', '"', 'W/"', '/hello.txt', '/data.bin',
    '/_mock/rules', '/_mock/log', '/_mock/reset', '?since=', '%2e', '%00',
    '..', '18446744073709551615', '9223372036854775808', '11-', '27-',
    'Wed, 01 Jan 2025 00:00:00 GMT', '0\r\n\r\n', '200', '206', '416', '100',
]
dictfile('http.dict', HTTP_WORDS)
FAULT_WORDS = [
    'match ', 'name=', 'path=', 'prefix=', 'glob=', 'method=', 'proto=',
    'tls=', 'offset=', 'nth=', 'every', 'prob=', 'times=', 'action=',
    'status', 'redirect', 'delay', 'chunk-delay', 'throttle', 'stall',
    'close', 'reset', 'rst-stream', 'goaway', 'bad-length', 'no-length',
    'ignore-range', 'bad-content-range', 'change-content', 'no-validators',
    'garbage', 'http10', 'part-header', 'code=', 'header=', 'body=',
    'location=', 'ms=', 'size=', 'rate=', 'after=', 'delta=', 'shift=',
    'at=headers', 'at=body', 'last=', 'h1', 'h2', 'any', 'yes', 'no', 'none',
    'CANCEL', 'PROTOCOL_ERROR', 'NO_ERROR', '"', '\\"', '#', '\n', '=',
    'rules', 'log', 'reset', '?since=', '0.5', '1e308', '-1',
    '9223372036854775807', '18446744073709551616',
]
dictfile('faults.dict', FAULT_WORDS)
dictfile('gaps.dict', ['bits', 'do', 'all', '*', '?', '[', ']', '[!', '#',
                       '\n', ' ', '\t', 'API-', 'ERR-0', 'DO-', 'CB-'])
dictfile('upload.dict', [
    'BITS_POST ', 'PUT ', ' HTTP/1.1\r\n', 'HTTP/1.1 ', '\r\n', '\r\n\r\n',
    'BITS-Packet-Type: ', 'Ping', 'Create-Session', 'Fragment',
    'Close-Session', 'Cancel-Session', 'Ack', 'BITS-Session-Id: ',
    'BITS-Supported-Protocols: ', 'BITS-Protocol: ', UP_PROTO, UP_SID, REF_SID,
    'Content-Range: ', 'bytes ', '-', '/', '*', 'Content-Length: ',
    'Content-Name: ', 'BITS-Received-Content-Range: ', 'BITS-Error-Code: ',
    'BITS-Error-Context: ', 'BITS-Reply-URL: ', 'BITS-Host-Id: ',
    'BITS-Host-Id-Fallback-Timeout: ', '0x8020001f', '0x80070057', '0x5',
    '0x7', '/_bits/reply/', 'http://', '18446744073709551615', '200', '201',
    '413', '416', '500', '503',
])
