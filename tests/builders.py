"""Builders for tests: a valid rules document with overrides, a contest in the database.

Tests say only what matters to them: ``rules_document(min_age=21)``, or
``make_contest(session, rules=..., now=...)``, or ``make_published(...)`` for the contest
with its rules as the intake takes them.
"""

import dataclasses
import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, select

from contest.canonical import canonical_json
from contest.entries.consent import consent_for
from contest.entries.intake import BROUGHT_IN, Arrival, TakenEntry, take_entries, take_entry
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.seal import seal
from contest.ledger.store import append_event, issue_checkpoint
from contest.models import Channel, Contest, Entry, LogEntry, RulesVersion
from contest.rules.canonical import rules_sha256
from contest.rules.document import (
    Announcement,
    ComplaintChannel,
    Eligibility,
    EntryLimits,
    EntryPeriod,
    Money,
    Party,
    Prize,
    RulesDocument,
    Section,
    SectionKind,
)
from contest.rules.versions import PublishedContest

OPENS = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SIGNER = Signer.generate("127.0.0.1:5000/log")
"""The tests' one log key, named as the app's log is by default: the builders publish and
draw with it, and the test app signs with it too (``tests.fixtures.configured_app``), for the
log signs only leaves sealed under its own key (:mod:`contest.ledger.seal`)."""


def rules_document(
    *,
    opens_at: datetime = OPENS,
    closes_at: datetime | None = None,
    min_age: int = 18,
    max_age: int | None = None,
    countries: tuple[str, ...] = ("RU", "UA", "US"),
    per_person: int = 1,
    per_household: int | None = None,
    per_day: int | None = None,
    winners: int = 3,
    alternates: int = 2,
    language: str = "en",
    **overrides: Any,
) -> RulesDocument:
    closes_at = closes_at or opens_at + timedelta(days=30)
    document = RulesDocument(
        language=language,
        title="Winter giveaway",
        sponsor=Party("Snowfall Foods LLC", "1 Main St, Springfield", "legal@snowfall-foods.com"),
        organiser=Party("Bright Promo Agency", "2 Side St, Springfield", "promo@bright-promo.com"),
        agencies=(Party("Bright Promo Agency"),),
        period=EntryPeriod(
            timezone="UTC", opens_at=opens_at, closes_at=closes_at,
            draw_at=closes_at + timedelta(days=2),
        ),
        eligibility=Eligibility(
            min_age=min_age, legal_min_age=18, max_age=max_age, countries=countries
        ),
        limits=EntryLimits(per_person=per_person, per_household=per_household, per_day=per_day),
        prizes=(Prize("Gift card", winners, Money(Decimal("100.00"), "USD")),),
        winners=winners,
        alternates=alternates,
        announcement=Announcement(notify_by="email", notify_within_days=3),
        complaints=ComplaintChannel(channel="complaints@snowfall-foods.com"),
        sections=(Section(SectionKind.NO_PURCHASE, "No purchase necessary", "Free to enter."),),
    )
    return dataclasses.replace(document, **overrides)


def make_contest(
    session: Session,
    *,
    slug: str = "winter-giveaway",
    rules: RulesDocument | None = None,
    published: bool = True,
    now: datetime = OPENS - timedelta(days=1),
) -> tuple[Contest, RulesVersion | None]:
    """A contest whose draft is ``rules``; published as version 1 unless told otherwise."""
    rules = rules or rules_document()
    contest = Contest(
        slug=slug, language=rules.language, title=rules.title,
        draft_json=canonical_json(rules.to_data()).decode(), created_at=now, updated_at=now,
    )
    session.add(contest)
    session.flush()
    version = None
    if published:
        assert contest.id is not None
        version = RulesVersion(
            contest_id=contest.id, version=1, sha256=rules_sha256(rules),
            canonical_json=canonical_json(rules.to_data()).decode(), published_at=now,
        )
        session.add(version)
        session.flush()
    session.commit()
    return contest, version


