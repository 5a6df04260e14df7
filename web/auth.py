"""Sign-in for staff (Flask-Login), CSRF protection on every form (Flask-WTF), role checks.

Marketers configure contests, auditors read entries, admins manage users (and may do what
the other roles do). The public needs no account.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers.response import Response

from contest.accounts import authenticate
from contest.models import Role, User
from web import database
from web.redirects import same_site_path

blueprint = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()

View = TypeVar("View", bound=Callable[..., Any])


class Staff(UserMixin):
    """The signed-in account, detached from the database session."""

    def __init__(self, user: User) -> None:
        assert user.id is not None
        self.id = user.id
        self.email = user.email
        self.name = user.name
        self.role = user.role
        self.active = user.active

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *roles: Role) -> bool:
        return self.role == Role.ADMIN or self.role in roles


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = ""
    csrf.init_app(app)
    app.register_blueprint(blueprint)


@login_manager.user_loader
def _load(user_id: str) -> Staff | None:
    user = database.session().get(User, int(user_id))
    return Staff(user) if user is not None and user.active else None


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

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return cast(View, wrapped)

    return decorate


def actor_id() -> int | None:
    return int(current_user.id) if current_user.is_authenticated else None


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    error = None
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "")
        user = authenticate(database.session(), email=email,
                            password=request.form.get("password", ""))
        if user is None:
            error = _("Wrong e-mail or password.")
        else:
            login_user(Staff(user))
            desk = url_for("auditor.contests" if user.role == Role.AUDITOR
                           else "marketer.contests")
            return redirect(same_site_path(request.args.get("next"), fallback=desk))
    return render_template("auth/login.html", error=error, email=email), 401 if error else 200


@blueprint.route("/logout", methods=["POST"])
def logout() -> Response:
    logout_user()
    flash(_("You are signed out."))
    return redirect(url_for("public.home"))
