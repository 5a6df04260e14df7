"""Whether an entry counts, and if not, why: reason codes kept on the entry.

Two kinds of reasons. *Static* reasons depend only on the entry and the rules it was taken
under (the entry moment, the entrant's age at that moment, the country) and are decided once,
at intake. *Limit* reasons depend on the other entries of the contest: when a person, a
household or a person on one day has more entries than the rules allow, the earliest entries
(by ``submitted_at``, then id) count and the later ones get the limit reason.
:func:`apply_limits` recomputes those after every intake or import, so a CSV row that is
earlier than an entry already stored takes its place.

A person is who :mod:`contest.identity.ties` says, as for the fraud scan's duplicate
detector: entries sharing a mailbox (``email_key``: ``a+2@gmail.com``, ``A.@googlemail.com``
and ``a@gmail.com`` are one), a phone (:func:`~contest.identity.phone_key`: not a
placeholder such as ``+7 916 000-00-00``) or a social account (``account``: ``vk:123456``,
whether the entry came by the form or was read from VK), transitively, whatever names are
written with them; a household is one ``household_key`` (the building and flat). A shared
device is a signal the limits never count: the scan flags it for the auditor, and the
receipt shows it only once the auditor confirms the flag. Since the earliest entries count,
someone who enters first with another person's address or phone uses up that person's allowance, and
the owner's later entry is the one over the limit (and the scan's duplicate of the first),
whichever spelling of the address either of them wrote; the owner's receipt says so at
once. That is inherent to limits per person on contacts nobody verifies. An entry excluded
by the auditor uses up no allowance (:func:`contest.fraud.review.decide`), so the other
person's entry counts again if the first is excluded; :func:`set_aside` tells the scan
which entries use up none.

An ineligible entry is never dropped: it keeps its reason codes, a list in
``Entry.reasons`` (a confirmed fraud flag adds its kind to them); ``Entry.eligible`` says
whether the list is empty, for the freeze's index. This module writes both, always
together (:func:`verdict`, :func:`exclude`), and the database refuses a row where they
disagree. The public record (the freeze's event, the draw bundle) lists an entry's codes in
the order :func:`reason_codes` keeps them (comma-separated: see
:class:`contest.models.ExcludedTicket`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, any_, bindparam, literal_column, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session

from contest.db import planned_each_time
from contest.entries.requirements import entry_requirements
from contest.entries.submission import Submission
from contest.errors import FieldError
from contest.i18n import N_
from contest.identity import one_person, person_keys, person_phone_key
from contest.models import Entry, table_of
from contest.rules.document import RulesDocument


class Reason(StrEnum):
    """Why an entry does not count; the value is one of ``Entry.reasons``."""

    OUTSIDE_PERIOD = "outside_period"
    SUBMITTED_IN_FUTURE = "submitted_in_future"
    UNDER_AGE = "under_age"
    OVER_AGE = "over_age"
    AGE_UNKNOWN = "age_unknown"
    COUNTRY_UNKNOWN = "country_unknown"
    COUNTRY_NOT_ALLOWED = "country_not_allowed"
    REGION_NOT_ALLOWED = "region_not_allowed"
    PERSON_LIMIT = "person_limit"
    HOUSEHOLD_LIMIT = "household_limit"
    DAILY_LIMIT = "daily_limit"
    MOMENT_UNKNOWN = "moment_unknown"
    """An entry brought in whose moment could not be read: whether it came in the entry
    period cannot be told."""
    CONTACT_UNKNOWN = "contact_unknown"
    """An entry brought in with a name but no e-mail, phone or account to reach them by."""
    CONDITION_UNMET = "condition_unmet"
    """An entry read from a social network whose entrant did not meet a condition of the
    rules there (not a member of the community, a comment tagging too few friends) when it
    was read (:mod:`contest.sources.reading`)."""
    UNCONFIRMED = "unconfirmed"
    """An entry whose entrant was asked to confirm their e-mail address (the rules'
    ``defences.confirm_email``) and had not when the entries closed
    (:mod:`contest.entries.confirmation`)."""


LIMIT_REASONS = frozenset({Reason.PERSON_LIMIT, Reason.HOUSEHOLD_LIMIT, Reason.DAILY_LIMIT})
_ORDER = {reason.value: index for index, reason in enumerate(Reason)}


def age_on(born: date, day: date) -> int:
    """Completed years on ``day``. Someone born on 29 February has a birthday on 1 March in
    common years: the conservative reading, which never admits an entrant a day early."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def local_day(rules: RulesDocument, moment: datetime) -> date:
    """The calendar day of ``moment`` in the rules' time zone."""
    return moment.astimezone(ZoneInfo(rules.period.timezone)).date()


