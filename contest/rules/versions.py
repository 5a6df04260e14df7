"""Reading published rules versions: a contest with the rules it runs under now, and the
document a version holds. A leaf module, so that publishing, the lifecycle and the intake
can all read versions.

"The current rules of a contest" is looked up in one place, :func:`find_published`, and
travels as one value, :class:`PublishedContest`.

A published version's rules are read only through :func:`load_rules` (or
:func:`published_text` for the stored text itself), which first recomputes the SHA-256 of the
stored canonical JSON, exactly as publishing computed it (:mod:`contest.rules.canonical`,
over the same bytes), and refuses a version whose text no longer hashes to its stored
fingerprint: :class:`~contest.errors.RulesTampered`, logged as critical, never rendered.
Where the public log is read anyway or once per version (:func:`require_logged`), the
stored fingerprint is also held against the one the log's ``rules.published`` or
``rules.amended`` event recorded, which catches text and fingerprint rewritten together.
"""

import json
import logging
from dataclasses import dataclass
from functools import lru_cache

from sqlmodel import Session, col, select

from contest.canonical import sha256_hex
from contest.errors import NotFound, RulesTampered
from contest.i18n import N_
from contest.ledger.store import contest_events
from contest.models import Contest, RulesVersion
from contest.rules.document import RulesDocument
from contest.rules.parse import parse_rules

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishedContest:
    """A contest with its newest published rules version and the rules that version holds:
    what entrants enter under, and what every later step takes its parameters from."""

    contest: Contest
    version: RulesVersion
    rules: RulesDocument

    @property
    def contest_id(self) -> int:
        assert self.contest.id is not None, "a published contest is stored"
        return self.contest.id


def find_published(session: Session, contest: Contest | str) -> PublishedContest | None:
    """``contest`` (a contest, or the slug of one) with its newest published rules version;
    ``None`` for a contest never published or a slug that names none. One query."""
    if isinstance(contest, Contest):
        version = session.exec(
            select(RulesVersion).where(RulesVersion.contest_id == contest.id)
            .order_by(col(RulesVersion.version).desc()).limit(1)).first()
        return None if version is None else PublishedContest(contest, version,
                                                             load_rules(version))
    row = session.exec(
        select(Contest, RulesVersion)
        .join(RulesVersion, col(RulesVersion.contest_id) == Contest.id)
        .where(Contest.slug == contest).order_by(col(RulesVersion.version).desc()).limit(1)
    ).first()
    if row is None:
        return None
    found, version = row
    return PublishedContest(found, version, load_rules(version))


def published_contest(session: Session, slug: str) -> PublishedContest:
    """Contest ``slug`` as the public may see it, with its newest published rules.

    A contest that was never published does not exist for the public: it raises
    :class:`NotFound` as an unknown slug does, so a draft's title, rules and figures stay on
    the marketers' desk. Every public page and API answer about a contest asks this, so
    each also holds the rules' fingerprint against the public log (:func:`require_logged`).
    """
    found = find_published(session, slug)
    if found is None:
        raise NotFound(N_("no contest {slug}"), {"slug": slug})
    require_logged(session, found.contest, found.version)
    return found


def load_rules(version: RulesVersion) -> RulesDocument:
    """The rules document a published version holds, once its stored text is checked
    against its fingerprint (:func:`published_text`)."""
    return _parsed(published_text(version))


def published_text(version: RulesVersion) -> str:
    """The canonical JSON a published version holds, checked on every read: its SHA-256,
    recomputed over the stored bytes, must be the stored fingerprint. Raises
    :class:`RulesTampered` (and logs it as critical) when it is not."""
    text = version.canonical_json
    got = sha256_hex(text.encode("utf-8"))
    if got != version.sha256:
        _refuse(version, N_("version {version} of this contest's published rules fails its "
                            "integrity check: the stored text hashes to {got}, but the "
                            "published fingerprint is {expected}. The record has been "
                            "altered, so these rules are not shown."),
                got=got, expected=version.sha256, what="stored text")
    return text


_LOGGED_TYPES = ("rules.published", "rules.amended")
# Versions whose fingerprint the log was seen to confirm, by everything that fingerprint
# vouches for. The log is append-only (and `contest log verify` checks that), so a
# confirmation stands; a version whose fingerprint was rewritten is a new key, read afresh.
_confirmed: set[tuple[int | None, int, str, str]] = set()


def logged_sha256(session: Session, *, slug: str) -> dict[int, list[str]]:
    """The fingerprints the public log recorded for each version of contest ``slug``'s rules
    (one a version, unless the log itself was tampered with)."""
    logged: dict[int, list[str]] = {}
    for event in contest_events(session, contest=slug, types=_LOGGED_TYPES):
        logged.setdefault(int(event.get("version", 0)), []).append(
            str(event.get("rules_sha256")))
    return logged


