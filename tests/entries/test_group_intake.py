"""The entry API's group intake on real databases: entries stored together in one transaction
keep their limits, their idempotency keys and their own failures; many workers' groups at
once keep the limits too."""

import threading
import time

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from contest.entries.group_intake import GroupIntake, QueuedEntry
from contest.entries.intake import Arrival, TakenEntry, take_entries
from contest.models import Channel, Entry
from contest.rules.publishing import CurrentRulesCache
from tests.builders import (
    SIGNER,
    amend_contest,
    consent_version,
    make_contest,
    make_published,
    rules_document,
)
from tests.entries.builders import DURING, entrant

WORKERS, THREADS = 2, 6


def arrival(data: dict[str, str | None], key: str | None = None, **how: object) -> Arrival:
    return Arrival(data, Channel.API, DURING, idempotency_key=key,  # type: ignore[arg-type]
                   **{"consent": consent_version()} | how)


def test_entries_taken_together_count_against_each_other(session: Session) -> None:
    rules = rules_document(per_household=3)
    published = make_published(session, rules=rules)
    anna = entrant(email="anna@example.ru", phone=None)
    group = [arrival(anna, key="a1"),
             arrival(entrant(full_name="Boris Petrov", email="boris@example.ru", phone=None),
                     key="b1"),
             arrival(anna, key="a2"),
             arrival(anna, key="a1")]  # a double click of the first
    outcomes = take_entries(session, signer=SIGNER, contest=published, arrivals=group,
                            only_if_current=True)
    session.commit()
    assert all(isinstance(outcome, TakenEntry) for outcome in outcomes)
    first, boris, second, repeat = outcomes
    assert isinstance(first, TakenEntry) and isinstance(second, TakenEntry)
    assert isinstance(boris, TakenEntry) and isinstance(repeat, TakenEntry)
    assert (first.eligible, boris.eligible) == (True, True)
    assert (second.eligible, second.reasons) == (False, ("person_limit",))
    assert (repeat.new, repeat.ticket, repeat.id) == (False, first.ticket, first.id)
    rows = session.exec(select(Entry).order_by(Entry.id)).all()  # type: ignore[arg-type]
    assert [(row.idempotency_key, row.eligible, row.reasons) for row in rows] == [
        ("a1", True, ()), ("b1", True, ()), ("a2", False, ("person_limit",))]


def people(count: int) -> list[dict[str, str | None]]:
    return [entrant(full_name=f"Person {n}", email=f"person{n}@example.ru", phone=None,
                    address=f"ul. Lenina {n}") for n in range(count)]


def test_a_row_that_fails_is_stored_again_alone_and_the_others_are_kept(
        engine: Engine, session: Session) -> None:
    published = make_published(session)
    first, second, third = people(3)
    # Brought by a staff account that does not exist: the database refuses that row alone.
    group = [arrival(first), arrival(second, actor_id=999_999), arrival(third)]
    intake = GroupIntake(engine, CurrentRulesCache(), SIGNER)
    outcomes = intake.store([QueuedEntry(published, item) for item in group])
    assert isinstance(outcomes[1], IntegrityError)
    assert isinstance(outcomes[0], TakenEntry) and isinstance(outcomes[2], TakenEntry)
    session.expire_all()
    stored = session.exec(select(Entry.email).order_by(Entry.id)).all()  # type: ignore[arg-type]
    assert stored == ["person0@example.ru", "person2@example.ru"]


def test_a_row_that_fails_with_any_error_of_its_own_is_isolated(
        engine: Engine, session: Session) -> None:
    """Whatever the class of a row's own error (here the driver cannot even encode the row),
    only that row's request gets it; newer rules or a lost database would reach them all."""
    published = make_published(session)
    first, second, third = people(3)
    # Past the intake's checks, as a bug in them would let it: text that is not UTF-8, in
    # the language the server sets.
    group = [arrival(first), arrival(second, language="e\ud800"), arrival(third)]
    intake = GroupIntake(engine, CurrentRulesCache(), SIGNER)
    outcomes = intake.store([QueuedEntry(published, item) for item in group])
    assert isinstance(outcomes[1], UnicodeEncodeError)
    assert isinstance(outcomes[0], TakenEntry) and isinstance(outcomes[2], TakenEntry)
    session.expire_all()
    stored = session.exec(select(Entry.email).order_by(Entry.id)).all()  # type: ignore[arg-type]
    assert stored == ["person0@example.ru", "person2@example.ru"]


