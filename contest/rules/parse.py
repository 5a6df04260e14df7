"""Turn plain JSON rules data into a :class:`RulesDocument`, reporting every error at once.

The input is the shape :meth:`RulesDocument.to_data` produces (moments as ISO 8601 strings
with an offset, money as ``{"amount": "100.00", "currency": "USD"}``, enums as their string
values, lists for tuples), so ``parse_rules(doc.to_data()) == doc``. Nothing raises but
:class:`RulesInvalid`, whose errors are :class:`FieldError` values with dotted paths such as
``prizes.0.quantity``. Every whole number and money amount has a range
(:mod:`contest.rules.ranges`), and the title is one line. Countries are ISO 3166-1 alpha-2
codes, regions ISO 3166-2 codes and currencies ISO 4217 codes, all from the CLDR data that
Babel ships.
"""

import re
import unicodedata
import zoneinfo
from collections.abc import Collection, Mapping
from datetime import date, datetime, tzinfo
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any, Protocol, TypeVar

from babel import Locale
from babel.numbers import list_currencies

from contest.errors import FieldError, RulesInvalid
from contest.i18n import N_, N_plural, Plural
from contest.randomness import RandomnessSource
from contest.rules import ranges
from contest.rules.document import (
    ACTIVITIES,
    SCHEMA,
    Announcement,
    ComplaintChannel,
    Condition,
    ConditionKind,
    Defences,
    DisposableEmail,
    Eligibility,
    EntryLimits,
    EntryPeriod,
    Exclusions,
    Money,
    Network,
    Party,
    Prize,
    Relation,
    RulesDocument,
    Section,
    SectionKind,
    Selection,
    SocialSource,
)
from contest.text import refused_character

RULES_LANGUAGES = ("en", "ru", "uk")
SELECTION_METHODS = ("contest-draw/1",)
LIMIT_COUNTS = ("earliest",)

NETWORK_CONDITIONS: dict[Network, tuple[ConditionKind, ...]] = {
    Network.VK: (ConditionKind.MEMBER, ConditionKind.REPOSTED, ConditionKind.COMMENTED,
                 ConditionKind.LIKED, ConditionKind.TAGGED),
    Network.TELEGRAM: (ConditionKind.MEMBER,),
    Network.INSTAGRAM: (ConditionKind.COMMENTED, ConditionKind.TAGGED),
}
"""The conditions each network's API lets us check (Instagram's tells no follower, and a
Telegram bot sees no post's reactions)."""

POSTS: dict[Network, tuple[re.Pattern[str], str]] = {
    Network.VK: (re.compile(r"-?[1-9][0-9]{0,18}_[1-9][0-9]{0,18}"), "-123456_789"),
    Network.INSTAGRAM: (re.compile(r"[1-9][0-9]{0,29}"), "17895695668004550"),
}
COMMUNITIES: dict[Network, tuple[re.Pattern[str], str]] = {
    Network.VK: (re.compile(r"[1-9][0-9]{0,18}"), "123456"),
    Network.TELEGRAM: (re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}|-100[0-9]{1,16}"),
                       "@brand_news"),
}

# CLDR territories that are not ISO 3166-1 assigned codes: exceptional reservations (AC, CP,
# DG, EA, IC, TA), groupings (EU, EZ, UN, QO), pseudo-locales (XA, XB), Kosovo's user-assigned
# XK, Sark's CQ and the unknown region ZZ.
_NOT_ISO_3166_1 = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
_REGION = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")

_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)


