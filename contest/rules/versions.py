"""Reading published rules versions: a contest with the rules it runs under now, and the
document a version holds. A leaf module, so that publishing, the lifecycle and the intake
can all read versions.

"The current rules of a contest" is looked up in one place, :func:`find_published`, and
travels as one value, :class:`PublishedContest`.
"""

import json
from dataclasses import dataclass
from functools import lru_cache

from sqlmodel import Session, col, select

from contest.errors import NotFound
from contest.i18n import N_
from contest.models import Contest, RulesVersion
from contest.rules.document import RulesDocument
from contest.rules.parse import parse_rules


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
    the marketers' desk. Every public page and API answer about a contest asks this.
    """
    found = find_published(session, slug)
    if found is None:
        raise NotFound(N_("no contest {slug}"), {"slug": slug})
    return found


def load_rules(version: RulesVersion) -> RulesDocument:
    """The rules document a published version holds."""
    return _parsed(version.canonical_json)


@lru_cache(maxsize=256)
def _parsed(canonical: str) -> RulesDocument:
    # A published version never changes and the document is frozen, so every entry of a
    # busy contest may share one parse (keyed by the text, which a tampered row would change).
    return parse_rules(json.loads(canonical), published=True)


def rules_of_version(session: Session, version_id: int) -> RulesDocument:
    """The rules of a published version named by its id (the one a freeze names)."""
    version = session.get(RulesVersion, version_id)
    assert version is not None, f"rules version {version_id} is referenced but missing"
    return load_rules(version)
