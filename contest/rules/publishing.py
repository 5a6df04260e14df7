"""Contests, their working drafts, and the published rules versions entrants rely on.

A draft may be saved while invalid; publishing parses it, hashes its canonical JSON
(RFC 8785, see :mod:`contest.rules.canonical`) and adds a new, never-changing
:class:`RulesVersion`. When a contest may publish or amend is the lifecycle's decision
(:mod:`contest.lifecycle`); what an amendment may change, that of
:mod:`contest.rules.amendments`. Every state change writes an audit record; callers commit.
"""

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import load_only
from sqlmodel import Session, col, select

from contest import audit
from contest.canonical import canonical_json
from contest.errors import FieldError, InvalidInput, NotFound, RulesInvalid
from contest.i18n import N_, N_plural
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import append_event, issue_checkpoint
from contest.lifecycle import Action, Stage, require
from contest.models import Contest, DrawRecord, Entry, RulesVersion
from contest.rules.amendments import Amendment, amendment_problems, parse_reason
from contest.rules.canonical import rules_sha256
from contest.rules.parse import RULES_LANGUAGES, one_line_errors, parse_rules
from contest.rules.placeholders import placeholder_errors
from contest.rules.status import ContestStatus, contest_stage, public_status, stage_of
from contest.rules.templates import Template, template_rules
from contest.rules.versions import PublishedContest, find_published, load_rules
from contest.text import draft_text_error

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,78}[a-z0-9]")
SLUG_MAX = 80
TITLE_MAX = 200

# Cyrillic letters in Latin, as passports of Russia and Ukraine write them (simplified:
# a web address has no apostrophes); the two languages differ on г, и and і.
_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґ", [
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
    "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "ie",
    "i", "i", "g"], strict=True))
_LATIN_UK = _LATIN | {"г": "h", "и": "y", "й": "i", "ї": "i", "я": "ia", "ю": "iu", "є": "ie"}


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
    timezone: str = "UTC"
    """The zone of the current rules, which every moment of the contest is shown in."""


def create_contest(
    session: Session,
    *,
    slug: str,
    language: str,
    title: str,
    actor_id: int | None,
    now: datetime,
    draft: Mapping[str, Any] | None = None,
    template: Template = Template.BLANK,
) -> Contest:
    """A new contest with ``draft`` (by default the ``template``'s starting rules, see
    :mod:`contest.rules.templates`) as its working rules. An empty ``slug`` is made from the
    title (:func:`slug_for_title`)."""
    errors: list[FieldError] = []
    if not slug and title.strip():
        slug = slug_for_title(session, title, language)
    if not slug and not title.strip():
        pass  # the title's error says it: the address is made from the title
    elif not _SLUG.fullmatch(slug):
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
        rules = (template_rules(template, language=language, title=title, now=now)
                 if draft is None else draft)
        draft_json, draft_error = _draft_json(rules)
        if draft_error is not None:
            errors.append(draft_error)
    if errors:
        raise InvalidInput(N_plural("the contest has {count} error",
                                    "the contest has {count} errors"), errors)
    contest = Contest(
        slug=slug, language=language, title=title, draft_json=draft_json,
        created_at=now, created_by_id=actor_id, updated_at=now, updated_by_id=actor_id,
    )
    session.add(contest)
    audit.record(session, actor_id=actor_id, action="contest.create", subject=_subject(contest),
                 now=now, detail={"language": language, "title": title})
    session.flush()
    return contest


