"""The one error hierarchy of the domain.

Every error a person can cause is a :class:`ContestError`, of a kind that says what went
wrong (not found, a conflict with the contest's state, bad input, try again...); the web layer
turns each kind into its HTTP status with the message in the person's language
(``web/errors.py``), the command line into an exit status. Anything else that escapes is a
bug.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from contest.i18n import Plural, translate


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with one field: ``field`` is a dotted path such as ``prizes.0.quantity``.

    ``message`` is an English message id with ``{name}`` placeholders; ``code`` is stable
    for scripts; ``params`` fill the placeholders.
    """

    field: str
    code: str
    message: str | Plural
    # The attribute ``field`` above hides dataclasses.field in this class body.
    params: Mapping[str, object] = dataclass_field(default_factory=dict)

    def text(self, language: str = "en") -> str:
        return translate(self.message, language, self.params)

    def as_json(self, language: str = "en") -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.text(language)}


class ContestError(Exception):
    """Root of every error the domain raises on purpose."""

    code = "contest_error"

    def __init__(self, message: str | Plural,
                 params: Mapping[str, object] | None = None) -> None:
        super().__init__(translate(message, "en", params))
        self.message = message
        self.params: Mapping[str, object] = params or {}

    def text(self, language: str = "en") -> str:
        return translate(self.message, language, self.params)


class ConfigError(ContestError):
    """A configuration value is missing or wrong; the message names the variable."""

    code = "config_error"


class NotFound(ContestError):
    code = "not_found"


class Forbidden(ContestError):
    code = "forbidden"


class Conflict(ContestError):
    """The request clashes with the present state of the contest or of one of its records:
    a step out of order, a step taken already, rules that do not provide for it. Nothing
    changed; the message says what stands in the way."""

    code = "conflict"


class AlreadyDone(Conflict):
    """A step that is taken once was taken already: a flag decided, a complaint answered, a
    party's secret revealed."""

    code = "already_done"


class RulesDoNotProvide(Conflict):
    """The contest's published rules do not provide for the step: a commitment when the
    draw's randomness is not commit-reveal, a deadline in more business days than any
    calendar counts."""

    code = "rules_do_not_provide"


class TryAgain(ContestError):
    """The work could not be finished this time for a reason that passes: other requests
    took every number tried, the complaint desk was busy. Nothing was stored, and sending the
    same request again is safe."""

    code = "try_again"


class OutOfRange(ContestError):
    """A number asks for what is not held: a leaf, a tree size or a proof beyond the log,
    or two sizes in the wrong order. The message says what is held and what was asked."""

    code = "out_of_range"


class Malformed(ContestError):
    """A value a person sent that has a fixed form does not have it: a key, a note or a
    checkpoint. The message says expected vs got. (A value our own code built in the wrong
    form is a bug: an ``AssertionError``, a 500.)"""

    code = "malformed"


class KeyMalformed(Malformed):
    """A signing key or its text (name, key ID, Ed25519 bytes) is not well formed."""

    code = "key_malformed"


class NoteMalformed(Malformed):
    """The text of a note or checkpoint to sign breaks its format (C2SP signed-note,
    tlog-checkpoint): empty, no final newline, a control character, a bad line."""

    code = "note_malformed"


class InvalidInput(ContestError):
    """Input with one or more field errors, all reported at once."""

    code = "invalid_input"

    def __init__(self, message: str | Plural, errors: Sequence[FieldError]) -> None:
        super().__init__(message, {"count": len(errors)})
        self.errors: tuple[FieldError, ...] = tuple(errors)

    def __str__(self) -> str:
        details = "; ".join(f"{e.field}: {e.text()}" for e in self.errors)
        return f"{super().__str__()}: {details}" if details else super().__str__()


class RulesInvalid(InvalidInput):
    code = "rules_invalid"


class RulesFrozen(Conflict):
    """A published rules version cannot change in place."""

    code = "rules_frozen"


class RulesChanged(Conflict):
    """An entry was to be taken under rules that a newer published version has replaced;
    nothing was stored (see ``take_entry(only_if_current=True)``)."""

    code = "rules_changed"


class EntryRejected(InvalidInput):
    """The entry was not stored: invalid fields, or the contest is not taking entries."""

    code = "entry_rejected"


class IdempotencyKeyReused(Conflict):
    """An idempotency key came again with a different entry: the entry stored under the key
    stands, and the new one is not stored."""

    code = "idempotency_key_reused"


class ImportFailed(ContestError):
    """A whole file could not be read (not UTF-8, no header row, missing columns...)."""

    code = "import_failed"


class VerificationFailed(ContestError):
    """A proof, signature or recomputation does not check out; the message says which and how
    (expected vs got)."""

    code = "verification_failed"


class DrawNotVerifiable(VerificationFailed):
    """A draw bundle fails one of its checks."""

    code = "draw_not_verifiable"


class LogTampered(VerificationFailed):
    """The stored log does not match a checkpoint that was issued."""

    code = "log_tampered"


class NotIncludedYet(NotFound):
    """An entry's leaf is on the log but in no signed checkpoint yet (its receipt promised
    by when it will be)."""

    code = "not_included_yet"


class EntriesTampered(LogTampered):
    """The entries stored disagree with the entries on the public log (one was changed,
    added or taken out behind the app's back): the freeze is refused, never made from them."""

    code = "entries_tampered"


class RulesTampered(VerificationFailed):
    """A published rules version no longer is what was published: its stored text does not
    hash to its stored SHA-256, or that SHA-256 is not the one the public log recorded. The
    record was altered behind the app's back; the rules are refused, never shown."""

    code = "rules_tampered"


class RandomnessUnavailable(ContestError):
    """The public randomness is not there yet, cannot be fetched, or a party did not reveal."""

    code = "randomness_unavailable"


class WitnessBehind(Conflict):
    """A log sent a witness a checkpoint with an old size that is not the size of the latest
    checkpoint the witness cosigned for that log (C2SP tlog-witness: 409 Conflict). Nothing
    was cosigned; :attr:`size` is the witness's size, from which the log should prove
    consistency."""

    code = "witness_behind"

    def __init__(self, message: str | Plural, params: Mapping[str, object] | None = None, *,
                 size: int) -> None:
        super().__init__(message, params)
        self.size = size


class WitnessUnavailable(ContestError):
    """A witness could not be reached, or answered other than the C2SP tlog-witness protocol
    says (a refusal, a malformed or missing cosignature)."""

    code = "witness_unavailable"


class LogUnavailable(ContestError):
    """A public log could not be read over HTTP: unreachable, or a tile, entry bundle or
    checkpoint it must serve was refused or came back malformed."""

    code = "log_unavailable"


class NetworkUnavailable(ContestError):
    """A social network's API could not be read: unreachable, an answer that is not the one
    its documentation describes, a token it refused, or too many requests even after
    waiting. Nothing read so far is taken; the message names the network and the method."""

    code = "network_unavailable"
