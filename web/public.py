"""Pages for the public: contests, official rules, the entry form and receipts.

No personal data leaves here. A contest never published is a 404 everywhere
(:func:`~contest.rules.versions.published_contest`).

Receipts come in two pages. ``/receipts/<ticket>`` is public — other people's scripts use
it, and anyone who has seen a ticket can open it — and shows what the public record already
says of that ticket: the contest, the moment, the rules version, whether it is eligible and
why not, and the signed receipt. It names no one, not even masked: the log's auditor
decisions and the draw bundle's excluded list pair every ticket with its exclusion reason,
so a name on a page reachable by ticket would pair a person with the reason.
``/receipts/<ticket>/<key>`` is the entrant's own: the same, with their masked name. The key
is :func:`~contest.ledger.receipts.receipt_key`, an HMAC of the ticket under the app's
secret key, so only the entrant learns the link — from the form's redirect or the API's
``receipt_url`` — and a wrong key is a 404. The signed receipt cannot serve as the proof: it
is printed on the public page.
"""

import re
import secrets
from datetime import datetime, timedelta

from babel import Locale
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.wrappers.response import Response

from contest.challenge import FIELD as CHALLENGE_FIELD
from contest.complaints.kinds import KIND_LABELS
from contest.entries.confirmation import MAILS_PER_WINDOW, Confirmed, asks, standing, waiting
from contest.entries.consent import consent_for
from contest.entries.csv_import import public_imports
from contest.entries.intake import Arrival, TakenEntry, take_entry
from contest.entries.receipt import find_receipt, inclusion_of_entry, receipt_promise
from contest.entries.requirements import CONSENT_FIELD, entry_requirements
from contest.entries.submission import COLUMNS, user_agent
from contest.errors import EntryRejected, IdempotencyKeyReused
from contest.ledger.receipts import Promise, is_receipt_key, receipt_key, sign_receipt
from contest.lifecycle import Action, allowed
from contest.masking import mask_name
from contest.models import Channel, Contest, Entry, RulesVersion
from contest.rules.amendments import REASON_LABELS
from contest.rules.document import Network, RulesDocument
from contest.rules.history import RulesHistory, rules_history
from contest.rules.how_to_enter import SourceWords, how_to_enter
from contest.rules.parse import country_codes
from contest.rules.publishing import find_contest, public_contests
from contest.rules.status import ContestStatus, contest_stage, public_status
from contest.rules.versions import (
    PublishedContest,
    find_published,
    load_rules,
    published_contest,
)
from web import database
from web.challenge import entry_problem, forms_ask
from web.clock import now
from web.i18n import current_language
from web.keys import secret_key
from web.postman import postman
from web.query import optional_whole_number
from web.ratelimits import public_submissions
from web.telegram import bot_link
from web.transparency import signer

blueprint = Blueprint("public", __name__)
DEVICE_COOKIE = "contest_device"
# The form asks for what a person states; the moment, address, device and browser come with
# the request.
ENTRY_FIELDS = tuple(c for c in COLUMNS if c not in ("entry_id", "submitted_at", "ip",
                                                       "device_id", "user_agent"))


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


@blueprint.route("/")
def home() -> str:
    return render_template("public/home.html",
                           contests=public_contests(database.session(), now=now()))


def _published(slug: str) -> PublishedContest:
    return published_contest(database.session(), slug)


@blueprint.route("/contests/<slug>")
def contest_page(slug: str) -> str:
    found = _published(slug)
    by_telegram = any(source.network == Network.TELEGRAM for source in found.rules.sources)
    return render_template("public/contest.html", contest=found.contest, version=found.version,
                           rules=found.rules, bot_link=bot_link(slug) if by_telegram else None,
                           status=public_status(contest_stage(database.session(), found.contest,
                                                              now())),
                           kinds=KIND_LABELS, challenge=forms_ask(),
                           imports=public_imports(database.session(), found.contest))


