"""A contest's entries as its log tells them, and a freeze held against them."""

from datetime import UTC, datetime

import pytest

from contest.draw.protocol import entries_root as draw_entries_root
from contest.ledger import events
from contest.ledger.tally import entries_root, freeze_problems, frozen_event_problems, tally

AT = datetime(2026, 12, 1, tzinfo=UTC)
A, B, C, D = (f"{n:032x}" for n in range(1, 5))


def accepted(ticket: str, *reasons: str, contest: str = "spring") -> dict[str, object]:
    return events.entry_accepted(contest=contest, ticket=ticket, rules_sha256="0" * 64,
                                 channel="form", reasons=reasons, at=AT)


def logged() -> list[dict[str, object]]:
    """A counts; B is under age at intake; C is over the limit, then recounted to count; D an
    auditor excludes as staff (and a dismissed flag on A changes nothing)."""
    return [accepted(A), accepted(B, "under_age"), accepted(C, "person_limit"), accepted(D),
            events.entry_recounted(contest="spring", ticket=C, reasons=[], at=AT),
            events.auditor_decided(contest="spring", ticket=D, decision="confirmed",
                                   reason="staff", at=AT),
            events.auditor_decided(contest="spring", ticket=A, decision="dismissed",
                                   reason="dismissed", at=AT),
            accepted(B, contest="autumn")]


def test_the_tally_replays_acceptances_recounts_and_confirmed_decisions() -> None:
    counted = tally(logged(), contest="spring")
    assert counted.eligible() == [A, C]
    assert counted.excluded() == {B: frozenset({"under_age"}), D: frozenset({"staff"})}
    assert counted.problems == []


def test_a_tally_goes_on_from_where_it_stood() -> None:
    """A monitor replays one event at a time: each after those already counted."""
    counted = tally([accepted(A)], contest="spring")
    tally([accepted(A, "under_age")], contest="spring", start=counted)
    tally([events.entry_recounted(contest="spring", ticket=B, reasons=[], at=AT)],
          contest="spring", start=counted)
    tally([{"type": "auditor.decision", "contest": "spring"}], contest="spring", start=counted)
    assert counted.problems == [
        f"ticket {A} was accepted twice",
        f"ticket {B} has an entry.recounted event but was never accepted",
        "a auditor.decision event names no ticket"]
    assert counted.reasons == {A: frozenset()}, "a second acceptance changes nothing"


def test_a_freeze_that_matches_the_log_has_no_problem() -> None:
    counted = tally(logged(), contest="spring")
    assert freeze_problems(counted, tickets=[A, C], excluded=[
        {"ticket": B, "reason": "under_age"}, {"ticket": D, "reason": "staff"}]) == []


@pytest.mark.parametrize(("tickets", "excluded", "problem"), [
    ([A], [{"ticket": B, "reason": "under_age"}, {"ticket": D, "reason": "staff"}],
     f"ticket {C} is on the log but the freeze neither lists nor excludes it"),
    ([A, C, D], [{"ticket": B, "reason": "under_age"}],
     f"ticket {D} is frozen but the log excludes it for staff"),
    ([A, C, "f" * 32], [{"ticket": B, "reason": "under_age"}, {"ticket": D, "reason": "staff"}],
     f"ticket {'f' * 32} is frozen but no entry.accepted event names it"),
    ([C], [{"ticket": A, "reason": "staff"}, {"ticket": B, "reason": "under_age"},
           {"ticket": D, "reason": "staff"}],
     f"ticket {A} is excluded for staff but the log says it counts"),
    ([A, C], [{"ticket": B, "reason": "country"}, {"ticket": D, "reason": "staff"}],
     f"ticket {B} is excluded for country but the log says under_age"),
])
def test_a_freeze_that_differs_from_the_log_names_the_ticket(
        tickets: list[str], excluded: list[dict[str, str]], problem: str) -> None:
    counted = tally(logged(), contest="spring")
    assert freeze_problems(counted, tickets=tickets, excluded=excluded)[0] == problem


def freeze_event(**changes: object) -> dict[str, object]:
    event = events.entries_frozen(
        contest="spring", rules_sha256="0" * 64, entries_root=entries_root([A, C]).hex(),
        eligible=2, excluded=[{"ticket": B, "reason": "under_age"},
                              {"ticket": D, "reason": "staff"}], randomness={}, at=AT)
    return {**event, **changes}


def test_a_freeze_event_is_held_against_the_logged_entries() -> None:
    counted = tally(logged(), contest="spring")
    assert frozen_event_problems(counted, freeze_event()) == []
    assert frozen_event_problems(counted, freeze_event(eligible=3)) == [
        "the freeze says 3 eligible tickets, the log's entries give 2"]
    assert frozen_event_problems(counted, freeze_event(entries_root="0" * 64)) == [
        f"the freeze says entries_root {'0' * 64}, the log's 2 eligible tickets give "
        f"{entries_root([A, C]).hex()}"]
    assert frozen_event_problems(counted, freeze_event(excluded=[
        {"ticket": B, "reason": "under_age"}])) == [
        f"ticket {D} is on the log but the freeze neither lists nor excludes it"]
    assert frozen_event_problems(counted, freeze_event(excluded=[{"ticket": B}])) == [
        "the freeze's excluded list is not a list of {\"ticket\", \"reason\"} objects"]


@pytest.mark.parametrize("count", [0, 1, 2, 3, 255, 256, 1000])
def test_the_logs_entries_root_is_the_draws(count: int) -> None:
    tickets = [f"{n * 7919:032x}" for n in range(count)]
    assert entries_root(tickets) == draw_entries_root(tickets)
    assert entries_root(["a", "bb"]) == draw_entries_root(["a", "bb"])


def test_a_decision_logged_before_an_adopted_acceptance_counts() -> None:
    """An auditor decided on an entry from before every entry was logged; the entry was put
    on the log later, marked adopted (contest log adopt-entries): the exclusion stands and
    nothing is amiss. Without the mark the same order is an error."""
    decided = {"type": "auditor.decision", "contest": "c", "ticket": "t1",
               "decision": "confirmed", "reason": "employee"}
    adopted = {"type": "entry.accepted", "contest": "c", "ticket": "t1", "reasons": [],
               "adopted": True}
    counted = tally([decided, adopted], contest="c")
    assert counted.reasons == {"t1": frozenset({"employee"})} and counted.problems == []
    plain = tally([decided, {**adopted, "adopted": False}], contest="c")
    assert plain.problems == ["ticket t1 has an auditor.decision event but was never accepted"]
    never = tally([decided], contest="c")
    assert never.problems == ["ticket t1 has an auditor.decision event but was never accepted"]
