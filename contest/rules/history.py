"""The published history of a contest's rules: every version, newest first, with what it
changed from the one before (:func:`~contest.rules.diff.rules_diff`), and the version a
reader asks for. The public rules page shows it under the rules, and the marketer's preview
under the draft.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from contest.errors import NotFound
from contest.i18n import N_
from contest.models import Contest, RulesVersion
from contest.rules.diff import Change, rules_diff
from contest.rules.publishing import published_versions
from contest.rules.versions import load_rules, require_logged


@dataclass(frozen=True)
class PublishedChange:
    """One published version and what it changed from the one before (nothing, for the
    first)."""

    version: RulesVersion
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class RulesHistory:
    """A contest's published versions, newest first."""

    contest: Contest
    items: tuple[PublishedChange, ...]

    def version(self, number: int | None) -> RulesVersion:
        """Version ``number``, or the newest when ``None``. Raises :class:`NotFound` for a
        version the contest does not have, and, as for an unknown slug, for a contest never
        published (see :func:`~contest.rules.versions.published_contest`)."""
        if not self.items:
            raise NotFound(N_("no contest {slug}"), {"slug": self.contest.slug})
        if number is None:
            return self.items[0].version
        for item in self.items:
            if item.version.version == number:
                return item.version
        raise NotFound(N_("there is no version {version} of the rules of {slug}"),
                       {"version": number, "slug": self.contest.slug})


def version_history(contest: Contest, versions: Sequence[RulesVersion]) -> RulesHistory:
    """The history of ``versions``, given oldest first as
    :func:`~contest.rules.publishing.published_versions` reads them."""
    items: list[PublishedChange] = []
    previous = None
    for version in versions:
        data = load_rules(version).to_data()
        changes = () if previous is None else tuple(rules_diff(previous, data))
        items.append(PublishedChange(version, changes))
        previous = data
    return RulesHistory(contest, tuple(reversed(items)))


def rules_history(session: Session, contest: Contest) -> RulesHistory:
    """The published history of ``contest``'s rules, read from the database, each version
    checked against its fingerprint and the public log (as the public page shows them)."""
    versions = published_versions(session, contest)
    require_logged(session, contest, *versions)
    return version_history(contest, versions)