class HeldIntake(GroupIntake):
    """A worker's intake whose first group is held until ``behind`` more entries wait for
    the next one, so that the next group is certainly several entries; it records each
    group's size."""

    def __init__(self, engine: Engine, behind: int) -> None:
        super().__init__(engine, CurrentRulesCache(), SIGNER)
        self.behind = behind
        self.sizes: list[int] = []

    def store(self, group: list[QueuedEntry]) -> list[TakenEntry | BaseException]:
        if not self.sizes:
            deadline = time.monotonic() + 60  # a handshake: a missed one fails on the sizes
            while self.groups.waiting < self.behind and time.monotonic() < deadline:
                time.sleep(0.001)
        self.sizes.append(len(group))
        return super().store(group)


def take_together(engine: Engine, entries: list[dict[str, str | None]],
                  key: str | None = None) -> tuple[list[TakenEntry], list[BaseException]]:
    """Each of ``entries`` taken at once by the threads of ``WORKERS`` group intakes (as
    many gunicorn workers, each with its own pool); what was taken and what failed. Each
    intake stores its first entry alone and all of its others as one group."""
    each = len(entries) // WORKERS
    assert each * WORKERS == len(entries)
    intakes = [HeldIntake(engine, behind=each - 1) for _ in range(WORKERS)]
    barrier = threading.Barrier(len(entries))
    taken: list[TakenEntry] = []
    failures: list[BaseException] = []

    def enter(number: int, data: dict[str, str | None]) -> None:
        try:
            barrier.wait()
            taken.append(intakes[number % WORKERS].take("winter-giveaway",
                                                        arrival(data, key=key)))
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failures.append(error)

    threads = [threading.Thread(target=enter, args=item) for item in enumerate(entries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [intake.sizes for intake in intakes] == [[1, each - 1]] * WORKERS
    return taken, failures


def test_one_person_entering_through_many_groups_at_once_counts_once(
        engine: Engine, session: Session) -> None:
    make_contest(session, rules=rules_document(per_household=2))
    session.commit()
    rounds = 3  # races are chancy: several rounds make a missed one near impossible
    for person in range(rounds):
        same_person = [entrant(full_name=f"Anna Petrova {n}", email=f"anna{person}@example.ru",
                               phone=None, address=f"ul. Lenina {person}, kv. 3")
                       for n in range(WORKERS * THREADS)]
        taken, failures = take_together(engine, same_person)
        assert failures == []
        assert sorted(entry.reasons for entry in taken) == (
            [()] + [("person_limit",)] * (WORKERS * THREADS - 1))
    rows = session.exec(select(Entry)).all()
    assert len({row.ticket for row in rows}) == len(rows) == rounds * WORKERS * THREADS
    for person in range(rounds):
        reasons = sorted(row.reasons for row in rows if row.email == f"anna{person}@example.ru")
        assert reasons == [()] + [("person_limit",)] * (WORKERS * THREADS - 1), person


def test_one_household_and_one_double_click_through_many_groups_at_once(
        engine: Engine, session: Session) -> None:
    make_contest(session, rules=rules_document(per_household=2))
    session.commit()
    household = [entrant(full_name=f"Member {n}", email=f"member{n}@example.ru", phone=None)
                 for n in range(WORKERS * THREADS)]
    assert take_together(engine, household)[1] == []
    eligible = session.exec(select(Entry).where(Entry.eligible == True)).all()  # noqa: E712
    assert len(eligible) == 2
    taken, failures = take_together(engine, [entrant(email="click@example.ru", phone=None,
                                                     address="ul. Mira 1")] * THREADS,
                                    key="double-click")
    assert failures == []
    assert len({entry.ticket for entry in taken}) == 1
    assert sum(entry.new for entry in taken) == 1
    stored = session.exec(select(Entry).where(Entry.idempotency_key == "double-click")).all()
    assert [row.ticket for row in stored] == [taken[0].ticket]


def test_an_entry_taken_after_an_amendment_is_taken_under_the_new_rules(
        engine: Engine, session: Session) -> None:
    contest, first = make_contest(session, rules=rules_document())
    assert first is not None
    session.commit()
    intake = GroupIntake(engine, CurrentRulesCache(), SIGNER)

    def take(email: str) -> TakenEntry:
        return intake.take("winter-giveaway",
                           arrival(entrant(email=email, phone=None, birth_date="1970-01-01"),
                                   key=email))

    assert take("before@example.ru").rules_sha256 == first.sha256  # the rules are now kept
    second = amend_contest(session, contest, rules_document(min_age=40))
    after = take("after@example.ru")  # refused under the kept rules, taken under the new
    assert (after.rules_sha256, after.eligible) == (second.sha256, True)
    stored = session.exec(select(Entry.email, Entry.rules_version_id)
                          .order_by(Entry.id)).all()  # type: ignore[arg-type]
    assert stored == [("before@example.ru", first.id), ("after@example.ru", second.id)]
