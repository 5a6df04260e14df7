"""The rules page speaks the visitor's language around the official text, which stays in
the contest's language with a note saying it is the binding text; its version history
names each change in words."""

import dataclasses
import re
from decimal import Decimal

from sqlmodel import Session

from contest.randomness import RandomnessSource
from contest.rules.document import Money, Prize, SectionKind, Selection
from tests.builders import amend_contest, make_contest, rules_document
from tests.fixtures import Browser


def official_text(html: str) -> str:
    match = re.search(r'<article class="rules" lang="(\w+)">(.*?)</article>', html, re.S)
    assert match, "the page has no official text"
    return f"{match.group(1)}:{match.group(2)}"


def test_menus_and_status_follow_the_visitor_and_the_rules_stay_official(
        client: Browser, db: Session) -> None:
    make_contest(db)  # English rules
    client.submit("/language/ru", {"next": "/"})
    html = client.get("/contests/winter-giveaway/rules").get_data(as_text=True)
    page = html.replace(official_text(html)[3:], "")
    assert '<html lang="ru">' in html
    assert "Розыгрыши" in page and "Contests" not in page  # the menu
    assert "Официальные правила: Winter giveaway" in page
    assert "Status" not in page and "Version history" not in page
    assert "английский" in page  # the note names the official text's language
    official = official_text(html)
    assert official.startswith("en:") and "Entry period" in official


def test_the_note_is_not_shown_when_the_visitor_reads_the_contests_language(
        client: Browser, db: Session) -> None:
    make_contest(db)
    client.submit("/language/en", {"next": "/"})
    html = client.get("/contests/winter-giveaway/rules").get_data(as_text=True)
    assert 'id="official-language"' not in html


def test_the_randomness_is_named_in_words_in_the_rules(client: Browser, db: Session) -> None:
    rules = rules_document(selection=Selection(randomness=RandomnessSource.RFC3797))
    make_contest(db, rules=rules)
    client.submit("/language/en", {"next": "/"})
    official = official_text(client.get("/contests/winter-giveaway/rules").get_data(
        as_text=True))
    assert "(rfc3797)" not in official
    assert "lottery numbers" in official


def test_a_change_of_the_rules_is_told_in_words(client: Browser, db: Session) -> None:
    contest, _version = make_contest(db)
    before = rules_document()
    mug = Prize("Mug", 2, Money(Decimal("5.00"), "USD"))
    after = dataclasses.replace(before, winners=5, prizes=(
        dataclasses.replace(before.prizes[0], quantity=3), mug))
    amend_contest(db, contest, after)
    client.submit("/language/ru", {"next": "/"})
    html = client.get("/contests/winter-giveaway/rules").get_data(as_text=True)
    history = html[html.index('class="history"'):]
    assert "prizes.0" not in history and "None" not in history
    assert "cash_alternative" not in history and "{" not in history
    assert "Количество победителей" in history
    assert "Приз 2" in history and "Mug × 2" in history and "5,00" in history


def test_a_changed_zone_language_and_section_kind_are_told_in_words(client: Browser,
                                                                     db: Session) -> None:
    """The diff's values fell back to what is stored: "Europe/Kyiv", "en", "privacy"."""
    contest, _version = make_contest(db)
    before = rules_document()
    after = dataclasses.replace(
        before, language="ru",
        period=dataclasses.replace(before.period, timezone="Europe/Kyiv"),
        sections=(dataclasses.replace(before.sections[0], kind=SectionKind.PRIVACY),))
    amend_contest(db, contest, after)
    client.submit("/language/uk", {"next": "/"})
    html = client.get("/contests/winter-giveaway/rules").get_data(as_text=True)
    history = html[html.index('class="history"'):]
    for code in ("Europe/Kyiv", "America/New_York", "<del>en</del>", "<ins>ru</ins>",
                 "privacy", "no_purchase"):
        assert code not in history, code
    assert "Київ (UTC+02:00)" in history
    assert "російська" in history and "англійська" in history
    assert "Персональні дані" in history


def test_the_official_rules_name_the_regions_in_the_rules_language(client: Browser,
                                                                   db: Session) -> None:
    before = rules_document(language="ru")
    rules = dataclasses.replace(before, eligibility=dataclasses.replace(
        before.eligibility, regions=("RU-MOW", "UA-46")))
    make_contest(db, rules=rules)
    client.submit("/language/en", {"next": "/"})
    official = official_text(client.get("/contests/winter-giveaway/rules").get_data(
        as_text=True))
    assert official.startswith("ru:")
    assert "Москва, Львовская область" in official
    assert "RU-MOW" not in official and "UA-46" not in official


def test_a_changed_region_is_told_in_words(client: Browser, db: Session) -> None:
    contest, _version = make_contest(db)
    before = rules_document()
    after = dataclasses.replace(before, eligibility=dataclasses.replace(
        before.eligibility, regions=("RU-MOW",)))
    amend_contest(db, contest, after)
    client.submit("/language/uk", {"next": "/"})
    html = client.get("/contests/winter-giveaway/rules").get_data(as_text=True)
    history = html[html.index('class="history"'):]
    assert "RU-MOW" not in history
    assert "<ins>Москва</ins>" in history
