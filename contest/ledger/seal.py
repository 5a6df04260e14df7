"""The log's seal: proof that a leaf was appended by this app, not written into its table.

Whoever can write to the database can insert a row into ``log_entries`` with a leaf hash that
matches its text. They cannot compute the leaf's seal: an HMAC-SHA256 (RFC 2104) of the leaf
under a key derived from the log's signing key, which lives outside the database (the
instance folder, or a mounted secret). The log signs a checkpoint only over sealed leaves; a
leaf appended before seals existed is vouched for by a signed checkpoint that covers it.

The seal is for this server's own checks (``issue_checkpoint``, ``contest log verify``);
independent verifiers rely on the signed checkpoints and the witnesses instead.
"""

import hashlib
import hmac
from functools import cache

from contest.ledger.note import Signer

_KEY_PURPOSE = b"contest-log-seal-key/1\n"  # derived from the signing key for nothing else
_SEAL_PURPOSE = b"contest-log-seal/1\n"


def seal(leaf: bytes, signer: Signer) -> str:
    """The seal of ``leaf`` (its canonical JSON bytes) under ``signer``'s key: 64 hex digits."""
    return hmac.new(_seal_key(signer), _SEAL_PURPOSE + leaf, hashlib.sha256).hexdigest()


def is_sealed(leaf: bytes, stored: str | None, signer: Signer) -> bool:
    """Whether ``stored`` is ``leaf``'s seal under ``signer``'s key (compared in constant
    time); a leaf without a seal is not sealed."""
    return stored is not None and hmac.compare_digest(seal(leaf, signer).encode(),
                                                      stored.encode())


def _seal_key(signer: Signer) -> bytes:
    return _derived(signer.private_key)


@cache  # one log key per deployment: derived once, not for every leaf
def _derived(private_key: bytes) -> bytes:
    return hmac.new(private_key, _KEY_PURPOSE, hashlib.sha256).digest()
