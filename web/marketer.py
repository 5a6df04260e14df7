"""The marketer's desk: create contests, edit and preview the rules, publish and amend,
import entries gathered elsewhere."""

import io
from dataclasses import replace
from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session
from werkzeug.wrappers.response import Response

from contest.entries.csv_import import (
    MAPPABLE,
    import_entries_file,
    offered_columns,
    preview_entries_file,
)
from contest.errors import (
    ContestError,
    FieldError,
    ImportFailed,
    InvalidInput,
    Malformed,
    NotFound,
    RulesInvalid,
)
from contest.i18n import N_, N_plural
from contest.lifecycle import Action, StageForbids, allowed, roles_for
from contest.models import Role
from contest.prizes.draft import draft_prize_advice, prize_hint
from contest.rules.amendments import REASON_LABELS, reason_asked
from contest.rules.history import rules_history
from contest.rules.how_to_enter import CONDITION_NAMES, NETWORK_NAMES
from contest.rules.parse import NETWORK_CONDITIONS, parse_rules
from contest.rules.publishing import (
    create_contest,
    draft_data,
    find_contest,
    list_contests,
    publish,
    save_draft,
)
from contest.rules.regions import region_choices, region_name
from contest.rules.status import contest_stage, contest_status
from contest.rules.templates import TEMPLATE_LABELS, Template
from contest.rules.versions import PublishedContest, find_published
from contest.rules.wizard import (
    STEP_TITLES,
    STEPS,
    Step,
    draft_problems,
    missing,
    step_of,
    todo_for,
)
from contest.rules.written import (
    amount_example,
    country_choices,
    country_name,
    currency_choices,
    find_zone,
)
from contest.spreadsheet.columns import IGNORE
from contest.zones import zone_choices
from web import database, import_form, rules_form
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
    values = {k: request.form.get(k, "") for k in ("slug", "title", "language", "template")}
    values["language"] = values["language"] or current_language()
    if request.method == "POST":
        chosen = values["template"] or Template.BLANK.value
        try:
            if chosen not in set(Template):
                raise InvalidInput(N_plural("the contest has {count} error",
                                            "the contest has {count} errors"), [FieldError(
                    "template", "invalid_choice", N_("choose what kind of contest to start "
                                                     "from"))])
            contest = create_contest(session, slug=values["slug"].strip().lower(),
                                     title=values["title"].strip(),
                                     language=values["language"],
                                     template=Template(chosen),
                                     actor_id=actor_id(), now=now())
            session.commit()
            return redirect(url_for("marketer.edit_rules", slug=contest.slug), code=303)
        except InvalidInput as invalid:
            session.rollback()
            errors = _texts(invalid.errors)
    return render_template("marketer/contests.html", contests=list_contests(session, now=now()),
                           values=values, errors=errors, templates=TEMPLATE_LABELS
                           ), 422 if errors else 200


