"""Business-day deadlines across weekends and public holidays in Russia, Ukraine and the US."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from contest.complaints.deadlines import due_at, is_business_day
from contest.errors import RulesDoNotProvide

MOSCOW, KYIV, NEW_YORK = "Europe/Moscow", "Europe/Kyiv", "America/New_York"


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


def test_one_business_day_after_a_tuesday_is_the_end_of_wednesday() -> None:
    due = due_at(local(MOSCOW, 2026, 12, 1, 15, 0), 1, country="RU", timezone=MOSCOW)
    assert due == local(MOSCOW, 2026, 12, 2, 23, 59, 59)
    assert due.isoformat() == "2026-12-02T23:59:59+03:00"


def test_a_complaint_on_friday_evening_is_due_at_the_end_of_monday() -> None:
    due = due_at(local(NEW_YORK, 2026, 12, 4, 22, 30), 1, country="US", timezone=NEW_YORK)
    assert due == local(NEW_YORK, 2026, 12, 7, 23, 59, 59)


def test_a_weekend_complaint_counts_from_monday() -> None:
    due = due_at(local(MOSCOW, 2026, 12, 5, 10, 0), 2, country="RU", timezone=MOSCOW)
    assert due.date() == date(2026, 12, 8)  # Monday counts as the first, Tuesday the second


def test_the_day_is_the_sponsors_not_the_servers() -> None:
    # 22:30 UTC on Monday is already Tuesday in Moscow: the count starts after Tuesday.
    received = datetime(2026, 12, 7, 22, 30, tzinfo=UTC)
    assert due_at(received, 1, country="RU", timezone=MOSCOW).date() == date(2026, 12, 9)
    assert due_at(received, 1, country="US", timezone=NEW_YORK).date() == date(2026, 12, 8)


def test_russian_new_year_holidays_and_the_moved_day_off() -> None:
    # 30 December 2026 (Wednesday): 31 December is a day off moved from 4 January, and
    # 1–8 January are the New Year holidays; the first business day is Monday 11 January.
    due = due_at(local(MOSCOW, 2026, 12, 30, 12, 0), 1, country="RU", timezone=MOSCOW)
    assert due.date() == date(2027, 1, 11)


def test_a_russian_working_saturday_is_a_business_day() -> None:
    # 20 February 2021 was a Saturday made a working day for the 22nd.
    assert is_business_day(date(2021, 2, 20), "RU")
    assert not is_business_day(date(2021, 2, 22), "RU")
    due = due_at(local(MOSCOW, 2021, 2, 19, 12, 0), 1, country="RU", timezone=MOSCOW)
    assert due.date() == date(2021, 2, 20)


def test_ukrainian_independence_day_before_martial_law() -> None:
    # 23 August 2021 was a day off moved from the 28th, 24 August Independence Day.
    due = due_at(local(KYIV, 2021, 8, 20, 12, 0), 1, country="UA", timezone=KYIV)
    assert due.date() == date(2021, 8, 25)


def test_under_martial_law_ukrainian_holidays_are_working_days() -> None:
    assert is_business_day(date(2026, 8, 24), "UA")  # Independence Day, a Monday
    due = due_at(local(KYIV, 2026, 8, 21, 12, 0), 1, country="UA", timezone=KYIV)
    assert due.date() == date(2026, 8, 24)


def test_us_thanksgiving_is_skipped() -> None:
    due = due_at(local(NEW_YORK, 2026, 11, 25, 9, 0), 1, country="US", timezone=NEW_YORK)
    assert due.date() == date(2026, 11, 27)  # Thursday the 26th is Thanksgiving


def test_several_business_days_span_weekends_and_christmas() -> None:
    due = due_at(local(NEW_YORK, 2026, 12, 22, 9, 0), 5, country="US", timezone=NEW_YORK)
    # 23, 24, (25 Christmas), (26–27 weekend), 28, 29, 30
    assert due.date() == date(2026, 12, 30)


def test_an_unknown_country_or_none_counts_weekdays_only() -> None:
    for country in (None, "XX"):
        due = due_at(local(NEW_YORK, 2026, 12, 25, 9, 0), 1, country=country,
                     timezone=NEW_YORK)
        assert due.date() == date(2026, 12, 28)


@pytest.mark.parametrize(("days", "shown"), [(0, "0"), (-1, "-1"), (61, "61"),
                                             (3_000_000, "3000000"), (10**30, "1.000e+30")])
def test_a_count_beyond_the_rules_range_is_refused_before_any_counting(days: int,
                                                                       shown: str) -> None:
    with pytest.raises(RulesDoNotProvide, match=(
            "a complaint deadline is counted in 1 to 60 business days, the rules say "
            f"{re.escape(shown)}$")):
        due_at(local(MOSCOW, 2026, 12, 1, 9, 0), days, country="RU", timezone=MOSCOW)


def test_the_longest_deadline_the_rules_allow_is_counted() -> None:
    due = due_at(local(MOSCOW, 2026, 12, 1, 9, 0), 60, country="RU", timezone=MOSCOW)
    assert due.date() == date(2027, 3, 5)  # past the New Year holidays and 31 December
