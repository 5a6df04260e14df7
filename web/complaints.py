"""The complaint desk in the browser and the API.

The public: ``/contests/<slug>/complaints`` (the form, the desk's figures and the public
answers) and ``/complaints/<key>`` (a person's own complaint: deadline, extensions, answer).
The API: ``POST /api/contests/<slug>/complaints``. Auditors:
``/audit/contests/<slug>/complaints`` (the queue by deadline) and one complaint's page, where
they answer, extend, and read the re-check of a winner someone complained about.
"""

from datetime import date

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlmodel import Session
from werkzeug.wrappers.response import Response

from contest.challenge import FIELD as CHALLENGE_FIELD
from contest.complaints import desk
from contest.complaints.kinds import KIND_LABELS
from contest.complaints.mail import Post, contest_timezone, mail_complaint
from contest.errors import ContestError, FieldError, InvalidInput
from contest.i18n import N_, N_plural
from contest.json_input import check_fields
from contest.models import Complaint, ComplaintStatus, Contest, Role
from contest.rules.document import RulesDocument
from contest.rules.publishing import find_contest
from contest.rules.versions import published_contest
from web import database
from web.auth import actor_id, csrf, role_required
from web.challenge import forms_ask, solution_problem
from web.clock import now
from web.i18n import current_language
from web.json_body import json_object
from web.ratelimits import public_submissions
from web.transparency import signer

public = Blueprint("complaints", __name__)
api = Blueprint("complaints_api", __name__, url_prefix="/api")
audit = Blueprint("complaint_desk", __name__, url_prefix="/audit")


def init_app(app: Flask) -> None:
    csrf.exempt(api)
    for blueprint in (public, api, audit):
        app.register_blueprint(blueprint)


def _published(slug: str) -> tuple[Contest, RulesDocument]:
    found = published_contest(database.session(), slug)
    return found.contest, found.rules


def _file(contest: Contest, rules: RulesDocument, data: dict[str, object]) -> Complaint:
    """File the complaint, commit it, then try to mail the acknowledgement."""
    session = database.session()
    try:
        complaint = desk.file_complaint(session, contest=contest, rules=rules, data=data,
                                        language=current_language(), now=now(),
                                        signer=signer())
        session.commit()
    except ContestError:
        session.rollback()
        raise
    _mail(session, complaint)
    return complaint


def _mail(session: Session, complaint: Complaint) -> None:
    """Mail what is unsent of the complaint, committed already, and commit that it was."""
    config = current_app.config
    post = Post.from_settings(config["SMTP_URL"], config["MAIL_FROM"], config["BASE_URL"])
    if post is None:
        return
    mail_complaint(session, complaint=complaint, post=post, now=now())
    session.commit()


@public.route("/contests/<slug>/complaints", methods=["GET", "POST"])
@public_submissions
def complaints(slug: str) -> tuple[str, int] | Response:
    contest, rules = _published(slug)
    values = {name: request.form.get(name, "") for name in desk.FIELDS}
    errors: dict[str, str] = {}
    # The proof-of-work challenge (issue 21), checked before the complaint is read.
    unsolved = (solution_problem(request.form.get(CHALLENGE_FIELD), slug)
                if request.method == "POST" and forms_ask() else None)
    if unsolved is not None:
        errors[CHALLENGE_FIELD] = unsolved.text(current_language())
    elif request.method == "POST":
        try:
            complaint = _file(contest, rules, dict(values))
            return redirect(url_for("complaints.follow", key=complaint.key, new=1), code=303)
        except InvalidInput as invalid:
            for error in invalid.errors:
                errors.setdefault(error.field, error.text(current_language()))
    session = database.session()
    return render_template(
        "public/complaints.html", contest=contest, rules=rules, values=values, errors=errors,
        kinds=KIND_LABELS, summary=desk.summary(session, contest=contest, now=now()),
        answers=desk.public_answers(session, contest=contest), challenge=forms_ask(),
    ), 422 if errors else 200


@public.get("/complaints/<key>")
def follow(key: str) -> str:
    session = database.session()
    complaint = desk.find_by_key(session, key)
    contest = desk.contest_of(session, complaint)
    return render_template("public/complaint.html", complaint=complaint, contest=contest,
                           timezone=contest_timezone(session, contest),
                           kind=KIND_LABELS.get(complaint.kind),
                           extensions=desk.extensions_of(session, complaint),
                           new=request.args.get("new") == "1",
                           overdue=desk.QueuedComplaint(complaint, now()).overdue)


def _refused_complaint(errors: list[FieldError]) -> InvalidInput:
    return InvalidInput(N_plural("the complaint has {count} error",
                                 "the complaint has {count} errors"), errors)


