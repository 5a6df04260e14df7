"""Issue 21's door, attacked: a determined cheater and a careless real world against the
disposable-address check, the proof-of-work challenge and the e-mail confirmation, through
the real interfaces (the form as a browser sends it, the JSON API, a real SMTP server on the
loopback), on SQLite and PostgreSQL. Each attack is refused with a clear 4xx in the
entrant's words, never a 500, and nothing is stored, mailed or confirmed that should not be;
what a real person does twice (a retry, a link written in capitals) still works."""

import base64
import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import altcha
import pytest
from flask import Flask
from sqlmodel import Session, func, select
from werkzeug.test import TestResponse

from contest.models import Complaint, ConfirmationMail, Entry, EntryConfirmation
from contest.rules.document import Defences, DisposableEmail, RulesDocument
from tests.builders import (
    OPENS,
    consent_version,
    make_contest,
    make_entry,
    make_published,
    rules_document,
)
from tests.fixtures import Browser, Clock, configured_app, run_cli
from tests.mailsink import MailSink, mail_sink

SLUG = "winter-giveaway"
FORM = f"/contests/{SLUG}/enter"
API = f"/api/contests/{SLUG}/entries"
CHALLENGE = f"/api/contests/{SLUG}/challenge"
DURING = OPENS + timedelta(hours=5)
ALL = rules_document(defences=Defences(confirm_email=True,
                                       disposable_email=DisposableEmail.REFUSE,
                                       api_challenge=True))
CONFIRM = re.compile(r"/confirm/[0-9a-f]{32}/[0-9a-f]{32}")


def anna(rules: RulesDocument = ALL, language: str = "en", **fields: str) -> dict[str, str]:
    return {"full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
            "country": "US", "personal_data_consent": consent_version(rules, language)} | fields


@pytest.fixture
def site(database_url: str, clock: Clock, tmp_path: Path, sink: MailSink) -> Iterator[Flask]:
    """The site with every defence of the door on: the challenge on the forms (an easy one)
    and the API, disposable addresses refused, addresses confirmed by mail."""
    clock.now = DURING
    with configured_app(database_url, clock, tmp_path, smtp_url=sink.url,
                        mail_from="entries@snowfall.example", challenge_difficulty="50",
                        base_url="https://contest.example") as app:
        with Session(app.extensions["contest.engine"]) as db:
            make_contest(db, rules=ALL)
        yield app


def browser(app: Flask) -> Browser:
    client = app.test_client()
    assert isinstance(client, Browser)
    return client


def solution(client: Browser, url: str = CHALLENGE) -> str:
    """A solved challenge, as the widget or an API client finds it."""
    parsed = altcha.Challenge.from_dict(client.get(url).get_json())
    found = altcha.solve_challenge(parsed)
    assert found is not None
    return altcha.Payload(parsed, found).to_base64()


def count(app: Flask, table: type[Entry] | type[Complaint] | type[ConfirmationMail]) -> int:
    with Session(app.extensions["contest.engine"]) as db:
        return db.exec(select(func.count()).select_from(table)).one()


def codes(answer: TestResponse) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in answer.get_json()["errors"]]


def entered(app: Flask, sink: MailSink) -> tuple[Browser, str, str]:
    """Anna's entry by the form: her browser, her receipt's address, her mailed link."""
    client = browser(app)
    sent = client.submit(FORM, anna() | {"challenge": solution(client)})
    assert sent.status_code == 303, sent.get_data(as_text=True)
    [mail] = sink.messages
    link = CONFIRM.search(mail.get_content())
    assert link is not None
    return client, sent.headers["Location"], link.group(0)


def confirmed(app: Flask) -> bool:
    with Session(app.extensions["contest.engine"]) as db:
        [row] = db.exec(select(EntryConfirmation)).all()
        return row.confirmed_at is not None


# --- disposable addresses ------------------------------------------------------------------


