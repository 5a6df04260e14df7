"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme) and SHA-256 in lowercase hex: the
bytes of everything this system hashes or signs, the public log's leaves
(:mod:`contest.ledger.store`) and the published rules (:mod:`contest.rules.canonical`) alike.

A leaf module, below both the ledger and the rules, so that neither needs the other for it.
The data hashed holds no floats (money is a decimal string), so the canonical form depends
only on RFC 8785's key ordering and string escaping.
"""

import hashlib
import json
from typing import Any

import rfc8785


def canonical_json(data: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of ``data``.

    Every accepted entry's log event is canonicalised on the intake's path, where the
    reference implementation (``rfc8785``, pure Python) costs a few times what the standard
    library's C encoder does. For data of objects with ASCII keys, arrays, strings, safe
    integers, booleans and null (what the log's events are) the standard encoder, keys
    sorted and no whitespace, writes exactly RFC 8785's bytes: ASCII keys sort the same by
    code point as by UTF-16 unit, and both escape only the quote, the backslash and the
    control characters, alike. Anything else (a float, a key beyond ASCII, a lone
    surrogate, an integer outside ±(2**53 - 1)) takes the reference implementation."""
    if _plain(data):
        try:
            return json.dumps(data, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate: the reference implementation says so
    return rfc8785.dumps(data)


_SAFE_INTEGER = 2**53 - 1


def _plain(data: Any) -> bool:
    """Whether ``data`` holds only what the standard encoder writes as RFC 8785 does."""
    if data is None or isinstance(data, str | bool):
        return True
    if isinstance(data, int):
        return -_SAFE_INTEGER <= data <= _SAFE_INTEGER
    if isinstance(data, list | tuple):
        return all(_plain(item) for item in data)
    if isinstance(data, dict):
        return all(isinstance(key, str) and key.isascii() and _plain(value)
                   for key, value in data.items())
    return False


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