def slug_for_title(session: Session, title: str, language: str = "en") -> str:
    """A contest address made from ``title``: Cyrillic in Latin letters (Ukrainian's own way
    for ``uk``), accents dropped, words joined by hyphens, at most 80 characters, and a
    number added when another contest has it already: "Зимний розыгрыш" is
    ``zimnii-rozygrysh``, then ``zimnii-rozygrysh-2``."""
    table = _LATIN_UK if language == "uk" else _LATIN
    latin = "".join(table.get(c, c) for c in title.casefold())
    latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    base = "-".join(re.findall(r"[a-z0-9]+", latin))[:SLUG_MAX].strip("-")
    if len(base) < 3:
        base = f"contest-{base}".strip("-")
    taken = set(session.exec(select(Contest.slug).where(
        col(Contest.slug).startswith(base))).all())
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = base[:SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return slug


def find_contest(session: Session, slug: str) -> Contest:
    contest = session.exec(select(Contest).where(Contest.slug == slug)).first()
    if contest is None:
        raise NotFound(N_("no contest {slug}"), {"slug": slug})
    return contest


def is_published(session: Session, contest_id: int) -> bool:
    """Whether the public may see contest ``contest_id`` (see
    :func:`~contest.rules.versions.published_contest`)."""
    return session.exec(select(RulesVersion.id).where(
        RulesVersion.contest_id == contest_id).limit(1)).first() is not None


class CurrentRulesCache:
    """Each contest's newest published rules, kept in one process's memory for the entry API,
    which would otherwise read them for every entry.

    A contest keeps its id and slug, and a published version never changes, so a kept one can
    only fall behind a newer version: ``take_entries(only_if_current=True)`` notices that in
    its insert and raises :class:`~contest.errors.RulesChanged`, and the caller then calls
    :meth:`forget`. Unpublished contests are not kept. The rows kept are detached from the
    session that read them and only read afterwards, by any thread.
    """

    def __init__(self, size: int = 1000) -> None:
        self.size = size
        self._kept: dict[str, PublishedContest] = {}

    def get(self, session: Session, slug: str) -> PublishedContest | None:
        """As :func:`find_published`, from memory once a version is published."""
        kept = self._kept.get(slug)
        if kept is not None:
            return kept
        found = find_published(session, slug)
        if found is not None:
            session.expunge(found.contest)  # a rollback of this session must not expire them
            session.expunge(found.version)
            if len(self._kept) >= self.size:
                self._kept.clear()
            self._kept[slug] = found
        return found

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

    The contest's title and language follow the draft's when those are usable. After the
    freeze the rules cannot change, so neither does the draft (:mod:`contest.lifecycle`).
    """
    require(Action.EDIT_RULES, contest_stage(session, contest, now), slug=contest.slug)
    draft_json, draft_error = _draft_json(draft)
    if draft_error is not None:
        raise InvalidInput(N_plural("the draft has {count} error",
                                    "the draft has {count} errors"), [draft_error])
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
    note: str = "",
) -> RulesVersion:
    """Publish the draft as the next rules version, on the public log too.

    ``reason`` is a code of :class:`~contest.rules.amendments.AmendmentReason` (required once
    the contest has opened); it is public. ``note`` is the marketer's own words, kept in the
    private audit trail only. Raises :class:`StageForbids` when the contest's stage allows no
    publishing (after the freeze), :class:`RulesInvalid` for an invalid draft, and
    :class:`InvalidInput` when the draft still holds a placeholder or an example domain
    (:mod:`contest.rules.placeholders`), is the current version unchanged, or amends the
    rules in a way :mod:`contest.rules.amendments` refuses.
    """
    stage = contest_stage(session, contest, now)
    current = find_published(session, contest)
    require(Action.PUBLISH if current is None else Action.AMEND, stage, slug=contest.slug)
    rules = parse_rules(draft_data(contest))
    sha256 = rules_sha256(rules)
    code = parse_reason(reason)
    errors: list[FieldError] = [code] if isinstance(code, FieldError) else []
    errors.extend(placeholder_errors(rules))
    amendment = Amendment(None if isinstance(code, FieldError) else code, note.strip())
    if stage in (Stage.DRAFT, Stage.SCHEDULED) and rules.period.opens_at < now:
        errors.append(FieldError(
            "period.opens_at", "opens_in_the_past",
            N_("entries cannot open at {opens_at}, before the rules are published ({now}): "
               "entrants must be able to read the rules first"),
            {"opens_at": rules.period.opens_at.isoformat(), "now": now.isoformat()}))
    if current is not None:
        if current.version.sha256 == sha256:
            errors.append(FieldError(
                "rules", "unchanged",
                N_("the draft is the same as published version {version}"),
                {"version": current.version.version},
            ))
        else:
            errors.extend(problem for problem in amendment_problems(
                current.rules, rules, stage, amendment)
                if not (errors and problem.code == "reason_required"))  # said already
    if errors:
        raise InvalidInput(N_plural("cannot publish: {count} error",
                                    "cannot publish: {count} errors"), errors)
    reason_code = "" if amendment.reason is None else amendment.reason.value
    number = 1 if current is None else current.version.version + 1
    assert contest.id is not None, "a contest is flushed before it is published"
    row = RulesVersion(
        contest_id=contest.id, version=number, sha256=sha256,
        canonical_json=canonical_json(rules.to_data()).decode(), reason_code=reason_code,
        reason=amendment.note, published_at=now, published_by_id=actor_id,
    )
    session.add(row)
    if (contest.title, contest.language) != (rules.title, rules.language):
        contest.title, contest.language = rules.title, rules.language
        contest.updated_at, contest.updated_by_id = now, actor_id
        session.add(contest)
    audit.record(session, actor_id=actor_id, action="rules.publish", subject=_subject(contest),
                 now=now, detail={"version": number, "sha256": sha256, "reason": reason_code,
                                  "note": amendment.note})
    session.flush()
    append_event(session, event=events.rules_published(
        contest=contest.slug, version=number, rules_sha256=sha256, reason=reason_code, at=now),
        now=now, signer=signer)
    issue_checkpoint(session, signer=signer, now=now)
    return row


def published_versions(session: Session, contest: Contest) -> list[RulesVersion]:
    """Every published version of the contest's rules, oldest first."""
    query = (select(RulesVersion).where(RulesVersion.contest_id == contest.id)
             .order_by(col(RulesVersion.version)))
    return list(session.exec(query).all())


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
    # What the status needs of a draw, not its ticket lists (SQLModel's fields are typed as
    # values, load_only wants the mapped attributes they are).
    needed = load_only(*(getattr(DrawRecord, name) for name in ("contest_id", "seed", "value")))
    draws = {record.contest_id: record
             for record in session.exec(select(DrawRecord).options(needed))}
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
            status=public_status(stage_of(rules, draws.get(contest.id), now)),
            entry_count=counts.get(contest.id, 0),
            rules_sha256=None if version is None else version.sha256,
            opens_at=None if rules is None else rules.period.opens_at,
            closes_at=None if rules is None else rules.period.closes_at,
            timezone="UTC" if rules is None else rules.period.timezone,
        ))
    return summaries


def public_contests(session: Session, *, now: datetime) -> list[ContestSummary]:
    """The contests the public may see, as :func:`list_contests` has them: the published
    ones (a draft does not exist for the public, see
    :func:`~contest.rules.versions.published_contest`)."""
    return [c for c in list_contests(session, now=now) if c.status != ContestStatus.DRAFT]


def _title_errors(title: str) -> list[FieldError]:
    if not title.strip():
        return [FieldError("title", "required", N_("must not be empty"))]
    if len(title) > TITLE_MAX:
        return [FieldError("title", "too_long",
                           N_("must be at most {maximum} characters, got {length}"),
                           {"maximum": TITLE_MAX, "length": len(title)})]
    return one_line_errors("title", title)


def _draft_json(draft: Mapping[str, Any]) -> tuple[str, FieldError | None]:
    if (not_text := draft_text_error(draft)) is not None:  # e.g. a lone surrogate: unstorable
        return "", not_text
    try:
        return json.dumps(dict(draft), ensure_ascii=False), None
    except (TypeError, ValueError) as error:
        return "", FieldError("draft", "not_json", N_("is not JSON data: {problem}"),
                              {"problem": str(error)})


def _subject(contest: Contest) -> str:
    return f"contest:{contest.slug}"
