"""Contests, drafts and published rules versions, on SQLite and PostgreSQL."""

import dataclasses
import json
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from contest.canonical import canonical_json
from contest.errors import InvalidInput, NotFound, RulesFrozen, RulesInvalid
from contest.models import AuditRecord, Contest, LogEntry, RulesVersion, User
from contest.rules.canonical import rules_sha256
from contest.rules.parse import parse_rules
from contest.rules.publishing import (
    create_contest,
    draft_data,
    find_contest,
    is_published,
    list_contests,
    publish,
    published_versions,
    save_draft,
)
from contest.rules.status import ContestStatus
from contest.rules.versions import find_published, load_rules, published_contest
from tests.builders import OPENS, SIGNER, make_entry, rules_document

BEFORE = OPENS - timedelta(days=3)
AFTER = OPENS + timedelta(days=1)


@pytest.fixture
def marketer(session: Session) -> int:
    user = User(email="m@example.com", name="Marketer", role="marketer", password_hash="x",
                created_at=BEFORE)
    session.add(user)
    session.flush()
    assert user.id is not None
    return user.id


def new_contest(session: Session, actor: int | None, slug: str = "winter-giveaway") -> Contest:
    return create_contest(session, slug=slug, language="en", title="Winter giveaway",
                          actor_id=actor, now=BEFORE, draft=rules_document().to_data())


def actions(session: Session) -> list[str]:
    return [row.action for row in session.exec(select(AuditRecord).order_by(AuditRecord.id))]


def test_create_contest_stores_the_starter_draft_and_audits(
    session: Session, marketer: int
) -> None:
    contest = create_contest(session, slug="spring-2027", language="ru", title="Весна",
                             actor_id=marketer, now=BEFORE)
    session.commit()
    found = find_contest(session, "spring-2027")
    assert found.id == contest.id
    assert found.language == "ru" and found.title == "Весна"
    assert parse_rules(draft_data(found)).period.timezone == "Europe/Moscow"
    assert find_published(session, found) is None
    assert find_published(session, "spring-2027") is None
    audit = session.exec(select(AuditRecord)).one()
    assert (audit.action, audit.subject, audit.actor_id) == (
        "contest.create", "contest:spring-2027", marketer
    )


@pytest.mark.parametrize("slug", ["ab", "-winter", "winter-", "Winter", "winter_giveaway",
                                  "зима", "a" * 81])
def test_create_contest_rejects_a_bad_slug(session: Session, slug: str) -> None:
    with pytest.raises(InvalidInput, match="slug: must be 3 to 80 lowercase") as raised:
        create_contest(session, slug=slug, language="en", title="T", actor_id=None, now=BEFORE)
    assert [error.code for error in raised.value.errors] == ["invalid_slug"]


def test_create_contest_accepts_slugs_at_the_length_limits(session: Session) -> None:
    for slug in ("abc", "a" * 80, "2027-winter-9"):
        create_contest(session, slug=slug, language="en", title="T", actor_id=None, now=BEFORE)
    assert len(session.exec(select(Contest)).all()) == 3


def test_create_contest_rejects_a_taken_slug_and_other_fields_at_once(
    session: Session, marketer: int
) -> None:
    new_contest(session, marketer)
    with pytest.raises(InvalidInput, match="the contest has 3 errors") as raised:
        create_contest(session, slug="winter-giveaway", language="fr", title=" ",
                       actor_id=marketer, now=BEFORE)
    assert [(error.field, error.code) for error in raised.value.errors] == [
        ("slug", "slug_taken"), ("language", "invalid_choice"), ("title", "required"),
    ]


def test_find_contest_raises_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="no contest nowhere"):
        find_contest(session, "nowhere")


def test_the_public_sees_a_contest_only_once_it_is_published(session: Session,
                                                            marketer: int) -> None:
    contest = new_contest(session, marketer)
    assert contest.id is not None and not is_published(session, contest.id)
    with pytest.raises(NotFound, match="no contest winter-giveaway"):
        published_contest(session, "winter-giveaway")
    version = publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=BEFORE)
    assert is_published(session, contest.id)
    found = published_contest(session, "winter-giveaway")
    assert (found.contest.id, found.version.id, found.rules) == (
        contest.id, version.id, rules_document())
    assert find_published(session, contest) == find_published(session, "winter-giveaway")
    with pytest.raises(NotFound, match="no contest nowhere"):
        published_contest(session, "nowhere")


