"""The log's side of witnessing: have each configured witness cosign the newest checkpoint
(C2SP tlog-witness ``add-checkpoint``, C2SP tlog-cosignature), and keep what they return.

For each witness of the deployment (``CONTEST_WITNESSES``) that has not cosigned the newest
checkpoint yet, the log sends it with ``old <size>`` = the size of the newest checkpoint that
witness cosigned (0 at first) and the consistency proof from that size; a 409 naming the
witness's own size is answered from that size (:func:`contest.witness.client.
request_cosignature`). A cosignature is kept only once it verifies under the witness's
pinned key. A witness that is down, refuses or answers nonsense is reported, never raised:
the checkpoint stays, unwitnessed by it, and is offered again next time.

The witness package holds no database code (an auditor runs the witness without one), so the
log's storage comes in through :class:`WitnessedLog`, which
:class:`contest.ledger.cosignatures.StoredLog` implements over the database.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar

from contest.errors import ConfigError, ContestError, VerificationFailed
from contest.witness.client import request_cosignature
from contest.witness.cosignature import Cosignature, CosignatureVerifier

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LogWitness:
    """A witness this log asks for cosignatures: its pinned key and its ``add-checkpoint``
    URL prefix."""

    verifier: CosignatureVerifier
    url: str

    @property
    def label(self) -> str:
        """``name+keyid``: how reports and errors name the witness."""
        return f"{self.verifier.name}+{self.verifier.key_id.hex()}"


class WitnessSettingLike(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def url(self) -> str: ...


def log_witnesses(settings: Sequence[WitnessSettingLike]) -> tuple[LogWitness, ...]:
    """The witnesses ``CONTEST_WITNESSES`` names (:attr:`contest.config.Settings.witnesses`),
    each key parsed in full; :class:`ConfigError` names the entry whose key is not a witness's
    (type 0x04) verifier key."""
    found = []
    for number, setting in enumerate(settings, start=1):
        try:
            verifier = CosignatureVerifier.from_key(setting.key)
        except ContestError as error:
            raise ConfigError("CONTEST_WITNESSES entry {number}: {problem}",
                              {"number": number, "problem": error.text("en")}) from None
        found.append(LogWitness(verifier, setting.url))
    return tuple(found)


class CheckpointRow(Protocol):
    """A stored checkpoint, as :class:`WitnessedLog` hands it out."""

    @property
    def id(self) -> int | None: ...

    @property
    def size(self) -> int: ...

    @property
    def note(self) -> str: ...


Row = TypeVar("Row", bound=CheckpointRow)


class WitnessedLog(Protocol[Row]):
    """What collection needs of the log's storage (``Row``: its checkpoint rows)."""

    def newest_checkpoint(self) -> Row | None:
        """The checkpoint to have cosigned (the largest, newest)."""

    def cosigned_size(self, witness: CosignatureVerifier) -> int:
        """The size of the largest checkpoint ``witness`` has a stored cosignature on, 0 if
        none."""

    def has_cosignature(self, checkpoint: Row, witness: CosignatureVerifier) -> bool:
        """Whether a cosignature by ``witness`` on ``checkpoint`` is stored."""

    def consistency_proof(self, old_size: int, new_size: int) -> Sequence[bytes]:
        """The RFC 6962 consistency proof from ``old_size`` to ``new_size`` (none from 0)."""

    def keep_cosignature(self, checkpoint: Row, witness: CosignatureVerifier,
                         line: str, *, now: datetime) -> None:
        """Store the verified signature ``line`` (without its newline)."""


class Outcome(StrEnum):
    COSIGNED = "cosigned"
    ALREADY_COSIGNED = "already cosigned"
    REFUSED = "refused"
    BAD_COSIGNATURE = "bad cosignature"


@dataclass(frozen=True)
class WitnessReport:
    """What one witness did with the newest checkpoint: cosigned it now (``cosignature``
    holds its verified cosignature), had cosigned it before, refused it or could not be
    reached (``problem`` says why, in English, for the operator's log), or answered with a
    cosignature that does not verify."""

    witness: LogWitness
    checkpoint_size: int
    outcome: Outcome
    cosignature: Cosignature | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.COSIGNED, Outcome.ALREADY_COSIGNED)


def collect_cosignatures(log_: WitnessedLog[Row], *, witnesses: Sequence[LogWitness],
                         now: datetime, timeout: float = 10.0) -> tuple[WitnessReport, ...]:
    """Ask each of ``witnesses`` that has not cosigned the newest checkpoint to cosign it, and
    keep each cosignature that verifies; one report per witness, in their order (none if the
    log has no checkpoint).

    It talks to the witnesses over the network while reading and writing through ``log_``:
    call it after the transaction that appended leaves and signed the checkpoint has
    committed, never inside it. It flushes what it stores; the caller commits.
    """
    checkpoint = log_.newest_checkpoint()
    if checkpoint is None:
        return ()
    reports = []
    for witness in witnesses:
        report = _ask(log_, checkpoint, witness, now=now, timeout=timeout)
        if report.ok:
            log.info("witness %s: %s checkpoint of size %d", witness.label, report.outcome,
                     checkpoint.size)
        else:
            log.warning("witness %s did not cosign the checkpoint of size %d: %s: %s",
                        witness.label, checkpoint.size, report.outcome, report.problem)
        reports.append(report)
    return tuple(reports)


def _ask(log_: WitnessedLog[Row], checkpoint: Row, witness: LogWitness, *,
         now: datetime, timeout: float) -> WitnessReport:
    if log_.has_cosignature(checkpoint, witness.verifier):
        return WitnessReport(witness, checkpoint.size, Outcome.ALREADY_COSIGNED)
    try:
        cosigned = request_cosignature(
            witness.url, checkpoint.note, old_size=log_.cosigned_size(witness.verifier),
            consistency_proof=lambda old: log_.consistency_proof(old, checkpoint.size),
            witness=witness.verifier, timeout=timeout)
    except VerificationFailed as error:
        return WitnessReport(witness, checkpoint.size, Outcome.BAD_COSIGNATURE,
                             problem=error.text("en"))
    except ContestError as error:  # WitnessUnavailable, or a proof the log cannot give
        return WitnessReport(witness, checkpoint.size, Outcome.REFUSED,
                             problem=error.text("en"))
    # One line per witness key: a second one by the same key would say nothing more.
    log_.keep_cosignature(checkpoint, witness.verifier, cosigned.lines.splitlines()[0],
                          now=now)
    return WitnessReport(witness, checkpoint.size, Outcome.COSIGNED, cosigned.cosignature)

