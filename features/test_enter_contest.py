"""Steps for features/enter_contest.feature: the public entry form, receipt and API."""

import re

from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, select

from contest.models import ConsentText, Entry, RulesVersion
from tests.fixtures import Browser, Clock

from .conftest import entry_count

scenarios("enter_contest.feature")
FORM = "/contests/winter-giveaway/enter"


@given("the contest closed an hour ago")
def closed(clock: Clock) -> None:
    clock.now = clock.now.replace(year=2027, month=1, day=1, hour=10)


def consent_on_the_form(client: Browser) -> dict[str, str]:
    """What ticking the consent's box on the form sends (nothing when the form is closed)."""
    form = client.get(FORM).get_data(as_text=True)
    box = re.search(r'<input type="checkbox" id="personal_data_consent" '
                    r'name="personal_data_consent" value="([0-9a-f]{64})"', form)
    return {"personal_data_consent": box.group(1)} if box else {}


@when(parsers.re(r'a person enters as "(?P<name>[^"]*)" with the e-mail "(?P<email>[^"]*)" '
                 r'born "(?P<born>[^"]*)"(?P<unticked> without agreeing to the processing of '
                 r'her personal data)?$'))
def enter(client: Browser, page: dict[str, str], name: str, email: str, born: str,
          unticked: str | None) -> None:
    ticked = {} if unticked else consent_on_the_form(client)
    response = client.submit(FORM, {"full_name": name, "email": email, "birth_date": born,
                                    "country": "RU", "idempotency_token": "tok-" + email}
                             | ticked, follow_redirects=True)
    page["html"] = response.get_data(as_text=True)
    page["status"] = str(response.status_code)


@when("a person opens the entry form")
def open_form(client: Browser, page: dict[str, str]) -> None:
    page["html"] = client.get(FORM).get_data(as_text=True)


@then("she sees that the date of birth, the country and the consent are required")
def required_marked(page: dict[str, str]) -> None:
    for name in ("birth_date", "country", "personal_data_consent"):
        tag = re.search(rf'<(?:input|select)[^>]*\bname="{name}"[^>]*>', page["html"])
        assert tag and " required" in tag.group(0), name
    assert "Minimum age to enter: 18." in page["html"]


@then("she reads the consent to the processing of her personal data before she agrees")
def consent_shown(page: dict[str, str]) -> None:
    html = page["html"]
    assert html.index('id="consent-text"') < html.index('id="personal_data_consent"')
    assert "Snowfall Foods LLC" in html[html.index('id="consent-text"'):]


@then(parsers.parse("the receipt's headline says \"{headline}\""))
def receipt_headline(page: dict[str, str], headline: str) -> None:
    assert f"<h1>{headline}</h1>" in page["html"]


@then("the consent she agreed to is kept with her entry")
def consent_kept(db: Session) -> None:
    entry = db.exec(select(Entry)).one()
    kept = db.get(ConsentText, entry.consent_sha256)
    assert kept is not None and "Snowfall Foods LLC" in kept.text


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
    first = client.submit(FORM, form | consent_on_the_form(client))
    second = client.submit(FORM, form | consent_on_the_form(client))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]


@then("exactly one entry is stored")
def one_entry(db: Session) -> None:
    assert entry_count(db) == 1


