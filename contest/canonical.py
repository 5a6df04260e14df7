"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme) and SHA-256 in lowercase hex: the
bytes of everything this system hashes or signs, the public log's leaves
(:mod:`contest.ledger.store`) and the published rules (:mod:`contest.rules.canonical`) alike.

A leaf module, below both the ledger and the rules, so that neither needs the other for it.
The data hashed holds no floats (money is a decimal string), so the canonical form depends
only on RFC 8785's key ordering and string escaping.
"""

import hashlib
from typing import Any

import rfc8785


def canonical_json(data: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of ``data``."""
    return rfc8785.dumps(data)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
