"""Contests, their working drafts, and the published rules versions entrants rely on.

A draft may be saved while invalid; publishing parses it, hashes its canonical JSON
(RFC 8785, see :mod:`contest.rules.canonical`) and adds a new, never-changing
:class:`RulesVersion`. Once entries have opened, an amendment needs a stated reason and may
not move the opening time. Every state change writes an audit record; callers commit.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from contest import audit
from contest.errors import FieldError, InvalidInput, NotFound, RulesInvalid
from contest.i18n import N_
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import append_event, issue_checkpoint
from contest.models import Contest, DrawRecord, Entry, RulesVersion
from contest.rules.canonical import canonical_json, rules_sha256
from contest.rules.document import RulesDocument
from contest.rules.parse import RULES_LANGUAGES, one_line_errors, parse_rules
from contest.rules.starter import starter_rules
from contest.rules.status import ContestStatus, contest_status

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,78}[a-z0-9]")
TITLE_MAX = 200


@dataclass(frozen=True)
class ContestSummary:
    """One line of the contest list."""

    slug: str
    title: str
    language: str
    status: ContestStatus
    entry_count: int
    rules_sha256: str | None
    opens_at: datetime | None
    closes_at: datetime | None


def create_contest(
    session: Session,
    *,
    slug: str,
    language: str,
    title: str,
    actor_id: int | None,
    now: datetime,
    draft: Mapping[str, Any] | None = None,
) -> Contest:
    """A new contest with ``draft`` (by default :func:`starter_rules`) as its working rules."""
    errors: list[FieldError] = []
    if not _SLUG.fullmatch(slug):
        errors.append(FieldError(
            "slug", "invalid_slug",
            N_("must be 3 to 80 lowercase letters, digits and hyphens, not starting or "
               "ending with a hyphen, got {value}"),
            {"value": slug},
        ))
    elif session.exec(select(Contest.id).where(Contest.slug == slug)).first() is not None:
        errors.append(FieldError("slug", "slug_taken",
                                 N_("a contest with the address {slug} already exists"),
                                 {"slug": slug}))
    if language not in RULES_LANGUAGES:
        errors.append(FieldError("language", "invalid_choice",
                                 N_("must be one of {choices}, got {value}"),
                                 {"choices": ", ".join(RULES_LANGUAGES), "value": language}))
    errors.extend(_title_errors(title))
    draft_json = ""
    if not errors:
        rules = starter_rules(language=language, title=title, now=now) if draft is None else draft
        draft_json, draft_error = _draft_json(rules)
        if draft_error is not None:
            errors.append(draft_error)
    if errors:
        raise InvalidInput(N_("the contest has {count} errors"), errors)
    contest = Contest(
        slug=slug, language=language, title=title, draft_json=draft_json,
        created_at=now, created_by_id=actor_id, updated_at=now, updated_by_id=actor_id,
    )
    session.add(contest)
    audit.record(session, actor_id=actor_id, action="contest.create", subject=_subject(contest),
                 now=now, detail={"language": language, "title": title})
    session.flush()
    return contest


def find_contest(session: Session, slug: str) -> Contest:
    contest = session.exec(select(Contest).where(Contest.slug == slug)).first()
    if contest is None:
        raise NotFound(N_("no contest {slug}"), {"slug": slug})
    return contest


def contest_with_rules(session: Session, slug: str) -> tuple[
        Contest, tuple[RulesVersion, RulesDocument] | None]:
    """The contest and its current rules (as :func:`current_rules`) in one query: the entry
    API asks for both on every entry."""
    row = session.exec(
        select(Contest, RulesVersion)
        .join(RulesVersion, col(RulesVersion.contest_id) == Contest.id, isouter=True)
        .where(Contest.slug == slug).order_by(col(RulesVersion.version).desc()).limit(1)
    ).first()
    if row is None:
        raise NotFound(N_("no contest {slug}"), {"slug": slug})
    contest, version = row
    return contest, None if version is None else (version, load_rules(version))


class CurrentRulesCache:
    """Each contest's newest published rules, kept in one process's memory for the entry API,
    which would otherwise read them for every entry.

    A contest keeps its id and slug, and a published version never changes, so a kept one can
    only fall behind a newer version: ``take_entry(only_if_current=True)`` notices that in its
    insert and raises :class:`~contest.errors.RulesChanged`, and the caller then calls
    :meth:`forget`. Unpublished contests are not kept. The rows kept are detached from the
    session that read them and only read afterwards, by any thread.
    """

    def __init__(self, size: int = 1000) -> None:
        self.size = size
        self._kept: dict[str, tuple[Contest, RulesVersion, RulesDocument]] = {}

    def get(self, session: Session, slug: str) -> tuple[
            Contest, tuple[RulesVersion, RulesDocument] | None]:
        """As :func:`contest_with_rules`, from memory once a version is published."""
        kept = self._kept.get(slug)
        if kept is not None:
            return kept[0], (kept[1], kept[2])
        contest, found = contest_with_rules(session, slug)
        if found is not None:
            session.expunge(contest)  # a rollback of this session must not expire them
            session.expunge(found[0])
            if len(self._kept) >= self.size:
                self._kept.clear()
            self._kept[slug] = (contest, *found)
        return contest, found

    def forget(self, slug: str) -> None:
        self._kept.pop(slug, None)


def draft_data(contest: Contest) -> dict[str, Any]:
    """The working draft of the rules as plain JSON data."""
    data: dict[str, Any] = json.loads(contest.draft_json)
    return data


def save_draft(
    session: Session,
    *,
    contest: Contest,
    draft: Mapping[str, Any],
    actor_id: int | None,
    now: datetime,
) -> list[FieldError]:
    """Store ``draft`` even when invalid; returns its validation errors for display.

    The contest's title and language follow the draft's when those are usable.
    """
    draft_json, draft_error = _draft_json(draft)
    if draft_error is not None:
        raise InvalidInput(N_("the draft has {count} errors"), [draft_error])
    try:
        parse_rules(draft)
        errors: list[FieldError] = []
    except RulesInvalid as invalid:
        errors = list(invalid.errors)
    title = draft.get("title")
    if isinstance(title, str) and not _title_errors(title):
        contest.title = title
    language = draft.get("language")
    if isinstance(language, str) and language in RULES_LANGUAGES:
        contest.language = language
    contest.draft_json = draft_json
    contest.updated_at = now
    contest.updated_by_id = actor_id
    session.add(contest)
    audit.record(session, actor_id=actor_id, action="rules.save_draft",
                 subject=_subject(contest), now=now, detail={"errors": len(errors)})
    session.flush()
    return errors


def publish(
    session: Session,
    *,
    contest: Contest,
    actor_id: int | None,
    now: datetime,
    signer: Signer,
    reason: str = "",
) -> RulesVersion:
    """Publish the draft as the next rules version, on the public log too.

    Raises :class:`RulesInvalid` for an invalid draft, and :class:`InvalidInput` when the
    draft is the current version unchanged, or when it amends rules that have already opened
    without a ``reason`` or by moving the opening time.
    """
    rules = parse_rules(draft_data(contest))
    sha256 = rules_sha256(rules)
    current = current_rules(session, contest)
    if current is not None:
        version, published = current
        if version.sha256 == sha256:
            raise InvalidInput(N_("cannot publish: {count} errors"), [FieldError(
                "rules", "unchanged",
                N_("the draft is the same as published version {version}"),
                {"version": version.version},
            )])
        if published.period.opens_at <= now:
            _check_amendment(published, rules, reason)
    number = 1 if current is None else current[0].version + 1
    assert contest.id is not None, "a contest is flushed before it is published"
    row = RulesVersion(
        contest_id=contest.id, version=number, sha256=sha256,
        canonical_json=canonical_json(rules.to_data()).decode(), reason=reason,
        published_at=now, published_by_id=actor_id,
    )
    session.add(row)
    if (contest.title, contest.language) != (rules.title, rules.language):
        contest.title, contest.language = rules.title, rules.language
        contest.updated_at, contest.updated_by_id = now, actor_id
        session.add(contest)
    audit.record(session, actor_id=actor_id, action="rules.publish", subject=_subject(contest),
                 now=now, detail={"version": number, "sha256": sha256, "reason": reason})
    session.flush()
    append_event(session, event=events.rules_published(
        contest=contest.slug, version=number, rules_sha256=sha256, reason=reason, at=now),
        now=now)
    issue_checkpoint(session, signer=signer, now=now)
    return row


def _check_amendment(published: RulesDocument, amended: RulesDocument, reason: str) -> None:
    """Entries have been taken under ``published``: say why, and keep the opening time."""
    errors: list[FieldError] = []
    if not reason.strip():
        errors.append(FieldError(
            "reason", "reason_required",
            N_("the contest opened at {opens_at}; say why the rules change"),
            {"opens_at": published.period.opens_at.isoformat()},
        ))
    if amended.period.opens_at != published.period.opens_at:
        errors.append(FieldError(
            "period.opens_at", "opens_at_frozen",
            N_("the contest already opened at {opens_at}; the opening time cannot move to "
               "{new_opens_at}"),
            {"opens_at": published.period.opens_at.isoformat(),
             "new_opens_at": amended.period.opens_at.isoformat()},
        ))
    if errors:
        raise InvalidInput(N_("cannot publish: {count} errors"), errors)


def published_versions(session: Session, contest: Contest) -> list[RulesVersion]:
    """Every published version of the contest's rules, oldest first."""
    query = (select(RulesVersion).where(RulesVersion.contest_id == contest.id)
             .order_by(col(RulesVersion.version)))
    return list(session.exec(query).all())


