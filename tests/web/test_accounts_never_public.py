"""No public page shows a social account (issue 20): public pages show masked names only,
never an account id or handle.

The demo is built, then every entry is given a social account, as one read from VK or
Instagram keeps it (and a few are named by their account alone, as a network read names an
entrant who shows no name), and staff members and relatives get accounts too. Every public
page reachable from the home page, the public API, the log, the draw bundle, the results
with their masked winners, and every entry's receipt, public and the entrant's own, are
fetched: none may contain an account, its id as a profile link writes it, or a handle.
"""

import json
from datetime import UTC, datetime

from flask import Flask
from sqlmodel import Session, select

from contest.demo import build_demo
from contest.ledger.receipts import receipt_key
from contest.models import DeclaredRelative, Entry, StaffMember
from tests.builders import SIGNER
from tests.fixtures import Browser, Clock
from tests.web.test_no_pii_on_public_pages import crawl

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _give_accounts(db: Session) -> set[str]:
    """Give every entry, staff member and relative accounts; what no public page may show of
    them."""
    secrets: set[str] = set()
    for entry in db.exec(select(Entry)).all():
        number = entry.id or 0
        if number % 2:
            entry.account = f"vk:{730_000_000 + number}"
            secrets |= {entry.account, f"id{730_000_000 + number}"}
        else:
            entry.account = f"ig:snow_fan_{number}_x"
            secrets |= {entry.account, f"snow_fan_{number}_x"}
        if number % 5 == 0:
            entry.full_name = entry.account  # a network entrant who shows no name
        db.add(entry)
    insiders: list[StaffMember | DeclaredRelative] = [
        *db.exec(select(StaffMember)).all(), *db.exec(select(DeclaredRelative)).all()]
    for number, person in enumerate(insiders):
        person.account = f"vk:{740_000_000 + number};ig:insider_fan_{number}"
        secrets |= {f"vk:{740_000_000 + number}", f"insider_fan_{number}"}
        db.add(person)
    db.commit()
    return secrets


def test_no_public_page_shows_a_social_account(app: Flask, client: Browser, db: Session,
                                               clock: Clock) -> None:
    clock.now = NOW
    build_demo(db, entrants=120, seed=5, now=NOW,
               signer=app.extensions.get("contest.signer", SIGNER))
    db.commit()
    secrets = _give_accounts(db)
    secret_key = app.secret_key
    assert isinstance(secret_key, str | bytes)
    key = secret_key if isinstance(secret_key, bytes) else secret_key.encode()
    tickets = [entry.ticket for entry in db.exec(select(Entry)).all()]
    contests = [c["slug"] for c in json.loads(client.get("/api/contests").data)]
    starts = ["/", "/api/contests", "/log/checkpoint", "/log/entries?start=0&end=1000"]
    for slug in contests:
        starts += [f"/contests/{slug}", f"/contests/{slug}/results",
                   f"/contests/{slug}/draw.json", f"/api/contests/{slug}"]
        starts += [f"/contests/{slug}/results?ticket={ticket}" for ticket in tickets[:10]]
    starts += [f"/receipts/{ticket}" for ticket in tickets]
    starts += [f"/receipts/{ticket}/{receipt_key(ticket, key)}" for ticket in tickets]
    pages = crawl(client, starts)
    winners = [text for url, text in pages.items() if url.endswith("/results")]
    assert any("Winners" in text or "winners" in text for text in winners)
    own = [text for url, text in pages.items() if url.count("/") == 3
           and url.startswith("/receipts/")]
    assert len(own) == len(tickets)
    assert all("This link is yours alone: it shows your name." in text for text in own)
    for url, text in pages.items():
        leaked = [value for value in secrets if value in text]
        assert not leaked, f"{url} shows {leaked[:3]}"
