"""The entry API's intake: entries that arrive together are taken in one transaction.

A batching layer over :func:`contest.entries.intake.take_entries`, the one way entries
come in: the entries of a group go to it together.

Most of what an entry costs the server and the database is the transaction around it: the
round trips to begin and commit, the statement that reads the limits, the commit's flush to
disk. So the threads of one process that are taking entries at the same moment share one
transaction (a *group commit*, as databases do with their own log): the first thread to
arrive takes its entry at once and becomes the *leader*; entries that arrive while it works
wait, and when it is done, the first of them leads them all as the next group. When entries
come one at a time, each is a group of one and waits for nobody.

A request's answer is sent only after its group committed, so a receipt always stands for a
stored entry. An entry's outcome is its own: a repeated idempotency key, a collision, or an
error that one row may cause, of whatever class (the group is then stored again one entry
at a time) reach that entry's request alone; a lost database or newer rules reach every
request of the group, as they would each have reached it alone.
"""

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session

from contest.entries.intake import Arrival, BroughtIn, TakenEntry, take_entries
from contest.errors import NotFound, RulesChanged
from contest.i18n import N_
from contest.ledger.note import Signer
from contest.rules.publishing import CurrentRulesCache
from contest.rules.versions import PublishedContest

# What fails a group for every entry in it, as it would have failed each alone: newer rules,
# and a database that is lost, restarting, deadlocked or without a free connection. Storing
# the entries one at a time would only fail as many times.
_WHOLE_GROUP_FAILURES = (RulesChanged, OperationalError, InterfaceError, PoolTimeout)

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


class _Waiter(Generic[Item, Outcome]):
    """One item in a :class:`GroupCommit`: woken when its outcome is known, or to lead."""

    def __init__(self, item: Item, key: Hashable) -> None:
        self.item = item
        self.key = key
        self.leads = False
        self.woken = threading.Event()
        self._outcome: Outcome | BaseException | None = None
        self._settled = False

    def settle(self, outcome: "Outcome | BaseException") -> None:
        self._outcome, self._settled = outcome, True
        self.woken.set()

    def outcome(self) -> Outcome:
        assert self._settled, "an item's outcome is read once it is known"
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        return self._outcome  # type: ignore[return-value]


class GroupCommit(Generic[Item, Outcome]):
    """Runs ``run`` once for each group of items that :meth:`submit` is given together.

    ``run`` gets the items of one group (at most ``largest``, all of one ``key``) and returns
    an outcome or an exception for each, in order; if it raises, every item of the group gets
    that exception (an interrupt, such as ``KeyboardInterrupt``, only the leader's item; the
    others a :class:`RuntimeError`). It runs in the thread of the group's first item, one
    group at a time.
    """

    def __init__(self, run: Callable[[list[Item]], list["Outcome | BaseException"]], *,
                 key: Callable[[Item], Hashable] = lambda item: None,
                 largest: int = 64) -> None:
        self._run = run
        self._key = key
        self._largest = largest
        self._lock = threading.Lock()
        self._waiting: list[_Waiter[Item, Outcome]] = []
        self._leading = False

    @property
    def waiting(self) -> int:
        """How many items are waiting for a group."""
        with self._lock:
            return len(self._waiting)

    def submit(self, item: Item) -> Outcome:
        """``item``'s outcome once its group has run; raises the exception it got."""
        waiter: _Waiter[Item, Outcome] = _Waiter(item, self._key(item))
        with self._lock:
            self._waiting.append(waiter)
            if not self._leading:
                self._leading = waiter.leads = True
        if not waiter.leads:
            waiter.woken.wait()
        if waiter.leads:
            self._lead()
        return waiter.outcome()

    def _lead(self) -> None:
        """Run the group of the first waiting item (the leader's own), then hand the lead to
        the next one."""
        try:
            with self._lock:
                key = self._waiting[0].key
                group = [w for w in self._waiting if w.key == key][:self._largest]
                taken = {id(w) for w in group}
                self._waiting = [w for w in self._waiting if id(w) not in taken]
            outcomes: list[Outcome | BaseException]
            try:
                outcomes = self._run([waiter.item for waiter in group])
                if len(outcomes) != len(group):
                    raise AssertionError(f"{len(outcomes)} outcomes for {len(group)} items")
            except Exception as error:  # every item's request answers for it
                outcomes = [error] * len(group)
            except BaseException as error:  # an interrupt is the leader's thread's alone
                interrupted = RuntimeError("the group's leader was interrupted")
                interrupted.__cause__ = error
                outcomes = [error, *[interrupted] * (len(group) - 1)]
            for waiter, outcome in zip(group, outcomes, strict=True):
                waiter.settle(outcome)
        finally:
            with self._lock:
                if self._waiting:
                    following = self._waiting[0]
                    following.leads = True
                    following.woken.set()
                else:
                    self._leading = False