def require_logged(session: Session, contest: Contest, *versions: RulesVersion) -> None:
    """Refuse any of ``versions`` (of ``contest``) whose stored text does not hash to its
    fingerprint, or whose fingerprint is not the one the public log's event for it recorded.

    A version the log holds no event for passes here (``contest log verify`` refuses it, in
    :func:`verify_published_rules`). A version the log was seen to confirm is not looked up
    again while its stored fingerprint stays the same; otherwise the log is read once for
    all ``versions``. Raises :class:`RulesTampered`."""
    for version in versions:
        published_text(version)
    unconfirmed = [version for version in versions if _key(contest, version) not in _confirmed]
    if not unconfirmed:
        return
    logged = logged_sha256(session, slug=contest.slug)
    for version in unconfirmed:
        recorded = logged.get(version.version, [])
        wrong = [sha256 for sha256 in recorded if sha256 != version.sha256]
        if wrong:
            _refuse(version, N_("version {version} of this contest's published rules fails "
                                "its integrity check: the public log recorded the "
                                "fingerprint {expected}, but the stored one is {got}. The "
                                "record has been altered, so these rules are not shown."),
                    got=version.sha256, expected=wrong[0], what="stored fingerprint",
                    slug=contest.slug)
        if recorded:
            _confirmed.add(_key(contest, version))


def _key(contest: Contest, version: RulesVersion) -> tuple[int | None, int, str, str]:
    return (version.id, version.version, contest.slug, version.sha256)


def verify_published_rules(session: Session) -> int:
    """Check every published version of every contest against its stored fingerprint and
    the public log, strictly: each version must have its event on the log, with its
    fingerprint, and each version the log published must be stored. Returns the number of
    versions checked; raises :class:`RulesTampered` naming every version that fails."""
    problems: list[str] = []
    rows = session.exec(select(Contest.slug, RulesVersion).join(
        RulesVersion, col(RulesVersion.contest_id) == Contest.id).order_by(
        col(Contest.slug), col(RulesVersion.version))).all()
    stored: dict[str, list[RulesVersion]] = {}
    for slug, version in rows:
        stored.setdefault(slug, []).append(version)
    for slug, versions in stored.items():
        logged = logged_sha256(session, slug=slug)
        for version in versions:
            got = sha256_hex(version.canonical_json.encode("utf-8"))
            recorded = logged.pop(version.version, [])
            if got != version.sha256:
                problems.append(f"{slug} version {version.version}: the stored text hashes "
                                f"to {got}, the stored fingerprint is {version.sha256}")
            elif not recorded:
                problems.append(f"{slug} version {version.version}: the log holds no event "
                                f"publishing it")
            elif any(sha256 != version.sha256 for sha256 in recorded):
                problems.append(f"{slug} version {version.version}: the log recorded "
                                f"{', '.join(recorded)}, the stored fingerprint is "
                                f"{version.sha256}")
        problems.extend(f"{slug} version {number}: the log published it, the database holds "
                        f"no such version" for number in sorted(logged))
    if problems:
        _log.critical("published rules fail their integrity check: %s", "; ".join(problems))
        raise RulesTampered(N_("published rules fail their integrity check: {problems}"),
                            {"problems": "; ".join(problems)})
    return len(rows)


def _refuse(version: RulesVersion, message: str, *, got: str, expected: str, what: str,
            slug: str | None = None) -> None:
    contest = slug or f"#{version.contest_id}"
    _log.critical("published rules altered: contest %s, rules version %s (id %s): the %s "
                  "gives %s, expected %s", contest, version.version, version.id, what, got,
                  expected)
    raise RulesTampered(message, {"contest": contest, "version": version.version, "got": got,
                                  "expected": expected})


@lru_cache(maxsize=256)
def _parsed(canonical: str) -> RulesDocument:
    # A published version never changes and the document is frozen, so every entry of a
    # busy contest may share one parse (keyed by the text, which a tampered row would change).
    return parse_rules(json.loads(canonical), published=True)


def rules_of_version(session: Session, version_id: int) -> RulesDocument:
    """The rules of a published version named by its id (the one a freeze names), checked
    against their fingerprint and the public log (:func:`require_logged`)."""
    version = session.get(RulesVersion, version_id)
    assert version is not None, f"rules version {version_id} is referenced but missing"
    contest = session.get(Contest, version.contest_id)
    assert contest is not None, f"rules version {version_id} belongs to no contest"
    require_logged(session, contest, version)
    return load_rules(version)
