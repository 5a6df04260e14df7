"""The draw desk for staff: freeze the entries, take the randomness, draw, replace a winner.

Each button calls one domain function of :mod:`contest.draw.service`; every step lands on
the public log. In commit-reveal draws the parties' commitments are entered before the
freeze and their secrets after it, here or with ``contest draw commit|reveal``.
"""

import json
from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers.response import Response

from contest.draw.service import (
    commit,
    commitments,
    current_winners,
    find_draw,
    freeze,
    make_draw,
    randomness_proof,
    replace_winner,
    reveal,
    take_randomness,
)
from contest.errors import ContestError, InvalidInput
from contest.models import Role
from contest.randomness.drand import parse_round_json
from contest.rules.publishing import current_rules, find_contest
from web import database, now
from web.auth import actor_id, role_required
from web.i18n import current_language
from web.transparency import signer

blueprint = Blueprint("draws", __name__, url_prefix="/manage")


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


@blueprint.get("/contests/<slug>/draw")
@role_required(Role.MARKETER, Role.AUDITOR)
def desk(slug: str) -> str:
    session = database.session()
    contest = find_contest(session, slug)
    record = find_draw(session, contest)
    plan = json.loads(record.randomness_plan_json) if record else None
    winners = current_winners(session, record) if record and record.seed else []
    rules = current_rules(session, contest)
    source = rules[1].selection.randomness.value if rules else None
    return render_template("marketer/draw.html", contest=contest, record=record, plan=plan,
                           winners=winners, source=source,
                           parties=commitments(session, contest))


def _step(slug: str, action: Any) -> Response:
    """Run one draw step; a domain error is shown to the person, nothing half-done is kept."""
    session = database.session()
    try:
        action(session, find_contest(session, slug))
        session.commit()
        flash(_("Done: the step is recorded on the public log."))
    except ContestError as error:
        session.rollback()
        details = error.errors if isinstance(error, InvalidInput) else ()
        flash("; ".join([error.text(current_language())]
                        + [e.text(current_language()) for e in details]), "error")
    return redirect(url_for("draws.desk", slug=slug), code=303)


@blueprint.post("/contests/<slug>/draw/commit")
@role_required(Role.MARKETER, Role.AUDITOR)
def do_commit(slug: str) -> Response:
    return _step(slug, lambda session, contest: commit(
        session, contest=contest, party=request.form.get("party", ""),
        digest=request.form.get("digest", ""), now=now(), signer=signer()))


@blueprint.post("/contests/<slug>/draw/reveal")
@role_required(Role.MARKETER, Role.AUDITOR)
def do_reveal(slug: str) -> Response:
    return _step(slug, lambda session, contest: reveal(
        session, contest=contest, party=request.form.get("party", ""),
        secret_hex=request.form.get("secret", ""), now=now()))


@blueprint.post("/contests/<slug>/draw/freeze")
@role_required(Role.MARKETER)
def do_freeze(slug: str) -> Response:
    return _step(slug, lambda session, contest: freeze(
        session, contest=contest, now=now(), signer=signer(), actor_id=actor_id(),
        announced_sources=request.form.get("announce", "")))


@blueprint.post("/contests/<slug>/draw/randomness")
@role_required(Role.MARKETER)
def do_randomness(slug: str) -> Response:
    def take(session: Any, contest: Any) -> None:
        record = find_draw(session, contest)
        plan = json.loads(record.randomness_plan_json) if record else {}
        pasted = request.form.get("round_json", "")
        proof = randomness_proof(
            plan, drand_round=parse_round_json(pasted) if plan.get("source") == "drand" else None,
            sources=request.form.get("sources", "").splitlines())
        take_randomness(session, contest=contest, proof=proof, now=now(), signer=signer())

    return _step(slug, take)


@blueprint.post("/contests/<slug>/draw/run")
@role_required(Role.MARKETER)
def do_draw(slug: str) -> Response:
    return _step(slug, lambda session, contest: make_draw(
        session, contest=contest, now=now(), signer=signer(), actor_id=actor_id()))


@blueprint.post("/contests/<slug>/draw/replace")
@role_required(Role.AUDITOR)
def do_replace(slug: str) -> Response:
    return _step(slug, lambda session, contest: replace_winner(
        session, contest=contest, ticket=request.form.get("ticket", "").strip().lower(),
        reason=request.form.get("reason", "").strip() or "disqualified", now=now(),
        signer=signer(), actor_id=actor_id()))
