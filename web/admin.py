"""The admin's desk: staff accounts and their roles."""

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers.response import Response

from contest.accounts import create_user, find_account, list_users, may_set_active, set_active
from contest.errors import InvalidInput
from contest.ledger.store import foreign_pending, unsealed_leaves
from contest.models import Role
from web import database
from web.auth import actor_id, role_required
from web.clock import now
from web.i18n import current_language
from web.transparency import signer

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
    accounts = list_users(session)
    switchable = {user.id for user in accounts
                  if may_set_active(user, active=not user.active, actor_id=actor_id())}
    return render_template("admin/users.html", users=accounts, switchable=switchable,
                           values=values, errors=errors, roles=list(Role),
                           foreign_leaves=[*map(str, unsealed_leaves(session, signer())),
                                           *(f"p{number}" for number
                                             in foreign_pending(session, signer()))]), \
        422 if errors else 200


@blueprint.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
def toggle(user_id: int) -> Response:
    session = database.session()
    set_active(session, user=find_account(session, user_id=user_id),
               active=request.form.get("active") == "1", actor_id=actor_id(), now=now())
    session.commit()
    return redirect(url_for("admin.users"), code=303)
