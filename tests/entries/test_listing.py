"""The auditor's list of a contest's entries, a page at a time, on SQLite and PostgreSQL."""

from datetime import timedelta

from sqlmodel import Session

from contest.entries.listing import Shown, entry_page
from contest.models import Channel
from tests.builders import OPENS, make_contest, make_entry, make_published, rules_document
from tests.entries.builders import entrant


def test_entries_come_in_the_order_they_came_a_page_at_a_time(session: Session) -> None:
    rules = rules_document()
    published = make_published(session, rules=rules)
    contest = published.contest
    make_contest(session, slug="spring-giveaway", rules=rules)  # its entries are not listed
    names = []
    for number in range(5):
        # Sent in the opposite order to their moments (a CSV of older entries, say).
        moment = OPENS + timedelta(hours=10 - number)
        name = f"Anna Petrova {number}"
        data = entrant(full_name=name, email=f"anna{number}@example.ru",
                       phone=f"+7 916 123 450{number}",
                       birth_date="2015-01-01" if number % 2 else "1990-05-17")
        make_entry(session, published, data=data, now=moment,  # the under-age in a file
                   channel=Channel.CSV if number % 2 else Channel.API)
        names.insert(0, name)
    session.commit()

    first = entry_page(session, contest=contest, shown=Shown.ALL, number=1, size=2)
    assert [e.full_name for e in first.entries] == names[:2]
    assert (first.number, first.pages, first.total) == (1, 3, 5)
    last = entry_page(session, contest=contest, shown=Shown.ALL, number=3, size=2)
    assert [e.full_name for e in last.entries] == names[4:]
    eligible = entry_page(session, contest=contest, shown=Shown.ELIGIBLE, number=1, size=10)
    assert [e.full_name for e in eligible.entries] == [
        "Anna Petrova 4", "Anna Petrova 2", "Anna Petrova 0"]
    assert (eligible.pages, eligible.total) == (1, 3)
    minors = entry_page(session, contest=contest, shown=Shown.INELIGIBLE, number=1, size=10)
    assert [e.full_name for e in minors.entries] == ["Anna Petrova 3", "Anna Petrova 1"]
    assert all(not e.eligible for e in minors.entries)


def test_a_contest_without_entries_has_one_empty_page(session: Session) -> None:
    contest, _ = make_contest(session)
    page = entry_page(session, contest=contest, shown=Shown.ALL, number=1, size=100)
    assert (page.entries, page.number, page.pages, page.total) == ((), 1, 1, 0)
    beyond = entry_page(session, contest=contest, shown=Shown.ALL, number=7, size=100)
    assert (beyond.entries, beyond.number, beyond.pages) == ((), 7, 1)
