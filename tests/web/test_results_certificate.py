"""The results page is a certificate a sceptic can share (issue 17): each winner's prize,
masked name, region and ticket; the alternates in order; every replacement with its reason in
words and its moment; the draw moment and the randomness in words, the raw proof folded
away; and a link to the verifier. No name, even masked, stands next to a reason."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlmodel import Session, select

from contest.draw.results import prize_places
from contest.draw.service import find_draw, freeze, replace_winner
from contest.models import Entry
from contest.randomness import RandomnessSource
from contest.rules.document import Money, Prize
from tests.builders import rules_document
from tests.draw.builders import DUE, FREEZE, closed_contest, drawn
from tests.fixtures import Browser, Clock

GIVEN_NAMES = ["Bohdan", "Marta", "Taras", "Iryna", "Oksana"]


def _name_the_drawn(db: Session, tickets: list[str]) -> dict[str, str]:
    """Give each drawn entrant a name of their own (the builders' entrants look alike) and
    return each ticket's masked name."""
    masked = {}
    for given, ticket in zip(GIVEN_NAMES, tickets, strict=True):
        entry = db.exec(select(Entry).where(Entry.ticket == ticket)).one()
        entry.full_name = f"{given} Kovalenko"
        entry.country = "UA"
        db.add(entry)
        masked[ticket] = f"{given} K."
    db.commit()
    return masked


def test_the_results_page_is_a_certificate(app: Flask, client: Browser, db: Session,
                                           clock: Clock) -> None:
    contest = drawn(db, app.extensions["contest.signer"])
    record = find_draw(db, contest)
    assert record is not None
    winners, alternates = list(record.winners), list(record.alternates)
    masked = _name_the_drawn(db, winners + alternates)
    replaced_at = DUE + timedelta(hours=1)
    replace_winner(db, contest=contest, ticket=winners[1], reason="relative",
                   note="her brother works at the Springfield shop", now=replaced_at,
                   signer=app.extensions["contest.signer"])
    db.commit()
    clock.now = DUE + timedelta(hours=2)

    page = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
    main = page[page.index("<main>"):page.index("</main>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", main[main.index('id="winners"'):], re.S)
    # Per winner: place, prize (the builder's contest gives "Gift card" to its three winners),
    # masked name and region, ticket; alternate 1 took place 2.
    for place, ticket in ((1, winners[0]), (2, alternates[0]), (3, winners[2])):
        row = rows[place]
        assert f">{place}<" in row and "Gift card" in row, row
        assert masked[ticket] in row and "Ukraine" in row and ticket in row, row
    # The alternates in order, each saying what became of it.
    listed = main[main.index('id="alternates"'):]
    assert listed.index(alternates[0]) < listed.index(alternates[1])
    # The replacement: its place, the ticket, the reason in words and its moment.
    replacement = main[main.index('id="replacements"'):]
    replacement = replacement[:replacement.index("</table>")]
    assert winners[1] in replacement and "a relative of staff" in replacement
    assert "27 September 2023, 09:29 UTC" in replacement and alternates[0] in replacement
    # No name, even masked, is paired with the reason, and staff's note is never shown.
    assert masked[winners[1]] not in page
    assert "Springfield shop" not in page and "relative</" not in page
    # The draw moment and the randomness in words; the raw proof folded away.
    assert "Drawn on 27 September 2023, 08:29 UTC" in main
    assert ("drand round 1,000,000 of the League of Entropy, published at "
            "27 September 2023, 08:29 UTC") in main
    details = main[main.index("<details"):]
    assert record.randomness_proof_json is not None
    signature = record.randomness_proof_json.split('"signature": "')[1][:40]
    assert signature in details and signature not in main[:main.index("<details")]
    assert f'href="/contests/{contest.slug}/verify"' in main


@pytest.mark.parametrize(("source", "words"), [
    (RandomnessSource.RFC3797,
     "the numbers of New York Lotto (USA) published at 27 September 2023, 08:29 UTC, "
     "turned into a random number as RFC 3797 describes"),
    (RandomnessSource.COMMIT_REVEAL,
     "the secrets of the sponsor and the independent auditor, committed before the entries "
     "closed and revealed after the freeze"),
])
def test_the_randomness_is_told_in_words_for_each_source(
        app: Flask, client: Browser, db: Session, source: RandomnessSource,
        words: str) -> None:
    contest = drawn(db, app.extensions["contest.signer"], source)
    page = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
    assert words in page


def test_a_prize_per_place_follows_the_order_of_the_rules() -> None:
    """The first winner drawn takes the first prize listed, as many places as its quantity."""
    rules = rules_document(prizes=(Prize("Snow sledge", 1, Money(Decimal("300"), "USD")),
                                   Prize("Gift card", 2, Money(Decimal("100"), "USD"))))
    assert [prize.name for prize in prize_places(rules)] == [
        "Snow sledge", "Gift card", "Gift card"]


def test_before_the_draw_the_page_names_the_randomness_to_come(app: Flask, client: Browser,
                                                               db: Session,
                                                               clock: Clock) -> None:
    """A sceptic sees the randomness was named before it existed: the frozen page says it."""
    contest = closed_contest(db)
    freeze(db, contest=contest, now=FREEZE, signer=app.extensions["contest.signer"])
    db.commit()
    clock.now = FREEZE + timedelta(seconds=1)
    page = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
    assert ("The draw will use drand round 1,000,000 of the League of Entropy, published at "
            "27 September 2023, 08:29 UTC.") in page
    assert "27 tickets are eligible." in page
