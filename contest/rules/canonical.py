"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme) and the rules hash.

The published identity of a rules version is ``SHA-256(JCS(rules.to_data()))`` in lowercase
hex. The rules data holds no floats (money is a decimal string), so the canonical form
depends only on RFC 8785's key ordering and string escaping.
"""

import hashlib
from typing import Any

import rfc8785

from contest.rules.document import RulesDocument


def canonical_json(data: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of ``data``."""
    return rfc8785.dumps(data)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rules_sha256(rules: RulesDocument) -> str:
    """The rules' identity: SHA-256 over their canonical JSON, lowercase hex."""
    return sha256_hex(canonical_json(rules.to_data()))
