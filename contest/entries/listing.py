"""The auditor's list of a contest's entries, a page at a time: every entry, or only the
eligible or the ineligible ones, in the order they came (their moment, then their id)."""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from contest.models import Contest, Entry


class Shown(StrEnum):
    """Which of a contest's entries the list shows."""

    ALL = "all"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"


@dataclass(frozen=True)
class EntryPage:
    """One page of the list, and where it stands among the others."""

    entries: tuple[Entry, ...]
    number: int
    pages: int
    """How many pages the list has: at least one, empty when there is nothing to show."""
    total: int
    """How many entries the list shows on all its pages."""


def entry_page(session: Session, *, contest: Contest, shown: Shown, number: int,
               size: int) -> EntryPage:
    """Page ``number`` (from 1) of ``size`` entries of ``contest`` that ``shown`` names."""
    where = [Entry.contest_id == contest.id]
    if shown is not Shown.ALL:
        where.append(Entry.eligible == (shown is Shown.ELIGIBLE))
    total = session.exec(select(func.count()).select_from(Entry).where(*where)).one()
    rows = session.exec(select(Entry).where(*where)
                        .order_by(col(Entry.submitted_at), col(Entry.id))
                        .offset((number - 1) * size).limit(size)).all()
    return EntryPage(entries=tuple(rows), number=number,
                     pages=max((total + size - 1) // size, 1), total=total)
