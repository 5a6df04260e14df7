"""The range of every whole number, money amount and moment in the rules.

Wide enough for any real contest, narrow enough that nothing downstream meets a number it
cannot handle: RFC 8785 canonicalisation refuses integers beyond 2^53 (I-JSON, RFC 7493),
the complaint deadline counts business days one by one, and a calendar ends in year 9999:
a moment of year 1 in Tokyo is in year 0 in UTC, which no ``datetime`` holds, so moments
fall in :data:`MOMENT_YEARS` in UTC and in the contest's time zone (entries' moments too).
:func:`contest.rules.parse.parse_rules` checks them; docs/RULES.md shows the same table (a
test keeps the two alike). Versions published before a range existed are read as they were
published (``parse_rules(..., published=True)``): a published rule never changes.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import Decimal


@dataclass(frozen=True)
class Range:
    """Whole numbers from ``minimum`` to ``maximum``, both included."""

    minimum: int
    maximum: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.minimum <= value <= self.maximum


AGE = Range(0, 150)
COUNT = Range(1, 1_000_000)

RANGES: dict[str, Range] = {
    "eligibility.legal_min_age": AGE,
    "eligibility.min_age": AGE,
    "eligibility.max_age": AGE,
    "limits.per_person": COUNT,
    "limits.per_household": COUNT,
    "limits.per_day": COUNT,
    "prizes.N.quantity": COUNT,
    "winners": COUNT,
    "alternates": Range(0, COUNT.maximum),
    "announcement.notify_within_days": Range(0, 365),
    "announcement.claim_days": Range(1, 730),
    "complaints.response_business_days": Range(1, 60),
    "sources.N.conditions.N.at_least": Range(1, 50),
}
"""Each whole-number field by its dotted path (``N`` stands for any prize's position)."""

AMOUNT_DIGITS = 12
"""Digits a money amount may have before the decimal point (leading zeros aside)."""
AMOUNT_DECIMALS = 2
"""Digits a money amount may have after the decimal point (its message says "2")."""

MOMENT_YEARS = Range(2000, 2999)
"""The years every moment falls in, in UTC and in the contest's time zone: the opening,
closing and draw moments of the rules, and the moment an imported entry was made."""


def moment_within_years(moment: datetime, zone: tzinfo | None = None) -> bool:
    """Whether the aware ``moment`` falls in :data:`MOMENT_YEARS` in UTC and, when given, in
    ``zone``. Never raises: a moment written more than a year outside them is outside
    (converting it might leave the calendar), and an offset is less than a day, so converting
    one written nearer stays in the calendar."""
    if not MOMENT_YEARS.minimum - 1 <= moment.year <= MOMENT_YEARS.maximum + 1:
        return False
    return all(form.year in MOMENT_YEARS
               for form in (moment.astimezone(UTC), moment.astimezone(zone or UTC)))


def shown(value: int) -> int | str:
    """``value`` as a message shows it: as it is, or in scientific notation when it is too
    long to print (Python refuses to print integers of more than 4300 digits)."""
    if abs(value) < 10**20:
        return value
    return format(Decimal(value), ".3e")
