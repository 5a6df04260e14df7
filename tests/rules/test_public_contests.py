"""Which contests the public lists, decided once for the home page and the API: the
published ones, whatever their stage; never a draft."""

from datetime import timedelta

from sqlmodel import Session

from contest.rules.publishing import list_contests, public_contests
from contest.rules.status import ContestStatus
from tests.builders import OPENS, make_contest


def test_the_public_lists_every_published_contest_and_no_draft(session: Session) -> None:
    make_contest(session, slug="winter-giveaway")
    make_contest(session, slug="hidden-draft", published=False)
    make_contest(session, slug="spring-sale", published=True)
    for now in (OPENS - timedelta(days=1), OPENS + timedelta(days=1),
                OPENS + timedelta(days=60)):
        listed = public_contests(session, now=now)
        assert [c.slug for c in listed] == ["spring-sale", "winter-giveaway"]
        assert all(c.status != ContestStatus.DRAFT for c in listed)
        everything = {c.slug: c for c in list_contests(session, now=now)}
        assert listed == [everything["spring-sale"], everything["winter-giveaway"]]