@cache
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 country codes (249 of them)."""
    return frozenset(
        code for code in Locale("en").territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha()
        and code not in _NOT_ISO_3166_1
    )


@cache
def currency_codes() -> frozenset[str]:
    """The ISO 4217 currency codes CLDR knows, current and historic."""
    return frozenset(code for code in list_currencies() if re.fullmatch(r"[A-Z]{3}", code))


@cache
def time_zones() -> frozenset[str]:
    """The IANA time zone names available to :mod:`zoneinfo`."""
    return frozenset(zoneinfo.available_timezones())


def is_region_code(value: str) -> bool:
    """Whether ``value`` has the form of an ISO 3166-2 region code ("RU-MOW")."""
    return _REGION.fullmatch(value) is not None


def parse_rules(data: Mapping[str, Any], *, published: bool = False) -> RulesDocument:
    """The rules document ``data`` describes, or :class:`RulesInvalid` with every error.

    ``published=True`` reads a version already published: it is read as it was published,
    without the ranges and the one-line title that came later (a published rule never
    changes, and old versions must still be shown, drawn and verified). Everything that
    publishes or saves rules reads them with ``published=False``.
    """
    reader = _Reader(bounded=not published)
    document = reader.document(data)
    if reader.errors or document is None:
        raise RulesInvalid(N_plural("the rules have {count} error",
                                    "the rules have {count} errors"), reader.errors)
    return document


def read_eligibility(data: Mapping[str, Any]) -> Eligibility | None:
    """Who may enter under the rules ``data`` describes, when that part of them is valid
    (the rest may not be yet): what a draft's prize advice is measured on."""
    reader = _Reader(bounded=True)
    eligibility = reader.eligibility(data) if isinstance(data, Mapping) else None
    return None if reader.errors else eligibility


def rules_errors(data: Mapping[str, Any]) -> list[FieldError]:
    """Every error in ``data``; empty when the rules are valid."""
    try:
        parse_rules(data)
    except RulesInvalid as invalid:
        return list(invalid.errors)
    return []


class _ItemReader(Protocol[_T_co]):
    def __call__(self, value: object, where: str, /) -> _T_co | None: ...


