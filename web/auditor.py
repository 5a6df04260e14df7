"""The auditor's desk: every contest's entries with their eligibility and the CSV export,
the staff roster, and the review of fraud flags (scan, queue, evidence, decisions)."""

import io

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask import Response as FlaskResponse
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlmodel import Session
from werkzeug.wrappers.response import Response

from contest.entries.export import export_entries_csv
from contest.entries.listing import Shown, entry_page
from contest.errors import ContestError, ImportFailed
from contest.fraud.people import RELATIONS, RELATIVE_COLUMNS, STAFF_COLUMNS
from contest.fraud.picture import evidence_lines, evidence_svg, path_nodes
from contest.fraud.review import (
    KINDS,
    Decision,
    decide,
    decided_by,
    find_flag,
    flag_counts,
    flag_queue,
    node_names,
    scan_contest,
)
from contest.fraud.roster import contest_roster, import_roster
from contest.lifecycle import Action, allowed, roles_for
from contest.models import Contest, FlagStatus, Role
from contest.rules.publishing import find_contest, list_contests
from contest.rules.status import contest_stage
from web import database
from web.auth import actor_id, role_required
from web.clock import now
from web.errors import flash_error
from web.i18n import current_language
from web.query import page_number
from web.redirects import same_site_path
from web.transparency import signer

blueprint = Blueprint("auditor", __name__, url_prefix="/audit")
PAGE_SIZE = 100


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


@blueprint.get("/contests")
@role_required(Role.AUDITOR)
def contests() -> str:
    return render_template("auditor/contests.html",
                           contests=list_contests(database.session(), now=now()))


@blueprint.get("/contests/<slug>/entries")
@role_required(Role.AUDITOR)
def entries(slug: str) -> str:
    session = database.session()
    contest = find_contest(session, slug)
    try:
        shown = Shown(request.args.get("show", Shown.ALL))
    except ValueError:
        shown = Shown.ALL
    listed = entry_page(session, contest=contest, shown=shown, number=page_number(),
                        size=PAGE_SIZE)
    return render_template("auditor/entries.html", contest=contest, entries=listed.entries,
                           page=listed.number, pages=listed.pages, total=listed.total,
                           shown=shown)


