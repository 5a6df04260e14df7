"""Dates and moments as people write them in Russia, Ukraine, the UK and the US.

A date is written year first (ISO 8601 ``2026-10-04``, ``2026/10/04``, ``2026.10.04``), with
dots day first (``04.10.2026``, ``4.10.2026``: the Russian, Ukrainian and German way, never
month first), or with slashes or dashes, where the order depends on who wrote it:
``04/10/2026`` is the 4th of October in London and Kyiv and the 10th of April in New York.
That order is decided once per column by :func:`date_style`, from every value of it: a
slashed value with a number over 12 in the first place can only be day first, in the second
place only month first. When no value tells, the default is used (day first, or month first
where the country or a setting says US) and the :class:`DateStyle` says so (``assumed``, with
the number of values that read either way), so the summary of an import can say which
convention was used: nothing is guessed silently. A value the column's order makes
impossible (``10/13/2026`` in a day-first column) is unreadable, not read the other way.

A moment is a date and a time of day: ISO 8601 (``T`` or a space, with or without seconds
and their fraction, an offset ``Z``, ``+03:00``, ``+0300``, ``+03`` or a trailing ``UTC`` or
``GMT``), or one of the dates above followed by ``HH:MM[:SS]`` or a US 12-hour time
(``10/4/2026 7:40 PM``). A moment written without an offset is *naive*: it is read in the
time zone the caller gives (the contest's), with that zone's offset at that moment, and
:class:`Moment` says it was read so. In a zone's gap (the hour skipped when clocks go
forward) or fold (the hour that happens twice when they go back) the offset in force before
the change is taken, Python's ``fold=0`` (PEP 495): ``2026-03-08 02:30`` in New York is
read as 02:30 EST, i.e. 03:30 EDT, and ``2026-11-01 01:30`` as the first 01:30, in EDT.
A moment falls in the years of :data:`contest.rules.ranges.MOMENT_YEARS` in UTC, or it is
unreadable.

Years have four digits: ``04.10.26`` is unreadable, as a century is never guessed. Only
real calendar days are read (``31.02.2026`` is unreadable).

A workbook cell (``serials=True``) may hold an Excel serial date of the 1900 date system:
day 1 is 1900-01-01, and day 60 is the 29th of February 1900, which never was (Excel kept
Lotus 1-2-3's error), so it is unreadable and day 61 is 1900-03-01; the fraction is the
time of day, rounded to the millisecond. A date with a time of day other than midnight,
as a serial or as text, is unreadable: a date is a day, and the day of a moment depends on
the zone it is read in.

``None`` is the answer for a value that cannot be read; the caller reports it with its
line and column and keeps the raw value. The common case, ISO 8601 with an offset, costs
one ``datetime.fromisoformat`` and the :class:`Moment` made of it: an import reads 100,000
rows.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum

from contest.i18n import N_, Message, N_plural

# contest.rules.ranges.MOMENT_YEARS, which this foundation may not import (pyproject.toml,
# contract "foundations"); tests/spreadsheet/test_dates.py keeps the two alike.
FIRST_MOMENT_YEAR = 2000
LAST_MOMENT_YEAR = 2999

LAST_SERIAL = 2_958_465
"""The Excel serial date of 9999-12-31, the last day Excel knows."""

_PHANTOM_SERIAL = 60  # 1900-02-29, which Excel counts and the calendar does not
_SERIAL_EPOCH = date(1899, 12, 30)  # serial 61 and later: days since this day
_MILLISECONDS_A_DAY = 86_400_000


class DateOrder(StrEnum):
    """The order of a date's parts."""

    YEAR_FIRST = "ymd"  # 2026-10-04, 2026/10/04, 2026.10.04
    DAY_FIRST = "dmy"  # 04.10.2026, 04/10/2026, 4-10-2026
    MONTH_FIRST = "mdy"  # 10/04/2026 (the US)


_ORDER_WORDS = {
    DateOrder.YEAR_FIRST: N_("year first (YYYY-MM-DD)"),
    DateOrder.DAY_FIRST: N_("day first (DD.MM.YYYY or DD/MM/YYYY)"),
    DateOrder.MONTH_FIRST: N_("month first (MM/DD/YYYY)"),
}


