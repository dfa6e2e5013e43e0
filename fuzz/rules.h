/*
 * rules.h - the fault table the h2mock connection targets load: one rule
 * per action, keyed on a method or a Range start the fuzzer can write
 * (the dictionary has them), so every action's code path is reachable.
 */
#ifndef FUZZ_RULES_H
#define FUZZ_RULES_H

#define FUZZ_MOCK_RULES                                                        \
    "match method=PATCH action=status code=503 header=\"Retry-After: 2\"\n"    \
    "match method=MOVE action=redirect code=302 location=/hello.txt\n"         \
    "match method=COPY action=status code=204\n"                               \
    "match offset=11 action=delay ms=50 action=throttle rate=4096\n"           \
    "match offset=12 action=chunk-delay ms=10 size=1000\n"                     \
    "match offset=13 action=stall after=100\n"                                 \
    "match offset=14 action=close after=500\n"                                 \
    "match offset=15 action=reset after=10\n"                                  \
    "match offset=16 proto=h2 action=rst-stream code=CANCEL after=100\n"       \
    "match offset=17 proto=h2 action=goaway code=PROTOCOL_ERROR after=0\n"     \
    "match offset=18 action=bad-length delta=100\n"                            \
    "match offset=19 action=no-length\n"                                       \
    "match offset=20 action=ignore-range\n"                                    \
    "match offset=21 action=bad-content-range shift=100\n"                     \
    "match offset=22 action=change-content\n"                                  \
    "match offset=23 action=no-validators\n"                                   \
    "match offset=24 action=garbage size=32 at=headers\n"                      \
    "match offset=25 proto=h1 action=http10\n"                                 \
    "match offset=26 action=part-header header=\"X-Pad: abc\"\n"               \
    "match offset=27 nth=2 action=close after=0\n"                             \
    "match glob=/*.txt prob=0.5 times=3 action=delay ms=5\n"

#endif
