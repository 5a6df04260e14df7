"""The rules wizard's pickers over the web, property-based: whatever a person types as a
time zone, countries, an amount or a currency, in any of the three languages, the step
answers with the value read or a clear error next to the field (200 or 422), never a 500,
and the draft is saved as far as it could be read."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from contest.accounts import create_user
from contest.rules.publishing import draft_data
from tests.builders import make_contest
from tests.fixtures import Browser, Clock
from web.rules_form import draft_to_form

TYPED = (st.text(max_size=24)
         | st.sampled_from(["Kyiv", "Київ", "Ukraine", "3 500,50", "3.500", "грн", "₽",
                            "dollar", "Україна, Russia", "St. Helena,", ",,", "UTC", "\x00"]))
FIELDS = {"when": ["period.timezone"], "who": ["eligibility.countries"],
          "prizes": ["prizes.0.retail_value.amount", "prizes.0.retail_value.currency",
                     "prizes.0.cash_alternative.amount", "prizes.0.cash_alternative.currency"]}


@pytest.fixture
def wizard(client: Browser, db: Session, clock: Clock) -> tuple[str, dict[str, str]]:
    create_user(db, email="m@brand.example", name="M", role="marketer",
                password="a long password", actor_id=None, now=clock.now)
    contest, _ = make_contest(db, published=False)
    client.sign_in("m@brand.example", "a long password")
    return contest.slug, draft_to_form(draft_data(contest))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(step=st.sampled_from(sorted(FIELDS)), typed=TYPED, language=st.sampled_from(
    ["en", "ru", "uk"]), data=st.data())
def test_whatever_is_typed_in_a_picker_the_step_answers_clearly(
        client: Browser, wizard: tuple[str, dict[str, str]], step: str, typed: str,
        language: str, data: st.DataObject) -> None:
    slug, form = wizard
    field = data.draw(st.sampled_from(FIELDS[step]))
    client.submit(f"/language/{language}")
    saved = client.submit(f"/manage/contests/{slug}/rules",
                          form | {"step": step, field: typed, "then": "stay"})
    assert saved.status_code in (200, 422), saved.get_data(as_text=True)[:300]
    page = client.get(f"/manage/contests/{slug}/rules?step={step}")
    assert page.status_code == 200