@dataclass(frozen=True)
class DateStyle:
    """How one column's dates are read, decided once from all its values.

    ``order`` applies to the dates written with slashes or dashes and the year last (dotted
    ones are day first whatever it says; year-first ones need none). A column of year-first
    dates only is :attr:`DateOrder.YEAR_FIRST`; it then reads a slashed date only if both
    orders give the same day or only one gives a day at all.
    """

    order: DateOrder
    assumed: bool = False
    """No value told day from month, some read either way: the default order was used."""
    ambiguous: int = 0
    """Values that read either way (both parts 12 or less, and different)."""
    conflicting: int = 0
    """Values that contradict the order, and so are unreadable (``10/13/2026`` in a
    day-first column, ``10.13.2026`` anywhere)."""

    def description(self) -> Message:
        """The style in words for an import's summary: "day first (DD.MM.YYYY or
        DD/MM/YYYY)", "month first (MM/DD/YYYY), assumed: 14 dates read either way"."""
        said = Message(_ORDER_WORDS[self.order])
        if self.assumed and self.ambiguous:
            said = Message(N_plural("{order}, assumed: {count} date reads either way",
                                    "{order}, assumed: {count} dates read either way"),
                           {"order": said, "count": self.ambiguous})
        elif self.assumed:
            said = Message(N_("{order}, assumed"), {"order": said})
        if self.conflicting:
            said = Message(N_plural("{order}; {count} date written the other way is not read",
                                    "{order}; {count} dates written the other way are not read"),
                           {"order": said, "count": self.conflicting})
        return said


DAY_FIRST = DateStyle(DateOrder.DAY_FIRST)
"""The style for a single value, where there is no column to decide from (a form, the API):
day first, as in Russia, Ukraine and the UK."""


@dataclass(frozen=True, slots=True)  # an import makes one for every row it reads
class Moment:
    """A moment read: ``at`` is aware, with the offset written or, when ``naive`` (written
    without one), the offset of the time zone given at that moment. Always a fixed offset:
    by PEP 495 a time in a zone's gap or fold compares unequal to every time of another
    zone, which would make such a moment unequal to itself written with its offset."""

    at: datetime
    naive: bool


# A date, then optionally a time of day, its half of the day and its offset. ASCII digits
# only ([0-9], not \d: int() would read any script's digits).
_WRITTEN = re.compile(r"""
    (?:
        (?P<year>[0-9]{4}) (?P<ysep>[-/.]) (?P<ymonth>[0-9]{1,2}) (?P=ysep) (?P<yday>[0-9]{1,2})
      | (?P<first>[0-9]{1,2}) (?P<sep>[-/.]) (?P<second>[0-9]{1,2}) (?P=sep) (?P<lyear>[0-9]{4})
    )
    (?:
        (?:[Tt]|,?\ +)
        (?P<hour>[0-9]{1,2}) : (?P<minute>[0-9]{2})
        (?: : (?P<seconds>[0-9]{2}) (?: [.,] (?P<fraction>[0-9]{1,9}) )? )?
        (?: \ * (?P<half>[AaPp][Mm]) )?
        (?: \ * (?P<offset>[Zz] | (?i:UTC|GMT) | [+-][0-9]{2} (?: :?[0-9]{2} )? ) )?
    )?
""", re.VERBOSE)
_HOUR, _OFFSET = 8, 13  # where the time and the offset start among _WRITTEN's groups
_MIDNIGHT = (0, 0, 0, 0)
_SERIAL = re.compile(r"([0-9]{1,7})(?:\.([0-9]+))?")
_OFFSETS: dict[str, tzinfo] = {"Z": UTC, "z": UTC}
_FIXED: dict[timedelta, tzinfo] = {timedelta(0): UTC}
_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def date_style(values: Iterable[str], *, month_first: bool = False) -> DateStyle:
    """The style of a column of dates or moments, from all its ``values`` (trimmed).

    The slashed and dashed values with a part over 12 decide, by majority (those of the
    minority are ``conflicting``; a tie is settled by the default, and is ``assumed``).
    When none tells, the default decides: month first if ``month_first`` (the country or a
    setting says US), else day first; ``assumed`` when some values read either way. A column
    with no slashed or dashed dates is day first if it has dotted ones, else year first.
    Dotted dates are day first in all three locales: one that is not (``10.13.2026``) is
    ``conflicting``. Unreadable values and Excel serials say nothing.
    """
    day_first = month_first_ = ambiguous = same = dotted = dotted_wrong = year_first = 0
    for value in values:
        if len(value) >= 10 and value[4] in "-/." and value[:4].isascii() \
                and value[:4].isdigit():
            year_first += 1
            continue
        written = _WRITTEN.fullmatch(value)
        if written is None:
            continue
        _year, _, _month, _day, first_text, separator, second_text, year_text = \
            written.groups()[:8]
        if year_text is None:
            year_first += 1
            continue
        first, second, year = int(first_text), int(second_text), int(year_text)
        as_day_month = _is_day(year, second, first)
        as_month_day = _is_day(year, first, second)
        if separator == ".":
            dotted += 1
            dotted_wrong += as_month_day and not as_day_month
        elif as_day_month and as_month_day:
            if first == second:
                same += 1
            else:
                ambiguous += 1
        elif as_day_month:
            day_first += 1
        elif as_month_day:
            month_first_ += 1

    default = DateOrder.MONTH_FIRST if month_first else DateOrder.DAY_FIRST
    assumed = False
    conflicting = dotted_wrong
    if day_first != month_first_:
        order = DateOrder.DAY_FIRST if day_first > month_first_ else DateOrder.MONTH_FIRST
        conflicting += min(day_first, month_first_)
    elif day_first:  # as many one way as the other
        order, assumed = default, True
        conflicting += day_first
    elif ambiguous or same:
        order, assumed = default, ambiguous > 0
    elif dotted:
        order = DateOrder.DAY_FIRST
    elif year_first:
        order = DateOrder.YEAR_FIRST
    else:
        order = default
    return DateStyle(order, assumed, ambiguous, conflicting)


