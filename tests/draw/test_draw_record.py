"""The draw record's lists — frozen tickets, winners, alternates, excluded tickets — are read
and written as typed values, while the stored form (and so every public output) stays what
the previous version wrote."""

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from contest.draw.bundle import build_bundle
from contest.draw.service import find_draw, freeze
from contest.ledger.note import Signer
from contest.ledger.store import read_entries
from contest.models import Entry, ExcludedTicket
from tests.builders import SIGNER
from tests.draw.builders import FREEZE, closed_contest, drawn, unsaved_record


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    return SIGNER  # the log's one key: the builders' contests are sealed under it


def _event(session: Session, index: int) -> dict[str, object]:
    event: dict[str, object] = json.loads(read_entries(session, index, index + 1)[0].leaf)
    return event


def test_the_frozen_tickets_read_back_as_a_tuple_in_ticket_order(session: Session,
                                                                  signer: Signer) -> None:
    contest = closed_contest(session, entrants=12)
    record = freeze(session, contest=contest, now=FREEZE, signer=signer)
    session.commit()
    session.expire_all()
    eligible = sorted(session.exec(select(Entry.ticket).where(
        Entry.contest_id == contest.id, col(Entry.eligible).is_(True))).all())
    stored = session.connection().execute(text(
        "SELECT tickets FROM draws WHERE id = :id"), {"id": record.id}).scalar_one()
    assert record.tickets == tuple(eligible) and len(record.tickets) == 10
    assert record.ticket_count == 10
    assert stored == "\n".join(eligible), "the stored form is the previous version's"


def test_a_frozen_record_has_no_winners_or_alternates_yet(session: Session,
                                                          signer: Signer) -> None:
    record = freeze(session, contest=closed_contest(session, entrants=3), now=FREEZE,
                    signer=signer)
    assert (record.winners, record.alternates) == ((), ())


def test_winners_and_alternates_are_the_draw_events_lists(session: Session,
                                                          signer: Signer) -> None:
    record = find_draw(session, drawn(session, signer))
    assert record is not None and record.draw_leaf_index is not None
    event = _event(session, record.draw_leaf_index)
    assert isinstance(record.winners, tuple) and isinstance(record.alternates, tuple)
    assert (list(record.winners), list(record.alternates)) == (event["winners"],
                                                               event["alternates"])
    assert len(record.winners) == 3 and len(record.alternates) == 2


def test_excluded_tickets_carry_their_reason_codes(session: Session, signer: Signer) -> None:
    record = freeze(session, contest=closed_contest(session, entrants=20), now=FREEZE,
                    signer=signer)
    event = _event(session, record.freeze_leaf_index)
    assert all(isinstance(item, ExcludedTicket) for item in record.excluded)
    assert [item.to_data() for item in record.excluded] == event["excluded"]
    assert {item.reasons for item in record.excluded} == {("under_age",)}


def test_a_ticket_with_several_reasons_reads_back_as_several_codes() -> None:
    record = unsaved_record(excluded_json=json.dumps([
        {"ticket": "a" * 32, "reason": "under_age,person_limit"},
        {"ticket": "b" * 32, "reason": ""}]))
    assert record.excluded == (ExcludedTicket("a" * 32, ("under_age", "person_limit")),
                               ExcludedTicket("b" * 32, ()))
    assert json.dumps([item.to_data() for item in record.excluded]) == record.excluded_json


def test_the_bundle_lists_are_the_stored_lists_unchanged(session: Session,
                                                         signer: Signer) -> None:
    contest = drawn(session, signer)
    bundle = build_bundle(session, contest=contest, verifier_key=signer.verifier_key())
    stored = session.connection().execute(text(
        "SELECT tickets, winners, alternates, excluded_json FROM draws")).one()
    assert bundle["tickets"] == stored.tickets.split("\n")
    assert (bundle["winners"], bundle["alternates"]) == (stored.winners.split("\n"),
                                                         stored.alternates.split("\n"))
    assert json.dumps(bundle["excluded"]) == stored.excluded_json


@pytest.mark.parametrize("tickets", [["a" * 32, "b\nc"], ["\n"], [""]])
def test_a_list_that_would_not_read_back_the_same_is_refused(tickets: list[str]) -> None:
    record = unsaved_record()
    with pytest.raises(ValueError, match="cannot be stored one a line so as to read back"):
        record.tickets = tickets
    with pytest.raises(ValueError, match="cannot be stored one a line so as to read back"):
        record.winners = tickets


def test_an_empty_list_is_stored_as_no_lines() -> None:
    record = unsaved_record()
    record.tickets, record.winners, record.alternates = [], [], ()
    assert (record.tickets, record.winners, record.alternates) == ((), (), ())
    assert record.ticket_count == 0
