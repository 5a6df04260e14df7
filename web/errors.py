"""Domain errors become 4xx answers with the message in the person's language; a 503 when
the service cannot answer truly for now (busy, or a published record found altered).

JSON for the API (``/api/...``), a page otherwise. A 500 is always a bug.
"""

from typing import Any

from flask import Flask, abort, current_app, flash, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers.response import Response

from contest.errors import (
    Conflict,
    ContestError,
    Forbidden,
    InvalidInput,
    LogTampered,
    Malformed,
    NotFound,
    OutOfRange,
    RulesTampered,
    TryAgain,
)
from web.i18n import current_language


def init_app(app: Flask) -> None:
    app.register_error_handler(ContestError, _contest_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
    app.register_error_handler(PoolTimeout, _database_unavailable)  # every connection busy
    app.url_value_preprocessor(_no_such_address)


def _no_such_address(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """A part of the address holding a character no stored name, ticket or key has (NUL and
    other control characters, which PostgreSQL cannot even compare) names nothing: 404."""
    for value in (values or {}).values():
        if isinstance(value, str) and any(ord(c) < 0x20 or c == "\x7f" for c in value):
            abort(404)


def wants_json() -> bool:
    """The API and the log's proof endpoints answer in JSON, pages in HTML."""
    return request.path.startswith(("/api/", "/log/")) or request.path.endswith(".json")


# The HTTP status of each kind of domain error, the first kind that matches; any other
# ContestError (a configuration, verification or randomness problem) is a 400.
STATUSES: tuple[tuple[type[ContestError], int], ...] = (
    # Our own record was altered behind the app's back: nothing the person sent is wrong,
    # and this is no bug in the code either (a 500), but the service cannot answer truly
    # until the record is restored from the log and a backup. Retrying will not help.
    (RulesTampered, 503),
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),            # with the state of the contest: a step out of order, done already
    (InvalidInput, 422),
    (OutOfRange, 422),
    (Malformed, 422),
    (TryAgain, 503),            # nothing was stored; the same request may be sent again
    (LogTampered, 503),         # the log holds what this app did not write: nothing is signed
                                # (EntriesTampered: the entries disagree with the log)
)


def status_of(error: ContestError) -> int:
    return next((status for kind, status in STATUSES if isinstance(error, kind)), 400)


def error_json(error: ContestError) -> dict[str, object]:
    language = current_language()
    body: dict[str, object] = {"error": error.code, "message": error.text(language)}
    if isinstance(error, InvalidInput):
        body["errors"] = [e.as_json(language) for e in error.errors]
    return body


def flash_error(error: ContestError | str) -> None:
    """Show ``error`` as an error on the next page, in the person's language: the problem
    with each field of invalid input, else the domain error's message; or a message
    already translated."""
    if isinstance(error, str):
        flash(error, "error")
        return
    language = current_language()
    details = error.errors if isinstance(error, InvalidInput) else ()
    flash("; ".join(e.text(language) for e in details) or error.text(language), "error")


def _contest_error(error: ContestError) -> tuple[Response | str, int, dict[str, str]]:
    status = status_of(error)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if isinstance(error, TryAgain) else {}
    if wants_json():
        return jsonify(error_json(error)), status, headers
    details = error.errors if isinstance(error, InvalidInput) else ()
    title = (_("These rules fail their integrity check") if isinstance(error, RulesTampered)
             else _("Something is not right"))
    return render_template("error.html", title=title,
                           message=error.text(current_language()),
                           details=[(e.field, e.text(current_language())) for e in details]
                           ), status, headers


# What Flask-WTF says of a token older than WTF_CSRF_TIME_LIMIT.
CSRF_EXPIRED = "The CSRF token has expired."


def _csrf_error(error: CSRFError) -> tuple[Response | str, int]:
    if error.description == CSRF_EXPIRED:
        hours = current_app.config["WTF_CSRF_TIME_LIMIT"] // 3600
        message = ngettext("The form was open for more than %(num)s hour and has expired. "
                           "Reload the page and send it again.",
                           "The form was open for more than %(num)s hours and has expired. "
                           "Reload the page and send it again.", hours)
    else:
        message = _("The form expired or was sent from another site. Reload the page and try "
                    "again.")
    if wants_json():
        return jsonify({"error": "csrf", "message": message}), 400
    return render_template("error.html", title=_("Please try again"), message=message), 400


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    messages = {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("There is no such page."),
        405: _("This address does not accept that kind of request."),
        413: _("The upload is too large."),
        429: _("Too many requests from your address in a short time. Please wait a little "
               "and try again; nothing you sent before is lost."),
    }
    message = messages.get(status, error.description or "")
    if wants_json():
        return jsonify({"error": error.name.lower().replace(" ", "_"), "message": message}), status
    return render_template("error.html", title=error.name, message=message), status


# How long a client should wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


def _database_unavailable(error: Exception) -> tuple[Response | str, int, dict[str, str]]:
    """The database is down or restarting: say so plainly and ask to retry. The engine's
    pre-ping replaces dead connections, so the app recovers by itself once it is back."""
    current_app.logger.warning("database unavailable: %s", error)
    message = _("The service is briefly unavailable: its database is not answering. Please "
                "try again in a minute; sending the same entry again never enters it twice.")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if wants_json():
        return jsonify({"error": "database_unavailable", "message": message}), 503, headers
    return (render_template("error.html", title=_("Please try again shortly"), message=message),
            503, headers)