def static_reasons(rules: RulesDocument, submission: Submission, moment: datetime,
                   received_at: datetime | None = None, *,
                   confirmed_at_claim: bool = False) -> list[Reason]:
    """The reasons an entry made at ``moment`` does not count, other than the limits; an
    entry stamped later than it was ``received_at`` (an imported row) does not count either.

    ``confirmed_at_claim``: an entry from a social network, which gives no birth date or
    country: a missing one is no reason (the winner confirms their age and residence when
    claiming the prize, as the rules say); one given is checked as always.

    Regions (ISO 3166-2) are checked only against the country: the entry columns carry no
    region, so an entry from an allowed country cannot be placed in or out of a region.
    """
    period, eligibility = rules.period, rules.eligibility
    needed = entry_requirements(rules)
    reasons: list[Reason] = []
    if submission.moment_unknown:
        reasons.append(Reason.MOMENT_UNKNOWN)
    elif not period.opens_at <= moment < period.closes_at:
        reasons.append(Reason.OUTSIDE_PERIOD)
    if received_at is not None and moment > received_at:
        reasons.append(Reason.SUBMITTED_IN_FUTURE)
    if submission.contact_unknown:
        reasons.append(Reason.CONTACT_UNKNOWN)  # only brought in: a live entry gives one
    if submission.birth_date is None:
        if needed.birth_date and not confirmed_at_claim:
            reasons.append(Reason.AGE_UNKNOWN)
    else:
        age = age_on(submission.birth_date, local_day(rules, moment))
        if age < eligibility.min_age:
            reasons.append(Reason.UNDER_AGE)
        if eligibility.max_age is not None and age > eligibility.max_age:
            reasons.append(Reason.OVER_AGE)
    if submission.country is None:
        if needed.country and not confirmed_at_claim:
            reasons.append(Reason.COUNTRY_UNKNOWN)
    elif eligibility.countries and submission.country not in eligibility.countries:
        reasons.append(Reason.COUNTRY_NOT_ALLOWED)
    if eligibility.regions and submission.country is not None:
        if submission.country not in {region.split("-")[0] for region in eligibility.regions}:
            reasons.append(Reason.REGION_NOT_ALLOWED)
    return reasons


_REFUSALS: dict[Reason, tuple[str, str, str]] = {
    Reason.AGE_UNKNOWN: ("birth_date", "required", N_(
        "your date of birth is needed: the rules of this contest limit the entrants' age")),
    Reason.UNDER_AGE: ("birth_date", "under_age", N_(
        "the minimum age to enter this contest is {min_age}")),
    Reason.OVER_AGE: ("birth_date", "over_age", N_(
        "the maximum age to enter this contest is {max_age}")),
    Reason.COUNTRY_UNKNOWN: ("country", "required", N_(
        "choose your country: this contest is open only to people living in {places}")),
    Reason.COUNTRY_NOT_ALLOWED: ("country", "country_not_allowed", N_(
        "this contest is open only to people living in {places}")),
    Reason.REGION_NOT_ALLOWED: ("country", "region_not_allowed", N_(
        "this contest is open only to people living in some regions of {places}")),
}
"""The reasons a live channel refuses an entry for rather than store it: who the entrant is
(age, country), by the field that shows it, with the code of its error and its message."""


def refusals(rules: RulesDocument, submission: Submission, moment: datetime, *,
             language: str, confirmed_at_claim: bool = False) -> list[FieldError]:
    """Why the rules exclude the entrant of an entry made at ``moment`` by their age or
    country (or cannot tell, a field they need being left empty): a field error for each
    field, with the limits named in ``language``; none for an entrant who may enter.

    A live channel refuses such an entry before storing anything of it (a child's details
    are not kept); an entry brought in is stored with the reason codes instead.
    """
    needed = entry_requirements(rules)
    params = {"min_age": needed.min_age, "max_age": needed.max_age,
              "places": needed.places(language)}
    errors: dict[str, FieldError] = {}
    for reason in static_reasons(rules, submission, moment,
                                 confirmed_at_claim=confirmed_at_claim):
        if reason in _REFUSALS:
            field, code, message = _REFUSALS[reason]
            errors.setdefault(field, FieldError(field, code, message, params))
    return list(errors.values())


def reason_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """``codes`` as an entry keeps them: each once, in :class:`Reason` order, and codes from
    elsewhere (a confirmed flag's kind) after those, by name."""
    return tuple(sorted({str(code) for code in codes},
                        key=lambda code: (_ORDER.get(code, len(_ORDER)), code)))


