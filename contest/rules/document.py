"""The typed rules document a marketer edits and the public reads.

A :class:`RulesDocument` is a value: frozen, built only through
:func:`contest.rules.parse.parse_rules` (which validates every field at once), and turned back
into plain JSON data with :meth:`RulesDocument.to_data`. That JSON data, canonicalised with
RFC 8785, is what gets hashed and published (see :mod:`contest.rules.canonical`).

Money is a decimal string with its ISO 4217 currency (never a float, so the canonical form is
exact); moments are ISO 8601 with an explicit offset, and the period names its IANA time zone.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

# The rules name one of the randomness registry's kinds; the registry owns their names.
from contest.randomness import RandomnessSource

SCHEMA = "contest-rules/1"


class Relation(StrEnum):
    """Family ties the exclusions can name (the staff member's immediate family)."""

    SPOUSE = "spouse"
    PARTNER = "partner"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    SIBLING_SPOUSE = "sibling_spouse"
    CHILD_SPOUSE = "child_spouse"
    PARENT_SPOUSE = "parent_spouse"


DEFAULT_FAMILY = (Relation.SPOUSE, Relation.PARTNER, Relation.PARENT, Relation.CHILD,
                  Relation.SIBLING, Relation.SIBLING_SPOUSE, Relation.CHILD_SPOUSE,
                  Relation.PARENT_SPOUSE)


class SectionKind(StrEnum):
    NO_PURCHASE = "no_purchase"
    PRIVACY = "privacy"
    TAXES = "taxes"
    OTHER = "other"


@dataclass(frozen=True)
class Party:
    """A legal person named in the rules: sponsor, organiser or agency."""

    legal_name: str
    address: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def to_data(self) -> dict[str, str]:
        return {"amount": format(self.amount, "f"), "currency": self.currency}


@dataclass(frozen=True)
class EntryPeriod:
    """When entries are taken (``opens_at`` ≤ moment < ``closes_at``) and when the draw is."""

    timezone: str
    opens_at: datetime
    closes_at: datetime
    draw_at: datetime


@dataclass(frozen=True)
class Eligibility:
    """Who may enter; age is computed at the entry moment from the birth date."""

    min_age: int
    legal_min_age: int
    max_age: int | None = None
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    residency_required: bool = True


@dataclass(frozen=True)
class Exclusions:
    employees: bool = True
    agency_employees: bool = True
    family: tuple[Relation, ...] = DEFAULT_FAMILY
    household: bool = True


@dataclass(frozen=True)
class EntryLimits:
    """How many entries count; when a limit is exceeded the earliest entries count."""

    per_person: int = 1
    per_household: int | None = None
    per_day: int | None = None
    counts: str = "earliest"


@dataclass(frozen=True)
class Prize:
    name: str
    quantity: int
    retail_value: Money
    cash_alternative: Money | None = None


@dataclass(frozen=True)
class Selection:
    """How winners are chosen: the draw protocol and the public randomness it uses."""

    method: str = "contest-draw/1"
    randomness: RandomnessSource = RandomnessSource.DRAND
    details: str = ""


@dataclass(frozen=True)
class Announcement:
    """How and when winners are told and published, and how long they have to claim."""

    notify_by: str
    notify_within_days: int
    publish_on: date | None = None
    name_format: str = "first_name_initial_region"
    claim_days: int = 14


@dataclass(frozen=True)
class ComplaintChannel:
    channel: str
    response_business_days: int = 1


@dataclass(frozen=True)
class Section:
    kind: SectionKind
    title: str
    text: str


@dataclass(frozen=True)
class RulesDocument:
    language: str
    title: str
    sponsor: Party
    organiser: Party
    period: EntryPeriod
    eligibility: Eligibility
    prizes: tuple[Prize, ...]
    winners: int
    alternates: int
    announcement: Announcement
    complaints: ComplaintChannel
    agencies: tuple[Party, ...] = ()
    exclusions: Exclusions = field(default_factory=Exclusions)
    limits: EntryLimits = field(default_factory=EntryLimits)
    selection: Selection = field(default_factory=Selection)
    sections: tuple[Section, ...] = ()
    schema: str = SCHEMA

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data (str, int, bool, None, list, dict): the input of canonicalisation."""
        return _fields_data(self)


def _fields_data(value: "DataclassInstance") -> dict[str, Any]:
    return {name: _to_data(getattr(value, name)) for name in value.__dataclass_fields__}


def _to_data(value: Any) -> Any:
    if isinstance(value, Money):
        return value.to_data()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple | list):
        return [_to_data(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return _fields_data(value)
    return value
