"""The monitor's replay of the public log, rule by rule: an honest history passes, and each
forged or out-of-order event is named by its leaf and why."""

import copy
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.canonical import canonical_json, sha256_hex
from contest.ledger import events
from contest.ledger.merkle import merkle_root
from contest.ledger.monitor import replay
from tests.builders import OPENS, rules_document

CONTEST = "winter-giveaway"
RULES = rules_document(winners=1, alternates=2).to_data()
SHA = sha256_hex(canonical_json(RULES))
CLOSE = OPENS + timedelta(days=30)
OTHER_SHA = "ab" * 32
TICKETS = [f"{number:032x}" for number in range(1, 7)]
"""Ticket 0 is under age at intake; ticket 1 an auditor excludes (staff); the rest count."""
ELIGIBLE = TICKETS[2:]
VALUE = "cd" * 32


def rules_of(contest: str, rules_sha256: str) -> Mapping[str, Any] | None:
    return RULES if (contest, rules_sha256) == (CONTEST, SHA) else None


def root(tickets: list[str]) -> str:
    return merkle_root(ticket.encode("ascii") for ticket in sorted(tickets)).hex()


def honest() -> list[dict[str, Any]]:
    """A contest's whole history as its log tells it: published, entries, an exclusion, the
    freeze, the randomness, the draw, a replacement and two complaints."""
    at = OPENS
    history = [events.rules_published(contest=CONTEST, version=1, rules_sha256=SHA, reason="",
                                      at=at - timedelta(days=1))]
    history += [events.entry_accepted(contest=CONTEST, ticket=ticket, rules_sha256=SHA,
                                      channel="form", reasons=["under_age"] if n == 0 else [],
                                      at=at + timedelta(hours=n))
                for n, ticket in enumerate(TICKETS)]
    history += [
        events.auditor_decided(contest=CONTEST, ticket=TICKETS[1], decision="confirmed",
                               reason="staff", at=CLOSE),
        events.auditor_decided(contest=CONTEST, ticket=TICKETS[2], decision="dismissed",
                               reason="dismissed", at=CLOSE),
        events.complaint_acknowledged(contest=CONTEST, number=1, kind="rules",
                                      received_at=CLOSE, due_at=CLOSE + timedelta(days=5)),
        events.entries_frozen(contest=CONTEST, rules_sha256=SHA, entries_root=root(ELIGIBLE),
                              eligible=len(ELIGIBLE),
                              excluded=[{"ticket": TICKETS[0], "reason": "under_age"},
                                        {"ticket": TICKETS[1], "reason": "staff"}],
                              randomness={"source": "drand"}, at=CLOSE + timedelta(minutes=1)),
        events.randomness_revealed(contest=CONTEST, source="drand", value=VALUE, proof={},
                                   at=CLOSE + timedelta(minutes=3)),
        events.draw_made(contest=CONTEST, protocol="contest-draw/1", rules_sha256=SHA,
                         entries_root=root(ELIGIBLE), value=VALUE, seed="ee" * 32,
                         winners=[TICKETS[4]], alternates=[TICKETS[2], TICKETS[5]],
                         at=CLOSE + timedelta(minutes=4)),
        events.winner_replaced(contest=CONTEST, ticket=TICKETS[4], reason="declined",
                               replacement=TICKETS[2], at=CLOSE + timedelta(days=1)),
        events.complaint_acknowledged(contest=CONTEST, number=2, kind="draw",
                                      received_at=CLOSE + timedelta(days=1),
                                      due_at=CLOSE + timedelta(days=6)),
        events.complaint_extended(contest=CONTEST, number=1,
                                  previous_due_at=CLOSE + timedelta(days=5),
                                  due_at=CLOSE + timedelta(days=9),
                                  at=CLOSE + timedelta(days=2)),
        events.complaint_answered(contest=CONTEST, number=1, kind="rules", received_at=CLOSE,
                                  first_due_at=CLOSE + timedelta(days=5),
                                  due_at=CLOSE + timedelta(days=9), public=True,
                                  at=CLOSE + timedelta(days=3)),
    ]
    return history


def index_of(history: list[dict[str, Any]], kind: str, nth: int = 0) -> int:
    return [n for n, event in enumerate(history) if event["type"] == kind][nth]


def replayed(history: list[dict[str, Any]]) -> Any:
    return replay(enumerate(history), rules_of=rules_of)


def test_an_honest_history_replays_without_a_problem() -> None:
    history = honest()
    result = replayed(history)
    assert result.problems == ()
    assert result.unchecked == ()
    assert result.events == len(history)