def read_date(value: str, style: DateStyle, *, serials: bool = False) -> date | None:
    """The calendar day ``value`` (trimmed) writes, read in ``style``; ``None`` if it cannot
    be read, or contradicts the style. A moment at midnight gives its date (spreadsheets
    export dates so: ``1963-06-05 00:00:00``); at any other time it is unreadable. With
    ``serials`` (a workbook's cell) a bare number is an Excel serial date, whose fraction
    must be zero."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    written = _WRITTEN.fullmatch(value)
    if written is None:
        return _serial_date(value) if serials else None
    parts = written.groups()
    day = _calendar_day(parts, style.order)
    if day is None or parts[_HOUR] is not None and _clock(parts) != _MIDNIGHT:
        return None
    return day


def read_moment(value: str, style: DateStyle, zone: tzinfo, *,
                serials: bool = False) -> Moment | None:
    """The moment ``value`` (trimmed) writes, read in ``style``; written without an offset,
    in ``zone`` (a bare date is its midnight there); ``None`` if it cannot be read,
    contradicts the style or is not in the years :data:`FIRST_MOMENT_YEAR` to
    :data:`LAST_MOMENT_YEAR` in UTC. With ``serials`` (a workbook's cell) a bare number is
    an Excel serial date and time, read in ``zone``."""
    if len(value) >= 16 and value[4] == "-" and value[7] == "-" and value[10] in "Tt " \
            and value[13] == ":":
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            pass  # a trailing " UTC", a 12-hour time, a day that does not exist…
        else:
            if at.tzinfo is not None and FIRST_MOMENT_YEAR < at.year < LAST_MOMENT_YEAR:
                return Moment(at, False)  # the common case, kept short
            return _moment(at, zone)
    written = _WRITTEN.fullmatch(value)
    if written is None:
        return _serial_moment(value, zone) if serials else None
    parts = written.groups()
    day = _calendar_day(parts, style.order)
    if day is None:
        return None
    clock = _MIDNIGHT if parts[_HOUR] is None else _clock(parts)
    offset = None if parts[_OFFSET] is None else _offset(parts[_OFFSET])
    if clock is None or offset is None and parts[_OFFSET] is not None:
        return None
    hour, minute, second, microsecond = clock
    return _moment(datetime(day.year, day.month, day.day, hour, minute, second, microsecond,
                            offset), zone)


def _moment(at: datetime, zone: tzinfo) -> Moment | None:
    naive = at.tzinfo is None
    if naive:
        offset = zone.utcoffset(at)  # fold=0: the offset before a change of the clocks
        if offset is None:
            return None
        at = datetime(at.year, at.month, at.day, at.hour, at.minute, at.second,
                      at.microsecond, _fixed_offset(offset))
    if not FIRST_MOMENT_YEAR < at.year < LAST_MOMENT_YEAR and (
            not FIRST_MOMENT_YEAR - 1 <= at.year <= LAST_MOMENT_YEAR + 1
            or not FIRST_MOMENT_YEAR <= at.astimezone(UTC).year <= LAST_MOMENT_YEAR):
        return None  # within a year of the bounds, an offset (under a day) may cross them
    return Moment(at, naive)


def _fixed_offset(offset: timedelta) -> tzinfo:
    found = _FIXED.get(offset)
    if found is None:
        found = _FIXED[offset] = timezone(offset)  # a zone has a few offsets: a small cache
    return found


def _is_day(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month]:
        return False
    return month != 2 or day < 29 or year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _calendar_day(parts: tuple[str | None, ...], order: DateOrder) -> date | None:
    """The day of a value's parts (``_WRITTEN``'s groups) in ``order`` when the year is
    last (dotted: always day first)."""
    year_text, _, month_text, day_text, first_text, separator, second_text, last_text = \
        parts[:8]
    if year_text is not None:
        year, month, day = int(year_text), int(month_text or 0), int(day_text or 0)
    else:
        year, first, second = int(last_text or 0), int(first_text or 0), int(second_text or 0)
        if separator == "." or order is DateOrder.DAY_FIRST:
            month, day = second, first
        elif order is DateOrder.MONTH_FIRST:
            month, day = first, second
        else:  # a column of year-first dates: only a value that cannot be misread
            as_day_month = _is_day(year, second, first)
            as_month_day = _is_day(year, first, second)
            if as_day_month and as_month_day and first != second:
                return None
            month, day = (second, first) if as_day_month else (first, second)
    if year == 0 or not _is_day(year, month, day):
        return None
    return date(year, month, day)


def _clock(parts: tuple[str | None, ...]) -> tuple[int, int, int, int] | None:
    """(hour, minute, second, microsecond) of a value's parts with a time, or ``None``."""
    hour_text, minute_text, second_text, fraction, half = parts[_HOUR:_OFFSET]
    hour, minute = int(hour_text or 0), int(minute_text or 0)
    second = int(second_text or 0)
    microsecond = int(fraction[:6].ljust(6, "0")) if fraction else 0
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half[0] in "Pp" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second, microsecond


