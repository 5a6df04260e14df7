"""Steps for features/enter_contest.feature: the public entry form, receipt and API."""

import re

from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, select

from contest.models import Entry, RulesVersion
from tests.fixtures import Browser, Clock

from .conftest import entry_count

scenarios("enter_contest.feature")
FORM = "/contests/winter-giveaway/enter"


@given("the contest closed an hour ago")
def closed(clock: Clock) -> None:
    clock.now = clock.now.replace(year=2027, month=1, day=1, hour=10)


@when(parsers.re(r'a person enters as "(?P<name>[^"]*)" with the e-mail "(?P<email>[^"]*)" '
                 r'born "(?P<born>[^"]*)"'))
def enter(client: Browser, page: dict[str, str], name: str, email: str, born: str) -> None:
    response = client.submit(FORM, {"full_name": name, "email": email, "birth_date": born,
                                    "country": "RU", "idempotency_token": "tok-" + email},
                             follow_redirects=True)
    page["html"] = response.get_data(as_text=True)
    page["status"] = str(response.status_code)


@then("she sees a receipt with a ticket of 32 hexadecimal characters")
def receipt_with_ticket(page: dict[str, str]) -> None:
    match = re.search(r'<code class="ticket">([0-9a-f]+)</code>', page["html"])
    assert match, "no ticket on the page"
    assert len(match.group(1)) == 32
    page["ticket"] = match.group(1)


@then("the receipt names the rules fingerprint she entered under")
def receipt_names_rules(page: dict[str, str], db: Session) -> None:
    version = db.exec(select(RulesVersion)).one()
    assert version.sha256 in page["html"]
    entry = db.exec(select(Entry)).one()
    assert entry.rules_version_id == version.id and entry.ticket == page["ticket"]


@then(parsers.parse('the receipt shows her name masked as "{masked}"'))
def masked_name(page: dict[str, str], masked: str) -> None:
    assert masked in page["html"]
    assert "Смирнова" not in page["html"]


@then("the receipt does not show her e-mail")
def no_email(page: dict[str, str]) -> None:
    assert "anna@example.ru" not in page["html"]


@when("a Russian-speaking person sends an entry without a name through the API")
def api_without_name(client: Browser, page: dict[str, str]) -> None:
    response = client.post("/api/contests/winter-giveaway/entries",
                           json={"email": "ivan@example.ru"},
                           headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    page["status"] = str(response.status_code)
    page["json"] = response.get_data(as_text=True)
    page["errors"] = repr(response.get_json()["errors"])


@then(parsers.parse('the answer is 422 and lists the field "{field}" with a message in Russian'))
def russian_error(page: dict[str, str], field: str) -> None:
    assert page["status"] == "422"
    assert f"'field': '{field}'" in page["errors"]
    assert re.search("[А-Яа-я]", page["errors"]), page["errors"]


@then("she is told that entries are closed")
def told_closed(page: dict[str, str]) -> None:
    assert "Entries closed on" in page["html"]


@when("a person sends the same entry form twice")
def double_submit(client: Browser) -> None:
    form = {"full_name": "Олег Петров", "phone": "+7 916 123-45-67", "birth_date": "1985-03-03",
            "country": "RU", "idempotency_token": "same-token-twice"}
    first = client.submit(FORM, form)
    second = client.submit(FORM, form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]


@then("exactly one entry is stored")
def one_entry(db: Session) -> None:
    assert entry_count(db) == 1


@then(parsers.parse('the receipt says the entry is not eligible because of "{reason}"'))
def not_eligible(page: dict[str, str], reason: str) -> None:
    assert "Not eligible" in page["html"] and reason in page["html"]
