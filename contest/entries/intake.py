"""Taking one entry from the web form or the JSON API.

The entry moment is the server's ``now``: outside the entry period the entry is refused and
nothing is stored. Inside it, the entry is stored even when ineligible, with its reason codes.
A repeated idempotency key for the same contest returns the entry already stored, also when
two requests race: the database's unique (contest, idempotency key) constraint decides, and
the loser reads the winner's row.

Entries of one person or household are taken one at a time, so that the limits of the later
one see the earlier: PostgreSQL advisory locks on the person's keys, held to the end of the
transaction (in lock-id order, so two intakes never wait for each other in a circle). SQLite
lets one writer at a time anyway.
"""

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from contest.entries.eligibility import People, apply_limits, local_day, static_reasons
from contest.entries.submission import Submission, parse_submission
from contest.entries.tickets import new_ticket
from contest.errors import ContestError, EntryRejected, FieldError
from contest.i18n import N_
from contest.models import Channel, Contest, Entry, RulesVersion
from contest.rules.document import RulesDocument

TICKET_ATTEMPTS = 3


def idempotency_limit() -> int:
    length = Entry.__table__.c["idempotency_key"].type.length  # type: ignore[attr-defined]
    assert isinstance(length, int)
    return length


def default_country(rules: RulesDocument) -> str | None:
    """The region for phones without a country code: the contest's only allowed country."""
    countries = rules.eligibility.countries
    return countries[0] if len(countries) == 1 else None


def submit_entry(
    session: Session,
    *,
    contest: Contest,
    version: RulesVersion,
    rules: RulesDocument,
    data: Mapping[str, str | None],
    channel: Channel,
    idempotency_key: str | None,
    now: datetime,
    language: str = "en",
    actor_id: int | None = None,
) -> Entry:
    """Store the entry ``data`` describes, made at ``now`` under ``version`` of the rules.

    Returns the stored entry (eligible or not), or the one stored earlier under the same
    ``idempotency_key``. Raises :class:`EntryRejected` for invalid fields, an over-long key,
    or a contest that is not open at ``now``. Flushes; the caller commits.
    """
    return take_entry(session, contest=contest, version=version, rules=rules, data=data,
                      channel=channel, idempotency_key=idempotency_key, now=now,
                      language=language, actor_id=actor_id)[0]


def take_entry(
    session: Session,
    *,
    contest: Contest,
    version: RulesVersion,
    rules: RulesDocument,
    data: Mapping[str, str | None],
    channel: Channel,
    idempotency_key: str | None,
    now: datetime,
    language: str = "en",
    actor_id: int | None = None,
) -> tuple[Entry, bool]:
    """:func:`submit_entry`, also saying whether the entry is new (``False``: the one stored
    earlier under the same idempotency key)."""
    assert contest.id is not None and version.contest_id == contest.id, "version of contest"
    if idempotency_key is not None:
        if len(idempotency_key) > idempotency_limit():
            raise EntryRejected(N_("the entry has {count} errors"), [FieldError(
                "idempotency_key", "too_long",
                N_("is {length} characters long, at most {max} are allowed"),
                {"length": len(idempotency_key), "max": idempotency_limit()},
            )])
        existing = find_by_idempotency_key(session, contest_id=contest.id, key=idempotency_key)
        if existing is not None:
            return existing, False
    _check_open(rules, now)
    submission = parse_submission(
        data, default_country=default_country(rules), today=local_day(rules, now)
    )
    reasons = static_reasons(rules, submission, now)
    key = idempotency_key or f"auto:{secrets.token_hex(16)}"
    _one_at_a_time(session, contest.id, submission)
    insert_entry = _insert_unless_taken(session)
    for attempt in range(1, TICKET_ATTEMPTS + 1):
        stored = session.scalars(insert_entry.values(
            contest_id=contest.id, ticket=new_ticket(), rules_version_id=version.id,
            rules_sha256=version.sha256, channel=channel.value, idempotency_key=key,
            source_entry_id=submission.entry_id, submitted_at=now, received_at=now,
            language=language, full_name=submission.full_name, email=submission.email,
            email_key=submission.email_key, phone=submission.phone,
            birth_date=submission.birth_date, address=submission.address,
            city=submission.city, postal_code=submission.postal_code,
            country=submission.country, household_key=submission.household_key,
            ip=submission.ip, device_id=submission.device_id,
            social_handle=submission.social_handle, eligible=not reasons,
            reasons=",".join(reasons), created_by_id=actor_id,
        ).returning(Entry)).first()
        if stored is None:
            # Either a concurrent request stored this key first, or (about never) the ticket
            # collided; nothing was written and the transaction goes on.
            existing = find_by_idempotency_key(session, contest_id=contest.id, key=key)
            if existing is not None:
                return existing, False
            if attempt == TICKET_ATTEMPTS:
                raise ContestError(N_("no free ticket after {attempts} attempts"),
                                   {"attempts": attempt})
            continue
        entry = stored
        changed = apply_limits(session, contest_id=contest.id, rules=rules,
                               people=People.of([submission]))
        if changed:
            session.refresh(entry, ["eligible", "reasons"])
        return entry, True
    raise AssertionError("unreachable: the last attempt returns or raises")


def _insert_unless_taken(session: Session) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING``: one statement where a savepoint, the insert and
    its release were three round trips (the ticket and the idempotency key are unique)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql_insert(Entry).on_conflict_do_nothing()
    return sqlite_insert(Entry).on_conflict_do_nothing()


def _one_at_a_time(session: Session, contest_id: int, submission: Submission) -> None:
    """Wait for any concurrent intake of the same person or household (PostgreSQL)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    names = {f"{contest_id}:{kind}:{value}" for kind, value in (
        ("email", submission.email_key), ("phone", submission.phone),
        ("household", submission.household_key)) if value}
    locks = sorted(int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big",
                                  signed=True) for name in names)
    if locks:  # one round trip, taken in order
        session.execute(text("SELECT count(pg_advisory_xact_lock(lock)) FROM (SELECT "
                             "unnest(CAST(:locks AS bigint[])) AS lock ORDER BY 1) AS wanted"),
                        {"locks": locks})


def find_by_idempotency_key(session: Session, *, contest_id: int, key: str) -> Entry | None:
    statement = select(Entry).where(Entry.contest_id == contest_id, Entry.idempotency_key == key)
    return session.exec(statement).first()


def _check_open(rules: RulesDocument, now: datetime) -> None:
    period = rules.period
    if now < period.opens_at:
        raise EntryRejected(N_("the entry has {count} errors"), [FieldError(
            "contest", "not_open_yet", N_("the contest opens at {opens_at}; it is now {now}"),
            {"opens_at": period.opens_at.isoformat(), "now": now.isoformat()},
        )])
    if now >= period.closes_at:
        raise EntryRejected(N_("the entry has {count} errors"), [FieldError(
            "contest", "closed", N_("the contest closed at {closes_at}; it is now {now}"),
            {"closes_at": period.closes_at.isoformat(), "now": now.isoformat()},
        )])