def test_events_of_no_contest_are_replayed_and_left_alone() -> None:
    history = [{"type": "test.filler", "n": 0}, *honest()]
    result = replayed(history)
    assert (result.problems, result.events) == ((), len(history))


# ---- each rule, and a history that breaks it --------------------------------------------

Forgery = Callable[[list[dict[str, Any]]], int]
"""Changes a copy of the honest history; returns the leaf the monitor must name."""


def _insert(history: list[dict[str, Any]], at: int, event: dict[str, Any]) -> int:
    history.insert(at, event)
    return at


def _move(history: list[dict[str, Any]], kind: str, before: str) -> int:
    event = history.pop(index_of(history, kind))
    return _insert(history, index_of(history, before), event)


def _accepted(ticket: str, *, contest: str = CONTEST, sha: str = SHA) -> dict[str, Any]:
    return events.entry_accepted(contest=contest, ticket=ticket, rules_sha256=sha,
                                 channel="api", reasons=[], at=OPENS)


def _no_rules_first(history: list[dict[str, Any]]) -> int:
    history.pop(0)
    return 0


def _published_again(history: list[dict[str, Any]]) -> int:
    return _insert(history, 2, copy.deepcopy(history[0]))


def _amendment_skips(history: list[dict[str, Any]]) -> int:
    return _insert(history, 2, events.rules_published(contest=CONTEST, version=3,
                                                      rules_sha256=OTHER_SHA, reason="x",
                                                      at=OPENS))


def _amended_after_freeze(history: list[dict[str, Any]]) -> int:
    return _insert(history, index_of(history, "entries.frozen") + 1, events.rules_published(
        contest=CONTEST, version=2, rules_sha256=OTHER_SHA, reason="x", at=CLOSE))


def _accepted_twice(history: list[dict[str, Any]]) -> int:
    return _insert(history, 4, _accepted(TICKETS[0]))


def _accepted_under_unpublished_rules(history: list[dict[str, Any]]) -> int:
    return _insert(history, 3, _accepted("f" * 32, sha=OTHER_SHA))


def _recount_of_no_entry(history: list[dict[str, Any]]) -> int:
    return _insert(history, 3, events.entry_recounted(contest=CONTEST, ticket="f" * 32,
                                                      reasons=[], at=OPENS))


def _decision_on_no_entry(history: list[dict[str, Any]]) -> int:
    return _insert(history, 3, events.auditor_decided(contest=CONTEST, ticket="f" * 32,
                                                      decision="confirmed", reason="staff",
                                                      at=OPENS))


def _entry_after_freeze(history: list[dict[str, Any]]) -> int:
    return _insert(history, index_of(history, "entries.frozen") + 1, _accepted("f" * 32))


def _decision_after_freeze(history: list[dict[str, Any]]) -> int:
    return _insert(history, index_of(history, "draw.made") + 1, events.auditor_decided(
        contest=CONTEST, ticket=TICKETS[3], decision="confirmed", reason="staff", at=CLOSE))


def _recount_after_freeze(history: list[dict[str, Any]]) -> int:
    return _insert(history, index_of(history, "entries.frozen") + 1, events.entry_recounted(
        contest=CONTEST, ticket=TICKETS[3], reasons=["person_limit"], at=CLOSE))


def _frozen_twice(history: list[dict[str, Any]]) -> int:
    frozen = index_of(history, "entries.frozen")
    return _insert(history, frozen + 1, copy.deepcopy(history[frozen]))


def _frozen_before_close(history: list[dict[str, Any]]) -> int:
    frozen = index_of(history, "entries.frozen")
    history[frozen]["at"] = events.moment(CLOSE - timedelta(seconds=1))
    return frozen


def _frozen_under_unpublished_rules(history: list[dict[str, Any]]) -> int:
    frozen = index_of(history, "entries.frozen")
    history[frozen]["rules_sha256"] = OTHER_SHA
    return frozen


def _freeze_drops_an_exclusion(history: list[dict[str, Any]]) -> int:
    frozen = index_of(history, "entries.frozen")
    history[frozen]["excluded"] = history[frozen]["excluded"][:1]
    return frozen


def _freeze_excludes_a_counted_ticket(history: list[dict[str, Any]]) -> int:
    frozen = index_of(history, "entries.frozen")
    history[frozen]["excluded"].append({"ticket": TICKETS[3], "reason": "under_age"})
    return frozen


def _freeze_miscounts(history: list[dict[str, Any]]) -> int:
    frozen = index_of(history, "entries.frozen")
    history[frozen]["eligible"] += 1
    return frozen


