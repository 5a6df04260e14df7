"""Steps for features/marketer_picks_prize.feature: the marketer's prize editor."""

import re
from urllib.parse import urlencode

from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, select

from contest.models import Contest
from contest.prizes.advice import SUGGEST_AT_LEAST, WARN_BELOW
from contest.prizes.catalogue import default_catalogue
from contest.rules.publishing import draft_data
from tests.fixtures import Browser
from tests.prizes.builders import prize, prize_contest, prize_rules

scenarios("marketer_picks_prize.feature")

SKATEBOARD = "Скейтборд"


@given(parsers.parse('the contest "{slug}" gives a skateboard worth 9000 RUB to people of all '
                     'ages in Russia'))
def skateboard_for_all_ages(db: Session, page: dict[str, str], slug: str) -> None:
    rules = prize_rules(prize(SKATEBOARD, "9000.00", "RUB"), min_age=0, countries=("RU",))
    prize_contest(db, rules, slug=slug, published=True)
    page["slug"] = slug


def _open(client: Browser, page: dict[str, str], query: str = "") -> int:
    response = client.get(f"/manage/contests/{page['slug']}/prizes{query}")
    page["html"] = response.get_data(as_text=True)
    return response.status_code


def _first_card(page: dict[str, str]) -> str:
    found = re.search(r'<section class="card prize" id="prize-1">(.*?)</section>', page["html"],
                      re.S)
    assert found, "the editor shows no first prize"
    return found.group(1)


def _score(card: str) -> float:
    found = re.search(r'<strong class="score">(\d+)%</strong>', card)
    assert found, "no score shown"
    return int(found.group(1)) / 100


@when(parsers.parse('she opens the prize editor of "{slug}"'))
def open_editor(client: Browser, page: dict[str, str], slug: str) -> None:
    page["slug"] = slug
    assert _open(client, page) == 200, page["html"]


@then("the skateboard suits less than half of the people the rules admit")
def skateboard_score(page: dict[str, str]) -> None:
    card = _first_card(page)
    assert "skateboard (ages 5–35)" in card
    assert _score(card) < 0.5
    assert 'class="flash warning"' in card


@then("the warning says that most of them are over 35")
def warning_in_plain_words(page: dict[str, str]) -> None:
    card = _first_card(page)
    share = f"{round(_score(card) * 100)}%"
    assert (f"{SKATEBOARD} suits {share} of the people your rules admit: most are over 35"
            in card)


@then("the alternatives are universal prizes that suit at least 95% of them")
def universal_alternatives(page: dict[str, str]) -> None:
    card = _first_card(page)
    offered = re.findall(r'name="type" value="([a-z_]+)"', card)
    shares = [int(share) / 100 for share in re.findall(r"</strong>: suits (\d+)%", card)]
    assert offered and len(shares) == len(offered)
    assert all(share >= SUGGEST_AT_LEAST for share in shares)
    catalogue = default_catalogue()
    assert [catalogue[kind].category for kind in offered[:2]] == ["universal", "universal"]
    assert all(catalogue[kind].precondition is None for kind in offered)
    page["alternative"] = offered[0]


@then(parsers.parse("a chart shows the audience's ages with the skateboard's ages "
                    "{low:d}–{high:d} over them"))
def chart(page: dict[str, str], low: int, high: int) -> None:
    card = _first_card(page)
    svg = card[card.index("<svg"):card.index("</svg>")]
    assert 'role="img"' in svg
    assert f">{low}–{high}</text>" in svg
    bars = re.findall(r"<title>(\d+)(?:–\d+|\+): ([\d.]+)%</title>", svg)
    assert bars[0][0] == "0" and bars[-1][0] == "100", "every age from 0 to 100+"
    assert abs(sum(float(share) for _, share in bars) - 100) < 1


@when("she gives the first alternative instead of the skateboard")
def replace(client: Browser, page: dict[str, str]) -> None:
    response = client.submit(f"/manage/contests/{page['slug']}/prizes/1/replace",
                             {"current": SKATEBOARD, "type": page["alternative"]},
                             follow_redirects=True)
    assert response.status_code == 200
    page["html"] = response.get_data(as_text=True)


def _draft_prizes(db: Session, slug: str) -> list[str]:
    contest = db.exec(select(Contest).where(Contest.slug == slug)).one()
    db.refresh(contest)
    return [p["name"] for p in draft_data(contest)["prizes"]]


@then("the draft gives a cash prize and the editor no longer warns")
def replaced(db: Session, page: dict[str, str]) -> None:
    assert page["alternative"] == "cash"
    assert _draft_prizes(db, page["slug"]) == ["Cash prize"]
    card = _first_card(page)
    assert "<h2>Prize 1: Cash prize</h2>" in card
    assert _score(card) >= WARN_BELOW and 'class="flash ok"' in card
    assert "The draft now gives Cash prize instead of Скейтборд." in page["html"]


@then("the published rules still give the skateboard")
def published_unchanged(client: Browser, page: dict[str, str]) -> None:
    rules = client.get(f"/api/contests/{page['slug']}").get_json()["rules"]
    assert [p["name"] for p in rules["prizes"]] == [SKATEBOARD]


@when(parsers.parse('she tries the prize "{text}" in the prize editor of "{slug}"'))
def try_prize(client: Browser, page: dict[str, str], text: str, slug: str) -> None:
    page["slug"] = slug
    page["status"] = str(_open(client, page, "?" + urlencode({"prize": text})))


@when(parsers.parse('she tries a blank prize in the prize editor of "{slug}"'))
def try_blank_prize(client: Browser, page: dict[str, str], slug: str) -> None:
    page["slug"] = slug
    assert _open(client, page, "?prize=+++") == 422, page["html"]


@then("she sees that headphones suit most of the people the rules admit")
def headphones(page: dict[str, str]) -> None:
    assert page["status"] == "200"
    found = re.search(r'<section class="card prize" id="tried">(.*?)</section>', page["html"],
                      re.S)
    assert found, "no advice on the tried prize"
    card = found.group(1)
    assert "<h2>Наушники Sony WH-1000XM5</h2>" in card and "headphones (ages" in card
    assert _score(card) > 0.5
    assert "of the people your rules admit" in card
    assert "<svg" in card


@then("the draft still gives the skateboard")
def draft_unchanged(db: Session, page: dict[str, str]) -> None:
    assert _draft_prizes(db, page["slug"]) == [SKATEBOARD]