def test_save_draft_keeps_an_invalid_draft_and_returns_its_errors(
    session: Session, marketer: int
) -> None:
    contest = new_contest(session, marketer)
    draft = rules_document(title="Winter giveaway 2027").to_data()
    draft["winners"] = 0
    draft["language"] = "ru"
    errors = save_draft(session, contest=contest, draft=draft, actor_id=marketer, now=AFTER)
    session.commit()
    assert [(error.field, error.code) for error in errors] == [
        ("winners", "too_small"), ("prizes", "prize_count_mismatch"),
    ]
    stored = find_contest(session, "winter-giveaway")
    assert draft_data(stored) == draft
    assert (stored.title, stored.language) == ("Winter giveaway 2027", "ru")
    assert stored.updated_at == AFTER and stored.updated_by_id == marketer
    assert actions(session) == ["contest.create", "rules.save_draft"]
    with pytest.raises(RulesInvalid,
                       match="winners: must be a whole number from 1 to 1000000, got 0"):
        publish(session, signer=SIGNER, contest=stored, actor_id=marketer, now=AFTER)


def test_first_publish_is_version_one_with_the_canonical_hash(
    session: Session, marketer: int
) -> None:
    contest = new_contest(session, marketer)
    version = publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=BEFORE)
    session.commit()
    rules = rules_document()
    assert version.version == 1
    assert version.sha256 == rules_sha256(rules)
    assert version.canonical_json == canonical_json(rules.to_data()).decode()
    assert (version.published_at, version.published_by_id, version.reason) == (
        BEFORE, marketer, ""
    )
    assert load_rules(version) == rules
    current = find_published(session, contest)
    assert current is not None and current.version.id == version.id and current.rules == rules
    audit = session.exec(select(AuditRecord).where(AuditRecord.action == "rules.publish")).one()
    assert json.loads(audit.detail) == {"reason": "", "note": "", "sha256": version.sha256,
                                        "version": 1}


def amend(session: Session, contest: Contest, actor: int, **changes: object) -> None:
    save_draft(session, contest=contest, draft=rules_document(**changes).to_data(),
               actor_id=actor, now=BEFORE)


def test_amending_before_opening_needs_no_reason(session: Session, marketer: int) -> None:
    contest = new_contest(session, marketer)
    publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=BEFORE)
    amend(session, contest, marketer, min_age=21, opens_at=OPENS + timedelta(hours=1))
    second = publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=BEFORE)
    session.commit()
    assert second.version == 2 and second.reason == ""
    assert [v.version for v in published_versions(session, contest)] == [1, 2]
    assert load_rules(second).eligibility.min_age == 21


def test_amending_after_opening_needs_a_reason_code(session: Session, marketer: int) -> None:
    contest = new_contest(session, marketer)
    publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=BEFORE)
    amend(session, contest, marketer, closes_at=OPENS + timedelta(days=45))
    with pytest.raises(InvalidInput, match="reason: the contest opened at") as raised:
        publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=AFTER)
    assert [error.code for error in raised.value.errors] == ["reason_required"]
    with pytest.raises(InvalidInput, match="reason: the contest opened at"):
        publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=OPENS, reason="   ")
    with pytest.raises(InvalidInput, match="reason: must be one of correction") as raised:
        publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=AFTER,
                reason="Extended after a site outage")
    assert [error.code for error in raised.value.errors] == ["invalid_choice"]

    second = publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=AFTER,
                     reason="extension", note="Extended after a site outage")
    session.commit()
    assert (second.version, second.reason_code, second.reason) == (
        2, "extension", "Extended after a site outage")
    current = find_published(session, contest)
    assert current is not None and current.version.id == second.id
    assert current.rules.period.closes_at == OPENS + timedelta(days=45)
    versions = published_versions(session, contest)
    assert [(v.version, v.sha256 != versions[0].sha256) for v in versions] == [
        (1, False), (2, True)
    ]
    # The public log carries the code; the marketer's words stay in the audit trail.
    leaf = json.loads(session.exec(select(LogEntry).order_by(LogEntry.leaf_index.desc())
                                   ).first().leaf)
    assert (leaf["type"], leaf["reason"]) == ("rules.amended", "extension")
    audit = session.exec(select(AuditRecord).where(AuditRecord.action == "rules.publish")
                         .order_by(AuditRecord.id.desc())).first()
    assert json.loads(audit.detail)["note"] == "Extended after a site outage"