def make_published(
    session: Session,
    *,
    slug: str = "winter-giveaway",
    rules: RulesDocument | None = None,
    now: datetime = OPENS - timedelta(days=1),
) -> PublishedContest:
    """A contest published with ``rules`` as version 1, as the intake and imports take it."""
    rules = rules or rules_document()
    contest, version = make_contest(session, slug=slug, rules=rules, now=now)
    assert version is not None
    return PublishedContest(contest, version, rules)


def make_entry(
    session: Session,
    contest: PublishedContest,
    *,
    data: Mapping[str, str | None],
    now: datetime,
    channel: Channel = Channel.FORM,
    idempotency_key: str | None = None,
    language: str = "en",
) -> Entry:
    """The entry ``data`` describes, taken as its ``channel`` takes it (refused entries raise
    their error), read back as stored; a live channel's entrant agrees to the processing of
    their personal data in ``language``."""
    arrival = Arrival(data, channel, now, idempotency_key=idempotency_key, language=language,
                      consent=None if channel in BROUGHT_IN
                      else consent_version(contest.rules, language))
    if arrival.brought_in:  # kept with its reasons, as a file brings it in
        [taken] = take_entries(session, signer=SIGNER, contest=contest, arrivals=[arrival])
        assert isinstance(taken, TakenEntry), taken
    else:
        taken = take_entry(session, signer=SIGNER, contest=contest, arrival=arrival)
    entry = session.get(Entry, taken.id)
    assert entry is not None, "the entry just taken is in this transaction"
    return entry


def consent_version(rules: RulesDocument | None = None, language: str = "en") -> str:
    """The version of the consent to the processing of personal data that an entrant of a
    contest with ``rules`` (the default ones: :func:`rules_document`) agrees to in
    ``language``: what the entry form and an API client send."""
    return consent_for(rules or rules_document(), language).version


def consented(rules: RulesDocument | None = None, language: str = "en") -> dict[str, str]:
    """The field an entry form or an API client sends with an entry: the entrant agreed to
    the processing of their personal data (:func:`consent_version`)."""
    return {"personal_data_consent": consent_version(rules, language)}


def amend_contest(session: Session, contest: Contest, rules: RulesDocument, *,
                  now: datetime = OPENS) -> RulesVersion:
    """Publish ``rules`` as the contest's next version (as an amendment would)."""
    assert contest.id is not None
    newest = max(session.exec(select(RulesVersion.version).where(
        RulesVersion.contest_id == contest.id)).all())
    version = RulesVersion(
        contest_id=contest.id, version=newest + 1, sha256=rules_sha256(rules),
        canonical_json=canonical_json(rules.to_data()).decode(), published_at=now,
        reason="amended",
    )
    session.add(version)
    session.commit()
    return version


def fill_log(session: Session, size: int, *, start: int = 0, now: datetime = OPENS) -> None:
    """Bulk-insert log leaves ``start`` to ``size - 1`` as the log's store holds them (small
    events of a test type), and commit: a big log in seconds, for tiles and proofs."""
    rows = []
    for index in range(start, size):
        leaf = canonical_json({"n": index, "type": "test.filler"})
        rows.append({"leaf_index": index, "leaf": leaf.decode(), "appended_at": now,
                     "leaf_hash": hashlib.sha256(b"\x00" + leaf).hexdigest(),
                     "seal": seal(leaf, SIGNER), "kind": "test.filler"})
    for first in range(0, len(rows), 10_000):
        session.execute(insert(LogEntry), rows[first:first + 10_000])
    session.commit()


def log_publication(session: Session, contest: Contest, version: RulesVersion,
                    signer: Signer | None = None) -> None:
    """Append the ``rules.published`` (or ``rules.amended``) event that publishing appends,
    for a version the builders stored directly; with ``signer``, a checkpoint over it too.
    ``contest log verify`` refuses a version the log never published."""
    append_event(session, event=events.rules_published(
        contest=contest.slug, version=version.version, rules_sha256=version.sha256,
        reason=version.reason_code, at=version.published_at), now=version.published_at,
        signer=signer or SIGNER)
    if signer is not None:
        issue_checkpoint(session, signer=signer, now=version.published_at)
    session.commit()
