"""The witness's ``add-checkpoint`` (C2SP tlog-witness, https://c2sp.org/tlog-witness): read
the request, run the checks the spec names in its order, cosign, remember.

The request body is ``old <size>``, up to 63 lines of a consistency proof in base64, a blank
line, then the checkpoint note. Each refusal is raised as the error whose kind gives the
HTTP status the spec requires (:mod:`contest.witness.server` maps them):

=====================================================  ===========================  ======
what is wrong                                          error                        status
=====================================================  ===========================  ======
body or checkpoint malformed; old size beyond the new  :class:`Malformed`           400
no valid signature by a key trusted for the origin     :class:`Forbidden`           403
origin unknown to this witness                         :class:`NotFound`            404
old size is not the size last cosigned for the log     :class:`WitnessBehind`       409
proof does not verify (rewritten or truncated log),    :class:`VerificationFailed`  422
same size with another root, size 0 not the empty tree
=====================================================  ===========================  ======

A truncated log shows as a checkpoint smaller than the witness's (a 409 if the log says the
old size is its own smaller one, a 400 if it claims the witness's size), a rewritten one as a
proof that does not verify or a same-size checkpoint with another root (422).
"""

import binascii
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256

from contest.errors import (
    Forbidden,
    Malformed,
    NotFound,
    TryAgain,
    VerificationFailed,
    WitnessBehind,
)
from contest.i18n import N_
from contest.ledger.merkle import EMPTY_ROOT, verify_consistency
from contest.ledger.note import Checkpoint, Verifier, open_note, read_note
from contest.witness.cosignature import Cosigner
from contest.witness.state import CosignedCheckpoint, WitnessState

MAX_PROOF_LINES = 63
MAX_BODY = 64 * 1024
_OLD = re.compile(r"old (0|[1-9][0-9]*)")
_HASH = re.compile(r"[A-Za-z0-9+/]{43}=")
_SWAP_ATTEMPTS = 8

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AddCheckpoint:
    """An ``add-checkpoint`` request: the size the log believes the witness holds, the
    consistency proof from it, and the new checkpoint note (signatures included)."""

    old_size: int
    proof: tuple[bytes, ...]
    note: str

    def body(self) -> bytes:
        """The request body as sent on the wire."""
        lines = [f"old {self.old_size}"] + [_b64(hash_) for hash_ in self.proof]
        return ("".join(line + "\n" for line in lines) + "\n" + self.note).encode("utf-8")

    @classmethod
    def from_body(cls, body: bytes) -> "AddCheckpoint":
        """Parse a request body strictly; :class:`Malformed` says what is wrong."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Malformed(N_("request is not valid UTF-8 (byte {offset})"),
                            {"offset": error.start}) from None
        head, blank, note = text.partition("\n\n")
        if not blank:
            raise Malformed(N_("request should be an old size line, the proof lines, a blank "
                               "line and the checkpoint"))
        old_line, *proof_lines = head.split("\n")
        match = _OLD.fullmatch(old_line)
        if match is None:
            raise Malformed(N_("request's first line should be 'old' and a size without "
                               "leading zeros, got {got!r}"), {"got": old_line[:40]})
        if len(proof_lines) > MAX_PROOF_LINES:
            raise Malformed(N_("consistency proof has {got} lines, at most {limit} are accepted"),
                            {"got": len(proof_lines), "limit": MAX_PROOF_LINES})
        proof = []
        for number, line in enumerate(proof_lines, start=1):
            if not _HASH.fullmatch(line) or _b64(binascii.a2b_base64(line)) != line:
                raise Malformed(N_("consistency proof line {number} should be a 32-byte hash in "
                                   "base64, got {got!r}"), {"number": number, "got": line[:60]})
            proof.append(binascii.a2b_base64(line))
        return cls(int(match.group(1)), tuple(proof), note)


def _b64(value: bytes) -> str:
    return binascii.b2a_base64(value, newline=False).decode("ascii")


def origin_hash(origin: str) -> str:
    """The lowercase hex SHA-256 of a log's origin: its name in the monitoring URL."""
    return sha256(origin.encode("utf-8")).hexdigest()