@pytest.mark.parametrize("email", [
    "ANNA@MAILINATOR.COM",            # upper case
    "anna+promo@mailinator.com",      # a tag
    "anna@inbox.eu.mailinator.com",   # a subdomain the service hands out
    "  anna@mailinator.com  ",        # spaces around, as pasted
    "anna@mailinator.com.",           # the root's trailing dot
    "<anna@mailinator.com>",          # angle brackets
    "anna@ｍａｉｌｉｎａｔｏｒ.ｃｏｍ",  # full-width letters (IDNA maps them)
    "anna@雨云.com",                   # a listed IDN domain in Unicode (xn--9kq967o.com)
    "anna@XN--9KQ967O.COM",           # the same in its ASCII form, in capitals
])
def test_a_disposable_address_in_any_disguise_is_refused_at_the_form_and_the_api(
        site: Flask, sink: MailSink, email: str) -> None:
    client = browser(site)
    page = client.submit(FORM, anna(email=email) | {"challenge": solution(client)})
    assert page.status_code == 422
    error = page.get_data(as_text=True).split('id="email-error"')[1].split("</p>")[0]
    assert "is a disposable address" in error or "is not an email address" in error
    answer = client.post(API, json=anna(email=email) | {"challenge": solution(client)})
    assert answer.status_code == 422
    [(field, code)] = codes(answer)
    assert field == "email" and code in {"disposable_email", "invalid_email"}
    assert count(site, Entry) == 0 and sink.messages == [], "nothing stored, nothing mailed"


def test_a_disposable_domain_is_named_in_the_letters_the_entrant_typed(site: Flask) -> None:
    client = browser(site)
    answer = client.post(API, json=anna(email="anna@雨云.com") | {"challenge": solution(client)})
    [error] = answer.get_json()["errors"]
    assert error["code"] == "disposable_email"
    assert "is a disposable address (雨云.com)" in error["message"]


# --- the challenge -------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [
    5, ["a"], {"challenge": {}}, True,                      # not a string at all
    "x" * 200_000,                                          # huge, not base64
    base64.b64encode(json.dumps({"challenge": {"parameters": {"algorithm": 5, "keyLength": "x",
                                                              "nonce": [], "salt": {}}},
                                 "solution": {"counter": "one"}}).encode()).decode(),
    base64.b64encode("ответ".encode()).decode(),             # base64 of no JSON
])
def test_a_challenge_of_any_wrong_shape_is_a_clear_422_on_its_field(
        site: Flask, payload: object) -> None:
    answer = browser(site).post(API, json=anna() | {"challenge": payload})
    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert [field for field, _code in codes(answer)] == ["challenge"]
    assert count(site, Entry) == 0


def test_a_challenge_is_given_for_published_contests_only(site: Flask) -> None:
    client = browser(site)
    assert client.get("/api/contests/no-such-contest/challenge").status_code == 404
    with Session(site.extensions["contest.engine"]) as db:
        make_contest(db, slug="draft-giveaway", published=False)
    assert client.get("/api/contests/draft-giveaway/challenge").status_code == 404


def test_a_solution_spent_on_a_complaint_opens_no_entry(site: Flask, clock: Clock) -> None:
    client = browser(site)
    payload = solution(client)
    complained = client.submit(f"/contests/{SLUG}/complaints", {
        "contact": "anna@example.com", "kind": "not_included", "text": "Where is my entry?",
        "challenge": payload})
    assert complained.status_code == 303
    page = client.submit(FORM, anna() | {"challenge": payload})
    assert page.status_code == 422 and "was used already" in page.get_data(as_text=True)
    assert count(site, Entry) == 0 and count(site, Complaint) == 1


def test_an_api_retry_under_its_idempotency_key_gets_its_receipt_not_a_spent_challenge(
        site: Flask, sink: MailSink) -> None:
    client = browser(site)
    body = anna() | {"challenge": solution(client)}
    first = client.post(API, json=body, headers={"Idempotency-Key": "retry-1"})
    assert first.status_code == 201
    # The answer was lost on the way: the client sends the same request again.
    again = client.post(API, json=body, headers={"Idempotency-Key": "retry-1"})
    assert again.status_code == 200, again.get_data(as_text=True)
    assert again.get_json()["ticket"] == first.get_json()["ticket"]
    assert again.get_json()["waiting_for_confirmation"] is True
    # The stored entry's key opens no other entry, with or without a solution.
    other = client.post(API, json=anna(email="bob@example.com", full_name="Bob Brown")
                        | {"challenge": body["challenge"]},
                        headers={"Idempotency-Key": "retry-1"})
    assert other.status_code == 409
    fresh = client.post(API, json=anna(email="bob@example.com", full_name="Bob Brown")
                        | {"challenge": body["challenge"]},
                        headers={"Idempotency-Key": "retry-2"})
    assert codes(fresh) == [("challenge", "challenge_used")]
    assert count(site, Entry) == 1 and len(sink.messages) == 1, "one entry, one link"


