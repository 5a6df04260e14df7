"""Hostile receipt links: whatever ticket and key a stranger puts in the address, the
entrant's page opens only for the entrant's own key, anything else is a 404, never a 500."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from contest.ledger.receipts import receipt_key
from contest.models import Channel
from contest.rules.versions import PublishedContest
from tests.builders import OPENS, make_contest, make_entry, rules_document
from tests.fixtures import Browser

SEGMENTS = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


@pytest.fixture
def ticket(app: Flask, client: Browser, db: Session) -> str:
    """The ticket of Платон Никонов's entry, after checking his own link opens."""
    rules = rules_document()
    contest, version = make_contest(db, rules=rules)
    assert version is not None
    entry = make_entry(db, PublishedContest(contest, version, rules),
                       data={"full_name": "Платон Никонов", "email": "p@example.ru",
                             "birth_date": "1990-01-01", "country": "RU"},
                       channel=Channel.API, idempotency_key=None,
                       now=OPENS + timedelta(hours=1))
    db.commit()
    own = client.get(f"/receipts/{entry.ticket}/"
                     f"{receipt_key(entry.ticket, str(app.secret_key).encode())}")
    assert own.status_code == 200 and "Платон Н." in own.get_data(as_text=True)
    return entry.ticket


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(other=SEGMENTS | st.from_regex(r"[0-9a-fA-F]{32}", fullmatch=True),
       key=SEGMENTS | st.from_regex(r"[A-Za-z0-9_-]{22}", fullmatch=True),
       his=st.booleans())
def test_a_receipt_link_opens_for_its_own_key_only(client: Browser, ticket: str, other: str,
                                                   key: str, his: bool) -> None:
    shown = ticket if his else other
    # A "/" inside a part makes an empty path segment, which Werkzeug redirects (308) to the
    # address without it: follow it, and that address must not open either.
    answer = client.get(f"/receipts/{quote(shown, safe='')}/{quote(key, safe='')}",
                        follow_redirects=True)
    # A guess is right once in 2¹²⁸: any 200 here is a key that should not have opened.
    assert answer.status_code == 404, (shown, key, answer.status_code)
    assert "Платон" not in answer.get_data(as_text=True)
