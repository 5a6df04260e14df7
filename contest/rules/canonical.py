"""The rules hash: the published identity of a rules version is
``SHA-256(JCS(rules.to_data()))`` in lowercase hex, over RFC 8785 canonical JSON
(:mod:`contest.canonical`, which this module passes on to those reading rules hashes).
"""

from contest.canonical import canonical_json as canonical_json
from contest.canonical import sha256_hex as sha256_hex
from contest.rules.document import RulesDocument


def rules_sha256(rules: RulesDocument) -> str:
    """The rules' identity: SHA-256 over their canonical JSON, lowercase hex."""
    return sha256_hex(canonical_json(rules.to_data()))
