"""Content hashing and size limits (kept free of libcst so cache hits stay cheap)."""

from __future__ import annotations

import hashlib

MAX_BYTES = 5 * 1024 * 1024  # files larger than this are reported, not analysed


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