@pytest.mark.parametrize("key", ["a\u0000b", "a\nb", "k" * 5000])
def test_a_key_no_entry_can_have_is_refused_clearly_with_or_without_a_solution(
        site: Flask, key: str) -> None:
    client = browser(site)
    unsolved = client.post(API, json=anna() | {"challenge": "nope", "idempotency_key": key})
    assert codes(unsolved) == [("challenge", "challenge_invalid")]
    solved = client.post(API, json=anna() | {"challenge": solution(client),
                                             "idempotency_key": key})
    assert solved.status_code == 422
    assert [field for field, _code in codes(solved)] == ["idempotency_key"]
    assert count(site, Entry) == 0


def test_the_form_sent_again_from_its_page_shows_the_receipt_not_a_spent_challenge(
        site: Flask, sink: MailSink) -> None:
    client = browser(site)
    fields = anna() | {"challenge": solution(client), "idempotency_token": "page-1"}
    first = client.submit(FORM, fields)
    assert first.status_code == 303
    again = client.submit(FORM, fields)  # a second click, or the browser sending it again
    assert again.status_code == 303, again.get_data(as_text=True)
    assert again.headers["Location"] == first.headers["Location"]
    assert count(site, Entry) == 1 and len(sink.messages) == 1


# --- the confirmation link -----------------------------------------------------------------


def test_the_link_written_in_capitals_still_confirms_and_a_longer_one_is_not_found(
        site: Flask, sink: MailSink) -> None:
    client, _receipt, path = entered(site, sink)
    shouted = "/confirm/" + path.removeprefix("/confirm/").upper()
    assert client.get(path + "/more").status_code == 404
    assert client.get(shouted).status_code == 200
    assert "Your entry is confirmed" in client.submit(shouted).get_data(as_text=True)
    assert confirmed(site)


def test_another_entrys_ticket_with_this_key_confirms_nothing(
        site: Flask, sink: MailSink) -> None:
    client, _receipt, path = entered(site, sink)
    bob = browser(site)
    assert bob.submit(FORM, anna(email="bob@example.com", full_name="Bob Brown")
                      | {"challenge": solution(bob)}).status_code == 303
    bobs = CONFIRM.search(sink.messages[1].get_content())
    assert bobs is not None
    crossed = bobs.group(0).rsplit("/", 1)[0] + "/" + path.rsplit("/", 1)[1]
    for page in (client.get(crossed), client.submit(crossed)):
        assert page.status_code == 404
        assert "This link is not valid" in page.get_data(as_text=True)
    with Session(site.extensions["contest.engine"]) as db:
        assert db.exec(select(EntryConfirmation.confirmed_at)).all() == [None, None]


def test_two_presses_at_once_confirm_once(site: Flask, sink: MailSink, clock: Clock) -> None:
    client, _receipt, path = entered(site, sink)
    token = client.csrf_token()
    answers: list[int] = []
    presses = [threading.Thread(target=lambda: answers.append(
        client.post(path, data={"csrf_token": token}).status_code)) for _ in range(2)]
    for press in presses:
        press.start()
    for press in presses:
        press.join()
    assert answers == [200, 200]
    with Session(site.extensions["contest.engine"]) as db:
        assert db.exec(select(EntryConfirmation.confirmed_at)).all() == [DURING]


# --- sending the link again ----------------------------------------------------------------