@blueprint.get("/contests/<slug>/entries.csv")
@role_required(Role.AUDITOR)
def export(slug: str) -> Response:
    session = database.session()
    contest = find_contest(session, slug)
    out = io.StringIO()
    export_entries_csv(session, contest=contest, out=out)
    return FlaskResponse(out.getvalue(), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{slug}-entries.csv"'})


# --- The staff roster and the review of fraud flags ---------------------------------------

@blueprint.route("/contests/<slug>/staff", methods=["GET", "POST"])
@role_required(*roles_for(Action.LOAD_ROSTER))
def staff(slug: str) -> str:
    """The contest's staff roster and declared relatives, and their CSV import."""
    session = database.session()
    contest = find_contest(session, slug)
    report, error = None, None
    if request.method == "POST":
        files = {name: request.files.get(name) for name in ("staff", "relatives")}
        given = {name: upload.read() for name, upload in files.items()
                 if upload is not None and upload.filename}
        if not given:
            error = _("Choose a staff roster file, a relatives file, or both.")
        else:
            try:
                report = import_roster(session, contest=contest, staff=given.get("staff"),
                                       relatives=given.get("relatives"), now=now(),
                                       actor_id=actor_id(),
                                       names={name: upload.filename or ""
                                              for name, upload in files.items()
                                              if upload is not None})
                if report.failed:
                    session.rollback()
                else:
                    session.commit()
            except ImportFailed as failed:
                session.rollback()
                error = failed.text(current_language())
    roster = contest_roster(session, contest)
    return render_template("auditor/staff.html", contest=contest, members=roster.members,
                           relatives=roster.relatives, report=report, error=error,
                           staff_columns=STAFF_COLUMNS, relative_columns=RELATIVE_COLUMNS,
                           relations=RELATIONS)


@blueprint.get("/contests/<slug>/flags")
@role_required(Role.AUDITOR)
def flags(slug: str) -> str:
    """The review queue: flags highest score first, by status and kind."""
    session = database.session()
    contest = find_contest(session, slug)
    status = request.args.get("status", FlagStatus.OPEN.value)
    status = status if status in {s.value for s in FlagStatus} else FlagStatus.OPEN.value
    kind = request.args.get("kind") or None
    kind = kind if kind in KINDS else None
    page = page_number()
    queue = flag_queue(session, contest=contest, kind=kind, status=FlagStatus(status),
                       limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template("auditor/flags.html", contest=contest, queue=queue,
                           counts=flag_counts(session, contest=contest), status=status,
                           kind=kind, kinds=KINDS, page=page, page_size=PAGE_SIZE,
                           may_decide=_may_decide(session, contest))


@blueprint.get("/contests/<slug>/flags/<int:flag_id>")
@role_required(Role.AUDITOR)
def flag(slug: str, flag_id: int) -> str:
    """One flag: its evidence as a picture and as text, and the decision form."""
    session = database.session()
    contest = find_contest(session, slug)
    item = find_flag(session, contest=contest, flag_id=flag_id)
    edges = item.evidence
    names = node_names(session, contest=contest, nodes=path_nodes(edges),
                       language=current_language())
    picture = evidence_svg(edges, names, title=_("Why entry %(ticket)s is flagged",
                                                 ticket=item.entry.ticket[:12]),
                           language=current_language(), element_id=f"evidence-{flag_id}")
    decider = decided_by(session, flag=item.flag)
    return render_template("auditor/flag.html", contest=contest, item=item,
                           picture=Markup(picture),
                           lines=evidence_lines(edges, names, current_language()),
                           decider=decider, may_decide=_may_decide(session, contest))


def _may_decide(session: Session, contest: Contest) -> bool:
    return allowed(Action.DECIDE_FLAG, contest_stage(session, contest, now()), current_user.role)


@blueprint.post("/contests/<slug>/scan")
@role_required(*roles_for(Action.SCAN))
def scan(slug: str) -> Response:
    """Scan the contest's entries against its roster now."""
    session = database.session()
    contest = find_contest(session, slug)
    summary = scan_contest(session, contest=contest, now=now(), actor_id=actor_id())
    session.commit()
    flash(_("Scan done: %(flags)s among %(entries)s; %(decided)s.",
            flags=ngettext("%(num)s open flag", "%(num)s open flags", summary.open_flags),
            entries=ngettext("%(num)s entry", "%(num)s entries", summary.entries),
            decided=ngettext("%(num)s flag found again was decided before",
                             "%(num)s flags found again were decided before",
                             summary.already_decided)))
    return redirect(url_for("auditor.flags", slug=slug))


@blueprint.post("/contests/<slug>/flags/decide")
@role_required(*roles_for(Action.DECIDE_FLAG))
def decide_flags(slug: str) -> Response:
    """Confirm or dismiss the chosen flags, one or many."""
    session = database.session()
    contest = find_contest(session, slug)
    chosen = [int(value) for value in request.form.getlist("flag") if value.isdigit()]
    back = same_site_path(request.form.get("back"), fallback=url_for("auditor.flags", slug=slug))
    try:
        decision = Decision(request.form.get("decision", ""))
    except ValueError:
        flash_error(_("Choose confirm or dismiss."))
        return redirect(back)
    try:
        decided = decide(session, contest=contest, flag_ids=chosen, decision=decision,
                         reason=request.form.get("reason", ""), actor_id=actor_id(), now=now(),
                         signer=signer())
        session.commit()
    except ContestError as error:
        session.rollback()
        flash_error(error)
        return redirect(back)
    if decision == Decision.CONFIRM:
        flash(ngettext("%(num)s flag confirmed: the entry is excluded.",
                       "%(num)s flags confirmed: the entries are excluded.", len(decided)))
    else:
        flash(ngettext("%(num)s flag dismissed.", "%(num)s flags dismissed.", len(decided)))
    return redirect(back)
