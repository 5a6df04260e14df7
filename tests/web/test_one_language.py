"""Every page in Russian and in Ukrainian, and not one English word of the interface left.

The demo is built in the test database (contests in every state, one amended, one drawn;
entrants, staff and relatives; flags; complaints in every state), the language is chosen
with the page's switcher, and every page a visitor and a staff member can reach is crawled:
the public pages signed out, then every page signed in as an administrator (who holds every
role), plus the receipts, the complaint follow-up pages and the pages that answer a form
sent with mistakes.

What a person reads on each page (text, and the ``title``, ``placeholder``, ``aria-label``,
``alt`` and button ``value`` attributes; the evidence picture's SVG text too) is searched
for words in the Latin script, which neither Russian nor Ukrainian writes. Left out are only:
the people's own data (names, addresses, e-mails, what they wrote, the contests' titles and
the rules' free text, all read back from the database), any element whose ``lang`` differs
from the page's (the official rules text in the contest's language, the language switcher's
own names), machine values (``<code>``, ``<pre>``, hashes, e-mails, links) and a short list of words
that are the same in every language. This is the check Zulip's and Mozilla's projects make
with a pseudo-locale, made with the real catalogs.
"""

import io
import re
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from contest.demo import LOGINS, build_demo
from contest.masking import mask_name
from contest.models import (
    Commitment,
    Complaint,
    ComplaintExtension,
    Contest,
    DeclaredRelative,
    Entry,
    FraudFlag,
    RulesVersion,
    StaffMember,
    User,
)
from tests.builders import SIGNER
from tests.fixtures import Browser, Clock

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

SAME_IN_EVERY_LANGUAGE = frozenset({
    "contest",  # the product's name
    "UTC", "GMT",  # time zones' names
    "drand", "League", "of", "Entropy",  # the randomness beacon and its operators, by name
    "RFC", "SHA", "JSON", "CSV", "UTF", "API", "JavaScript",  # standards and formats
    "Excel", "xlsx",  # the spreadsheet people import from, and its files' format
    "RUB", "USD",  # currencies, as Ukrainian writes them (CLDR: "5 000,00 RUB")
})
"""Words a Russian or Ukrainian page writes in Latin letters too."""

TYPED = "not an address"
"""What the test types into a form, which the page may show back."""
NOT_PAGES = ("/static", "/logout", "/language", "/log/", "/api/")
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
MACHINE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|https?://\S+"  # links
    r"|\b[0-9a-f]{8,}\b"  # hashes, tickets, keys
    r"|\b[A-Za-z0-9+/_-]{24,}={0,2}"  # base64 signatures and secrets
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_'’]*[A-Za-z]")