def test_presses_racing_each_other_never_send_more_than_the_limit(
        site: Flask, sink: MailSink, clock: Clock) -> None:
    """A script firing the receipt's button many times at once (to flood the mailbox of the
    address it entered) gets the limit's mails and no more."""
    client, receipt, _path = entered(site, sink)
    again = f"{receipt}/confirmation"
    clock.now += timedelta(minutes=1)
    assert client.submit(again).status_code == 200
    assert len(sink.messages) == 2  # one more may go this hour
    sink.gate = threading.Event()  # the mail server holds each mail until the gate opens
    scripts = [browser(site) for _ in range(4)]
    forms = [{"csrf_token": script.csrf_token()} for script in scripts]
    answers: list[int] = []
    presses = [threading.Thread(target=lambda script=script, form=form: answers.append(
        script.post(again, data=form).status_code)) for script, form in zip(scripts, forms,
                                                                              strict=True)]
    for press in presses:
        press.start()
    # The presses the limit refuses answer while the one mail it lets go is held; without
    # the limit all four are held, and the gate opens after a while anyway.
    pause = threading.Event()  # never set: a wait of a twentieth of a second
    for _ in range(200):
        if answers.count(429) == 3:
            break
        pause.wait(0.05)
    sink.gate.set()
    for press in presses:
        press.join()
    assert sorted(answers) == [200, 429, 429, 429]
    assert len(sink.messages) == 3 and count(site, ConfirmationMail) == 3


def test_an_address_entered_many_times_is_sent_no_more_than_the_limit(
        site: Flask, sink: MailSink, clock: Clock) -> None:
    """A script enters someone's address again and again (each entry with its own solved
    challenge), to have the site flood that mailbox: it gets the limit of one mailbox."""
    client = browser(site)
    receipts = []
    for number in range(6):
        clock.now += timedelta(seconds=10)
        answer = client.post(API, json=anna(email="Victim@Example.com",
                                            full_name=f"Victim {'ABCDEF'[number]}son")
                             | {"challenge": solution(client)})
        assert answer.status_code == 201
        receipts.append(answer.get_json()["receipt_url"])
    # the address written another way is the same mailbox
    answer = client.post(API, json=anna(email="victim@EXAMPLE.COM", full_name="Victim Gson")
                         | {"challenge": solution(client)})
    assert answer.status_code == 201
    assert [mail["To"] for mail in sink.messages] == ["Victim@Example.com"] * 3
    refused = client.submit(receipts[-1].removeprefix("http://localhost") + "/confirmation")
    assert refused.status_code == 429
    assert "at most 3 times an hour" in refused.get_data(as_text=True)
    assert len(sink.messages) == 3
    clock.now += timedelta(hours=1)
    assert client.submit(receipts[-1].removeprefix("http://localhost")
                         + "/confirmation").status_code == 200
    assert len(sink.messages) == 4


def test_an_address_the_mail_server_refuses_is_said_so_and_uses_up_no_mail(
        site: Flask, sink: MailSink, clock: Clock) -> None:
    client, receipt, _path = entered(site, sink)
    sink.refused.add("anna@example.com")  # 550: no such mailbox
    for _ in range(3):
        clock.now += timedelta(minutes=1)
        answer = client.submit(f"{receipt}/confirmation")
        assert answer.status_code == 422
        text = answer.get_data(as_text=True)
        assert "The mail server refused the address anna@example.com" in text
        assert "asking again will not help" in text and "try again in a few" not in text
    sink.refused.clear()  # the mailbox was made after all
    assert client.submit(f"{receipt}/confirmation").status_code == 200
    assert len(sink.messages) == 2 and count(site, ConfirmationMail) == 2


def test_a_login_beyond_ascii_through_a_server_without_smtputf8_is_said_so(
        database_url: str, clock: Clock, tmp_path: Path) -> None:
    clock.now = DURING
    with mail_sink(smtputf8=False) as relay, configured_app(
            database_url, clock, tmp_path, smtp_url=relay.url,
            mail_from="entries@snowfall.example") as app:
        with Session(app.extensions["contest.engine"]) as db:
            make_contest(db, rules=ALL)
        client = browser(app)
        sent = client.submit(FORM, anna(email="иван@почта.рф") | {"challenge": solution(client)})
        assert sent.status_code == 303 and relay.messages == []
        answer = client.submit(f"{sent.headers['Location']}/confirmation")
        assert answer.status_code == 422
        assert "refused the address иван@почта.рф" in answer.get_data(as_text=True)