def _freeze_root_differs(history: list[dict[str, Any]]) -> int:
    frozen = index_of(history, "entries.frozen")
    history[frozen]["entries_root"] = root(ELIGIBLE[1:])
    return frozen


def _revealed_before_freeze(history: list[dict[str, Any]]) -> int:
    return _move(history, "randomness.revealed", before="entries.frozen")


def _drawn_before_freeze(history: list[dict[str, Any]]) -> int:
    return _move(history, "draw.made", before="entries.frozen")


def _drawn_before_randomness(history: list[dict[str, Any]]) -> int:
    return _move(history, "draw.made", before="randomness.revealed")


def _drawn_twice(history: list[dict[str, Any]]) -> int:
    drawn = index_of(history, "draw.made")
    return _insert(history, drawn + 1, copy.deepcopy(history[drawn]))


def _drawn_over_another_list(history: list[dict[str, Any]]) -> int:
    drawn = index_of(history, "draw.made")
    history[drawn]["entries_root"] = root(ELIGIBLE[1:])
    return drawn


def _replaced_before_draw(history: list[dict[str, Any]]) -> int:
    return _move(history, "winner.replaced", before="draw.made")


def _replaced_not_a_winner(history: list[dict[str, Any]]) -> int:
    replaced = index_of(history, "winner.replaced")
    history[replaced]["ticket"] = TICKETS[3]
    return replaced


def _replaced_by_a_later_alternate(history: list[dict[str, Any]]) -> int:
    replaced = index_of(history, "winner.replaced")
    history[replaced]["replacement"] = TICKETS[5]
    return replaced


def _replaced_by_nobody_with_alternates_left(history: list[dict[str, Any]]) -> int:
    replaced = index_of(history, "winner.replaced")
    history[replaced]["replacement"] = None
    return replaced


def _replaced_winner_replaced_again(history: list[dict[str, Any]]) -> int:
    replaced = index_of(history, "winner.replaced")
    return _insert(history, replaced + 1, events.winner_replaced(
        contest=CONTEST, ticket=TICKETS[4], reason="declined", replacement=TICKETS[5],
        at=CLOSE + timedelta(days=2)))


def _complaint_number_skipped(history: list[dict[str, Any]]) -> int:
    second = index_of(history, "complaint.acknowledged", 1)
    history[second]["number"] = 3
    return second


def _answer_before_acknowledgement(history: list[dict[str, Any]]) -> int:
    return _move(history, "complaint.answered", before="complaint.acknowledged")


def _answered_twice(history: list[dict[str, Any]]) -> int:
    answered = index_of(history, "complaint.answered")
    return _insert(history, answered + 1, copy.deepcopy(history[answered]))


def _extended_after_answer(history: list[dict[str, Any]]) -> int:
    extended = history.pop(index_of(history, "complaint.extended"))
    return _insert(history, len(history), extended)


FORGERIES: dict[str, tuple[Forgery, str]] = {
    "no rules first": (_no_rules_first, "first event of winter-giveaway is entry.accepted, "
                                        "not rules.published"),
    "published again": (_published_again, "publishes winter-giveaway's rules again"),
    "amendment skips": (_amendment_skips, "version 3, expected version 2"),
    "amended after freeze": (_amended_after_freeze, "after its entries were frozen"),
    "accepted twice": (_accepted_twice, f"ticket {TICKETS[0]} was accepted twice"),
    "unpublished rules": (_accepted_under_unpublished_rules,
                          f"rules {OTHER_SHA}, which the log never published for "
                          "winter-giveaway"),
    "recount of no entry": (_recount_of_no_entry, f"ticket {'f' * 32} has an entry.recounted "
                                                  "event but was never accepted"),
    "decision on no entry": (_decision_on_no_entry, "event but was never accepted"),
    "entry after freeze": (_entry_after_freeze, "after its entries were frozen"),
    "decision after freeze": (_decision_after_freeze, "after its entries were frozen"),
    "recount after freeze": (_recount_after_freeze, "after its entries were frozen"),
    "frozen twice": (_frozen_twice, "frozen again"),
    "frozen before close": (_frozen_before_close, "before the close at 2026-12-31T09:00:00"),
    "frozen under unpublished rules": (_frozen_under_unpublished_rules,
                                       "which the log never published"),
    "freeze drops an exclusion": (_freeze_drops_an_exclusion, f"ticket {TICKETS[1]} is on the "
                                                              "log but the freeze neither"),
    "freeze excludes a counted ticket": (_freeze_excludes_a_counted_ticket,
                                         f"ticket {TICKETS[3]} is excluded for under_age but "
                                         "the log says it counts"),
    "freeze miscounts": (_freeze_miscounts, "5 eligible tickets, the log's entries give 4"),
    "freeze root differs": (_freeze_root_differs, f"the log's 4 eligible tickets give "
                                                  f"{root(ELIGIBLE)}"),
    "revealed before freeze": (_revealed_before_freeze, "randomness.revealed before"),
    "drawn before freeze": (_drawn_before_freeze, "draw.made before"),
    "drawn before randomness": (_drawn_before_randomness, "before its randomness was revealed"),
    "drawn twice": (_drawn_twice, "drawn again"),
    "drawn over another list": (_drawn_over_another_list, "the freeze fixed "
                                                          f"entries_root {root(ELIGIBLE)}"),
    "replaced before draw": (_replaced_before_draw, "winner.replaced before"),
    "replaced not a winner": (_replaced_not_a_winner, f"replaces {TICKETS[3]}, not a current "
                                                      "winner"),
    "replaced by a later alternate": (_replaced_by_a_later_alternate,
                                      f"brings in {TICKETS[5]}, the next unused alternate is "
                                      f"{TICKETS[2]}"),
    "replaced by nobody": (_replaced_by_nobody_with_alternates_left,
                           f"brings in nobody, the next unused alternate is {TICKETS[2]}"),
    "replaced again": (_replaced_winner_replaced_again, f"replaces {TICKETS[4]}, not a current "
                                                        "winner"),
    "complaint number skipped": (_complaint_number_skipped, "complaint 3, expected number 2"),
    "answer before acknowledgement": (_answer_before_acknowledgement,
                                      "complaint 1, which was not acknowledged"),
    "answered twice": (_answered_twice, "complaint 1, which was answered already"),
    "extended after answer": (_extended_after_answer, "complaint 1, which was answered "
                                                      "already"),
}


