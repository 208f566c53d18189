"""Compressing nearest replies for the clients that accept it: gzip (the standard library), past a size threshold.

A lookup's reply for the map (20 sites with labels, hours in words and four navigation links each) is 40-44 KB of
JSON; gzip at level 1 makes it several times smaller for a fraction of the lookup's own CPU (docs/performance.md
has the figures and why level 1 and gzip, not brotli). Small replies (an error, an empty list, `limit=1`) go as they
are: under one TCP packet, compressing saves no round trip.
"""

from __future__ import annotations

import zlib

MIN_SIZE = 1400
"""Bytes below which a reply goes uncompressed (one packet's payload)."""
LEVEL = 1
"""zlib level: 1 compresses the reply nearly as well as 6 for a third of the CPU (measured: docs/performance.md)."""
VARY = (b"vary", b"accept-encoding")
GZIP = (b"content-encoding", b"gzip")


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header value takes gzip (or `*`) with a non-zero quality."""
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            quality = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


def gzip(body: bytes) -> bytes:
    """`body` as a gzip member at `LEVEL` (zlib's wbits 31: gzip header, no file name or time)."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, 31)
    return packer.compress(body) + packer.flush()


def encode(body: bytes, accept_encoding: str) -> tuple[bytes, bool]:
    """The body to send and whether it is gzip-compressed: only when the client takes gzip and the body is large."""
    if len(body) < MIN_SIZE or not accepts_gzip(accept_encoding):
        return body, False
    return gzip(body), True
