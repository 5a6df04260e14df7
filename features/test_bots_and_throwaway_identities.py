"""Steps for features/bots_and_throwaway_identities.feature.

Entrants enter as people and scripts do: by the form, each from their own browser (its own
device cookie) and address, or by the API; the mail goes through a real SMTP server on the
loopback. The auditor scans and reads the queue and the evidence page as in the browser; the
marketer freezes on the draw desk; what the close did is read back from the public log and
the results page, as anyone would read it."""

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

import pytest
from faker import Faker
from flask import Flask
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from contest.accounts import create_user
from contest.draw.service import find_draw
from contest.fraud.bots import entry_signals
from contest.fraud.review import contest_people
from contest.models import Contest, Entry, FraudFlag
from contest.rules.document import Defences, DisposableEmail
from contest.rules.versions import find_published
from tests.builders import OPENS, consent_version, make_contest, rules_document
from tests.draw.builders import CLOSES, FREEZE, closed_contest, review
from tests.fixtures import Browser, Clock, configured_app
from tests.mailsink import MailSink

from .conftest import MARKETER

scenarios("bots_and_throwaway_identities.feature")

SLUG = "winter-giveaway"
FORM = f"/contests/{SLUG}/enter"
API = f"/api/contests/{SLUG}/entries"
AUDITOR = {"email": "olena@audit.example", "password": "auditing-pass-1"}
LINK = re.compile(r"https?://\S+/confirm/[0-9a-f]+/[0-9a-f]{32}")
MAILBOXES = ("mail.ru", "gmail.com", "yandex.ru", "bk.ru", "inbox.ru")
KINDS = {"bot or farm": "bot"}
"""A flag's kind as the queue words it (web/i18n.flag_kind), and as it is stored."""
DAY_ONE = OPENS + timedelta(days=1)
"""When the published, open contest of the other features is seen (its clock)."""


@pytest.fixture
def app(database_url: str, clock: Clock, tmp_path: Path, sink: MailSink) -> Iterator[Flask]:
    """The app mailing through the sink. The limit per address is raised for a crowd sent
    from the tests' one process within a second (the crowd's ten minutes are the app's
    clock, the rate limit's are the machine's)."""
    with configured_app(database_url, clock, tmp_path, smtp_url=sink.url,
                        mail_from="entries@snowfall.example",
                        entry_rate_limit="100000 per minute") as configured:
        yield configured


BROWSERS = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
)
"""People's browsers: Chrome on Android names every phone of a version alike."""


class People:
    """Made-up honest people: a name, a mailbox of their own, a birth date, a browser
    (seeded)."""

    def __init__(self, seed: int) -> None:
        self.faker = Faker("ru_RU")
        self.faker.seed_instance(seed)
        self.rng = Random(seed)
        self.browsers = Random(seed + 1)
        self.mailboxes: set[str] = set()

    def browser(self) -> str:
        return self.browsers.choices(BROWSERS, weights=(50, 30, 20))[0]

    def person(self) -> dict[str, str]:
        while True:
            mailbox = f"{self.faker.user_name()}@{self.rng.choice(MAILBOXES)}"
            if mailbox not in self.mailboxes:
                self.mailboxes.add(mailbox)
                break
        born = date(1960, 1, 1) + timedelta(days=self.rng.randint(0, 14000))
        return {"full_name": f"{self.faker.first_name()} {self.faker.last_name()}",
                "email": mailbox, "birth_date": born.isoformat(), "country": "RU"}

    def address(self) -> str:
        rng = self.rng
        return f"{rng.randint(2, 220)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}." \
               f"{rng.randint(1, 254)}"


def _consent(db: Session) -> str:
    contest = db.exec(select(Contest).where(Contest.slug == SLUG)).one()
    found = find_published(db, contest)
    assert found is not None
    return consent_version(found.rules)


def send_form(app: Flask, fields: dict[str, str], address: str,
              language: str = "en", agent: str = BROWSERS[0]) -> tuple[Browser, TestResponse]:
    """One person's browser (``agent``), in ``language``, opens the form (which gives it its
    device cookie) and sends it from ``address``; returns the browser and the answer."""
    browser = app.test_client()
    assert isinstance(browser, Browser)
    browser.environ_base["REMOTE_ADDR"] = address
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    browser.environ_base["HTTP_USER_AGENT"] = agent
    form = browser.get(FORM).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token, "the form carries no CSRF token"
    return browser, browser.post(FORM, data={"csrf_token": token.group(1), **fields})


def enter_by_form(app: Flask, fields: dict[str, str], address: str,
                  agent: str = BROWSERS[0]) -> tuple[Browser, str]:
    """One person enters by the form; returns their browser and their receipt's address."""
    browser, sent = send_form(app, fields, address, agent=agent)
    assert sent.status_code == 303, sent.get_data(as_text=True)
    return browser, sent.headers["Location"]