def _offset(written: str) -> tzinfo | None:
    """The fixed offset written, ``None`` if there is no such offset."""
    found = _OFFSETS.get(written)
    if found is not None:
        return found
    if written.upper() in ("UTC", "GMT"):
        return UTC
    hours, minutes = int(written[1:3]), int(written[-2:]) if len(written) > 3 else 0
    if hours > 23 or minutes > 59:
        return None
    span = timedelta(hours=hours, minutes=minutes)
    found = timezone(-span if written[0] == "-" else span)
    if len(_OFFSETS) < 1000:  # a few dozen offsets exist; a hostile file is not kept
        _OFFSETS[written] = found
    return found


def _serial(value: str) -> tuple[date, int] | None:
    """The day and the milliseconds into it of an Excel serial date (1900 date system)."""
    written = _SERIAL.fullmatch(value)
    if written is None:
        return None
    serial = int(written[1])
    if not 1 <= serial <= LAST_SERIAL or serial == _PHANTOM_SERIAL:
        return None
    day = _SERIAL_EPOCH + timedelta(days=serial + (serial < _PHANTOM_SERIAL))
    fraction = written[2]
    if not fraction:
        return day, 0
    scale = 10 ** len(fraction)
    milliseconds = (int(fraction) * _MILLISECONDS_A_DAY * 2 + scale) // (2 * scale)
    return day, milliseconds


def _serial_date(value: str) -> date | None:
    found = _serial(value)
    if found is None or found[1]:
        return None
    return found[0]


def _serial_moment(value: str, zone: tzinfo) -> Moment | None:
    found = _serial(value)
    if found is None:
        return None
    day, milliseconds = found
    if not FIRST_MOMENT_YEAR - 1 <= day.year <= LAST_MOMENT_YEAR + 1:
        return None
    return _moment(datetime(day.year, day.month, day.day)
                   + timedelta(milliseconds=milliseconds), zone)
