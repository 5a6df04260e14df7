"""No personal data leaves through a public page or API: a crawl of the demo.

The demo is built in the test database (entrants from three locales, a finished public draw,
staff and relatives), then every public page reachable from the home page, every public API
answer, the log, the draw bundle, receipts and ticket look-ups are fetched; none may contain
an entrant's or staff member's e-mail, phone, date of birth or street address.
"""

import json
import re
from collections import deque
from datetime import UTC, datetime

from flask import Flask
from sqlmodel import Session, select

from contest.demo import build_demo
from contest.models import Complaint, DeclaredRelative, Entry, StaffMember
from tests.builders import SIGNER
from tests.fixtures import Browser, Clock

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
NOT_PUBLIC = ("/login", "/logout", "/language", "/static", "/manage", "/audit", "/admin")


def secrets_of(db: Session) -> set[str]:
    """Every personal value stored, as it could appear in a page."""
    found: set[str] = set()
    for entry in db.exec(select(Entry)).all():
        found |= {v for v in (entry.email, entry.phone, entry.address, entry.email_key) if v}
        if entry.birth_date:
            found.add(entry.birth_date.isoformat())
    for person in [*db.exec(select(StaffMember)).all(), *db.exec(select(DeclaredRelative)).all()]:
        found |= {value.strip() for value in f"{person.email};{person.phone}".split(";")
                  if value.strip()}
        if person.address:
            found.add(person.address)
    for complaint in db.exec(select(Complaint)).all():
        found |= {complaint.contact, complaint.text, complaint.key}
    # Values too short to be telling (an address like "1") would only match by chance.
    return {value for value in found if len(value) >= 6}


def crawl(client: Browser, starts: list[str]) -> dict[str, str]:
    pages: dict[str, str] = {}
    queue = deque(starts)
    while queue:
        url = queue.popleft()
        if url in pages or url.startswith(NOT_PUBLIC):
            continue
        answer = client.get(url)
        assert answer.status_code < 500, url
        text = answer.get_data(as_text=True)
        pages[url] = text
        if answer.mimetype == "text/html":
            for link in re.findall(r'(?:href|action)="(/[^"#]*)"', text):
                queue.append(link.replace("&amp;", "&"))
    return pages


def test_no_public_page_or_api_shows_personal_data(app: Flask, client: Browser, db: Session,
                                                    clock: Clock) -> None:
    clock.now = NOW
    build_demo(db, entrants=300, seed=11, now=NOW, signer=app.extensions.get(
        "contest.signer", SIGNER))
    db.commit()
    tickets = [e.ticket for e in db.exec(select(Entry).limit(40)).all()]
    contests = [c["slug"] for c in json.loads(client.get("/api/contests").data)]
    starts = ["/", "/api/contests", "/log/checkpoint", "/log/key",
              "/log/entries?start=0&end=1000"]
    for slug in contests:
        starts += [f"/contests/{slug}", f"/contests/{slug}/rules", f"/contests/{slug}/results",
                   f"/contests/{slug}/draw.json", f"/contests/{slug}/verify",
                   f"/api/contests/{slug}", f"/contests/{slug}/complaints"]
        starts += [f"/contests/{slug}/results?ticket={ticket}" for ticket in tickets[:10]]
    starts += [f"/receipts/{ticket}" for ticket in tickets]
    pages = crawl(client, starts)
    assert len(pages) > 80
    assert any("draw.json" in url for url in pages)
    secrets = secrets_of(db)
    assert len(secrets) > 500
    assert any("Your entry is recorded with ticket" in text for text in pages.values())
    for url, text in pages.items():
        leaked = [value for value in secrets if value in text]
        assert not leaked, f"{url} shows {leaked[:3]}"