# -- confirming by mail --------------------------------------------------------------------

@given(parsers.parse('the contest "{slug}" asks entrants to confirm their e-mail address'),
       target_fixture="contest")
def confirming_contest(db: Session, clock: Clock, slug: str) -> Contest:
    clock.now = CLOSES - timedelta(days=1)
    return closed_contest(db, entrants=0, reviewed=False, slug=slug,
                          defences=Defences(confirm_email=True))


@when(parsers.parse('{name} enters by the form with the e-mail "{email}"'))
def enters(app: Flask, db: Session, clock: Clock, page: dict[str, Any], name: str,
           email: str) -> None:
    clock.now += timedelta(minutes=5)
    browser, receipt = enter_by_form(app, {
        "full_name": name, "email": email, "birth_date": "1990-04-12", "country": "US",
        "personal_data_consent": _consent(db)}, "203.0.113.7")
    page.setdefault("entrants", {})[name] = (browser, receipt)
    page["browser"], page["receipt"] = browser, receipt


@then(parsers.parse('her receipt says "{text}"'))
def receipt_says(page: dict[str, Any], text: str) -> None:
    assert text in page["browser"].get(page["receipt"]).get_data(as_text=True)


@then(parsers.parse('a mail with her confirmation link arrives at "{email}"'))
def mail_arrives(sink: MailSink, page: dict[str, Any], email: str) -> None:
    [message] = [m for m in sink.messages if m["To"] == email]
    assert message["Subject"] == 'Confirm your entry in "Winter giveaway"'
    assert "open this link and press the button on its page" in message.get_content()
    link = LINK.search(message.get_content())
    assert link, message.get_content()
    page["link"] = link.group(0)[link.group(0).index("/confirm/"):]


@when("she opens the link")
def opens_link(page: dict[str, Any]) -> None:
    opened = page["browser"].get(page["link"])
    assert opened.status_code == 200
    page["html"] = opened.get_data(as_text=True)


@then(parsers.parse('the page shows the button "{button}", and her entry still waits'))
def button_shown(page: dict[str, Any], button: str) -> None:
    assert f'<button type="submit">{button}</button>' in page["html"]
    receipt = page["browser"].get(page["receipt"]).get_data(as_text=True)
    assert "Your entry waits for confirmation" in receipt


@when(parsers.parse('she presses "{button}"'))
def presses(page: dict[str, Any], button: str) -> None:
    form = re.search(r'<form method="post"[^>]*action="([^"]+)">\s*<input type="hidden" '
                     r'name="csrf_token" value="([^"]+)">\s*<button type="submit">'
                     + re.escape(button), page["html"])
    assert form, "no form with that button"
    answer = page["browser"].post(form.group(1), data={"csrf_token": form.group(2)})
    assert answer.status_code == 200
    page["html"] = answer.get_data(as_text=True)


@then(parsers.parse('the page says "{text}"'))
def page_says(page: dict[str, Any], text: str) -> None:
    assert text in page["html"], page["html"]


@when("the entries close, the auditor has reviewed them and the marketer freezes them")
def close_and_freeze(client: Browser, db: Session, clock: Clock, contest: Contest) -> None:
    review(db, contest)
    clock.now = FREEZE
    create_user(db, name="Maria", role="marketer", actor_id=None, now=clock.now, **MARKETER)
    db.commit()
    assert client.sign_in(MARKETER["email"], MARKETER["password"]).status_code == 302
    done = client.submit(f"/manage/contests/{contest.slug}/draw/freeze", follow_redirects=True)
    assert "Done: the step is recorded on the public log." in done.get_data(as_text=True)


def _frozen(client: Browser) -> dict[str, Any]:
    size = int(client.get("/log/checkpoint").get_data(as_text=True).split("\n")[1])
    leaves = client.get(f"/log/entries?start=0&end={size}").get_json()["entries"]
    [frozen] = [event for event in (json.loads(leaf["leaf"]) for leaf in leaves)
                if event["type"] == "entries.frozen"]
    return frozen


def _ticket(page: dict[str, Any], name: str) -> str:
    return str(page["entrants"][name][1].split("/")[2])


@then(parsers.parse('{left_out}\'s entry is left out with the reason "{reason}" and {kept}\'s '
                    'is in the draw'))
def left_out(client: Browser, db: Session, contest: Contest, page: dict[str, Any],
             left_out: str, reason: str, kept: str) -> None:
    frozen = _frozen(client)
    assert [(item["ticket"], item["reason"]) for item in frozen["excluded"]] == [
        (_ticket(page, left_out), reason)]
    record = find_draw(db, contest)
    assert record is not None and record.tickets == (_ticket(page, kept),)


