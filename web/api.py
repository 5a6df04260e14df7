"""The JSON API: contests and their rules, and ``POST /api/contests/<slug>/entries``.

Errors come back as ``{"error", "message", "errors": [{"field", "code", "message"}]}`` in
the language of the ``Accept-Language`` header. A body that is not a JSON object, or is
nested more than 20 levels deep, is a ``422`` on the field ``body``; a field holding a
character that is not text (a lone surrogate such as ``"\\ud800"``, NUL or another control
character, a non-character) is a ``422`` naming that field.

An ``Idempotency-Key`` header (or ``idempotency_key`` field) stands for one entry: sent again
with the same entry, it answers ``200`` with the receipt of the entry stored first, even
after the close; sent with a different entry, it answers ``409`` (``idempotency_key_reused``)
and stores nothing. Two bodies are the same entry when the fields the entrant states are
the same once normalised, as the entry is stored: the name with its spaces collapsed, the
e-mail address in any case, the phone in E.164, the country code in any case, and every
other field as sent less the white space around it. The moment and the address the request
came from are the server's and play no part.

``GET /api/contests/<slug>`` tells what an entry needs (``entry_form``): the fields the rules
require, and the consent to the processing of personal data with its ``version``, which
the entry's ``personal_data_consent`` field must carry once the entrant agreed to the text.
When the rules say ``defences.api_challenge``, an entry carries a solved proof-of-work
challenge (:mod:`web.challenge`): the client asks ``GET /api/contests/<slug>/challenge``,
solves it (any ALTCHA PoW v2 solver: the ``altcha`` packages for Python and JavaScript) and
sends the payload (base64 of ``{"challenge", "solution"}``) as the field ``challenge``. A
missing, wrong, expired or reused one is a ``422`` on the field ``challenge``
(``challenge_required``, ``challenge_invalid``, ``challenge_expired``,
``challenge_used``), and nothing is stored; each solution opens one request, and is spent
even when the entry is then refused for another field. Each entry's answer carries a new
challenge, ``next_challenge``, which a client sending many entries may solve for its next
one instead of asking again. Without that rule the field is ignored.

An entrant the rules exclude by age or country is a ``422`` naming ``birth_date`` or
``country`` (``under_age``, ``over_age``, ``country_not_allowed``, ``region_not_allowed``,
``required``), and nothing is stored.
"""

from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers.response import Response

from contest.challenge import FIELD as CHALLENGE_FIELD
from contest.entries.confirmation import waiting
from contest.entries.consent import consent_for
from contest.entries.group_intake import GroupIntake
from contest.entries.intake import Arrival, TakenEntry
from contest.entries.requirements import CONSENT_FIELD, CONTACT_FIELDS, entry_requirements
from contest.entries.submission import COLUMNS, user_agent
from contest.errors import EntryRejected, FieldError
from contest.i18n import N_, N_plural
from contest.json_input import check_fields
from contest.ledger.receipts import sign_receipt
from contest.models import Channel
from contest.rules.publishing import CurrentRulesCache, public_contests
from contest.rules.status import contest_stage, public_status
from contest.rules.versions import published_contest
from web import database
from web.auth import csrf
from web.challenge import entry_problem, fresh_challenge
from web.clock import now
from web.i18n import current_language, reason_text
from web.json_body import json_object
from web.postman import postman
from web.public import own_receipt_url, promise_for
from web.ratelimits import public_submissions
from web.transparency import signer

blueprint = Blueprint("api", __name__, url_prefix="/api")
# Everything an entrant states; the server sets the moment, the address it came from and the
# program that sent it.
ENTRY_KEYS = ((set(COLUMNS) - {"entry_id", "submitted_at", "ip", "user_agent"})
              | {"idempotency_key", CONSENT_FIELD, CHALLENGE_FIELD})


def init_app(app: Flask) -> None:
    app.extensions["contest.intake"] = GroupIntake(app.extensions["contest.engine"],
                                                   CurrentRulesCache(),
                                                   app.extensions["contest.signer"])
    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)


@blueprint.get("/contests")
def contests() -> Response:
    summaries = public_contests(database.session(), now=now())
    return jsonify([{
        "slug": c.slug, "title": c.title, "language": c.language, "status": c.status.value,
        "rules_sha256": c.rules_sha256, "entries": c.entry_count,
        "opens_at": c.opens_at.isoformat() if c.opens_at else None,
        "closes_at": c.closes_at.isoformat() if c.closes_at else None,
    } for c in summaries])


