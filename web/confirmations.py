"""The entrant's confirmation of their e-mail address (:mod:`contest.entries.confirmation`).

The link in the mail, ``/confirm/<ticket>/<key>``, opens a page made for a phone with one
button, which sends the same address back (POST, with the form token every public form
carries) and confirms the entry. Opening the link confirms nothing: mail security scanners
and link previews fetch links before the entrant sees them, and a machine must not confirm
an entry. Opened or pressed again it says the entry is confirmed already; a key that is not
the ticket's (a link mistyped or made up) gets a page saying the link is not valid (404),
and one opened after the close a page saying it came too late (410).

The entrant's own receipt offers to send the link again (``POST
/receipts/<ticket>/<key>/confirmation``), within the limit of
:data:`~contest.entries.confirmation.MAILS_PER_WINDOW` mails an hour, said in words.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import select
from werkzeug.wrappers import Response

from contest.entries.confirmation import (
    MAILS_PER_WINDOW,
    Confirmed,
    book_mail,
    confirm,
    confirmation_link,
    is_confirmation_key,
    send_confirmation,
    standing,
    waiting,
)
from contest.ledger.receipts import is_receipt_key
from contest.models import Contest, Entry
from contest.rules.versions import PublishedContest, find_published
from contest.smtp import Mailer
from web import database
from web.clock import now
from web.keys import secret_key

blueprint = Blueprint("confirmations", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


@dataclass(frozen=True)
class Sending:
    """What became of a request to mail the link: the HTTP status it answers with, and why
    nothing was sent (``None``: it was)."""

    status: int
    problem: str | None = None


def _entry(ticket: str) -> Entry | None:
    return database.session().exec(select(Entry).where(Entry.ticket == ticket)).first()


def _published(entry: Entry) -> tuple[Contest, PublishedContest]:
    session = database.session()
    contest = session.get(Contest, entry.contest_id)
    found = None if contest is None else find_published(session, contest)
    assert contest is not None and found is not None, "an entry's contest has its rules"
    return contest, found


def confirmation_url(ticket: str) -> str:
    """The link the mail gives, at the deployment's public address (``CONTEST_BASE_URL``)
    when one is set, else at the address the request came to."""
    base = current_app.config.get("BASE_URL") or request.url_root
    return confirmation_link(base, ticket, secret_key())


def mail_link(ticket: str) -> Sending:
    """Mail the confirmation link of the entry ``ticket``, committed already, if it waits
    for confirmation and its limit allows, and commit that it was sent."""
    session = database.session()
    entry = _entry(ticket)
    if entry is None or entry.id is None or entry.email is None or not waiting(
            session, entry.id):
        return Sending(409, _("This entry does not wait for confirmation."))
    contest, found = _published(entry)
    if standing(session, entry=entry, rules=found.rules, now=now()) == Confirmed.TOO_LATE:
        return Sending(410, _("The entries closed before the entry was confirmed, so it does "
                              "not count in the draw: a link would confirm nothing now."))
    booked = book_mail(session, entry_id=entry.id, now=now())
    if isinstance(booked, datetime):
        minutes = max(1, int((booked - now()).total_seconds() + 59) // 60)
        return Sending(429, " ".join([
            ngettext("The link can be sent at most %(num)s time an hour.",
                     "The link can be sent at most %(num)s times an hour.", MAILS_PER_WINDOW),
            ngettext("You can ask again in %(num)s minute.",
                     "You can ask again in %(num)s minutes.", minutes)]))
    config = current_app.config
    mailer = Mailer.from_settings(config["SMTP_URL"], config["MAIL_FROM"])
    if mailer is None:
        session.rollback()
        return Sending(503, _("This site has no mail server set up: ask the organiser."))
    session.commit()  # the booking: no lock held while the mail server answers
    failure = send_confirmation(session, entry=entry, contest=contest, rules=found.rules,
                                link=confirmation_url(ticket), mailer=mailer, booked=booked)
    session.commit()
    if failure is not None and failure.address_refused:
        return Sending(422, _("The mail server refused the address %(email)s, so no link can "
                              "reach it: asking again will not help. Check how it is "
                              "written; to take part, enter again with an address that "
                              "receives mail.", email=entry.email))
    if failure is not None:
        return Sending(503, _("The mail could not be sent just now; try again in a few "
                              "minutes."))
    return Sending(200)


@blueprint.route("/confirm/<ticket>/<key>", methods=["GET", "POST"])
def confirm_entry(ticket: str, key: str) -> Response:
    """GET: where the entry stands, with the button when it waits (nothing changes); POST:
    the button, which confirms it."""
    ticket, key = ticket.lower(), key.lower()  # hex both: a link written in capitals is one
    entry = _entry(ticket) if is_confirmation_key(ticket, key, secret_key()) else None
    if entry is None:
        return _page("not_valid", None, 404)
    session = database.session()
    contest, found = _published(entry)
    if request.method == "POST":
        outcome: Confirmed | None = confirm(session, entry=entry, rules=found.rules, now=now())
        session.commit()
    else:
        outcome = standing(session, entry=entry, rules=found.rules, now=now())
    return _page("waiting" if outcome is None else outcome.value, entry,
                 410 if outcome == Confirmed.TOO_LATE else 200, contest=contest)


def _page(outcome: str, entry: Entry | None, status: int,
          contest: Contest | None = None) -> Response:
    response = make_response(render_template("public/confirmed.html", outcome=outcome,
                                             entry=entry, contest=contest), status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is its own key
    return response


@blueprint.post("/receipts/<ticket>/<key>/confirmation")
def send_again(ticket: str, key: str) -> Response:
    ticket = ticket.lower()
    if not is_receipt_key(ticket, key, secret_key()):
        abort(404)
    entry = _entry(ticket)
    if entry is None:
        abort(404)
    sending = mail_link(ticket)
    response = make_response(render_template(
        "public/confirmation_sent.html", entry=entry, problem=sending.problem,
        receipt_url=url_for("public.own_receipt", ticket=ticket, key=key)), sending.status)
    response.headers["Cache-Control"] = "no-store"
    return response
