"""Dates and moments as people write them in Russia, Ukraine, the UK and the US: each form
reads, the day-month order is decided per column and said, and nothing is guessed."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.datetime import from_excel

from contest.i18n import translate
from contest.rules.ranges import MOMENT_YEARS
from contest.spreadsheet.dates import (
    DAY_FIRST,
    FIRST_MOMENT_YEAR,
    LAST_MOMENT_YEAR,
    LAST_SERIAL,
    DateOrder,
    DateStyle,
    Moment,
    date_style,
    read_date,
    read_moment,
)

MONTH_FIRST = DateStyle(DateOrder.MONTH_FIRST)
YEAR_FIRST = DateStyle(DateOrder.YEAR_FIRST)
MOSCOW = ZoneInfo("Europe/Moscow")
KYIV = ZoneInfo("Europe/Kyiv")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def instant(moment: Moment | None) -> datetime | None:
    return None if moment is None else moment.at.astimezone(UTC)


# --- dates, each locale's way ---------------------------------------------------------------

@pytest.mark.parametrize(("value", "style", "expected"), [
    ("2026-10-04", DAY_FIRST, date(2026, 10, 4)),  # ISO 8601, everywhere
    ("2026-10-04", MONTH_FIRST, date(2026, 10, 4)),
    ("2026/10/04", MONTH_FIRST, date(2026, 10, 4)),
    ("2026.10.04", DAY_FIRST, date(2026, 10, 4)),
    ("2026-1-5", DAY_FIRST, date(2026, 1, 5)),
    ("04.10.2026", DAY_FIRST, date(2026, 10, 4)),  # Russia, Ukraine
    ("4.10.2026", DAY_FIRST, date(2026, 10, 4)),
    ("4.1.2026", DAY_FIRST, date(2026, 1, 4)),
    ("04.10.2026", MONTH_FIRST, date(2026, 10, 4)),  # dots are day first even in the US
    ("04/10/2026", DAY_FIRST, date(2026, 10, 4)),  # the UK
    ("4/10/2026", DAY_FIRST, date(2026, 10, 4)),
    ("04-10-2026", DAY_FIRST, date(2026, 10, 4)),
    ("4-10-2026", DAY_FIRST, date(2026, 10, 4)),
    ("10/04/2026", MONTH_FIRST, date(2026, 10, 4)),  # the US
    ("10/4/2026", MONTH_FIRST, date(2026, 10, 4)),
    ("10-04-2026", MONTH_FIRST, date(2026, 10, 4)),
    ("05/05/2026", YEAR_FIRST, date(2026, 5, 5)),  # the same either way
    ("13/10/2026", YEAR_FIRST, date(2026, 10, 13)),  # only one way is a day
    ("29.02.2024", DAY_FIRST, date(2024, 2, 29)),
    ("29.02.2000", DAY_FIRST, date(2000, 2, 29)),
    ("01.01.1900", DAY_FIRST, date(1900, 1, 1)),
    ("0999-01-01", DAY_FIRST, date(999, 1, 1)),
    # a date exported as a moment at midnight gives its date
    ("1963-06-05 00:00:00", DAY_FIRST, date(1963, 6, 5)),
    ("1963-06-05T00:00", DAY_FIRST, date(1963, 6, 5)),
    ("1963-06-05T00:00:00Z", DAY_FIRST, date(1963, 6, 5)),
    ("1963-06-05 00:00:00.000", DAY_FIRST, date(1963, 6, 5)),
    ("05.06.1963 00:00", DAY_FIRST, date(1963, 6, 5)),
    ("6/5/1963 12:00 AM", MONTH_FIRST, date(1963, 6, 5)),
])
def test_a_date_reads_each_way_it_is_written(value: str, style: DateStyle,
                                              expected: date) -> None:
    assert read_date(value, style) == expected


@pytest.mark.parametrize(("value", "style"), [
    ("31.02.2026", DAY_FIRST),  # no such day
    ("29.02.2025", DAY_FIRST),
    ("29.02.2100", DAY_FIRST),
    ("2026-02-31", DAY_FIRST),
    ("2026-13-01", DAY_FIRST),
    ("00.10.2026", DAY_FIRST),
    ("0000-01-01", DAY_FIRST),
    ("04.10.26", DAY_FIRST),  # a century is never guessed
    ("04/10/26", DAY_FIRST),
    ("10/4/26", MONTH_FIRST),
    ("26-10-04", DAY_FIRST),
    ("026-10-04", DAY_FIRST),
    ("04.10.02026", DAY_FIRST),
    ("10/13/2026", DAY_FIRST),  # contradicts the style: not read the other way
    ("13/10/2026", MONTH_FIRST),
    ("10.13.2026", MONTH_FIRST),  # dots are day first, so this is no date
    ("10/04/2026", YEAR_FIRST),  # a column of ISO dates says nothing of this one
    ("04.10/2026", DAY_FIRST),
    ("tomorrow", DAY_FIRST),
    ("4 October 2026", DAY_FIRST),
    ("вчера", DAY_FIRST),
    ("０４.１０.２０２６", DAY_FIRST),  # fullwidth digits
    ("2026-10-0４", DAY_FIRST),
    ("2026-10-04 19:35", DAY_FIRST),  # a moment, not a date
    ("2026-10-04T00:00:01", DAY_FIRST),
    ("05.06.1963 12:00 PM", DAY_FIRST),
    ("46299", DAY_FIRST),  # a number is a date only in a workbook's cell
    ("2026-10-04 ", DAY_FIRST),  # values come trimmed; this one was not
])
def test_a_date_that_cannot_be_read_is_none(value: str, style: DateStyle) -> None:
    assert read_date(value, style) is None


DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@given(DAYS)
def test_every_day_written_each_way_reads_back(day: date) -> None:
    y, m, d = f"{day.year:04d}", day.month, day.day
    for written, style in [
        (day.isoformat(), DAY_FIRST),
        (f"{y}/{m:02d}/{d:02d}", MONTH_FIRST),
        (f"{y}.{m}.{d}", DAY_FIRST),
        (f"{d:02d}.{m:02d}.{y}", DAY_FIRST),
        (f"{d}.{m}.{y}", MONTH_FIRST),
        (f"{d:02d}/{m:02d}/{y}", DAY_FIRST),
        (f"{d}-{m}-{y}", DAY_FIRST),
        (f"{m:02d}/{d:02d}/{y}", MONTH_FIRST),
        (f"{m}/{d}/{y}", MONTH_FIRST),
        (f"{day.isoformat()} 00:00:00", DAY_FIRST),
    ]:
        assert read_date(written, style) == day, written


@given(st.lists(DAYS, min_size=1, max_size=30), st.booleans(), st.booleans())
def test_a_column_reads_back_in_the_style_decided_from_it(days: list[date], us: bool,
                                                          default_us: bool) -> None:
    def written(day: date) -> str:
        first, second = (day.month, day.day) if us else (day.day, day.month)
        return f"{first:02d}/{second:02d}/{day.year:04d}"

    column = [written(day) for day in days]
    style = date_style(column, month_first=default_us)
    told = any(day.day > 12 for day in days)
    ambiguous = sum(day.day <= 12 and day.day != day.month for day in days)
    assert style.ambiguous == ambiguous
    assert style.conflicting == 0
    assert style.assumed == (not told and ambiguous > 0)
    if told or default_us == us:
        assert style.order == (DateOrder.MONTH_FIRST if us else DateOrder.DAY_FIRST)
        assert [read_date(value, style) for value in column] == days
    else:  # nothing told the order, and the default was the other one: the summary says so
        assert style.order == (DateOrder.MONTH_FIRST if default_us else DateOrder.DAY_FIRST)


# --- the order of a column -----------------------------------------------------------------

def test_a_day_over_12_in_the_first_place_makes_the_column_day_first() -> None:
    column = ["04/10/2026", "13/10/2026", "01/02/2026", "05/05/2026"]
    style = date_style(column, month_first=True)
    assert style == DateStyle(DateOrder.DAY_FIRST, assumed=False, ambiguous=2, conflicting=0)
    assert read_date("04/10/2026", style) == date(2026, 10, 4)


def test_a_day_over_12_in_the_second_place_makes_the_column_month_first() -> None:
    column = ["10/04/2026 7:40 PM", "10/13/2026 8:00 AM", "1/2/2026 9:15 pm"]
    style = date_style(column)
    assert style == DateStyle(DateOrder.MONTH_FIRST, assumed=False, ambiguous=2, conflicting=0)
    assert instant(read_moment(column[0], style, NEW_YORK)) == utc(2026, 10, 4, 23, 40)


def test_an_ambiguous_column_takes_the_default_and_says_it_was_assumed() -> None:
    column = ["04/10/2026", "01/02/2026", "05/05/2026", "12/11/2026"]
    assert date_style(column) == DateStyle(DateOrder.DAY_FIRST, assumed=True, ambiguous=3)
    assert date_style(column, month_first=True) == DateStyle(
        DateOrder.MONTH_FIRST, assumed=True, ambiguous=3)
    assert date_style(iter(column)) == date_style(column)  # any iterable, read once


def test_a_column_where_every_date_reads_the_same_either_way_assumes_nothing() -> None:
    assert date_style(["05/05/2026", "01/01/2026"], month_first=True) == DateStyle(
        DateOrder.MONTH_FIRST)


def test_values_that_contradict_the_majority_are_counted_and_not_read() -> None:
    column = ["13/01/2026", "14/01/2026", "01/13/2026", "02/03/2026"]
    style = date_style(column)
    assert style == DateStyle(DateOrder.DAY_FIRST, assumed=False, ambiguous=1, conflicting=1)
    assert read_date("01/13/2026", style) is None


def test_a_tie_takes_the_default_and_counts_the_other_side() -> None:
    column = ["13/01/2026", "01/13/2026"]
    assert date_style(column) == DateStyle(DateOrder.DAY_FIRST, assumed=True, conflicting=1)
    assert date_style(column, month_first=True) == DateStyle(
        DateOrder.MONTH_FIRST, assumed=True, conflicting=1)


def test_dotted_dates_are_day_first_whatever_the_default() -> None:
    assert date_style(["04.10.2026", "01.02.2026"], month_first=True) == DateStyle(
        DateOrder.DAY_FIRST)
    # they decide nothing for the slashed ones of the same column
    assert date_style(["04.10.2026", "01/02/2026"], month_first=True) == DateStyle(
        DateOrder.MONTH_FIRST, assumed=True, ambiguous=1)


def test_a_dotted_date_written_month_first_is_conflicting() -> None:
    style = date_style(["10.13.2026", "04.10.2026"])
    assert style == DateStyle(DateOrder.DAY_FIRST, conflicting=1)
    assert read_date("10.13.2026", style) is None


def test_a_column_of_year_first_dates_is_year_first() -> None:
    column = ["2026-10-04", "2026-10-04T19:35:00+03:00", "2026/01/02", "2026.01.02 10:00"]
    assert date_style(column, month_first=True) == DateStyle(DateOrder.YEAR_FIRST)


def test_unreadable_values_and_serials_say_nothing_of_the_order() -> None:
    assert date_style([]) == DateStyle(DateOrder.DAY_FIRST)
    assert date_style([], month_first=True) == DateStyle(DateOrder.MONTH_FIRST)
    assert date_style(["soon", "45/45/2026", "10/04/26", "46299", "31/02/2026 x"]) == \
        DateStyle(DateOrder.DAY_FIRST)
    assert date_style(["31/02/2026", "02/31/2026"], month_first=True) == DateStyle(
        DateOrder.MONTH_FIRST)


def test_a_single_value_is_read_day_first() -> None:
    assert DAY_FIRST == DateStyle(DateOrder.DAY_FIRST, assumed=False, ambiguous=0,
                                  conflicting=0)
    assert read_date("04/10/2026", DAY_FIRST) == date(2026, 10, 4)


@pytest.mark.parametrize(("style", "english"), [
    (DAY_FIRST, "day first (DD.MM.YYYY or DD/MM/YYYY)"),
    (YEAR_FIRST, "year first (YYYY-MM-DD)"),
    (DateStyle(DateOrder.MONTH_FIRST, ambiguous=14), "month first (MM/DD/YYYY)"),
    (DateStyle(DateOrder.MONTH_FIRST, assumed=True, ambiguous=14),
     "month first (MM/DD/YYYY), assumed: 14 dates read either way"),
    (DateStyle(DateOrder.DAY_FIRST, assumed=True, ambiguous=1),
     "day first (DD.MM.YYYY or DD/MM/YYYY), assumed: 1 date reads either way"),
    (DateStyle(DateOrder.DAY_FIRST, conflicting=3),
     "day first (DD.MM.YYYY or DD/MM/YYYY); 3 dates written the other way are not read"),
    (DateStyle(DateOrder.MONTH_FIRST, assumed=True, ambiguous=2, conflicting=1),
     "month first (MM/DD/YYYY), assumed: 2 dates read either way; "
     "1 date written the other way is not read"),
    (DateStyle(DateOrder.DAY_FIRST, assumed=True, conflicting=1),
     "day first (DD.MM.YYYY or DD/MM/YYYY), assumed; 1 date written the other way is not read"),
])
def test_the_style_is_said_in_words(style: DateStyle, english: str) -> None:
    said = style.description()
    assert str(said) == english
    assert translate(said.text, "ru", said.params)  # renders in another language too


# --- moments --------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("2026-10-04T19:35:00+03:00", utc(2026, 10, 4, 16, 35)),
    ("2026-10-04T19:35:00.250+03:00", utc(2026, 10, 4, 16, 35, 0, 250000)),
    ("2026-10-04 19:35+03:00", utc(2026, 10, 4, 16, 35)),
    ("2026-10-04t19:35Z", utc(2026, 10, 4, 19, 35)),
    ("2026-10-04T19:35:00Z", utc(2026, 10, 4, 19, 35)),
    ("2026-10-04T19:35:00+0300", utc(2026, 10, 4, 16, 35)),
    ("2026-10-04T19:35:00+03", utc(2026, 10, 4, 16, 35)),
    ("2026-10-04T19:35:00-05:00", utc(2026, 10, 5, 0, 35)),
    ("2026-10-04T19:35:00 +03:00", utc(2026, 10, 4, 16, 35)),
    ("2026-10-04 19:35 UTC", utc(2026, 10, 4, 19, 35)),
    ("2026-10-04 19:35:07 GMT", utc(2026, 10, 4, 19, 35, 7)),
    ("2026-10-04 19:35:07.123456789 utc", utc(2026, 10, 4, 19, 35, 7, 123456)),
    ("04.10.2026 19:40 +03:00", utc(2026, 10, 4, 16, 40)),
    ("04.10.2026 19:40Z", utc(2026, 10, 4, 19, 40)),
    ("10/4/2026 7:40 PM UTC", utc(2026, 10, 4, 19, 40)),
    ("2026/10/04 19:40:00+0530", utc(2026, 10, 4, 14, 10)),
])
def test_a_moment_with_an_offset_is_read_as_written(value: str, expected: datetime) -> None:
    moment = read_moment(value, MONTH_FIRST, MOSCOW)
    assert moment is not None and not moment.naive
    assert moment.at == expected


@pytest.mark.parametrize(("value", "style", "zone", "expected"), [
    ("2026-10-04T20:27:24", DAY_FIRST, MOSCOW, utc(2026, 10, 4, 17, 27, 24)),
    ("2026-10-04 19:35", DAY_FIRST, MOSCOW, utc(2026, 10, 4, 16, 35)),
    ("04.10.2026 19:40", DAY_FIRST, MOSCOW, utc(2026, 10, 4, 16, 40)),
    ("04.10.2026 19:40:05", DAY_FIRST, MOSCOW, utc(2026, 10, 4, 16, 40, 5)),
    ("04.10.2026, 19:40", DAY_FIRST, MOSCOW, utc(2026, 10, 4, 16, 40)),
    ("04/10/2026 19:40", DAY_FIRST, MOSCOW, utc(2026, 10, 4, 16, 40)),
    ("04.10.2026", DAY_FIRST, MOSCOW, utc(2026, 10, 3, 21, 0)),  # a bare date: its midnight
    ("2010-07-01 12:00", DAY_FIRST, MOSCOW, utc(2010, 7, 1, 8, 0)),  # Moscow summer time
    ("2010-01-15 12:00", DAY_FIRST, MOSCOW, utc(2010, 1, 15, 9, 0)),
    ("2026-01-15 12:00", DAY_FIRST, MOSCOW, utc(2026, 1, 15, 9, 0)),  # none since 2014
    ("04.10.2026 19:40", DAY_FIRST, KYIV, utc(2026, 10, 4, 16, 40)),  # EEST, +03
    ("04.01.2026 19:40", DAY_FIRST, KYIV, utc(2026, 1, 4, 17, 40)),  # EET, +02
    ("10/4/2026 7:40 PM", MONTH_FIRST, NEW_YORK, utc(2026, 10, 4, 23, 40)),  # EDT, -04
    ("1/4/2026 7:40 pm", MONTH_FIRST, NEW_YORK, utc(2026, 1, 5, 0, 40)),  # EST, -05
    ("1/4/2026 12:05 AM", MONTH_FIRST, NEW_YORK, utc(2026, 1, 4, 5, 5)),
    ("1/4/2026 12:05 PM", MONTH_FIRST, NEW_YORK, utc(2026, 1, 4, 17, 5)),
    ("1/4/2026 11:59:59AM", MONTH_FIRST, NEW_YORK, utc(2026, 1, 4, 16, 59, 59)),
    # the hour skipped (clocks forward) is read with the offset before the change
    ("2026-03-08 02:30", DAY_FIRST, NEW_YORK, utc(2026, 3, 8, 7, 30)),
    ("29.03.2026 03:30", DAY_FIRST, KYIV, utc(2026, 3, 29, 1, 30)),
    ("2010-03-28 02:30", DAY_FIRST, MOSCOW, utc(2010, 3, 27, 23, 30)),
    # the hour that happens twice (clocks back) is its first time, before the change
    ("11/1/2026 1:30 AM", MONTH_FIRST, NEW_YORK, utc(2026, 11, 1, 5, 30)),
    ("25.10.2026 03:30", DAY_FIRST, KYIV, utc(2026, 10, 25, 0, 30)),
    ("2010-10-31 02:30", DAY_FIRST, MOSCOW, utc(2010, 10, 30, 22, 30)),
    ("2026-10-04 19:35", DAY_FIRST, UTC, utc(2026, 10, 4, 19, 35)),
    ("2026-10-04 19:35", DAY_FIRST, timezone(timedelta(hours=5)), utc(2026, 10, 4, 14, 35)),
])
def test_a_moment_without_an_offset_is_read_in_the_zone(value: str, style: DateStyle,
                                                        zone: ZoneInfo, expected: datetime) -> None:
    moment = read_moment(value, style, zone)
    assert moment is not None and moment.naive
    assert moment.at == expected
    assert instant(moment) == expected


@pytest.mark.parametrize("value", [
    "2026-10-04T25:00",
    "2026-10-04T24:00",
    "2026-10-04T19:60",
    "2026-10-04T19:35:60",
    "2026-10-04T19:35+24:00",
    "2026-10-04x19:35",  # Python reads any separator; people write T or a space
    "2026-10-04 19:35 MSK",
    "2026-10-04 19:35 +03:00 UTC",
    "2026-02-30 10:00",
    "2026-02-30T10:00:00+03:00",
    "04.10.26 19:40",
    "10/13/2026 7:40 PM",  # contradicts a day-first style
    "10/4/2026 13:40 PM",
    "10/4/2026 0:40 AM",
    "10/4/2026 7:40 p.m.",
    "19:35",
    "now",
    "2026-10-04 7:40 PM PM",
    "2026-10-04 19",
    "46299.5",
])
def test_a_moment_that_cannot_be_read_is_none(value: str) -> None:
    assert read_moment(value, DAY_FIRST, MOSCOW) is None


@pytest.mark.parametrize(("value", "zone"), [
    ("1999-12-31T23:59:59Z", UTC),
    ("2000-01-01T02:00:00+03:00", UTC),  # 1999 in UTC
    ("2000-01-01 01:00", MOSCOW),  # naive, 1999 in UTC
    ("2999-12-31T23:00:00-05:00", UTC),  # 3000 in UTC
    ("31.12.2999 20:00", NEW_YORK),
    ("3000-01-01T00:00:00Z", UTC),
    ("9999-12-31T23:59:59-05:00", UTC),  # beyond the calendar once converted: no error
    ("0001-01-01T00:00:00+05:00", UTC),
    ("31.12.9999 23:59", NEW_YORK),
    ("01.01.0001", MOSCOW),
    ("1963-06-05", MOSCOW),
])
def test_a_moment_outside_the_years_is_none(value: str, zone: ZoneInfo) -> None:
    assert read_moment(value, DAY_FIRST, zone) is None


@pytest.mark.parametrize(("value", "zone"), [
    ("2000-01-01T00:00:00Z", UTC),
    ("1999-12-31T22:00:00-03:00", UTC),
    ("2999-12-31T23:59:59.999999Z", UTC),
    ("3000-01-01T02:00:00+03:00", UTC),
    ("01.01.2000 03:00", MOSCOW),
])
def test_a_moment_at_the_edge_of_the_years_is_read(value: str, zone: ZoneInfo) -> None:
    assert read_moment(value, DAY_FIRST, zone) is not None


def test_the_years_are_those_of_the_rules() -> None:
    assert (FIRST_MOMENT_YEAR, LAST_MOMENT_YEAR) == (MOMENT_YEARS.minimum, MOMENT_YEARS.maximum)


AWARE = st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2999, 12, 30),
                     timezones=st.sampled_from([UTC, MOSCOW, KYIV, NEW_YORK,
                                                timezone(timedelta(hours=-9, minutes=-30))]))


@given(AWARE)
def test_every_moment_written_with_its_offset_reads_back(at: datetime) -> None:
    offset = at.strftime("%z")  # +0300
    seconds = f"{at:%Y-%m-%d %H:%M:%S}.{at.microsecond:06d}"
    for written in (at.isoformat(), f"{seconds}{offset}", f"{seconds} {offset[:3]}:{offset[3:]}",
                    f"{at.astimezone(UTC):%d.%m.%Y %H:%M:%S}.{at.microsecond:06d} UTC"):
        moment = read_moment(written, MONTH_FIRST, NEW_YORK)
        assert moment is not None and not moment.naive, written
        assert instant(moment) == at.astimezone(UTC), written


@given(st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2999, 12, 30)),
       st.sampled_from([MOSCOW, KYIV, NEW_YORK]))
def test_every_moment_written_without_an_offset_reads_in_the_zone(at: datetime,
                                                                  zone: ZoneInfo) -> None:
    at = at.replace(microsecond=0)
    hour = at.hour % 12 or 12
    half = "PM" if at.hour >= 12 else "AM"
    for written, style in [
        (f"{at:%Y-%m-%dT%H:%M:%S}", DAY_FIRST),
        (f"{at:%Y-%m-%d %H:%M:%S}", DAY_FIRST),
        (f"{at:%d.%m.%Y %H:%M:%S}", DAY_FIRST),
        (f"{at:%d/%m/%Y %H:%M:%S}", DAY_FIRST),
        (f"{at.month}/{at.day}/{at.year} {hour}:{at:%M:%S} {half}", MONTH_FIRST),
    ]:
        moment = read_moment(written, style, zone)
        assert moment is not None and moment.naive, written
        assert moment.at.replace(tzinfo=None) == at, written  # the time written, ...
        assert moment.at.utcoffset() == at.replace(tzinfo=zone).utcoffset(), written  # fold=0
        assert instant(moment) == at.replace(tzinfo=zone).astimezone(UTC), written


@given(st.text(max_size=40), st.booleans())
def test_no_value_makes_the_readers_fail(value: str, serials: bool) -> None:
    read_date(value, DAY_FIRST, serials=serials)
    read_moment(value, YEAR_FIRST, NEW_YORK, serials=serials)
    date_style([value])


NEAR_DATES = st.from_regex(
    r"[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
    r"( ?([AaPp][Mm]|Z|UTC|[+-][0-9]{2}(:?[0-9]{2})?))?)?", fullmatch=True)


@given(NEAR_DATES, st.sampled_from([DAY_FIRST, MONTH_FIRST, YEAR_FIRST]))
def test_near_dates_are_read_or_refused_without_error(value: str, style: DateStyle) -> None:
    day = read_date(value, style, serials=True)
    moment = read_moment(value, style, KYIV, serials=True)
    if day is not None and moment is not None:
        assert moment.at.date() == day


# --- Excel serial dates ---------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("1", date(1900, 1, 1)),
    ("59", date(1900, 2, 28)),
    ("61", date(1900, 3, 1)),  # after Excel's 29th of February 1900
    ("23167", date(1963, 6, 5)),
    ("46299", date(2026, 10, 4)),
    ("46299.0", date(2026, 10, 4)),
    ("46299.000", date(2026, 10, 4)),
    (str(LAST_SERIAL), date(9999, 12, 31)),
])
def test_a_serial_is_a_date_in_a_workbook(value: str, expected: date) -> None:
    assert read_date(value, DAY_FIRST, serials=True) == expected
    assert read_date(value, DAY_FIRST) is None  # not in a CSV file


@pytest.mark.parametrize("value", [
    "60",  # 1900-02-29, which never was
    "0",
    "-1",
    str(LAST_SERIAL + 1),
    "46299.5",  # a time of day: a moment, not a date
    "46299.",
    ".5",
    "4.6299E4",
    "46 299",
])
def test_a_serial_that_is_no_day_is_none(value: str) -> None:
    assert read_date(value, DAY_FIRST, serials=True) is None


@given(st.integers(min_value=1, max_value=LAST_SERIAL).filter(lambda serial: serial != 60))
def test_serials_are_the_days_openpyxl_reads(serial: int) -> None:
    assert read_date(str(serial), DAY_FIRST, serials=True) == from_excel(serial).date()


@pytest.mark.parametrize(("value", "expected"), [
    ("46299.8125", utc(2026, 10, 4, 16, 30)),  # 19:30 in Moscow
    ("46299.80555555556", utc(2026, 10, 4, 16, 20)),  # 19:20, as Excel stores it
    ("46299", utc(2026, 10, 3, 21, 0)),
    ("46299.5000001", utc(2026, 10, 4, 9, 0, 0, 9000)),  # to the millisecond
    ("46299.99999999999", utc(2026, 10, 4, 21, 0)),  # rounds to the next midnight
])
def test_a_serial_with_a_fraction_is_a_moment_in_the_zone(value: str,
                                                          expected: datetime) -> None:
    moment = read_moment(value, DAY_FIRST, MOSCOW, serials=True)
    assert moment is not None and moment.naive
    assert moment.at == expected
    assert read_moment(value, DAY_FIRST, MOSCOW) is None


@pytest.mark.parametrize("value", ["36526", "60", str(LAST_SERIAL), "1"])
def test_a_serial_outside_the_years_is_no_moment(value: str) -> None:
    assert read_moment(value, DAY_FIRST, MOSCOW, serials=True) is None  # 36526: 1999 in UTC
