"""The rules editor as a guided wizard: steps in the marketer's order, what is missing in
words, pickers instead of codes, templates, the slug made from the title, placeholders
refused at publishing, and the prize advisor's warning in the prizes step."""

import html as html_module
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from contest.models import RulesVersion
from contest.rules.publishing import draft_data, find_contest
from tests.fixtures import Browser, Clock
from tests.web.test_rules_editor_ranges import sign_in_marketer


def text_of(response_html: str) -> str:
    return html_module.unescape(re.sub(r"<[^>]+>", " ", response_html))


def test_the_starter_draft_cannot_be_published_from_the_browser(
    client: Browser, db: Session, clock: Clock
) -> None:
    sign_in_marketer(client, db, clock)
    created = client.submit("/manage/contests", {"slug": "fresh-one", "title": "Fresh",
                                                 "language": "en"})
    assert created.status_code == 303
    assert client.get("/manage/contests/fresh-one/preview").status_code == 200
    refused = client.submit("/manage/contests/fresh-one/publish", {"reason": ""},
                            follow_redirects=True)
    page = text_of(refused.get_data(as_text=True))
    assert ("Give the sponsor's legal name: still holds the placeholder “Sponsor legal name "
            "(replace me)”") in page
    assert ("Give the official address for complaints: names example.com, an example domain "
            "that reaches no one") in page
    assert db.exec(select(RulesVersion)).first() is None


class _FormFields(HTMLParser):
    """The named fields of a page's rules form and their values, as a browser would send
    them (ticked boxes only, a select's chosen option, a textarea's text)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, Any] = {}
        self.labels: set[str] = set()
        self.controls: list[str] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        name = found.get("name", "")
        if tag == "label" and "for" in found:
            self.labels.add(found["for"])
        if tag in ("input", "select", "textarea") and found.get("type") not in (
                "hidden", "submit") and "aria-hidden" not in found:
            self.controls.append(found.get("id", ""))
        if tag == "input" and name and found.get("type") != "submit":
            if found.get("type") == "checkbox":
                if "checked" in found:
                    self.fields.setdefault(name, []).append(found.get("value", "on"))
            else:
                self.fields[name] = found.get("value", "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and ("selected" in found
                                                   or self._select not in self.fields):
            self.fields[self._select] = found.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def step_page(client: Browser, slug: str, step: str) -> tuple[str, _FormFields]:
    response = client.get(f"/manage/contests/{slug}/rules?step={step}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    parsed = _FormFields()
    parsed.feed(page)
    parsed.fields.pop("csrf_token", None)
    return page, parsed


def save_step(client: Browser, slug: str, step: str, then: str = "stay",
              **changes: Any) -> TestResponse:
    _, form = step_page(client, slug, step)
    return client.submit(f"/manage/contests/{slug}/rules", form.fields | changes
                         | {"then": then})


@pytest.fixture
def fresh(client: Browser, db: Session, clock: Clock) -> str:
    """A signed-in marketer's new Ukrainian contest, made from the repost template."""
    sign_in_marketer(client, db, clock)
    created = client.submit("/manage/contests", {"title": "Щедрий вечір", "slug": "",
                                                 "language": "uk", "template": "repost"})
    assert created.status_code == 303
    assert created.headers["Location"].endswith("/manage/contests/shchedryi-vechir/rules")
    return "shchedryi-vechir"


STEPS = ("what", "who", "when", "sources", "prizes", "selection", "complaints", "sections")


def test_a_new_contest_starts_from_its_template_with_the_steps_and_what_is_missing_in_words(
    client: Browser, db: Session, fresh: str
) -> None:
    draft = draft_data(find_contest(db, fresh))
    assert draft["sections"][0]["title"] == "Як взяти участь"
    page = client.get(f"/manage/contests/{fresh}/rules").get_data(as_text=True)
    steps = re.findall(r'<a href="[^"]*"(?: aria-current="step")?>(\d)\. ([^<]+)</a>', page)
    assert [number for number, _ in steps] == [str(n) for n in range(1, 10)]
    todo = text_of(page[page.index('class="error todo"'):page.index("</div>", page.index(
        'class="error todo"'))])
    assert "Give the sponsor's legal name" in todo
    assert "Complaints: Give the official address for complaints" in todo
    assert "sponsor.legal_name" not in todo and "complaints.channel" not in todo


@pytest.mark.parametrize("step", STEPS)
def test_every_control_of_every_step_has_a_label(client: Browser, fresh: str,
                                                 step: str) -> None:
    _, form = step_page(client, fresh, step)
    assert form.controls
    unlabelled = [control for control in form.controls if control not in form.labels]
    assert unlabelled == []


def test_the_zone_is_picked_by_its_city_and_untouched_dates_keep_the_new_zone(
    client: Browser, db: Session, fresh: str
) -> None:
    client.submit("/language/uk")
    before = draft_data(find_contest(db, fresh))["period"]
    saved = save_step(client, fresh, "when", **{"period.timezone": "Kyiv"})
    assert saved.status_code == 200, text_of(saved.get_data(as_text=True))[:500]
    db.expire_all()
    period = draft_data(find_contest(db, fresh))["period"]
    assert period["timezone"] == "Europe/Kyiv"
    assert period["opens_at"] == before["opens_at"]
    assert "-error" not in saved.get_data(as_text=True)  # no field blamed, the dates least
    assert 'value="Київ (UTC+02:00)"' in saved.get_data(as_text=True)


def test_a_zone_that_is_none_is_named_and_the_dates_are_not_blamed_for_it(
    client: Browser, fresh: str
) -> None:
    saved = save_step(client, fresh, "when", **{"period.timezone": "Narnia"})
    assert saved.status_code == 422
    page = text_of(saved.get_data(as_text=True))
    assert "Narnia is not a time zone we know" in page
    assert "time zone offset" not in page
    assert "Choose the contest's time zone" in page


