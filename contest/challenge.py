"""The proof-of-work challenge at the door: ALTCHA (altcha.org), self-hosted, with no third
party, no cookie and no tracking.

The server makes a challenge (:func:`new_challenge`: ALTCHA's PoW v2, ``SHA-256`` with one
round, in its deterministic mode: the server picks a counter below the difficulty and signs
the first 16 bytes of the key it derives), the entrant's browser (the ``altcha`` widget,
bundled in ``web/static/vendor``) or an API client finds that counter by trying them from 0,
and the server checks the answer (:func:`check_solution`) with one hash. The difficulty is
the deployment's ``CONTEST_CHALLENGE_DIFFICULTY``, the largest counter (ALTCHA's v1 called
it ``maxnumber``): on average a browser derives half of it, about a second for 100,000 on a
phone. A challenge is signed with HMAC-SHA-256 under a key derived from the app's secret key
(:func:`challenge_key`), names its contest (a solution for one contest opens no other), and
expires after :data:`LIFETIME`; a solution is taken once (:class:`SpentSolutions` keeps each
until its challenge expires).

What can go wrong is a :class:`~contest.errors.FieldError` on the field ``challenge``, with a
stable code: ``challenge_required`` (none sent), ``challenge_invalid`` (not a solution, a
forged or altered challenge, another contest's, a wrong counter), ``challenge_expired``,
``challenge_used`` (sent before).
"""

import hashlib
import hmac
import secrets
import time
from typing import Any, Protocol

import altcha

from contest.errors import FieldError
from contest.i18n import N_

FIELD = "challenge"
"""The form field and the API's JSON field that carry the solution (the widget's payload:
base64 of ``{"challenge": …, "solution": {"counter": …, "derivedKey": …}}``)."""
ALGORITHM = "SHA-256"
LIFETIME = 20 * 60
"""Seconds a challenge may be solved and sent in: a person fills the form in a few minutes
(the widget starts when they first focus a field, and asks again after this)."""
_PURPOSE = b"contest: ALTCHA challenges"


class SpentSolutions(Protocol):
    """Where the solutions taken are kept until their challenge expires: shared by every
    worker and server when the deployment's rate-limit store is (``redis://``)."""

    def first_use(self, token: str, seconds: int) -> bool:
        """Record ``token`` for ``seconds``; whether it was not recorded already."""
        ...


def challenge_key(secret_key: str | bytes) -> bytes:
    """The HMAC key of the challenges: derived from the app's secret key, so that a
    challenge's signature reveals nothing of it and signs nothing else."""
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(secret, _PURPOSE, hashlib.sha256).digest()


def new_challenge(*, key: bytes, difficulty: int, contest: str, now: float) -> dict[str, Any]:
    """A new challenge for ``contest`` as the widget and API clients read it (JSON), made at
    ``now`` (Unix seconds); ``difficulty`` 0 or 1 makes one solved at the first try."""
    counter = secrets.randbelow(difficulty) if difficulty > 1 else 0
    made = altcha.create_challenge(
        ALGORITHM, 1, counter=counter, expires_at=int(now) + LIFETIME,
        data={"contest": contest}, hmac_secret=key)
    challenge: dict[str, Any] = made.to_dict()
    return challenge


def _error(code: str, message: str) -> FieldError:
    return FieldError(FIELD, code, message)


REQUIRED = _error("challenge_required", N_(
    "the check that a person's browser sent this is missing: it needs JavaScript, so turn "
    "JavaScript on and send again, or wait until the box says it is done"))
INVALID = _error("challenge_invalid", N_(
    "the check that a person's browser sent this is not valid; reload the page and send "
    "again"))
EXPIRED = _error("challenge_expired", N_(
    "the check that a person's browser sent this has expired; tick the box again and send"))
USED = _error("challenge_used", N_(
    "the check that a person's browser sent this was used already; tick the box again and "
    "send"))


def check_solution(payload: str | None, *, key: bytes, contest: str,
                   spent: SpentSolutions) -> FieldError | None:
    """Why ``payload`` (the widget's, or an API client's) does not open ``contest``, or None
    when it does, then recorded as spent. Never raises: any malformed payload is invalid."""
    if not payload or not payload.strip():
        return REQUIRED
    result = altcha.verify_solution(payload.strip(), key)
    if result.expired:
        return EXPIRED
    if not result.verified:
        return INVALID
    parsed = altcha.Payload.from_base64(payload.strip())  # read by verify_solution already
    data = parsed.challenge.parameters.data
    if not isinstance(data, dict) or data.get("contest") != contest:
        return INVALID
    expires = parsed.challenge.parameters.expires_at
    signature = parsed.challenge.signature
    if not isinstance(expires, int) or not isinstance(signature, str):
        return INVALID
    # The challenge's own clock: real seconds, whatever clock the contest is judged by.
    if not spent.first_use(signature, max(1, expires - int(time.time()) + 1)):
        return USED
    return None
