"""Advice on prizes: the warning in plain words, alternatives of similar value that suit
more of the audience, and a cash alternative."""

import math
import string
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from contest.errors import NotFound
from contest.i18n import translate
from contest.prizes.advice import (
    CASH_MESSAGE,
    CASH_OFFERED_MESSAGE,
    EMPTY_MESSAGE,
    MAX_SUGGESTIONS,
    MESSAGES,
    SUGGEST_AT_LEAST,
    UNKNOWN_MESSAGE,
    VALUE_FACTOR,
    WARN_BELOW,
    AdviceLevel,
    advise,
    advise_rules,
    contest_advice,
    suggest,
)
from contest.prizes.audience import (
    Audience,
    AudienceSource,
    audience_of_entrants,
    audience_of_rules,
    universality,
)
from contest.prizes.catalogue import default_catalogue
from contest.rules.document import Money
from tests.prizes.builders import enter, prize, prize_contest, prize_rules

CATALOGUE = default_catalogue()
ALL_AGES = audience_of_rules(0, None, ["RU"])
EVERY_AGE_ENTRANTS = audience_of_entrants(list(range(1, 91)))


@pytest.mark.parametrize("audience", [ALL_AGES, EVERY_AGE_ENTRANTS],
                         ids=["rules-range", "entrants"])
def test_a_skateboard_for_all_ages_warns_and_suggests_universal_prizes(
        audience: Audience) -> None:
    skateboard = CATALOGUE["skateboard"]
    advice = advise(prize("Скейтборд", "9000.00", "RUB"), audience)
    fit = universality(skateboard, audience)
    assert advice.prize_type == skateboard
    assert advice.level is AdviceLevel.WARNING
    assert advice.score == fit.score < WARN_BELOW
    assert f"Скейтборд suits {round(fit.score * 100)}% of " in advice.text()
    assert advice.precondition is not None and advice.precondition.key == "riding"

    value = Decimal("9000.00") * CATALOGUE.rates["RUB"]
    low, high = value / Decimal(VALUE_FACTOR), value * Decimal(VALUE_FACTOR)
    assert 1 <= len(advice.suggestions) <= MAX_SUGGESTIONS
    for suggestion in advice.suggestions:
        alternative = suggestion.prize_type
        assert suggestion.universality == universality(alternative, audience).score
        assert suggestion.universality >= SUGGEST_AT_LEAST
        assert alternative.value.low <= high and low <= alternative.value.high
        assert alternative.precondition is None and alternative != skateboard
    shares = [round(s.universality, 2) for s in advice.suggestions]
    assert shares == sorted(shares, reverse=True)
    assert {"cash", "gift_card"} <= {s.prize_type.id for s in advice.suggestions}

    assert advice.cash_alternative is not None
    assert advice.cash_alternative.amount == Money(Decimal("9000.00"), "RUB")
    assert not advice.cash_alternative.offered
    assert advice.cash_alternative.text() == "offer a cash alternative of RUB9,000.00 in the rules"


def test_without_a_retail_value_the_typical_value_is_the_cash_alternative() -> None:
    advice = advise("скейтборд", ALL_AGES)
    typical = CATALOGUE["skateboard"].value.typical
    assert advice.cash_alternative is not None
    assert advice.cash_alternative.amount == Money(typical, "USD")


def test_an_offered_cash_alternative_is_reported_not_suggested() -> None:
    offered = Money(Decimal("5000.00"), "RUB")
    advice = advise(prize("Скейтборд", "9000.00", "RUB", cash=offered), ALL_AGES)
    assert advice.level is AdviceLevel.WARNING
    assert advice.cash_alternative is not None and advice.cash_alternative.offered
    assert advice.cash_alternative.message == CASH_OFFERED_MESSAGE
    assert "already offer a cash alternative of RUB5,000.00" in advice.cash_alternative.text()


def test_older_entrants_hear_that_most_are_over_the_range() -> None:
    skateboard = CATALOGUE["skateboard"]
    entrants = audience_of_entrants([25] * 4 + [50] * 6)
    advice = advise("Skateboard", entrants)
    assert advice.text() == (f"Skateboard suits 40% of your entrants: most are over "
                             f"{skateboard.age_max}")
    assert advice.audience.source is AudienceSource.ENTRANTS
    assert advice.audience.median_age == 50
    assert (advice.universality and advice.universality.older) == pytest.approx(0.6)


def test_young_entrants_hear_that_most_are_under_the_range() -> None:
    cookware = CATALOGUE["cookware"]
    advice = advise("Набор посуды", audience_of_entrants([12] * 7 + [30] * 3))
    assert advice.text() == (f"Набор посуды suits 30% of your entrants: most are under "
                             f"{cookware.age_min}")


def test_a_minority_outside_is_counted_on_its_side() -> None:
    skateboard = CATALOGUE["skateboard"]
    over = advise("Skateboard", audience_of_entrants([20] * 8 + [50] * 2))
    assert over.text() == (f"Skateboard suits 80% of your entrants: 20% are over "
                           f"{skateboard.age_max}")
    both = advise("Skateboard", audience_of_entrants([3] * 2 + [20] * 6 + [50] * 2))
    assert both.text() == (f"Skateboard suits 60% of your entrants: 20% are under "
                           f"{skateboard.age_min} and 20% over {skateboard.age_max}")


