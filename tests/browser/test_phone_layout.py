"""Layout at a phone's width (390 px), in real Chromium, where the layout is the point: the
contest page leads with Enter and folds its complaint form; the manage table keeps every
action on screen; a checkbox sits on one line with its label; summaries read as pairs."""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from sqlmodel import Session

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_journeys import sign_in
from tests.builders import OPENS, make_contest, rules_document
from tests.fixtures import Clock

WIDTH = 390
SLUG = "winter-giveaway"

# Each checkbox that has a label, with its box and the first line of its label's words.
CHECKBOXES_JS = """() => [...document.querySelectorAll('input[type=checkbox]')]
  .filter(box => box.labels.length && box.offsetParent !== null)
  .map(box => {
    const label = box.labels[0];
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT, {acceptNode:
      node => node.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
    const range = document.createRange();
    range.selectNodeContents(walker.nextNode());
    const line = range.getClientRects()[0];
    const rect = box.getBoundingClientRect();
    return {name: box.id || box.name, box: [rect.left, rect.top, rect.right, rect.bottom],
            line: [line.left, line.top, line.right, line.bottom]};
  })"""


@pytest.fixture
def phone(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A phone-sized page (390 px wide, touch), screenshotted at the end."""
    context = chromium.new_context(locale="en-US", viewport={"width": WIDTH, "height": 844},
                                   device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-390px.png"), full_page=True)
    context.close()
    assert not errors, errors


def page_width(page: Page) -> Any:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_checkboxes_beside_their_labels(page: Page) -> int:
    """Every labelled checkbox on the page is on one line with the start of its label, the
    label to its right; returns how many were checked."""
    found = page.evaluate(CHECKBOXES_JS)
    for checkbox in found:
        left, top, right, bottom = checkbox["box"]
        line_left, line_top, _, line_bottom = checkbox["line"]
        assert right <= WIDTH, f"{checkbox['name']} is off-screen: {checkbox}"
        assert line_top < bottom and line_bottom > top, \
            f"{checkbox['name']}: its label is not on the checkbox's line: {checkbox}"
        assert line_left >= right - 1, f"{checkbox['name']}: the label is not beside it"
    return len(found)


def test_a_phone_sees_enter_first_and_can_still_complain(
        phone: Page, live_server: str, db: Session, clock: Clock) -> None:
    clock.now = OPENS + timedelta(days=1)
    make_contest(db)
    phone.goto(f"{live_server}/contests/{SLUG}")
    enter = phone.get_by_role("link", name="Enter the contest")
    box = enter.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, "Enter is below the fold"
    assert not phone.locator("#contact").is_visible(), "the complaint form is not folded"
    phone.get_by_text("Send a complaint").click()
    phone.get_by_label("How can we answer you?").fill("anna@example.com")
    phone.get_by_label("What is the complaint about?").select_option(index=1)
    phone.get_by_label("What happened?").fill("My entry from Monday is missing.")
    phone.get_by_role("button", name="Send the complaint").click()
    phone.wait_for_url(re.compile(r".*/complaints/[\w-]{43}(\?new=1)?$"))
    assert page_width(phone) <= WIDTH


def test_the_manage_table_keeps_every_action_on_a_phones_screen(
        phone: Page, live_server: str, db: Session, clock: Clock) -> None:
    make_contest(db)
    make_contest(db, slug="a-contest-with-a-rather-long-address-name-for-a-phone",
                 published=False)
    sign_in(phone, live_server, db, clock, "marketer")
    phone.goto(f"{live_server}/manage/contests")
    actions = phone.locator("main table a")
    assert actions.count() >= 10
    for index in range(actions.count()):
        box = actions.nth(index).bounding_box()
        assert box is not None
        assert 0 <= box["x"] and box["x"] + box["width"] <= WIDTH, \
            f"{actions.nth(index).inner_text()} is off-screen: {box}"
    assert page_width(phone) <= WIDTH, "the page scrolls sideways"


def test_every_checkbox_sits_beside_its_label_on_a_phone(
        phone: Page, live_server: str, db: Session, clock: Clock) -> None:
    clock.now = OPENS + timedelta(days=1)
    make_contest(db)
    phone.goto(f"{live_server}/contests/{SLUG}/complaints")
    phone.get_by_label("How can we answer you?").fill("anna@example.com")
    phone.get_by_label("What is the complaint about?").select_option(index=1)
    phone.get_by_label("What happened?").fill("My entry from Monday is missing.")
    phone.get_by_role("button", name="Send the complaint").click()
    phone.wait_for_url(re.compile(r".*/complaints/[\w-]{43}.*"))
    sign_in(phone, live_server, db, clock, "admin")
    phone.goto(f"{live_server}/audit/contests/{SLUG}/complaints/1")
    publish = phone.get_by_label(re.compile("Publish the answer"))
    assert publish.is_visible()
    assert assert_checkboxes_beside_their_labels(phone) == 1
    phone.goto(f"{live_server}/manage/contests/{SLUG}/rules?step=who")
    assert assert_checkboxes_beside_their_labels(phone) >= 3
    assert page_width(phone) <= WIDTH


def test_a_summary_shows_each_label_beside_its_value_on_a_wide_screen(
        page: Page, live_server: str, db: Session, clock: Clock) -> None:
    clock.now = OPENS + timedelta(days=1)
    make_contest(db)
    page.goto(f"{live_server}/contests/{SLUG}/complaints")
    page.get_by_label("How can we answer you?").fill("anna@example.com")
    page.get_by_label("What is the complaint about?").select_option(index=1)
    page.get_by_label("What happened?").fill("My entry from Monday is missing.")
    page.get_by_role("button", name="Send the complaint").click()
    page.wait_for_url(re.compile(r".*/complaints/[\w-]{43}.*"))
    sign_in(page, live_server, db, clock, "auditor")
    page.goto(f"{live_server}/audit/contests/{SLUG}/complaints/1")
    label = page.locator("dl.summary dt").first.bounding_box()
    value = page.locator("dl.summary dd").first.bounding_box()
    assert label is not None and value is not None
    assert abs(label["y"] - value["y"]) < 4 and value["x"] > label["x"] + label["width"]


def test_home_cards_offer_their_buttons_on_a_phones_screen(
        phone: Page, live_server: str, db: Session, clock: Clock) -> None:
    clock.now = OPENS + timedelta(days=1)
    make_contest(db)
    make_contest(db, slug="over", rules=rules_document(opens_at=OPENS - timedelta(days=60)))
    phone.goto(f"{live_server}/")
    for name in ("Enter the contest", "Results"):
        button = phone.get_by_role("link", name=name)
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, name
    phone.get_by_role("link", name="Enter the contest").click()
    phone.wait_for_url(re.compile(rf".*/contests/{SLUG}/enter$"))
    assert page_width(phone) <= WIDTH


def test_the_import_preview_fits_a_phone_and_its_wide_table_scrolls_inside_it(
        phone: Page, live_server: str, db: Session, clock: Clock) -> None:
    make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    sign_in(phone, live_server, db, clock, "marketer")
    header = "ФИО;Телефон;Эл. почта;Дата рождения;Адрес;Город;Индекс;Страна;Дата и время"
    row = ("Иванова Анна Сергеевна;+7 912 345-67-89;anna.ivanova@example.com;05.06.1985;"
           "ул. Ленина, д. 10, кв. 5;Екатеринбург;620014;Россия;01.12.2026 19:40")
    phone.goto(f"{live_server}/manage/contests/{SLUG}/entries/import")
    phone.set_input_files("#file", files=[{"name": "выгрузка.csv", "mimeType": "text/csv",
                                           "buffer": f"{header}\r\n{row}\r\n".encode("cp1251")}])
    phone.get_by_role("button", name="Preview", exact=True).click()
    phone.wait_for_selector("#rows-title")
    rows = phone.locator("table[aria-labelledby=rows-title]")
    scroller = rows.locator("xpath=..")
    assert scroller.get_attribute("class") == "scroll"
    scrolls = "box => box.scrollWidth > box.clientWidth"
    assert scroller.evaluate(scrolls) or rows.evaluate(scrolls), \
        "the preview of nine fields fits a phone without scrolling: nothing is tested"
    assert page_width(phone) <= WIDTH, "the page scrolls sideways"
    for control in ("#column-0", "#zone", "#order"):
        box = phone.locator(control).bounding_box()
        assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= WIDTH, control
    assert phone.get_by_label("ФИО").evaluate("select => select.value") == "full_name"
    phone.get_by_label("Time zone of the moments written without one").fill("Asia/Yekaterinburg")
    phone.get_by_role("button", name="Preview again").click()
    phone.wait_for_selector("text=1 moment without a time zone was read in Asia/Yekaterinburg")
    phone.get_by_role("button", name="Import", exact=True).click()
    phone.wait_for_selector("text=Import report")
    assert page_width(phone) <= WIDTH


def test_a_source_is_edited_on_a_phone_its_boxes_beside_their_labels(
        phone: Page, live_server: str, db: Session, clock: Clock) -> None:
    sign_in(phone, live_server, db, clock, "marketer")
    phone.goto(f"{live_server}/manage/contests")
    phone.get_by_label("Title").fill("Repost party")
    phone.get_by_label(re.compile("^Repost giveaway")).check()
    phone.get_by_role("button", name="Create the contest").click()
    phone.wait_for_url(re.compile(r".*/manage/contests/repost-party/rules$"))
    phone.goto(f"{live_server}/manage/contests/repost-party/rules?step=sources")
    assert phone.get_by_label("Source 1: post").input_value() == "-123456_789"
    assert assert_checkboxes_beside_their_labels(phone) == 5
    phone.get_by_label("Source 1: network").select_option("telegram")
    phone.get_by_role("button", name="Save the draft").click()
    error = phone.locator('[id="sources.0.post-error"]')
    assert error.inner_text() == "no condition needs it; remove it"
    box = error.bounding_box()
    assert box is not None and box["x"] + box["width"] <= WIDTH
    remove = phone.get_by_role("button", name="Remove source 1")
    box = remove.bounding_box()
    assert box is not None and box["x"] + box["width"] <= WIDTH
    assert page_width(phone) <= WIDTH, "the page scrolls sideways"
    remove.click()
    phone.wait_for_url(re.compile(r".*step=sources#sources$"))
    assert phone.get_by_label("Source 1: post").count() == 0
