"""The results page prints as a certificate: one A4 page for twenty winners (issue 17),
printed by real Chromium as a person's "Save as PDF" would."""

import re
from datetime import timedelta

from flask import Flask
from playwright.sync_api import Page
from sqlmodel import Session, select

from contest.draw.service import find_draw, replace_winner
from contest.models import Entry
from tests.draw.builders import DUE, drawn

LONG_NAMES = ["Oleksandra Ivanivna Kovalenko-Shevchenko", "Maximilian Alexander von Hohenberg",
              "Анастасія Володимирівна Григоренко"]


def pages_of(pdf: bytes) -> int:
    """The page count a PDF's page tree states (Chromium writes it uncompressed)."""
    assert pdf.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page(?![s\w])", pdf)
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)
              + re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    assert counts, "the PDF states no page count"
    assert max(counts) == len(pages), (counts, len(pages))
    return len(pages)


def test_twenty_winners_print_on_one_a4_page(app: Flask, db: Session, page: Page,
                                              live_server: str) -> None:
    signer = app.extensions["contest.signer"]
    contest = drawn(db, signer, winners=20, alternates=5)
    record = find_draw(db, contest)
    assert record is not None and len(record.winners) == 20
    for number, ticket in enumerate(record.winners + record.alternates):
        entry = db.exec(select(Entry).where(Entry.ticket == ticket)).one()
        entry.full_name = LONG_NAMES[number % len(LONG_NAMES)]
        db.add(entry)
    db.commit()
    for number, ticket in enumerate(record.winners[:3]):
        replace_winner(db, contest=contest, ticket=ticket, reason="no_claim",
                       now=DUE + timedelta(days=20, minutes=number), signer=signer)
    db.commit()

    page.goto(f"{live_server}/contests/{contest.slug}/results")
    assert page.locator("table.winners tbody tr").count() == 20
    assert page.locator("table.replacements tbody tr").count() == 3
    pdf = page.pdf(format="A4", print_background=True)
    assert pages_of(pdf) == 1
    # On paper the link to the verifier is written out, since it cannot be clicked.
    page.emulate_media(media="print")
    assert page.locator(".print-only").is_visible()
    assert page.locator(".lookup").is_hidden()


def test_the_page_count_is_read_from_the_pdf(page: Page) -> None:
    """The check above can fail: a page too long for one A4 sheet counts as two."""
    page.set_content("<p>one</p><p style='break-before: page'>two</p>")
    assert pages_of(page.pdf(format="A4")) == 2