class ReadableText(HTMLParser):
    """The text a person reads on a page, without the parts another language may write."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self.skipping: list[str] = []  # the open elements whose text is not the page's own

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        own_language = found.get("lang") in (None, self.language)
        skipped = tag in ("script", "style", "code", "pre") or not own_language
        if not self.skipping and own_language:
            self.parts += [found[name] or "" for name in ATTRIBUTES if name in found]
            if tag == "input" and found.get("type") in ("submit", "button"):
                self.parts.append(found.get("value") or "")
        if tag in VOID:
            return
        if self.skipping or skipped:
            self.skipping.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.handle_starttag("br", attrs)  # an empty element (SVG's <rect/>): no text

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def english_words(html: str, language: str, people: list[str]) -> set[str]:
    reader = ReadableText(language)
    reader.feed(html)
    text = MACHINE.sub(" ", " \n ".join(reader.parts))  # first: a link may hold a name
    for value in people:
        text = text.replace(value, " ")
    return {word for word in LATIN_WORD.findall(text) if word not in SAME_IN_EVERY_LANGUAGE}


def people_data(db: Session) -> list[str]:
    """What people wrote or are called, as a page may show it; longest first, so a name is
    taken out before a part of it."""
    found: set[str] = set()

    def add(*values: object) -> None:
        for value in values:
            if isinstance(value, str) and value.strip():
                found.add(value.strip())
                found.update(part.strip() for part in value.split(";") if part.strip())

    for entry in db.exec(select(Entry)).all():
        add(entry.full_name, mask_name(entry.full_name), entry.email, entry.phone,
            entry.address, entry.city, entry.postal_code, entry.social_handle,
            entry.source_entry_id, entry.device_id)
    for member in db.exec(select(StaffMember)).all():
        add(member.staff_id, member.full_name, member.email, member.phone, member.address,
            member.city, member.postal_code, member.department, member.company)
    for relative in db.exec(select(DeclaredRelative)).all():
        add(relative.staff_id, relative.full_name, relative.email, relative.phone,
            relative.address, relative.city, relative.postal_code)
    for complaint in db.exec(select(Complaint)).all():
        add(complaint.contact, complaint.text, complaint.answer)
    for extension in db.exec(select(ComplaintExtension)).all():
        add(extension.reason)
    for user in db.exec(select(User)).all():
        add(user.name, user.email)
    for flag in db.exec(select(FraudFlag)).all():
        add(flag.reason, flag.related_to)
    for commitment in db.exec(select(Commitment)).all():
        add(commitment.party)
    for contest in db.exec(select(Contest)).all():
        add(contest.title, contest.slug)
        add(*rules_free_text(contest.draft_json))
    for version in db.exec(select(RulesVersion)).all():
        add(*rules_free_text(version.canonical_json))
    add(TYPED, "no-such-contest")
    return sorted(found, key=len, reverse=True)


def rules_free_text(stored: str) -> Iterable[str]:
    """The text a marketer typed into the rules: names, addresses, prizes, sections."""
    import json

    rules: dict[str, Any] = json.loads(stored)
    yield rules.get("title", "")
    for party in [rules.get("sponsor") or {}, rules.get("organiser") or {},
                  *(rules.get("agencies") or [])]:
        yield from (party.get("legal_name", ""), party.get("address", ""),
                    party.get("contact", ""))
    for prize in rules.get("prizes") or []:
        yield prize.get("name", "")
    yield (rules.get("announcement") or {}).get("notify_by", "")
    yield (rules.get("complaints") or {}).get("channel", "")
    yield (rules.get("selection") or {}).get("details", "")
    for section in rules.get("sections") or []:
        yield from (section.get("title", ""), section.get("text", ""))


def crawl(client: Browser, starts: Iterable[str]) -> dict[str, str]:
    """Every HTML page reachable from ``starts`` through links, by its address."""
    pages: dict[str, str] = {}
    queue = deque(starts)
    while queue:
        url = queue.popleft()
        if url in pages or url.startswith(NOT_PAGES):
            continue
        answer = client.get(url)
        assert answer.status_code < 500, url
        if answer.mimetype != "text/html":
            pages[url] = ""
            continue
        text = answer.get_data(as_text=True)
        pages[url] = text
        for link in re.findall(r'href="(/[^"#]*)"', text):
            queue.append(link.replace("&amp;", "&"))
    return {url: text for url, text in pages.items() if text}


def every_page(app: Flask, db: Session, client: Browser, language: str) -> dict[str, str]:
    """Every page, in ``language``: the public crawl, the staff crawl as an administrator,
    the receipts and complaint pages of the people, and forms answered with mistakes."""
    from web.public import own_receipt_url

    client.submit(f"/language/{language}", {"next": "/"})
    pages = crawl(client, ["/", "/login", "/contests/no-such-contest"])
    entries = db.exec(select(Entry).order_by(Entry.id)).all()
    with app.test_request_context():
        receipts = [own_receipt_url(entry.ticket) for entry in entries
                    if not entry.eligible][:3] + [own_receipt_url(entries[0].ticket)]
    pages |= crawl(client, receipts + [
        f"/complaints/{complaint.key}" for complaint in db.exec(select(Complaint)).all()])
    for slug in ("spring-giveaway", "zimnii-rozygrysh"):
        pages[f"POST /contests/{slug}/enter"] = client.submit(
            f"/contests/{slug}/enter", {"full_name": "", "email": TYPED},
        ).get_data(as_text=True)
        pages[f"POST /contests/{slug}/complaints"] = client.submit(
            f"/contests/{slug}/complaints", {"contact": "", "text": ""},
        ).get_data(as_text=True)
    admin = next(login for login in LOGINS if login.role == "admin")
    client.sign_in(admin.email, admin.password)
    pages |= {f"staff {url}": page for url, page in crawl(client, [
        "/", "/manage/contests", "/audit/contests", "/admin/users",
        *(f"/audit/contests/{slug}/flags?status={status}"
          for slug in ("spring-giveaway", "zimnii-rozygrysh", "autumn-raffle")
          for status in ("open", "confirmed", "dismissed")),
        "/audit/contests/autumn-raffle/complaints?show=all",
    ]).items()}
    # The flashes of a scan, of a decision refused (no reason) and of one made.
    slug = "spring-giveaway"
    pages["staff POST scan"] = client.submit(f"/audit/contests/{slug}/scan",
                                             follow_redirects=True).get_data(as_text=True)
    db.expire_all()
    flag = db.exec(select(FraudFlag).join(Contest).where(
        Contest.slug == slug, FraudFlag.status == "open")).first()
    assert flag is not None
    for reason in ("", TYPED):
        pages[f"staff POST decide {reason!r}"] = client.submit(
            f"/audit/contests/{slug}/flags/decide",
            {"decision": "dismiss", "reason": reason, "flag": str(flag.id)},
            follow_redirects=True).get_data(as_text=True)
    assert all('class="flash' in pages[url] for url in pages if " POST " in f" {url} "
               and ("scan" in url or "decide" in url))
    forms: dict[str, dict[str, Any]] = {
        "/manage/contests": {"slug": TYPED, "title": "", "language": "ru"},
        "/manage/contests/spring-giveaway/entries/import": {
            # A Russian marketer's file: its headers and values are the marketer's own words.
            "file": (io.BytesIO(f"ФИО,Эл. почта\nАнна,{TYPED}\n".encode()), "entries.csv")},
        "/audit/contests/spring-giveaway/staff": {
            "staff": (io.BytesIO(b"staff_id,full_name\nS1,\n"), "staff.csv")},
        "/audit/contests/autumn-raffle/complaints/4/answer": {"answer": ""},
        "/audit/contests/autumn-raffle/complaints/4/extend": {"until": "2020-01-01",
                                                               "reason": ""},
    }
    for url, form in forms.items():
        pages[f"staff POST {url}"] = client.submit(url, form, follow_redirects=True,
                                                   ).get_data(as_text=True)
    pages["staff POST /admin/users"] = client.submit(
        "/admin/users", {"email": "", "name": "", "role": "auditor", "password": "short"},
    ).get_data(as_text=True)
    return pages


@pytest.fixture
def demo(app: Flask, db: Session, clock: Clock) -> Session:
    clock.now = NOW
    build_demo(db, entrants=60, seed=7, now=NOW,
               signer=app.extensions.get("contest.signer", SIGNER))
    db.commit()
    return db


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_no_page_shows_an_english_word_of_the_interface(app: Flask, client: Browser,
                                                        demo: Session, language: str) -> None:
    pages = every_page(app, demo, client, language)
    assert len(pages) > 60, sorted(pages)
    assert any(url.startswith("staff /audit/contests/") and "/flags/" in url for url in pages)
    assert any("/results" in url for url in pages)
    people = people_data(demo)
    leaks = {}
    for url, html in pages.items():
        assert f'<html lang="{language}">' in html, url
        words = english_words(html, language, people)
        if words:
            leaks[url] = sorted(words)
    assert not leaks, "\n".join(f"{url}: {' '.join(words)}" for url, words in leaks.items())


def test_the_check_finds_an_english_word_and_passes_the_rest() -> None:
    page = ('<html lang="ru"><p>Участник <b>Olga Sidorova</b> · phone</p>'
            '<article lang="en"><p>Official rules</p></article>'
            '<p><code>3f2a9c01</code> drand UTC <span title="Close">×</span></p>'
            '<svg><text>same_person</text></svg><input type="submit" value="Send"></html>')
    assert english_words(page, "ru", ["Olga Sidorova"]) == {"phone", "Close", "same_person",
                                                          "Send"}
