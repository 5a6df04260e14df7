"""Where a contest stands in its life, read from its current published rules, its draw record
and the clock: the coarse status the pages and the API show, and the stage of
:mod:`contest.lifecycle` that the domain checks before it acts.

Each status has one word (:data:`STATUS_WORDS`) and every page says it with that word, so a
contest is never "closed" on one page and "frozen" on another.
"""

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Final

from sqlmodel import Session, select

from contest.i18n import N_
from contest.lifecycle import Action, Stage, allowed
from contest.models import Contest, DrawRecord
from contest.rules.document import RulesDocument
from contest.rules.versions import find_published


class ContestStatus(StrEnum):
    DRAFT = "draft"
    """Never published."""
    SCHEDULED = "scheduled"
    """Published, not yet open."""
    OPEN = "open"
    """Taking entries: ``opens_at`` ≤ now < ``closes_at``."""
    CLOSED = "closed"
    """No longer taking entries."""
    FROZEN = "frozen"
    """The eligible tickets are fixed for the draw (and perhaps its randomness taken)."""
    DRAWN = "drawn"
    """The winners are drawn (set by the draw, not by the calendar)."""

    @property
    def takes_entries(self) -> bool:
        """Whether the public may enter a contest with this status (the lifecycle decides):
        the pages offer "Enter" only then."""
        return allowed(Action.ENTER, Stage(self.value), None)

    @property
    def has_results(self) -> bool:
        """Whether the results page has something to show: from the close on, the frozen
        entries and then the draw (the pages offer "Results" only then)."""
        return self in _WITH_RESULTS


_WITH_RESULTS = frozenset({ContestStatus.CLOSED, ContestStatus.FROZEN, ContestStatus.DRAWN})


STATUS_WORDS: Final[Mapping[ContestStatus, str]] = {
    ContestStatus.DRAFT: N_("draft"),
    ContestStatus.SCHEDULED: N_("scheduled"),
    ContestStatus.OPEN: N_("open"),
    ContestStatus.CLOSED: N_("closed"),
    ContestStatus.FROZEN: N_("frozen"),
    ContestStatus.DRAWN: N_("drawn"),
}
"""The one word each status is said with, on every page (translated there)."""


def contest_status(rules: RulesDocument | None, now: datetime) -> ContestStatus:
    """The status at ``now`` of a contest whose current published rules are ``rules``."""
    if rules is None:
        return ContestStatus.DRAFT
    if now < rules.period.opens_at:
        return ContestStatus.SCHEDULED
    if now < rules.period.closes_at:
        return ContestStatus.OPEN
    return ContestStatus.CLOSED


def stage_of(rules: RulesDocument | None, draw: DrawRecord | None, now: datetime) -> Stage:
    """The stage at ``now`` of a contest with current published ``rules`` and ``draw``."""
    if draw is not None:
        if draw.seed is not None:
            return Stage.DRAWN
        return Stage.RANDOMNESS_TAKEN if draw.value is not None else Stage.FROZEN
    return Stage(contest_status(rules, now).value)


def contest_stage(session: Session, contest: Contest, now: datetime) -> Stage:
    """The stage of ``contest`` at ``now``, read from the database."""
    draw = session.exec(select(DrawRecord).where(DrawRecord.contest_id == contest.id)).first()
    if draw is not None:
        return stage_of(None, draw, now)
    found = find_published(session, contest)
    return stage_of(None if found is None else found.rules, None, now)


def public_status(stage: Stage) -> ContestStatus:
    """The coarser status the pages and the API show of a contest in ``stage``: the stages
    of the draw before its winners are all "frozen"."""
    if stage is Stage.DRAWN:
        return ContestStatus.DRAWN
    if stage in (Stage.FROZEN, Stage.RANDOMNESS_TAKEN):
        return ContestStatus.FROZEN
    return ContestStatus(stage.value)
