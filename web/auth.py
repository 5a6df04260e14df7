"""Sign-in for staff (Flask-Login), CSRF protection on every form (Flask-WTF), role checks.

Marketers configure contests, auditors read entries, admins manage users (and may do what
the other roles do). The public needs no account.

The session cookie carries a session token, not the account's id: each request finds the
account through the token's server-side row (:func:`contest.accounts.session_user`), and
signing out deletes the row, so a copy of the cookie kept from before opens nothing after.
Sign-in attempts are limited per account and per address (:class:`web.ratelimits.SignInLimits`).
A form's CSRF token is good for :data:`CSRF_TIME_LIMIT`, and for the one browser session.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers.response import Response

from contest.accounts import authenticate, end_session, session_user, start_session
from contest.models import Role, User
from web import database
from web.clock import now
from web.ratelimits import sign_in_limits
from web.redirects import same_site_path

blueprint = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()

View = TypeVar("View", bound=Callable[..., Any])
# How long a page's form may stay open: a working day's session of the rules editor, short
# enough that a token left in a page or a log is soon of no use.
CSRF_TIME_LIMIT = timedelta(hours=8)


class Staff(UserMixin):
    """The signed-in account, detached from the database session, and the token of its
    session (what Flask-Login keeps in the cookie)."""

    def __init__(self, user: User, token: str) -> None:
        assert user.id is not None
        self.id = user.id
        self.token = token
        self.email = user.email
        self.name = user.name
        self.role = user.role
        self.active = user.active

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return self.token

    def has_role(self, *roles: Role) -> bool:
        return self.role == Role.ADMIN or self.role in roles


def init_app(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", int(CSRF_TIME_LIMIT.total_seconds()))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = ""
    csrf.init_app(app)
    app.register_blueprint(blueprint)


@login_manager.user_loader
def _load(token: str) -> Staff | None:
    user = session_user(database.session(), token=token)
    return Staff(user, token) if user is not None else None


def role_required(*roles: Role) -> Callable[[View], View]:
    """Only signed-in staff with one of ``roles`` (or an admin) may use the view."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        # A mark on the function, read back by the access tests; functions take attributes.
        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return cast(View, wrapped)

    return decorate


def actor_id() -> int | None:
    return int(current_user.id) if current_user.is_authenticated else None


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    error = None
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "")
        wait = sign_in_limits().attempt(email=email, address=request.remote_addr or "")
        if wait is not None:
            error = _("Too many sign-in attempts. To keep the accounts safe, signing in is "
                      "paused. Please wait %(wait)s and try again.",
                      wait=format_timedelta(timedelta(seconds=wait)))
            return (render_template("auth/login.html", error=error, email=email), 429,
                    {"Retry-After": str(wait)})
        db = database.session()
        user = authenticate(db, email=email, password=request.form.get("password", ""))
        if user is None:
            error = _("Wrong e-mail or password.")
        else:
            sign_in_limits().signed_in(email=email)
            token = start_session(db, user=user, now=now())
            db.commit()
            session.pop("csrf_token", None)  # a form from before the sign-in is not taken
            login_user(Staff(user, token))
            desk = url_for("auditor.contests" if user.role == Role.AUDITOR
                           else "marketer.contests")
            return redirect(same_site_path(request.args.get("next"), fallback=desk))
    return render_template("auth/login.html", error=error, email=email), 401 if error else 200


@blueprint.route("/logout", methods=["POST"])
def logout() -> Response:
    """End the session on the server, so every copy of its cookie stops working."""
    if current_user.is_authenticated:
        end_session(database.session(), token=current_user.get_id())
        database.session().commit()
    logout_user()
    session.pop("csrf_token", None)  # nor do the forms of the signed-in pages
    flash(_("You are signed out."))
    return redirect(url_for("public.home"))
