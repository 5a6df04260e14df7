"""Builders for prize-advisor tests: a contest whose prizes and entrants' ages are given."""

import dataclasses
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session

from contest.models import Channel, Contest, Entry, RulesVersion
from contest.rules.document import Eligibility, Money, Prize, RulesDocument
from contest.rules.versions import PublishedContest
from tests.builders import make_contest, make_entry, rules_document
from tests.entries.builders import DURING, entrant


def prize(name: str, amount: str = "100.00", currency: str = "USD",
          cash: Money | None = None) -> Prize:
    return Prize(name, 1, Money(Decimal(amount), currency), cash)


def prize_rules(*prizes: Prize, min_age: int = 18, max_age: int | None = None,
                countries: tuple[str, ...] = ("RU",)) -> RulesDocument:
    """Valid rules giving ``prizes`` to ages ``min_age``..``max_age`` in ``countries``."""
    document = rules_document(countries=countries, winners=len(prizes))
    return dataclasses.replace(
        document, prizes=prizes,
        eligibility=Eligibility(min_age=min_age, legal_min_age=min(min_age, 18),
                                max_age=max_age, countries=countries))


def prize_contest(session: Session, rules: RulesDocument, *, slug: str = "winter-giveaway",
                  published: bool = True) -> tuple[Contest, RulesVersion | None]:
    return make_contest(session, slug=slug, rules=rules, published=published)


def enter(session: Session, contest: Contest, version: RulesVersion, rules: RulesDocument,
          *, born: date, number: int, country: str = "RU",
          at: datetime = DURING, channel: Channel = Channel.FORM) -> Entry:
    """Entrant ``number`` (distinct e-mail, no phone), born on ``born``, through
    ``channel``."""
    return make_entry(
      session, PublishedContest(contest, version, rules),
      data=entrant(email=f"entrant{number}@example.ru", phone=None,
                   full_name=f"Entrant Number{number}", birth_date=born.isoformat(),
                   country=country, address=f"ul. Lenina {number}"),
      channel=channel, idempotency_key=None, now=at)
