"""What a log calls to have a checkpoint cosigned by a witness (C2SP tlog-witness client side).

:func:`request_cosignature` posts the checkpoint with a consistency proof from the size the
log believes the witness holds. If the witness answers 409 with another size (it restarted
with an older store, or the log lost track), the log proves consistency from that size and
tries again. The cosignature returned is checked against the witness's pinned key before
the log publishes it.
"""

import http.client
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from contest.errors import VerificationFailed, WitnessUnavailable
from contest.i18n import N_
from contest.ledger.note import Checkpoint, read_note
from contest.witness.cosignature import Cosignature, CosignatureVerifier, verify_cosignatures
from contest.witness.witness import AddCheckpoint

_ATTEMPTS = 3
_MAX_REPLY = 64 * 1024


@dataclass(frozen=True)
class Cosigned:
    """A witness's answer: its verified cosignature and the signature line(s) to add to the
    checkpoint note."""

    cosignature: Cosignature
    lines: str


def request_cosignature(witness_url: str, note: str, *, old_size: int,
                        consistency_proof: Callable[[int], Sequence[bytes]],
                        witness: CosignatureVerifier, timeout: float = 10.0) -> Cosigned:
    """Have the witness at ``witness_url`` cosign the checkpoint ``note``.

    ``old_size`` is the size the log last had cosigned by this witness (0 if never);
    ``consistency_proof(size)`` gives the proof from ``size`` to the checkpoint's size (the
    log's :meth:`~contest.ledger.merkle.MerkleTree.consistency_proof`). A 409 is answered by
    proving from the witness's size, a few times at most. :class:`WitnessUnavailable` if the
    witness cannot be reached or refuses, :class:`VerificationFailed` if its answer is not a
    valid cosignature by ``witness``.
    """
    text, _signatures = read_note(note)
    checkpoint = Checkpoint.from_text(text)
    size = old_size
    for _attempt in range(_ATTEMPTS):
        if size > checkpoint.size:
            raise WitnessUnavailable(
                N_("witness {name} has cosigned size {size} of log {origin}, beyond this "
                   "checkpoint's size {checkpoint}: the log has lost entries"),
                {"name": witness.name, "size": size, "origin": checkpoint.origin,
                 "checkpoint": checkpoint.size})
        request = AddCheckpoint(size, tuple(consistency_proof(size)), note)
        status, content_type, body = _post(witness_url.rstrip("/") + "/add-checkpoint",
                                           request.body(), timeout)
        if status == 200:
            return _cosigned(note, body, witness)
        if status == 409 and content_type.split(";")[0].strip() == "text/x.tlog.size":
            size = _size(body, witness)
            continue
        raise WitnessUnavailable(
            N_("witness {name} refused the checkpoint of size {size}: HTTP {status} {reason}"),
            {"name": witness.name, "size": checkpoint.size, "status": status,
             "reason": body[:200].decode("utf-8", "replace").strip()})
    raise WitnessUnavailable(
        N_("witness {name} kept answering that its size changed; gave up after {attempts} "
           "tries"), {"name": witness.name, "attempts": _ATTEMPTS})


def _post(url: str, body: bytes, timeout: float) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "text/plain; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return (response.status, response.headers.get("Content-Type", ""),
                    response.read(_MAX_REPLY))
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Content-Type", ""), error.read(_MAX_REPLY)
    except (OSError, http.client.HTTPException) as error:
        raise WitnessUnavailable(N_("witness at {url} cannot be reached: {reason}"),
                                 {"url": url, "reason": str(error)}) from None


def _size(body: bytes, witness: CosignatureVerifier) -> int:
    text = body.decode("ascii", "replace")
    if not text.endswith("\n") or not text[:-1].isdigit() or text != f"{int(text[:-1])}\n":
        raise WitnessUnavailable(
            N_("witness {name} answered 409 without a size line, got {got!r}"),
            {"name": witness.name, "got": text[:40]})
    return int(text[:-1])


def _cosigned(note: str, body: bytes, witness: CosignatureVerifier) -> Cosigned:
    try:
        lines = body.decode("utf-8")
    except UnicodeDecodeError:
        raise VerificationFailed(N_("witness {name} answered with bytes that are not UTF-8"),
                                 {"name": witness.name}) from None
    cosignature, = verify_cosignatures(note + lines, [witness])
    _text, signatures = read_note(note + lines)
    mine = "".join(signature.line() for signature in signatures if witness.matches(signature))
    return Cosigned(cosignature, mine)
