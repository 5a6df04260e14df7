"""A contest's entries as its public log tells them: each ticket and the reasons it does not count.

Every accepted entry is an ``entry.accepted`` event (its ticket and the reason codes known at
intake); a recount of the limits is an ``entry.recounted`` event (the ticket's reason codes
since); an auditor's confirmed flag is an ``auditor.decision`` event (the flag's kind becomes
one of the ticket's reasons). Replayed in log order, they give every ticket's reasons at any
point: what the freeze must fix, and what anyone can check the freeze against.

:func:`tally` replays the events; :func:`freeze_problems` compares a freeze with the tally
and names the first ticket that is missing or unexplained. Both work on plain event data,
so the server, ``contest log verify`` and an offline verifier run the same code.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from contest.ledger.bulk import records_merkle_root
from contest.ledger.merkle import merkle_root

ENTRY_EVENTS = ("entry.accepted", "entry.recounted", "auditor.decision")
"""The event types that say which of a contest's tickets count."""

CONFIRMED = "confirmed"


@dataclass
class Tally:
    """Each logged ticket of one contest and its reason codes (empty: it counts), and what did
    not add up while replaying (an event about a ticket never accepted, a ticket accepted
    twice), in log order."""

    reasons: dict[str, frozenset[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    touched: set[str] | None = None
    """The tickets any event gave reasons to; ``None``: any ticket may have some (a tally
    that starts from a million tickets that count keeps this, so :meth:`excluded` need not
    look at all of them)."""

    def eligible(self) -> list[str]:
        """The tickets that count, in ascending order (as the freeze lists them)."""
        return sorted(ticket for ticket, reasons in self.reasons.items() if not reasons)

    def excluded(self) -> dict[str, frozenset[str]]:
        """The tickets that do not count, with their reason codes."""
        if self.touched is not None:
            return {ticket: self.reasons[ticket] for ticket in self.touched
                    if self.reasons.get(ticket)}
        return {ticket: reasons for ticket, reasons in self.reasons.items() if reasons}


def tally(events: Iterable[Mapping[str, Any]], *, contest: str,
          start: Tally | None = None) -> Tally:
    """Replay ``events`` (log order; those of other contests and types are skipped), after
    those ``start`` holds already (it is updated). A recount or decision about a ticket
    whose acceptance comes later counts only when that acceptance is marked ``adopted``."""
    result = start if start is not None else Tally()
    reasons = result.reasons
    # Events about a ticket not accepted yet: an error, unless its acceptance comes later
    # marked adopted (an entry from before every entry was logged, put on the log since).
    early: dict[str, list[Mapping[str, Any]]] = {}
    early_problems: list[tuple[str, Mapping[str, Any]]] = []
    for event in events:
        kind = event.get("type")
        if event.get("contest") != contest or kind not in ENTRY_EVENTS:
            continue
        ticket = event.get("ticket")
        if not isinstance(ticket, str):
            result.problems.append(f"a {kind} event names no ticket")
            continue
        if result.touched is not None:
            result.touched.add(ticket)
        if kind == "entry.accepted":
            if ticket in reasons:
                result.problems.append(f"ticket {ticket} was accepted twice")
                continue
            reasons[ticket] = _codes(event.get("reasons"))
            before = early.pop(ticket, [])
            if before and event.get("adopted") is True:
                for earlier in before:  # an entry from before the log, adopted late
                    _apply(reasons, ticket, earlier)
            else:
                early_problems.extend((ticket, earlier) for earlier in before)
        elif ticket not in reasons:
            early.setdefault(ticket, []).append(event)
        else:
            _apply(reasons, ticket, event)
    early_problems.extend((ticket, event) for ticket, events_ in early.items()
                          for event in events_)
    result.problems.extend(f"ticket {ticket} has an {event.get('type')} event but was never "
                           f"accepted" for ticket, event in early_problems)
    return result


def _apply(reasons: dict[str, frozenset[str]], ticket: str,
           event: Mapping[str, Any]) -> None:
    """What a recount or an auditor's decision does to an accepted ticket's codes."""
    if event.get("type") == "entry.recounted":
        reasons[ticket] = _codes(event.get("reasons"))
    elif event.get("decision") == CONFIRMED:
        reasons[ticket] = reasons[ticket] | {str(event.get("reason"))}


_COUNTS: frozenset[str] = frozenset()


def _codes(value: object) -> frozenset[str]:
    # Most tickets count: they share one empty set (a million entries, a million sets saved).
    if not value or not isinstance(value, list):
        return _COUNTS
    return frozenset(map(str, value))


def freeze_problems(counted: Tally, *, tickets: Sequence[str],
                    excluded: Sequence[Mapping[str, str]]) -> list[str]:
    """What does not add up between a freeze (its ``tickets`` and its ``excluded`` list, as
    the ``entries.frozen`` event and the bundle give them: ``{"ticket", "reason"}`` with the
    codes comma-separated) and the contest's logged entries: the tickets in ascending order,
    the first problem first. Empty when the freeze is exactly the logged accepted tickets
    minus the logged exclusions, each with its reasons."""
    problems = list(counted.problems)
    frozen = set(tickets)
    left_out = {item.get("ticket", ""): frozenset(filter(None, item.get("reason", "")
                                                               .split(",")))
                for item in excluded}
    logged_out = counted.excluded()
    if (len(frozen) == len(tickets) and left_out == logged_out
            and len(frozen) + len(logged_out) == len(counted.reasons)
            and frozen.isdisjoint(logged_out) and frozen <= counted.reasons.keys()):
        return problems  # what a freeze of a million tickets should meet: one pass, no sort
    for ticket in sorted(frozen | set(left_out) | set(counted.reasons)):
        logged = counted.reasons.get(ticket)
        if logged is None:
            where = "frozen" if ticket in frozen else "excluded"
            problems.append(f"ticket {ticket} is {where} but no entry.accepted event "
                            f"names it")
        elif ticket in frozen and logged:
            problems.append(f"ticket {ticket} is frozen but the log excludes it for "
                            f"{','.join(sorted(logged))}")
        elif ticket in frozen:
            continue
        elif ticket not in left_out:
            problems.append(f"ticket {ticket} is on the log but the freeze neither lists "
                            f"nor excludes it")
        elif not logged:
            problems.append(f"ticket {ticket} is excluded for "
                            f"{','.join(sorted(left_out[ticket]))} but the log says it "
                            f"counts")
        elif left_out[ticket] != logged:
            problems.append(f"ticket {ticket} is excluded for "
                            f"{','.join(sorted(left_out[ticket]))} but the log says "
                            f"{','.join(sorted(logged))}")
    return problems


def entries_root(tickets: Sequence[str]) -> bytes:
    """The RFC 6962 root over the ASCII bytes of each ticket, in the order given: what
    contest-draw/1 calls the entries root (``contest.draw.protocol.entries_root``, which the
    log cannot import), fast for tickets of one width."""
    widths = {len(ticket) for ticket in tickets}
    if len(widths) == 1:
        return records_merkle_root("".join(tickets).encode("ascii"), widths.pop())
    return merkle_root(ticket.encode("ascii") for ticket in tickets)


def frozen_event_problems(counted: Tally, freeze: Mapping[str, Any]) -> list[str]:
    """What does not add up between an ``entries.frozen`` event and the contest's logged
    entries before it (``counted``; its own problems are left out, a monitor names them at
    their leaves). The event names no eligible ticket, only their count and their entries
    root, so the tickets it froze are the logged ones less those it excludes: each excluded
    ticket must be logged with those reasons, each ticket the log excludes must be in its
    list, and the count and root must be the logged eligible tickets'.

    The tickets the event froze are taken to be the logged eligible ones it does not exclude:
    a ticket the log excludes and the event does not is then one it "neither lists nor
    excludes" (its root, checked after, cannot say which)."""
    excluded = freeze.get("excluded")
    items = ([item for item in excluded if isinstance(item, Mapping)
              and isinstance(item.get("ticket"), str) and isinstance(item.get("reason"), str)]
             if isinstance(excluded, list) else [])
    if not isinstance(excluded, list) or len(items) != len(excluded):
        return ["the freeze's excluded list is not a list of {\"ticket\", \"reason\"} objects"]
    left_out = {str(item.get("ticket")) for item in items}
    eligible = counted.eligible()
    problems = freeze_problems(Tally(counted.reasons), excluded=items, tickets=[
        ticket for ticket in eligible if ticket not in left_out])
    if freeze.get("eligible") != len(eligible):
        problems.append(f"the freeze says {freeze.get('eligible')} eligible tickets, the "
                        f"log's entries give {len(eligible)}")
    root = entries_root(eligible).hex()
    if freeze.get("entries_root") != root:
        problems.append(f"the freeze says entries_root {freeze.get('entries_root')}, the "
                        f"log's {len(eligible)} eligible tickets give {root}")
    return problems