def test_the_opening_time_cannot_move_once_open(session: Session, marketer: int) -> None:
    contest = new_contest(session, marketer)
    publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=BEFORE)
    amend(session, contest, marketer, opens_at=OPENS + timedelta(days=2),
          closes_at=OPENS + timedelta(days=30))
    with pytest.raises(InvalidInput, match="opening time cannot move") as raised:
        publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=AFTER,
                reason="schedule")
    assert [(e.field, e.code) for e in raised.value.errors] == [
        ("period.opens_at", "opens_at_frozen")
    ]
    assert [v.version for v in published_versions(session, contest)] == [1]


def test_publishing_unchanged_rules_is_refused(session: Session, marketer: int) -> None:
    contest = new_contest(session, marketer)
    publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=BEFORE)
    with pytest.raises(InvalidInput, match="the same as published version 1") as raised:
        publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=AFTER,
                reason="correction")
    assert [(e.field, e.code) for e in raised.value.errors] == [("rules", "unchanged")]


def test_a_published_version_cannot_be_updated_or_deleted(
    session: Session, marketer: int
) -> None:
    contest = new_contest(session, marketer)
    version = publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=BEFORE)
    session.commit()
    version.reason = "rewritten history"
    session.add(version)
    with pytest.raises(RulesFrozen, match="published rules version 1 cannot be changed"):
        session.flush()
    session.rollback()
    session.delete(session.get(RulesVersion, version.id))
    with pytest.raises(RulesFrozen, match="cannot be changed"):
        session.flush()
    session.rollback()
    stored = session.exec(select(RulesVersion)).one()
    assert stored.reason == "" and stored.sha256 == rules_sha256(rules_document())


def add_entries(session: Session, contest: Contest, count: int) -> None:
    """``count`` entries taken through the form under the contest's current rules."""
    current = find_published(session, contest)
    assert current is not None
    for number in range(count):
        make_entry(session, current, now=AFTER, data={
            "full_name": f"Entrant {number}", "birth_date": "1990-01-01", "country": "RU",
            "email": f"entrant{number}.v{current.version.version}@example.com"})


def test_list_contests_shows_status_counts_and_hash(session: Session, marketer: int) -> None:
    new_contest(session, marketer, slug="c-draft")
    scheduled = new_contest(session, marketer, slug="b-scheduled")
    publish(session, signer=SIGNER, contest=scheduled, actor_id=marketer, now=BEFORE)
    running = new_contest(session, marketer, slug="a-open")
    publish(session, signer=SIGNER, contest=running, actor_id=marketer, now=BEFORE)
    add_entries(session, running, 2)
    amend(session, running, marketer, alternates=5)
    latest = publish(session, signer=SIGNER, contest=running, actor_id=marketer, now=BEFORE)
    add_entries(session, running, 1)
    session.commit()
    # Rules that open later than the others make "b-scheduled" still scheduled at AFTER.
    save_draft(session, contest=scheduled, actor_id=marketer, now=BEFORE,
               draft=rules_document(opens_at=OPENS + timedelta(days=5)).to_data())
    publish(session, signer=SIGNER, contest=scheduled, actor_id=marketer, now=BEFORE)
    session.commit()

    summaries = list_contests(session, now=AFTER)
    assert [(s.slug, s.status, s.entry_count) for s in summaries] == [
        ("a-open", ContestStatus.OPEN, 3),
        ("b-scheduled", ContestStatus.SCHEDULED, 0),
        ("c-draft", ContestStatus.DRAFT, 0),
    ]
    assert summaries[0].rules_sha256 == latest.sha256
    assert summaries[0].opens_at == OPENS
    assert summaries[1].opens_at == OPENS + timedelta(days=5)
    assert (summaries[2].rules_sha256, summaries[2].opens_at, summaries[2].closes_at) == (
        None, None, None
    )
    closed = list_contests(session, now=OPENS + timedelta(days=60))
    assert [s.status for s in closed] == [
        ContestStatus.CLOSED, ContestStatus.CLOSED, ContestStatus.DRAFT
    ]


def test_publish_takes_title_and_language_from_the_rules(
    session: Session, marketer: int
) -> None:
    contest = create_contest(session, slug="renamed", language="en", title="Old title",
                             actor_id=marketer, now=BEFORE,
                             draft=dataclasses.replace(rules_document(), title="New").to_data())
    publish(session, signer=SIGNER, contest=contest, actor_id=marketer, now=BEFORE)
    assert find_contest(session, "renamed").title == "New"