@dataclass(frozen=True)
class QueuedEntry:
    """An entry waiting for its group, and the contest with the rules it is taken under."""

    contest: PublishedContest
    arrival: Arrival


class GroupIntake:
    """Takes entries under each contest's current rules (kept in ``rules_cache``) and takes
    those that arrive together with one :func:`~contest.entries.intake.take_entries` in one
    transaction of ``engine``: one per process."""

    def __init__(self, engine: Engine, rules_cache: CurrentRulesCache, signer: Signer) -> None:
        self.engine = engine
        self.rules_cache = rules_cache
        self.signer = signer
        self.groups: GroupCommit[QueuedEntry, TakenEntry] = GroupCommit(
            self.store, key=lambda queued: queued.contest.version.id)

    def current(self, slug: str) -> PublishedContest:
        """Contest ``slug`` with its current rules; raises :class:`NotFound` for a contest
        that is unknown or has no published rules."""
        with Session(self.engine) as session:
            found = self.rules_cache.get(session, slug)
        if found is None:
            raise NotFound(N_("no contest {slug}"), {"slug": slug})
        return found

    def take(self, slug: str, arrival: Arrival) -> TakenEntry:
        """Take the entry that arrived in contest ``slug`` and commit it, with its group.
        While it waits for its group, the request holds no database connection, so a process
        never has its threads waiting for a group with every connection of the pool while
        the leader waits for one.

        If a newer rules version was published since the kept one, nothing is stored, the
        kept rules are forgotten and the entry is taken once more under the newest. Raises
        :class:`NotFound` for a contest that is unknown or has no published rules, and the
        error that kept the entry out (:class:`~contest.errors.EntryRejected`…) as
        :func:`~contest.entries.intake.take_entries` reports it.
        """
        for attempt in (1, 2):
            try:
                return self.groups.submit(QueuedEntry(self.current(slug), arrival))
            except RulesChanged:
                self.rules_cache.forget(slug)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable: the second attempt returns or raises")

    def store(self, group: list[QueuedEntry]) -> list[TakenEntry | BaseException]:
        """Take one group in one transaction (what each group of :attr:`groups` runs); if
        it fails for a reason that may be one entry's, whatever the error's class (a
        constraint, a value the database or its driver refuses, a bug), each entry alone,
        so the others are stored all the same."""
        try:
            return self._commit(group)
        except _WHOLE_GROUP_FAILURES:
            raise
        except Exception:
            if len(group) == 1:
                raise
        outcomes: list[TakenEntry | BaseException] = []
        for queued in group:
            try:
                [outcome] = self._commit([queued])
            except Exception as error:  # this entry's own request reports it
                outcome = error
            outcomes.append(outcome)
        return outcomes

    def _commit(self, group: list[QueuedEntry]) -> list[TakenEntry | BaseException]:
        with Session(self.engine, expire_on_commit=False) as session:
            outcomes = take_entries(session, contest=group[0].contest,
                                    arrivals=[queued.arrival for queued in group],
                                    signer=self.signer, only_if_current=True)
            session.commit()
        answers: list[TakenEntry | BaseException] = []
        for outcome in outcomes:
            assert not isinstance(outcome, BroughtIn), "the API's entries are not brought in"
            answers.append(outcome)
        return answers
