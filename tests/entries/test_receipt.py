"""Finding what a receipt page shows of a ticket, on SQLite and PostgreSQL: the entry, its
contest and the rules version it entered under."""

import pytest
from sqlmodel import Session

from contest.entries.receipt import find_receipt
from contest.errors import NotFound
from contest.models import RulesVersion
from tests.review.builders import contest_with_roster


def test_a_ticket_finds_its_entry_contest_and_rules_version_in_any_case(
        session: Session) -> None:
    contest, tickets = contest_with_roster(session)
    contest_with_roster(session, slug="spring-giveaway")  # other entries, other tickets
    receipt = find_receipt(session, tickets["clean"].upper())
    assert receipt.entry.ticket == tickets["clean"]
    assert receipt.entry.full_name == "Anna Kowalski"
    assert receipt.contest.id == contest.id
    version = session.get(RulesVersion, receipt.entry.rules_version_id)
    assert receipt.version == version and receipt.version.contest_id == contest.id


@pytest.mark.parametrize("ticket", ["0" * 32, "not a ticket", ""])
def test_a_ticket_no_entry_has_is_not_found(session: Session, ticket: str) -> None:
    contest_with_roster(session)
    with pytest.raises(NotFound, match="no entry has this ticket"):
        find_receipt(session, ticket)
