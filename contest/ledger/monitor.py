"""A monitor's replay of the public log: each event must be valid given the ones before it.

Certificate Transparency's monitors read every entry of a log and check what it says;
this is that reading for contests. :func:`replay` takes the events in log order, each with
its leaf index, keeps each contest's state, and names every event that the history before
it does not allow, first first (``docs/PROTOCOL.md``, "Monitoring the log"):

- a contest begins with ``rules.published`` (version 1); each ``rules.amended`` is the next
  version, before the freeze;
- ``entry.accepted`` names a ticket not accepted before, under rules the log published for
  the contest; ``entry.recounted`` and ``auditor.decision`` name an accepted ticket (or one
  ``adopted`` later, before the freeze: an entry from before entries were logged); none of
  them, nor ``entries.imported`` or ``randomness.committed``, comes after the freeze;
- ``entries.frozen`` comes once, under published rules, at or after the close those rules
  give; its excluded list, eligible count and entries root are the logged entries'
  (:func:`contest.ledger.tally.frozen_event_problems`);
- ``randomness.revealed`` comes once, after the freeze; ``draw.made`` once, after the
  randomness, over the frozen list, the rules and the value revealed;
- ``winner.replaced`` replaces a current winner by the next unused alternate in order
  (nobody, ``null``, once none is left), for ``condition_unmet`` only when a
  ``condition.checked`` found the ticket unmet; ``condition.checked`` names a drawn winner or
  alternate, after the draw; ``source.read`` and ``source.gap_accepted`` come before the
  freeze, which waits for each read source's latest read to come after the close, whole or
  its gap accepted;
- complaints are acknowledged numbered 1, 2, 3… per contest; an extension or an answer names
  an acknowledged complaint not yet answered.

What the monitor cannot check it says (:attr:`Replay.unchecked`), never passes in silence:
a freeze under rules it cannot read (so no close to compare with), or a freeze with no
logged entry before it (a log from before entries were logged).

:func:`replay` works on plain data, so ``contest log verify`` (:func:`replay_log`, over the
database) and ``contest verify --log`` (over tiles fetched from a server) run the same code.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from contest.canonical import sha256_hex
from contest.ledger.tally import ENTRY_EVENTS, Tally, frozen_event_problems, tally
from contest.models import Contest, LogEntry, RulesVersion

RulesOf = Callable[[str, str], Mapping[str, Any] | None]
"""The rules data (a published version's JSON) of a contest's rules SHA-256, or None when
the monitor cannot know them."""

_BEFORE_FREEZE = frozenset((*ENTRY_EVENTS, "entries.imported", "randomness.committed",
                            "rules.amended", "source.read", "source.gap_accepted"))
_READ_BATCH = 10_000


@dataclass(frozen=True)
class Finding:
    """What the monitor says of one leaf: a problem, or something it could not check."""

    leaf_index: int
    contest: str
    message: str

    def __str__(self) -> str:
        return f"leaf {self.leaf_index}: {self.message}"


@dataclass(frozen=True)
class Replay:
    """How many events were replayed, the problems (first first), what was not checked, and
    each contest's entries as its valid events left them (as of its freeze, once frozen:
    nothing after it may change them)."""

    events: int
    problems: tuple[Finding, ...]
    unchecked: tuple[Finding, ...]
    entries: Mapping[str, Tally] = field(default_factory=dict)


@dataclass
class _Read:
    """A ``source.read`` as the log told it: its leaf, moment, whether it was whole, and
    whether its gap was accepted since."""

    leaf: int
    at: datetime | None
    complete: bool
    accepted: bool = False


@dataclass
class _Contest:
    """One contest as the log has told it so far."""

    version: int = 0
    rules: set[str] = field(default_factory=set)
    entries: Tally = field(default_factory=Tally)
    frozen: int | None = None
    freeze: Mapping[str, Any] = field(default_factory=dict)
    revealed: int | None = None
    value: object = None
    drawn: int | None = None
    winners: list[str] = field(default_factory=list)
    alternates: list[str] = field(default_factory=list)
    used: int = 0
    unmet: set[str] = field(default_factory=set)
    """The drawn tickets a ``condition.checked`` found unmet."""
    reads: dict[int, _Read] = field(default_factory=dict)
    """The latest ``source.read`` of each source (by its place in the rules)."""
    complaints: dict[int, bool] = field(default_factory=dict)
    """Each acknowledged complaint's number: answered yet?"""
    unaccepted: dict[str, list[Finding]] = field(default_factory=dict)
    """What was found against events about tickets not accepted (yet): an entry from before
    entries were logged is put on the log later, ``adopted``, and explains them."""


