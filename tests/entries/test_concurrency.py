"""Entries arriving at the same moment from many workers: the limits and the tickets hold.

Each thread has its own connection and transaction, as each gunicorn worker does; a barrier
lets them all submit at once.
"""

import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from contest.models import Channel, Contest, Entry, RulesVersion
from contest.rules.versions import PublishedContest
from tests.builders import make_contest, make_entry, rules_document
from tests.entries.builders import DURING, entrant

THREADS = 8


def submit_together(engine: Engine, entries: list[dict[str, str | None]],
                    key: str | None = None) -> tuple[list[str], list[BaseException]]:
    """Each of ``entries`` sent at once from its own worker; the tickets and the failures."""
    barrier = threading.Barrier(len(entries))
    tickets: list[str] = []
    failures: list[BaseException] = []
    rules = rules_document(per_household=2)

    def enter(data: dict[str, str | None]) -> None:
        try:
            with Session(engine) as session:
                contest = session.exec(select(Contest)).one()
                version = session.exec(select(RulesVersion)).one()
                barrier.wait()
                entry = make_entry(session, PublishedContest(contest, version, rules),
                                   data=data, channel=Channel.API, idempotency_key=key,
                                   now=DURING)
                session.commit()
                tickets.append(entry.ticket)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failures.append(error)

    threads = [threading.Thread(target=enter, args=(data,)) for data in entries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tickets, failures


def test_one_person_entering_from_many_workers_at_once_counts_once(
        engine: Engine, session: Session) -> None:
    make_contest(session, rules=rules_document(per_household=2))
    rounds = 4  # races are chancy: several rounds make a missed one near impossible
    for person in range(rounds):
        same_person = [entrant(full_name=f"Anna Petrova {n}", email=f"anna{person}@example.ru",
                               phone=None, address=f"ul. Lenina {person}, kv. 3")
                       for n in range(THREADS)]
        assert submit_together(engine, same_person)[1] == []
    rows = session.exec(select(Entry)).all()
    assert len({row.ticket for row in rows}) == len(rows) == rounds * THREADS
    for person in range(rounds):
        reasons = sorted(row.reasons for row in rows if row.email == f"anna{person}@example.ru")
        assert reasons == [()] + [("person_limit",)] * (THREADS - 1), person


def test_one_household_entering_at_once_keeps_its_limit(engine: Engine,
                                                        session: Session) -> None:
    make_contest(session, rules=rules_document(per_household=2))
    household = [entrant(full_name=f"Member {n}", email=f"member{n}@example.ru", phone=None)
                 for n in range(THREADS)]
    assert submit_together(engine, household)[1] == []
    eligible = session.exec(select(Entry).where(Entry.eligible == True)).all()  # noqa: E712
    assert len(eligible) == 2


def test_one_entry_sent_from_many_workers_at_once_with_one_key_is_stored_once(
        engine: Engine, session: Session) -> None:
    make_contest(session, rules=rules_document(per_household=2))
    tickets, failures = submit_together(engine, [entrant()] * THREADS, key="double-click")
    assert failures == []
    assert len(tickets) == THREADS and len(set(tickets)) == 1
    rows = session.exec(select(Entry)).all()
    assert [(row.ticket, row.idempotency_key) for row in rows] == [(tickets[0], "double-click")]