def render_rules_page(contest: Contest, rules: RulesDocument, *, sha256: str | None,
                      version: RulesVersion | None, history: RulesHistory,
                      status: ContestStatus, preview: bool) -> str:
    """The official rules page: the rules text in the contest's language, everything around
    it (menus, status, history) in the visitor's; the preview renders the same."""
    with force_locale(rules.language):
        official = Markup(render_template("public/_official_rules.html", rules=rules,
                                          entering=[linked(words)
                                                    for words in how_to_enter(rules)]))
    return render_template("public/rules.html", contest=contest, rules=rules, sha256=sha256,
                           version=version, history=history.items, preview=preview,
                           status=status, amendment_reasons=REASON_LABELS, official=official)


def linked(words: SourceWords) -> Markup:
    """A source in words, escaped, each address in it a link to the network."""
    text = str(escape(words.text))
    links = sorted(words.links, key=lambda link: len(link.shown), reverse=True)
    if not links:
        return Markup(text)
    by_shown = {str(escape(link.shown)): link for link in links}
    pattern = re.compile("|".join(re.escape(shown) for shown in by_shown))
    return Markup(pattern.sub(lambda found: str(Markup('<a href="{}" rel="nofollow">{}</a>')
                                                .format(by_shown[found.group()].url,
                                                        by_shown[found.group()].shown)), text))


@blueprint.route("/contests/<slug>/rules")
def rules_page(slug: str) -> str:
    session = database.session()
    contest = find_contest(session, slug)
    history = rules_history(session, contest)
    shown = history.version(optional_whole_number("version", minimum=1))
    return render_rules_page(contest, load_rules(shown), sha256=shown.sha256, version=shown,
                             history=history, preview=False,
                             status=public_status(contest_stage(session, contest, now())))


@blueprint.route("/contests/<slug>/enter", methods=["GET", "POST"])
@public_submissions
def enter(slug: str) -> str | Response:
    found = _published(slug)
    contest, version, rules = found.contest, found.version, found.rules
    stage = contest_stage(database.session(), contest, now())
    status = public_status(stage)
    values = {name: request.form.get(name, "") for name in ENTRY_FIELDS}
    errors: dict[str, str] = {}
    general: list[str] = []
    # The page's token makes a double click one entry; it stays while the entry is corrected.
    token = request.form.get("idempotency_token") or secrets.token_urlsafe(16)
    consent = consent_for(rules, current_language())
    agreed = request.form.get(CONSENT_FIELD) or None
    answer = 200
    # The proof-of-work challenge (issue 21), checked before the entry is read.
    unsolved = (entry_problem(request.form.get(CHALLENGE_FIELD), found,
                              request.form.get("idempotency_token") or None)
                if request.method == "POST" and forms_ask() else None)
    if unsolved is not None:
        answer = 422
        errors[CHALLENGE_FIELD] = unsolved.text(current_language())
    elif request.method == "POST" and allowed(Action.ENTER, stage, None):
        try:
            entry = take_entry(database.session(), contest=found, arrival=Arrival(
                values | {"ip": request.remote_addr,
                          "device_id": request.cookies.get(DEVICE_COOKIE),
                          "user_agent": user_agent(request.headers.get("User-Agent"))},
                Channel.FORM, now(),
                idempotency_key=request.form.get("idempotency_token") or None,
                language=current_language(), consent=agreed), signer=signer())
            database.session().commit()
            if entry.new and asks(rules, Channel.FORM):
                postman().post(entry.id)  # mailed after this answer (web.postman)
            return redirect(own_receipt_url(entry.ticket), code=303)
        except EntryRejected as rejected:
            database.session().rollback()
            answer = 422
            for error in rejected.errors:
                text = error.text(current_language())
                if error.field in ENTRY_FIELDS or error.field == CONSENT_FIELD:
                    errors.setdefault(error.field, text)
                else:
                    general.append(text)
        except IdempotencyKeyReused:
            # A page whose entry was stored, edited and sent again (the back button): this
            # is another entry, which a new page sends.
            database.session().rollback()
            answer, token = 409, secrets.token_urlsafe(16)
            general.append(_("Your entry from this page was already recorded. To send "
                             "another entry, check the fields and send the form again."))
    response = make_response(render_template(
        "public/enter.html", contest=contest, rules=rules, version=version, status=status,
        values=values, errors=errors, general=general, token=token,
        needed=entry_requirements(rules), consent=consent,
        consent_given=agreed == consent.version, countries=_countries(rules),
        challenge=forms_ask(),
    ), answer)
    if not request.cookies.get(DEVICE_COOKIE):
        response.set_cookie(DEVICE_COOKIE, secrets.token_hex(16), max_age=400 * 24 * 3600,
                            httponly=True, samesite="Lax")
    return response