class _Monitor:
    def __init__(self, rules_of: RulesOf) -> None:
        self.rules_of = rules_of
        self.contests: dict[str, _Contest] = {}
        self.problems: list[Finding] = []
        self.unchecked: list[Finding] = []
        self.leaf = 0
        self.name = ""

    def problem(self, message: str) -> None:
        self.problems.append(Finding(self.leaf, self.name, message))

    def cannot_check(self, message: str) -> None:
        self.unchecked.append(Finding(self.leaf, self.name, message))

    def event(self, leaf: int, event: Mapping[str, Any]) -> None:
        kind, name = event.get("type"), event.get("contest")
        if not isinstance(kind, str) or not isinstance(name, str):
            return  # not about a contest: nothing to hold it against
        self.leaf, self.name = leaf, name
        state = self.contests.get(name)
        if state is None:
            state = self.contests[name] = _Contest()
            if kind != "rules.published":
                self.problem(f"the first event of {name} is {kind}, not rules.published")
        if state.frozen is not None and kind in _BEFORE_FREEZE:
            self.problem(f"{kind} for {name} after its entries were frozen (leaf "
                         f"{state.frozen})")
            return
        check = _CHECKS.get(kind)
        if check is not None:
            check(self, state, event)

    def rules_published(self, state: _Contest, event: Mapping[str, Any]) -> None:
        if state.version:
            self.problem(f"rules.published publishes {self.name}'s rules again (version "
                         f"{event.get('version')})")
            return
        self._version(state, event, 1)

    def rules_amended(self, state: _Contest, event: Mapping[str, Any]) -> None:
        self._version(state, event, state.version + 1)

    def _version(self, state: _Contest, event: Mapping[str, Any], expected: int) -> None:
        version = _whole(event.get("version"))
        if version != expected:
            self.problem(f"{event.get('type')} gives version {version}, expected version "
                         f"{expected}")
            return
        state.version = expected
        state.rules.add(str(_text(event.get("rules_sha256"))))

    def entry(self, state: _Contest, event: Mapping[str, Any]) -> None:
        if (event.get("type") == "entry.accepted"
                and _text(event.get("rules_sha256")) not in state.rules):
            self.problem(f"entry.accepted of ticket {event.get('ticket')} under rules "
                         f"{event.get('rules_sha256')}, which the log never published for "
                         f"{self.name}")
            return
        kind, ticket = event.get("type"), event.get("ticket")
        if kind == "entry.accepted" and event.get("adopted") is True:
            state.unaccepted.pop(str(ticket), None)
        already = len(state.entries.problems)
        tally((event,), contest=self.name, start=state.entries)
        found = [Finding(self.leaf, self.name, problem)
                 for problem in state.entries.problems[already:]]
        if kind != "entry.accepted" and isinstance(ticket, str) and found:
            # A ticket not accepted yet may still be adopted, until the freeze.
            state.unaccepted.setdefault(ticket, []).extend(found)
        else:
            self.problems.extend(found)

    def still_unaccepted(self, state: _Contest) -> None:
        """The events about tickets never accepted nor adopted: problems after all."""
        for found in state.unaccepted.values():
            self.problems.extend(found)
        state.unaccepted.clear()

    def entries_frozen(self, state: _Contest, event: Mapping[str, Any]) -> None:
        if state.frozen is not None:
            self.problem(f"{self.name}'s entries are frozen again (first at leaf "
                         f"{state.frozen})")
            return
        state.frozen, state.freeze = self.leaf, event
        self.still_unaccepted(state)
        sha256 = str(_text(event.get("rules_sha256")))
        if sha256 not in state.rules:
            self.problem(f"entries.frozen under rules {sha256}, which the log never "
                         f"published for {self.name}")
        else:
            self._after_close(state, event, sha256)
        if not state.entries.reasons and (event.get("eligible") or event.get("excluded")):
            self.cannot_check(f"the freeze could not be checked against the log: no "
                              f"entry.accepted event of {self.name} comes before it")
            return
        for problem in frozen_event_problems(state.entries, event):
            self.problem(problem)

    def _after_close(self, state: _Contest, event: Mapping[str, Any], sha256: str) -> None:
        rules = self.rules_of(self.name, sha256)
        period = rules.get("period") if rules is not None else None
        closes = _moment(period.get("closes_at")) if isinstance(period, Mapping) else None
        if closes is None:
            self.cannot_check(f"could not check that the freeze comes after the close: the "
                              f"monitor cannot read the close from {self.name}'s rules "
                              f"{sha256}")
            return
        sources = rules.get("sources") if rules is not None else None
        for index, source in enumerate(sources if isinstance(sources, list) else ()):
            if not isinstance(source, Mapping) or source.get("network") == "telegram":
                continue  # a bot takes its entries itself: nothing is read
            read = state.reads.get(index)
            if read is None or read.at is None or read.at < closes:
                self.problem(f"entries.frozen with source {index + 1} of {self.name} not read "
                             f"after the close")
            elif not read.complete and not read.accepted:
                self.problem(f"entries.frozen with the latest read of source {index + 1} of "
                             f"{self.name} (leaf {read.leaf}) incomplete and its gap not "
                             f"accepted")
        frozen = _moment(event.get("at"))
        if frozen is None:
            self.problem(f"entries.frozen gives no moment, got {event.get('at')!r}")
        elif frozen < closes:
            self.problem(f"entries.frozen at {event.get('at')} is before the close at "
                         f"{closes.isoformat()}")

    def randomness_revealed(self, state: _Contest, event: Mapping[str, Any]) -> None:
        if state.frozen is None:
            self.problem(f"randomness.revealed before {self.name}'s entries were frozen")
        elif state.revealed is not None:
            self.problem(f"{self.name}'s randomness is revealed again (first at leaf "
                         f"{state.revealed})")
        elif state.drawn is not None:
            self.problem(f"randomness.revealed after {self.name} was drawn")
        else:
            state.revealed, state.value = self.leaf, event.get("value")

    def draw_made(self, state: _Contest, event: Mapping[str, Any]) -> None:
        if state.frozen is None:
            self.problem(f"draw.made before {self.name}'s entries were frozen")
            return
        if state.drawn is not None:
            self.problem(f"{self.name} is drawn again (first at leaf {state.drawn})")
            return
        if state.revealed is None:
            self.problem("draw.made before its randomness was revealed")
            return
        for name in ("rules_sha256", "entries_root"):
            if event.get(name) != state.freeze.get(name):
                self.problem(f"draw.made says {name} {event.get(name)}, the freeze fixed "
                             f"{name} {state.freeze.get(name)}")
        if event.get("value") != state.value:
            self.problem(f"draw.made says value {event.get('value')}, the randomness revealed "
                         f"is {state.value}")
        state.drawn = self.leaf
        state.winners = [str(ticket) for ticket in _list(event.get("winners"))]
        state.alternates = [str(ticket) for ticket in _list(event.get("alternates"))]

    def condition_checked(self, state: _Contest, event: Mapping[str, Any]) -> None:
        if state.drawn is None:
            self.problem(f"condition.checked before {self.name}'s draw")
            return
        ticket = event.get("ticket")
        if ticket not in state.winners and ticket not in state.alternates:
            self.problem(f"condition.checked checks {ticket}, not drawn in {self.name}")
        elif event.get("result") == "unmet":
            state.unmet.add(str(ticket))

    def source_read(self, state: _Contest, event: Mapping[str, Any]) -> None:
        source = _whole(event.get("source"))
        if source is not None:
            state.reads[source] = _Read(self.leaf, _moment(event.get("at")),
                                        event.get("complete") is True)

    def source_gap_accepted(self, state: _Contest, event: Mapping[str, Any]) -> None:
        source = _whole(event.get("source"))
        read = state.reads.get(source) if source is not None else None
        if read is None or read.leaf != event.get("read_leaf"):
            self.problem(f"source.gap_accepted accepts the read at leaf "
                         f"{event.get('read_leaf')}, not the latest read of source "
                         f"{event.get('source')} of {self.name}")
        else:
            read.accepted = True

    def winner_replaced(self, state: _Contest, event: Mapping[str, Any]) -> None:
        if state.drawn is None:
            self.problem(f"winner.replaced before {self.name}'s draw")
            return
        ticket, replacement = event.get("ticket"), event.get("replacement")
        if ticket not in state.winners:
            self.problem(f"winner.replaced replaces {ticket}, not a current winner of "
                         f"{self.name}")
            return
        if event.get("reason") == "condition_unmet" and ticket not in state.unmet:
            self.problem(f"winner.replaced replaces {ticket} for condition_unmet, which no "
                         f"condition.checked found unmet")
        expected = (state.alternates[state.used] if state.used < len(state.alternates)
                    else None)
        if replacement != expected:
            self.problem(f"winner.replaced brings in {replacement or 'nobody'}, the next "
                         f"unused alternate is {expected or 'nobody'}")
        # The log's word stands for what follows: the place goes to whom it names.
        spot = state.winners.index(str(ticket))
        if replacement is None:
            state.winners.pop(spot)
        else:
            state.winners[spot] = str(replacement)
            state.used += 1

    def complaint(self, state: _Contest, event: Mapping[str, Any]) -> None:
        kind, number = event.get("type"), _whole(event.get("number"))
        if kind == "complaint.acknowledged":
            expected = len(state.complaints) + 1
            if number != expected:
                self.problem(f"complaint.acknowledged acknowledges complaint "
                             f"{event.get('number')}, expected number {expected}")
            else:
                state.complaints[number] = False
            return
        if number is None or number not in state.complaints:
            self.problem(f"{kind} names complaint {event.get('number')}, which was not "
                         f"acknowledged")
        elif state.complaints[number]:
            self.problem(f"{kind} names complaint {number}, which was answered already")
        elif kind == "complaint.answered":
            state.complaints[number] = True