def test_after_the_close_the_link_is_not_sent_again_and_the_receipt_says_too_late(
        site: Flask, sink: MailSink, clock: Clock) -> None:
    client, receipt, _path = entered(site, sink)
    clock.now = ALL.period.closes_at + timedelta(minutes=1)
    page = client.get(receipt).get_data(as_text=True)
    assert "Too late to confirm" in page
    assert "Send the link again" not in page and "open it before the entries close" not in page
    assert "Eligible for the draw" not in page
    assert "the e-mail address was not confirmed before the close" in page
    answer = client.submit(f"{receipt}/confirmation")
    assert answer.status_code == 410
    assert "a link would confirm nothing now" in answer.get_data(as_text=True)
    assert len(sink.messages) == 1 and count(site, ConfirmationMail) == 1


# --- the mail ------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "subject", "words"), [
    ("ru", "Подтвердите заявку на конкурс «Winter giveaway»", "Вы подали заявку на конкурс"),
    ("uk", "Підтвердьте заявку на конкурс «Winter giveaway»", "Ви подали заявку на конкурс"),
])
def test_the_mail_speaks_the_language_the_entrant_entered_in(
        site: Flask, sink: MailSink, language: str, subject: str, words: str) -> None:
    client = browser(site)
    client.set_cookie("language", language)
    sent = client.submit(FORM, anna(language=language) | {"challenge": solution(client)},
                         headers={"Accept-Language": language})
    assert sent.status_code == 303, sent.get_data(as_text=True)
    [mail] = sink.messages
    assert mail["Subject"] == subject
    assert words in mail.get_content()


def test_links_never_sent_are_not_mailed_after_their_contest_closed(
        session: Session, sink: MailSink, cli_env: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The mail server was away for weeks; back after the close, ``contest entries mail``
    mails the entrants of the contest still open, and none of the one that closed (their
    link would only say it came too late)."""
    past = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
    asked = Defences(confirm_email=True)
    closed = make_published(session, slug="last-winter", rules=rules_document(
        opens_at=past, closes_at=past + timedelta(days=30), defences=asked), now=past)
    still = make_published(session, slug="next-winter", rules=rules_document(
        opens_at=past, closes_at=datetime(2099, 1, 1, tzinfo=UTC), defences=asked),
        now=past)
    for contest, who in ((closed, "anna"), (still, "bob")):
        make_entry(session, contest, now=past + timedelta(days=1), data={
            "full_name": f"{who.title()} Smith", "email": f"{who}@example.com",
            "birth_date": "1990-04-12", "country": "US"})
    session.commit()
    monkeypatch.setenv("CONTEST_SMTP_URL", sink.url)
    monkeypatch.setenv("CONTEST_MAIL_FROM", "entries@snowfall.example")
    result = run_cli("entries", "mail")
    assert result.exit_code == 0, result.stderr
    assert [mail["To"] for mail in sink.messages] == ["bob@example.com"]


def test_an_address_on_a_cyrillic_domain_is_mailed_through_a_server_without_smtputf8(
        database_url: str, clock: Clock, tmp_path: Path) -> None:
    """Many relays do not speak SMTPUTF8: the link to anna@почта.рф, taken at the door,
    goes with the domain in its ASCII form, rather than never (the entry then could not
    be confirmed, and would not count)."""
    clock.now = DURING
    with mail_sink(smtputf8=False) as relay, configured_app(
            database_url, clock, tmp_path, smtp_url=relay.url,
            mail_from="entries@snowfall.example") as app:
        with Session(app.extensions["contest.engine"]) as db:
            make_contest(db, rules=ALL)
        client = browser(app)
        answer = client.post(API, json=anna(email="anna@почта.рф")
                             | {"challenge": solution(client)})
        assert answer.status_code == 201, answer.get_data(as_text=True)
        assert [mail["To"] for mail in relay.messages] == ["anna@xn--80a1acny.xn--p1ai"]
        assert count(app, ConfirmationMail) == 1