def test_the_rules_audience_is_named_as_such() -> None:
    advice = advise("Skateboard", audience_of_rules(18, None, ["RU", "UA", "US"]))
    assert "of the people your rules admit: most are over 35" in advice.text()
    assert advice.audience.source is AudienceSource.RULES
    assert advice.audience.countries == ("RU", "UA", "US")


def test_a_prize_that_suits_nearly_everyone_gets_no_warning() -> None:
    advice = advise(prize("$100 gift card"), audience_of_rules(18, None, ["US"]))
    assert advice.level is AdviceLevel.OK
    assert advice.text() == "$100 gift card suits 100% of the people your rules admit"
    assert advice.suggestions == () and advice.cash_alternative is None


def test_an_unknown_prize_is_not_judged() -> None:
    advice = advise(prize("Трактор МТЗ-82"), ALL_AGES)
    assert advice.level is AdviceLevel.UNKNOWN
    assert advice.prize_type is None and advice.score is None and advice.suggestions == ()
    assert advice.message == UNKNOWN_MESSAGE
    assert advice.text().startswith("Трактор МТЗ-82: not a prize type the catalogue knows")


def test_an_empty_audience_is_not_judged() -> None:
    advice = advise("Skateboard", audience_of_entrants([]))
    assert (advice.level, advice.message) == (AdviceLevel.UNKNOWN, EMPTY_MESSAGE)


def test_suggestions_need_similar_value() -> None:
    car = CATALOGUE["car"]
    expensive = suggest(car, ALL_AGES, value=Decimal(30000))
    assert expensive and all(s.prize_type.value.high >= 15000 for s in expensive)
    cheap = suggest(car, ALL_AGES, value=Decimal(20))
    assert cheap and all(s.prize_type.value.low <= 40 for s in cheap)


def test_every_message_fills_from_the_params_given() -> None:
    advice = advise("Skateboard", audience_of_entrants([3, 20, 50]))
    templates = [*MESSAGES.values(), UNKNOWN_MESSAGE, EMPTY_MESSAGE]
    for template in templates:
        names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
        assert names <= set(advice.params), template
        for language in ("en", "ru"):
            assert "{" not in translate(template, language, advice.params)
    cash = {field for _, field, _, _ in string.Formatter().parse(CASH_MESSAGE) if field}
    assert cash == {"money"}


def test_advise_rules_keeps_the_prize_order() -> None:
    rules = prize_rules(prize("Скейтборд"), prize("Денежный приз 10 000 ₽"), prize("Трактор"))
    advice = advise_rules(rules, ALL_AGES)
    assert [a.prize for a in advice] == ["Скейтборд", "Денежный приз 10 000 ₽", "Трактор"]
    assert [a.level for a in advice] == [AdviceLevel.WARNING, AdviceLevel.OK,
                                         AdviceLevel.UNKNOWN]


def test_contest_advice_uses_the_eligible_entrants(session: Session) -> None:
    rules = prize_rules(prize("Скейтборд", "8000.00", "RUB"), prize("Gift card"), min_age=18)
    contest, version = prize_contest(session, rules)
    assert version is not None
    births = [date(1960, 3, 1), date(1970, 3, 1), date(1975, 3, 1), date(2001, 3, 1)]
    for number, born in enumerate(births, start=1):
        enter(session, contest, version, rules, born=born, number=number)
    session.commit()
    report = contest_advice(session, contest=contest)
    assert (report.contest, report.rules_version) == ("winter-giveaway", 1)
    assert report.audience.entrants == 4
    skateboard, gift_card = report.advice
    assert skateboard.level is AdviceLevel.WARNING
    assert skateboard.score == pytest.approx(0.25)
    assert gift_card.level is AdviceLevel.OK
    assert math.isclose(gift_card.score or 0, 1.0)


def test_contest_advice_needs_published_rules(session: Session) -> None:
    contest, _ = prize_contest(session, prize_rules(prize("Скейтборд")), published=False)
    with pytest.raises(NotFound, match="winter-giveaway has no published rules yet"):
        contest_advice(session, contest=contest)


def test_a_cash_alternative_is_written_as_money_in_each_language() -> None:
    from decimal import Decimal

    from contest.prizes.advice import CashAlternative
    from contest.rules.document import Money

    cash = CashAlternative(Money(Decimal("9000.00"), "RUB"), offered=False)
    assert cash.text("en") == "offer a cash alternative of RUB9,000.00 in the rules"
    assert "9\xa0000,00\xa0₽" in cash.text("ru")
    assert "9\xa0000,00\xa0RUB" in cash.text("uk") or "9\xa0000,00\xa0₽" in cash.text("uk")
    assert "RUB" not in cash.text("ru")
    assert cash.params["currency"] == "RUB"  # what a program reads stays data
