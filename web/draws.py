"""The draw desk for staff: freeze the entries, take the randomness, draw, replace a winner.

Each button calls one domain function of :mod:`contest.draw.service`; every step lands on
the public log. In commit-reveal draws the parties' commitments are entered before the
freeze and their secrets after it, here or with ``contest draw commit|reveal``.
"""

from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers.response import Response

from contest.draw.parties import PARTY_LABELS, parties_for
from contest.draw.public_randomness import named_randomness, take_public_randomness
from contest.draw.readiness import Missing, frozen_rules, next_step
from contest.draw.recheck import needs_recheck, recheck_conditions
from contest.draw.service import (
    REPLACEMENT_LABELS,
    commit,
    commitments,
    current_winners,
    find_draw,
    freeze,
    make_draw,
    replace_winner,
    reveal,
)
from contest.entries.confirmation import count_waiting
from contest.errors import ContestError
from contest.i18n import translate
from contest.lifecycle import ACTOR_LABELS, STAGE_NAMES, Action, allowed, roles_for
from contest.models import Role
from contest.randomness.rfc3797 import PUBLIC_NUMBERS
from contest.rules.publishing import find_contest
from contest.rules.status import public_status
from contest.rules.versions import find_published
from contest.sources.registry import readers
from web import database
from web.auth import actor_id, role_required
from web.clock import now
from web.errors import flash_error
from web.i18n import current_language, moment
from web.rules_form import local_moment
from web.transparency import randomness_in_words, signer

blueprint = Blueprint("draws", __name__, url_prefix="/manage")


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


@blueprint.get("/contests/<slug>/draw")
@role_required(Role.MARKETER, Role.AUDITOR)
def desk(slug: str) -> str:
    session = database.session()
    contest = find_contest(session, slug)
    record = find_draw(session, contest)
    winners = current_winners(session, record) if record and record.seed else []
    found = find_published(session, contest)
    source = found.rules.selection.randomness.value if found else None
    stage, step, missing = next_step(session, contest, now())
    role = current_user.role
    named = named_randomness(record) if record else None
    zone = found.rules.period.timezone if found else "UTC"
    relays = current_app.config["DRAND_RELAYS"]
    return render_template("marketer/draw.html", contest=contest, record=record,
                           winners=winners, source=source, named=named, now=now(),
                           zone=zone,
                           randomness=randomness_in_words(named, zone) if named else "",
                           round_url=named.round_url(relays[0]) if named and relays else "",
                           waits_only_for_time=[m.code for m in missing] == [
                               "randomness_not_due"],
                           parties=commitments(session, contest), party_labels=PARTY_LABELS,
                           my_parties=parties_for(role), public_numbers=PUBLIC_NUMBERS,
                           stage=stage, stage_name=STAGE_NAMES[stage], step=step,
                           status=public_status(stage),
                           missing=[(m.actor, _missing_text(m, zone)) for m in missing],
                           actor_labels=ACTOR_LABELS,
                           may={action.value: allowed(action, stage, role) for action in Action},
                           rechecking=bool(record and record.seed and record.rechecked_at is None
                                           and needs_recheck(frozen_rules(session, record))),
                           reasons=REPLACEMENT_LABELS,
                           unconfirmed=0 if record else count_waiting(session, contest))


def _missing_text(missing: Missing, zone: str) -> str:
    """What a step waits for, in the person's words: its moments in the contest's zone."""
    params = {name: _moment_of(value, zone) if name.endswith("_at") else value
              for name, value in missing.params.items()}
    return translate(missing.message, current_language(), params)


def _moment_of(value: object, zone: str) -> object:
    """An ISO moment (``…Z`` or with an offset) as the page writes moments; else as it is."""
    try:
        return moment(datetime.fromisoformat(str(value).replace("Z", "+00:00")), zone)
    except ValueError:
        return value


def _step(slug: str, action: Any) -> Response:
    """Run one draw step; a domain error is shown to the person, nothing half-done is kept."""
    session = database.session()
    try:
        action(session, find_contest(session, slug))
        session.commit()
        flash(_("Done: the step is recorded on the public log."))
    except ContestError as error:
        session.rollback()
        flash_error(error)
    return redirect(url_for("draws.desk", slug=slug), code=303)


@blueprint.post("/contests/<slug>/draw/commit")
@role_required(*roles_for(Action.COMMIT))
def do_commit(slug: str) -> Response:
    return _step(slug, lambda session, contest: commit(
        session, contest=contest, party=request.form.get("party", ""),
        digest=request.form.get("digest", ""), name=request.form.get("name", ""), now=now(),
        signer=signer(), actor_id=actor_id(), role=current_user.role))


@blueprint.post("/contests/<slug>/draw/reveal")
@role_required(*roles_for(Action.REVEAL))
def do_reveal(slug: str) -> Response:
    return _step(slug, lambda session, contest: reveal(
        session, contest=contest, party=request.form.get("party", ""),
        secret_hex=request.form.get("secret", ""), now=now()))


@blueprint.post("/contests/<slug>/draw/freeze")
@role_required(*roles_for(Action.FREEZE))
def do_freeze(slug: str) -> Response:
    def run(session: Any, contest: Any) -> None:
        found = find_published(session, contest)
        zone = found.rules.period.timezone if found else "UTC"
        announced_at = local_moment(request.form.get("announced_at", ""), zone)
        freeze(session, contest=contest, now=now(), signer=signer(), actor_id=actor_id(),
               announced_sources=request.form.get("announce", ""), announced_at=announced_at)

    return _step(slug, run)


@blueprint.post("/contests/<slug>/draw/randomness")
@role_required(*roles_for(Action.TAKE_RANDOMNESS))
def do_randomness(slug: str) -> Response:
    def take(session: Any, contest: Any) -> None:
        # The fetch button asks the configured relays; a pasted round is verified as given.
        fetch = request.form.get("fetch") == "1"
        pasted = request.form.get("round_json", "").strip()
        take_public_randomness(
            session, contest=contest, round_json=None if fetch else pasted or None,
            relays=current_app.config["DRAND_RELAYS"] if fetch else (),
            sources=request.form.get("sources", "").splitlines(), now=now(), signer=signer())

    return _step(slug, take)


@blueprint.post("/contests/<slug>/draw/run")
@role_required(*roles_for(Action.DRAW))
def do_draw(slug: str) -> Response:
    def draw_and_check(session: Any, contest: Any) -> None:
        record = make_draw(session, contest=contest, now=now(), signer=signer(),
                           actor_id=actor_id())
        if needs_recheck(frozen_rules(session, record)):
            session.commit()  # the draw stands whatever a network answers next
            _recheck(session, contest)

    return _step(slug, draw_and_check)


@blueprint.post("/contests/<slug>/draw/recheck")
@role_required(Role.MARKETER, Role.AUDITOR)
def do_recheck(slug: str) -> Response:
    return _step(slug, _recheck)


def _recheck(session: Any, contest: Any) -> None:
    recheck_conditions(session, contest=contest, readers=readers(current_app.config["NETWORKS"]),
                       now=now(), signer=signer(), actor_id=actor_id())


@blueprint.post("/contests/<slug>/draw/replace")
@role_required(*roles_for(Action.REPLACE_WINNER))
def do_replace(slug: str) -> Response:
    return _step(slug, lambda session, contest: replace_winner(
        session, contest=contest, ticket=request.form.get("ticket", ""),
        reason=request.form.get("reason", ""), note=request.form.get("note", ""), now=now(),
        signer=signer(), actor_id=actor_id()))

