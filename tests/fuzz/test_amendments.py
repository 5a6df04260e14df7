"""Whatever amendment the rules accept once entrants rely on them is kinder to them
(``contest.rules.amendments``), and after the close changes nothing that decides the winners.
Hypothesis writes the amendments; the invariants are the promises of docs/LIFECYCLE.md."""

from datetime import timedelta
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from contest.errors import RulesInvalid
from contest.lifecycle import Stage
from contest.rules.amendments import Amendment, AmendmentReason, amendment_problems
from contest.rules.document import RulesDocument
from contest.rules.parse import parse_rules
from tests.builders import rules_document

BEFORE = rules_document(countries=("RU", "UA", "US"), per_household=3, max_age=70)
DAY = timedelta(days=1)


def maybe(draw: st.DrawFn, kept: Any, changed: st.SearchStrategy[Any]) -> Any:
    """``kept`` three times in four, else a change: most amendments change a field or two."""
    return draw(changed) if draw(st.integers(0, 3)) == 0 else kept


@st.composite
def amendments(draw: st.DrawFn) -> tuple[RulesDocument, AmendmentReason]:
    data: dict[str, Any] = BEFORE.to_data()
    period = data["period"]
    closes = BEFORE.period.closes_at + maybe(draw, 0, st.integers(-20, 20)) * DAY
    period["closes_at"] = closes.isoformat()
    period["draw_at"] = max(BEFORE.period.draw_at + maybe(draw, 0, st.integers(-3, 3)) * DAY,
                            closes).isoformat()
    period["opens_at"] = (BEFORE.period.opens_at + maybe(draw, 0, st.integers(-2, 2)) * DAY
                          ).isoformat()
    eligibility = data["eligibility"]
    eligibility["min_age"] = maybe(draw, BEFORE.eligibility.min_age, st.integers(18, 25))
    eligibility["max_age"] = maybe(draw, BEFORE.eligibility.max_age,
                                   st.one_of(st.none(), st.integers(60, 80)))
    eligibility["countries"] = maybe(draw, list(BEFORE.eligibility.countries), st.lists(
        st.sampled_from(["RU", "UA", "US", "KZ"]), unique=True))
    eligibility["residency_required"] = maybe(draw, BEFORE.eligibility.residency_required,
                                              st.booleans())
    data["exclusions"]["household"] = maybe(draw, BEFORE.exclusions.household, st.booleans())
    limits = data["limits"]
    limits["per_person"] = maybe(draw, BEFORE.limits.per_person, st.integers(1, 3))
    limits["per_household"] = maybe(draw, BEFORE.limits.per_household,
                                    st.one_of(st.none(), st.integers(1, 5)))
    limits["per_day"] = maybe(draw, BEFORE.limits.per_day,
                              st.one_of(st.none(), st.integers(1, 3)))
    winners = maybe(draw, BEFORE.winners, st.integers(1, 6))
    data["winners"] = winners
    data["alternates"] = maybe(draw, BEFORE.alternates, st.integers(0, 4))
    prize = data["prizes"][0]
    prize["quantity"] = winners
    prize["name"] = maybe(draw, prize["name"], st.sampled_from(["Skateboard", "Gift card XL"]))
    prize["retail_value"]["amount"] = maybe(draw, prize["retail_value"]["amount"], st.integers(
        50, 150).map(lambda amount: f"{amount}.00"))
    data["selection"]["randomness"] = maybe(draw, "drand", st.sampled_from(["rfc3797"]))
    try:
        after = parse_rules(data)
    except RulesInvalid:
        assume(False)
        raise
    return after, draw(st.sampled_from(list(AmendmentReason)))


@settings(max_examples=300, deadline=None)
@given(amendments())
def test_an_accepted_amendment_of_open_rules_is_kinder(
        amended: tuple[RulesDocument, AmendmentReason]) -> None:
    after, reason = amended
    if amendment_problems(BEFORE, after, Stage.OPEN, Amendment(reason)):
        return
    old, new = BEFORE, after
    assert new.period.opens_at == old.period.opens_at
    assert new.period.closes_at >= old.period.closes_at
    assert new.period.draw_at >= old.period.draw_at
    assert new.eligibility.min_age <= old.eligibility.min_age
    assert new.eligibility.max_age is None or (
        old.eligibility.max_age is not None and new.eligibility.max_age >= old.eligibility.max_age)
    assert not new.eligibility.countries or set(old.eligibility.countries) <= set(
        new.eligibility.countries) and old.eligibility.countries != ()
    assert new.eligibility.residency_required <= old.eligibility.residency_required
    assert new.exclusions.household <= old.exclusions.household
    assert new.limits.per_person >= old.limits.per_person
    for field in ("per_household", "per_day"):
        before, now = getattr(old.limits, field), getattr(new.limits, field)
        assert now is None or (before is not None and now >= before)
    assert new.winners >= old.winners and new.alternates >= old.alternates
    assert new.prizes[0].quantity >= old.prizes[0].quantity
    assert new.prizes[0].retail_value.amount >= old.prizes[0].retail_value.amount
    before, now = old.prizes[0], new.prizes[0]
    if (now.name, now.retail_value) != (before.name, before.retail_value):
        assert reason == AmendmentReason.PRIZE_SUBSTITUTE
    assert new.selection == old.selection


@settings(max_examples=300, deadline=None)
@given(amendments())
def test_an_accepted_amendment_after_the_close_leaves_the_draw_alone(
        amended: tuple[RulesDocument, AmendmentReason]) -> None:
    after, reason = amended
    if amendment_problems(BEFORE, after, Stage.CLOSED, Amendment(reason)):
        return
    for field in ("eligibility", "exclusions", "limits", "prizes", "winners", "alternates",
                  "selection"):
        assert getattr(after, field) == getattr(BEFORE, field), field
    assert (after.period.opens_at, after.period.closes_at, after.period.timezone) == (
        BEFORE.period.opens_at, BEFORE.period.closes_at, BEFORE.period.timezone)
    assert after.period.draw_at >= BEFORE.period.draw_at
