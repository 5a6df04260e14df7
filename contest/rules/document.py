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


class Network(StrEnum):
    """The social networks a contest may take its entries from (:mod:`contest.sources`)."""

    VK = "vk"
    TELEGRAM = "telegram"
    INSTAGRAM = "instagram"


class ConditionKind(StrEnum):
    """What an entrant must have done in the network, as the rules name it."""

    MEMBER = "member"
    """A member of the community (VK) or subscribed to the channel (Telegram)."""
    REPOSTED = "reposted"
    COMMENTED = "commented"
    LIKED = "liked"
    TAGGED = "tagged"
    """A comment under the post that tags at least ``at_least`` other accounts."""


ACTIVITIES = (ConditionKind.REPOSTED, ConditionKind.COMMENTED, ConditionKind.LIKED)
"""The conditions done on a post: the people who did them are who a read finds."""


@dataclass(frozen=True)
class Condition:
    kind: ConditionKind
    at_least: int | None = None
    """For ``tagged``: how many other accounts one comment must tag."""


@dataclass(frozen=True)
class SocialSource:
    """Where entries come from in a network, and the conditions an entrant must meet there.

    ``post`` is the post whose reposts, comments or likes are read (VK: ``-123456_789``, the
    community's id with a minus, then the post's; Instagram: the media id); ``community`` is
    the community (VK: its id) or channel (Telegram: ``@name`` or its ``-100…`` id) to be a
    member of. A Telegram source takes its entries through the contest's bot."""

    network: Network
    post: str = ""
    community: str = ""
    conditions: tuple[Condition, ...] = ()

    def needs(self, kind: ConditionKind) -> Condition | None:
        return next((c for c in self.conditions if c.kind == kind), None)


class DisposableEmail(StrEnum):
    """What becomes of an entry from a disposable (throwaway) e-mail address."""

    ALLOW = "allow"
    """Taken as any other."""
    FLAG = "flag"
    """Taken, and flagged for the auditor."""
    REFUSE = "refuse"
    """Refused at the door with a clear message (an entry brought in is kept, flagged)."""


@dataclass(frozen=True)
class Defences:
    """How the contest keeps out entrants who do not exist: e-mail confirmation (double
    opt-in: an entry unconfirmed at the close does not count), disposable addresses, and the
    proof-of-work challenge the API asks of each entry (the public forms always carry it
    when the deployment turns it on)."""

    confirm_email: bool = False
    disposable_email: DisposableEmail = DisposableEmail.FLAG
    api_challenge: bool = False


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
    sources: tuple[SocialSource, ...] = ()
    """The social networks entries come from; none: only the contest's own form, API and
    files. Left out of the data when empty, so rules written before there were sources keep
    their hash."""
    defences: Defences = field(default_factory=Defences)
    """Left out of the data when they are the defaults, for the same reason."""
    schema: str = SCHEMA

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data (str, int, bool, None, list, dict): the input of canonicalisation."""
        data = _fields_data(self)
        if not self.sources:
            del data["sources"]
        if self.defences == Defences():
            del data["defences"]
        return data


def _fields_data(value: "DataclassInstance") -> dict[str, Any]:
    return {name: _to_data(getattr(value, name)) for name in value.__dataclass_fields__}


def _to_data(value: Any) -> Any:
    if isinstance(value, Condition):
        return {"kind": value.kind.value} | (
            {} if value.at_least is None else {"at_least": value.at_least})
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
