"""The auditor's desk: every contest's entries with their eligibility, and the CSV export."""

import io

from flask import Blueprint, Flask, Response, render_template, request
from sqlalchemy import func
from sqlmodel import col, select

from contest.entries.export import export_entries_csv
from contest.models import Entry, Role
from contest.rules.publishing import find_contest, list_contests
from web import database, now
from web.auth import role_required

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
    page = max(request.args.get("page", 1, type=int), 1)
    shown = request.args.get("show", "all")
    query = select(Entry).where(Entry.contest_id == contest.id)
    counter = select(func.count()).select_from(Entry).where(Entry.contest_id == contest.id)
    if shown in ("eligible", "ineligible"):
        query = query.where(Entry.eligible == (shown == "eligible"))
        counter = counter.where(Entry.eligible == (shown == "eligible"))
    total = session.exec(counter).one()
    rows = session.exec(query.order_by(col(Entry.submitted_at), col(Entry.id))
                        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return render_template("auditor/entries.html", contest=contest, entries=rows, page=page,
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), total=total,
                           shown=shown)


@blueprint.get("/contests/<slug>/entries.csv")
@role_required(Role.AUDITOR)
def export(slug: str) -> Response:
    session = database.session()
    contest = find_contest(session, slug)
    out = io.StringIO()
    export_entries_csv(session, contest=contest, out=out)
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{slug}-entries.csv"'})
