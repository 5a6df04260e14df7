"""Reading published rules versions: the newest one of a contest, and the document a version
holds. A leaf module, so that both publishing and the lifecycle can read versions."""

import json
from functools import lru_cache

from sqlmodel import Session, col, select

from contest.models import Contest, RulesVersion
from contest.rules.document import RulesDocument
from contest.rules.parse import parse_rules


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


def version_by_id(session: Session, version_id: int) -> tuple[RulesVersion, RulesDocument]:
    """A published version by its id (the one a freeze names) and its rules."""
    version = session.get(RulesVersion, version_id)
    assert version is not None, f"rules version {version_id} is referenced but missing"
    return version, load_rules(version)
