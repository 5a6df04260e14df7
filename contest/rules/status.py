"""Where a contest stands in its life, read from its current published rules and the clock."""

from datetime import datetime
from enum import StrEnum

from contest.rules.document import RulesDocument


class ContestStatus(StrEnum):
    DRAFT = "draft"
    """Never published."""
    SCHEDULED = "scheduled"
    """Published, not yet open."""
    OPEN = "open"
    """Taking entries: ``opens_at`` ≤ now < ``closes_at``."""
    CLOSED = "closed"
    """No longer taking entries."""
    DRAWN = "drawn"
    """The winners are drawn (set by the draw, not by the calendar)."""


def contest_status(rules: RulesDocument | None, now: datetime) -> ContestStatus:
    """The status at ``now`` of a contest whose current published rules are ``rules``."""
    if rules is None:
        return ContestStatus.DRAFT
    if now < rules.period.opens_at:
        return ContestStatus.SCHEDULED
    if now < rules.period.closes_at:
        return ContestStatus.OPEN
    return ContestStatus.CLOSED