def _at(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def one_line_errors(field: str, text: str) -> list[FieldError]:
    """A title shown in page headings and mail subjects: one line, no control characters
    (line and paragraph separators, CR, LF, tab, NUL…), and text (:mod:`contest.text`: no
    lone surrogate, no non-character)."""
    if (found := refused_character(text, one_line=True)) is not None:
        return [FieldError(field, "not_one_line", N_(
            "must be one line without control characters, found {character} at "
            "position {position}"), found.params)]
    for position, character in enumerate(text, start=1):
        if unicodedata.category(character) in ("Cc", "Zl", "Zp"):
            return [FieldError(field, "not_one_line", N_(
                "must be one line without control characters, found {character} at "
                "position {position}"), {"character": f"U+{ord(character):04X}",
                                         "position": position})]
    return []


def _kind(value: object) -> str:
    """A JSON type name for "expected X, got Y" messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "whole number"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


class _Reader:
    """Reads one rules document, collecting errors instead of stopping at the first.

    Each reader method returns ``None`` for a value it could not read, after recording why;
    a section with an unreadable required field is ``None`` too.
    """

    def __init__(self, *, bounded: bool) -> None:
        self.errors: list[FieldError] = []
        self.bounded = bounded

    def fail(self, path: str, code: str, message: str | Plural, /, **params: object) -> None:
        self.errors.append(FieldError(field=path, code=code, message=message, params=params))

    # Shapes

    def obj(self, value: object, path: str, fields: Collection[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.fail(path, "not_object", N_("must be an object, got {got}"), got=_kind(value))
            return None
        for key in value:
            if key not in fields:
                self.fail(_at(path, str(key)), "unknown_field", N_("unknown field"))
        return value

    def section(
        self, data: Mapping[str, Any], key: str, path: str, fields: Collection[str]
    ) -> Mapping[str, Any] | None:
        """A required nested object."""
        if key not in data:
            self.fail(_at(path, key), "required", N_("is required"))
            return None
        return self.obj(data[key], _at(path, key), fields)

    def items(self, data: Mapping[str, Any], key: str, path: str) -> list[Any] | None:
        """A list, empty when absent."""
        value = data.get(key, [])
        if not isinstance(value, list | tuple):
            self.fail(_at(path, key), "not_list", N_("must be a list, got {got}"), got=_kind(value))
            return None
        return list(value)

    # Scalars

    def text(
        self, data: Mapping[str, Any], key: str, path: str, *, default: str | None = None
    ) -> str | None:
        """A string; required and non-blank unless it has a ``default``."""
        where = _at(path, key)
        if key not in data:
            if default is None:
                self.fail(where, "required", N_("is required"))
            return default
        value = data[key]
        if not isinstance(value, str):
            self.fail(where, "not_text", N_("must be text, got {got}"), got=_kind(value))
            return None
        if default is None and not value.strip():
            self.fail(where, "required", N_("must not be empty"))
            return None
        return value

    def integer(
        self, data: Mapping[str, Any], key: str, path: str, *, within: str,
        default: int | None = None, nullable: bool = False,
    ) -> int | None:
        """A whole number in the range :data:`~contest.rules.ranges.RANGES` names ``within``;
        required unless it has a default or is nullable."""
        where = _at(path, key)
        if key not in data:
            if default is None and not nullable:
                self.fail(where, "required", N_("is required"))
            return default
        value = data[key]
        if value is None and nullable:
            return None
        bounds = ranges.RANGES[within]
        got: int | str
        if isinstance(value, bool) or not isinstance(value, int):
            got = (value if len(value) <= 40 else value[:40] + "…") if isinstance(
                value, str) else _kind(value)
            code = "not_integer"
        elif value < bounds.minimum or (value > bounds.maximum and self.bounded):
            got, code = ranges.shown(value), (
                "too_small" if value < bounds.minimum else "too_large")
        else:
            return value
        self.fail(where, code, N_("must be a whole number from {minimum} to {maximum}, got "
                                  "{value}"),
                  minimum=bounds.minimum, maximum=bounds.maximum, value=got)
        return None

    def flag(self, data: Mapping[str, Any], key: str, path: str, *, default: bool) -> bool | None:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(_at(path, key), "not_boolean", N_("must be true or false, got {got}"),
                      got=_kind(value))
            return None
        return value

    def choice(
        self, value: object, where: str, choices: Collection[str]
    ) -> str | None:
        if not isinstance(value, str):
            self.fail(where, "not_text", N_("must be text, got {got}"), got=_kind(value))
            return None
        if value not in choices:
            self.fail(where, "invalid_choice", N_("must be one of {choices}, got {value}"),
                      choices=", ".join(choices), value=value)
            return None
        return value

    def member(self, value: object, where: str, enum: type[_E]) -> _E | None:
        chosen = self.choice(value, where, [member.value for member in enum])
        return None if chosen is None else enum(chosen)

    def moment(self, data: Mapping[str, Any], key: str, path: str,
               zone: tzinfo | None) -> datetime | None:
        """An ISO 8601 moment with its offset, in :data:`~contest.rules.ranges.MOMENT_YEARS`
        in UTC and in the contest's time ``zone`` (when it is a known one)."""
        where = _at(path, key)
        if key not in data:
            self.fail(where, "required", N_("is required"))
            return None
        value = data[key]
        if not isinstance(value, str):
            self.fail(where, "not_text", N_("must be an ISO 8601 date and time, got {got}"),
                      got=_kind(value))
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail(where, "invalid_moment",
                      N_("must be an ISO 8601 date and time such as {example}, got {value}"),
                      example="2026-12-01T09:00:00+03:00", value=value)
            return None
        if moment.tzinfo is None or moment.utcoffset() is None:
            self.fail(where, "naive_moment", N_("must include a time zone offset, got {value}"),
                      value=value)
            return None
        if self.bounded and not ranges.moment_within_years(moment, zone):
            self.fail(where, "moment_out_of_range", N_(
                "must be a moment in the years {first} to {last}, in UTC and in the contest's "
                "time zone, got {value}"), first=ranges.MOMENT_YEARS.minimum,
                last=ranges.MOMENT_YEARS.maximum, value=value)
            return None
        return moment

    def day(self, data: Mapping[str, Any], key: str, path: str) -> date | None:
        """An optional ISO 8601 calendar date (``None`` when absent or null)."""
        where = _at(path, key)
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(where, "not_text", N_("must be an ISO 8601 date, got {got}"),
                      got=_kind(value))
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(where, "invalid_date",
                      N_("must be an ISO 8601 date such as {example}, got {value}"),
                      example="2026-12-31", value=value)
            return None

    def money(self, value: object, where: str) -> Money | None:
        money = self.obj(value, where, ("amount", "currency"))
        if money is None:
            return None
        amount = self.amount(money, where)
        currency = self.text(money, "currency", where)
        if currency is not None and currency not in currency_codes():
            self.fail(_at(where, "currency"), "unknown_currency",
                      N_("unknown currency code {code}"), code=currency)
            currency = None
        if amount is None or currency is None:
            return None
        return Money(amount, currency)

    def amount(self, money: Mapping[str, Any], path: str) -> Decimal | None:
        where = _at(path, "amount")
        if "amount" not in money:
            self.fail(where, "required", N_("is required"))
            return None
        value = money["amount"]
        if not isinstance(value, str):
            # A float would not survive canonicalisation exactly; amounts are decimal text.
            self.fail(where, "not_text", N_("must be a decimal amount as text, got {got}"),
                      got=_kind(value))
            return None
        if not _AMOUNT.fullmatch(value):
            self.fail(where, "invalid_amount",
                      N_("must be a decimal amount such as {example}, got {value}"),
                      example="100.00", value=value)
            return None
        whole, _, fraction = value.lstrip("-").partition(".")
        if value.startswith("-") and (whole + fraction).strip("0"):
            self.fail(where, "negative_amount", N_("must not be negative, got {value}"),
                      value=value)
            return None
        if len(fraction) > ranges.AMOUNT_DECIMALS:
            self.fail(where, "too_many_decimal_places",
                      N_("must have at most 2 decimal places, got {places}"),
                      places=len(fraction))
            return None
        digits = len(whole.lstrip("0"))
        if digits > ranges.AMOUNT_DIGITS and self.bounded:
            self.fail(where, "amount_too_large",
                      N_("must have at most {expected} digits before the decimal point "
                         "(up to {largest}), got {digits}"),
                      expected=ranges.AMOUNT_DIGITS, digits=digits,
                      largest="9" * ranges.AMOUNT_DIGITS + "." + "9" * ranges.AMOUNT_DECIMALS)
            return None
        return Decimal(value)

    def listed(
        self, data: Mapping[str, Any], key: str, path: str, read: _ItemReader[_T]
    ) -> tuple[_T, ...] | None:
        """A list whose items are all read by ``read``; ``None`` if any is unreadable."""
        raw = self.items(data, key, path)
        if raw is None:
            return None
        values = [read(item, _at(_at(path, key), index)) for index, item in enumerate(raw)]
        if any(value is None for value in values):
            return None
        return tuple(value for value in values if value is not None)

    # The document

    def document(self, data: object) -> RulesDocument | None:
        fields = RulesDocument.__dataclass_fields__
        rules = self.obj(data, "", fields)
        if rules is None:
            return None
        schema = self.text(rules, "schema", "", default=SCHEMA)
        if schema is not None and schema != SCHEMA:
            self.fail("schema", "unknown_schema", N_("must be {expected}, got {value}"),
                      expected=SCHEMA, value=schema)
        language = self.text(rules, "language", "")
        if language is not None and language.strip():
            language = self.choice(language, "language", RULES_LANGUAGES)
        title = self.text(rules, "title", "")
        if title is not None and self.bounded and (problems := one_line_errors("title", title)):
            self.errors.extend(problems)
            title = None
        sponsor = self.party(rules, "sponsor", "")
        organiser = self.party(rules, "organiser", "")
        agencies = self.listed(rules, "agencies", "", self.party_item)
        period = self.period(rules)
        eligibility = self.eligibility(rules)
        exclusions = self.exclusions(rules)
        limits = self.limits(rules)
        prizes = self.prizes(rules)
        winners = self.integer(rules, "winners", "", within="winners")
        alternates = self.integer(rules, "alternates", "", within="alternates")
        # Compared on the raw numbers, so that a zero winner count or a bad prize value
        # elsewhere does not hide this mistake.
        stated = rules.get("winners")
        quantities = [
            prize.get("quantity") if isinstance(prize, Mapping) else None
            for prize in (rules.get("prizes") or [None])
        ]
        if isinstance(stated, int) and _whole(stated) and all(
                _whole(quantity) for quantity in quantities):
            total = sum(q for q in quantities if isinstance(q, int))
            if total != stated:
                self.fail("prizes", "prize_count_mismatch",
                          N_plural("prize quantities add up to {total}, but there is {winners} "
                                   "winner", "prize quantities add up to {total}, but there are "
                                   "{winners} winners", "winners"),
                          total=ranges.shown(total), winners=ranges.shown(stated))
        selection = self.selection(rules)
        defences = self.defences(rules)
        announcement = self.announcement(rules)
        complaints = self.complaints(rules)
        sections = self.listed(rules, "sections", "", self.section_item)
        sources = self.listed(rules, "sources", "", self.source_item)
        if (
            self.errors or schema is None or language is None or title is None
            or sponsor is None or organiser is None or agencies is None or period is None
            or eligibility is None or exclusions is None or limits is None or prizes is None
            or winners is None or alternates is None or selection is None
            or announcement is None or complaints is None or sections is None
            or sources is None or defences is None
        ):
            return None
        return RulesDocument(
            language=language, title=title, sponsor=sponsor, organiser=organiser,
            period=period, eligibility=eligibility, prizes=prizes, winners=winners,
            alternates=alternates, announcement=announcement, complaints=complaints,
            agencies=agencies, exclusions=exclusions, limits=limits, selection=selection,
            sections=sections, sources=sources, defences=defences, schema=schema,
        )

    def party(self, data: Mapping[str, Any], key: str, path: str) -> Party | None:
        if key not in data:
            self.fail(_at(path, key), "required", N_("is required"))
            return None
        return self.party_item(data[key], _at(path, key))

    def party_item(self, value: object, where: str) -> Party | None:
        party = self.obj(value, where, Party.__dataclass_fields__)
        if party is None:
            return None
        legal_name = self.text(party, "legal_name", where)
        address = self.text(party, "address", where, default="")
        contact = self.text(party, "contact", where, default="")
        if legal_name is None or address is None or contact is None:
            return None
        return Party(legal_name, address, contact)

    def period(self, rules: Mapping[str, Any]) -> EntryPeriod | None:
        period = self.section(rules, "period", "", EntryPeriod.__dataclass_fields__)
        if period is None:
            return None
        timezone = self.text(period, "timezone", "period")
        if timezone is not None and timezone.strip() and timezone not in time_zones():
            self.fail("period.timezone", "unknown_timezone",
                      N_("unknown IANA time zone {value}, expected a name such as {example}"),
                      value=timezone, example="Europe/Moscow")
            timezone = None
        zone = zoneinfo.ZoneInfo(timezone) if timezone is not None and timezone.strip() else None
        opens_at = self.moment(period, "opens_at", "period", zone)
        closes_at = self.moment(period, "closes_at", "period", zone)
        draw_at = self.moment(period, "draw_at", "period", zone)
        if opens_at is not None and closes_at is not None and closes_at <= opens_at:
            self.fail("period.closes_at", "closes_before_opens",
                      N_("closing time {closes_at} must be after opening time {opens_at}"),
                      closes_at=closes_at.isoformat(), opens_at=opens_at.isoformat())
        if closes_at is not None and draw_at is not None and draw_at < closes_at:
            self.fail("period.draw_at", "draw_before_close",
                      N_("draw time {draw_at} must not be before closing time {closes_at}"),
                      draw_at=draw_at.isoformat(), closes_at=closes_at.isoformat())
        if timezone is None or opens_at is None or closes_at is None or draw_at is None:
            return None
        return EntryPeriod(timezone, opens_at, closes_at, draw_at)

    def eligibility(self, rules: Mapping[str, Any]) -> Eligibility | None:
        path = "eligibility"
        eligibility = self.section(rules, path, "", Eligibility.__dataclass_fields__)
        if eligibility is None:
            return None
        legal_min_age = self.integer(eligibility, "legal_min_age", path,
                                     within="eligibility.legal_min_age")
        min_age = self.integer(eligibility, "min_age", path, within="eligibility.min_age")
        max_age = self.integer(eligibility, "max_age", path, within="eligibility.max_age",
                               nullable=True)
        if min_age is not None and legal_min_age is not None and min_age < legal_min_age:
            self.fail("eligibility.min_age", "below_legal_age",
                      N_("minimum age {min_age} is below the legal minimum {legal_min_age} "
                         "you set for this jurisdiction"),
                      min_age=min_age, legal_min_age=legal_min_age)
        if min_age is not None and max_age is not None and max_age < min_age:
            self.fail("eligibility.max_age", "max_below_min",
                      N_("maximum age {max_age} is below the minimum age {min_age}"),
                      max_age=max_age, min_age=min_age)
        countries = self.listed(eligibility, "countries", path, self.country)
        regions = self.listed(eligibility, "regions", path, self.region)
        if countries and regions:
            for index, region in enumerate(regions):
                if region[:2] not in countries:
                    self.fail(_at("eligibility.regions", index), "region_outside_countries",
                              N_("region {region} is not in an allowed country ({countries})"),
                              region=region, countries=", ".join(countries))
        residency_required = self.flag(eligibility, "residency_required", path, default=True)
        if (
            min_age is None or legal_min_age is None or countries is None or regions is None
            or residency_required is None
        ):
            return None
        return Eligibility(min_age, legal_min_age, max_age, countries, regions,
                           residency_required)

    def country(self, value: object, where: str) -> str | None:
        if not isinstance(value, str):
            self.fail(where, "not_text", N_("must be text, got {got}"), got=_kind(value))
            return None
        if value not in country_codes():
            self.fail(where, "unknown_country", N_("unknown country code {code}"), code=value)
            return None
        return value

    def region(self, value: object, where: str) -> str | None:
        if not isinstance(value, str):
            self.fail(where, "not_text", N_("must be text, got {got}"), got=_kind(value))
            return None
        if not _REGION.fullmatch(value):
            self.fail(where, "invalid_region",
                      N_("must be an ISO 3166-2 region code such as {example}, got {value}"),
                      example="RU-MOW", value=value)
            return None
        if value[:2] not in country_codes():
            self.fail(where, "unknown_country", N_("unknown country code {code}"),
                      code=value[:2])
            return None
        return value

    def exclusions(self, rules: Mapping[str, Any]) -> Exclusions | None:
        path = "exclusions"
        if path not in rules:
            return Exclusions()
        exclusions = self.obj(rules[path], path, Exclusions.__dataclass_fields__)
        if exclusions is None:
            return None
        employees = self.flag(exclusions, "employees", path, default=True)
        agency_employees = self.flag(exclusions, "agency_employees", path, default=True)
        household = self.flag(exclusions, "household", path, default=True)
        if "family" in exclusions:
            family = self.listed(exclusions, "family", path, self.relation)
        else:
            family = Exclusions().family
        if employees is None or agency_employees is None or household is None or family is None:
            return None
        return Exclusions(employees, agency_employees, family, household)

    def relation(self, value: object, where: str) -> Relation | None:
        return self.member(value, where, Relation)

    def limits(self, rules: Mapping[str, Any]) -> EntryLimits | None:
        path = "limits"
        if path not in rules:
            return EntryLimits()
        limits = self.obj(rules[path], path, EntryLimits.__dataclass_fields__)
        if limits is None:
            return None
        per_person = self.integer(limits, "per_person", path, within="limits.per_person",
                                  default=1)
        per_household = self.integer(limits, "per_household", path,
                                     within="limits.per_household", nullable=True)
        per_day = self.integer(limits, "per_day", path, within="limits.per_day",
                               nullable=True)
        counts = self.choice(limits.get("counts", "earliest"), _at(path, "counts"), LIMIT_COUNTS)
        if per_person is None or counts is None:
            return None
        return EntryLimits(per_person, per_household, per_day, counts)

    def prizes(self, rules: Mapping[str, Any]) -> tuple[Prize, ...] | None:
        if "prizes" not in rules:
            self.fail("prizes", "required", N_("is required"))
            return None
        prizes = self.listed(rules, "prizes", "", self.prize)
        if prizes is not None and not prizes:
            self.fail("prizes", "no_prizes", N_("there must be at least one prize"))
            return None
        return prizes

    def prize(self, value: object, where: str) -> Prize | None:
        prize = self.obj(value, where, Prize.__dataclass_fields__)
        if prize is None:
            return None
        name = self.text(prize, "name", where)
        quantity = self.integer(prize, "quantity", where, within="prizes.N.quantity")
        retail_value: Money | None = None
        if "retail_value" in prize:
            retail_value = self.money(prize["retail_value"], _at(where, "retail_value"))
        else:
            self.fail(_at(where, "retail_value"), "required", N_("is required"))
        cash_alternative: Money | None = None
        cash_invalid = False
        if prize.get("cash_alternative") is not None:
            cash_alternative = self.money(prize["cash_alternative"],
                                          _at(where, "cash_alternative"))
            cash_invalid = cash_alternative is None
        if name is None or quantity is None or retail_value is None or cash_invalid:
            return None
        return Prize(name, quantity, retail_value, cash_alternative)

    def defences(self, rules: Mapping[str, Any]) -> Defences | None:
        path = "defences"
        if path not in rules:
            return Defences()
        defences = self.obj(rules[path], path, Defences.__dataclass_fields__)
        if defences is None:
            return None
        confirm = self.flag(defences, "confirm_email", path, default=False)
        disposable = self.member(defences.get("disposable_email", DisposableEmail.FLAG.value),
                                 _at(path, "disposable_email"), DisposableEmail)
        challenge = self.flag(defences, "api_challenge", path, default=False)
        if confirm is None or disposable is None or challenge is None:
            return None
        return Defences(confirm, disposable, challenge)

    def selection(self, rules: Mapping[str, Any]) -> Selection | None:
        path = "selection"
        if path not in rules:
            return Selection()
        selection = self.obj(rules[path], path, Selection.__dataclass_fields__)
        if selection is None:
            return None
        method = self.choice(selection.get("method", Selection.method), _at(path, "method"),
                             SELECTION_METHODS)
        randomness = self.member(selection.get("randomness", Selection.randomness.value),
                                 _at(path, "randomness"), RandomnessSource)
        details = self.text(selection, "details", path, default="")
        if method is None or randomness is None or details is None:
            return None
        return Selection(method, randomness, details)

    def announcement(self, rules: Mapping[str, Any]) -> Announcement | None:
        path = "announcement"
        announcement = self.section(rules, path, "", Announcement.__dataclass_fields__)
        if announcement is None:
            return None
        notify_by = self.text(announcement, "notify_by", path)
        notify_within_days = self.integer(announcement, "notify_within_days", path,
                                          within="announcement.notify_within_days")
        publish_on = self.day(announcement, "publish_on", path)
        name_format = self.text(announcement, "name_format", path,
                                default=Announcement.name_format)
        claim_days = self.integer(announcement, "claim_days", path,
                                  within="announcement.claim_days",
                                  default=Announcement.claim_days)
        if (
            notify_by is None or notify_within_days is None or name_format is None
            or claim_days is None
        ):
            return None
        return Announcement(notify_by, notify_within_days, publish_on, name_format, claim_days)

    def complaints(self, rules: Mapping[str, Any]) -> ComplaintChannel | None:
        path = "complaints"
        complaints = self.section(rules, path, "", ComplaintChannel.__dataclass_fields__)
        if complaints is None:
            return None
        channel = self.text(complaints, "channel", path)
        days = self.integer(complaints, "response_business_days", path,
                            within="complaints.response_business_days",
                            default=ComplaintChannel.response_business_days)
        if channel is None or days is None:
            return None
        return ComplaintChannel(channel, days)

    def section_item(self, value: object, where: str) -> Section | None:
        section = self.obj(value, where, Section.__dataclass_fields__)
        if section is None:
            return None
        kind: SectionKind | None = None
        if "kind" in section:
            kind = self.member(section["kind"], _at(where, "kind"), SectionKind)
        else:
            self.fail(_at(where, "kind"), "required", N_("is required"))
        title = self.text(section, "title", where)
        text = self.text(section, "text", where)
        if kind is None or title is None or text is None:
            return None
        return Section(kind, title, text)

    def source_item(self, value: object, where: str) -> SocialSource | None:
        source = self.obj(value, where, SocialSource.__dataclass_fields__)
        if source is None:
            return None
        network: Network | None = None
        if "network" in source:
            network = self.member(source["network"], _at(where, "network"), Network)
        else:
            self.fail(_at(where, "network"), "required", N_("is required"))
        post = self.text(source, "post", where, default="")
        community = self.text(source, "community", where, default="")
        conditions = self.listed(source, "conditions", where, self.condition_item)
        if network is None or post is None or community is None or conditions is None:
            return None
        before = len(self.errors)
        kinds = [condition.kind for condition in conditions]
        for index, kind in enumerate(kinds):
            at = _at(_at(where, "conditions"), index)
            if kind in kinds[:index]:
                self.fail(_at(at, "kind"), "repeated_condition",
                          N_("names the condition {kind} a second time"), kind=kind.value)
            elif kind not in NETWORK_CONDITIONS[network]:
                self.fail(_at(at, "kind"), "condition_not_checkable",
                          N_("{network} lets us check only {choices}, got {kind}"),
                          network=network.value, kind=kind.value,
                          choices=", ".join(NETWORK_CONDITIONS[network]))
        on_post = [kind for kind in kinds if kind in ACTIVITIES or kind == ConditionKind.TAGGED]
        if network != Network.TELEGRAM and not on_post:
            self.fail(_at(where, "conditions"), "no_activity", N_(
                "must name what entrants do under the post ({choices}): the people who did "
                "it are the entrants"), choices=", ".join(
                    kind for kind in NETWORK_CONDITIONS[network] if kind != "member"))
        self.reference(post, _at(where, "post"), POSTS.get(network), needed=bool(on_post))
        self.reference(community, _at(where, "community"), COMMUNITIES.get(network),
                       needed=ConditionKind.MEMBER in kinds or network == Network.TELEGRAM)
        if len(self.errors) > before:
            return None
        return SocialSource(network, post, community, conditions)

    def reference(self, value: str, where: str, form: tuple[re.Pattern[str], str] | None, *,
                  needed: bool) -> None:
        """A post's or a community's id, written as the network writes it; required when a
        condition needs it, refused when none does."""
        if not value:
            if needed:
                self.fail(where, "required", N_("is required"))
        elif form is None or not needed:
            self.fail(where, "not_used", N_("no condition needs it; remove it"))
        elif not form[0].fullmatch(value):
            self.fail(where, "invalid_reference", N_("must be written like {example}, got "
                                                     "{value}"),
                      example=form[1], value=value[:40])

    def condition_item(self, value: object, where: str) -> Condition | None:
        condition = self.obj(value, where, Condition.__dataclass_fields__)
        if condition is None:
            return None
        kind: ConditionKind | None = None
        if "kind" in condition:
            kind = self.member(condition["kind"], _at(where, "kind"), ConditionKind)
        else:
            self.fail(_at(where, "kind"), "required", N_("is required"))
        if kind is None:
            return None
        if kind != ConditionKind.TAGGED:
            if "at_least" in condition:
                self.fail(_at(where, "at_least"), "not_used",
                          N_("no condition needs it; remove it"))
                return None
            return Condition(kind)
        at_least = self.integer(condition, "at_least", where,
                                within="sources.N.conditions.N.at_least")
        return None if at_least is None else Condition(kind, at_least)