@api.post("/contests/<slug>/complaints")
@public_submissions
def create(slug: str) -> tuple[Response, int]:
    contest, rules = _published(slug)
    body = check_fields(json_object(_refused_complaint,
                                    send=N_("send a JSON object with the complaint's fields")),
                        known=desk.FIELDS, refuse=_refused_complaint)
    complaint = _file(contest, rules, body)
    return jsonify({
        "number": complaint.number,
        "contest": slug,
        "kind": complaint.kind,
        "received_at": complaint.received_at.isoformat(),
        "due_at": complaint.due_at.isoformat(),
        "url": url_for("complaints.follow", key=complaint.key, _external=True),
        "message": _("Your complaint is received. We will answer by the deadline."),
    }), 201


@audit.get("/contests/<slug>/complaints")
@role_required(Role.AUDITOR)
def queue(slug: str) -> str:
    session = database.session()
    contest = find_contest(session, slug)
    shown = request.args.get("show", "open")
    status = {"open": ComplaintStatus.OPEN, "answered": ComplaintStatus.ANSWERED}.get(shown)
    return render_template("auditor/complaints.html", contest=contest, shown=shown,
                           zone=contest_timezone(session, contest),
                           queue=desk.queue(session, contest=contest, now=now(), status=status),
                           summary=desk.summary(session, contest=contest, now=now()))


def _complaint_of(slug: str, number: int) -> tuple[Contest, RulesDocument, Complaint]:
    session = database.session()
    found = published_contest(session, slug)
    return found.contest, found.rules, desk.find_complaint(session, contest=found.contest,
                                                           number=number)


def _page(contest: Contest, rules: RulesDocument, complaint: Complaint,
          errors: dict[str, str] | None = None) -> str:
    return render_template("auditor/complaint.html", contest=contest, rules=rules,
                           item=desk.QueuedComplaint(complaint, now()),
                           extensions=desk.extensions_of(database.session(), complaint),
                           recheck=desk.recheck_result(complaint), errors=errors or {})


def _refused(contest: Contest, rules: RulesDocument, complaint: Complaint,
             invalid: InvalidInput) -> tuple[str, int]:
    database.session().rollback()
    errors = {error.field: error.text(current_language()) for error in invalid.errors}
    return _page(contest, rules, complaint, errors), 422


def _done(slug: str, number: int, message: str) -> Response:
    flash(message)
    return redirect(url_for("complaint_desk.complaint", slug=slug, number=number), code=303)


@audit.get("/contests/<slug>/complaints/<int:number>")
@role_required(Role.AUDITOR)
def complaint(slug: str, number: int) -> str:
    contest, rules, found = _complaint_of(slug, number)
    if desk.needs_recheck(found):
        desk.recheck_winners(database.session(), contest=contest, complaint=found, now=now())
        database.session().commit()
    return _page(contest, rules, found)


@audit.post("/contests/<slug>/complaints/<int:number>/answer")
@role_required(Role.AUDITOR)
def answer(slug: str, number: int) -> tuple[str, int] | Response:
    contest, rules, found = _complaint_of(slug, number)
    session = database.session()
    try:
        desk.answer(session, contest=contest, complaint=found,
                    text=request.form.get("answer", ""),
                    public=request.form.get("public") == "yes", actor_id=actor_id(),
                    now=now(), signer=signer())
        session.commit()
    except InvalidInput as invalid:
        return _refused(contest, rules, found, invalid)
    _mail(session, found)
    return _done(slug, number, _("Complaint %(number)s is answered.", number=number))


@audit.post("/contests/<slug>/complaints/<int:number>/extend")
@role_required(Role.AUDITOR)
def extend(slug: str, number: int) -> tuple[str, int] | Response:
    contest, rules, found = _complaint_of(slug, number)
    session = database.session()
    until = request.form.get("until", "")
    try:
        try:
            day = date.fromisoformat(until.strip())
        except ValueError:
            raise InvalidInput(N_plural("the complaint has {count} error",
                                        "the complaint has {count} errors"), [FieldError(
                "until", "invalid_date", N_("\"{value}\" is not a date (YYYY-MM-DD)"),
                {"value": until})]) from None
        desk.extend(session, contest=contest, complaint=found, until=day,
                    timezone=rules.period.timezone, reason=request.form.get("reason", ""),
                    actor_id=actor_id(), now=now(), signer=signer())
        session.commit()
    except InvalidInput as invalid:
        return _refused(contest, rules, found, invalid)
    return _done(slug, number, _("The deadline of complaint %(number)s is moved.",
                                 number=number))


@audit.post("/contests/<slug>/complaints/<int:number>/recheck")
@role_required(Role.AUDITOR)
def recheck(slug: str, number: int) -> Response:
    contest, _rules, found = _complaint_of(slug, number)
    desk.recheck_winners(database.session(), contest=contest, complaint=found, now=now())
    database.session().commit()
    return _done(slug, number, _("The winners are re-checked."))

