"""The conditions checked for an entry, kept: which, when, at which stage, and the result.

Every check of a network condition (:class:`~contest.sources.Check`) for an entry is kept
privately as a :class:`~contest.models.ConditionCheck` row: at the read or the bot that took
the entry (stage ``entry``), and again at the draw (stage ``draw``, each also a public log
event by ticket: :mod:`contest.draw.recheck`). What a check says of a person is never public;
the public record counts them.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from contest.models import ConditionCheck, UtcDateTime, table_of
from contest.sources import Check, Result


class Stage(StrEnum):
    """When a condition was checked."""

    ENTRY = "entry"
    """When the entry was taken: by the read of a post, or by the bot."""
    DRAW = "draw"
    """Again, for the winners and alternates, before the results are published."""


def record_checks(session: Session, checks: Iterable[tuple[int, Sequence[Check]]], *,
                  stage: Stage, now: datetime) -> None:
    """Keep ``checks`` (entry id, its checks) as made at ``now`` in ``stage``, in one
    statement (a read of 100,000 entrants keeps them all at once: plain tuples to the
    driver, the moment bound once, as the column stores it)."""
    connection = session.connection()
    dialect = connection.dialect
    moment = UtcDateTime().process_bind_param(now, dialect)
    rows = [(entry_id, check.condition.value, check.result.value, check.reason, stage.value,
             moment) for entry_id, found in checks for check in found]
    if not rows:
        return
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    table = table_of(ConditionCheck).name
    connection.exec_driver_sql(
        f"INSERT INTO {table} (entry_id, condition, result, reason, stage, checked_at) "
        f"VALUES ({', '.join([mark] * 6)})", rows)


def unmet(checks: Iterable[Check]) -> bool:
    """Whether any of ``checks`` found its condition unmet (an unknown is not unmet)."""
    return any(check.result == Result.UNMET for check in checks)