@pytest.mark.parametrize("name", FORGERIES)
def test_a_forged_or_misplaced_event_is_named_by_its_leaf(name: str) -> None:
    forge, why = FORGERIES[name]
    history = honest()
    leaf = forge(history)
    problems = replayed(history).problems
    assert problems, f"{name}: the replay found nothing"
    first = problems[0]
    assert first.leaf_index == leaf, f"{name}: {first}"
    assert why in first.message, f"{name}: {first}"
    assert str(first).startswith(f"leaf {leaf}: ")


def test_problems_come_first_first() -> None:
    history = honest()
    late = _replaced_by_a_later_alternate(history)
    early = _accepted_twice(history)
    problems = replayed(history).problems
    assert [problem.leaf_index for problem in problems] == sorted(
        problem.leaf_index for problem in problems)
    assert problems[0].leaf_index == early < late + 1
    assert any(problem.leaf_index == late + 1 for problem in problems)


def test_a_replacement_with_no_alternate_left_brings_in_nobody() -> None:
    history = honest()
    replaced = index_of(history, "winner.replaced")
    history[replaced + 1:replaced + 1] = [
        events.winner_replaced(contest=CONTEST, ticket=TICKETS[2], reason="declined",
                               replacement=TICKETS[5], at=CLOSE + timedelta(days=1)),
        events.winner_replaced(contest=CONTEST, ticket=TICKETS[5], reason="declined",
                               replacement=None, at=CLOSE + timedelta(days=1))]
    assert replayed(history).problems == ()
    history[replaced + 2]["replacement"] = TICKETS[3]
    [problem] = replayed(history).problems
    assert problem.leaf_index == replaced + 2
    assert f"brings in {TICKETS[3]}, the next unused alternate is nobody" in problem.message


def test_a_freeze_under_rules_the_monitor_cannot_read_is_said_unchecked() -> None:
    history = honest()
    frozen = index_of(history, "entries.frozen")
    result = replay(enumerate(history), rules_of=lambda contest, sha: None)
    assert result.problems == ()
    [note] = result.unchecked
    assert note.leaf_index == frozen
    assert "could not check that the freeze comes after the close" in note.message


def test_a_freeze_with_no_logged_entry_is_said_unchecked_not_passed() -> None:
    """A log from before entries were logged: the freeze cannot be checked against it."""
    history = [event for event in honest()
               if event["type"] not in ("entry.accepted", "auditor.decision")]
    frozen = index_of(history, "entries.frozen")
    result = replayed(history)
    assert result.problems == ()
    [note] = result.unchecked
    assert note.leaf_index == frozen
    assert "no entry.accepted event of winter-giveaway comes before it" in note.message


