"""Business-day deadlines for answering complaints.

A complaint must be answered within the rules' number of business days. The count starts on
the first business day after the day the complaint arrived (in the sponsor's time zone), and
the deadline is the end of the last of those days, 23:59:59 local time: a complaint that
arrives on Friday with one business day to answer is due at the end of Monday, or of Tuesday
when Monday is a public holiday.

A business day is a working day of the contest's country as the ``holidays`` package knows
it: not a weekend day, not a public holiday or a day off moved onto a weekday, and counting
the weekend days a government made working days (Russia moves days off this way every
year). Ukraine has had no public days off since martial law began in February 2022, and
``holidays`` says so. Without a country, every Monday to Friday is a business day.

The count is the rules' ``complaints.response_business_days``, within its range (1 to 60,
:mod:`contest.rules.ranges`); a count outside it is refused before any counting.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import islice
from zoneinfo import ZoneInfo

import holidays

from contest.errors import RulesDoNotProvide
from contest.i18n import N_
from contest.rules.ranges import RANGES, shown

END_OF_DAY = time(23, 59, 59)


@cache
def _calendar(country: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year)


def is_business_day(day: date, country: str | None) -> bool:
    """Whether people work on ``day`` in ``country`` (weekdays only when it is unknown)."""
    if country:
        try:
            return bool(_calendar(country.upper(), day.year).is_working_day(day))
        except NotImplementedError:
            pass  # a country ``holidays`` does not know: weekdays only
    return day.weekday() < 5


def business_days_after(day: date, country: str | None) -> Iterator[date]:
    """The business days after ``day``, in order, without end."""
    while True:
        day += timedelta(days=1)
        if is_business_day(day, country):
            yield day


def due_at(received_at: datetime, business_days: int, *, country: str | None,
           timezone: str) -> datetime:
    """The moment an answer is due: the end of the ``business_days``-th business day after
    the day of ``received_at`` in ``timezone``, as an aware local moment."""
    allowed = RANGES["complaints.response_business_days"]
    if business_days not in allowed:
        raise RulesDoNotProvide(N_("a complaint deadline is counted in {minimum} to {maximum} "
                                   "business days, the rules say {days}"),
                                {"minimum": allowed.minimum, "maximum": allowed.maximum,
                                 "days": shown(business_days)})
    zone = ZoneInfo(timezone)
    days = business_days_after(received_at.astimezone(zone).date(), country)
    last = next(islice(days, business_days - 1, None))
    return datetime.combine(last, END_OF_DAY, tzinfo=zone)


def end_of_day(day: date, timezone: str) -> datetime:
    """The end of ``day`` in ``timezone``: what a new deadline set as a date means."""
    return datetime.combine(day, END_OF_DAY, tzinfo=ZoneInfo(timezone))
