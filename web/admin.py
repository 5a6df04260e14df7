"""The admin's desk: staff accounts and their roles."""

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers.response import Response

from contest.accounts import create_user, list_users, set_active
from contest.errors import InvalidInput
from contest.models import Role, User
from web import database
from web.auth import actor_id, role_required
from web.clock import now
from web.i18n import current_language

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


@blueprint.route("/users", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def users() -> tuple[str, int] | Response:
    session = database.session()
    values = {k: request.form.get(k, "") for k in ("email", "name", "role")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            create_user(session, email=values["email"], name=values["name"],
                        role=values["role"], password=request.form.get("password", ""),
                        actor_id=actor_id(), now=now())
            session.commit()
            flash(_("Account created."))
            return redirect(url_for("admin.users"), code=303)
        except InvalidInput as invalid:
            session.rollback()
            for error in invalid.errors:
                errors.setdefault(error.field, error.text(current_language()))
    return render_template("admin/users.html", users=list_users(session), values=values,
                           errors=errors, roles=list(Role)), 422 if errors else 200


@blueprint.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
def toggle(user_id: int) -> Response:
    session = database.session()
    user = session.get(User, user_id)
    if user is not None and user.id != actor_id():
        set_active(session, user=user, active=request.form.get("active") == "1",
                   actor_id=actor_id(), now=now())
        session.commit()
    return redirect(url_for("admin.users"), code=303)