@blueprint.route("/contests/<slug>/rules", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def edit_rules(slug: str) -> tuple[str, int] | Response:
    """The rules wizard: one step at a time (``?step=``). A step's form saves its fields into
    the draft; a form without a step (the whole rules at once) saves them all."""
    session = database.session()
    contest = find_contest(session, slug)
    language = current_language()
    posted = _step(request.form.get("step")) if request.method == "POST" else None
    step = posted or _step(request.args.get("step")) or Step.WHAT
    unread: tuple[FieldError, ...] = ()
    if request.method == "POST":
        steps = (posted,) if posted else STEPS
        reading = rules_form.read_form(request.form, request.form.getlist("exclusions.family"),
                                       draft=draft_data(contest), language=language,
                                       steps=steps)
        save_draft(session, contest=contest, draft=reading.draft, actor_id=actor_id(),
                   now=now())
        session.commit()
        unread = reading.errors
        here = [p for p in _problems(draft_data(contest), unread)
                if step_of(p.field) in steps and p.code not in _LEFT_FOR_PUBLISHING]
        then = request.form.get("then", "stay")
        if here:
            step = posted or step_of(here[0].field)
        elif then == "preview":
            return redirect(url_for("marketer.preview", slug=slug), code=303)
        elif then == "next" and posted:
            following = STEPS[min(STEPS.index(posted) + 1, len(STEPS) - 1)]
            if following == Step.PREVIEW:
                return redirect(url_for("marketer.preview", slug=slug), code=303)
            return redirect(url_for("marketer.edit_rules", slug=slug, step=following.value),
                            code=303)
        elif then == "back" and posted:
            before = STEPS[max(STEPS.index(posted) - 1, 0)]
            return redirect(url_for("marketer.edit_rules", slug=slug, step=before.value),
                            code=303)
        elif then.startswith("add:") and then[4:] in rules_form.ADDABLE:
            return redirect(url_for("marketer.edit_rules", slug=slug, step=step.value,
                                    add=then[4:]) + "#" + then[4:], code=303)
        elif then.startswith(rules_form.REMOVE):
            flash(_("Source removed and the draft saved."))
            return redirect(url_for("marketer.edit_rules", slug=slug, step=step.value)
                            + "#" + rules_form.SOURCES, code=303)
        else:
            flash(_("Draft saved."))
    draft = draft_data(contest)
    # Each problem on the field that shows it (a condition by its box, not its place).
    problems = [replace(p, field=rules_form.field_of(p.field, draft))
                for p in _problems(draft, unread)]
    extra = {request.args["add"]: 1} if request.args.get("add") in rules_form.ADDABLE else {}
    values = rules_form.draft_to_form(draft, language, extra) | rules_form.sources_to_form(
        draft, extra.get(rules_form.SOURCES, 0))
    found = find_published(session, contest)
    errors = _texts(problems)
    return render_template(
        "marketer/rules_form.html", contest=contest, values=values, step=step, steps=STEPS,
        step_titles=STEP_TITLES, todos=missing(problems), errors=errors,
        problem_steps={step_of(p.field) for p in problems},
        family=rules_form.family_of(draft),
        rows={g: rules_form.row_count(values, g) for g in rules_form.ROWS}
        | {rules_form.SOURCES: rules_form.source_count(values)},
        networks=NETWORK_NAMES, condition_names=CONDITION_NAMES,
        allowed_in={kind: ", ".join(_(NETWORK_NAMES[network]) for network in NETWORK_CONDITIONS
                                    if kind in NETWORK_CONDITIONS[network])
                    for kind in CONDITION_NAMES},
        published=found.version if found else None,
        may_edit=allowed(Action.EDIT_RULES, contest_stage(session, contest, now()),
                         current_user.role),
        zones=zone_choices(language), countries=country_choices(language),
        regions=region_choices(language, rules_form.rules_countries(draft))
        if step == Step.WHO else [],
        regions_example=", ".join(region_name(c, language) for c in ("UA-46", "UA-30")),
        currencies=currency_choices(language), amount_example=amount_example(language),
        countries_example=", ".join(country_name(c, language) for c in ("UA", "PL")),
        advice=draft_prize_advice(session, contest=contest) if step == Step.PRIZES else {},
    ), 422 if request.method == "POST" and any(
        step_of(p.field) in ((posted,) if posted else STEPS)
        and p.code not in _LEFT_FOR_PUBLISHING for p in problems) else 200


# Problems that do not stop a step from being saved and left: the placeholders a template
# starts with are named at the top, and publishing refuses them.
_LEFT_FOR_PUBLISHING = {"placeholder", "example_domain"}


def _step(value: str | None) -> Step | None:
    return Step(value) if value in set(Step) else None


def _problems(draft: dict[str, Any], unread: tuple[FieldError, ...]) -> list[FieldError]:
    """What the wizard shows: what could not be read as written first, then what stops
    publishing. A moment without an offset is not the marketer's doing when the time zone
    it was typed in is the problem: only the zone is named then."""
    problems = [*unread, *draft_problems(draft)]
    zone_wrong = any(p.field == "period.timezone" for p in problems)
    return [p for p in problems if not (zone_wrong and p.code == "naive_moment")]


@blueprint.get("/contests/<slug>/rules/prize-advice")
@role_required(Role.MARKETER)
def prize_advice(slug: str) -> tuple[dict[str, str], int]:
    """The prize advisor's word on the prize being typed (``?prize=``), for the wizard's
    prizes step to show as the marketer types: ``{"level": …, "text": …}``; an empty text
    when there is nothing to say yet."""
    session = database.session()
    contest = find_contest(session, slug)
    try:
        advice = prize_hint(session, contest=contest, text=request.args.get("prize", ""))
    except InvalidInput:
        return {"level": "", "text": ""}, 200
    if advice is None:
        return {"level": "", "text": ""}, 200
    return {"level": advice.level.value, "text": advice.text(current_language())}, 200


@blueprint.route("/contests/<slug>/preview")
@role_required(Role.MARKETER)
def preview(slug: str) -> str | Response:
    session = database.session()
    contest = find_contest(session, slug)
    try:
        rules = parse_rules(draft_data(contest))
    except RulesInvalid as invalid:
        flash_error(_("Fix the errors in the rules before the preview."))
        first = missing(invalid.errors)[0].step
        return redirect(url_for("marketer.edit_rules", slug=slug, step=first.value))
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
    except InvalidInput as invalid:
        session.rollback()
        language = current_language()
        # A placeholder is named with what to do about it, in words: "Give the sponsor's
        # legal name: still holds the placeholder …".
        flash_error("; ".join(
            f"{todo_for(e.field).text(language)}: {e.text(language)}"
            if e.code in _LEFT_FOR_PUBLISHING else e.text(language)
            for e in invalid.errors) or invalid.text(language))
        return redirect(url_for("marketer.preview", slug=slug))
    except ContestError as error:
        session.rollback()
        flash_error(error)
        return redirect(url_for("marketer.preview", slug=slug))
    flash(_("Version %(number)s is published.", number=version.version))
    return redirect(url_for("public.rules_page", slug=slug), code=303)


@blueprint.route("/contests/<slug>/entries/import", methods=["GET", "POST"])
@role_required(*roles_for(Action.IMPORT_ENTRIES))
def import_entries(slug: str) -> tuple[str, int]:
    """Upload a file and see how it would be read (nothing is stored); change what each
    column gives, the zone and the date order, and preview again; then import it with
    exactly the choices previewed. The file waits on the server meanwhile
    (:mod:`contest.entries.held_files`)."""
    session = database.session()
    contest = find_contest(session, slug)
    found = find_published(session, contest)
    shown: dict[str, Any] = {"report": None, "error": None, "preview": None, "choices": None,
                             "token": "", "zone_error": None, "notice": None, "read": []}
    status = 200
    may_import = allowed(Action.IMPORT_ENTRIES, contest_stage(session, contest, now()),
                         current_user.role)
    if request.method == "POST":
        if found is None:
            shown["error"] = _("Publish the rules before importing entries.")
        elif may_import:  # else the page says the entries are frozen: nothing to preview
            status = _import_step(session, found, shown)
    language = current_language()
    return render_template("marketer/import.html", contest=contest, may_import=may_import,
                           field_labels=import_form.field_labels(), mappable=MAPPABLE,
                           ignore=IGNORE, zones=zone_choices(language), **shown), status


def _import_step(session: Session, found: PublishedContest, shown: dict[str, Any]) -> int:
    """One step of the import page: an upload is held and previewed; a held file is
    previewed again with the choices sent, or imported with them. Fills ``shown`` for the
    page; returns the page's status."""
    language = current_language()
    held = import_form.held_files()
    contest_id = found.contest.id or 0
    upload = request.files.get("file")
    choices: import_form.Choices | None = None
    if upload is not None and upload.filename:
        content, name = upload.read(), upload.filename
        token = held.hold(content, name=name, contest_id=contest_id, user_id=actor_id(),
                          now=now())
    elif token := request.form.get("token", ""):
        try:
            waiting = held.take(token, contest_id=contest_id, user_id=actor_id(), now=now())
        except NotFound as gone:
            shown["error"] = gone.text(language)
            return 404
        content, name = waiting.content, waiting.name
        choices = import_form.Choices.from_form(request.form, MAPPABLE)
    else:
        shown["error"] = _("Choose a CSV file.")
        return 200
    shown["token"] = token
    zone = found.rules.period.timezone
    if choices is not None:
        try:
            zone = find_zone(choices.zone, language)
        except Malformed as wrong:
            shown.update(zone_error=wrong.text(language), choices=choices)
            return 422
        choices = replace(choices, zone=zone)
        if request.form.get("action") == "import":
            if request.form.get("previewed") == choices.as_json():
                return _import_held(session, found, content, name, choices, shown)
            shown["notice"] = _("The choices were changed after the preview below was made: "
                                "this is the preview with them. Import when the rows read "
                                "right.")
    try:
        preview = preview_entries_file(content, contest=found, name=name,
                                       reading=choices.reading(zone) if choices else None)
    except ImportFailed as failed:
        shown["error"] = failed.text(language)
        if choices is None:
            try:
                choices = import_form.Choices.as_read(offered_columns(content, name=name),
                                                      zone)
            except ImportFailed:
                held.drop(token)  # not readable whatever is chosen: nothing to keep it for
                shown["token"] = ""
        shown["choices"] = choices
        return 200
    shown.update(preview=preview, read=import_form.fields_read(preview.columns),
                 choices=choices or import_form.Choices.as_read(preview.columns, zone))
    return 200


def _import_held(session: Session, found: PublishedContest, content: bytes, name: str,
                 choices: import_form.Choices, shown: dict[str, Any]) -> int:
    """Import the held file with the choices previewed; it is deleted once imported, kept
    (with the choices, to change them) when the import failed."""
    try:
        report = import_entries_file(session, contest=found, stream=io.BytesIO(content),
                                     name=name, now=now(), signer=signer(),
                                     reading=choices.reading(choices.zone),
                                     actor_id=actor_id(), role=current_user.role)
    except (ImportFailed, StageForbids) as failed:
        session.rollback()
        shown.update(error=failed.text(current_language()), choices=choices)
        return 200
    if report.failed:
        session.rollback()
        shown.update(report=report, choices=choices)
        return 200
    session.commit()
    import_form.held_files().drop(shown["token"])
    shown.update(report=report, token="")
    return 200