def _countries(rules: RulesDocument) -> list[str]:
    """The countries the form offers: those the rules admit, or every country by its name
    in the page's language."""
    needed = entry_requirements(rules)
    if needed.countries:
        return list(needed.countries)
    names = Locale.parse(current_language()).territories
    return sorted(country_codes(), key=lambda code: str(names.get(code, code)))


def own_receipt_url(ticket: str, *, external: bool = False) -> str:
    """The entrant's private link to their receipt (see the module's docstring)."""
    return url_for("public.own_receipt", ticket=ticket,
                   key=receipt_key(ticket, secret_key()), _external=external)


def _render_receipt(ticket: str, *, own: bool) -> str:
    found = find_receipt(database.session(), ticket)
    entry, contest, version = found.entry, found.contest, found.version
    taken = TakenEntry.of(entry, version)
    closes_at, late = _waiting(entry, contest)
    return render_template("public/receipt.html", entry=entry, contest=contest, version=version,
                           masked_name=mask_name(entry.full_name) if own else None,
                           signed=sign_receipt(taken, contest.slug, signer(),
                                               promise_for(taken, contest.slug)),
                           reasons=entry.reasons, waiting=closes_at, late=late,
                           limit=MAILS_PER_WINDOW)


def _waiting(entry: Entry, contest: Contest) -> tuple[datetime | None, bool]:
    """The close of ``contest`` when ``entry`` waits for its entrant to confirm their
    address (:mod:`web.confirmations`), else ``None``; and whether the close came first."""
    session = database.session()
    if entry.id is None or not waiting(session, entry.id):
        return None, False
    found = find_published(session, contest)
    if found is None:
        return None, False
    outcome = standing(session, entry=entry, rules=found.rules, now=now())
    return found.rules.period.closes_at, outcome == Confirmed.TOO_LATE


def promise_for(entry: TakenEntry, slug: str) -> Promise | None:
    """What the receipt of ``entry`` promises (see :mod:`contest.ledger.receipts`)."""
    return receipt_promise(database.session(), contest=slug, ticket=entry.ticket,
                           received_at=entry.received_at, leaf_hash=entry.leaf_hash,
                           merge_delay=timedelta(seconds=current_app.config["LOG_MERGE_DELAY"]))


@blueprint.get("/contests/<slug>/receipts/<ticket>/proof.json")
def receipt_proof(slug: str, ticket: str) -> Response:
    """The inclusion proof of a receipt's leaf: the leaf, its index, the first checkpoint
    whose tree holds it and the RFC 6962 proof to that checkpoint's root."""
    proof = inclusion_of_entry(database.session(), contest=slug, ticket=ticket.lower(),
                               signer=signer())
    response: Response = jsonify(proof)
    return response


@blueprint.route("/receipts/<ticket>")
def receipt(ticket: str) -> str:
    return _render_receipt(ticket.lower(), own=False)


@blueprint.route("/receipts/<ticket>/<key>")
def own_receipt(ticket: str, key: str) -> Response:
    ticket = ticket.lower()
    if not is_receipt_key(ticket, key, secret_key()):
        abort(404)
    response = make_response(_render_receipt(ticket, own=True))
    response.headers["Cache-Control"] = "no-store"  # it names the entrant: no shared caches
    return response
