"""starter_rules: a valid draft that opens tomorrow at midnight in the contest's zone."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from contest.rules.document import SectionKind
from contest.rules.parse import parse_rules
from contest.rules.starter import starter_rules

# 22:30 UTC is already the next day in Moscow (UTC+3).
NOW = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)
MOSCOW = ZoneInfo("Europe/Moscow")


def test_russian_draft_is_valid_and_opens_tomorrow_in_moscow() -> None:
    rules = parse_rules(starter_rules(language="ru", title="Весенний розыгрыш", now=NOW))
    assert rules.language == "ru"
    assert rules.title == "Весенний розыгрыш"
    assert rules.period.timezone == "Europe/Moscow"
    assert rules.period.opens_at == datetime(2026, 3, 12, 0, 0, tzinfo=MOSCOW)
    assert rules.period.opens_at.utcoffset() == timedelta(hours=3)
    assert rules.period.closes_at - rules.period.opens_at == timedelta(days=30)
    assert rules.period.draw_at - rules.period.closes_at == timedelta(days=2)
    assert rules.eligibility.legal_min_age == 18 and rules.eligibility.min_age == 18
    assert len(rules.prizes) == 1 and rules.winners == rules.prizes[0].quantity
    assert rules.prizes[0].retail_value.currency == "RUB"
    sections = {section.kind: section for section in rules.sections}
    assert set(sections) == {SectionKind.NO_PURCHASE, SectionKind.PRIVACY, SectionKind.TAXES}
    assert sections[SectionKind.NO_PURCHASE].title == "Покупка не требуется"
    assert "персональные данные" in sections[SectionKind.PRIVACY].text


def test_english_draft_is_valid_and_opens_tomorrow_in_utc() -> None:
    rules = parse_rules(starter_rules(language="en", title="Spring giveaway", now=NOW))
    assert rules.period.timezone == "UTC"
    assert rules.period.opens_at == datetime(2026, 3, 11, 0, 0, tzinfo=UTC)
    assert rules.period.closes_at == datetime(2026, 4, 10, 0, 0, tzinfo=UTC)
    assert rules.period.draw_at == datetime(2026, 4, 12, 0, 0, tzinfo=UTC)
    titles = [section.title for section in rules.sections]
    assert titles == ["No purchase necessary", "Personal data", "Taxes"]


def test_ukrainian_draft_is_valid_and_in_kyiv_time() -> None:
    rules = parse_rules(starter_rules(language="uk", title="Весняний розіграш", now=NOW))
    assert rules.period.timezone == "Europe/Kyiv"
    assert rules.sections[0].title == "Купівля не потрібна"


def test_the_draft_is_plain_json_data() -> None:
    data = starter_rules(language="en", title="Spring giveaway", now=NOW)
    assert data["period"]["opens_at"] == "2026-03-11T00:00:00+00:00"
    assert data["prizes"][0]["retail_value"] == {"amount": "100.00", "currency": "USD"}