def verdict(codes: Iterable[str]) -> dict[str, Any]:
    """What an entry's row holds of the reasons it does not count: the codes (see
    :func:`reason_codes`), and whether it counts, which it does when there are none."""
    reasons = reason_codes(codes)
    return {"eligible": not reasons, "reasons": reasons}


def exclude(entry: Entry, code: str) -> None:
    """Add ``code`` to the reasons ``entry`` does not count (an auditor confirmed a flag)."""
    for column, value in verdict((*entry.reasons, code)).items():
        setattr(entry, column, value)


def set_aside(reasons: Iterable[str]) -> bool:
    """Whether an entry with ``reasons`` is out for something other than its person's limit
    (its age, country or moment, the household or daily limit, an auditor's exclusion): the
    limits do not count it among its person's entries, and it is not over the per-person
    limit either. The fraud scan's duplicate detector skips such entries alike, so that it
    calls an entry a duplicate only where the limits count it as its person's again."""
    codes = set(reasons)
    return bool(codes) and Reason.PERSON_LIMIT not in codes


class Keyed(Protocol):
    """What identifies an entrant to the limits: an entry, or a submission."""

    @property
    def email_key(self) -> str | None: ...

    @property
    def phone(self) -> str | None: ...

    @property
    def household_key(self) -> str | None: ...

    @property
    def account(self) -> str | None: ...


@dataclass(frozen=True)
class EntrantKeys:
    """The e-mail keys, phones, household keys and social accounts of some entrants: whose
    limits to recompute."""

    email_keys: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    household_keys: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, entrants: Iterable[Keyed]) -> "EntrantKeys":
        items = list(entrants)
        return cls(
            frozenset(s.email_key for s in items if s.email_key),
            frozenset(s.phone for s in items if s.phone),
            frozenset(s.household_key for s in items if s.household_key),
            frozenset(s.account for s in items if s.account),
        )


@dataclass(frozen=True, slots=True)  # one for every entry of a contest an import recounts
class LimitFacts:
    """What the limits look at in one stored entry."""

    id: int
    email_key: str | None
    phone: str | None
    household_key: str | None
    submitted_at: datetime
    reasons: tuple[str, ...]
    account: str | None = None
    """Last, with a default: migration 0013 builds these facts from rows without it."""


def apply_limits(
    session: Session,
    *,
    contest_id: int,
    rules: RulesDocument,
    people: EntrantKeys | None = None,
) -> dict[int, tuple[str, ...]]:
    """Recompute the limit reasons of ``people`` (everyone in the contest when ``None``).

    Loads the entries connected to them through a shared email key, phone, social account or
    household (the whole contest when ``people`` is ``None``), walks them from the earliest, and
    updates only the rows whose reasons changed. Returns ``{entry id: reasons}`` for those
    rows (an entry counts when it has none).
    """
    session.flush()
    rows = _load(session, contest_id, people)
    verdicts = limit_verdicts(rules, rows)
    changed = {row.id: verdicts[row.id] for row in rows if verdicts[row.id] != row.reasons}
    if changed:
        table = table_of(Entry)
        statement = (
            update(table).where(table.c.id == bindparam("entry_id"))
            .values(eligible=bindparam("new_eligible"), reasons=bindparam("new_reasons"))
        )
        # In id order, as every intake updates: two never wait for each other's rows in a circle.
        session.connection().execute(statement, [
            {"entry_id": entry_id, **{f"new_{column}": value
                                      for column, value in verdict(reasons).items()}}
            for entry_id, reasons in sorted(changed.items())
        ])
    return changed


def limit_verdicts(rules: RulesDocument,
                   rows: Sequence[LimitFacts]) -> dict[int, tuple[str, ...]]:
    """``{id: reasons}`` for ``rows``, which must hold everyone they are tied to."""
    limits = rules.limits
    person = _people(rows)
    per_person: dict[int, int] = {}
    per_household: dict[str, int] = {}
    per_day: dict[tuple[int, date | None], int] = {}
    verdicts: dict[int, tuple[str, ...]] = {}
    for row in sorted(rows, key=lambda r: (r.submitted_at, r.id)):
        static = [code for code in row.reasons if code not in LIMIT_REASONS]
        if static:
            verdicts[row.id] = reason_codes(static)
            continue
        who = person[row.id]
        day = (who, local_day(rules, row.submitted_at) if limits.per_day else None)
        exceeded: list[str] = []
        if per_person.get(who, 0) >= limits.per_person:
            exceeded.append(Reason.PERSON_LIMIT)
        if limits.per_day is not None and per_day.get(day, 0) >= limits.per_day:
            exceeded.append(Reason.DAILY_LIMIT)
        household = row.household_key
        if (limits.per_household is not None and household is not None
                and per_household.get(household, 0) >= limits.per_household):
            exceeded.append(Reason.HOUSEHOLD_LIMIT)
        if not exceeded:
            per_person[who] = per_person.get(who, 0) + 1
            per_day[day] = per_day.get(day, 0) + 1
            if household is not None:
                per_household[household] = per_household.get(household, 0) + 1
        verdicts[row.id] = reason_codes(exceeded)
    return verdicts


