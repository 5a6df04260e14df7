"""Every entry stored is an event on the public log, in its own transaction (issue 18 §1):
``entry.accepted`` with the codes known when it is stored, then ``entry.recounted`` when the
count of the limits changes them; the log's tally of the contest says what the entries say."""

import json
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from contest.entries.reconcile import disagreements
from contest.ledger.events import moment
from contest.ledger.logged_entries import logged_entries
from contest.ledger.merkle import leaf_hash
from contest.models import Channel, PendingLeaf, table_of
from tests.builders import OPENS, make_entry, make_published

ANNA = {"full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
        "country": "US"}


def _pending(session: Session) -> list[dict[str, object]]:
    table = table_of(PendingLeaf)
    return [json.loads(leaf) for leaf in session.connection().execute(
        select(table.c.leaf).order_by(table.c.id)).scalars()]


def test_a_persons_second_entry_is_accepted_then_recounted_over_the_limit(
        session: Session) -> None:
    published = make_published(session)
    first = make_entry(session, published, data=ANNA, now=OPENS + timedelta(hours=1),
                       channel=Channel.API)
    second = make_entry(session, published, data=ANNA, now=OPENS + timedelta(hours=2),
                        channel=Channel.API)
    session.commit()
    assert first.reasons == () and second.reasons == ("person_limit",)
    assert [(event["type"], event["ticket"], event["reasons"])
            for event in _pending(session)] == [
        ("entry.accepted", first.ticket, []), ("entry.accepted", second.ticket, []),
        ("entry.recounted", second.ticket, ["person_limit"])]
    accepted = _pending(session)[0]
    assert set(accepted) == {"type", "contest", "ticket", "rules_sha256", "channel", "reasons",
                             "at"}
    assert (accepted["contest"], accepted["channel"], accepted["rules_sha256"]) == (
        "winter-giveaway", "api", published.version.sha256)
    assert accepted["at"] == moment((OPENS + timedelta(hours=1)).replace(microsecond=0))
    counted = logged_entries(session, contest="winter-giveaway", pending=True)
    assert counted.reasons == {first.ticket: frozenset(),
                               second.ticket: frozenset({"person_limit"})}
    assert disagreements(session, published.contest) == []


def test_the_receipts_leaf_hash_is_the_accepted_events(session: Session) -> None:
    from contest.entries.intake import Arrival, take_entry
    from tests.builders import SIGNER, consent_version

    published = make_published(session)
    taken = take_entry(session, contest=published, signer=SIGNER, arrival=Arrival(
        ANNA, Channel.API, OPENS + timedelta(hours=1), consent=consent_version()))
    session.commit()
    table = table_of(PendingLeaf)
    (leaf,) = session.connection().execute(select(table.c.leaf)).scalars()
    assert taken.leaf_hash == leaf_hash(leaf.encode()).hex()