def current_version(session: Session, contest: Contest) -> RulesVersion | None:
    query = (select(RulesVersion).where(RulesVersion.contest_id == contest.id)
             .order_by(col(RulesVersion.version).desc()).limit(1))
    return session.exec(query).first()


def load_rules(version: RulesVersion) -> RulesDocument:
    """The rules document a published version holds."""
    return _parsed(version.canonical_json)


@lru_cache(maxsize=256)
def _parsed(canonical: str) -> RulesDocument:
    # A published version never changes and the document is frozen, so every entry of a
    # busy contest may share one parse (keyed by the text, which a tampered row would change).
    return parse_rules(json.loads(canonical), published=True)


def current_rules(
    session: Session, contest: Contest
) -> tuple[RulesVersion, RulesDocument] | None:
    """The newest published version and its rules; ``None`` if never published."""
    version = current_version(session, contest)
    return None if version is None else (version, load_rules(version))


def list_contests(session: Session, *, now: datetime) -> list[ContestSummary]:
    """Every contest with its status at ``now``, ordered by slug."""
    contests = session.exec(select(Contest).order_by(col(Contest.slug))).all()
    newest = (select(RulesVersion.contest_id, func.max(RulesVersion.version).label("version"))
              .group_by(col(RulesVersion.contest_id)).subquery())
    versions = session.exec(
        select(RulesVersion).join(
            newest,
            (col(RulesVersion.contest_id) == newest.c.contest_id)
            & (col(RulesVersion.version) == newest.c.version),
        )
    ).all()
    current = {version.contest_id: version for version in versions}
    drawn = set(session.exec(select(DrawRecord.contest_id).where(
        col(DrawRecord.seed).is_not(None))).all())
    counts: dict[int, int] = {
        contest_id: count for contest_id, count in session.exec(
            select(Entry.contest_id, func.count()).group_by(col(Entry.contest_id))
        ).all()
    }
    summaries = []
    for contest in contests:
        assert contest.id is not None
        version = current.get(contest.id)
        rules = None if version is None else load_rules(version)
        summaries.append(ContestSummary(
            slug=contest.slug,
            title=contest.title,
            language=contest.language,
            status=ContestStatus.DRAWN if contest.id in drawn else contest_status(rules, now),
            entry_count=counts.get(contest.id, 0),
            rules_sha256=None if version is None else version.sha256,
            opens_at=None if rules is None else rules.period.opens_at,
            closes_at=None if rules is None else rules.period.closes_at,
        ))
    return summaries


def _title_errors(title: str) -> list[FieldError]:
    if not title.strip():
        return [FieldError("title", "required", N_("must not be empty"))]
    if len(title) > TITLE_MAX:
        return [FieldError("title", "too_long",
                           N_("must be at most {maximum} characters, got {length}"),
                           {"maximum": TITLE_MAX, "length": len(title)})]
    return one_line_errors("title", title)


def _draft_json(draft: Mapping[str, Any]) -> tuple[str, FieldError | None]:
    try:
        return json.dumps(dict(draft), ensure_ascii=False), None
    except (TypeError, ValueError) as error:
        return "", FieldError("draft", "not_json", N_("is not JSON data: {problem}"),
                              {"problem": str(error)})


def _subject(contest: Contest) -> str:
    return f"contest:{contest.slug}"
