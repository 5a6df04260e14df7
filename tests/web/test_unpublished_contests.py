"""A contest that was never published does not exist for the public.

The test walks the URL map: every route not behind ``role_required`` is public, and each one
that names a contest answers 404 for a draft, by every method, with nothing of the draft in
the answer. A new public route is covered the day it is added; one with a new kind of
parameter fails here until someone says how it reaches a contest.
"""

import re
from datetime import timedelta

from flask import Flask
from sqlmodel import Session
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from contest.models import Complaint
from tests.builders import OPENS, make_contest, rules_document
from tests.fixtures import Browser, Clock

TITLE = "Glacier of secrets"  # only the draft has this title
SLUG = "draft-giveaway"
# Parameters of public routes that do not name a contest by its slug, and why they cannot
# reach a draft: an entry always has published rules (its ticket and its receipt key), a
# complaint is looked up by its private key (a draft's complaint is made below to be sure),
# static files are the app's own, ``code`` is a language the visitor switches to, and a
# log tile's ``path`` names leaves of the public log by number, as ``/log/entries`` does.
RECORD_PARAMETERS = {"ticket", "key", "filename", "code", "path"}


def public_rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules()
            if getattr(app.view_functions[rule.endpoint], "allowed_roles", None) is None]


def call(client: Browser, method: str, url: str) -> TestResponse:
    """A GET, or a POST as a browser (form with CSRF token) and as an API client (JSON)."""
    if method == "GET":
        return client.get(url)
    assert method == "POST", method
    if url.startswith("/api/"):
        return client.post(url, json={"full_name": "Anna Smith", "kind": "other"})
    return client.submit(url, {"full_name": "Anna Smith", "kind": "other", "text": "hello"})


def draft(db: Session) -> str:
    """A draft contest (created, never published) with a complaint row of its own."""
    contest, _ = make_contest(db, slug=SLUG, rules=rules_document(title=TITLE),
                              published=False)
    assert contest.id is not None
    db.add(Complaint(contest_id=contest.id, number=1, key="k" * 43, contact="a@example.com",
                     kind="other", text="hello", language="en", received_at=OPENS,
                     first_due_at=OPENS + timedelta(days=30),
                     due_at=OPENS + timedelta(days=30)))
    db.commit()
    return contest.title


def test_every_public_route_of_a_draft_answers_404(app: Flask, client: Browser, db: Session,
                                                   clock: Clock) -> None:
    clock.now = OPENS + timedelta(days=1)  # the draft's period is open: still not public
    make_contest(db)  # a published contest next to it, so "nothing at all" is not the reason
    title = draft(db)
    tried: set[str] = set()
    for rule in public_rules(app):
        unknown = rule.arguments - {"slug"} - RECORD_PARAMETERS
        assert not unknown, (f"{rule.rule}: say in this test how {unknown} reaches a contest "
                             "and check it answers 404 for a draft")
        if "slug" not in rule.arguments:
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: {"slug": SLUG, "key": "k" * 43}.get(
            m.group(1), "0" * 32), rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            answer = call(client, method, url)
            assert answer.status_code == 404, (rule.endpoint, method, answer.status_code)
            assert title not in answer.get_data(as_text=True), (rule.endpoint, method)
            tried.add(rule.endpoint)
    assert {"public.contest_page", "public.rules_page", "public.enter", "api.contest",
            "api.create_entry", "complaints.complaints", "complaints_api.create",
            "transparency.results", "transparency.verify_page",
            "transparency.bundle"} <= tried


def test_a_drafts_complaint_link_answers_404(client: Browser, db: Session) -> None:
    draft(db)
    answer = client.get(f"/complaints/{'k' * 43}")
    assert answer.status_code == 404
    assert TITLE not in answer.get_data(as_text=True)


def test_public_lists_and_the_log_never_name_a_draft(app: Flask, client: Browser,
                                                     db: Session) -> None:
    make_contest(db)
    title = draft(db)
    for rule in public_rules(app):
        if rule.arguments or "GET" not in (rule.methods or set()):
            continue
        text = client.get(rule.rule).get_data(as_text=True)
        assert title not in text and SLUG not in text, rule.rule
