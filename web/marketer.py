"""The marketer's desk: create contests, edit and preview the rules, publish and amend,
import entries gathered elsewhere."""

import io

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers.response import Response

from contest.entries.csv_import import import_entries_csv
from contest.errors import ContestError, FieldError, ImportFailed, InvalidInput, RulesInvalid
from contest.lifecycle import Action, StageForbids, allowed, roles_for
from contest.models import Role
from contest.rules.amendments import REASON_LABELS, reason_asked
from contest.rules.history import rules_history
from contest.rules.parse import parse_rules
from contest.rules.publishing import (
    create_contest,
    draft_data,
    find_contest,
    list_contests,
    publish,
    save_draft,
)
from contest.rules.status import contest_stage, contest_status
from contest.rules.versions import find_published
from web import database, rules_form
from web.auth import actor_id, role_required
from web.clock import now
from web.errors import flash_error
from web.i18n import current_language
from web.public import render_rules_page
from web.transparency import signer

blueprint = Blueprint("marketer", __name__, url_prefix="/manage")


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


def _texts(errors: list[FieldError] | tuple[FieldError, ...]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for error in errors:
        texts.setdefault(error.field, error.text(current_language()))
    return texts


@blueprint.route("/contests", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def contests() -> tuple[str, int] | Response:
    session = database.session()
    errors: dict[str, str] = {}
    values = {k: request.form.get(k, "") for k in ("slug", "title", "language")}
    if request.method == "POST":
        try:
            contest = create_contest(session, slug=values["slug"].strip(),
                                     title=values["title"].strip(),
                                     language=values["language"] or "en",
                                     actor_id=actor_id(), now=now())
            session.commit()
            return redirect(url_for("marketer.edit_rules", slug=contest.slug), code=303)
        except InvalidInput as invalid:
            session.rollback()
            errors = _texts(invalid.errors)
    return render_template("marketer/contests.html", contests=list_contests(session, now=now()),
                           values=values, errors=errors), 422 if errors else 200


@blueprint.route("/contests/<slug>/rules", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def edit_rules(slug: str) -> tuple[str, int] | Response:
    session = database.session()
    contest = find_contest(session, slug)
    if request.method == "POST":
        draft = rules_form.form_to_draft(request.form, request.form.getlist("exclusions.family"))
        problems = save_draft(session, contest=contest, draft=draft, actor_id=actor_id(),
                              now=now())
        session.commit()
        if not problems and request.form.get("then") == "preview":
            return redirect(url_for("marketer.preview", slug=slug), code=303)
        if not problems:
            flash(_("Draft saved."))
    draft = draft_data(contest)
    try:
        parse_rules(draft)
        problems = []
    except RulesInvalid as invalid:
        problems = list(invalid.errors)
    found = find_published(session, contest)
    return render_template(
        "marketer/rules_form.html", contest=contest, values=rules_form.draft_to_form(draft),
        family=rules_form.family_of(draft), errors=_texts(problems), problems=problems,
        rows={g: rules_form.row_count(rules_form.draft_to_form(draft), g)
              for g in rules_form.ROWS},
        published=found.version if found else None,
        may_edit=allowed(Action.EDIT_RULES, contest_stage(session, contest, now()),
                         current_user.role),
    ), 422 if request.method == "POST" and problems else 200


@blueprint.route("/contests/<slug>/preview")
@role_required(Role.MARKETER)
def preview(slug: str) -> str | Response:
    session = database.session()
    contest = find_contest(session, slug)
    try:
        rules = parse_rules(draft_data(contest))
    except RulesInvalid:
        flash_error(_("Fix the errors in the rules before the preview."))
        return redirect(url_for("marketer.edit_rules", slug=slug))
    page = render_rules_page(contest, rules, sha256=None, version=None,
                             history=rules_history(session, contest),
                             status=contest_status(rules, now()), preview=True)
    stage = contest_stage(session, contest, now())
    return render_template("marketer/preview.html", contest=contest, page=page,
                           reason_asked=reason_asked(stage),
                           may_publish=allowed(Action.PUBLISH, stage) or allowed(Action.AMEND,
                                                                                stage),
                           reasons=REASON_LABELS, error=None)


@blueprint.post("/contests/<slug>/publish")
@role_required(*roles_for(Action.AMEND))
def publish_rules(slug: str) -> str | Response:
    session = database.session()
    contest = find_contest(session, slug)
    try:
        version = publish(session, contest=contest, actor_id=actor_id(), now=now(),
                          signer=signer(), reason=request.form.get("reason", ""),
                          note=request.form.get("note", ""))
        session.commit()
    except ContestError as error:
        session.rollback()
        flash_error(error)
        return redirect(url_for("marketer.preview", slug=slug))
    flash(_("Version %(number)s is published.", number=version.version))
    return redirect(url_for("public.rules_page", slug=slug), code=303)


@blueprint.route("/contests/<slug>/entries/import", methods=["GET", "POST"])
@role_required(*roles_for(Action.IMPORT_ENTRIES))
def import_entries(slug: str) -> str:
    session = database.session()
    contest = find_contest(session, slug)
    found = find_published(session, contest)
    report = None
    error = None
    if request.method == "POST":
        upload = request.files.get("file")
        if found is None:
            error = _("Publish the rules before importing entries.")
        elif upload is None or not upload.filename:
            error = _("Choose a CSV file.")
        else:
            try:
                report = import_entries_csv(session, contest=found,
                                            stream=io.BytesIO(upload.read()),
                                            now=now(), signer=signer(), actor_id=actor_id(),
                                            role=current_user.role)
                session.commit()
            except (ImportFailed, StageForbids) as failed:
                session.rollback()
                error = failed.text(current_language())
    may_import = allowed(Action.IMPORT_ENTRIES, contest_stage(session, contest, now()),
                         current_user.role)
    return render_template("marketer/import.html", contest=contest, report=report, error=error,
                           may_import=may_import)
