"""The draw record's stored lists: whatever list of tickets is handed to it, it reads back
exactly that list or refuses it, and an excluded ticket's public form survives a reading and a
writing unchanged (the freeze event and the bundle must agree byte for byte)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.models import ExcludedTicket
from tests.draw.builders import unsaved_record

TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
HEX_TICKETS = st.lists(st.text("0123456789abcdef", min_size=32, max_size=32), max_size=50)


@settings(max_examples=300, deadline=None)
@given(st.one_of(HEX_TICKETS, st.lists(TEXT, max_size=8)))
def test_a_stored_list_reads_back_unchanged_or_is_refused(tickets: list[str]) -> None:
    record = unsaved_record()
    try:
        record.winners = tickets
    except ValueError as refused:
        assert tickets == [""] or any("\n" in ticket for ticket in tickets), refused
        return
    assert record.winners == tuple(tickets)


@settings(max_examples=300, deadline=None)
@given(HEX_TICKETS)
def test_tickets_are_never_refused(tickets: list[str]) -> None:
    record = unsaved_record()
    record.tickets = tickets
    assert record.tickets == tuple(tickets) and record.ticket_count == len(tickets)


# In the freeze's order of keys: ticket, then reason.
EXCLUDED = st.builds(lambda ticket, reason: {"ticket": ticket, "reason": reason}, TEXT, TEXT)


@settings(max_examples=300, deadline=None)
@given(st.lists(EXCLUDED, max_size=6))
def test_the_excluded_tickets_public_form_round_trips_exactly(
        items: list[dict[str, str]]) -> None:
    stored = json.dumps(items)
    record = unsaved_record(excluded_json=stored)
    assert [item.to_data() for item in record.excluded] == items
    record.excluded = record.excluded
    assert record.excluded_json == stored


@pytest.mark.parametrize(("reason", "codes"), [
    ("", ()), ("under_age", ("under_age",)),
    ("under_age,person_limit", ("under_age", "person_limit"))])
def test_reason_codes_are_split_on_commas(reason: str, codes: tuple[str, ...]) -> None:
    assert ExcludedTicket.from_data({"ticket": "a" * 32, "reason": reason}).reasons == codes