_CHECKS: dict[str, Callable[[_Monitor, _Contest, Mapping[str, Any]], None]] = {
    "rules.published": _Monitor.rules_published,
    "rules.amended": _Monitor.rules_amended,
    **{kind: _Monitor.entry for kind in ENTRY_EVENTS},
    "entries.frozen": _Monitor.entries_frozen,
    "randomness.revealed": _Monitor.randomness_revealed,
    "draw.made": _Monitor.draw_made,
    "winner.replaced": _Monitor.winner_replaced,
    "condition.checked": _Monitor.condition_checked,
    "source.read": _Monitor.source_read,
    "source.gap_accepted": _Monitor.source_gap_accepted,
    "complaint.acknowledged": _Monitor.complaint,
    "complaint.extended": _Monitor.complaint,
    "complaint.answered": _Monitor.complaint,
}
"""What each event type must satisfy given the contest's history; other types are only
counted (and held to coming before the freeze where :data:`_BEFORE_FREEZE` says so)."""


def replay(leaves: Iterable[tuple[int, Mapping[str, Any]]], *, rules_of: RulesOf) -> Replay:
    """Replay ``leaves`` (leaf index and event, in log order) as a monitor would."""
    monitor = _Monitor(rules_of)
    count = 0
    for index, event in leaves:
        monitor.event(index, event)
        count += 1
    for state in monitor.contests.values():
        monitor.still_unaccepted(state)
    problems = sorted(monitor.problems, key=lambda found: found.leaf_index)
    return Replay(count, tuple(problems), tuple(monitor.unchecked),
                  {name: state.entries for name, state in monitor.contests.items()})


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _whole(value: object) -> int | None:
    """A JSON whole number (``true`` is none, though Python counts it as 1)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def replay_log(session: Session) -> Replay:
    """:func:`replay` over every leaf of the log in the database, reading each contest's rules
    from its published versions (a version whose stored text no longer hashes to its
    fingerprint is not read: the freeze under it is then said unchecked)."""
    return replay(_stored_leaves(session), rules_of=_StoredRules(session))


def _stored_leaves(session: Session) -> Iterator[tuple[int, Mapping[str, Any]]]:
    start = 0
    while True:
        rows = session.exec(select(LogEntry.leaf_index, LogEntry.leaf).where(
            LogEntry.leaf_index >= start).order_by(col(LogEntry.leaf_index))
            .limit(_READ_BATCH)).all()
        for index, leaf in rows:
            try:
                event = json.loads(leaf)
            except ValueError:
                event = None  # verify_log names a leaf that is not what was appended
            yield index, event if isinstance(event, dict) else {}
        if len(rows) < _READ_BATCH:
            return
        start = rows[-1][0] + 1


class _StoredRules:
    def __init__(self, session: Session) -> None:
        self.session = session

    def __call__(self, contest: str, rules_sha256: str) -> Mapping[str, Any] | None:
        text = self.session.exec(select(RulesVersion.canonical_json).join(
            Contest, col(Contest.id) == RulesVersion.contest_id).where(
            Contest.slug == contest, RulesVersion.sha256 == rules_sha256)).first()
        if text is None or sha256_hex(text.encode("utf-8")) != rules_sha256:
            return None
        rules: Mapping[str, Any] = json.loads(text)
        return rules
