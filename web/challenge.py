"""The proof-of-work challenge (:mod:`contest.challenge`) in the browser and the API.

``GET /api/contests/<slug>/challenge`` answers a new challenge as JSON (ALTCHA's PoW v2:
``{"parameters": {…}, "signature": "…"}``): the widget on the public entry and complaint
forms fetches it, solves it and puts its payload in the form field ``challenge``; an API
client does the same and sends the payload as the entry's JSON field ``challenge`` when the
rules say ``defences.api_challenge`` (see :mod:`web.api`). The forms carry the widget when
``CONTEST_CHALLENGE_DIFFICULTY`` is above 0.

A solution taken is kept in the rate limits' store (``CONTEST_RATELIMIT_STORAGE_URI``) until
its challenge expires, so that it opens nothing a second time: shared by every worker and
server with ``redis://``, per worker process with ``memory://``, as the rate limits are.
"""

import time
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify
from limits.storage import Storage
from werkzeug.wrappers.response import Response

from contest.challenge import challenge_key, check_solution, new_challenge
from contest.entries.group_intake import GroupIntake
from contest.entries.intake import stored_under_key
from contest.errors import FieldError
from contest.rules.versions import PublishedContest
from web import database
from web.ratelimits import PublicLimits

blueprint = Blueprint("challenge", __name__, url_prefix="/api")


@dataclass(frozen=True)
class StoredSolutions:
    """:class:`contest.challenge.SpentSolutions` in the rate limits' store."""

    storage: Storage

    def first_use(self, token: str, seconds: int) -> bool:
        return self.storage.incr(f"challenge-spent/{token}", seconds) == 1


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


def _key() -> bytes:
    secret = current_app.secret_key
    assert secret is not None
    return challenge_key(secret)


def forms_ask() -> bool:
    """Whether the public forms carry the challenge (the deployment's setting)."""
    return int(current_app.config.get("CHALLENGE_DIFFICULTY", 0)) > 0


@blueprint.get("/contests/<slug>/challenge")
def challenge(slug: str) -> Response:
    intake: GroupIntake = current_app.extensions["contest.intake"]
    intake.current(slug)  # a 404 for a contest not published; its rules kept in memory
    response: Response = jsonify(fresh_challenge(slug))
    response.headers["Cache-Control"] = "no-store"
    return response


def fresh_challenge(slug: str) -> dict[str, Any]:
    """A new challenge for contest ``slug`` (published: the caller checked), at the
    deployment's difficulty."""
    return new_challenge(key=_key(),
                         difficulty=int(current_app.config.get("CHALLENGE_DIFFICULTY", 0)),
                         contest=slug, now=time.time())


def entry_problem(payload: str | None, contest: PublishedContest,
                  key: str | None) -> FieldError | None:
    """Why ``payload`` does not open ``contest`` for an entry sent with the idempotency key
    ``key`` (:func:`solution_problem`), or None. An entry sent again under the key of one
    stored (a client's retry after a lost answer, a second click) needs no new solution,
    as it opens nothing: the intake answers it with the entry stored, or refuses it as
    another entry. (A second click that arrives before the first is stored still meets
    the spent solution.)"""
    problem = solution_problem(payload, contest.contest.slug)
    if problem is None or key is None:
        return problem
    known = stored_under_key(database.session(), contest_id=contest.contest_id, key=key)
    return None if known else problem


def solution_problem(payload: str | None, slug: str) -> FieldError | None:
    """Why ``payload`` does not open contest ``slug`` (see
    :func:`contest.challenge.check_solution`), or None: then it is spent."""
    limits: PublicLimits = current_app.extensions["contest.public_limits"]
    return check_solution(payload, key=_key(), contest=slug,
                          spent=StoredSolutions(limits.strategy.storage))