class Witness:
    """A witness: its cosigning key, the logs it knows (origin → trusted verifier keys) and
    its store."""

    def __init__(self, cosigner: Cosigner, logs: Mapping[str, Sequence[Verifier]],
                 state: WitnessState) -> None:
        self.cosigner = cosigner
        self.logs = {origin: tuple(keys) for origin, keys in logs.items()}
        self.state = state
        self._by_hash = {origin_hash(origin): origin for origin in self.logs}

    def add_checkpoint(self, request: AddCheckpoint, *, now: datetime) -> str:
        """The witness's cosignature line(s) on the request's checkpoint, once every check of
        the spec passes and the checkpoint is stored; else the error for the refusal."""
        checkpoint, log_signatures = self._open(request.note)
        if request.old_size > checkpoint.size:
            raise Malformed(N_("old size {old} is beyond the checkpoint's size {size}"),
                            {"old": request.old_size, "size": checkpoint.size})
        for _attempt in range(_SWAP_ATTEMPTS):
            latest = self.state.latest(checkpoint.origin)
            self._check(request, checkpoint, latest)
            text = checkpoint.to_text()
            cosignature = self.cosigner.cosign(text, now=now)
            note = text + "\n" + "".join(log_signatures) + cosignature
            new = CosignedCheckpoint(checkpoint.origin, checkpoint.size, checkpoint.root_hash,
                                     note, int(now.timestamp()))
            if self.state.swap(latest, new):
                return cosignature
        raise TryAgain(N_("the witness's record of log {origin} kept changing; try again"),
                       {"origin": checkpoint.origin})

    def _open(self, note: str) -> tuple[Checkpoint, list[str]]:
        """The checkpoint in ``note`` and its signature lines by the log's trusted keys."""
        try:
            text, signatures = read_note(note)
            checkpoint = Checkpoint.from_text(text)
        except VerificationFailed as error:
            raise Malformed(error.message, error.params) from None
        keys = self.logs.get(checkpoint.origin)
        if keys is None:
            raise NotFound(N_("this witness does not witness log {origin}"),
                           {"origin": checkpoint.origin})
        try:
            open_note(note, keys)
        except VerificationFailed as error:
            raise Forbidden(error.message, error.params) from None
        trusted = {(key.name, key.key_id) for key in keys}
        return checkpoint, [signature.line() for signature in signatures
                            if (signature.name, signature.key_id) in trusted]

    def _check(self, request: AddCheckpoint, checkpoint: Checkpoint,
               latest: CosignedCheckpoint | None) -> None:
        size = latest.size if latest is not None else 0
        if request.old_size != size:
            log.warning("log %s: old size %d, but the witness cosigned size %d",
                        checkpoint.origin, request.old_size, size)
            raise WitnessBehind(
                N_("the witness's latest checkpoint of log {origin} has size {size}, not "
                   "{old}"), {"origin": checkpoint.origin, "size": size,
                              "old": request.old_size}, size=size)
        if checkpoint.size == 0 and checkpoint.root_hash != EMPTY_ROOT:
            raise VerificationFailed(
                N_("a checkpoint of size 0 must have the empty tree's root {expected}, got "
                   "{got}"), {"expected": EMPTY_ROOT.hex(), "got": checkpoint.root_hash.hex()})
        old_root = latest.root_hash if latest is not None else EMPTY_ROOT
        try:
            verify_consistency(size, checkpoint.size, request.proof, old_root,
                               checkpoint.root_hash)
        except VerificationFailed:
            log.warning("log %s: checkpoint of size %d is not consistent with the cosigned "
                        "one of size %d; it may be evidence of a fork:\n%s",
                        checkpoint.origin, checkpoint.size, size, request.note)
            raise

    def served_checkpoint(self, hashed_origin: str) -> str:
        """The note served to monitors at ``<origin hash>/checkpoint``: the latest cosigned
        checkpoint with the log's and the witness's signatures."""
        origin = self._by_hash.get(hashed_origin)
        latest = self.state.latest(origin) if origin is not None else None
        if latest is None:
            raise NotFound(N_("this witness has cosigned no checkpoint of that log"))
        return latest.note
