"""The marketer's prize editor: whom each prize of the draft suits, the warning, the
alternatives, the age chart, a prize tried without changing the rules, and a prize replaced
in the draft by a suggestion."""

import html as html_module
import re
from datetime import date

from sqlmodel import Session, col, select

from contest.accounts import create_user
from contest.models import AuditRecord, Contest, RulesVersion
from contest.prizes.advice import advise, share_text
from contest.prizes.audience import audience_of_rules
from contest.prizes.catalogue import default_catalogue
from contest.prizes.draft import PRIZE_TEXT_MAX
from contest.rules.publishing import draft_data
from tests.builders import make_contest
from tests.fixtures import Browser, Clock
from tests.prizes.builders import enter, prize, prize_contest, prize_rules

PASSWORD = "a long password"
EDITOR = "/manage/contests/winter-giveaway/prizes"
SKATEBOARD_RULES = prize_rules(prize("Скейтборд", "9000.00", "RUB"), min_age=0,
                               countries=("RU",))


def _sign_in(client: Browser, db: Session, clock: Clock, role: str = "marketer") -> None:
    create_user(db, email=f"{role}@brand.example", name=role, role=role, password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    assert client.sign_in(f"{role}@brand.example", PASSWORD).status_code == 302


def _page(client: Browser, url: str = EDITOR, status: int = 200) -> str:
    response = client.get(url)
    text = response.get_data(as_text=True)
    assert response.status_code == status, text
    return text


def _card(page: str, element_id: str) -> str:
    """The HTML of one prize's card on the page."""
    found = re.search(rf'<section class="card prize" id="{element_id}">(.*?)</section>', page,
                      re.S)
    assert found, f"no card {element_id}"
    return found.group(1)


def _draft_prize_names(db: Session) -> list[str]:
    contest = db.exec(select(Contest)).one()
    db.refresh(contest)
    return [p["name"] for p in draft_data(contest)["prizes"]]


def test_nobody_signed_in_is_sent_to_the_sign_in_page(client: Browser, db: Session) -> None:
    make_contest(db)
    for response in (client.get(EDITOR), client.submit(f"{EDITOR}/1/replace", {})):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_an_auditor_may_not_use_the_prize_editor(client: Browser, db: Session,
                                                 clock: Clock) -> None:
    make_contest(db)
    _sign_in(client, db, clock, role="auditor")
    assert client.get(EDITOR).status_code == 403
    assert client.submit(f"{EDITOR}/1/replace", {"current": "Gift card",
                                                 "type": "cash"}).status_code == 403


def test_a_skateboard_for_all_ages_shows_its_score_warning_alternatives_and_chart(
        client: Browser, db: Session, clock: Clock) -> None:
    prize_contest(db, SKATEBOARD_RULES, published=False)
    _sign_in(client, db, clock)
    card = _card(_page(client), "prize-1")
    expected = advise(prize("Скейтборд", "9000.00", "RUB"), audience_of_rules(0, None, ["RU"]))
    assert expected.score is not None and expected.score < 0.5

    assert "skateboard (ages 5–35)" in card
    assert f'<strong class="score">{share_text(expected.score)}</strong>' in card
    assert (f"Скейтборд suits {share_text(expected.score)} of the people your rules admit: "
            f"most are over 35") in card
    assert 'class="flash warning"' in card
    suggested = re.findall(r'name="type" value="([a-z_]+)"', card)
    assert suggested == [s.prize_type.id for s in expected.suggestions]
    assert suggested[:2] == ["cash", "gift_card"]
    assert "<strong>gift card</strong>: suits 100%" in card
    assert "offer a cash alternative of RUB9,000.00 in the rules" in card
    chart = card[card.index("<svg"):card.index("</svg>")]
    assert 'role="img"' in chart and 'id="prize-1-chart"' in chart
    assert "5–35</text>" in chart, "the prize's age range is drawn over the ages"
    assert "0–4: " in chart and "100+: " in chart, "the audience spans every age"


def test_the_page_says_the_audience_is_the_entrants_once_there_are_entries(
        client: Browser, db: Session, clock: Clock) -> None:
    rules = prize_rules(prize("Skateboard"), min_age=18)
    contest, version = prize_contest(db, rules)
    assert version is not None
    for number, born in enumerate([date(1950, 1, 1), date(1960, 1, 1), date(1970, 1, 1)]):
        enter(db, contest, version, rules, born=born, number=number)
    db.commit()
    _sign_in(client, db, clock)
    page = _page(client)
    assert "measured on your 3 eligible entrants with a birth date" in page
    assert "Skateboard suits 0% of your entrants: most are over 35" in _card(page, "prize-1")


def test_a_tried_prize_is_advised_on_without_changing_the_draft(
        client: Browser, db: Session, clock: Clock) -> None:
    prize_contest(db, SKATEBOARD_RULES, published=False)
    _sign_in(client, db, clock)
    page = _page(client, f"{EDITOR}?prize=Apple+iPhone+15")
    tried = _card(page, "tried")
    assert "smartphone" in tried
    assert "<h2>Apple iPhone 15</h2>" in tried
    assert 'id="tried-chart"' in tried
    assert "Give " not in tried, "a tried prize is not in the draft, so it cannot be replaced"
    assert _draft_prize_names(db) == ["Скейтборд"]


def test_an_unknown_prize_is_said_to_be_unknown(client: Browser, db: Session,
                                               clock: Clock) -> None:
    prize_contest(db, SKATEBOARD_RULES, published=False)
    _sign_in(client, db, clock)
    tried = _card(_page(client, f"{EDITOR}?prize=zzqx+vlorp"), "tried")
    assert "<strong>unknown</strong>" in tried
    assert 'class="flash warning unknown"' in tried
    assert "zzqx vlorp: not a prize type the catalogue knows" in tried


def test_an_empty_or_too_long_prize_is_refused_next_to_the_field(
        client: Browser, db: Session, clock: Clock) -> None:
    prize_contest(db, SKATEBOARD_RULES, published=False)
    _sign_in(client, db, clock)
    page = _page(client, f"{EDITOR}?prize=+++", status=422)
    assert re.search(r'<p class="error" id="prize-error">must not be empty</p>', page)
    assert 'id="tried"' not in page
    page = _page(client, f"{EDITOR}?prize={'a' * (PRIZE_TEXT_MAX + 1)}", status=422)
    assert (f'id="prize-error">must be at most {PRIZE_TEXT_MAX} characters, got '
            f'{PRIZE_TEXT_MAX + 1}</p>') in page
    client.submit("/language/ru")
    page = _page(client, f"{EDITOR}?prize=", status=422)
    assert 'id="prize-error">не может быть пустым</p>' in page


def test_a_prize_text_cannot_put_markup_into_the_page_or_the_chart(
        client: Browser, db: Session, clock: Clock) -> None:
    prize_contest(db, SKATEBOARD_RULES, published=False)
    _sign_in(client, db, clock)
    attack = '<script>alert(1)</script><svg onload="x()"> skateboard'
    page = _page(client, f"{EDITOR}?prize={attack}")
    assert "<script" not in page
    assert not re.search(r"<svg[^>]*onload", page)
    tried = _card(page, "tried")
    chart = tried[tried.index("<svg"):]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart
    assert html_module.escape(attack, quote=False) in tried


def test_a_marketer_replaces_a_prize_with_a_suggestion_in_the_draft_only(
        client: Browser, db: Session, clock: Clock) -> None:
    prize_contest(db, SKATEBOARD_RULES, published=True)
    published = db.exec(select(RulesVersion)).one()
    _sign_in(client, db, clock)
    assert "Published version 1. Replacing a prize here changes the draft only" in \
        _page(client)

    response = client.submit(f"{EDITOR}/1/replace", {"current": "Скейтборд",
                                                     "type": "gift_card"})
    assert response.status_code == 303
    assert response.headers["Location"] == EDITOR
    assert _draft_prize_names(db) == ["Gift card"], "named in the language of the rules"
    draft = draft_data(db.exec(select(Contest)).one())
    assert draft["prizes"][0]["retail_value"] == {"amount": "9000.00", "currency": "RUB"}
    assert [v.sha256 for v in db.exec(select(RulesVersion))] == [published.sha256]
    record = db.exec(select(AuditRecord).order_by(col(AuditRecord.id).desc())).first()
    assert record is not None and record.action == "rules.save_draft"

    page = _page(client)
    assert ("The draft now gives Gift card instead of Скейтборд. Preview and "
            "publish the rules for the change to count.") in page
    card = _card(page, "prize-1")
    assert "gift card (ages" in card and 'class="flash ok"' in card


def test_only_a_suggestion_for_the_prize_the_marketer_saw_replaces_it(
        client: Browser, db: Session, clock: Clock) -> None:
    prize_contest(db, SKATEBOARD_RULES, published=False)
    _sign_in(client, db, clock)
    assert default_catalogue().get("kick_scooter") is not None
    refusals = [
        ({"current": "Скейтборд", "type": "kick_scooter"},
         "kick_scooter is not one of the alternatives suggested for Скейтборд"),
        ({"current": "Roller skates", "type": "gift_card"},
         "the draft changed: prize 1 is now Скейтборд, not Roller skates"),
        ({}, "the draft changed: prize 1 is now Скейтборд, not "),
    ]
    for form, message in refusals:
        response = client.submit(f"{EDITOR}/1/replace", form, follow_redirects=True)
        assert response.status_code == 200
        assert f'<p class="flash error" role="status">{html_module.escape(message)}' in \
            response.get_data(as_text=True)
    response = client.submit(f"{EDITOR}/2/replace", {"current": "Скейтборд", "type": "cash"},
                             follow_redirects=True)
    assert "the draft has no prize 2; its prizes are numbered 1 to 1" in \
        response.get_data(as_text=True)
    assert _draft_prize_names(db) == ["Скейтборд"]


def test_a_broken_draft_sends_the_marketer_back_to_the_rules(
        client: Browser, db: Session, clock: Clock) -> None:
    _sign_in(client, db, clock)
    client.submit("/manage/contests", {"slug": "fresh-one", "title": "Fresh", "language": "en"})
    client.submit("/manage/contests/fresh-one/rules", {"title": "Fresh", "winners": "0",
                                                       "then": "stay"})
    response = client.get("/manage/contests/fresh-one/prizes", follow_redirects=True)
    assert response.request.path == "/manage/contests/fresh-one/rules"
    assert ('<p class="flash error" role="status">Fix the errors in the rules before checking '
            'the prizes.</p>') in response.get_data(as_text=True)


def test_the_contest_list_and_the_rules_form_link_to_the_prize_editor(
        client: Browser, db: Session, clock: Clock) -> None:
    make_contest(db)
    _sign_in(client, db, clock)
    link = f'href="{EDITOR}"'
    assert link in _page(client, "/manage/contests")
    assert link in _page(client, "/manage/contests/winter-giveaway/rules?step=prizes")