def test_countries_are_picked_by_name_in_any_of_the_three_languages(
    client: Browser, db: Session, fresh: str
) -> None:
    saved = save_step(client, fresh, "who", **{"eligibility.countries": "Україна, Russia; Польша"})
    assert saved.status_code == 200
    db.expire_all()
    assert draft_data(find_contest(db, fresh))["eligibility"]["countries"] == ["UA", "RU", "PL"]
    _, form = step_page(client, fresh, "who")
    assert form.fields["eligibility.countries"] == "Ukraine, Russia, Poland"


def test_regions_are_picked_by_name_and_shown_back_by_name(
    client: Browser, db: Session, fresh: str
) -> None:
    client.submit("/language/ru")
    page, _ = step_page(client, fresh, "who")
    assert "RU-MOW" not in page and "коды" not in page
    saved = save_step(client, fresh, "who", **{"eligibility.countries": "Россия",
                                               "eligibility.regions": "Москва"})
    assert saved.status_code == 200, text_of(saved.get_data(as_text=True))[:800]
    db.expire_all()
    eligibility = draft_data(find_contest(db, fresh))["eligibility"]
    assert eligibility["regions"] == ["RU-MOW"]
    page, form = step_page(client, fresh, "who")
    assert form.fields["eligibility.regions"] == "Москва"
    options = re.search(r'<datalist id="region-names">(.*?)</datalist>', page, re.S)
    assert options and '<option value="Москва — Россия">' in options.group(1)
    assert "Украина" not in options.group(1)  # only the regions of the rules' countries


def test_a_region_name_several_regions_share_is_refused_naming_them(
    client: Browser, db: Session, fresh: str
) -> None:
    client.submit("/language/uk")
    saved = save_step(client, fresh, "who", **{"eligibility.regions": "Лімбург"})
    assert saved.status_code == 422
    page = saved.get_data(as_text=True)
    error = re.search(r'id="eligibility\.regions-error">([^<]*)<', page)
    assert error and "Лімбург — Бельгія" in html_module.unescape(error.group(1))
    _, form = step_page(client, fresh, "who")
    assert form.fields["eligibility.regions"] == "Лімбург"


def test_amounts_and_currencies_as_people_write_them(client: Browser, db: Session,
                                                      fresh: str) -> None:
    client.submit("/language/uk")
    saved = save_step(client, fresh, "prizes", **{
        "prizes.0.retail_value.amount": "3\u00a0500,50", "prizes.0.retail_value.currency": "грн",
        "prizes.0.cash_alternative.amount": "3 000", "prizes.0.cash_alternative.currency": "₴"})
    assert saved.status_code == 200, text_of(saved.get_data(as_text=True))[:800]
    db.expire_all()
    prize = draft_data(find_contest(db, fresh))["prizes"][0]
    assert prize["retail_value"] == {"amount": "3500.50", "currency": "UAH"}
    assert prize["cash_alternative"] == {"amount": "3000", "currency": "UAH"}


def test_an_ambiguous_amount_is_refused_next_to_its_field_and_kept_as_typed(
    client: Browser, fresh: str
) -> None:
    client.submit("/language/ru")
    saved = save_step(client, fresh, "prizes", **{"prizes.0.retail_value.amount": "3.500"})
    assert saved.status_code == 422
    page = saved.get_data(as_text=True)
    error = re.search(r'id="prizes\.0\.retail_value\.amount-error">([^<]*)<', page)
    assert error and html_module.unescape(error.group(1)).startswith(
        "3.500 может означать 3500 или 3,500")
    assert 'value="3.500"' in page
    assert "Укажите стоимость приза 1" in text_of(page)


def test_a_prize_row_is_added_by_a_button_not_left_spare(client: Browser, fresh: str) -> None:
    _, form = step_page(client, fresh, "prizes")
    assert "prizes.1.name" not in form.fields
    added = save_step(client, fresh, "prizes", then="add:prizes")
    assert added.status_code == 303
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    assert 'id="prizes.1.name"' in page


def test_save_and_continue_leads_through_the_steps_to_the_preview(client: Browser,
                                                                 fresh: str) -> None:
    for here, following in zip(STEPS, STEPS[1:], strict=False):
        moved = save_step(client, fresh, here, then="next")
        assert moved.status_code == 303
        assert moved.headers["Location"].endswith(f"/rules?step={following}")
    last = save_step(client, fresh, "sections", then="next")
    assert last.headers["Location"].endswith(f"/manage/contests/{fresh}/preview")


def test_the_prize_advisor_speaks_in_the_prizes_step_and_as_the_marketer_types(
    client: Browser, fresh: str
) -> None:
    client.submit("/language/en")
    saved = save_step(client, fresh, "prizes", **{"prizes.0.name": "Toy car",
                                                   "eligibility.min_age": "18"})
    advice = re.search(r'<p id="prizes\.0\.advice" class="advice ([a-z]+)"[^>]*>([^<]+)</p>',
                       saved.get_data(as_text=True))
    assert advice, "no advice in the prizes step"
    assert advice.group(1) == "warning" and "Toy car suits" in advice.group(2)
    typed = client.get(f"/manage/contests/{fresh}/rules/prize-advice?prize=Toy+car").get_json()
    assert typed["level"] == "warning" and typed["text"].startswith("Toy car suits")
    empty = client.get(f"/manage/contests/{fresh}/rules/prize-advice?prize=").get_json()
    assert empty == {"level": "", "text": ""}
    assert 'src="/static/wizard.js"' in saved.get_data(as_text=True)