@blueprint.get("/contests/<slug>")
def contest(slug: str) -> Response:
    session = database.session()
    found = published_contest(session, slug)
    status = public_status(contest_stage(session, found.contest, now()))
    consent = consent_for(found.rules, current_language())
    return jsonify({"slug": slug, "status": status.value,
                    "rules_version": found.version.version,
                    "rules_sha256": found.version.sha256, "rules": found.rules.to_data(),
                    "entry_form": {
                        "required": list(entry_requirements(found.rules).required),
                        "one_of": list(CONTACT_FIELDS),
                        # Where to get the proof-of-work challenge each entry must carry
                        # (the rules' defences.api_challenge); None: none is asked.
                        CHALLENGE_FIELD: url_for("challenge.challenge", slug=slug,
                                                 _external=True)
                        if found.rules.defences.api_challenge else None,
                        CONSENT_FIELD: {"version": consent.version,
                                        "language": consent.language, "text": consent.text}}})


def _rejected(errors: list[FieldError]) -> EntryRejected:
    return EntryRejected(N_plural("the entry has {count} error",
                                  "the entry has {count} errors"), errors)


def _entry_body() -> dict[str, Any]:
    body = json_object(_rejected, send=N_("send a JSON object with the entry's fields"))
    return check_fields(body, known=ENTRY_KEYS, strings=ENTRY_KEYS, refuse=_rejected)


@blueprint.post("/contests/<slug>/entries")
@public_submissions
def create_entry(slug: str) -> tuple[Response, int]:
    intake: GroupIntake = current_app.extensions["contest.intake"]
    found = intake.current(slug)  # an unknown contest before a bad body
    body = _entry_body()
    solution = body.pop(CHALLENGE_FIELD, None)
    body_key = body.pop("idempotency_key", None)
    consent = body.pop(CONSENT_FIELD, None)
    key = request.headers.get("Idempotency-Key") or body_key
    if found.rules.defences.api_challenge:  # issue 21: before the entry is read
        unsolved = entry_problem(solution, found, key)
        if unsolved is not None:
            raise _rejected([unsolved])
    language = current_language()
    sent_by = {"ip": request.remote_addr,
               "user_agent": user_agent(request.headers.get("User-Agent"))}
    entry = intake.take(slug, Arrival(body | sent_by, Channel.API, now(), idempotency_key=key,
                                      language=language, consent=consent))
    confirming = found.rules.defences.confirm_email
    waits = confirming and waiting(database.session(), entry.id)
    if entry.new and waits:
        postman().post(entry.id)  # mailed after this answer, with others (web.postman)
    body = _receipt_json(entry, slug, language)
    if found.rules.defences.api_challenge:  # a client sending many saves asking each time
        body["next_challenge"] = fresh_challenge(slug)
    if entry.channel == Channel.API and confirming:
        body["waiting_for_confirmation"] = waits
        if waits:
            body["message"] = _("Your entry is recorded and waits for you to confirm your "
                                "e-mail address: open the link we mailed you. An entry not "
                                "confirmed by the close does not count.")
    return jsonify(body), 201 if entry.new else 200


def _receipt_json(entry: TakenEntry, slug: str, language: str) -> dict[str, object]:
    return {
        "ticket": entry.ticket,
        "contest": slug,
        "rules_sha256": entry.rules_sha256,
        "received_at": entry.received_at.isoformat(),
        "eligible": entry.eligible,
        "reasons": list(entry.reasons),
        "receipt_url": own_receipt_url(entry.ticket, external=True),
        "ticket_url": url_for("public.receipt", ticket=entry.ticket, _external=True),
        "signed_receipt": sign_receipt(entry, slug, signer(), promise_for(entry, slug)),
        "message": _headline(entry),
    }


def _headline(entry: TakenEntry) -> str:
    """What the receipt's headline says, in words: whether the entry counts in the draw,
    and if not, why."""
    if entry.eligible:
        return _("Your entry is recorded and counts in the draw.")
    reasons = "; ".join(reason_text(code) for code in entry.reasons)
    return f'{_("Your entry is recorded, but it does not count in the draw:")} {reasons}.'
