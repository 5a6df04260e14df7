"""Every staff route refuses the public and the wrong role. The test walks the URL map, so a
new route cannot slip through: a route outside the public parts must declare its roles with
``role_required``, and is then tried as nobody and as each role."""

import re

import pytest
from flask import Flask
from sqlmodel import Session
from werkzeug.test import TestResponse

from contest.accounts import create_user
from contest.models import Role
from tests.builders import make_contest
from tests.fixtures import Browser, Clock

PASSWORD = "a long password"
STAFF_PREFIXES = ("/admin", "/audit", "/manage")
# Everything a visitor may reach. A new public route must be added here on purpose.
PUBLIC_ENDPOINTS = {
    "public.home", "public.contest_page", "public.rules_page", "public.enter", "public.receipt",
    "public.own_receipt", "public.receipt_proof",
    "confirmations.confirm_entry", "confirmations.send_again",  # behind their HMAC keys
    "api.contests", "api.contest", "api.create_entry",
    "challenge.challenge",  # the proof-of-work puzzle the entry form and the API ask for
    "complaints.complaints", "complaints.follow", "complaints_api.create",
    "transparency.bundle", "transparency.results", "transparency.verify_page",
    "transparency.checkpoint", "transparency.entries", "transparency.key",
    "transparency.consistency", "transparency.inclusion", "transparency.tile",
    "auth.login", "auth.logout", "language", "static",
    "telegram.webhook",  # Telegram's, behind the webhook's secret header
}


def staff_routes(app: Flask) -> list[tuple[str, str, str, frozenset[str]]]:
    """``(endpoint, method, url, allowed roles)`` of every route that is not public."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, "allowed_roles", None)
        assert roles is not None, f"{rule.rule} is neither public nor behind role_required"
        url = re.sub(r"<(?:int:)?(\w+)>", lambda m: {"slug": "winter-giveaway"}.get(
            m.group(1), "1"), rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, url, frozenset(str(r) for r in roles)))
    return routes


def test_public_routes_live_outside_the_staff_prefixes(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            assert not rule.rule.startswith(STAFF_PREFIXES), rule.rule
        else:
            assert rule.rule.startswith(STAFF_PREFIXES), (
                f"{rule.rule} is a staff route outside /admin, /audit and /manage")


def call(client: Browser, method: str, url: str) -> TestResponse:
    """A GET, or a form POST with a valid CSRF token (so only the roles can refuse it)."""
    assert method in ("GET", "POST"), method
    return client.get(url) if method == "GET" else client.submit(url, {})


def test_nobody_signed_in_is_sent_to_the_sign_in_page(app: Flask, client: Browser,
                                                      db: Session) -> None:
    make_contest(db)
    routes = staff_routes(app)
    assert len(routes) >= 25
    for endpoint, method, url, _roles in routes:
        answer = call(client, method, url)
        assert answer.status_code == 302, (endpoint, method, answer.status_code)
        assert answer.headers["Location"].startswith("/login"), endpoint


@pytest.mark.parametrize("role", [Role.MARKETER, Role.AUDITOR])
def test_each_role_is_refused_where_it_does_not_belong(app: Flask, client: Browser, db: Session,
                                                       clock: Clock, role: Role) -> None:
    make_contest(db)
    create_user(db, email=f"{role}@brand.example", name=str(role), role=role,
                password=PASSWORD, actor_id=None, now=clock.now)
    db.commit()
    client.sign_in(f"{role}@brand.example", PASSWORD)
    refused = allowed = 0
    for endpoint, method, url, roles in staff_routes(app):
        answer = call(client, method, url)
        if role.value in roles:
            allowed += 1
            assert answer.status_code != 403, (endpoint, method)
            assert not answer.headers.get("Location", "").startswith("/login"), endpoint
        else:
            refused += 1
            assert answer.status_code == 403, (endpoint, method, answer.status_code)
    assert refused and allowed


def test_an_admin_may_go_everywhere(app: Flask, client: Browser, db: Session,
                                    clock: Clock) -> None:
    make_contest(db)
    create_user(db, email="admin@brand.example", name="admin", role=Role.ADMIN,
                password=PASSWORD, actor_id=None, now=clock.now)
    db.commit()
    client.sign_in("admin@brand.example", PASSWORD)
    for endpoint, method, url, _roles in staff_routes(app):
        assert call(client, method, url).status_code != 403, (endpoint, method)
