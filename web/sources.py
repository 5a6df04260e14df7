"""The sources desk for staff: the social networks the rules take entries from, each read
with what it found against what the network reports, a button to read it, and a way to
accept an incomplete read for a public reason.

Each button calls one domain function of :mod:`contest.sources.reading`; every read and
every gap accepted lands on the public log. A read of a large post takes as long as the
network lets it: ``contest sources read`` does the same from a terminal.
"""

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers.response import Response

from contest.errors import ContestError
from contest.lifecycle import Action, allowed, roles_for
from contest.models import Role
from contest.rules.publishing import find_contest
from contest.rules.status import contest_stage
from contest.rules.versions import find_published
from contest.sources.reading import GAP_REASONS, accept_gap, latest_reads, read_source
from contest.sources.registry import readers
from web import database
from web.auth import actor_id, role_required
from web.clock import now
from web.errors import flash_error
from web.transparency import signer

blueprint = Blueprint("sources", __name__, url_prefix="/manage")


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


@blueprint.get("/contests/<slug>/sources")
@role_required(Role.MARKETER, Role.AUDITOR)
def desk(slug: str) -> str:
    session = database.session()
    contest = find_contest(session, slug)
    found = find_published(session, contest)
    stage = contest_stage(session, contest, now())
    return render_template("marketer/sources.html", contest=contest,
                           sources=found.rules.sources if found else (),
                           reads=latest_reads(session, contest),
                           zone=found.rules.period.timezone if found else "UTC",
                           may_read=allowed(Action.READ_SOURCES, stage, current_user.role),
                           gap_reasons=GAP_REASONS)


@blueprint.post("/contests/<slug>/sources/<int:number>/read")
@role_required(*roles_for(Action.READ_SOURCES))
def do_read(slug: str, number: int) -> Response:
    session = database.session()
    try:
        report = read_source(session, contest=find_contest(session, slug), source=number - 1,
                             readers=readers(current_app.config["NETWORKS"]), now=now(),
                             signer=signer(), actor_id=actor_id())
        session.commit()
        if report.read.complete:
            flash(_("Read whole: %(taken)s new entries.", taken=report.taken))
        else:
            flash_error(_("The read is incomplete: the freeze waits until the source is read "
                          "again whole, or the gap is accepted for a public reason."))
    except ContestError as error:
        session.rollback()
        flash_error(error)
    return redirect(url_for("sources.desk", slug=slug), code=303)


@blueprint.post("/contests/<slug>/sources/<int:number>/accept-gap")
@role_required(*roles_for(Action.READ_SOURCES))
def do_accept_gap(slug: str, number: int) -> Response:
    session = database.session()
    try:
        accept_gap(session, contest=find_contest(session, slug), source=number - 1,
                   reason=request.form.get("reason", ""), now=now(), signer=signer(),
                   actor_id=actor_id())
        session.commit()
        flash(_("Done: the step is recorded on the public log."))
    except ContestError as error:
        session.rollback()
        flash_error(error)
    return redirect(url_for("sources.desk", slug=slug), code=303)