@then(parsers.parse('the results page counts {count:d} entry left out because "{words}"'))
def results_count(client: Browser, contest: Contest, count: int, words: str) -> None:
    html = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
    listed = re.search(r'<h2 id="excluded">.*?<ul class="reasons">(.*?)</ul>', html, re.S)
    assert listed, html
    assert re.findall(r"<li>(.*?)</li>", listed.group(1)) == [f"{words}: {count}"]


# -- farms and crowds in the auditor's queue ------------------------------------------------

@given(parsers.parse("{count:d} people entered by the form over the first day"),
       target_fixture="honest")
def honest_people(app: Flask, db: Session, clock: Clock, count: int) -> list[str]:
    people, consent = People(seed=21), _consent(db)
    tickets = []
    for number in range(count):
        clock.now = OPENS + timedelta(minutes=30 + number * 35)
        _, receipt = enter_by_form(app, people.person() | {"personal_data_consent": consent},
                                   people.address(), people.browser())
        tickets.append(receipt.split("/")[2])
    return tickets


@given(parsers.parse("a farm sent {count:d} entries through the API within {span:d} minutes "
                     "from the network {network}, with the mailboxes {first} to {last}"),
       target_fixture="farm")
def farm(client: Browser, db: Session, clock: Clock, count: int, span: int, network: str,
         first: str, last: str) -> dict[str, str]:
    series = re.fullmatch(r"(\D+)1@(\S+)", first)
    assert series and last == f"{series.group(1)}{count}@{series.group(2)}"
    prefix = network.removesuffix("0/24")
    people, consent, tickets = People(seed=45), _consent(db), {}
    start = DAY_ONE + timedelta(hours=2)
    for number in range(1, count + 1):
        clock.now = start + timedelta(seconds=span * 60 * (number - 1) / count)
        email = f"{series.group(1)}{number}@{series.group(2)}"
        body = people.person() | {"email": email, "personal_data_consent": consent,
                                  "device_id": f"phone-{number}"}
        answer = client.post(API, json=body, headers={"Idempotency-Key": f"farm-{number}",
                                                      "User-Agent": "python-requests/2.32.3"},
                             environ_base={"REMOTE_ADDR": f"{prefix}{9 + number}"})
        assert answer.status_code == 201, answer.get_data(as_text=True)
        tickets[email] = answer.get_json()["ticket"]
    return tickets


@given(parsers.parse("after a TV mention {count:d} people entered by the form within ten "
                     "minutes, most of them behind {carriers:d} addresses of a mobile "
                     "carrier's network {network}"), target_fixture="crowd")
def tv_crowd(app: Flask, db: Session, clock: Clock, count: int, carriers: int,
             network: str) -> list[str]:
    prefix = network.removesuffix("0/24")
    addresses = [f"{prefix}{number}" for number in range(1, carriers + 1)]
    people, consent, tickets = People(seed=2021), _consent(db), []
    start = DAY_ONE + timedelta(hours=19)
    for number in range(count):
        clock.now = start + timedelta(seconds=600 * number / count)
        address = (people.rng.choice(addresses) if people.rng.random() < 0.7
                   else people.address())
        _, receipt = enter_by_form(app, people.person() | {"personal_data_consent": consent},
                                   address, people.browser())
        tickets.append(receipt.split("/")[2])
    return tickets


@given("a signed-in auditor")
def signed_in_auditor(client: Browser, db: Session, clock: Clock) -> None:
    create_user(db, name="Olena", role="auditor", actor_id=None, now=clock.now, **AUDITOR)
    db.commit()
    assert client.sign_in(AUDITOR["email"], AUDITOR["password"]).status_code == 302


@when("the auditor scans the entries")
def scans(client: Browser, clock: Clock, page: dict[str, Any]) -> None:
    clock.now += timedelta(hours=1)
    response = client.submit(f"/audit/contests/{SLUG}/scan", follow_redirects=True)
    assert response.status_code == 200
    page["html"] = response.get_data(as_text=True)


def _queue_rows(client: Browser) -> list[str]:
    html = client.get(f"/audit/contests/{SLUG}/flags").get_data(as_text=True)
    return re.findall(r"<tr>(?:(?!</tr>).)*</tr>", html, re.S)


def _flags(db: Session, tickets: list[str]) -> list[FraudFlag]:
    return list(db.exec(select(FraudFlag).join(Entry).where(
        col(Entry.ticket).in_(tickets))).all())


@then(parsers.parse('the queue shows each of the farm\'s {count:d} entries flagged '
                    '"{words}"'))