def test_contests_are_replayed_apart() -> None:
    history = honest()
    other = [events.rules_published(contest="spring", version=1, rules_sha256=OTHER_SHA,
                                    reason="", at=OPENS),
             _accepted(TICKETS[0], contest="spring", sha=OTHER_SHA)]
    history[1:1] = other
    assert replayed(history).problems == ()
    history.append(_accepted(TICKETS[1], contest="spring", sha=SHA))
    [problem] = replayed(history).problems
    assert problem.contest == "spring" and problem.leaf_index == len(history) - 1


_KINDS = st.sampled_from(["rules.published", "rules.amended", "entry.accepted",
                          "entry.recounted", "auditor.decision", "entries.frozen",
                          "randomness.revealed", "draw.made", "winner.replaced",
                          "complaint.acknowledged", "complaint.extended", "complaint.answered",
                          "entries.imported", "something.else"])
_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5)
                       | st.sampled_from([SHA, TICKETS[0], TICKETS[1]]),
                       lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.sampled_from(["ticket", "reason"]), inner,
                                         max_size=2), max_leaves=6)
_FIELDS = st.sampled_from(["version", "rules_sha256", "ticket", "reasons", "decision", "reason",
                           "excluded", "eligible", "entries_root", "at", "value", "winners",
                           "alternates", "replacement", "number"])


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(honest())), st.lists(st.fixed_dictionaries(
    {"type": _KINDS, "contest": st.just(CONTEST)}).flatmap(
    lambda head: st.dictionaries(_FIELDS, _VALUES, max_size=6).map(
        lambda rest: {**rest, **head})), max_size=12))
def test_any_events_are_judged_never_crash_the_monitor(honest_part: int,
                                                       history: list[dict[str, Any]]) -> None:
    """A log's leaves are whatever was appended: the monitor reads odd ones as problems."""
    result = replayed([*honest()[:honest_part], *history])
    assert result.events == len(history) + honest_part
    assert all(isinstance(problem.message, str) for problem in result.problems)


def test_an_adopted_entry_explains_the_events_before_it() -> None:
    """An entry accepted before every entry was logged is put on the log later, marked
    ``adopted`` (``contest log adopt-entries``): the auditor's decisions on it from before
    then name a ticket not accepted yet, and are no problem once it is adopted."""
    history = honest()
    decision = index_of(history, "auditor.decision")
    adopted = history.pop(2)  # ticket 1's acceptance, which the decision names
    history.insert(decision, {**adopted, "adopted": True, "reasons": ["staff"]})
    assert index_of(history, "auditor.decision") < index_of(history, "entry.accepted", 5)
    assert replayed(history).problems == ()


def test_an_event_about_a_ticket_never_accepted_nor_adopted_is_named_where_it_is() -> None:
    history = honest()
    history.pop(2)
    decision = index_of(history, "auditor.decision")
    problems = replayed(history).problems
    assert problems[0].leaf_index == decision
    assert f"ticket {TICKETS[1]} has an auditor.decision event but was never accepted" in (
        problems[0].message)
    assert [problem.leaf_index for problem in problems] == sorted(
        problem.leaf_index for problem in problems)


def test_an_entry_adopted_after_the_freeze_is_a_problem() -> None:
    history = honest()
    frozen = index_of(history, "entries.frozen")
    history.insert(frozen + 1, {**_accepted("f" * 32), "adopted": True})
    [problem] = replayed(history).problems
    assert problem.leaf_index == frozen + 1
    assert "after its entries were frozen" in problem.message


def test_a_source_read_and_a_check_again_keep_their_places() -> None:
    """A read of a social network comes before the freeze; a winner's condition checked
    again names a drawn ticket after the draw: elsewhere the monitor says so."""
    history = honest()
    read = events.source_read(contest=CONTEST, source=0, network="vk",
                              lists=[{"name": "reposts", "reported": 6, "read": 6}],
                              complete=True, entrants=6, taken=6, unmet=0, problems={},
                              at=CLOSE)
    drawn = index_of(history, "draw.made")
    checked = events.condition_checked(contest=CONTEST, ticket=TICKETS[4], role="winner",
                                       condition="member", result="met", reason="",
                                       at=CLOSE + timedelta(minutes=5))
    honest_history = [*history[:index_of(history, "entries.frozen")], read,
                      *history[index_of(history, "entries.frozen"):drawn + 1], checked,
                      *history[drawn + 1:]]
    assert replayed(honest_history).problems == ()

    late = [*history, read]
    assert "source.read for winter-giveaway after its entries were frozen" in (
        replayed(late).problems[0].message)
    early = [*history[:drawn], checked, *history[drawn:]]
    assert replayed(early).problems[0].message.startswith("condition.checked before")
    stranger = [*history, {**checked, "ticket": "0" * 32}]
    assert "not drawn" in replayed(stranger).problems[0].message
