"""Pages agree a number with its noun: "1 business day", "в течение 1 рабочего дня"."""

from datetime import timedelta

import pytest
from sqlmodel import Session

from tests.builders import OPENS, make_entry, make_published
from tests.entries.builders import entrant
from tests.fixtures import Browser, Clock

DAY = {"en": "within 1 business day,", "ru": "в течение 1 рабочего дня",
       "uk": "протягом 1 робочого дня"}
ENTRY = {"en": "1 entry", "ru": "1 заявка", "uk": "1 заявка"}


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_one_business_day_and_one_entry(client: Browser, db: Session, clock: Clock,
                                        language: str) -> None:
    contest = make_published(db)  # complaints are answered within 1 business day
    clock.now = OPENS + timedelta(days=1)
    make_entry(db, contest, data=entrant(), now=clock.now)
    db.commit()
    client.submit(f"/language/{language}", {"next": "/"})
    for page in ("/contests/winter-giveaway", "/contests/winter-giveaway/complaints"):
        assert DAY[language] in client.get(page).get_data(as_text=True), page
    assert ENTRY[language] in client.get("/").get_data(as_text=True)