def _people(rows: Sequence[LimitFacts]) -> dict[int, int]:
    """Entry id → person number, by the rule of :mod:`contest.identity.ties`: entries
    sharing an email key, a phone that is not a placeholder or a social account,
    transitively."""
    return one_person((row.id, person_keys(row.email_key, row.phone, account=row.account))
                      for row in rows)


def _load(session: Session, contest_id: int,
          people: EntrantKeys | None) -> list[LimitFacts]:
    if people is None:
        return [LimitFacts(*row) for row in session.connection().execute(
            _everyone(), {"contest_id": contest_id})]
    found: dict[int, LimitFacts] = {}
    # A placeholder phone ties no one (contest.identity.ties): its thousands of holders are
    # not loaded.
    emails, phones, households, accounts = set(people.email_keys), {
        phone for phone in people.phones if person_phone_key(phone, None)}, set(
            people.household_keys), set(people.accounts)
    pending = (set(emails), set(phones), set(households), set(accounts))
    # Widen until closed: a person's other phone, or the mailbox an entry by the form gave
    # with their account, may tie in entries the first query missed.
    connection = session.connection()
    statement = _connected(postgresql=connection.dialect.name == "postgresql")
    while any(pending):
        with planned_each_time(connection):  # see _connected
            records = connection.execute(statement, {
                "contest_id": contest_id, "email_keys": sorted(pending[0]),
                "phones": sorted(pending[1]), "household_keys": sorted(pending[2]),
                "accounts": sorted(pending[3])})
        pending = (set(), set(), set(), set())
        for record in records:
            row = LimitFacts(*record)
            if row.id in found:
                continue
            found[row.id] = row
            phone = row.phone if row.phone and person_phone_key(row.phone, None) else None
            for key, known, todo in ((row.email_key, emails, pending[0]),
                                     (phone, phones, pending[1]),
                                     (row.household_key, households, pending[2]),
                                     (row.account, accounts, pending[3])):
                if key is not None and key not in known:
                    known.add(key)
                    todo.add(key)
    return list(found.values())


def _facts() -> Select[Any]:
    """The columns of :class:`LimitFacts`, in its order."""
    c = table_of(Entry).c
    return select(c.id, c.email_key, c.phone, c.household_key, c.submitted_at, c.reasons,
                  c.account)


@cache
def _everyone() -> Select[Any]:
    """The facts the limits need of every entry of ``contest_id``."""
    c = table_of(Entry).c
    return _facts().where(c.contest_id == bindparam("contest_id"))


@cache
def _connected(*, postgresql: bool) -> Select[Any]:
    """The facts of the entries of ``contest_id`` with one of these email keys, phones,
    households or social accounts (built once: the intake asks it for every entry).

    The lookup goes through the key columns' own indexes, and the contest is only a filter:
    ``contest_id + 0`` keeps the planner from using an index on the contest. With the contest
    usable, a planner that believes the contest small (a new contest, not yet in the table's
    statistics) reads the whole contest through its index and filters the keys, which costs
    more with every entry. Filtering by contest costs one row per entry of the same person
    or household in other contests. Accounts are the exception: their index is the
    contest's and the account's (``ix_entries_contest_account``, one account enters a
    contest once), so their branch names the contest plainly, for that index to serve it.

    PostgreSQL takes each list as one array parameter, so the statement's text never
    changes; SQLite gets ``IN``. It is planned for its keys each time
    (:func:`~contest.db.planned_each_time`), not prepared: prepared while the table held a
    few entries, PostgreSQL kept a plan that read the whole table for every entry taken, as
    long as the server ran (until the table's statistics were gathered anew).
    """
    c = table_of(Entry).c

    def one_of(column: Any, name: str) -> Any:
        if postgresql:
            return column == any_(bindparam(name, type_=ARRAY(column.type)))
        return column.in_(bindparam(name, expanding=True))

    return _facts().where(
        c.contest_id + literal_column("0") == bindparam("contest_id"),
        or_(*(one_of(column, name) for column, name in (
            (c.email_key, "email_keys"), (c.phone, "phones"),
            (c.household_key, "household_keys"))),
            and_(c.contest_id == bindparam("contest_id"), one_of(c.account, "accounts"))))
