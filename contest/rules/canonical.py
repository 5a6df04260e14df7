"""The rules hash: the published identity of a rules version is
``SHA-256(JCS(rules.to_data()))`` in lowercase hex, over RFC 8785 canonical JSON
(:mod:`contest.canonical`, the one home of ``canonical_json`` and ``sha256_hex``).
"""

from contest.canonical import canonical_json, sha256_hex
from contest.rules.document import RulesDocument


def rules_sha256(rules: RulesDocument) -> str:
    """The rules' identity: SHA-256 over their canonical JSON, lowercase hex."""
    return sha256_hex(canonical_json(rules.to_data()))