def farm_in_queue(client: Browser, db: Session, farm: dict[str, str], count: int,
                  words: str) -> None:
    flags = _flags(db, list(farm.values()))
    assert len(flags) == count and {flag.kind for flag in flags} == {KINDS[words]}
    rows = _queue_rows(client)
    for ticket in farm.values():
        [row] = [row for row in rows if f"<td><code>{ticket[:12]}…</code></td>" in row]
        assert f"<td>{words}</td>" in row


@then(parsers.parse("none of the {count:d} people is flagged"))
def honest_not_flagged(db: Session, honest: list[str], count: int) -> None:
    assert len(honest) == count
    assert _flags(db, honest) == []


@when(parsers.parse("the auditor opens the flag of the farm's entry from {email}"))
def opens_flag(client: Browser, db: Session, farm: dict[str, str], page: dict[str, Any],
               email: str) -> None:
    [flag] = _flags(db, [farm[email]])
    page["html"] = client.get(f"/audit/contests/{SLUG}/flags/{flag.id}").get_data(
        as_text=True)


@then(parsers.parse("the evidence picture shows the burst from the network {network} and the "
                    "mailbox series {series}"))
def evidence_picture(page: dict[str, Any], network: str, series: str) -> None:
    picture = re.search(r"<svg.*?</svg>", page["html"], re.S)
    assert picture and 'role="img"' in picture.group(0)
    assert network in picture.group(0) and series in picture.group(0)


@then(parsers.parse('the evidence says "{text}"'))
def evidence_says(page: dict[str, Any], text: str) -> None:
    assert text in page["html"], page["html"]


@then(parsers.parse("the scan saw the crowd as a burst from the network {network}"))
def crowd_is_a_burst(db: Session, crowd: list[str], network: str) -> None:
    contest = db.exec(select(Contest).where(Contest.slug == SLUG)).one()
    entrants, _, _ = contest_people(db, contest)
    signals = entry_signals(entrants)
    bursting = {entrants[place].key for place, found in signals.items()
                if any(s.kind == "burst" and s.node == f"network:{network}" for s in found)}
    behind = len(bursting & set(crowd))
    assert behind >= len(crowd) // 2, f"only {behind} of the crowd in the burst"


@then(parsers.parse('no entry is flagged "{words}"'))
def none_flagged(client: Browser, db: Session, words: str) -> None:
    assert db.exec(select(FraudFlag).where(FraudFlag.kind == KINDS[words])).all() == []
    assert all(f"<td>{words}</td>" not in row for row in _queue_rows(client))


# -- a throwaway mailbox at the door ---------------------------------------------------------

@given(parsers.parse('the contest "{slug}" refuses throwaway mailboxes'))
def refusing_contest(db: Session, clock: Clock, slug: str) -> None:
    rules = rules_document(defences=Defences(disposable_email=DisposableEmail.REFUSE))
    make_contest(db, slug=slug, rules=rules, now=OPENS - timedelta(days=1))
    clock.now = DAY_ONE


@when(parsers.parse('{name} enters by the form in Russian with the e-mail "{email}"'))
def enters_in_russian(app: Flask, db: Session, page: dict[str, Any], name: str,
                      email: str) -> None:
    contest = db.exec(select(Contest).where(Contest.slug == SLUG)).one()
    found = find_published(db, contest)
    assert found is not None
    _, answer = send_form(app, {
        "full_name": name, "email": email, "birth_date": "1990-04-12", "country": "RU",
        "personal_data_consent": consent_version(found.rules, "ru")}, "203.0.113.8", "ru")
    assert answer.status_code == 422, answer.status_code
    page["html"], page["name"] = answer.get_data(as_text=True), name


@then(parsers.parse('the form is shown again with her name kept and an error next to '
                    '"{field}" naming "{domain}"'))
def refused_by_field(page: dict[str, Any], field: str, domain: str) -> None:
    html = page["html"]
    assert '<html lang="ru">' in html
    assert f'value="{page["name"]}"' in html, "her name is kept in the form"
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    assert error and f"({domain})" in error.group(1), html
    page["error"] = error.group(1)


@then("the error is written in Russian")
def error_in_russian(page: dict[str, Any]) -> None:
    # The words come from the Russian catalog (contest/translations/ru), not the English
    # source: at least as many Cyrillic letters as Latin ones outside the address itself.
    words = re.sub(r"&#34;.*?&#34;|&quot;.*?&quot;|\(.*?\)", "", page["error"])
    cyrillic = len(re.findall(r"[а-яё]", words, re.I))
    latin = len(re.findall(r"[a-z]", words, re.I))
    assert cyrillic > latin, page["error"]
