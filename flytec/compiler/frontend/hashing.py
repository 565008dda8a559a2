"""Content hashing and size limits (kept free of libcst so cache hits stay cheap)."""

from __future__ import annotations

import hashlib

MAX_BYTES = 5 * 1024 * 1024  # files larger than this are reported, not analysed


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def content_hash_of(*parts: bytes) -> str:
    """``content_hash(b"\\0".join(parts))``, without joining them."""
    h = hashlib.blake2b(digest_size=16)
    for i, part in enumerate(parts):
        if i:
            h.update(b"\0")
        h.update(part)
    return h.hexdigest()
